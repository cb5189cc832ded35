#include "catch.hpp"

#include <cstring>

#include "message_builder.hpp"
#include "real_bytes.hpp"
#include "recording_visitor.hpp"
#include "rtnl/fan_out.hpp"
#include "rtnl/summary.hpp"
#include "rtnl/tracker.hpp"
#include "rtnl/walker.hpp"

using namespace rtnl;
using namespace rtnl::test;
using namespace rtnl::schema::attr;  // route::OIF ...
using namespace rtnl::schema::msg;   // RTM_NEWROUTE ...

namespace {
// The packet's Info line.
std::string summarize(const std::vector<std::uint8_t>& payload) {
    SummaryBuilder s;
    walk_messages(payload, 0, s);
    return s.packet_line();
}
}  // namespace

TEST_CASE("route summaries in iproute2's words") {
    CHECK(summarize(from_hex(real::kNewRoute)) ==
          "RTM_NEWROUTE add 10.9.0.0/24 via 127.0.0.1 dev 1 table main proto boot");
    CHECK(summarize(from_hex(real::kDelRouteOifZero)) ==
          "RTM_DELROUTE del 10.9.1.0/24 via 10.9.0.1 dev 0 table main scope nowhere");
}

TEST_CASE("error and ACK summaries name the request") {
    CHECK(summarize(from_hex(real::kErrorEsrch)) ==
          "NLMSG_ERROR ESRCH (No such process) for RTM_DELROUTE seq 1795483983");
    CHECK(summarize(from_hex(real::kAckNewRoute)) == "NLMSG_ERROR ACK for RTM_NEWROUTE seq 1795486631");
}

TEST_CASE("several messages in one packet are all summarised") {
    const auto two = concat(from_hex(real::kNewRoute), from_hex(real::kDelRouteOifZero));
    CHECK(summarize(two) ==
          "RTM_NEWROUTE add 10.9.0.0/24 via 127.0.0.1 dev 1 table main proto boot | "
          "RTM_DELROUTE del 10.9.1.0/24 via 10.9.0.1 dev 0 table main scope nowhere");
    auto many = from_hex(real::kNewRoute);
    for (int i = 0; i < 4; ++i) many = concat(many, from_hex(real::kNewRoute));
    many = concat(many, MessageBuilder(3, 2).raw(from_hex("00000000")).bytes());
    const std::string line = summarize(many);
    CHECK(line.find("+4 more (1 NLMSG_DONE, 5 RTM_NEWROUTE)") != std::string::npos);
}

TEST_CASE("interface names learned from the capture replace indexes") {
    LinkNames names;
    LinkNameLearner learner(names, PacketOrigin{PacketOrigin::Direction::FromKernel});
    // RTM_NEWLINK from the kernel: ifinfomsg index 1, IFLA_IFNAME "lo"
    walk_messages(MessageBuilder(RTM_NEWLINK, 0x2).raw(from_hex("00 00 0403 01000000 49000100 00000000"))
                      .attr(link::IFNAME, {'l', 'o', 0}).bytes(), 0, learner);
    REQUIRE(names.find(0, 1));
    CHECK(names.find(0, 1)->shown == "lo");
    SummaryBuilder s;
    s.set_names(&names);
    walk_messages(from_hex(real::kNewRoute), 0, s);
    CHECK(s.packet_line() == "RTM_NEWROUTE add 10.9.0.0/24 via 127.0.0.1 dev lo table main proto boot");
}

TEST_CASE("kernel messages are marked as reply or notification when the caller knows") {
    const auto reply = MessageBuilder(RTM_NEWROUTE, 0x2).rtmsg(2, 24).raw(from_hex("0800 0100 0a090000")).bytes();
    SummaryBuilder s;
    s.set_role(MessageRole::Reply);
    walk_messages(reply, 0, s);
    CHECK(s.packet_line() == "RTM_NEWROUTE reply 10.9.0.0/24 table main proto boot");
    SummaryBuilder n;
    n.set_role(MessageRole::Notification);
    walk_messages(MessageBuilder(RTM_DELROUTE, 0).rtmsg(2, 24).raw(from_hex("0800 0100 0a090000")).bytes(), 0, n);
    CHECK(n.packet_line() == "RTM_DELROUTE deleted 10.9.0.0/24 table main proto boot");
}

