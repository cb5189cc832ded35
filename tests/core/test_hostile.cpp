// Hostile inputs made on purpose (issue 6): each one is something a crafted or
// broken capture can hold, and each test names the exact problem the walker
// must report, where, and what must still decode around it. The cases that
// test_malformed.cpp, test_route.cpp and test_error_reply.cpp already cover
// (nlmsg_len 0, a nest 2000 deep, rtnh_len 0, an echo longer than the
// packet) are extended here, not repeated.
#include "catch.hpp"

#include <algorithm>
#include <cstring>

#include "message_builder.hpp"
#include "real_bytes.hpp"
#include "recording_visitor.hpp"
#include "rtnl/problems.hpp"
#include "rtnl/summary.hpp"
#include "rtnl/tracker.hpp"
#include "rtnl/walker.hpp"

using namespace rtnl;
using namespace rtnl::test;

namespace {

constexpr std::uint16_t kNested = 0x8000;
// uapi numbers used below
constexpr std::uint16_t RTM_NEWLINK = 16, RTM_NEWROUTE = 24, RTM_DELROUTE = 25;
constexpr std::uint16_t IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_LINKINFO = 18, IFLA_PAD = 42;
constexpr std::uint16_t IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2, IFLA_VXLAN_ID = 1, IFLA_VXLAN_GROUP6 = 16;
constexpr std::uint16_t RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PRIORITY = 6, RTA_METRICS = 8,
                        RTA_MULTIPATH = 9, RTA_VIA = 18;
constexpr std::uint16_t RTAX_MTU = 2, RTAX_WINDOW = 3;

std::vector<std::uint8_t> le16(std::uint16_t v) { return {std::uint8_t(v), std::uint8_t(v >> 8)}; }
std::vector<std::uint8_t> le32(std::uint32_t v) {
    return {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)};
}
// One TLV with a length field of our choosing (not necessarily the truth).
std::vector<std::uint8_t> tlv(std::uint16_t len, std::uint16_t type, const std::vector<std::uint8_t>& payload = {}) {
    auto out = concat(le16(len), le16(type));
    return concat(out, payload);
}
std::vector<std::uint8_t> text(const char* s, bool nul) {
    std::vector<std::uint8_t> out(s, s + std::strlen(s));
    if (nul) out.push_back(0);
    return out;
}
void set_len32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = std::uint8_t(v >> (8 * i));
}

// Counts instead of recording, for inputs with millions of events; keeps
// the problems and the values of small leaves.
struct Tally : Visitor {
    std::size_t messages = 0, attrs = 0, nests = 0, padding_at = 0, padding_len = 0;
    unsigned max_depth = 0;
    std::vector<Problem> problems;
    std::vector<std::string> values;
    void message_begin(const MessageView&) override { ++messages; }
    void attr_begin(const AttrEvent& ev) override {
        ++attrs;
        if (ev.has_children) ++nests;
        max_depth = std::max(max_depth, ev.depth);
        if (ev.field && !ev.has_children && ev.payload_length <= 64)
            values.push_back(std::string(ev.field->abbrev) + "=" + format_value(ev.value()));
    }
    void problem(const Problem& p) override { problems.push_back(p); }
    void trailing_padding(std::size_t offset, std::size_t length) override {
        padding_at = offset;
        padding_len = length;
    }
    std::size_t count(ProblemCode c) const {
        return static_cast<std::size_t>(std::count_if(problems.begin(), problems.end(), [&](const Problem& p) { return p.code == c; }));
    }
    bool has_problem(ProblemCode c, std::size_t off, std::size_t len) const {
        return std::any_of(problems.begin(), problems.end(),
                           [&](const Problem& p) { return p.code == c && p.offset == off && p.length == len; });
    }
    bool has_value(const std::string& v) const { return std::find(values.begin(), values.end(), v) != values.end(); }
};

