#include "rtnl/summary.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <new>
#include <string_view>

#include "rtnl/errno_names.hpp"
#include "rtnl/netlink.hpp"
#include "rtnl/tracker.hpp"

namespace rtnl {

namespace {

using namespace schema::field;

// The fields the hot families (routes, links, addresses, neighbours) read:
// each gets a slot (1-based; 0: not one of them), so that get() finds it in
// one step instead of scanning the message's items. Other fields are found
// by the scan.
constexpr schema::field::Id kSlotFields[] = {
    rtm_family, rtm_dst_len, rtm_src_len, rtm_table, rtm_protocol, rtm_scope, rtm_type,
    rta_dst, rta_dst6, rta_src, rta_src6, rta_gateway, rta_gateway6, rta_oif, rta_iif,
    rta_priority, rta_prefsrc, rta_prefsrc6, rta_table, rta_via, rta_via6, rta_nh_id,
    rtnh_ifindex, rtnh_hops,
    ifi_index, ifi_flags, ifla_ifname, ifla_mtu, ifla_master, ifla_operstate, ifla_link, ifla_address,
    ifa_family, ifa_prefixlen, ifa_scope, ifa_index, ifa_address, ifa_address6, ifa_local, ifa_local6, ifa_label,
    ndm_ifindex, ndm_state, nda_dst, nda_dst6, nda_lladdr,
    extack_msg,
};
constexpr std::size_t kFieldSlots = std::size(kSlotFields);
static_assert(kFieldSlots <= 64, "SummaryBuilder::slots_ holds 64");
const std::vector<std::uint8_t>& field_slots() {
    static const auto slots = [] {
        std::vector<std::uint8_t> t(schema::all_fields().size(), 0);
        for (std::size_t i = 0; i < kFieldSlots; ++i) t[kSlotFields[i]] = static_cast<std::uint8_t>(i + 1);
        return t;
    }();
    return slots;
}

const FieldSpec& spec(schema::field::Id id) { return schema::field_spec(id); }

// iproute2's verb for a RTM_NEW* request. A link request without
// NLM_F_CREATE changes an existing link (the kernel answers ENODEV when there
// is none): `ip link set`. Elsewhere NLM_F_REPLACE alone is `change`, with
// NLM_F_CREATE `replace`.
const char* new_verb(std::uint16_t type, std::uint16_t flags) {
    if (flags & nl::F_REPLACE) return (flags & nl::F_CREATE) ? " replace" : " change";
    if (type == schema::msg::RTM_NEWLINK && !(flags & nl::F_CREATE)) return " set";
    return " add";
}

// iproute2's scope names: RT_SCOPE_UNIVERSE is `global` in `ip` (the fields keep the kernel's names).
void append_scope(std::string& out, std::uint64_t scope) {
    if (scope == 0)
        out += "global";
    else
        append_enum_name(out, &schema::enum_rt_scope, scope);
}

// Attributes inside a nest that an Info line shows: a bridge VLAN entry's or
// global options' (format_vlan).
bool summarized_nested(const FieldSpec* f) {
    static constexpr schema::field::Id nested[] = {bridge_vlandb_entry_range, bridge_vlandb_entry_state,
                                                   bridge_vlandb_entry_mcast_router, bridge_vlandb_gopts_id,
                                                   bridge_vlandb_gopts_range};
    return std::any_of(std::begin(nested), std::end(nested), [f](auto id) { return f == &spec(id); });
}

}  // namespace

std::string format_tc_handle(std::uint32_t h) {
    if (h == kTcHandleRoot) return "root";
    if (h == kTcHandleIngress) return "ingress";
    if (h == 0) return "none";
    char buf[24];
    if ((h & 0xffff) == 0)
        std::snprintf(buf, sizeof buf, "%x:", h >> 16);
    else
        std::snprintf(buf, sizeof buf, "%x:%x", h >> 16, h & 0xffff);
    return buf;
}

std::string attr_constant(const AttrSpace* space, const AttrSpec* spec, std::uint16_t type) {
    if (spec && spec->field) return spec->field->constant;
    if (space) return std::string(space->prefix) + std::to_string(type);
    return {};
}

std::string enum_name(const EnumSpec* e, std::uint64_t value) {
    std::string out;
    append_enum_name(out, e, value);
    return out;
}

void append_enum_name(std::string& out, const EnumSpec* e, std::uint64_t value) {
    if (e)
        if (const EnumEntry* entry = e->find(value)) {
            out += entry->short_name;
            return;
        }
    append_decimal(out, value);
}

SummaryBuilder::SummaryBuilder() : slot_of_(field_slots().data()) {}

void SummaryBuilder::clear() {
    // The lines' buffers are kept for the next packet's lines.
    for (std::string& line : lines_) spare_.push_back(std::move(line));
    lines_.clear();
    types_.clear();
    have_msg_ = false;
    echo_depth_ = 0;
}

void SummaryBuilder::message_begin(const MessageView& m) {
    if (m.echoed) {
        ++echo_depth_;
        if (echo_depth_ == 1) {
            echoed_ = m.header;
            have_echo_ = true;
        }
        return;
    }
    msg_ = m;
    have_msg_ = true;
    collecting_ = lines_.size() < max_lines_;
    item_count_ = 0;
    item_decoded_ = 0;
    if (collecting_) std::fill(std::begin(slots_), std::end(slots_), 0);  // read only for a line
    attr_depth_ = 0;
    nexthop_count_ = 0;
    in_nexthop_ = false;
    has_error_ = false;
    error_ = 0;
    have_echo_ = false;
    extack_msg_.clear();
    link_kind_ = {};
    peer_name_ = {};
    peer_depth_ = 0;
}

void SummaryBuilder::message_end(const MessageView& m) {
    if (m.echoed) {
        if (echo_depth_) --echo_depth_;
        return;
    }
    if (lines_.size() < max_lines_) {
        std::string line;
        if (!spare_.empty()) {
            line = std::move(spare_.back());
            spare_.pop_back();
        }
        format_message(line);
        lines_.push_back(std::move(line));
    }
    types_.push_back(m.header.type);
    have_msg_ = false;
    role_ = MessageRole::Unknown;
}

void SummaryBuilder::struct_begin(const StructView& s) {
    if (echo_depth_ || !collecting_) return;
    if (s.spec == &schema::struct_vlandb_entry_info) in_vlan_info_ = true;
    const bool nexthop = s.spec == &schema::struct_rtnexthop;
    if (nexthop) {
        in_nexthop_ = nexthop_count_ < kMaxNexthops;
        if (in_nexthop_) nexthops_[nexthop_count_++].item = Nexthop{};
    }
    if (attr_depth_ == 0 || in_vlan_info_ || (nexthop && in_nexthop_))
        s.for_each_member([&](const Member& m) { keep_member(m); });
}

void SummaryBuilder::struct_end(const StructSpec& s) {
    // A nexthop's own attributes come before its struct_end; what follows is the route's again.
    if (!echo_depth_ && &s == &schema::struct_rtnexthop) in_nexthop_ = false;
    if (&s == &schema::struct_vlandb_entry_info) in_vlan_info_ = false;
}

void SummaryBuilder::keep_member(const Member& m) {
    const FieldSpec& f = *m.field;
    if (in_nexthop_ && nexthop_count_) {
        if (&f == &spec(rtnh_ifindex)) nexthops_[nexthop_count_ - 1].item.ifindex = m.value().s;
        if (&f == &spec(rtnh_hops)) nexthops_[nexthop_count_ - 1].item.hops = m.value().u;
        return;
    }
    // The family header's members; a struct attribute's (link statistics, devconf) say nothing here.
    if (attr_depth_ == 0 || in_vlan_info_) add_item(&f, m.raw);
}

void SummaryBuilder::add_item(const FieldSpec* f, const ValueRef& raw) {
    if (item_count_ >= kMaxItems) return;
    item_fields_[item_count_] = f;
    item_raw_[item_count_].item = raw;
    if (const std::uint8_t slot = slot_of_[schema::field_index(f)]; slot && !slots_[slot - 1])
        slots_[slot - 1] = static_cast<std::uint8_t>(item_count_ + 1);  // the first wins, as in a scan
    ++item_count_;
}

inline const Value* SummaryBuilder::item_value(std::size_t i) const {
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (!(item_decoded_ & bit)) {
        new (&item_values_[i].item) Value(item_raw_[i].item.decode());  // built in its slot, not copied there
        item_decoded_ |= bit;
    }
    return &item_values_[i].item;
}

void SummaryBuilder::attr_end(const AttrEvent&) {
    if (attr_depth_ && attr_depth_ == peer_depth_) peer_depth_ = 0;
    if (attr_depth_) --attr_depth_;
}

void SummaryBuilder::attr_begin(const AttrEvent& ev) {
    ++attr_depth_;
    if (echo_depth_ || !collecting_ || !ev.field) return;
    // The common case first: a message's own attribute outside a nexthop
    // (the kind, the peer and a nexthop's gateway are deeper).
    if (ev.depth == 0 && !in_nexthop_ && ev.field != &spec(extack_msg) && ev.field != &spec(veth_info_peer)) {
        add_item(ev.field, ev.raw);
        return;
    }
    if (ev.field == &spec(extack_msg)) {
        extack_msg_ = std::string(ev.value().str);
        return;
    }
    if (ev.field == &spec(ifla_info_kind) && ev.depth == 1) {
        link_kind_ = ev.value().str;
        return;
    }
    if (ev.field == &spec(veth_info_peer)) {
        peer_depth_ = attr_depth_;  // the peer's own attributes are one deeper
        return;
    }
    if (peer_depth_ && attr_depth_ == peer_depth_ + 1 && ev.field == &spec(ifla_ifname)) {
        peer_name_ = ev.value().str;
        return;
    }
    if (in_nexthop_ && nexthop_count_ && (ev.field == &spec(rta_gateway) || ev.field == &spec(rta_gateway6))) {
        nexthops_[nexthop_count_ - 1].item.gateway = ev.value();
        return;
    }
    // the message's own attributes, and the few of its nests that an Info line shows
    if (ev.depth == 0 || (ev.depth == 1 && summarized_nested(ev.field))) add_item(ev.field, ev.raw);
}

bool SummaryBuilder::wants_children(const AttrEvent& ev) {
    if (echo_depth_ || !collecting_) return false;
    const FieldSpec* f = ev.field;
    switch (ev.depth) {
    case 0:
        return f == &spec(ifla_linkinfo) || f == &spec(rta_multipath) || f == &spec(bridge_vlandb_entry) ||
               f == &spec(bridge_vlandb_global_options);
    case 1: return f == &spec(ifla_info_data);  // of IFLA_LINKINFO: a veth's peer is inside
    case 2: return f == &spec(veth_info_peer);  // its name: a leaf of it
    default: return false;
    }
}

void SummaryBuilder::error_code(std::int32_t error, std::size_t) {
    if (echo_depth_) return;
    has_error_ = true;
    error_ = error;
}

inline const Value* SummaryBuilder::get(schema::field::Id id) const {
    if (const std::uint8_t slot = slot_of_[id]) return slots_[slot - 1] ? item_value(slots_[slot - 1] - 1u) : nullptr;
    const FieldSpec* f = &spec(id);
    for (std::size_t i = 0; i < item_count_; ++i)
        if (item_fields_[i] == f) return item_value(i);
    return nullptr;
}

const Value* SummaryBuilder::get(schema::field::Id v4, schema::field::Id v6) const {
    const Value* v = get(v4);
    return v ? v : get(v6);
}

std::string SummaryBuilder::dev(std::int64_t ifindex) const {
    std::string out;
    append_dev(out, ifindex);
    return out;
}

void SummaryBuilder::append_dev(std::string& out, std::int64_t ifindex) const {
    if (names_)
        if (const LinkName* n = names_->find(netns_, ifindex)) {
            out += n->shown;
            return;
        }
    append_decimal(out, ifindex);
}

void SummaryBuilder::format_message(std::string& out) const {
    const auto type = msg_.header.type;
    if (type == nl::NLMSG_ERROR) {
        out = format_error();
        return;
    }
    out.clear();  // then appended: assign would take string's general replace
    if (const char* name = nl::message_type_name(type))
        out.append(name);
    else
        out = nl::message_type_label(type);
    if (type == nl::NLMSG_DONE) {
        if (has_error_ && error_ != 0) out += " " + format_error().substr(std::string("NLMSG_ERROR ").size());
        return;
    }
    if (!msg_.spec) return;
    const auto flags = msg_.header.flags;
    // The kernel's own messages say whether they answer a request or announce
    // a change (a nexthop notification copies the request's flags,
    // NLM_F_REQUEST included: the role, known from the direction, wins);
    // requests say what they ask for, in iproute2's verbs.
    if (role_ == MessageRole::Reply) {
        out += " reply";
    } else if (role_ == MessageRole::Notification) {
        out += msg_.spec->verb == Verb::Del ? " deleted" : " notify";
    } else if (flags & nl::F_REQUEST) {
        switch (msg_.spec->verb) {
        case Verb::Get: out += (flags & nl::F_DUMP) == nl::F_DUMP ? " dump" : " get"; break;
        case Verb::New: out += new_verb(type, flags); break;
        case Verb::Del: out += " del"; break;
        case Verb::Set: out += " set"; break;
        case Verb::Other: break;
        }
    }
    std::string& body = body_;  // its buffer is kept from line to line
    body.clear();
    using namespace schema::msg;
    switch (type) {
    case RTM_NEWROUTE: case RTM_DELROUTE: case RTM_GETROUTE: format_route(body); break;
    case RTM_NEWLINK: case RTM_DELLINK: case RTM_GETLINK: case RTM_SETLINK: format_link(body); break;
    case RTM_NEWADDR: case RTM_DELADDR: case RTM_GETADDR: format_addr(body); break;
    case RTM_NEWNEIGH: case RTM_DELNEIGH: case RTM_GETNEIGH: format_neigh(body); break;
    case RTM_NEWRULE: case RTM_DELRULE: case RTM_GETRULE: format_rule(body); break;
    case RTM_NEWNEXTHOP: case RTM_DELNEXTHOP: case RTM_GETNEXTHOP: format_nexthop(body); break;
    case RTM_NEWQDISC: case RTM_DELQDISC: case RTM_GETQDISC:
    case RTM_NEWTCLASS: case RTM_DELTCLASS: case RTM_GETTCLASS: format_tc(body, false); break;
    case RTM_NEWTFILTER: case RTM_DELTFILTER: case RTM_GETTFILTER:
    case RTM_NEWCHAIN: case RTM_DELCHAIN: case RTM_GETCHAIN: format_tc(body, true); break;
    case RTM_NEWNETCONF: case RTM_DELNETCONF: case RTM_GETNETCONF: format_netconf(body); break;
    case RTM_NEWADDRLABEL: case RTM_DELADDRLABEL: case RTM_GETADDRLABEL: format_addrlabel(body); break;
    case RTM_NEWMDB: case RTM_DELMDB: case RTM_GETMDB: format_mdb(body); break;
    case RTM_NEWNSID: case RTM_DELNSID: case RTM_GETNSID: format_nsid(body); break;
    case RTM_NEWVLAN: case RTM_DELVLAN: case RTM_GETVLAN: format_vlan(body); break;
    case RTM_NEWMULTICAST: case RTM_DELMULTICAST: case RTM_GETMULTICAST: format_group_addr(body, false); break;
    case RTM_NEWANYCAST: case RTM_DELANYCAST: case RTM_GETANYCAST: format_group_addr(body, true); break;
    default: break;
    }
    if (!body.empty()) (out += ' ') += body;
}

namespace {
// Space-separated words appended to one string, without a temporary each.
class Words {
public:
    explicit Words(std::string& out) : out_(out) {}
    std::string& word(std::string_view first) {  // starts a word; the caller may append to it
        if (!out_.empty()) out_ += ' ';
        out_ += first;
        return out_;
    }
    void value(std::string_view first, const Value& v) { append_value(word(first), v); }

private:
    std::string& out_;
};
}  // namespace

void SummaryBuilder::format_route(std::string& out) const {
    Words w(out);
    const Value* family = get(rtm_family);
    const unsigned full = family && family->u == nl::FAMILY_INET6 ? 128 : 32;
    const Value* type = get(rtm_type);
    if (type && type->u != 1 && type->u != 0) append_enum_name(w.word(""), spec(rtm_type).enums, type->u);  // not unicast
    const Value* dst = get(rta_dst, rta_dst6);
    const Value* dst_len = get(rtm_dst_len);
    if (dst) {
        append_value(w.word(""), *dst);
        if (dst_len && dst_len->u != full) append_decimal(out += '/', dst_len->u);
    } else if (dst_len && dst_len->u == 0 && msg_.spec->verb != Verb::Get) {
        w.word("default");
    }
    if (const Value* src = get(rta_src, rta_src6)) w.value("from ", *src);
    if (const Value* gw = get(rta_gateway, rta_gateway6)) w.value("via ", *gw);
    if (const Value* via = get(rta_via, rta_via6)) w.value("via ", *via);
    if (const Value* nh = get(rta_nh_id)) w.value("nhid ", *nh);
    if (const Value* iif = get(rta_iif)) append_dev(w.word("iif "), static_cast<std::int64_t>(iif->u));
    if (const Value* oif = get(rta_oif)) append_dev(w.word("dev "), static_cast<std::int64_t>(oif->u));
    const Value* table = get(rta_table, rtm_table);
    if (table && table->u != 0) append_enum_name(w.word("table "), &schema::enum_rt_table, table->u);
    const Value* proto = get(rtm_protocol);
    if (proto && proto->u != 0) append_enum_name(w.word("proto "), &schema::enum_rt_protocol, proto->u);
    const Value* scope = get(rtm_scope);
    if (scope && scope->u != 0) append_scope(w.word("scope "), scope->u);
    if (const Value* pref = get(rta_prefsrc, rta_prefsrc6)) w.value("src ", *pref);
    if (const Value* metric = get(rta_priority)) w.value("metric ", *metric);
    if (msg_.spec->verb == Verb::Get) append_get_flags(out);
    for (std::size_t i = 0; i < nexthop_count_; ++i) {
        const Nexthop& nh = nexthops_[i].item;
        w.word("nexthop");
        if (nh.gateway.tag != Value::Tag::None) append_value(out += " via ", nh.gateway);
        append_dev(out += " dev ", nh.ifindex);
        append_decimal(out += " weight ", nh.hops + 1);
    }
}

// ip route get ... fibmatch (RTM_F_FIB_MATCH); RTM_F_LOOKUP_TABLE, which
// every `ip route get` sends, says nothing; other flags by their names.
void SummaryBuilder::append_get_flags(std::string& out) const {
    const Value* flags = get(rtm_flags);
    if (!flags || !spec(rtm_flags).enums) return;
    for (const auto& e : spec(rtm_flags).enums->entries) {
        if (!(flags->u & e.value) || e.value == kRtmFlagLookupTable) continue;
        out += ' ';
        out += e.value == kRtmFlagFibMatch ? "fibmatch" : e.short_name;
    }
}

void SummaryBuilder::format_link(std::string& out) const {
    const Value* index = get(ifi_index);
    const Value* own = get(ifla_ifname);
    if (index && index->s != 0) append_value(out, *index) += ':';
    // A request naming the link by index only ("ip link set dev X up" sends
    // the index) gets the name the capture knows for it in its namespace.
    const LinkName* known = !own && index && index->s > 0 && names_ ? names_->find(netns_, index->s) : nullptr;
    if (own || known) {
        if (!out.empty()) out += ' ';
        if (own)
            out += own->str;
        else
            out += known->shown;
        // With IFLA_LINK_NETNSID the lower device is an index of another namespace: iproute2's "@if<N>".
        if (const Value* link = get(ifla_link); link && link->u) {
            if (get(ifla_link_netnsid))
                append_decimal(out += "@if", link->u);
            else
                append_dev(out += '@', static_cast<std::int64_t>(link->u));
        }
        out += ':';
    }
    if (const Value* flags = get(ifi_flags); flags && flags->u && spec(ifi_flags).enums) {
        out += out.empty() ? "<" : " <";
        bool first = true;
        for (const auto& e : spec(ifi_flags).enums->entries) {
            if (!(flags->u & e.value)) continue;
            if (!first) out += ',';
            first = false;
            const std::string_view constant = e.name;
            out += constant.size() > 4 ? constant.substr(4) : constant;  // IFF_
        }
        out += '>';
    }
    if (const Value* mtu = get(ifla_mtu)) append_value(out += " mtu ", *mtu);
    if (const Value* master = get(ifla_master)) append_dev(out += " master ", static_cast<std::int64_t>(master->u));
    if (const Value* state = get(ifla_operstate)) {
        out += " state ";
        const std::size_t at = out.size();
        append_enum_name(out, spec(ifla_operstate).enums, state->u);
        for (std::size_t i = at; i < out.size(); ++i)
            out[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[i])));
    }
    if (const Value* addr = get(ifla_address)) append_value(out += " link ", *addr);
    // ip link add NAME type KIND [peer NAME]: the kind from IFLA_LINKINFO, a veth's peer from VETH_INFO_PEER
    if (!link_kind_.empty()) (out += " type ") += link_kind_;
    if (!peer_name_.empty()) (out += " peer ") += peer_name_;
    if (!out.empty() && out[0] == ' ') out.erase(0, 1);
    if (!out.empty() && out.back() == ':') out.pop_back();  // "get 2: cni0", nothing after the name
}