TEST_CASE("rule, nexthop and tc summaries in iproute2's words") {
    // ip rule add from 10.0.0.0/8 table 100 pref 100
    auto rule = MessageBuilder(RTM_NEWRULE, 0x605)
                    .raw(from_hex("02 00 08 00 64 00 00 01 00000000"))  // fib_rule_hdr: AF_INET, src_len 8, table 100, FR_ACT_TO_TBL
                    .attr(fib_rule::SRC, from_hex("0a000000"))                      // FRA_SRC 10.0.0.0
                    .attr_u32(fib_rule::PRIORITY, 100)                                   // FRA_PRIORITY
                    .bytes();
    CHECK(summarize(rule) == "RTM_NEWRULE add pref 100 from 10.0.0.0/8 lookup 100");
    // ip nexthop add id 1 via 10.1.0.2 dev 3
    auto nh = MessageBuilder(RTM_NEWNEXTHOP, 0x605)
                  .raw(from_hex("02 00 03 00 00000000"))  // nhmsg: AF_INET, proto boot
                  .attr_u32(nexthop::ID, 1)                         // NHA_ID
                  .attr(nexthop::GATEWAY, from_hex("0a010002"))          // NHA_GATEWAY
                  .attr_u32(nexthop::OIF, 3)                         // NHA_OIF
                  .bytes();
    CHECK(summarize(nh) == "RTM_NEWNEXTHOP add id 1 via 10.1.0.2 dev 3 proto boot");
    // tc qdisc add dev 3 root handle 1: htb
    auto qdisc = MessageBuilder(RTM_NEWQDISC, 0x605)
                     .raw(from_hex("00 000000 03000000 00000100 ffffffff 00000000"))  // tcmsg: ifindex 3, handle 1:, parent root
                     .attr(tc::KIND, {'h', 't', 'b', 0})                                    // TCA_KIND
                     .bytes();
    CHECK(summarize(qdisc) == "RTM_NEWQDISC add htb 1: dev 3 root");
    CHECK(format_tc_handle(0x00010010) == "1:10");
    CHECK(format_tc_handle(0xfffffff1) == "ingress");
}

namespace {
std::vector<std::uint8_t> text(const char* s) {
    std::vector<std::uint8_t> out(s, s + std::strlen(s));
    out.push_back(0);
    return out;
}
const auto kIfinfoIndex3Up = from_hex("00 00 0000 03000000 01000000 01000000");  // ifinfomsg: index 3, IFF_UP
const auto kIfinfoNone = from_hex("00 00 0000 00000000 00000000 00000000");
}  // namespace

TEST_CASE("a link request without NLM_F_CREATE is a set; with it an add; with REPLACE a replace") {
    // ip link set dev 3 up: REQUEST|ACK
    CHECK(summarize(MessageBuilder(RTM_NEWLINK, 0x005).raw(kIfinfoIndex3Up).bytes()) == "RTM_NEWLINK set 3: <UP>");
    // ip link add ...: REQUEST|ACK|EXCL|CREATE
    CHECK(summarize(MessageBuilder(RTM_NEWLINK, 0x605).raw(kIfinfoNone).attr(link::IFNAME, text("br0")).bytes()) ==
          "RTM_NEWLINK add br0");
    // REQUEST|ACK|REPLACE|CREATE
    CHECK(summarize(MessageBuilder(RTM_NEWLINK, 0x505).raw(kIfinfoNone).attr(link::IFNAME, text("br0")).bytes()) ==
          "RTM_NEWLINK replace br0");
    // other objects keep add without CREATE (the kernel adds an address without it)
    CHECK(summarize(from_hex(real::kNewRoute)).rfind("RTM_NEWROUTE add ", 0) == 0);
}

TEST_CASE("link lines name the index from the capture and carry the kind and a veth's peer") {
    LinkNames names;
    LinkNameLearner learner(names, PacketOrigin{PacketOrigin::Direction::FromKernel});
    walk_messages(MessageBuilder(RTM_NEWLINK, 0x2).raw(from_hex("00 00 0100 03000000 00000000 00000000"))
                      .attr(link::IFNAME, text("veth0")).bytes(), 0, learner);
    SummaryBuilder s;
    s.set_names(&names);
    walk_messages(MessageBuilder(RTM_NEWLINK, 0x005).raw(kIfinfoIndex3Up).attr_u32(link::MASTER, 3).bytes(), 0, s);
    CHECK(s.packet_line() == "RTM_NEWLINK set 3: veth0: <UP> master veth0");
    // ip link add veth0 type veth peer name veth1: IFLA_LINKINFO {KIND veth, DATA {PEER {ifinfomsg, IFNAME veth1}}}
    auto peer = kIfinfoNone;
    const auto peer_name = nla(link::IFNAME, text("veth1"));
    peer.insert(peer.end(), peer_name.begin(), peer_name.end());
    auto info = nla(linkinfo::KIND, text("veth"));
    const auto data = nla(linkinfo::DATA, nla(linkinfo_veth::PEER, peer));
    info.insert(info.end(), data.begin(), data.end());
    CHECK(summarize(MessageBuilder(RTM_NEWLINK, 0x605).raw(kIfinfoNone).attr(link::IFNAME, text("veth0"))
                        .attr(link::LINKINFO, info).bytes()) == "RTM_NEWLINK add veth0: type veth peer veth1");
    CHECK(summarize(MessageBuilder(RTM_NEWLINK, 0x605).raw(kIfinfoNone).attr(link::IFNAME, text("br0"))
                        .attr(link::LINKINFO, nla(linkinfo::KIND, text("bridge"))).bytes()) ==
          "RTM_NEWLINK add br0: type bridge");
    // nothing after the name: no trailing colon
    CHECK(summarize(MessageBuilder(RTM_GETLINK, 0x001).raw(kIfinfoNone).attr(link::IFNAME, text("br0")).bytes()) ==
          "RTM_GETLINK get br0");
}

