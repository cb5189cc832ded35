#include "catch.hpp"

#include "message_builder.hpp"
#include "real_bytes.hpp"
#include "recording_visitor.hpp"

using namespace rtnl;
using namespace rtnl::test;

TEST_CASE("ESRCH error reply: errno, and the echoed request decoded in full") {
    const auto r = walk(from_hex(real::kErrorEsrch));
    CHECK(r.has("message 2 @0+72"));
    CHECK(r.has("error -3 @16"));
    CHECK(r.has("echoed 25 @20+52"));
    CHECK(r.has("attr rtnl.rta.dst=10.9.1.0 @48+8 d1"));
    CHECK(r.has("attr rtnl.rta.oif=0 @64+8 d1"));
    CHECK(r.count(ProblemCode::ErrorReply) == 1);
    CHECK(r.count(ProblemCode::OifZero) == 1);
}

TEST_CASE("ACK: capped echo is the request header only") {
    const auto r = walk(from_hex(real::kAckNewRoute));
    CHECK(r.has("error 0 @16"));
    CHECK(r.has("echoed 24 @20+16"));
    CHECK(r.count(ProblemCode::ErrorReply) == 0);
    CHECK(r.count(ProblemCode::HeaderTruncated) == 0);
    CHECK_FALSE(r.has_value("rtnl.rta.dst=10.9.0.0"));
}

TEST_CASE("extended ACK: message text and the attribute NLMSGERR_ATTR_OFFS points at") {
    // The ESRCH reply with NLM_F_ACK_TLVS and two TLVs appended:
    // MSG "Nexthop device is not up" and OFFS 44 (the echoed RTA_OIF).
    auto payload = from_hex(real::kErrorEsrch);
    payload[6] = 0x00;
    payload[7] = 0x02;  // flags: NLM_F_ACK_TLVS
    const auto tlvs = from_hex("1d00 0100 4e657874686f7020646576696365206973206e6f7420757000000000"  // MSG, 29 bytes + padding
                               "0800 0200 2c000000");  // OFFS 44
    payload.insert(payload.end(), tlvs.begin(), tlvs.end());
    payload[0] = static_cast<std::uint8_t>(payload.size());
    const auto r = walk(payload);
    CHECK(r.has_value("rtnl.extack.msg=Nexthop device is not up"));
    CHECK(r.has_value("rtnl.extack.offs=44"));
    CHECK(r.has("extack_target RTA_OIF @64"));
}

TEST_CASE("error reply whose echoed message claims more than the packet holds") {
    auto payload = from_hex(real::kErrorEsrch);
    payload[20] = 0xff;  // echoed nlmsg_len 255
    const auto r = walk(payload);
    CHECK(r.count(ProblemCode::MessageTruncated) == 1);
    CHECK(r.has("echoed 25 @20+52"));
    CHECK(r.has_value("rtnl.rta.oif=0"));  // decoded as far as it goes
}

TEST_CASE("NLMSG_DONE carries the dump's status") {
    const auto r = walk(MessageBuilder(3, 2).raw(from_hex("00000000")).bytes());
    CHECK(r.has("message 3 @0+20"));
    CHECK(r.has("error 0 @16"));
}
