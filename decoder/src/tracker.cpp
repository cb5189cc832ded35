#include "rtnl/tracker.hpp"

#include "rtnl/netlink.hpp"

namespace rtnl {

void Tracker::clear() {
    route_refusals_ = 0;
    pending_.clear();
    outcomes_.clear();
    outcome_order_.clear();
    replies_.clear();
    reply_order_.clear();
}

void Tracker::forget_oldest() {
    if (!outcome_order_.empty()) {
        outcomes_.erase(outcome_order_.front());
        outcome_order_.pop_front();
    }
}

namespace {
// rtnetlink types come in groups of four (NEW, DEL, GET, SET): a GET is
// answered by the NEW of its group.
bool same_group(std::uint16_t a, std::uint16_t b) { return a >= nl::NLMSG_MIN_TYPE && a / 4 == b / 4; }
}  // namespace

void Tracker::request(const MessageRef& where, std::int64_t time, const NetlinkHeader& h, const PacketOrigin& origin) {
    const MessageTypeSpec* spec = schema::find_message_type(h.type);
    RequestOutcome out;
    out.request_time = time;
    out.wants_answer = (h.flags & nl::F_ACK) || (spec && spec->verb == Verb::Get);
    out.type = h.type;
    out.flags = h.flags;
    const std::uint64_t k = key(where);
    if (outcomes_.emplace(k, std::move(out)).second) outcome_order_.push_back(k);
    while (outcomes_.size() > kMaxRemembered) forget_oldest();
    pending_.push_back({where, h.seq, origin.port, h.pid, origin.netns, origin.port != 0, h.type, h.flags});
    if (pending_.size() > kMaxPending) pending_.pop_front();
}

void Tracker::observe(const MessageRef& where, std::int64_t time, const NetlinkHeader& h, const PacketOrigin& origin,
                      std::int32_t error, std::string_view extack, const NetlinkHeader* echoed) {
    // Only user space sends requests. Without the direction, NLM_F_REQUEST
    // tells; with it, a kernel message that copies the request's flags (an
    // NLM_F_ECHO echo, an address or nexthop notification) is no request.
    using Direction = PacketOrigin::Direction;
    const bool to_kernel = origin.direction == Direction::ToKernel ||
                           (origin.direction == Direction::Unknown && (h.flags & nl::F_REQUEST));
    if (to_kernel) {
        if (h.flags & nl::F_REQUEST) request(where, time, h, origin);
        return;  // a message to the kernel without NLM_F_REQUEST: nothing to link
    }

    // The kernel answers to the requester's port id with the request's
    // sequence number; its notifications carry the same pair (the port of
    // the process whose request caused them) but go to the multicast
    // groups. When the capture names the socket, only answers on the
    // requester's socket are its own. Otherwise the answer must fit the
    // request: an ACK or error echoes the request's type and flags, a DONE
    // ends a dump or follows an NLM_F_ACK, and a message of the request's
    // group answers only a GET (its reply) or an NLM_F_ECHO (its echo) - any
    // other is a notification. Requests usually carry pid 0 (pyroute2 its
    // process id), so a request learns its port from its first answer.
    // Several open requests may share a sequence number (iproute2 uses the
    // time of day; programs count from 1): one bound to this port wins, then
    // one whose nlmsg_pid is this port, then the most recent unbound one.
    auto fits = [&](const Pending& p) {
        if (p.socket_known && (origin.port == 0 || origin.port != p.port || origin.netns != p.netns)) return false;
        if (h.type == nl::NLMSG_ERROR)
            return !echoed || (echoed->type == p.type && echoed->flags == p.flags && echoed->seq == p.seq);
        if (h.type == nl::NLMSG_DONE) return (p.flags & nl::F_DUMP) == nl::F_DUMP || (p.flags & nl::F_ACK);
        const MessageTypeSpec* spec = schema::find_message_type(p.type);
        if (!spec) return true;
        return same_group(h.type, p.type) && (spec->verb == Verb::Get || (p.flags & nl::F_ECHO));
    };
    enum Rank { None, Unbound, Claimed, Bound };
    auto match = pending_.end();
    Rank best = None;
    for (auto it = pending_.rbegin(); it != pending_.rend() && best != Bound; ++it) {
        if (it->seq != h.seq || !fits(*it)) continue;
        const Rank r = it->port == h.pid || it->socket_known ? Bound
                       : it->port != 0                       ? None
                       : it->claimed == h.pid                ? Claimed
                                                             : Unbound;
        if (r > best) {
            best = r;
            match = std::next(it).base();
        }
    }
    if (match == pending_.end()) return;  // a notification, or the request is not in the capture
    if (!match->socket_known) match->port = h.pid;

    auto out = outcomes_.find(key(match->ref));
    const std::int64_t request_time = out != outcomes_.end() ? out->second.request_time : 0;
    auto [runs_at, new_frame] = replies_.try_emplace(where.frame);
    std::vector<ReplyRun>& runs = runs_at->second;
    if (new_frame) reply_order_.push_back(where.frame);
    if (runs.empty() || where.index > runs.back().last) {  // a message seen again keeps its first link
        if (!runs.empty() && runs.back().last + 1 == where.index && runs.back().link.request == match->ref)
            runs.back().last = where.index;
        else
            runs.push_back({where.index, where.index, ReplyLink{match->ref, request_time}});
    }
    while (replies_.size() > kMaxRemembered) {
        replies_.erase(reply_order_.front());
        reply_order_.pop_front();
    }
    if (out != outcomes_.end()) {
        RequestOutcome& o = out->second;
        if (o.response_count == 0) o.first_response_time = time;
        ++o.response_count;
        if ((o.response_frames.empty() || o.response_frames.back() != where.frame) &&
            o.response_frames.size() < kResponseFramesKept)
            o.response_frames.push_back(where.frame);
    }
    bool final = false;
    if (h.type == nl::NLMSG_ERROR || h.type == nl::NLMSG_DONE) {
        final = true;
        if (out != outcomes_.end() && error != 0) {
            out->second.failed = true;
            out->second.error = error;
            out->second.error_frame = where.frame;
            out->second.extack = std::string(extack.substr(0, 256));
            if (refused_for_a_route(out->second)) ++route_refusals_;
        }
    } else if (!(h.flags & nl::F_MULTI) && !(match->flags & nl::F_ACK)) {
        final = true;  // the one reply of a plain GET
    }
    if (final) {
        if (out != outcomes_.end()) out->second.answered = true;
        pending_.erase(match);
    }
}

const RequestOutcome* Tracker::outcome(const MessageRef& request) const {
    auto it = outcomes_.find(key(request));
    return it == outcomes_.end() ? nullptr : &it->second;
}

bool refused_for_a_route(const RequestOutcome& o) {
    using namespace schema::msg;
    constexpr std::int32_t kEsrch = -3, kEexist = -17;  // Linux's numbers, whatever the host's
    return o.failed &&
           ((o.error == kEsrch && o.type == RTM_DELROUTE) || (o.error == kEexist && o.type == RTM_NEWROUTE));
}

std::string explain_failure(const RequestOutcome& o) {
    if (!o.failed) return {};
    return refused_for_a_route(o) && !o.diagnosis.empty() ? o.diagnosis : failure_reason(o.type, o.flags, o.error);
}

void Tracker::set_diagnosis(const MessageRef& request, std::string text) {
    if (auto it = outcomes_.find(key(request)); it != outcomes_.end()) it->second.diagnosis = std::move(text);
}

const ReplyLink* Tracker::reply_link(const MessageRef& reply) const {
    auto it = replies_.find(reply.frame);
    if (it == replies_.end()) return nullptr;
    for (const ReplyRun& run : it->second)
        if (reply.index >= run.first && reply.index <= run.last) return &run.link;
    return nullptr;
}

void LinkNames::learn(std::uint64_t netns, std::int64_t ifindex, std::string_view name) {
    if (ifindex <= 0 || name.empty()) return;
    auto it = names_.find({netns, ifindex});
    if (it == names_.end()) {
        if (names_.size() >= kMaxNames) return;
        it = names_.emplace(std::pair{netns, ifindex}, LinkName{}).first;
    }
    LinkName& n = it->second;
    for (const std::string& known : n.names)
        if (known == name) return;
    if (n.names.size() >= LinkName::kMaxNames) return;
    n.names.emplace_back(name);
    if (!n.shown.empty()) n.shown += '|';
    n.shown += name;
}

const LinkName* LinkNames::find(std::uint64_t netns, std::int64_t ifindex) const {
    auto it = names_.find({netns, ifindex});
    return it == names_.end() ? nullptr : &it->second;
}

void LinkNameLearner::message_begin(const MessageView& m) {
    if (m.echoed) {
        ++echo_depth_;
        return;
    }
    const bool from_kernel = origin_.direction == PacketOrigin::Direction::FromKernel ||
                             (origin_.direction == PacketOrigin::Direction::Unknown && !(m.header.flags & nl::F_REQUEST));
    active_ = m.header.type == schema::msg::RTM_NEWLINK && from_kernel;
    index_ = 0;
    name_.clear();
}

void LinkNameLearner::message_end(const MessageView& m) {
    if (m.echoed) {
        if (echo_depth_) --echo_depth_;
        return;
    }
    if (active_) names_.learn(origin_.netns, index_, name_);
    active_ = false;
}

void LinkNameLearner::struct_begin(const StructView& s) {
    if (!wants_member() || s.spec != &schema::struct_ifinfomsg) return;
    if (const auto m = s.member_at(schema::member::ifinfomsg::ifi_index))
        if (const Value v = m->value(); v.tag == Value::Tag::Signed) index_ = v.s;
}

void LinkNameLearner::attr_begin(const AttrEvent& ev) {
    if (active_ && !echo_depth_ && ev.depth == 0 && ev.space == &schema::space_link && ev.type == schema::attr::link::IFNAME &&
        ev.raw.tag == Value::Tag::String)
        name_ = std::string(ev.value().str);
}

void CaptureLearner::message_begin(const MessageView& m) {
    learner_.message_begin(m);
    if (routes_) route_.message_begin(m);
    if (m.echoed) {
        if (echo_depth_++ == 0) {
            echoed_ = m.header;
            have_echo_ = true;
        }
        return;
    }
    have_echo_ = false;
    error_ = 0;
    extack_.clear();
}

void CaptureLearner::message_end(const MessageView& m) {
    learner_.message_end(m);
    if (routes_) route_.message_end(m);
    if (m.echoed) {
        if (echo_depth_) --echo_depth_;
        return;
    }
    const MessageRef ref{frame_, index_++};
    const bool answer = m.header.type == nl::NLMSG_ERROR || m.header.type == nl::NLMSG_DONE;
    tracker_.observe(ref, time_, m.header, origin_, answer ? error_ : 0, extack_, have_echo_ ? &echoed_ : nullptr);
    if (route_.done) learn_route(ref, m.header);
    // A complete link dump tells which interfaces exist.
    if (m.header.type == nl::NLMSG_DONE)
        if (const ReplyLink* l = tracker_.reply_link(ref))
            if (const RequestOutcome* o = tracker_.outcome(l->request);
                o && o->type == schema::msg::RTM_GETLINK && (o->flags & nl::F_DUMP) == nl::F_DUMP)
                names_.saw_full_dump();
}

// A route the kernel reports goes into the book; a route request gets the
// book's answer to "what would make the kernel refuse it" now, before its
// own answer changes anything.
void CaptureLearner::learn_route(const MessageRef& ref, const NetlinkHeader& h) {
    RouteFacts& facts = route_.facts;
    facts.frame = ref.frame;
    using namespace schema::msg;
    if (!tracker_.outcome(ref)) {  // from the kernel
        if (h.type == RTM_NEWROUTE || h.type == RTM_DELROUTE)
            routes_->learn(origin_.netns, facts, h.type == RTM_DELROUTE);
        return;
    }
    if (h.type == RTM_DELROUTE) tracker_.set_diagnosis(ref, routes_->explain_delete(origin_.netns, facts, &names_));
    if (h.type == RTM_NEWROUTE) tracker_.set_diagnosis(ref, routes_->explain_exists(origin_.netns, facts, &names_));
}

void CaptureLearner::attr_begin(const AttrEvent& ev) {
    ++attr_depth_;
    // Names, routes and the extended ACK are a message's own attributes
    // (an echoed request's are one deeper).
    if (ev.depth != 0) return;
    if (ev.space == &schema::space_extack) {
        if (!echo_depth_ && ev.type == nl::NLMSGERR_ATTR_MSG && ev.raw.tag == Value::Tag::String)
            extack_ = std::string(ev.value().str);
        return;
    }
    // Each reads nothing of a message it is not active for (a link the kernel reported, a route).
    if (learner_.active()) learner_.attr_begin(ev);
    if (route_.active()) route_.attr_begin(ev);
}

void CaptureLearner::error_code(std::int32_t error, std::size_t) {
    if (!echo_depth_) error_ = error;
}

}  // namespace rtnl
