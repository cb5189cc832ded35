#include "catch.hpp"

#include "message_builder.hpp"
#include "recording_visitor.hpp"
#include "rtnl/walker.hpp"

#include <string>
#include <string_view>
#include <vector>

using namespace rtnl;
using namespace rtnl::test;
using namespace rtnl::schema::attr;  // route::OIF ...
using namespace rtnl::schema::msg;   // RTM_NEWROUTE ...

// From captures/link-addr-dump.pcap frame 4 (RTM_NEWLINK for veth1 in a dump),
// cut to the attributes that matter here and re-lengthed.
TEST_CASE("RTM_NEWLINK: ifinfomsg, IFLA_IFNAME, MTU, ADDRESS, LINKINFO kind") {
    auto msg = MessageBuilder(RTM_NEWLINK, 0x2)
                   .raw(from_hex("00 00 0100 02000000 43100100 00000000"))  // ifinfomsg: AF_UNSPEC, ARPHRD_ETHER, index 2, flags UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
                   .attr(link::IFNAME, {'v', 'e', 't', 'h', '1', 0})                   // IFLA_IFNAME "veth1"
                   .attr_u32(link::MTU, 1500)                                       // IFLA_MTU
                   .attr(link::ADDRESS, from_hex("b6f18a0c0d0e"))                       // IFLA_ADDRESS
                   .attr(link::LINKINFO | 0x8000, from_hex("0900 0100 76657468 00000000"))  // IFLA_LINKINFO { IFLA_INFO_KIND "veth" }
                   .attr_u32(link::MASTER, 7)                                         // IFLA_MASTER 7
                   .bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.ifi.index=2"));
    CHECK(r.has_value("rtnl.ifi.type=1"));
    CHECK(r.has_value("rtnl.ifi.flags=69699"));
    CHECK(r.has_value("rtnl.ifla.ifname=veth1"));
    CHECK(r.has_value("rtnl.ifla.mtu=1500"));
    CHECK(r.has_value("rtnl.ifla.address=b6:f1:8a:0c:0d:0e"));
    CHECK(r.has_value("rtnl.ifla.info.kind=veth"));
    CHECK(r.has_value("rtnl.ifla.master=7"));
    CHECK(r.problems.empty());
}

TEST_CASE("link kind selects the IFLA_INFO_DATA table (sub-message)") {
    // IFLA_LINKINFO { IFLA_INFO_KIND "vlan", IFLA_INFO_DATA { IFLA_VLAN_ID 100 } }
    auto msg = MessageBuilder(RTM_NEWLINK, 0x2)
                   .raw(std::vector<std::uint8_t>(16, 0))
                   .attr(link::LINKINFO | 0x8000, from_hex("0900 0100 766c616e 00000000"
                                               "0c00 0280 0600 0100 6400 0000"))
                   .bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.ifla.info.kind=vlan"));
    CHECK(r.has_value("rtnl.ifla.vlan.id=100"));
    CHECK(r.count(ProblemCode::UnknownSubMessage) == 0);
}

TEST_CASE("RTM_NEWADDR: ifaddrmsg and IFA_* with family-typed addresses") {
    auto msg = MessageBuilder(RTM_NEWADDR, 0x2)
                   .raw(from_hex("02 18 80 00 03000000"))  // ifaddrmsg: AF_INET /24, IFA_F_PERMANENT, scope universe, index 3
                   .attr(addr::ADDRESS, from_hex("0a000001"))          // IFA_ADDRESS 10.0.0.1
                   .attr(addr::LOCAL, from_hex("0a000001"))          // IFA_LOCAL 10.0.0.1
                   .attr(addr::LABEL, {'v', 'e', 't', 'h', '0', 0})  // IFA_LABEL
                   .attr_u32(addr::FLAGS, 0x80)                      // IFA_FLAGS IFA_F_PERMANENT
                   .attr(addr::CACHEINFO, from_hex("ffffffff ffffffff 2c010000 2c010000"))  // IFA_CACHEINFO
                   .bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.ifa.prefixlen=24"));
    CHECK(r.has_value("rtnl.ifa.flags=128"));
    CHECK(r.has_value("rtnl.ifa.index=3"));
    CHECK(r.has_value("rtnl.ifa.address=10.0.0.1"));
    CHECK(r.has_value("rtnl.ifa.local=10.0.0.1"));
    CHECK(r.has_value("rtnl.ifa.label=veth0"));
    CHECK(r.has_value("rtnl.ifa.cacheinfo.ifa_prefered=4294967295"));
    CHECK(r.has_value("rtnl.ifa.cacheinfo.tstamp=300"));
    CHECK(r.problems.empty());
}

