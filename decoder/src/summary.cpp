#include "rtnl/summary.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string_view>
#include <unordered_map>

#include "rtnl/errno_names.hpp"
#include "rtnl/netlink.hpp"
#include "rtnl/tracker.hpp"

namespace rtnl {

namespace {

const FieldSpec* member_field(const StructSpec& s, std::size_t offset) {
    for (const auto& m : s.members)
        if (m.field && m.offset == offset) return m.field;
    return nullptr;
}
const FieldSpec* attr_field(const AttrSpace& space, std::uint16_t type, bool v6 = false) {
    const AttrSpec* a = space.find(type);
    if (!a) return nullptr;
    return v6 ? a->field6 : a->field;
}

// Field handles the summary looks for, resolved once from the schema.
struct Fields {
    const FieldSpec *rtm_family, *rtm_dst_len, *rtm_src_len, *rtm_table, *rtm_protocol, *rtm_scope, *rtm_type;
    const FieldSpec *rta_dst, *rta_dst6, *rta_src, *rta_src6, *rta_gateway, *rta_gateway6, *rta_oif, *rta_iif,
        *rta_priority, *rta_prefsrc, *rta_prefsrc6, *rta_table, *rta_via, *rta_via6, *rta_nh_id;
    const FieldSpec *rtnh_ifindex, *rtnh_hops;
    const FieldSpec *ifi_index, *ifi_flags, *ifla_ifname, *ifla_mtu, *ifla_master, *ifla_operstate, *ifla_link,
        *ifla_address;
    const FieldSpec *ifa_family, *ifa_prefixlen, *ifa_scope, *ifa_index, *ifa_address, *ifa_address6, *ifa_local,
        *ifa_local6, *ifa_label;
    const FieldSpec *ndm_ifindex, *ndm_state, *nda_dst, *nda_dst6, *nda_lladdr;
    const FieldSpec* extack_msg;
};

const Fields& fields() {
    using namespace schema;
    static const Fields f = {
        member_field(struct_rtmsg, 0), member_field(struct_rtmsg, 1), member_field(struct_rtmsg, 2),
        member_field(struct_rtmsg, 4), member_field(struct_rtmsg, 5), member_field(struct_rtmsg, 6),
        member_field(struct_rtmsg, 7),
        attr_field(space_route, 1), attr_field(space_route, 1, true), attr_field(space_route, 2),
        attr_field(space_route, 2, true), attr_field(space_route, 5), attr_field(space_route, 5, true),
        attr_field(space_route, 4), attr_field(space_route, 3), attr_field(space_route, 6),
        attr_field(space_route, 7), attr_field(space_route, 7, true), attr_field(space_route, 15),
        attr_field(space_route, 18), attr_field(space_route, 18, true), attr_field(space_route, 30),
        member_field(struct_rtnexthop, 4), member_field(struct_rtnexthop, 3),
        member_field(struct_ifinfomsg, 4), member_field(struct_ifinfomsg, 8), attr_field(space_link, 3),
        attr_field(space_link, 4), attr_field(space_link, 10), attr_field(space_link, 16),
        attr_field(space_link, 5), attr_field(space_link, 1),
        member_field(struct_ifaddrmsg, 0), member_field(struct_ifaddrmsg, 1), member_field(struct_ifaddrmsg, 3),
        member_field(struct_ifaddrmsg, 4), attr_field(space_addr, 1), attr_field(space_addr, 1, true),
        attr_field(space_addr, 2), attr_field(space_addr, 2, true), attr_field(space_addr, 3),
        member_field(struct_ndmsg, 4), member_field(struct_ndmsg, 8), attr_field(space_neigh, 1),
        attr_field(space_neigh, 1, true), attr_field(space_neigh, 2),
        attr_field(space_extack, nl::NLMSGERR_ATTR_MSG),
    };
    return f;
}

// Each field of Fields gets a slot (1-based; 0: not a summary field), so that
// get() finds those in one step instead of scanning the message's items.
constexpr std::size_t kFieldSlots = sizeof(Fields) / sizeof(const FieldSpec*);
static_assert(kFieldSlots <= 64, "SummaryBuilder::slots_ holds 64");
const std::vector<std::uint8_t>& field_slots() {
    static const auto slots = [] {
        std::vector<std::uint8_t> t(schema::all_fields().size(), 0);
        const FieldSpec* list[kFieldSlots];
        std::memcpy(list, &fields(), sizeof list);  // Fields is only FieldSpec pointers
        for (std::size_t i = kFieldSlots; i-- > 0;)  // the first of duplicates wins
            if (list[i]) t[schema::field_index(list[i])] = static_cast<std::uint8_t>(i + 1);
        return t;
    }();
    return slots;
}


}  // namespace

std::string format_tc_handle(std::uint32_t h) {
    if (h == 0xffffffffu) return "root";
    if (h == 0xfffffff1u) return "ingress";
    if (h == 0) return "none";
    char buf[24];
    if ((h & 0xffff) == 0)
        std::snprintf(buf, sizeof buf, "%x:", h >> 16);
    else
        std::snprintf(buf, sizeof buf, "%x:%x", h >> 16, h & 0xffff);
    return buf;
}

namespace {
// Fields by name, for the families whose summaries need a few of them.
const FieldSpec* field_named(const char* abbrev) {
    static const auto index = [] {
        std::unordered_map<std::string_view, const FieldSpec*> m;
        for (const FieldSpec& f : schema::all_fields()) m.emplace(f.abbrev, &f);
        return m;
    }();
    auto it = index.find(abbrev);
    return it == index.end() ? nullptr : it->second;
}
}  // namespace

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
    if (collecting_) std::fill(std::begin(slots_), std::end(slots_), nullptr);  // read only for a line
    attr_depth_ = 0;
    nexthop_count_ = 0;
    in_nexthop_ = false;
    has_error_ = false;
    error_ = 0;
    have_echo_ = false;
    extack_msg_.clear();
}

