#include "catch.hpp"

#include "message_builder.hpp"
#include "real_bytes.hpp"
#include "recording_visitor.hpp"
#include "rtnl/events.hpp"

using namespace rtnl;
using namespace rtnl::test;
using namespace rtnl::schema::attr;  // route::OIF ...
using namespace rtnl::schema::msg;   // RTM_NEWROUTE ...

TEST_CASE("RTM_NEWROUTE from ip route add: header, rtmsg and attributes") {
    const auto r = walk(from_hex(real::kNewRoute));
    CHECK(r.has("message 24 @0+52"));
    CHECK(r.has("struct rtmsg @16+12"));
    CHECK(r.has("member rtnl.rtm.family=2 @16+1"));
    CHECK(r.has("member rtnl.rtm.dst_len=24 @17+1"));
    CHECK(r.has("member rtnl.rtm.table=254 @20+1"));
    CHECK(r.has("member rtnl.rtm.protocol=3 @21+1"));
    CHECK(r.has("member rtnl.rtm.type=1 @23+1"));
    CHECK(r.has("attr rtnl.rta.dst=10.9.0.0 @28+8 d0"));
    CHECK(r.has("attr rtnl.rta.gateway=127.0.0.1 @36+8 d0"));
    CHECK(r.has("attr rtnl.rta.oif=1 @44+8 d0"));
    CHECK(r.problems.empty());
}

TEST_CASE("explicit RTA_OIF = 0 is flagged on the attribute's bytes") {
    const auto r = walk(from_hex(real::kDelRouteOifZero));
    CHECK(r.has("message 25 @0+52"));
    CHECK(r.has("attr rtnl.rta.dst=10.9.1.0 @28+8 d0"));
    CHECK(r.has("attr rtnl.rta.gateway=10.9.0.1 @36+8 d0"));
    CHECK(r.has("attr rtnl.rta.oif=0 @44+8 d0"));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == ProblemCode::OifZero);
    CHECK(r.problems[0].offset == 44);
    CHECK(r.problems[0].length == 8);
}

TEST_CASE("IPv6 route addresses use the IPv6 fields") {
    auto msg = MessageBuilder(RTM_NEWROUTE, 0x0605)
                   .rtmsg(10, 64)
                   .attr(route::DST, from_hex("20010db8000100000000000000000000"))  // RTA_DST 2001:db8:1::
                   .attr(route::GATEWAY, from_hex("fe800000000000000000000000000001"))  // RTA_GATEWAY fe80::1
                   .bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.rta.dst6=2001:db8:1::"));
    CHECK(r.has_value("rtnl.rta.gateway6=fe80::1"));
    CHECK(r.problems.empty());
}

TEST_CASE("RTA_OIF short, exact and long") {
    for (auto [size, ok] : {std::pair{3, false}, {4, true}, {5, false}}) {
        std::vector<std::uint8_t> payload(static_cast<std::size_t>(size), 0x01);
        const auto r = walk(MessageBuilder(RTM_NEWROUTE, 5).rtmsg(2, 24).attr(route::OIF, payload).bytes());
        INFO("payload " << size);
        CHECK(r.count(ProblemCode::AttrPayloadSize) == (ok ? 0u : 1u));
        CHECK(r.has_value("rtnl.rta.oif=16843009") == ok);
    }
}

TEST_CASE("RTA_DST short, exact and long for AF_INET") {
    for (auto [size, ok] : {std::pair{3, false}, {4, true}, {5, false}}) {
        std::vector<std::uint8_t> payload(static_cast<std::size_t>(size), 10);
        const auto r = walk(MessageBuilder(RTM_NEWROUTE, 5).rtmsg(2, 24).attr(route::DST, payload).attr_u32(route::OIF, 1).bytes());
        INFO("payload " << size);
        CHECK(r.count(ProblemCode::AddressLength) == (ok ? 0u : 1u));
        CHECK(r.has_value("rtnl.rta.dst=10.10.10.10") == ok);
        CHECK(r.has_value("rtnl.rta.oif=1"));  // the next attribute is not lost
    }
}

