#include "catch.hpp"

#include <cctype>
#include <map>
#include <set>
#include <string>

#include "rtnl/events.hpp"
#include "rtnl/schema.hpp"

using namespace rtnl;

namespace {
std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
}  // namespace

TEST_CASE("field abbreviations are unique, well-formed and labelled") {
    std::set<std::string> seen;
    for (const FieldSpec& f : schema::all_fields()) {
        const std::string abbrev = f.abbrev;
        INFO(abbrev);
        CHECK(seen.insert(abbrev).second);
        CHECK(abbrev.rfind("rtnl.", 0) == 0);
        CHECK(std::string(f.label).size() > 0);
        CHECK(std::string(f.constant).size() > 0);
        for (char c : abbrev) CHECK((std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '_'));
    }
    CHECK(seen.size() > 1000);
}

TEST_CASE("attribute field names follow the constants mechanically (docs/design.md)") {
    // RTA_OIF -> rtnl.rta.oif: prefix lower-cased with '_' -> '.', rest lower-cased.
    for (const AttrSpace* space : schema::all_spaces()) {
        const std::string prefix = space->prefix;
        for (const AttrSpec& a : space->attrs) {
            if (!a.field) continue;
            const std::string constant = a.field->constant;
            INFO(constant);
            REQUIRE(constant.rfind(prefix, 0) == 0);
            std::string dotted = lower(prefix.substr(0, prefix.size() - 1));
            for (auto& c : dotted) if (c == '_') c = '.';
            if (space == &schema::space_extack) dotted = "extack";  // docs/design.md: rtnl.extack.msg
            const std::string expect = "rtnl." + dotted + "." + lower(constant.substr(prefix.size()));
            CHECK(std::string(a.field->abbrev) == expect);
            if (a.field6) CHECK(std::string(a.field6->abbrev) == expect + "6");
        }
    }
}

TEST_CASE("every RTA_* of the current uapi is typed") {
    const std::map<int, std::pair<std::string, Kind>> expected = {
        {1, {"RTA_DST", Kind::IpAddr}},       {2, {"RTA_SRC", Kind::IpAddr}},
        {3, {"RTA_IIF", Kind::U32}},          {4, {"RTA_OIF", Kind::U32}},
        {5, {"RTA_GATEWAY", Kind::IpAddr}},   {6, {"RTA_PRIORITY", Kind::U32}},
        {7, {"RTA_PREFSRC", Kind::IpAddr}},   {8, {"RTA_METRICS", Kind::Nest}},
        {9, {"RTA_MULTIPATH", Kind::Multipath}}, {11, {"RTA_FLOW", Kind::U32}},
        {12, {"RTA_CACHEINFO", Kind::Struct}}, {15, {"RTA_TABLE", Kind::U32}},
        {16, {"RTA_MARK", Kind::U32}},         {18, {"RTA_VIA", Kind::RtVia}},
        {20, {"RTA_PREF", Kind::U8}},          {21, {"RTA_ENCAP_TYPE", Kind::U16}},
        {23, {"RTA_EXPIRES", Kind::UInt}},     {24, {"RTA_PAD", Kind::Pad}},  // u32 or u64 (ipmr); padding
        {25, {"RTA_UID", Kind::U32}},
        {26, {"RTA_TTL_PROPAGATE", Kind::U8}}, {27, {"RTA_IP_PROTO", Kind::U8}},
        {28, {"RTA_SPORT", Kind::U16}},        {29, {"RTA_DPORT", Kind::U16}},
        {30, {"RTA_NH_ID", Kind::U32}},        {31, {"RTA_FLOWLABEL", Kind::U32}},
    };
    for (const auto& [type, want] : expected) {
        const AttrSpec* a = schema::space_route.find(static_cast<std::uint16_t>(type));
        INFO(want.first);
        REQUIRE(a);
        CHECK(std::string(a->field->constant) == want.first);
        CHECK(a->kind == want.second);
    }
    CHECK(schema::space_route.attrs.size() == 32);  // RTA_FLOWLABEL (31) is the last
}

TEST_CASE("convenience feeds: rtnl.oif comes from RTA_OIF, rtnh_ifindex and NHA_OIF only") {
    std::set<std::string> oif;
    for (const FieldSpec& f : schema::all_fields())
        if (f.feeds & kFeedOif) oif.insert(f.constant);
    CHECK(oif == std::set<std::string>{"RTA_OIF", "NHA_OIF", "rtnexthop.rtnh_ifindex"});
}