void SummaryBuilder::message_end(const MessageView& m) {
    if (m.echoed) {
        if (echo_depth_) --echo_depth_;
        return;
    }
    if (lines_.size() < max_lines_) lines_.push_back(format_message());
    types_.push_back(m.header.type);
    have_msg_ = false;
    role_ = MessageRole::Unknown;
}

void SummaryBuilder::struct_begin(const StructSpec& s, std::size_t, std::size_t) {
    if (echo_depth_ || !collecting_ || &s != &schema::struct_rtnexthop) return;
    in_nexthop_ = nexthop_count_ < kMaxNexthops;
    if (in_nexthop_) nexthops_[nexthop_count_++].item = Nexthop{};
}

void SummaryBuilder::struct_end(const StructSpec& s) {
    // A nexthop's own attributes come before its struct_end; what follows is the route's again.
    if (!echo_depth_ && &s == &schema::struct_rtnexthop) in_nexthop_ = false;
}

void SummaryBuilder::struct_member(const FieldSpec& f, std::size_t, std::size_t, const Value& v) {
    if (!wants_member()) return;
    const Fields& F = fields();
    if (in_nexthop_ && nexthop_count_) {
        if (&f == F.rtnh_ifindex) nexthops_[nexthop_count_ - 1].item.ifindex = v.s;
        if (&f == F.rtnh_hops) nexthops_[nexthop_count_ - 1].item.hops = v.u;
        return;
    }
    // The family header's members; a struct attribute's (link statistics, devconf) say nothing here.
    if (attr_depth_ == 0) add_item(&f, v);
}

void SummaryBuilder::add_item(const FieldSpec* f, const Value& v) {
    if (item_count_ >= kMaxItems) return;
    item_fields_[item_count_] = f;
    item_values_[item_count_].item = v;
    if (const std::uint8_t slot = slot_of_[schema::field_index(f)]; slot && !slots_[slot - 1])
        slots_[slot - 1] = &item_values_[item_count_].item;  // the first wins, as in a scan
    ++item_count_;
}

