#include "rtnl/tracker.hpp"

#include "rtnl/netlink.hpp"

namespace rtnl {

void Tracker::clear() {
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

void Tracker::observe(const MessageRef& where, std::int64_t time, const NetlinkHeader& h, bool from_user,
                      std::int32_t error, std::string_view extack, const NetlinkHeader* echoed) {
    // Only user space sets NLM_F_REQUEST: the kernel's replies and
    // notifications never carry it.
    if (h.flags & nl::F_REQUEST) {
        const MessageTypeSpec* spec = schema::find_message_type(h.type);
        RequestOutcome out;
        out.request_time = time;
        out.wants_answer = (h.flags & nl::F_ACK) || (spec && spec->verb == Verb::Get);
        out.type = h.type;
        out.flags = h.flags;
        const std::uint64_t k = key(where);
        if (outcomes_.emplace(k, std::move(out)).second) outcome_order_.push_back(k);
        while (outcomes_.size() > kMaxRemembered) forget_oldest();
        pending_.push_back({where, h.seq, h.pid, h.type, h.flags});
        if (pending_.size() > kMaxPending) pending_.pop_front();
        return;
    }
    if (from_user) return;  // not a request, not from the kernel: nothing to link

    // The kernel answers to the requester's port id with the request's
    // sequence number. Requests usually carry pid 0, so a request learns its
    // port from its first answer. Several open requests may share a sequence
    // number (iproute2 uses the time of day; programs count from 1), so the
    // answer must also fit the request: an ACK or error echoes the request's
    // type and flags, a DONE ends a dump, a reply is the NEW of the GET's
    // group. Among those that fit, one already bound to this port wins, else
    // the most recent one not yet bound to another port.
    auto fits = [&](const Pending& p) {
        if (h.type == nl::NLMSG_ERROR)
            return !echoed || (echoed->type == p.type && echoed->flags == p.flags && echoed->seq == p.seq);
        if (h.type == nl::NLMSG_DONE) return (p.flags & nl::F_DUMP) == nl::F_DUMP || (p.flags & nl::F_ACK);
        return same_group(h.type, p.type) || !schema::find_message_type(p.type);
    };
    auto match = pending_.end();
    for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
        if (it->seq != h.seq || !fits(*it)) continue;
        if (it->port == h.pid) {
            match = std::next(it).base();
            break;
        }
        if (it->port == 0 && match == pending_.end()) match = std::next(it).base();
    }
    if (match == pending_.end()) return;  // a notification, or the request is not in the capture
    match->port = h.pid;

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

const ReplyLink* Tracker::reply_link(const MessageRef& reply) const {
    auto it = replies_.find(reply.frame);
    if (it == replies_.end()) return nullptr;
    for (const ReplyRun& run : it->second)
        if (reply.index >= run.first && reply.index <= run.last) return &run.link;
    return nullptr;
}

void LinkNames::learn(std::int64_t ifindex, std::string_view name) {
    if (ifindex <= 0 || name.empty()) return;
    auto it = names_.find(ifindex);
    if (it != names_.end()) {
        it->second.assign(name);  // renamed: the latest name wins
        return;
    }
    if (names_.size() >= kMaxNames) return;
    names_.emplace(ifindex, std::string(name));
}

const std::string* LinkNames::find(std::int64_t ifindex) const {
    auto it = names_.find(ifindex);
    return it == names_.end() ? nullptr : &it->second;
}

void LinkNameLearner::message_begin(const MessageView& m) {
    if (m.echoed) {
        ++echo_depth_;
        return;
    }
    active_ = m.header.type == 16 && !(m.header.flags & nl::F_REQUEST);  // RTM_NEWLINK from the kernel
    index_ = 0;
    name_.clear();
}

void LinkNameLearner::message_end(const MessageView& m) {
    if (m.echoed) {
        if (echo_depth_) --echo_depth_;
        return;
    }
    if (active_) names_.learn(index_, name_);
    active_ = false;
}

void LinkNameLearner::struct_member(const FieldSpec& f, std::size_t, std::size_t, const Value& v) {
    if (!wants_member()) return;
    if (&f == &schema::field_spec(schema::field::ifi_index) && v.tag == Value::Tag::Signed) index_ = v.s;
}

void LinkNameLearner::attr_begin(const AttrEvent& ev) {
    if (active_ && !echo_depth_ && ev.depth == 0 && ev.space == &schema::space_link && ev.type == schema::attr::link::IFNAME &&
        ev.value.tag == Value::Tag::String)
        name_ = std::string(ev.value.str);
}

void CaptureLearner::message_begin(const MessageView& m) {
    learner_.message_begin(m);
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
    if (m.echoed) {
        if (echo_depth_) --echo_depth_;
        return;
    }
    const MessageRef ref{frame_, index_++};
    const bool answer = m.header.type == nl::NLMSG_ERROR || m.header.type == nl::NLMSG_DONE;
    tracker_.observe(ref, time_, m.header, from_user_, answer ? error_ : 0, extack_, have_echo_ ? &echoed_ : nullptr);
    // A complete link dump tells which interfaces exist.
    if (m.header.type == nl::NLMSG_DONE)
        if (const ReplyLink* l = tracker_.reply_link(ref))
            if (const RequestOutcome* o = tracker_.outcome(l->request);
                o && o->type == schema::msg::RTM_GETLINK && (o->flags & nl::F_DUMP) == nl::F_DUMP)
                names_.saw_full_dump();
}

void CaptureLearner::attr_begin(const AttrEvent& ev) {
    learner_.attr_begin(ev);
    if (!echo_depth_ && ev.space == &schema::space_extack && ev.type == nl::NLMSGERR_ATTR_MSG &&
        ev.value.tag == Value::Tag::String)
        extack_ = std::string(ev.value.str);
}

void CaptureLearner::error_code(std::int32_t error, std::size_t) {
    if (!echo_depth_) error_ = error;
}

}  // namespace rtnl