void SummaryBuilder::format_addr(std::string& out) const {
    if (const Value* index = get(ifa_index); index && index->u) {
        // ip monitor's "2: veth0 inet ...": the index, and the name when the capture gives it
        append_value(out, *index) += ':';
        if (names_)
            if (const LinkName* n = names_->find(netns_, static_cast<std::int64_t>(index->u))) (out += ' ') += n->shown;
    }
    const Value* family = get(ifa_family);
    const Value* addr = get(ifa_local, ifa_local6);
    if (!addr) addr = get(ifa_address, ifa_address6);
    if (family && family->u == nl::FAMILY_INET) out += " inet";
    if (family && family->u == nl::FAMILY_INET6) out += " inet6";
    if (addr) {
        append_value(out += ' ', *addr);
        if (const Value* plen = get(ifa_prefixlen)) append_value(out += '/', *plen);
    }
    if (const Value* scope = get(ifa_scope); scope && addr)
        append_scope(out += " scope ", scope->u);
    if (const Value* label = get(ifa_label)) (out += ' ') += label->str;
    if (!out.empty() && out[0] == ' ') out.erase(0, 1);
}

// ip rule: "pref 100 from 10.0.0.0/8 to 192.168.0.0/16 iif veth0 fwmark 0x10/0xff lookup 100"
void SummaryBuilder::format_rule(std::string& out) const {
    Words w(out);
    if (const Value* pref = get(fra_priority)) w.value("pref ", *pref);
    auto prefix = [&](schema::field::Id v4, schema::field::Id v6, schema::field::Id len_field, std::string_view word) {
        const Value* a = get(v4, v6);
        if (!a || a->tag == Value::Tag::Bytes) return;
        append_value(w.word(word), *a) += '/';
        if (const Value* len = get(len_field))
            append_value(out, *len);
        else
            out += '?';
    };
    prefix(fra_src, fra_src6, frh_src_len, "from ");
    prefix(fra_dst, fra_dst6, frh_dst_len, "to ");
    if (const Value* v = get(fra_iifname)) w.value("iif ", *v);
    if (const Value* v = get(fra_oifname)) w.value("oif ", *v);
    if (const Value* v = get(fra_fwmark)) append_hex(w.word("fwmark "), v->u);
    const Value* action = get(frh_action);
    const std::uint64_t act = action ? action->u : 1;
    if (act == 1) {  // FR_ACT_TO_TBL
        const Value* table = get(fra_table, frh_table);
        if (table && table->u) append_enum_name(w.word("lookup "), &schema::enum_rt_table, table->u);
    } else if (act == 2) {  // FR_ACT_GOTO
        if (const Value* target = get(fra_goto))
            w.value("goto ", *target);
        else
            w.word("goto ?");
    } else if (action && act) {
        append_enum_name(w.word(""), spec(frh_action).enums, act);
    }
}