void SummaryBuilder::attr_end(const AttrEvent&) {
    if (attr_depth_) --attr_depth_;
}

void SummaryBuilder::attr_begin(const AttrEvent& ev) {
    ++attr_depth_;
    if (echo_depth_ || !collecting_ || !ev.field) return;
    const Fields& F = fields();
    if (ev.field == F.extack_msg) {
        extack_msg_ = std::string(ev.value.str);
        return;
    }
    if (in_nexthop_ && nexthop_count_ && (ev.field == F.rta_gateway || ev.field == F.rta_gateway6)) {
        nexthops_[nexthop_count_ - 1].item.gateway = ev.value;
        return;
    }
    if (ev.depth == 0) add_item(ev.field, ev.value);  // the message's own attributes
}

void SummaryBuilder::error_code(std::int32_t error, std::size_t) {
    if (echo_depth_) return;
    has_error_ = true;
    error_ = error;
}

const Value* SummaryBuilder::get(const char* abbrev) const { return get(field_named(abbrev)); }

const Value* SummaryBuilder::get(const FieldSpec* f) const {
    if (!f) return nullptr;
    if (const std::uint8_t slot = slot_of_[schema::field_index(f)]) return slots_[slot - 1];
    for (std::size_t i = 0; i < item_count_; ++i)
        if (item_fields_[i] == f) return &item_values_[i].item;
    return nullptr;
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

std::string SummaryBuilder::format_message() const {
    const auto type = msg_.header.type;
    if (type == nl::NLMSG_ERROR) return format_error();
    std::string out = nl::message_type_name(type) ? nl::message_type_name(type) : "type " + std::to_string(type);
    if (type == nl::NLMSG_DONE) {
        if (has_error_ && error_ != 0) out += " " + format_error().substr(std::string("NLMSG_ERROR ").size());
        return out;
    }
    if (!msg_.spec) return out;
    const auto flags = msg_.header.flags;
    // Requests say what they ask for, in iproute2's verbs; the kernel's own
    // messages say whether they answer a request or announce a change.
    if (flags & nl::F_REQUEST) {
        switch (msg_.spec->verb) {
        case Verb::Get: out += (flags & nl::F_DUMP) == nl::F_DUMP ? " dump" : " get"; break;
        case Verb::New:
            out += (flags & nl::F_REPLACE) ? ((flags & nl::F_CREATE) ? " replace" : " change") : " add";
            break;
        case Verb::Del: out += " del"; break;
        case Verb::Set: out += " set"; break;
        case Verb::Other: break;
        }
    } else if (role_ == MessageRole::Reply) {
        out += " reply";
    } else if (role_ == MessageRole::Notification) {
        out += msg_.spec->verb == Verb::Del ? " deleted" : " notify";
    }
    std::string body;
    switch (type) {
    case 24: case 25: case 26: format_route(body); break;
    case 16: case 17: case 18: case 19: format_link(body); break;
    case 20: case 21: case 22: format_addr(body); break;
    case 28: case 29: case 30: format_neigh(body); break;
    case 32: case 33: case 34: body = format_rule(); break;
    case 104: case 105: case 106: body = format_nexthop(); break;
    case 36: case 37: case 38: case 40: case 41: case 42: case 44: case 45: case 46: case 100: case 101: case 102:
        body = format_tc(type);
        break;
    case 80: case 81: case 82: body = format_netconf(); break;
    case 72: case 73: case 74: case 84: case 85: case 86: case 88: case 89: case 90: body = format_misc(type); break;
    default: break;
    }
    if (!body.empty()) (out += ' ') += body;
    return out;
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
    const Fields& F = fields();
    Words w(out);
    const Value* family = get(F.rtm_family);
    const unsigned full = family && family->u == nl::FAMILY_INET6 ? 128 : 32;
    const Value* type = get(F.rtm_type);
    if (type && type->u != 1 && type->u != 0) append_enum_name(w.word(""), F.rtm_type->enums, type->u);  // not unicast
    const Value* dst = get(F.rta_dst) ? get(F.rta_dst) : get(F.rta_dst6);
    const Value* dst_len = get(F.rtm_dst_len);
    if (dst) {
        append_value(w.word(""), *dst);
        if (dst_len && dst_len->u != full) append_decimal(out += '/', dst_len->u);
    } else if (dst_len && dst_len->u == 0 && msg_.spec->verb != Verb::Get) {
        w.word("default");
    }
    if (const Value* src = get(F.rta_src) ? get(F.rta_src) : get(F.rta_src6)) w.value("from ", *src);
    if (const Value* gw = get(F.rta_gateway) ? get(F.rta_gateway) : get(F.rta_gateway6)) w.value("via ", *gw);
    if (const Value* via = get(F.rta_via) ? get(F.rta_via) : get(F.rta_via6)) w.value("via ", *via);
    if (const Value* nh = get(F.rta_nh_id)) w.value("nhid ", *nh);
    if (const Value* iif = get(F.rta_iif)) append_dev(w.word("iif "), static_cast<std::int64_t>(iif->u));
    if (const Value* oif = get(F.rta_oif)) append_dev(w.word("dev "), static_cast<std::int64_t>(oif->u));
    const Value* table = get(F.rta_table) ? get(F.rta_table) : get(F.rtm_table);
    if (table && table->u != 0) append_enum_name(w.word("table "), &schema::enum_rt_table, table->u);
    const Value* proto = get(F.rtm_protocol);
    if (proto && proto->u != 0) append_enum_name(w.word("proto "), &schema::enum_rt_protocol, proto->u);
    const Value* scope = get(F.rtm_scope);
    if (scope && scope->u != 0) append_enum_name(w.word("scope "), &schema::enum_rt_scope, scope->u);
    if (const Value* pref = get(F.rta_prefsrc) ? get(F.rta_prefsrc) : get(F.rta_prefsrc6)) w.value("src ", *pref);
    if (const Value* metric = get(F.rta_priority)) w.value("metric ", *metric);
    for (std::size_t i = 0; i < nexthop_count_; ++i) {
        const Nexthop& nh = nexthops_[i].item;
        w.word("nexthop");
        if (nh.gateway.tag != Value::Tag::None) append_value(out += " via ", nh.gateway);
        append_dev(out += " dev ", nh.ifindex);
        append_decimal(out += " weight ", nh.hops + 1);
    }
}

void SummaryBuilder::format_link(std::string& out) const {
    const Fields& F = fields();
    const Value* index = get(F.ifi_index);
    const Value* name = get(F.ifla_ifname);
    if (index && index->s != 0) append_value(out, *index) += ':';
    if (name) {
        if (!out.empty()) out += ' ';
        out += name->str;
        if (const Value* link = get(F.ifla_link); link && link->u) append_dev(out += '@', static_cast<std::int64_t>(link->u));
        out += ':';
    }
    if (const Value* flags = get(F.ifi_flags); flags && flags->u && F.ifi_flags->enums) {
        out += out.empty() ? "<" : " <";
        bool first = true;
        for (const auto& e : F.ifi_flags->enums->entries) {
            if (!(flags->u & e.value)) continue;
            if (!first) out += ',';
            first = false;
            const std::string_view constant = e.name;
            out += constant.size() > 4 ? constant.substr(4) : constant;  // IFF_
        }
        out += '>';
    }
    if (const Value* mtu = get(F.ifla_mtu)) append_value(out += " mtu ", *mtu);
    if (const Value* master = get(F.ifla_master)) append_dev(out += " master ", static_cast<std::int64_t>(master->u));
    if (const Value* state = get(F.ifla_operstate)) {
        out += " state ";
        const std::size_t at = out.size();
        append_enum_name(out, F.ifla_operstate->enums, state->u);
        for (std::size_t i = at; i < out.size(); ++i)
            out[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[i])));
    }
    if (const Value* addr = get(F.ifla_address)) append_value(out += " link ", *addr);
}