Tally tally(const std::vector<std::uint8_t>& payload, const WalkLimits& limits = {}, std::size_t* count = nullptr) {
    Tally t;
    const std::size_t n = walk_messages(payload, 0, t, limits);
    if (count) *count = n;
    return t;
}

// "attr_len_short@36+4, ..." : every problem, by its expert name, in order.
std::string listed(const std::vector<Problem>& ps) {
    std::string out;
    for (const auto& p : ps) {
        if (!out.empty()) out += ", ";
        out += std::string(problem_info(p.code).name) + "@" + std::to_string(p.offset) + "+" + std::to_string(p.length);
    }
    return out;
}

bool has_problem(const Recorded& r, ProblemCode c, std::size_t off, std::size_t len) {
    return std::any_of(r.problems.begin(), r.problems.end(),
                       [&](const Problem& p) { return p.code == c && p.offset == off && p.length == len; });
}

// `levels` unknown attributes (type 99 | NLA_F_NESTED), each the only child of the one before.
std::vector<std::uint8_t> deep_nest(std::size_t levels) {
    std::vector<std::uint8_t> nest;
    for (std::size_t i = levels; i > 0; --i) {
        const auto hdr = tlv(static_cast<std::uint16_t>(4 * i), 99 | kNested);
        nest.insert(nest.end(), hdr.begin(), hdr.end());
    }
    return nest;
}

}  // namespace

// --- nesting -----------------------------------------------------------------

TEST_CASE("hostile: 16000 nested attributes stop exactly at the depth limit; the message's next attribute survives") {
    const auto nest = deep_nest(16000);  // 64000 bytes, the most one u16 nla_len can hold at this width
    const auto msg = MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).raw(nest).attr_u32(RTA_OIF, 7).bytes();
    const Tally t = tally(msg);
    const WalkLimits limits;
    REQUIRE(limits.max_depth == 32);
    CHECK(t.max_depth == 31);                 // depths 0..31 walked
    CHECK(t.attrs == 32 + 1);                 // 32 levels, then RTA_OIF
    CHECK(t.count(ProblemCode::NestTooDeep) == 1);
    CHECK(t.has_value("rtnl.rta.oif=7"));
    // level 32's attributes would start at 28 + 4 * 32 and run to the end of the nest
    CHECK(listed(t.problems) == "unknown_attr@28+64000, malformed.nest_too_deep@156+63872");
}

TEST_CASE("hostile: a smaller depth limit is honoured the same way") {
    const auto msg = MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).raw(deep_nest(10)).bytes();
    const Tally t = tally(msg, WalkLimits{4});
    CHECK(t.max_depth == 3);
    CHECK(t.attrs == 4);
    CHECK(listed(t.problems) == "unknown_attr@28+40, malformed.nest_too_deep@44+24");
}

TEST_CASE("hostile: error replies echoing error replies 40 deep stop at the limit with NestTooDeep") {
    // innermost: the real RTM_DELROUTE; each level wraps it in NLMSG_ERROR (ESRCH, not capped)
    auto inner = from_hex(real::kDelRouteOifZero);
    for (int i = 0; i < 40; ++i) {
        auto wrap = concat(le32(static_cast<std::uint32_t>(20 + inner.size())), concat(le16(2), le16(0)));
        wrap = concat(wrap, concat(le32(1), le32(100)));
        wrap = concat(wrap, le32(static_cast<std::uint32_t>(-3)));
        inner = concat(wrap, inner);
    }
    RecordingVisitor v;
    CHECK(walk_messages(inner, 0, v) == 1);
    const Recorded& r = v.rec;
    CHECK(r.has("message 2 @0+" + std::to_string(inner.size())));
    CHECK(r.has("echoed 2 @620+" + std::to_string(inner.size() - 620)));  // depth 31, the last decoded
    CHECK_FALSE(r.has("echoed 2 @640+" + std::to_string(inner.size() - 640)));
    CHECK(r.count(ProblemCode::ErrorReply) == 32);
    CHECK(r.count(ProblemCode::NestTooDeep) == 1);
    CHECK(has_problem(r, ProblemCode::NestTooDeep, 640, inner.size() - 640));
    CHECK(r.problems.size() == 32 + 1);
}