// ip nexthop: "id 1 via 10.1.0.2 dev veth0 proto boot", "id 3 group 1/2", "id 4 blackhole"
void SummaryBuilder::format_nexthop(std::string& out) const {
    Words w(out);
    if (const Value* id = get(nha_id)) w.value("id ", *id);
    if (get(nha_group)) w.word("group");
    if (const Value* gw = get(nha_gateway, nha_gateway6)) w.value("via ", *gw);
    if (const Value* oif = get(nha_oif)) append_dev(w.word("dev "), static_cast<std::int64_t>(oif->u));
    if (get(nha_blackhole)) w.word("blackhole");
    if (get(nha_fdb)) w.word("fdb");
    if (const Value* proto = get(nhm_protocol); proto && proto->u)
        append_enum_name(w.word("proto "), &schema::enum_rt_protocol, proto->u);
}

// tc: "qdisc htb 1: dev veth0 root", "class htb 1:10 dev veth0 parent 1:",
// "filter dev veth0 parent 1: protocol ip pref 49152 u32"
void SummaryBuilder::format_tc(std::string& out, bool filter) const {
    Words w(out);
    const Value* kind = get(tca_kind);
    if (!filter && kind) w.value("", *kind);
    if (const Value* handle = get(tcm_handle); handle && handle->u && !filter)
        w.word(format_tc_handle(static_cast<std::uint32_t>(handle->u)));
    if (const Value* ifindex = get(tcm_ifindex); ifindex && ifindex->s > 0) append_dev(w.word("dev "), ifindex->s);
    if (const Value* parent = get(tcm_parent)) {
        const auto p = static_cast<std::uint32_t>(parent->u);
        if (p == kTcHandleRoot || p == kTcHandleIngress)
            w.word(format_tc_handle(p));
        else if (p)
            w.word("parent ") += format_tc_handle(p);
    }
    if (filter) {
        if (const Value* info = get(tcm_info); info && info->u) {
            const auto proto_be = static_cast<std::uint16_t>(info->u & 0xffff);
            const auto proto = static_cast<std::uint16_t>((proto_be >> 8) | (proto_be << 8));
            const char* name = proto == 0x0800 ? "ip" : proto == 0x86dd ? "ipv6" : proto == 0x0003 ? "all"
                             : proto == 0x0806 ? "arp" : proto == 0x8100 ? "802.1Q" : nullptr;
            if (name)
                w.word("protocol ") += name;
            else if (proto)
                append_hex(w.word("protocol "), proto, 4);
            append_decimal(w.word("pref "), info->u >> 16);
        }
        if (kind) w.value("", *kind);
        if (const Value* handle = get(tcm_handle); handle && handle->u) append_hex(w.word("handle "), handle->u);
    }
    if (const Value* chain = get(tca_chain)) w.value("chain ", *chain);
}