void SummaryBuilder::format_addr(std::string& out) const {
    const Fields& F = fields();
    if (const Value* index = get(F.ifa_index); index && index->u) {
        // ip monitor's "2: veth0 inet ...": the index, and the name when the capture gives it
        append_value(out, *index) += ':';
        if (names_)
            if (const LinkName* n = names_->find(netns_, static_cast<std::int64_t>(index->u))) (out += ' ') += n->shown;
    }
    const Value* family = get(F.ifa_family);
    const Value* addr = get(F.ifa_local) ? get(F.ifa_local) : get(F.ifa_local6);
    if (!addr) addr = get(F.ifa_address) ? get(F.ifa_address) : get(F.ifa_address6);
    if (family && family->u == nl::FAMILY_INET) out += " inet";
    if (family && family->u == nl::FAMILY_INET6) out += " inet6";
    if (addr) {
        append_value(out += ' ', *addr);
        if (const Value* plen = get(F.ifa_prefixlen)) append_value(out += '/', *plen);
    }
    if (const Value* scope = get(F.ifa_scope); scope && addr)
        append_enum_name(out += " scope ", &schema::enum_rt_scope, scope->u);
    if (const Value* label = get(F.ifa_label)) (out += ' ') += label->str;
    if (!out.empty() && out[0] == ' ') out.erase(0, 1);
}