TEST_CASE("RTM_NEWNEIGH: ndmsg, NDA_DST by family, NDA_LLADDR") {
    auto msg = MessageBuilder(RTM_NEWNEIGH, 0x605)
                   .raw(from_hex("02 000000 03000000 8000 00 01"))  // ndmsg: AF_INET, ifindex 3, NUD_PERMANENT, flags 0, RTN_UNICAST
                   .attr(neighbour::DST, from_hex("0a000002"))                   // NDA_DST 10.0.0.2
                   .attr(neighbour::LLADDR, from_hex("aabbccddeeff"))               // NDA_LLADDR
                   .bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.ndm.ifindex=3"));
    CHECK(r.has_value("rtnl.ndm.state=128"));
    CHECK(r.has_value("rtnl.nda.dst=10.0.0.2"));
    CHECK(r.has_value("rtnl.nda.lladdr=aa:bb:cc:dd:ee:ff"));
}

TEST_CASE("NHA_OIF = 0 in a nexthop object is flagged like RTA_OIF") {
    auto msg = MessageBuilder(RTM_NEWNEXTHOP, 0x605)
                   .raw(from_hex("02 00 03 00 00000000"))  // nhmsg: AF_INET, scope 0, proto boot
                   .attr_u32(nexthop::ID, 5)                         // NHA_ID 5
                   .attr_u32(nexthop::OIF, 0)                         // NHA_OIF 0
                   .bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.nha.id=5"));
    CHECK(r.has_value("rtnl.nha.oif=0"));
    CHECK(r.count(ProblemCode::OifZero) == 1);
}

TEST_CASE("dump request padded with zeros (iproute2) ends as padding, not as a bad message") {
    auto req = MessageBuilder(RTM_GETADDR, 0x301).raw(from_hex("00 00 00 00 00000000")).bytes();
    req.resize(req.size() + 128, 0);
    const auto r = walk(req);
    CHECK(r.problems.empty());
    CHECK(r.has("message 22 @0+24"));
}

TEST_CASE("IFLA_AF_SPEC: the IPv4 devconf array by position name") {
    // IFLA_AF_SPEC { AF_INET { IFLA_INET_CONF [forwarding 1, mc_forwarding 0, proxy_arp 1] } }
    auto msg = MessageBuilder(RTM_NEWLINK, 0x2)
                   .raw(std::vector<std::uint8_t>(16, 0))
                   .attr(link::AF_SPEC | 0x8000, from_hex("1400 0200"              // AF_INET nest, 20 bytes
                                               "1000 0100"              //   IFLA_INET_CONF, 3 entries
                                               "01000000 00000000 01000000"))
                   .bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.ifla.inet.conf.forwarding=1"));
    CHECK(r.has_value("rtnl.ifla.inet.conf.mc_forwarding=0"));
    CHECK(r.has_value("rtnl.ifla.inet.conf.proxy_arp=1"));
    CHECK(r.problems.empty());  // an array shorter than the names the schema knows is fine
}

TEST_CASE("vxlan link data: kind without NUL as iproute2 sends it, VNI, port in network order") {
    auto msg = MessageBuilder(RTM_NEWLINK, 0x605)
                   .raw(std::vector<std::uint8_t>(16, 0))
                   .attr(link::LINKINFO | 0x8000, from_hex("0900 0100 7678 6c61 6e00 0000"  // IFLA_INFO_KIND "vxlan" (5 bytes, no NUL)
                                               "1c00 0280"                      // IFLA_INFO_DATA
                                               "0800 0100 2a000000"             //   IFLA_VXLAN_ID 42
                                               "0600 0f00 12b5 0000"            //   IFLA_VXLAN_PORT 4789 (be16)
                                               "0800 0200 ef010101"))           //   IFLA_VXLAN_GROUP 239.1.1.1
                   .bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.ifla.info.kind=vxlan"));
    CHECK(r.has_value("rtnl.ifla.vxlan.id=42"));
    CHECK(r.has_value("rtnl.ifla.vxlan.port=4789"));
    CHECK(r.has_value("rtnl.ifla.vxlan.group=239.1.1.1"));
    CHECK(r.problems.empty());
}