TEST_CASE("prefix length above the address size") {
    CHECK(walk(MessageBuilder(RTM_NEWROUTE, 5).rtmsg(2, 33).bytes()).count(ProblemCode::PrefixLength) == 1);
    CHECK(walk(MessageBuilder(RTM_NEWROUTE, 5).rtmsg(2, 32).bytes()).count(ProblemCode::PrefixLength) == 0);
    CHECK(walk(MessageBuilder(RTM_NEWROUTE, 5).rtmsg(10, 128).bytes()).count(ProblemCode::PrefixLength) == 0);
    CHECK(walk(MessageBuilder(RTM_NEWROUTE, 5).rtmsg(10, 129).bytes()).count(ProblemCode::PrefixLength) == 1);
}

TEST_CASE("RTA_METRICS nest with RTAX_MTU and RTAX_CC_ALGO") {
    std::vector<std::uint8_t> nest = from_hex("0800 0200 78050000"   // RTAX_MTU 1400
                                              "0800 1000 63756200");  // RTAX_CC_ALGO "cub"
    const auto r = walk(MessageBuilder(RTM_NEWROUTE, 5).rtmsg(2, 24).attr(route::METRICS | 0x8000, nest).bytes());
    CHECK(r.has("attr rtnl.rta.metrics=08:00:02:00:78:05:00:00:08:00:10:00:63:75:62:00 @28+20 d0"));
    CHECK(r.has_value("rtnl.rtax.mtu=1400"));
    CHECK(r.has_value("rtnl.rtax.cc_algo=cub"));
    CHECK(r.problems.empty());
}

TEST_CASE("RTA_MULTIPATH: each nexthop with its own attributes; rtnh_ifindex 0 is a note") {
    std::vector<std::uint8_t> mp = from_hex(
        "1000 00 00 02000000"  // rtnexthop len 16, flags 0, hops 0 (weight 1), ifindex 2
        "0800 0500 0a000001"   //   RTA_GATEWAY 10.0.0.1
        "1000 00 01 00000000"  // rtnexthop len 16, hops 1 (weight 2), ifindex 0 (no dev)
        "0800 0500 0a000101"); //   RTA_GATEWAY 10.0.1.1
    const auto r = walk(MessageBuilder(RTM_NEWROUTE, 0x605).rtmsg(2, 24).attr(route::MULTIPATH, mp).bytes());
    CHECK(r.has("struct rtnexthop @32+16"));
    CHECK(r.has("member rtnl.rtnh.ifindex=2 @36+4"));
    CHECK(r.has("attr rtnl.rta.gateway=10.0.0.1 @40+8 d1"));
    CHECK(r.has("member rtnl.rtnh.hops=1 @51+1"));
    CHECK(r.has("attr rtnl.rta.gateway=10.0.1.1 @56+8 d1"));
    CHECK(r.count(ProblemCode::NexthopOifZero) == 1);
    CHECK(r.count(ProblemCode::OifZero) == 0);
}

TEST_CASE("RTA_MULTIPATH with rtnh_len 0 stops without looping") {
    std::vector<std::uint8_t> mp = from_hex("0000 00 00 02000000");
    const auto r = walk(MessageBuilder(RTM_NEWROUTE, 0x605).rtmsg(2, 24).attr(route::MULTIPATH, mp).attr_u32(route::PRIORITY, 100).bytes());
    CHECK(r.count(ProblemCode::AttrTooShort) == 1);
    CHECK(r.has_value("rtnl.rta.priority=100"));  // the attribute after the bad one survives
}

TEST_CASE("RTA_VIA carries its own address family") {
    const auto r = walk(MessageBuilder(RTM_NEWROUTE, 0x605).rtmsg(2, 24).attr(route::VIA, from_hex("0a00 fe800000000000000000000000000001")).bytes());
    CHECK(r.has_value("rtnl.rta.via.family=10"));
    CHECK(r.has_value("rtnl.rta.via6=fe80::1"));
}