// ip rule: "pref 100 from 10.0.0.0/8 to 192.168.0.0/16 iif veth0 fwmark 0x10/0xff lookup 100"
std::string SummaryBuilder::format_rule() const {
    std::string out;
    auto add = [&](const std::string& s) { out += (out.empty() ? "" : " ") + s; };
    if (const Value* pref = get("rtnl.fra.priority")) add("pref " + format_value(*pref));
    auto prefix = [&](const char* v4, const char* v6, const char* len_field, const char* word) {
        const Value* a = get(v4) ? get(v4) : get(v6);
        const Value* len = get(len_field);
        if (a && a->tag != Value::Tag::Bytes) add(std::string(word) + " " + format_value(*a) + "/" +
                                                  (len ? format_value(*len) : "?"));
    };
    prefix("rtnl.fra.src", "rtnl.fra.src6", "rtnl.frh.src_len", "from");
    prefix("rtnl.fra.dst", "rtnl.fra.dst6", "rtnl.frh.dst_len", "to");
    if (const Value* v = get("rtnl.fra.iifname")) add("iif " + format_value(*v));
    if (const Value* v = get("rtnl.fra.oifname")) add("oif " + format_value(*v));
    if (const Value* v = get("rtnl.fra.fwmark")) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "fwmark 0x%llx", static_cast<unsigned long long>(v->u));
        add(buf);
    }
    const Value* action = get("rtnl.frh.action");
    const std::uint64_t act = action ? action->u : 1;
    if (act == 1) {  // FR_ACT_TO_TBL
        const Value* table = get("rtnl.fra.table") ? get("rtnl.fra.table") : get("rtnl.frh.table");
        if (table && table->u) add("lookup " + enum_name(&schema::enum_rt_table, table->u));
    } else if (act == 2) {
        const Value* target = get("rtnl.fra.goto");
        add("goto " + (target ? format_value(*target) : std::string("?")));
    } else if (action && act) {
        add(enum_name(field_named("rtnl.frh.action")->enums, act));
    }
    return out;
}