// ip netconf: "inet dev veth0 forwarding on rp_filter off mc_forwarding off"
void SummaryBuilder::format_netconf(std::string& out) const {
    Words w(out);
    if (const Value* fam = get(ncm_family)) {
        if (fam->u == nl::FAMILY_INET)
            w.word("inet");
        else if (fam->u == nl::FAMILY_INET6)
            w.word("inet6");
        else
            append_enum_name(w.word(""), &schema::enum_address_family, fam->u);
    }
    if (const Value* ifindex = get(netconfa_ifindex)) {
        const std::int64_t i = ifindex->s;
        if (i == -1)
            w.word("all");
        else if (i == -2)
            w.word("default");
        else
            append_dev(w.word("dev "), i);
    }
    static constexpr schema::field::Id knobs[] = {netconfa_forwarding, netconfa_rp_filter, netconfa_mc_forwarding,
                                                  netconfa_proxy_neigh, netconfa_ignore_routes_with_linkdown};
    for (const auto knob : knobs)
        if (const Value* v = get(knob)) {
            const std::string_view abbrev = spec(knob).abbrev;  // the knob's name ends it
            w.word(abbrev.substr(abbrev.rfind('.') + 1)) += v->s ? " on" : " off";
        }
}

// ip addrlabel: "prefix 2001:db8::/32 dev veth0 label 100"
void SummaryBuilder::format_addrlabel(std::string& out) const {
    Words w(out);
    if (const Value* a = get(ifal_address)) {
        w.value("prefix ", *a);
        if (const Value* len = get(ifal_prefixlen)) append_value(out += '/', *len);
    }
    if (const Value* ifindex = get(ifal_index); ifindex && ifindex->u)
        append_dev(w.word("dev "), static_cast<std::int64_t>(ifindex->u));
    if (const Value* label = get(ifal_label)) w.value("label ", *label);
}