TEST_CASE("RTA_CACHEINFO struct: short is flagged, long is accepted") {
    std::vector<std::uint8_t> ci(20, 0);
    ci[8] = 5;  // rta_expires
    CHECK(walk(MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).attr(route::CACHEINFO, ci).bytes()).has_value("rtnl.rta.cacheinfo.rta_expires=5"));
    std::vector<std::uint8_t> short_ci(12, 0);
    CHECK(walk(MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).attr(route::CACHEINFO, short_ci).bytes()).count(ProblemCode::AttrPayloadSize) == 1);
    std::vector<std::uint8_t> long_ci(24, 0);
    CHECK(walk(MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).attr(route::CACHEINFO, long_ci).bytes()).count(ProblemCode::AttrPayloadSize) == 0);
}

TEST_CASE("unknown attribute types are kept with their bytes") {
    const auto r = walk(MessageBuilder(RTM_NEWROUTE, 0).rtmsg(2, 24).attr(99, from_hex("deadbeef")).attr_u32(route::OIF, 7).bytes());
    CHECK(r.has("attr unknown:99=de:ad:be:ef @28+8 d0"));
    CHECK(r.count(ProblemCode::UnknownAttribute) == 1);
    CHECK(r.has_value("rtnl.rta.oif=7"));
}

TEST_CASE("RTA_ENCAP is decoded by RTA_ENCAP_TYPE, which comes after it (as the kernel sends it)") {
    // seg6 encap, mode encap, two segments: captures/families/route-encap.pcap's shape
    const auto encap = from_hex("3000 0100"                            // SEG6_IPTUNNEL_SRH, 48 bytes
                                "01000000"                             //   mode 1: encap
                                "00 04 04 01 01 00 0000"               //   SRH: hdrlen 4 (2 segments), type 4, left 1
                                "20010db8000000000000000000000002"     //   segment[0]
                                "20010db8000000000000000000000001");   //   segment[1]
    const auto r = walk(MessageBuilder(RTM_NEWROUTE, 0x605)
                            .rtmsg(10, 64)
                            .attr(route::ENCAP | 0x8000, encap)  // RTA_ENCAP
                            .attr(route::ENCAP_TYPE, {5, 0})          // RTA_ENCAP_TYPE LWTUNNEL_ENCAP_SEG6
                            .bytes());
    CHECK(r.has_value("rtnl.seg6.iptunnel.srh.mode=1"));
    CHECK(r.has_value("rtnl.seg6.iptunnel.srh.hdrlen=4"));
    CHECK(r.has_value("rtnl.seg6.iptunnel.srh.segment=2001:db8::2"));
    CHECK(r.has_value("rtnl.seg6.iptunnel.srh.segment=2001:db8::1"));
    CHECK(r.has_value("rtnl.rta.encap_type=5"));
    CHECK(r.problems.empty());
}

TEST_CASE("RTA_ENCAP of an encap type without a table stays visible as bytes, with a note") {
    const auto r = walk(MessageBuilder(RTM_NEWROUTE, 0x605).rtmsg(2, 24).attr(route::ENCAP | 0x8000, from_hex("0800 0100 01020304"))
                            .attr(route::ENCAP_TYPE, {9, 0})  // LWTUNNEL_ENCAP_IOAM6: no table
                            .bytes());
    CHECK(r.count(ProblemCode::UnknownSubMessage) == 1);
    CHECK(r.has_value("rtnl.rta.encap=08:00:01:00:01:02:03:04"));
}

TEST_CASE("host bits are found at every prefix length of IPv4 and IPv6 destinations") {
    // The walker tests an address as big-endian words; this is the bit-by-bit rule.
    const auto host_bits = [](const std::vector<std::uint8_t>& addr, unsigned plen) {
        for (std::size_t bit = plen; bit < addr.size() * 8; ++bit)
            if (addr[bit / 8] & (0x80u >> (bit % 8))) return true;
        return false;
    };
    for (const char* hex : {"0a090005", "80000000", "00000001", "ffffffff", "00000000"}) {
        const auto addr = from_hex(hex);
        for (unsigned plen = 0; plen <= 32; ++plen) {
            INFO(hex << "/" << plen);
            const auto r = walk(MessageBuilder(RTM_NEWROUTE, 0x605).rtmsg(2, plen).attr(route::DST, addr).bytes());
            CHECK(r.count(ProblemCode::HostBitsSet) == (host_bits(addr, plen) ? 1u : 0u));
        }
    }
    for (const char* hex : {"20010db8000000000000000000000001", "20010db8000000008000000000000000",
                            "20010db8000000010000000000000000", "80000000000000000000000000000000",
                            "00000000000000000000000000000000", "ffffffffffffffffffffffffffffffff"}) {
        const auto addr = from_hex(hex);
        for (unsigned plen = 0; plen <= 128; ++plen) {
            INFO(hex << "/" << plen);
            const auto r = walk(MessageBuilder(RTM_NEWROUTE, 0x605).rtmsg(10, plen).attr(route::DST, addr).bytes());
            CHECK(r.count(ProblemCode::HostBitsSet) == (host_bits(addr, plen) ? 1u : 0u));
        }
    }
}