// ip nexthop: "id 1 via 10.1.0.2 dev veth0 proto boot", "id 3 group 1/2", "id 4 blackhole"
std::string SummaryBuilder::format_nexthop() const {
    std::string out;
    auto add = [&](const std::string& s) { out += (out.empty() ? "" : " ") + s; };
    if (const Value* id = get("rtnl.nha.id")) add("id " + format_value(*id));
    if (get("rtnl.nha.group")) add("group");
    if (const Value* gw = get("rtnl.nha.gateway") ? get("rtnl.nha.gateway") : get("rtnl.nha.gateway6"))
        add("via " + format_value(*gw));
    if (const Value* oif = get("rtnl.nha.oif")) add("dev " + dev(static_cast<std::int64_t>(oif->u)));
    if (get("rtnl.nha.blackhole")) add("blackhole");
    if (get("rtnl.nha.fdb")) add("fdb");
    if (const Value* proto = get("rtnl.nhm.protocol"); proto && proto->u)
        add("proto " + enum_name(&schema::enum_rt_protocol, proto->u));
    return out;
}

// tc: "qdisc htb 1: dev veth0 root", "class htb 1:10 dev veth0 parent 1:",
// "filter dev veth0 parent 1: protocol ip pref 49152 u32"
std::string SummaryBuilder::format_tc(std::uint16_t type) const {
    std::string out;
    auto add = [&](const std::string& s) { out += (out.empty() ? "" : " ") + s; };
    const bool filter = (type >= 44 && type <= 46) || (type >= 100 && type <= 102);
    const Value* kind = get("rtnl.tca.kind");
    if (!filter && kind) add(format_value(*kind));
    if (const Value* handle = get("rtnl.tcm.handle"); handle && handle->u && !filter)
        add(format_tc_handle(static_cast<std::uint32_t>(handle->u)));
    if (const Value* ifindex = get("rtnl.tcm.ifindex"); ifindex && ifindex->s > 0) add("dev " + dev(ifindex->s));
    if (const Value* parent = get("rtnl.tcm.parent")) {
        const auto p = static_cast<std::uint32_t>(parent->u);
        if (p == 0xffffffffu || p == 0xfffffff1u)
            add(format_tc_handle(p));
        else if (p)
            add("parent " + format_tc_handle(p));
    }
    if (filter) {
        if (const Value* info = get("rtnl.tcm.info"); info && info->u) {
            const auto proto_be = static_cast<std::uint16_t>(info->u & 0xffff);
            const auto proto = static_cast<std::uint16_t>((proto_be >> 8) | (proto_be << 8));
            const char* name = proto == 0x0800 ? "ip" : proto == 0x86dd ? "ipv6" : proto == 0x0003 ? "all"
                             : proto == 0x0806 ? "arp" : proto == 0x8100 ? "802.1Q" : nullptr;
            char buf[16];
            std::snprintf(buf, sizeof buf, "0x%04x", proto);
            if (proto) add(std::string("protocol ") + (name ? name : buf));
            add("pref " + std::to_string(info->u >> 16));
        }
        if (kind) add(format_value(*kind));
        if (const Value* handle = get("rtnl.tcm.handle"); handle && handle->u) {
            char buf[32];  // "handle 0x" + 16 hex digits + NUL
            std::snprintf(buf, sizeof buf, "handle 0x%llx", static_cast<unsigned long long>(handle->u));
            add(buf);
        }
    }
    if (const Value* chain = get("rtnl.tca.chain")) add("chain " + format_value(*chain));
    return out;
}

// ip netconf: "inet dev veth0 forwarding on rp_filter off mc_forwarding off"
std::string SummaryBuilder::format_netconf() const {
    std::string out;
    auto add = [&](const std::string& s) { out += (out.empty() ? "" : " ") + s; };
    if (const Value* fam = get("rtnl.ncm.family"))
        add(fam->u == nl::FAMILY_INET ? "inet" : fam->u == nl::FAMILY_INET6 ? "inet6"
                                                 : enum_name(&schema::enum_address_family, fam->u));
    if (const Value* ifindex = get("rtnl.netconfa.ifindex")) {
        const std::int64_t i = ifindex->s;
        add(i == -1 ? "all" : i == -2 ? "default" : "dev " + dev(i));
    }
    static const char* const knobs[][2] = {{"rtnl.netconfa.forwarding", "forwarding"},
                                           {"rtnl.netconfa.rp_filter", "rp_filter"},
                                           {"rtnl.netconfa.mc_forwarding", "mc_forwarding"},
                                           {"rtnl.netconfa.proxy_neigh", "proxy_neigh"},
                                           {"rtnl.netconfa.ignore_routes_with_linkdown", "ignore_routes_with_linkdown"}};
    for (const auto& k : knobs)
        if (const Value* v = get(k[0])) add(std::string(k[1]) + (v->s ? " on" : " off"));
    return out;
}