TEST_CASE("hostile: a nest claiming more bytes than its parent") {
    // RTA_METRICS (16 bytes) { RTAX_MTU 1400, RTAX_WINDOW claiming 32 bytes with 4 left } RTA_OIF 3
    auto metrics = concat(tlv(8, RTAX_MTU, le32(1400)), tlv(32, RTAX_WINDOW));
    auto msg = MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).attr(RTA_METRICS | kNested, metrics).attr_u32(RTA_OIF, 3).bytes();
    auto r = walk(msg);
    CHECK(r.has("attr rtnl.rtax.mtu=1400 @32+8 d1"));
    // the truncated RTAX_WINDOW is shown with the 4 bytes it has: an empty u32, cut short
    CHECK(listed(r.problems) == "malformed.attr_size@40+4, malformed.attr_len_past_parent@40+4");
    CHECK(r.has("attr rtnl.rta.oif=3 @44+8 d0"));  // the parent's sibling is untouched

    // The same nest claiming more than the whole message: children still decoded.
    msg[28] = 0x00;
    msg[29] = 0x01;  // RTA_METRICS nla_len 256, message ends at 52
    r = walk(msg);
    CHECK(r.has("attr rtnl.rtax.mtu=1400 @32+8 d1"));
    // inside the clamped nest RTAX_WINDOW has 12 bytes left (RTA_OIF's), still too few for 32;
    // the nest's own problem comes after its children's
    CHECK(listed(r.problems) == "malformed.attr_size@40+12, malformed.attr_len_past_parent@40+12, "
                                "malformed.attr_len_past_parent@28+24");
}

// --- attribute lengths ---------------------------------------------------------

TEST_CASE("hostile: nla_len 0 and 3 stop their level only; the next message decodes") {
    for (std::uint16_t bad : {0, 3}) {
        INFO("nla_len " << bad);
        auto msg = MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).attr_u32(RTA_PRIORITY, 5).raw(tlv(bad, RTA_OIF, le32(1))).bytes();
        const auto packet = concat(msg, from_hex(real::kNewRoute));
        const auto r = walk(packet);
        CHECK(r.has_value("rtnl.rta.priority=5"));
        // RTA_OIF is shown with its 4 header bytes (an empty u32) and cannot be stepped past
        CHECK(listed(r.problems) == "malformed.attr_size@36+4, malformed.attr_len_short@36+4");
        CHECK(r.has("message 24 @44+52"));  // the next message, whole
        CHECK(r.has_value("rtnl.rta.gateway=127.0.0.1"));
    }
}

TEST_CASE("hostile: 3 bytes left at the end of a message are too short for an attribute") {
    auto msg = MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).attr_u32(RTA_OIF, 2).raw({0x07, 0x00, 0x06}).bytes();
    REQUIRE(msg.size() == 39);
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.rta.oif=2"));
    CHECK(listed(r.problems) == "malformed.attr_len_short@36+3");
}

TEST_CASE("hostile: zero-length and 3-byte payloads") {
    // nla_len 4: an empty u32 is a size problem, an empty string is "", an empty RTA_DST is "any"
    auto r = walk(MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 0).raw(tlv(4, RTA_OIF)).raw(tlv(4, RTA_DST)).bytes());
    CHECK(listed(r.problems) == "malformed.attr_size@28+4");
    CHECK(r.has("attr rtnl.rta.oif(raw)= @28+4 d0"));
    CHECK(r.has("attr rtnl.rta.dst(raw)= @32+4 d0"));
    r = walk(MessageBuilder(RTM_NEWLINK, 0).raw(std::vector<std::uint8_t>(16, 0)).raw(tlv(4, IFLA_IFNAME)).bytes());
    CHECK(r.problems.empty());
    CHECK(r.has("attr rtnl.ifla.ifname= @32+4 d0"));
    // nla_len 7: a u32 of 3 bytes; the next attribute is found at the aligned offset
    r = walk(MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).raw(tlv(7, RTA_OIF, {1, 0, 0, 0})).attr_u32(RTA_PRIORITY, 9).bytes());
    CHECK(listed(r.problems) == "malformed.attr_size@28+7");
    CHECK(r.has("attr rtnl.rta.oif(raw)=01:00:00 @28+7 d0"));
    CHECK(r.has("attr rtnl.rta.priority=9 @36+8 d0"));
}

