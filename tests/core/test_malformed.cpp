#include "catch.hpp"

#include "message_builder.hpp"
#include "real_bytes.hpp"
#include "recording_visitor.hpp"
#include "rtnl/walker.hpp"

using namespace rtnl;
using namespace rtnl::test;
using namespace rtnl::schema::attr;  // route::OIF ...
using namespace rtnl::schema::msg;   // RTM_NEWROUTE ...

TEST_CASE("nlmsg_len 0 does not loop and shows the header") {
    auto msg = from_hex(real::kNewRoute);
    msg[0] = 0;
    const auto r = walk(msg);
    CHECK(r.has("message 24 @0+16"));
    CHECK(r.count(ProblemCode::MessageTooShort) == 1);
}

TEST_CASE("nlmsg_len past the packet: decoded as far as the bytes go") {
    auto msg = from_hex(real::kNewRoute);
    msg[0] = 0x80;
    const auto r = walk(msg);
    CHECK(r.count(ProblemCode::MessageTruncated) == 1);
    CHECK(r.has_value("rtnl.rta.oif=1"));
}

TEST_CASE("every truncation of a real message decodes without reading past the end") {
    const auto full = from_hex(real::kErrorEsrch);
    for (std::size_t n = 0; n < full.size(); ++n) {
        std::vector<std::uint8_t> cut(full.begin(), full.begin() + static_cast<long>(n));
        const auto r = walk(cut);
        INFO("cut at " << n);
        if (n > 0) CHECK_FALSE(r.problems.empty());
        for (const auto& p : r.problems) CHECK(p.offset + p.length <= n);
    }
}

TEST_CASE("attribute length below 4 and past its parent") {
    auto msg = from_hex(real::kNewRoute);
    msg[28] = 2;  // RTA_DST nla_len 2
    auto r = walk(msg);
    CHECK(r.count(ProblemCode::AttrTooShort) == 1);
    msg = from_hex(real::kNewRoute);
    msg[44] = 0x40;  // RTA_OIF nla_len 64: past the message
    r = walk(msg);
    CHECK(r.count(ProblemCode::AttrTruncated) == 1);
    CHECK(r.has_value("rtnl.rta.gateway=127.0.0.1"));
}

TEST_CASE("a second message after a bad one in the same packet is still decoded") {
    auto bad = from_hex(real::kDelRouteOifZero);
    bad[28] = 0x60;  // RTA_DST runs past the message
    const auto packet = concat(bad, from_hex(real::kNewRoute));
    const auto r = walk(packet);
    CHECK(r.count(ProblemCode::AttrTruncated) == 1);
    CHECK(r.has("message 24 @52+52"));
    CHECK(r.has_value("rtnl.rta.gateway=127.0.0.1"));
}

TEST_CASE("nesting thousands deep stops at the limit") {
    std::vector<std::uint8_t> nest;
    for (int i = 0; i < 2000; ++i) {
        std::vector<std::uint8_t> outer = {0, 0, 0x63, 0x80};  // unknown type 99 | NLA_F_NESTED
        const auto len = static_cast<std::uint16_t>(4 + nest.size());
        if (4 + nest.size() > 0xffff) break;
        outer[0] = std::uint8_t(len);
        outer[1] = std::uint8_t(len >> 8);
        outer.insert(outer.end(), nest.begin(), nest.end());
        nest = outer;
    }
    const auto r = walk(MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).raw(nest).bytes());
    CHECK(r.count(ProblemCode::NestTooDeep) == 1);
}

TEST_CASE("string without NUL is a valid NLA_STRING") {
    const auto r = walk(MessageBuilder(RTM_NEWLINK, 1).raw(std::vector<std::uint8_t>(16, 0)).attr(link::IFNAME, {'e', 't', 'h', '0'}).bytes());
    CHECK(r.has_value("rtnl.ifla.ifname=eth0"));
    CHECK(r.problems.empty());
}

TEST_CASE("byte order is guessed from nlmsg_len") {
    const auto le = from_hex(real::kNewRoute);
    CHECK(guess_byte_order(le, 0) == ByteOrder::Little);
    auto be = le;
    std::swap(be[0], be[3]);
    std::swap(be[1], be[2]);
    CHECK(guess_byte_order(be, 0) == ByteOrder::Big);
}

TEST_CASE("family header shorter than its struct") {
    // RTM_NEWROUTE (not a dump request) with 6 of rtmsg's 12 bytes
    const auto r = walk(MessageBuilder(RTM_NEWROUTE, 0x605).raw({2, 24, 0, 0, 254, 3}).bytes());
    CHECK(r.count(ProblemCode::HeaderTruncated) == 1);
    CHECK(r.has_value("rtnl.rtm.table=254"));  // the members that are there are shown
    // A dump request may carry only struct rtgenmsg: not a problem.
    const auto dump = walk(MessageBuilder(RTM_GETROUTE, 0x301).raw({2, 0, 0, 0}).bytes());
    CHECK(dump.count(ProblemCode::HeaderTruncated) == 0);
    CHECK(dump.has_value("rtnl.rtm.family=2"));
}

TEST_CASE("unknown message type and unknown link kind are notes, payload kept") {
    const auto r = walk(MessageBuilder(250, 0).raw(from_hex("01020304")).bytes());
    CHECK(r.count(ProblemCode::UnknownMessageType) == 1);
    // IFLA_LINKINFO { IFLA_INFO_KIND "nosuchkind", IFLA_INFO_DATA { ... } }
    auto link = MessageBuilder(RTM_NEWLINK, 0x2)
                    .raw(std::vector<std::uint8_t>(16, 0))
                    .attr(link::LINKINFO | 0x8000, from_hex("0f00 0100 6e6f737563686b696e6400 00"
                                                "0c00 0280 0800 0100 01000000"))
                    .bytes();
    const auto k = walk(link);
    CHECK(k.has_value("rtnl.ifla.info.kind=nosuchkind"));
    CHECK(k.count(ProblemCode::UnknownSubMessage) == 1);
}

TEST_CASE("NLM_F_DUMP_INTR on a dump reply is flagged") {
    const auto r = walk(MessageBuilder(RTM_NEWROUTE, 0x12).rtmsg(2, 24).bytes());  // MULTI | DUMP_INTR
    CHECK(r.count(ProblemCode::DumpInterrupted) == 1);
    CHECK(walk(MessageBuilder(RTM_NEWROUTE, 0x2).rtmsg(2, 24).bytes()).count(ProblemCode::DumpInterrupted) == 0);
}