TEST_CASE("message types: names, headers and attribute spaces") {
    const MessageTypeSpec* m = schema::find_message_type(25);
    REQUIRE(m);
    CHECK(std::string(m->name) == "RTM_DELROUTE");
    CHECK(m->header == &schema::struct_rtmsg);
    CHECK(m->attrs == &schema::space_route);
    CHECK(m->verb == Verb::Del);
    CHECK(std::string(schema::find_message_type(16)->name) == "RTM_NEWLINK");
    CHECK(schema::find_message_type(104)->attrs == &schema::space_nexthop);
    CHECK(schema::find_message_type(2) == nullptr);  // NLMSG_ERROR is not a family message
}

TEST_CASE("enum names come from the tables") {
    CHECK(std::string(schema::enum_rt_table.find(254)->name) == "RT_TABLE_MAIN");
    CHECK(std::string(schema::enum_rt_scope.find(253)->short_name) == "link");
    CHECK(std::string(schema::enum_rtm_type.find(1)->name) == "RTN_UNICAST");
    CHECK(std::string(schema::enum_nud_state.find(0x80)->name) == "NUD_PERMANENT");
}

#include "rtnl/problems.hpp"

TEST_CASE("problem catalogue: one entry per code, in code order, named and described") {
    std::set<std::string> names;
    std::size_t i = 0;
    for (const ProblemInfo& p : all_problems()) {
        CHECK(static_cast<std::size_t>(p.code) == i++);
        CHECK(names.insert(p.name).second);
        CHECK(std::string(p.summary).size() > 10);
    }
    CHECK(i == kProblemCodeCount);
    CHECK(std::string(problem_info(ProblemCode::OifZero).name) == "oif_zero");
    CHECK(problem_info(ProblemCode::OifZero).severity == Severity::Warning);
}

TEST_CASE("struct tables hold what the walk relies on without checking") {
    // StructView::for_each_member reads a whole struct's members without a
    // bounds check each; the prefix-length checks stop at prefix_end.
    std::size_t with_rules = 0;
    for (const StructSpec* s : schema::all_structs()) {
        INFO(s->name);
        for (std::size_t i = 0; i < s->members.size(); ++i) {
            const StructMember& m = s->members[i];
            if (!m.repeated) CHECK(m.offset + m.size <= s->size);
            if (i >= s->prefix_end) CHECK((!m.checked_prefix && !m.prefix_of));
        }
        if (s->prefix_end) ++with_rules;
    }
    CHECK(with_rules == 3);  // ifaddrmsg, rtmsg, fib_rule_hdr
    CHECK(schema::struct_rtmsg.prefix_end == 3);  // rtm_family, rtm_dst_len, rtm_src_len
}

TEST_CASE("a struct member's generated tag and byte order are its field's kind and order at its size") {
    // StructView hands the generated tag out as it is; this is the rule it
    // stands for (the one the walker applied to each member before).
    const auto expected = [](Kind kind, std::size_t size) {
        switch (kind) {
        case Kind::Ipv4: return size == 4 ? ValueTag::Ipv4 : ValueTag::Bytes;
        case Kind::Ipv6: return size == 16 ? ValueTag::Ipv6 : ValueTag::Bytes;
        case Kind::Mac: return size == 6 ? ValueTag::Mac : ValueTag::Bytes;
        case Kind::Binary: return ValueTag::Bytes;
        default: break;
        }
        if (size < 1 || size > 8) return ValueTag::None;
        return is_signed(kind) ? ValueTag::Signed : ValueTag::Unsigned;
    };
    std::size_t members = 0, big_endian = 0, addresses = 0;
    for (const StructSpec* s : schema::all_structs()) {
        for (const StructMember& m : s->members) {
            INFO(s->name << " member at " << m.offset);
            if (!m.field) {
                CHECK(m.tag == ValueTag::None);
                CHECK(!m.big_endian);
                continue;
            }
            ++members;
            CHECK(m.tag == expected(m.field->kind, m.size));
            CHECK(m.big_endian == m.field->big_endian);
            if (m.big_endian) ++big_endian;
            if (m.tag == ValueTag::Ipv4 || m.tag == ValueTag::Ipv6 || m.tag == ValueTag::Mac) ++addresses;
        }
    }
    // Every case is met by some real table.
    CHECK(members > 800);
    CHECK(big_endian > 0);
    CHECK(addresses > 0);
}