TEST_CASE("a kernel message is named by its role, whatever request flags it copies") {
    // a nexthop notification carries the request's flags, NLM_F_REQUEST included
    const auto nh = MessageBuilder(RTM_NEWNEXTHOP, 0x605).raw(from_hex("02 00 03 00 00000000"))
                        .attr_u32(nexthop::ID, 7).bytes();
    CHECK(summarize(nh) == "RTM_NEWNEXTHOP add id 7 proto boot");  // without a role: what the flags say
    SummaryBuilder s;
    s.set_role(MessageRole::Notification);
    walk_messages(nh, 0, s);
    CHECK(s.packet_line() == "RTM_NEWNEXTHOP notify id 7 proto boot");
}

TEST_CASE("scopes in iproute2's names and ip route get's fibmatch") {
    // ifaddrmsg: AF_INET /24, scope 0 (RT_SCOPE_UNIVERSE), index 2; IFA_LOCAL 10.0.0.1
    CHECK(summarize(MessageBuilder(RTM_NEWADDR, 0x605).raw(from_hex("02 18 00 00 02000000"))
                        .attr(addr::LOCAL, from_hex("0a000001")).bytes()) == "RTM_NEWADDR add 2: inet 10.0.0.1/24 scope global");
    CHECK(summarize(MessageBuilder(RTM_NEWADDR, 0x605).raw(from_hex("02 18 00 fd 02000000"))
                        .attr(addr::LOCAL, from_hex("0a000001")).bytes()) == "RTM_NEWADDR add 2: inet 10.0.0.1/24 scope link");
    // rtmsg: AF_INET /32, rtm_flags RTM_F_LOOKUP_TABLE|RTM_F_FIB_MATCH (0x3000), then 0x1000 alone
    CHECK(summarize(MessageBuilder(RTM_GETROUTE, 0x001).raw(from_hex("02 20 00 00 00 00 00 00 00300000"))
                        .attr(route::DST, from_hex("0a1b0001")).bytes()) == "RTM_GETROUTE get 10.27.0.1 fibmatch");
    CHECK(summarize(MessageBuilder(RTM_GETROUTE, 0x001).raw(from_hex("02 20 00 00 00 00 00 00 00100000"))
                        .attr(route::DST, from_hex("0a1b0001")).bytes()) == "RTM_GETROUTE get 10.27.0.1");
}

namespace {
// Declines every nest, and notes what it is still shown: the summary's own wishes alone open nests.
struct NestProbe final : Visitor {
    std::vector<std::pair<unsigned, std::uint16_t>> nested;  // (depth, type) of attributes inside nests
    std::size_t problems = 0;
    void attr_begin(const AttrEvent& ev) override {
        if (ev.depth) nested.emplace_back(ev.depth, ev.type);
    }
    bool wants_children(const AttrEvent&) override { return false; }
    void problem(const Problem&) override { ++problems; }
};
}  // namespace

TEST_CASE("the summary opens only the nests its line reads: a veth's peer is found, the rest is not walked") {
    auto peer = kIfinfoNone;
    for (const auto& a : {nla(link::IFNAME, text("veth1")), nla(link::LINKINFO, nla(linkinfo::KIND, text("veth")))})
        peer.insert(peer.end(), a.begin(), a.end());
    auto info = nla(linkinfo::KIND, text("veth"));
    const auto data = nla(linkinfo::DATA, nla(linkinfo_veth::PEER, peer));
    info.insert(info.end(), data.begin(), data.end());
    // IFLA_AF_SPEC holding an attribute whose length runs past its nest: a problem only a walk inside finds
    const auto msg = MessageBuilder(RTM_NEWLINK, 0x605).raw(kIfinfoNone).attr(link::IFNAME, text("veth0"))
                         .attr(link::AF_SPEC, from_hex("0c00 0200 00000000")).attr(link::LINKINFO, info).bytes();
    SummaryBuilder s;
    s.set_max_lines(1);
    NestProbe probe;
    FanOut<SummaryBuilder, NestProbe> parts(&s, &probe);
    walk_messages(concat(msg, msg), 0, parts);
    CHECK(s.packet_line() == "RTM_NEWLINK add veth0: type veth peer veth1");  // the second: counted only
    CHECK(s.types().size() == 2);
    CHECK(probe.problems == 0);  // IFLA_AF_SPEC declined
    // the first message's IFLA_INFO_KIND, IFLA_INFO_DATA, VETH_INFO_PEER, the peer's IFLA_IFNAME and
    // IFLA_LINKINFO (declined inside); nothing of the second message, which gets no line of its own
    using P = std::pair<unsigned, std::uint16_t>;
    CHECK(probe.nested == std::vector<P>{{1, linkinfo::KIND}, {1, linkinfo::DATA}, {2, linkinfo_veth::PEER},
                                         {3, link::IFNAME}, {3, link::LINKINFO}});
    // walked alone, the problem inside IFLA_AF_SPEC is there
    CHECK(walk(msg).count(ProblemCode::AttrTruncated) == 1);
}