// bridge mdb: the port's bridge.
void SummaryBuilder::format_mdb(std::string& out) const {
    Words w(out);
    if (const Value* ifindex = get(bpm_ifindex); ifindex && ifindex->u)
        append_dev(w.word("dev "), static_cast<std::int64_t>(ifindex->u));
}

// ip netns list-id: "nsid 0 pid 1234"
void SummaryBuilder::format_nsid(std::string& out) const {
    Words w(out);
    if (const Value* id = get(netnsa_nsid)) w.value("nsid ", *id);
    if (const Value* pid = get(netnsa_pid)) w.value("pid ", *pid);
    if (const Value* fd = get(netnsa_fd)) w.value("fd ", *fd);
}

// bridge vlan: "vlan 20-30 dev veth0 pvid untagged state blocking mcast_router perm";
// global options "vlan 10 dev br0 global"; a dump request "dev br0 stats global"
void SummaryBuilder::format_vlan(std::string& out) const {
    Words w(out);
    const Value* entry_vid = get(bridge_vlandb_entry_info_vid);
    const Value* global_vid = entry_vid ? nullptr : get(bridge_vlandb_gopts_id);
    const Value* vid = entry_vid ? entry_vid : global_vid;
    const Value* range = get(entry_vid ? bridge_vlandb_entry_range : bridge_vlandb_gopts_range);
    if (vid) {
        w.value("vlan ", *vid);
        if (range && range->u != vid->u) append_value(out += '-', *range);
    }
    if (const Value* ifindex = get(bvm_ifindex); ifindex && ifindex->u)
        append_dev(w.word("dev "), static_cast<std::int64_t>(ifindex->u));
    if (global_vid) w.word("global");
    const auto flag_words = [&](schema::field::Id id) {  // one word per flag set: "pvid untagged"
        if (const Value* flags = get(id); flags && spec(id).enums)
            for (const auto& e : spec(id).enums->entries)
                if (flags->u & e.value) w.word(e.short_name);
    };
    flag_words(bridge_vlandb_entry_info_flags);
    if (const Value* state = get(bridge_vlandb_entry_state))
        append_enum_name(w.word("state "), spec(bridge_vlandb_entry_state).enums, state->u);
    if (const Value* router = get(bridge_vlandb_entry_mcast_router))
        append_enum_name(w.word("mcast_router "), spec(bridge_vlandb_entry_mcast_router).enums, router->u);
    flag_words(bridge_vlandb_dump_flags);
}