TEST_CASE("geneve link data: IFLA_GENEVE_GRO_HINT, an attribute of 6.x kernels, is a flag") {
    auto msg = MessageBuilder(RTM_NEWLINK, 0x605)
                   .raw(std::vector<std::uint8_t>(16, 0))
                   .attr(link::LINKINFO | 0x8000, from_hex("0b00 0100 67656e657665 0000"  // IFLA_INFO_KIND "geneve"
                                               "0800 0280"                      // IFLA_INFO_DATA
                                               "0400 1000"))                    //   IFLA_GENEVE_GRO_HINT
                   .bytes();
    const auto r = walk(msg);
    CHECK(schema::attr::linkinfo_geneve::GRO_HINT == 16);
    CHECK(r.has("attr rtnl.ifla.geneve.gro_hint= @52+4 d2"));
    CHECK(r.problems.empty());
}

TEST_CASE("veth peer: a nested ifinfomsg and link attributes") {
    auto msg = MessageBuilder(RTM_NEWLINK, 0x605)
                   .raw(std::vector<std::uint8_t>(16, 0))
                   .attr(link::LINKINFO | 0x8000, from_hex("0800 0100 76657468"           // IFLA_INFO_KIND "veth"
                                               "2000 0280"                    // IFLA_INFO_DATA
                                               "1c00 0100"                    //   VETH_INFO_PEER
                                               "00 00 0000 05000000 00000000 00000000"  // ifinfomsg index 5
                                               "0800 0300 70656572"))         //   IFLA_IFNAME "peer"
                   .bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.ifi.index=5"));
    CHECK(r.has_value("rtnl.ifla.ifname=peer"));
    CHECK(r.problems.empty());
}

TEST_CASE("IFLA_AF_SPEC of an AF_BRIDGE link: bridge flags and VLAN entries") {
    // bridge vlan add vid 10 pvid untagged dev veth0 (iproute2's request shape)
    auto msg = MessageBuilder(RTM_SETLINK, 0x5)
                   .raw(from_hex("07 00 0000 03000000 00000000 00000000"))  // ifinfomsg: AF_BRIDGE, index 3
                   .attr(link::AF_SPEC | 0x8000, from_hex("0600 0000 0100 0000"      // IFLA_BRIDGE_FLAGS: BRIDGE_FLAGS_MASTER
                                               "0800 0200 0600 0a00"))    // IFLA_BRIDGE_VLAN_INFO: PVID|UNTAGGED, vid 10
                   .bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.ifla.bridge.flags=1"));
    CHECK(r.has_value("rtnl.ifla.bridge.vlan_info.flags=6"));
    CHECK(r.has_value("rtnl.ifla.bridge.vlan_info.vid=10"));
    CHECK(r.problems.empty());
}

namespace {
// Reads one member of the family header and none of the statistics, as a
// filter does: the struct events come either way, and what follows.
struct HeaderOnly : Visitor {
    int structs_begun = 0, structs_ended = 0;
    std::int64_t index = -1;
    std::uint64_t rx_packets = 0;
    std::vector<std::string> attrs;
    void struct_begin(const StructView& s) override {
        ++structs_begun;
        if (s.spec == &schema::struct_ifinfomsg) {
            if (const auto m = s.member_at(schema::member::ifinfomsg::ifi_index)) index = m->value().s;
        } else if (const auto m = s.member_at(schema::member::rtnl_link_stats::rx_packets)) {
            rx_packets = m->value().u;
        }
    }
    void struct_end(const StructSpec&) override { ++structs_ended; }
    void attr_begin(const AttrEvent& ev) override {
        if (ev.field) attrs.push_back(ev.field->abbrev);
    }
};
}  // namespace

TEST_CASE("struct members: one event per struct, a member read by its offset, the rest of the message follows") {
    std::vector<std::uint8_t> stats(96, 0);  // struct rtnl_link_stats: 24 u32 counters
    stats[0] = 5;                            // rx_packets 5
    auto msg = MessageBuilder(RTM_NEWLINK, 0x2)
                   .raw(from_hex("00 00 0100 02000000 43100100 00000000"))  // ifinfomsg, index 2
                   .attr(link::STATS, stats)                                          // IFLA_STATS
                   .attr_u32(link::MTU, 1500)                                       // IFLA_MTU, after the struct
                   .bytes();
    HeaderOnly v;
    CHECK(walk_messages(msg, 0, v) == 1);
    CHECK(v.structs_begun == 2);
    CHECK(v.structs_ended == 2);
    CHECK(v.index == 2);
    CHECK(v.rx_packets == 5);
    CHECK(v.attrs == std::vector<std::string>{"rtnl.ifla.stats", "rtnl.ifla.mtu"});
    // A visitor that wants everything (the default) gets the counters.
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.ifla.stats.rx_packets=5"));
}