// --- message lengths -----------------------------------------------------------

TEST_CASE("hostile: nlmsg_len 0..15 after a good message ends the walk there, once") {
    for (std::uint32_t len = 0; len < 16; ++len) {
        INFO("nlmsg_len " << len);
        auto bad = MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).bytes();
        set_len32(bad, 0, len);
        RecordingVisitor v;
        CHECK(walk_messages(concat(from_hex(real::kNewRoute), bad), 0, v) == 2);
        // the header is shown; the rtmsg it promised has 0 of its 12 bytes
        CHECK(listed(v.rec.problems) == "malformed.header_short@68+0, malformed.msg_len_short@52+16");
        CHECK(v.rec.has("message 24 @52+16"));
    }
    // fewer than 16 bytes left after the first message
    RecordingVisitor v;
    CHECK(walk_messages(concat(from_hex(real::kNewRoute), {0x0c, 0, 0, 0, 0x18, 0, 0, 0}), 0, v) == 1);
    CHECK(listed(v.rec.problems) == "malformed.msg_len_short@52+8");
}

TEST_CASE("hostile: a packet of millions of tiny attributes is walked in one pass") {
    // One RTM_NEWLINK of 4,194,304 empty IFLA_PAD attributes (16 MiB): every
    // one is an event, none is a problem (padding may repeat). Linear time:
    // docs/reliability.md has the figures; here it must simply finish.
    constexpr std::size_t n = std::size_t{1} << 22;
    std::vector<std::uint8_t> msg = MessageBuilder(RTM_NEWLINK, 0).raw(std::vector<std::uint8_t>(16, 0)).bytes();
    msg.reserve(msg.size() + 4 * n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t pad[4] = {4, 0, IFLA_PAD, 0};
        msg.insert(msg.end(), pad, pad + 4);
    }
    set_len32(msg, 0, static_cast<std::uint32_t>(msg.size()));
    std::size_t count = 0;
    const Tally t = tally(msg, {}, &count);
    CHECK(count == 1);
    CHECK(t.attrs == n);
    CHECK(t.problems.empty());
}

TEST_CASE("hostile: thousands of sub-message attributes at one level look their selector up once") {
    // 64 IFLA_LINKINFO nests, each with 16000 empty IFLA_INFO_DATA and then
    // IFLA_INFO_KIND "vxlan" last. Every IFLA_INFO_DATA needs the kind; the
    // walker used to rescan the nest for it each time (16000^2 reads per nest).
    constexpr std::size_t nests = 64, datas = 16000;
    std::vector<std::uint8_t> info;
    for (std::size_t i = 0; i < datas; ++i) {
        const auto data = tlv(4, IFLA_INFO_DATA | kNested);
        info.insert(info.end(), data.begin(), data.end());
    }
    info = concat(info, tlv(10, IFLA_INFO_KIND, text("vxlan", true)));
    info.resize(info.size() + 2, 0);  // align
    MessageBuilder b(RTM_NEWLINK, 0);
    b.raw(std::vector<std::uint8_t>(16, 0));
    for (std::size_t i = 0; i < nests; ++i) b.attr(IFLA_LINKINFO | kNested, info);
    const Tally t = tally(b.bytes());
    CHECK(t.attrs == nests * (1 + datas + 1));
    CHECK(t.nests == nests * (1 + datas));  // every IFLA_INFO_DATA was given its vxlan format
    CHECK(t.count(ProblemCode::UnknownSubMessage) == 0);
    CHECK(t.count(ProblemCode::DuplicateAttribute) == nests * (datas - 1) + (nests - 1));
    CHECK(t.problems.size() == nests * (datas - 1) + (nests - 1));
}