TEST_CASE("ipmr dumps: an RTA_PAD before each 64-bit value is no duplicate, RTA_EXPIRES is 8 bytes there") {
    // The kernel pads before RTA_MFC_STATS and before RTA_EXPIRES (a u64 of
    // clock ticks in RTNL_FAMILY_IPMR dumps), so one message carries two
    // empty RTA_PADs; IPv6 routes send RTA_EXPIRES as 4 bytes.
    const auto mroute = walk(MessageBuilder(RTM_NEWROUTE, 0x2)
                                 .rtmsg(128, 32)
                                 .attr_u32(route::TABLE, 254)
                                 .attr(route::PAD, {})
                                 .attr(route::MFC_STATS, std::vector<std::uint8_t>(24, 0))
                                 .attr(route::PAD, {})
                                 .attr(route::EXPIRES, from_hex("3412000000000000"))
                                 .bytes());
    CHECK(mroute.count(ProblemCode::DuplicateAttribute) == 0);
    CHECK(mroute.count(ProblemCode::AttrPayloadSize) == 0);
    CHECK(mroute.has("attr rtnl.rta.expires=4660 @72+12 d0"));
    const auto v6 = walk(MessageBuilder(RTM_NEWROUTE, 0x2).rtmsg(10, 64).attr_u32(route::EXPIRES, 300).bytes());
    CHECK(v6.has("attr rtnl.rta.expires=300 @28+8 d0"));
    CHECK(v6.problems.empty());
    // Another attribute twice is still one.
    CHECK(walk(MessageBuilder(RTM_NEWROUTE, 0x2).rtmsg(2, 32).attr_u32(route::TABLE, 1).attr_u32(route::TABLE, 2).bytes())
              .count(ProblemCode::DuplicateAttribute) == 1);
}

TEST_CASE("host bits beyond the prefix length, duplicate attributes, flags that make no sense") {
    // ip route add 10.9.0.5/24: RTA_DST has bits past /24
    CHECK(walk(MessageBuilder(RTM_NEWROUTE, 0x605).rtmsg(2, 24).attr(route::DST, from_hex("0a090005")).bytes())
              .count(ProblemCode::HostBitsSet) == 1);
    CHECK(walk(MessageBuilder(RTM_NEWROUTE, 0x605).rtmsg(2, 32).attr(route::DST, from_hex("0a090005")).bytes())
              .count(ProblemCode::HostBitsSet) == 0);
    // RTA_PRIORITY twice
    const auto dup = walk(MessageBuilder(RTM_NEWROUTE, 0x605).rtmsg(2, 24).attr_u32(route::PRIORITY, 10).attr_u32(route::PRIORITY, 20).bytes());
    CHECK(dup.count(ProblemCode::DuplicateAttribute) == 1);
    CHECK(dup.has_value("rtnl.rta.priority=20"));
    // NLM_F_CREATE on a DEL; REPLACE with EXCL on a NEW; a normal add is fine
    CHECK(walk(MessageBuilder(RTM_DELROUTE, 0x405).rtmsg(2, 24).bytes()).count(ProblemCode::FlagsMismatch) == 1);
    CHECK(walk(MessageBuilder(RTM_NEWROUTE, 0x305).rtmsg(2, 24).bytes()).count(ProblemCode::FlagsMismatch) == 1);
    CHECK(walk(MessageBuilder(RTM_NEWROUTE, 0x605).rtmsg(2, 24).bytes()).count(ProblemCode::FlagsMismatch) == 0);
}
