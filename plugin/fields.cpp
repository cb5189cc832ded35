#include "fields.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "rtnl/errno_names.hpp"
#include "rtnl/netlink.hpp"
#include "rtnl/summary.hpp"

namespace rtnl::plugin {

namespace {

// Wireshark keeps pointers into everything registered: these live for the
// life of the process and never move (deque keeps element addresses).
std::deque<std::string> g_strings;
std::deque<std::vector<value_string>> g_value_strings;
std::deque<int> g_ids;
std::vector<hf_register_info> g_hf;
std::vector<gint*> g_ett;

const char* keep(std::string s) {
    g_strings.push_back(std::move(s));
    return g_strings.back().c_str();
}

int* new_id() {
    g_ids.push_back(-1);
    return &g_ids.back();
}

void add_hf(int* id, const char* name, const char* abbrev, ftenum type, int display,
            const void* strings = nullptr, guint64 bitmask = 0, const char* blurb = nullptr) {
    hf_register_info hf{};
    hf.p_id = id;
    hf.hfinfo.name = name;
    hf.hfinfo.abbrev = abbrev;
    hf.hfinfo.type = type;
    hf.hfinfo.display = display;
    hf.hfinfo.strings = strings;
    hf.hfinfo.bitmask = bitmask;
    hf.hfinfo.blurb = blurb;
    hf.hfinfo.id = -1;
    hf.hfinfo.parent = 0;
    hf.hfinfo.ref_type = HF_REF_TYPE_NONE;
    hf.hfinfo.same_name_prev_id = -1;
    hf.hfinfo.same_name_next = nullptr;
    g_hf.push_back(hf);
}

const value_string* vals(std::vector<value_string> v) {
    v.push_back({0, nullptr});
    g_value_strings.push_back(std::move(v));
    return g_value_strings.back().data();
}

const value_string* enum_vals(const EnumSpec* e) {
    static std::map<const EnumSpec*, const value_string*> cache;
    if (!e) return nullptr;
    auto it = cache.find(e);
    if (it != cache.end()) return it->second;
    std::vector<value_string> v;
    for (const auto& entry : e->entries)
        if (entry.value <= 0xffffffffu) v.push_back({static_cast<guint32>(entry.value), entry.name});
    return cache[e] = vals(std::move(v));
}

ftenum ftype_of(Kind k) {
    switch (k) {
    case Kind::U8: return FT_UINT8;
    case Kind::U16: return FT_UINT16;
    case Kind::U32: case Kind::BitField32: return FT_UINT32;
    case Kind::U64: case Kind::UInt: return FT_UINT64;
    case Kind::S8: return FT_INT8;
    case Kind::S16: return FT_INT16;
    case Kind::S32: return FT_INT32;
    case Kind::S64: return FT_INT64;
    case Kind::String: return FT_STRING;
    case Kind::Mac: return FT_ETHER;
    case Kind::Ipv4: return FT_IPv4;
    case Kind::Ipv6: return FT_IPv6;
    case Kind::Binary: case Kind::Pad: case Kind::Unused: return FT_BYTES;
    default: return FT_NONE;  // Flag, nests, structs: the node itself
    }
}

int bit_width(Kind k) {
    switch (k) {
    case Kind::U8: case Kind::S8: return 8;
    case Kind::U16: case Kind::S16: return 16;
    case Kind::U64: case Kind::S64: case Kind::UInt: return 64;
    default: return 32;
    }
}

// tc handles as tc prints them: 1:10, root, ingress.
void format_tc_handle_label(gchar* buf, guint32 value) {
    snprintf(buf, ITEM_LABEL_LENGTH, "%s (0x%08x)", rtnl::format_tc_handle(value).c_str(), value);
}

// Rates as tc prints them, with the bytes per second the kernel keeps; times with their unit.
void format_rate_label(gchar* buf, guint32 value) {
    snprintf(buf, ITEM_LABEL_LENGTH, "%s (%u bytes/s)", rtnl::format_rate(value).c_str(), value);
}
void format_rate64_label(gchar* buf, guint64 value) {
    snprintf(buf, ITEM_LABEL_LENGTH, "%s (%" G_GUINT64_FORMAT " bytes/s)", rtnl::format_rate(value).c_str(), value);
}
void format_msecs_label(gchar* buf, guint32 value) { snprintf(buf, ITEM_LABEL_LENGTH, "%u ms", value); }
void format_msecs64_label(gchar* buf, guint64 value) {
    snprintf(buf, ITEM_LABEL_LENGTH, "%" G_GUINT64_FORMAT " ms", value);
}

bool is_integer(ftenum t) {
    return t == FT_UINT8 || t == FT_UINT16 || t == FT_UINT32 || t == FT_UINT64 || t == FT_INT8 || t == FT_INT16
        || t == FT_INT32 || t == FT_INT64;
}

}  // namespace

FieldRegistry& registry() {
    static FieldRegistry r;
    return r;
}

void FieldRegistry::register_all(int proto) {
    FixedFields& F = fixed_;
    // Message types by name: NLMSG_* and every RTM_* of the schema.
    std::vector<value_string> types = {{nl::NLMSG_NOOP, "NLMSG_NOOP"}, {nl::NLMSG_ERROR, "NLMSG_ERROR"},
                                       {nl::NLMSG_DONE, "NLMSG_DONE"}, {nl::NLMSG_OVERRUN, "NLMSG_OVERRUN"}};
    for (const auto& m : schema::message_types()) types.push_back({m.type, m.name});
    const value_string* type_vals = vals(std::move(types));
    std::vector<value_string> errnos;  // never 0: an ACK carries rtnl.ack, not rtnl.errno
    for (const auto& e : all_errnos()) errnos.push_back({e.number, keep(std::string(e.name) + ", " + e.text)});
    const value_string* errno_vals = vals(std::move(errnos));
    const value_string* pkttype_vals = vals({{0, "PACKET_HOST (to the process)"}, {1, "PACKET_BROADCAST"},
                                             {2, "PACKET_MULTICAST"}, {3, "PACKET_OTHERHOST"},
                                             {4, "PACKET_OUTGOING (sent by the process)"}});
    const value_string* family_vals = vals({{0, "NETLINK_ROUTE"}, {4, "NETLINK_SOCK_DIAG"}, {9, "NETLINK_AUDIT"},
                                            {12, "NETLINK_NETFILTER"}, {15, "NETLINK_KOBJECT_UEVENT"},
                                            {16, "NETLINK_GENERIC"}});

    struct Bit {
        int* id;
        const char* name;
        const char* abbrev;
        guint64 mask;
    };
    const Bit bits[] = {
        {&F.flag_request, "NLM_F_REQUEST", "rtnl.flags.request", nl::F_REQUEST},
        {&F.flag_multi, "NLM_F_MULTI", "rtnl.flags.multi", nl::F_MULTI},
        {&F.flag_ack, "NLM_F_ACK", "rtnl.flags.ack", nl::F_ACK},
        {&F.flag_echo, "NLM_F_ECHO", "rtnl.flags.echo", nl::F_ECHO},
        {&F.flag_dump_intr, "NLM_F_DUMP_INTR", "rtnl.flags.dump_intr", nl::F_DUMP_INTR},
        {&F.flag_dump_filtered, "NLM_F_DUMP_FILTERED", "rtnl.flags.dump_filtered", nl::F_DUMP_FILTERED},
        {&F.flag_root, "NLM_F_ROOT", "rtnl.flags.root", nl::F_ROOT},
        {&F.flag_match, "NLM_F_MATCH", "rtnl.flags.match", nl::F_MATCH},
        {&F.flag_atomic, "NLM_F_ATOMIC", "rtnl.flags.atomic", nl::F_ATOMIC},
        {&F.flag_replace, "NLM_F_REPLACE", "rtnl.flags.replace", nl::F_REPLACE},
        {&F.flag_excl, "NLM_F_EXCL", "rtnl.flags.excl", nl::F_EXCL},
        {&F.flag_create, "NLM_F_CREATE", "rtnl.flags.create", nl::F_CREATE},
        {&F.flag_append, "NLM_F_APPEND", "rtnl.flags.append", nl::F_APPEND},
        {&F.flag_nonrec, "NLM_F_NONREC", "rtnl.flags.nonrec", nl::F_NONREC},
        {&F.flag_bulk, "NLM_F_BULK", "rtnl.flags.bulk", nl::F_BULK},
        {&F.flag_capped, "NLM_F_CAPPED", "rtnl.flags.capped", nl::F_CAPPED},
        {&F.flag_ack_tlvs, "NLM_F_ACK_TLVS", "rtnl.flags.ack_tlvs", nl::F_ACK_TLVS},
    };
    // Every registration in one allocation: the schema's fields, their flag bits, the fixed ones.
    std::size_t count = std::size(bits) + 64;
    for (const FieldSpec& f : schema::all_fields()) count += 1 + (f.bitmask && f.enums ? f.enums->entries.size() : 0);
    g_hf.reserve(count);
    for (const Bit& b : bits) add_hf(b.id, b.name, b.abbrev, FT_BOOLEAN, 16, nullptr, b.mask, b.name);

    // The fields no schema table describes, one line each.
    struct Fixed {
        int* id;
        const char* name;
        const char* abbrev;
        ftenum type;
        int display;
        const void* strings;
        guint64 bitmask;
        const char* blurb;
    };
    const Fixed fixed[] = {
        {&F.cooked_pkttype, "Packet type", "rtnl.cooked.pkttype", FT_UINT16, BASE_DEC, pkttype_vals, 0, "nlmon header: packet type"},
        {&F.cooked_hatype, "Link-layer address type", "rtnl.cooked.hatype", FT_UINT16, BASE_DEC, nullptr, 0, "nlmon header: ARPHRD_NETLINK (824)"},
        {&F.cooked_protocol, "Netlink family", "rtnl.cooked.protocol", FT_UINT16, BASE_DEC, family_vals, 0, "nlmon header: netlink protocol of the socket"},
        {&F.msg, "Netlink message", "rtnl.msg", FT_NONE, BASE_NONE, nullptr, 0, "One netlink message"},
        {&F.len, "Length", "rtnl.len", FT_UINT32, BASE_DEC, nullptr, 0, "nlmsghdr.nlmsg_len"},
        {&F.type, "Message type", "rtnl.type", FT_UINT16, BASE_DEC, type_vals, 0, "nlmsghdr.nlmsg_type"},
        {&F.flags, "Flags", "rtnl.flags", FT_UINT16, BASE_HEX, nullptr, 0, "nlmsghdr.nlmsg_flags"},
        {&F.seq, "Sequence number", "rtnl.seq", FT_UINT32, BASE_DEC, nullptr, 0, "nlmsghdr.nlmsg_seq"},
        {&F.pid, "Port ID", "rtnl.pid", FT_UINT32, BASE_DEC, nullptr, 0, "nlmsghdr.nlmsg_pid"},
        {&F.error, "Error (as sent)", "rtnl.error", FT_INT32, BASE_DEC, nullptr, 0, "nlmsgerr.error"},
        {&F.errno_, "Errno", "rtnl.errno", FT_UINT32, BASE_DEC, errno_vals, 0, "-nlmsgerr.error of an error reply or a failed dump's NLMSG_DONE, by name (never on an ACK)"},
        {&F.ack, "ACK", "rtnl.ack", FT_BOOLEAN, BASE_NONE, nullptr, 0, "NLMSG_ERROR with error 0: the kernel accepted the request"},
        {&F.echoed, "Original request", "rtnl.echoed", FT_NONE, BASE_NONE, nullptr, 0, "nlmsgerr.msg: the request the kernel answers"},
        {&F.extack, "Extended ACK", "rtnl.extack", FT_NONE, BASE_NONE, nullptr, 0, "NLMSGERR_ATTR_* after nlmsgerr"},
        {&F.extack_target, "Offending attribute", "rtnl.extack.target", FT_STRING, BASE_NONE, nullptr, 0, "The request attribute NLMSGERR_ATTR_OFFS points at"},
        {&F.attr, "Attribute", "rtnl.attr", FT_NONE, BASE_NONE, nullptr, 0, "An attribute the schema does not know, or not decodable as its type"},
        {&F.attr_len, "Attribute length", "rtnl.attr.len", FT_UINT16, BASE_DEC, nullptr, 0, "nlattr.nla_len"},
        {&F.attr_type, "Attribute type", "rtnl.attr.type", FT_UINT16, BASE_DEC, nullptr, nl::NLA_TYPE_MASK, "nlattr.nla_type"},
        {&F.attr_nested, "NLA_F_NESTED", "rtnl.attr.nested", FT_BOOLEAN, 16, nullptr, nl::NLA_F_NESTED, "NLA_F_NESTED"},
        {&F.attr_net_byteorder, "NLA_F_NET_BYTEORDER", "rtnl.attr.net_byteorder", FT_BOOLEAN, 16, nullptr, nl::NLA_F_NET_BYTEORDER, "NLA_F_NET_BYTEORDER"},
        {&F.attr_data, "Attribute data", "rtnl.attr.data", FT_BYTES, BASE_NONE, nullptr, 0, "Payload kept as bytes"},
        {&F.oif, "Output interface (any)", "rtnl.oif", FT_UINT32, BASE_DEC, nullptr, 0, "RTA_OIF, a multipath nexthop's interface, or NHA_OIF"},
        {&F.ifindex, "Interface index (any)", "rtnl.ifindex", FT_UINT32, BASE_DEC, nullptr, 0, "Any interface index in the message"},
        {&F.ifname, "Interface name (any)", "rtnl.ifname", FT_STRING, BASE_NONE, nullptr, 0, "Any interface name in the message"},
        {&F.addr, "IPv4 address (any)", "rtnl.addr", FT_IPv4, BASE_NONE, nullptr, 0, "Any IPv4 address in the message"},
        {&F.oif_name, "Output interface name", "rtnl.oif.name", FT_STRING, BASE_NONE, nullptr, 0, "Name of rtnl.oif, learned from the links in the capture"},
        {&F.ifindex_name, "Interface name of an index", "rtnl.ifindex.name", FT_STRING, BASE_NONE, nullptr, 0, "Name of rtnl.ifindex, learned from the links in the capture"},
        {&F.response_in, "Response in", "rtnl.response_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0, "A frame answering this request (dump part, DONE, ACK, error)"},
        {&F.request_in, "Request in", "rtnl.request_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0, "The request this message answers"},
        {&F.response_time, "Response time", "rtnl.response_time", FT_RELATIVE_TIME, BASE_NONE, nullptr, 0, "From the request to its first answer"},
        {&F.failed, "Request failed", "rtnl.failed", FT_UINT32, BASE_DEC, errno_vals, 0, "The kernel answered the request with this errno"},
        {&F.unanswered, "Unanswered request", "rtnl.unanswered", FT_NONE, BASE_NONE, nullptr, 0, "NLM_F_ACK or a GET, and no answer in the capture"},
        {&F.addr6, "IPv6 address (any)", "rtnl.addr6", FT_IPv6, BASE_NONE, nullptr, 0, "Any IPv6 address in the message"},
    };
    for (const Fixed& f : fixed) add_hf(f.id, f.name, f.abbrev, f.type, f.display, f.strings, f.bitmask, f.blurb);

    // Every schema field, and one boolean per flag bit of bitmask fields.
    const auto fields = schema::all_fields();
    by_field_.assign(fields.size(), {});
    std::vector<std::pair<std::size_t, std::vector<int*>>> pending_bits;
    std::vector<int*> field_ids(fields.size());
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const FieldSpec& f = fields[i];
        const bool member = std::string_view(f.constant).find('.') != std::string_view::npos;
        const char* name = member ? f.label : keep(std::string(f.label) + " (" + f.constant + ")");
        const ftenum type = ftype_of(f.kind);
        int display = BASE_NONE;
        const void* strings = nullptr;
        if (is_integer(type)) {
            display = f.base == Base::Hex ? BASE_HEX : BASE_DEC;
            if (f.enums && !f.bitmask && type != FT_UINT64 && type != FT_INT64) strings = enum_vals(f.enums);
            if (f.base == Base::TcHandle && type == FT_UINT32) {
                display = BASE_CUSTOM;
                strings = CF_FUNC(format_tc_handle_label);
            }
            const bool unsigned32 = type == FT_UINT8 || type == FT_UINT16 || type == FT_UINT32;
            if ((f.base == Base::Rate || f.base == Base::Msecs) && (unsigned32 || type == FT_UINT64)) {
                display = BASE_CUSTOM;
                if (f.base == Base::Rate)
                    strings = unsigned32 ? CF_FUNC(format_rate_label) : CF_FUNC(format_rate64_label);
                else
                    strings = unsigned32 ? CF_FUNC(format_msecs_label) : CF_FUNC(format_msecs64_label);
            }
        }
        field_ids[i] = new_id();
        // The blurb carries the kernel constant (docs/fields.md shows it).
        add_hf(field_ids[i], name, f.abbrev, type, display, strings, 0, f.constant);
        if (f.bitmask && f.enums && is_integer(type)) {
            std::vector<int*> ids;
            for (const auto& e : f.enums->entries) {
                int* id = new_id();
                ids.push_back(id);
                add_hf(id, e.name, keep(std::string(f.abbrev) + "." + e.short_name), FT_BOOLEAN, bit_width(f.kind),
                       nullptr, e.value, e.name);
            }
            pending_bits.emplace_back(i, std::move(ids));
        }
    }
    const int* ett_ids[] = {&F.ett_rtnl, &F.ett_cooked, &F.ett_msg, &F.ett_flags, &F.ett_attr, &F.ett_struct,
                            &F.ett_echoed, &F.ett_bits};
    for (const int* e : ett_ids) g_ett.push_back(const_cast<gint*>(e));

    proto_register_field_array(proto, g_hf.data(), static_cast<int>(g_hf.size()));
    proto_register_subtree_array(g_ett.data(), static_cast<int>(g_ett.size()));

    for (std::size_t i = 0; i < fields.size(); ++i) by_field_[i].hf = *field_ids[i];
    for (auto& [index, ids] : pending_bits)
        for (int* id : ids) by_field_[index].bits.push_back(*id);
    for (Registered& r : by_field_) {
        r.infos.push_back(proto_registrar_get_nth(r.hf));
        for (int bit : r.bits) r.infos.push_back(proto_registrar_get_nth(bit));
    }
    for (int hf : {F.len, F.type, F.flags, F.seq, F.pid}) header_infos_.push_back(proto_registrar_get_nth(hf));
    for (const Bit& b : bits) header_infos_.push_back(proto_registrar_get_nth(*b.id));
}

bool FieldRegistry::text_referenced() const {
    if (!text_info_) text_info_ = proto_registrar_get_byname("text");
    return !text_info_ || text_info_->ref_type != HF_REF_TYPE_NONE;  // unknown: as if it were
}

void FieldRegistry::prime(proto_tree* tree) const {
    primed_now_.clear();
    if (GHashTable* hfids = tree ? PTREE_DATA(tree)->interesting_hfids : nullptr) {
        GHashTableIter it;
        gpointer key;
        g_hash_table_iter_init(&it, hfids);
        while (g_hash_table_iter_next(&it, &key, nullptr)) primed_now_.push_back(GPOINTER_TO_INT(key));
        std::sort(primed_now_.begin(), primed_now_.end());
    }
    if (primed_now_ == primed_) return;
    primed_.swap(primed_now_);
    inside_.clear();
    members_.clear();
}

bool FieldRegistry::members_wanted(const StructSpec& s) const {
    auto it = members_.find(&s);
    if (it != members_.end()) return it->second;
    bool any = false;
    for (const StructMember& m : s.members)
        if (m.field && (m.field->feeds || referenced(*m.field))) any = true;
    members_.emplace(&s, any);
    return any;
}

bool FieldRegistry::referenced_inside(const AttrEvent& ev) const {
    const AttrSpace* entries = ev.array_entry && !ev.spec ? ev.space : nullptr;
    const void* key = entries ? static_cast<const void*>(entries) : ev.spec;
    auto it = inside_.find(key);
    if (it != inside_.end()) return it->second;
    bool any = false;
    for (const header_field_info* info : collect_inside(ev.spec, entries))
        if (info->ref_type != HF_REF_TYPE_NONE) any = true;
    inside_.emplace(key, any);
    return any;
}

std::vector<const header_field_info*> FieldRegistry::collect_inside(const AttrSpec* spec, const AttrSpace* entries) const {
    const FixedFields& F = fixed_;
    std::set<int> hfs = {F.attr, F.attr_len, F.attr_type, F.attr_nested, F.attr_net_byteorder, F.attr_data};
    std::set<const void*> seen;  // spaces and structs already collected (spaces may nest themselves)
    auto add_field = [&](const FieldSpec* f) {
        if (!f) return;
        for (const header_field_info* info : of(*f).infos) hfs.insert(info->id);
        // What add_convenience and add_names put beside a feeding field.
        if (f->feeds & kFeedOif) hfs.insert({F.oif, F.oif_name, F.ifindex_name, F.ifname});
        if (f->feeds & kFeedIfindex) hfs.insert({F.ifindex, F.ifindex_name, F.ifname});
        if (f->feeds & kFeedIfname) hfs.insert(F.ifname);
        if (f->feeds & kFeedAddr) hfs.insert({F.addr, F.addr6});
    };
    auto add_struct = [&](const StructSpec* s) {
        if (!s || !seen.insert(s).second) return;
        for (const StructMember& m : s->members) add_field(m.field);
    };
    std::function<void(const AttrSpace*)> add_space;
    auto add_attr = [&](const AttrSpec& a) {
        add_field(a.field);
        add_field(a.field6);
        add_struct(a.structure);
        add_space(a.nested);
        if (a.sub_message)
            for (const SubMessageFormat& format : a.sub_message->formats) {
                add_space(format.space);
                add_struct(format.fixed_header);
            }
    };
    add_space = [&](const AttrSpace* space) {
        if (!space || !seen.insert(space).second) return;
        for (const AttrSpec& a : space->attrs) add_attr(a);
    };
    if (spec) add_attr(*spec);  // its own field too: the nest's item is there either way
    add_space(entries);
    std::vector<const header_field_info*> infos;
    for (int hf : hfs) infos.push_back(proto_registrar_get_nth(static_cast<guint>(hf)));
    return infos;
}

std::span<int* const> FieldRegistry::header_flag_bits(std::uint16_t type, bool request) const {
    // Five sets, built once (every message asks; the hf ids they point to
    // are filled in at registration).
    enum { Base, Error, Get, NewSet, Del, Count };
    static const std::array<std::vector<int*>, Count> sets = [this] {
        FixedFields& F = const_cast<FixedFields&>(fixed_);
        std::array<std::vector<int*>, Count> s;
        for (auto& v : s)
            v = {&F.flag_request, &F.flag_multi, &F.flag_ack, &F.flag_echo, &F.flag_dump_intr, &F.flag_dump_filtered};
        s[Error].insert(s[Error].end(), {&F.flag_capped, &F.flag_ack_tlvs});
        s[Get].insert(s[Get].end(), {&F.flag_root, &F.flag_match, &F.flag_atomic});
        s[NewSet].insert(s[NewSet].end(), {&F.flag_replace, &F.flag_excl, &F.flag_create, &F.flag_append});
        s[Del].insert(s[Del].end(), {&F.flag_nonrec, &F.flag_bulk});
        return s;
    }();
    int set = Base;
    if (type == nl::NLMSG_ERROR) {
        set = Error;
    } else if (const MessageTypeSpec* m = schema::find_message_type(type); m && request) {
        switch (m->verb) {
        case Verb::Get: set = Get; break;
        case Verb::New: case Verb::Set: set = NewSet; break;
        case Verb::Del: set = Del; break;
        default: break;
        }
    }
    return sets[set];
}

}  // namespace rtnl::plugin