TEST_CASE("hostile: a message that is all padding") {
    // a packet of zeros: one header shown, one problem, no loop
    RecordingVisitor v;
    CHECK(walk_messages(std::vector<std::uint8_t>(4096, 0), 0, v) == 1);
    CHECK(v.rec.events.front() == "message 0 @0+16");
    CHECK(listed(v.rec.problems) == "malformed.msg_len_short@0+16");
    // a route whose attribute area is 64 zero bytes: the first nla_len 0 stops the level
    auto msg = MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).raw(std::vector<std::uint8_t>(64, 0)).bytes();
    auto r = walk(msg);
    CHECK(listed(r.problems) == "unknown_attr@28+4, malformed.attr_len_short@28+4");  // type 0 is no RTA_*
    // a link of 1000 IFLA_PAD attributes: padding may repeat, nothing to report
    MessageBuilder link(RTM_NEWLINK, 0);
    link.raw(std::vector<std::uint8_t>(16, 0));
    for (int i = 0; i < 1000; ++i) link.raw(tlv(4, IFLA_PAD));
    Tally t = tally(link.bytes());
    CHECK(t.attrs == 1000);
    CHECK(t.problems.empty());
    // zeros after the last message are the sender's buffer, not a message
    t = tally(concat(from_hex(real::kNewRoute), std::vector<std::uint8_t>(4096, 0)));
    CHECK(t.messages == 1);
    CHECK(t.problems.empty());
    CHECK(t.padding_at == 52);
    CHECK(t.padding_len == 4096);
}

// --- strings -------------------------------------------------------------------

TEST_CASE("hostile: strings without NUL end at their attribute, or at the packet") {
    // IFLA_IFNAME claiming 20 bytes with 6 left: the name is cut at the packet's end
    auto msg = MessageBuilder(RTM_NEWLINK, 0).raw(std::vector<std::uint8_t>(16, 0)).raw(tlv(20, IFLA_IFNAME, text("eth0ab", false))).bytes();
    auto r = walk(msg);
    CHECK(r.has("attr rtnl.ifla.ifname=eth0ab @32+10 d0"));
    CHECK(listed(r.problems) == "malformed.attr_len_past_parent@32+10");
    // an embedded NUL ends the string
    r = walk(MessageBuilder(RTM_NEWLINK, 0).raw(std::vector<std::uint8_t>(16, 0)).attr(IFLA_IFNAME, {'e', 't', 0, 'h', '0'}).bytes());
    CHECK(r.has_value("rtnl.ifla.ifname=et"));
    // IFLA_INFO_KIND without NUL still selects its kind's attributes
    auto info = concat(tlv(9, IFLA_INFO_KIND, text("vxlan", false)), {0, 0, 0});
    info = concat(info, tlv(12, IFLA_INFO_DATA | kNested, tlv(8, IFLA_VXLAN_ID, le32(42))));
    r = walk(MessageBuilder(RTM_NEWLINK, 0).raw(std::vector<std::uint8_t>(16, 0)).attr(IFLA_LINKINFO | kNested, info).bytes());
    CHECK(r.has_value("rtnl.ifla.info.kind=vxlan"));
    CHECK(r.has_value("rtnl.ifla.vxlan.id=42"));
    CHECK(r.problems.empty());
    // the kernel's extended-ACK text without NUL
    auto ack = MessageBuilder(2, 0x300)  // NLMSG_ERROR, CAPPED | ACK_TLVS
                   .raw(le32(static_cast<std::uint32_t>(-22)))
                   .raw(from_hex("34000000 1800 0506 a7f3046b 00000000"))
                   .raw(tlv(11, 1, text("bad oif", false)))
                   .raw({0})
                   .bytes();
    r = walk(ack);
    CHECK(r.has_value("rtnl.extack.msg=bad oif"));
    CHECK(listed(r.problems) == "error_reply@0+48");
}