// nsid, address labels, mdb: the identifying values.
std::string SummaryBuilder::format_misc(std::uint16_t type) const {
    std::string out;
    auto add = [&](const std::string& s) { out += (out.empty() ? "" : " ") + s; };
    if (type >= 88) {  // nsid
        if (const Value* id = get("rtnl.netnsa.nsid")) add("nsid " + format_value(*id));
        if (const Value* pid = get("rtnl.netnsa.pid")) add("pid " + format_value(*pid));
        if (const Value* fd = get("rtnl.netnsa.fd")) add("fd " + format_value(*fd));
    } else if (type >= 84) {  // mdb
        if (const Value* ifindex = get("rtnl.bpm.ifindex"); ifindex && ifindex->u)
            add("dev " + dev(static_cast<std::int64_t>(ifindex->u)));
    } else {  // address labels
        if (const Value* a = get("rtnl.ifal.address")) {
            std::string p = "prefix " + format_value(*a);
            if (const Value* len = get("rtnl.ifal.prefixlen")) p += "/" + format_value(*len);
            add(p);
        }
        if (const Value* ifindex = get("rtnl.ifal.index"); ifindex && ifindex->u)
            add("dev " + dev(static_cast<std::int64_t>(ifindex->u)));
        if (const Value* label = get("rtnl.ifal.label")) add("label " + format_value(*label));
    }
    return out;
}

void SummaryBuilder::format_neigh(std::string& out) const {
    const Fields& F = fields();
    if (const Value* dst = get(F.nda_dst) ? get(F.nda_dst) : get(F.nda_dst6)) append_value(out, *dst);
    if (const Value* dev = get(F.ndm_ifindex); dev && dev->s != 0) append_dev(out += out.empty() ? "dev " : " dev ", dev->s);
    if (const Value* ll = get(F.nda_lladdr)) append_value(out += " lladdr ", *ll);
    if (const Value* state = get(F.ndm_state); state && state->u) {
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
        const std::uint32_t e = error_ < 0 ? static_cast<std::uint32_t>(-static_cast<std::int64_t>(error_)) : 0;
        if (const ErrnoName* n = find_errno(e))
            out += std::string(n->name) + " (" + n->text + ")";
        else
            out += "error " + std::to_string(error_);
    }
    if (have_echo_) {
        const char* req = nl::message_type_name(echoed_.type);
        out += " for " + (req ? std::string(req) : "type " + std::to_string(echoed_.type));
        out += " seq " + std::to_string(echoed_.seq);
    }
    if (!extack_msg_.empty()) out += ": \"" + extack_msg_ + "\"";
    return out;
}

std::string SummaryBuilder::packet_line() const {
    if (lines_.empty()) return {};
    const std::size_t count = types_.size();  // lines_ may hold only the first ones
    if (count <= 3 || lines_.size() < 2) {
        std::string out = lines_[0];
        for (std::size_t i = 1; i < lines_.size(); ++i) out += " | " + lines_[i];
        return out;
    }
    std::map<std::string, std::size_t> by_type;
    for (auto t : types_) {
        const char* n = nl::message_type_name(t);
        ++by_type[n ? n : "type " + std::to_string(t)];
    }
    std::string out = lines_[0] + " | " + lines_[1] + " | +" + std::to_string(count - 2) + " more (";
    bool first = true;
    for (const auto& [name, count] : by_type) {
        out += (first ? "" : ", ") + std::to_string(count) + " " + name;
        first = false;
    }
    return out + ")";
}

}  // namespace rtnl