// ip monitor maddress / ip maddr: "inet6 mcast ff02::1 dev veth0"; anycast "inet6 anycast 2001:db8:40:: dev veth0"
void SummaryBuilder::format_group_addr(std::string& out, bool anycast) const {
    Words w(out);
    if (const Value* family = get(ifa_family); family && family->u == nl::FAMILY_INET) w.word("inet");
    if (const Value* family = get(ifa_family); family && family->u == nl::FAMILY_INET6) w.word("inet6");
    if (const Value* group = anycast ? get(ifa_anycast, ifa_anycast6) : get(ifa_multicast, ifa_multicast6))
        w.value(anycast ? "anycast " : "mcast ", *group);
    if (const Value* index = get(ifa_index); index && index->u)
        append_dev(w.word("dev "), static_cast<std::int64_t>(index->u));
}

void SummaryBuilder::format_neigh(std::string& out) const {
    if (const Value* dst = get(nda_dst, nda_dst6)) append_value(out, *dst);
    if (const Value* dev = get(ndm_ifindex); dev && dev->s != 0) append_dev(out += out.empty() ? "dev " : " dev ", dev->s);
    if (const Value* ll = get(nda_lladdr)) append_value(out += " lladdr ", *ll);
    if (const Value* state = get(ndm_state); state && state->u) {
        for (const auto& e : schema::enum_nud_state.entries)
            if (state->u & e.value) (out += ' ') += std::string_view(e.name).substr(4);  // NUD_
    }
    if (!out.empty() && out[0] == ' ') out.erase(0, 1);
}