TEST_CASE("hostile: an interface name without NUL is learned and shown as it is") {
    // the kernel's RTM_NEWLINK for index 7 with IFLA_IFNAME "veth-a" (no NUL, padded)
    std::vector<std::uint8_t> ifi(16, 0);
    ifi[4] = 7;
    const auto link = MessageBuilder(RTM_NEWLINK, 0).raw(ifi).attr(IFLA_IFNAME, text("veth-a", false)).bytes();
    LinkNames names;
    LinkNameLearner learner(names, PacketOrigin{PacketOrigin::Direction::FromKernel});
    walk_messages(link, 0, learner);
    REQUIRE(names.find(0, 7));
    CHECK(names.find(0, 7)->shown == "veth-a");
    SummaryBuilder s;
    s.set_names(&names);
    walk_messages(MessageBuilder(RTM_NEWROUTE, 0x605).rtmsg(2, 24).attr(RTA_DST, {10, 9, 0, 0}).attr_u32(RTA_OIF, 7).bytes(), 0, s);
    REQUIRE(s.lines().size() == 1);
    CHECK(s.lines()[0].find("dev veth-a") != std::string::npos);
}

// --- addresses -----------------------------------------------------------------

TEST_CASE("hostile: IPv6 address fields of 15 bytes") {
    const std::vector<std::uint8_t> addr15 = from_hex("fe80000000000000000000000000ff");
    REQUIRE(addr15.size() == 15);
    // RTA_DST and RTA_GATEWAY of an AF_INET6 route
    auto r = walk(MessageBuilder(RTM_NEWROUTE, 0).rtmsg(10, 64).attr(RTA_DST, addr15).attr(RTA_GATEWAY, addr15).attr_u32(RTA_OIF, 2).bytes());
    CHECK(r.count(ProblemCode::AddressLength) == 2);
    CHECK(has_problem(r, ProblemCode::AddressLength, 28, 19));
    CHECK(has_problem(r, ProblemCode::AddressLength, 48, 19));
    CHECK(r.has("attr rtnl.rta.dst(raw)=fe:80:00:00:00:00:00:00:00:00:00:00:00:00:ff @28+19 d0"));
    CHECK(r.has("attr rtnl.rta.oif=2 @68+8 d0"));
    CHECK(listed(r.problems) == "malformed.addr_len@28+19, malformed.addr_len@48+19");
    // RTA_VIA naming AF_INET6 with 15 address bytes
    r = walk(MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).attr(RTA_VIA, concat(le16(10), addr15)).bytes());
    CHECK(listed(r.problems) == "malformed.addr_len@28+21");
    CHECK_FALSE(r.has_value("rtnl.rta.via6=fe80::ff"));
    // a fixed-IPv6 attribute (IFLA_VXLAN_GROUP6)
    auto info = concat(tlv(10, IFLA_INFO_KIND, text("vxlan", true)), {0, 0});
    info = concat(info, tlv(4 + 20, IFLA_INFO_DATA | kNested, concat(tlv(19, IFLA_VXLAN_GROUP6, addr15), {0})));
    r = walk(MessageBuilder(RTM_NEWLINK, 0).raw(std::vector<std::uint8_t>(16, 0)).attr(IFLA_LINKINFO | kNested, info).bytes());
    CHECK(listed(r.problems) == "malformed.addr_len@52+19");
    // in a multipath nexthop of an AF_INET6 route
    auto mp = concat(from_hex("1c00 00 00 03000000"), concat(tlv(19, RTA_GATEWAY, addr15), {0}));
    r = walk(MessageBuilder(RTM_NEWROUTE, 0).rtmsg(10, 64).attr(RTA_MULTIPATH, mp).bytes());
    CHECK(listed(r.problems) == "malformed.addr_len@40+19");
    CHECK(r.has("member rtnl.rtnh.ifindex=3 @36+4"));
}