std::string SummaryBuilder::format_error() const {
    std::string out = "NLMSG_ERROR ";
    if (has_error_ && error_ == 0) {
        out += "ACK";
    } else if (has_error_) {
        if (const ErrnoName* n = find_error(error_))
            out += std::string(n->name) + " (" + n->text + ")";
        else
            out += "error " + std::to_string(error_);
    }
    if (have_echo_) {
        out += " for " + nl::message_type_label(echoed_.type);
        out += " seq " + std::to_string(echoed_.seq);
    }
    if (!extack_msg_.empty()) out += ": \"" + extack_msg_ + "\"";
    return out;
}

std::string SummaryBuilder::packet_line() const {
    std::string out;
    packet_line(out);
    return out;
}

void SummaryBuilder::packet_line(std::string& out) const {
    out.clear();
    if (lines_.empty()) return;
    const std::size_t count = types_.size();  // lines_ may hold only the first ones
    if (count <= 3 || lines_.size() < 2) {
        out += lines_[0];
        for (std::size_t i = 1; i < lines_.size(); ++i) (out += " | ") += lines_[i];
        return;
    }
    // Counted by type (a packet has a few), then listed by name.
    std::vector<std::pair<std::uint16_t, std::size_t>> counts;
    for (auto t : types_) {
        auto it = std::find_if(counts.begin(), counts.end(), [t](const auto& c) { return c.first == t; });
        if (it == counts.end())
            counts.emplace_back(t, 1);
        else
            ++it->second;
    }
    std::vector<std::pair<std::string, std::size_t>> by_name;
    for (const auto& [type, n] : counts) by_name.emplace_back(nl::message_type_label(type), n);
    std::sort(by_name.begin(), by_name.end());
    out = lines_[0] + " | " + lines_[1] + " | +" + std::to_string(count - 2) + " more (";
    for (std::size_t i = 0; i < by_name.size(); ++i) {
        if (i) out += ", ";
        std::size_t n = by_name[i].second;
        while (i + 1 < by_name.size() && by_name[i + 1].first == by_name[i].first) n += by_name[++i].second;
        ((out += std::to_string(n)) += ' ') += by_name[i].first;
    }
    out += ')';
}

}  // namespace rtnl