// --- multipath -----------------------------------------------------------------

TEST_CASE("hostile: multipath entries of length 0, 7, too long, and a stub") {
    const auto hop = from_hex("1000 00 00 02000000 0800 0500 0a000001");  // ifindex 2 via 10.0.0.1
    auto route = [](const std::vector<std::uint8_t>& mp) {
        return walk(MessageBuilder(RTM_NEWROUTE, 0x605).rtmsg(2, 24).attr(RTA_MULTIPATH, mp).attr_u32(RTA_PRIORITY, 100).bytes());
    };
    // rtnh_len 0 after a good nexthop: the good one stays, the walk stops there, the next attribute survives
    auto r = route(concat(hop, from_hex("0000 00 00 03000000")));
    CHECK(r.has("attr rtnl.rta.gateway=10.0.0.1 @40+8 d1"));
    CHECK(listed(r.problems) == "malformed.attr_len_short@48+8");
    CHECK_FALSE(r.has("member rtnl.rtnh.ifindex=3 @52+4"));
    CHECK(r.has_value("rtnl.rta.priority=100"));
    // rtnh_len 7: shorter than struct rtnexthop
    r = route(concat(hop, from_hex("0700 00 00 03000000")));
    CHECK(listed(r.problems) == "malformed.attr_len_short@48+8");
    // rtnh_len 200 with 16 bytes left: decoded as far as it goes, then truncated
    r = route(concat(hop, from_hex("c800 00 00 03000000 0800 0500 0a000002")));
    CHECK(r.has("member rtnl.rtnh.ifindex=3 @52+4"));
    CHECK(r.has("attr rtnl.rta.gateway=10.0.0.2 @56+8 d1"));
    CHECK(listed(r.problems) == "malformed.attr_len_past_parent@48+16");
    // 5 bytes left: not even a struct rtnexthop
    r = route(concat(hop, from_hex("0800 00 00 03")));
    CHECK(listed(r.problems) == "malformed.attr_len_short@48+5");
    CHECK(r.has_value("rtnl.rta.priority=100"));
}

// --- error replies -------------------------------------------------------------

TEST_CASE("hostile: echoed requests claiming 4 GiB, or less than a header") {
    auto payload = from_hex(real::kErrorEsrch);
    set_len32(payload, 20, 0xffffffffu);
    auto r = walk(payload);
    CHECK(r.count(ProblemCode::MessageTruncated) == 1);
    CHECK(has_problem(r, ProblemCode::MessageTruncated, 20, 52));
    CHECK(r.has("echoed 25 @20+52"));
    CHECK(r.has_value("rtnl.rta.oif=0"));
    // echoed nlmsg_len 4: the echo is still read as a header and what follows it
    payload = from_hex(real::kErrorEsrch);
    set_len32(payload, 20, 4);
    r = walk(payload);
    CHECK(r.has("echoed 25 @20+16"));
    CHECK(r.count(ProblemCode::MessageTruncated) == 0);
    // an ACK with extended-ACK TLVs whose echo claims more than the packet: the TLVs cannot be found, no read past the end
    auto ack = MessageBuilder(2, 0x200)  // NLMSG_ERROR, ACK_TLVS, not capped
                   .raw(le32(static_cast<std::uint32_t>(-22)))
                   .raw(from_hex("00010000 1800 0506 a7f3046b 00000000"))  // echoed len 256
                   .raw(tlv(8, 1, text("bad", true)))
                   .bytes();
    r = walk(ack);
    CHECK(has_problem(r, ProblemCode::MessageTruncated, 20, 24));
    CHECK_FALSE(r.has_value("rtnl.extack.msg=bad"));
    for (const auto& p : r.problems) CHECK(p.offset + p.length <= ack.size());
}
