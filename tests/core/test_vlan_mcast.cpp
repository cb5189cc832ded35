// The message types and port kinds of issue 13: the bridge VLAN database
// (RTM_*VLAN, struct br_vlan_msg + BRIDGE_VLANDB_*), multicast and anycast
// address messages (RTM_*MULTICAST, RTM_*ANYCAST), and bridge/bond port data
// in requests that name the port kind in IFLA_INFO_KIND. Bytes from
// captures/kinds/ (iproute2 6.1 and pyroute2 on 6.18), re-lengthed variants.
#include "catch.hpp"

#include "message_builder.hpp"
#include "real_bytes.hpp"
#include "recording_visitor.hpp"
#include "rtnl/summary.hpp"
#include "rtnl/walker.hpp"

#include <string>
#include <vector>

using namespace rtnl;
using namespace rtnl::test;
using namespace rtnl::schema::attr;
using namespace rtnl::schema::msg;

namespace {
// struct br_vlan_msg: AF_BRIDGE, ifindex
std::vector<std::uint8_t> br_vlan_msg(std::uint8_t ifindex) { return {7, 0, 0, 0, ifindex, 0, 0, 0}; }

std::string info_line(const std::vector<std::uint8_t>& bytes) {
    SummaryBuilder s;
    walk_messages(bytes, 0, s);
    return s.lines().empty() ? std::string() : s.lines()[0];
}
}  // namespace

// bridge vlan set dev veth0 vid 20-30 state blocking mcast_router 2 (the request of captures/kinds/bridge-vlan.pcapng)
TEST_CASE("RTM_NEWVLAN: br_vlan_msg, an entry with info, range, state and multicast router") {
    const auto entry = concat(concat(concat(nla(vlandb_entry::INFO, from_hex("0000 1400")),  // flags 0, vid 20
                                            nla(vlandb_entry::RANGE, from_hex("1e00"))),       // up to 30
                                     nla(vlandb_entry::STATE, {4})),                            // blocking
                              nla(vlandb_entry::MCAST_ROUTER, {2}));                            // permanent
    const auto msg = MessageBuilder(RTM_NEWVLAN, 0x5).raw(br_vlan_msg(3)).attr(vlandb::ENTRY | 0x8000, entry).bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.bvm.family=7"));
    CHECK(r.has_value("rtnl.bvm.ifindex=3"));
    CHECK(r.has_value("rtnl.bridge.vlandb.entry.info.vid=20"));
    CHECK(r.has_value("rtnl.bridge.vlandb.entry.info.flags=0"));
    CHECK(r.has_value("rtnl.bridge.vlandb.entry.range=30"));
    CHECK(r.has_value("rtnl.bridge.vlandb.entry.state=4"));
    CHECK(r.has_value("rtnl.bridge.vlandb.entry.mcast_router=2"));
    CHECK(r.problems.empty());
    CHECK(info_line(msg) == "RTM_NEWVLAN add vlan 20-30 dev 3 state blocking mcast_router perm");
}

// what a kernel with vlan filtering sends for `bridge -s -d vlan show`: one entry with flags, stats, tunnel info
TEST_CASE("RTM_NEWVLAN reply: entry flags, statistics and tunnel info nests") {
    const auto stats = concat(nla(vlandb_stats::RX_BYTES, from_hex("e803000000000000")),
                              nla(vlandb_stats::TX_PACKETS, from_hex("0700000000000000")));
    const auto tinfo = nla(vlandb_tinfo::ID, from_hex("39300000"));  // tunnel id 12345
    const auto entry = concat(concat(concat(nla(vlandb_entry::INFO, from_hex("0600 0a00")),  // PVID|UNTAGGED, vid 10
                                            nla(vlandb_entry::STATE, {3})),
                                     nla(vlandb_entry::STATS | 0x8000, stats)),
                              nla(vlandb_entry::TUNNEL_INFO | 0x8000, tinfo));
    const auto msg = MessageBuilder(RTM_NEWVLAN, 0x2).raw(br_vlan_msg(4)).attr(vlandb::ENTRY | 0x8000, entry).bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.bridge.vlandb.entry.info.flags=6"));
    CHECK(r.has_value("rtnl.bridge.vlandb.stats.rx_bytes=1000"));
    CHECK(r.has_value("rtnl.bridge.vlandb.stats.tx_packets=7"));
    CHECK(r.has_value("rtnl.bridge.vlandb.tinfo.id=12345"));
    CHECK(r.problems.empty());
    CHECK(info_line(msg) == "RTM_NEWVLAN vlan 10 dev 4 pvid untagged state forwarding");
}

// bridge vlan global set dev br0 vid 10 mcast_snooping 1 ... msti 3
TEST_CASE("RTM_NEWVLAN: global options") {
    const auto gopts = concat(concat(concat(nla(vlandb_gopts::ID, from_hex("0a00")),
                                            nla(vlandb_gopts::MCAST_SNOOPING, {1})),
                                     nla(vlandb_gopts::MCAST_QUERY_INTVL, from_hex("d430000000000000"))),
                              nla(vlandb_gopts::MSTI, from_hex("0300")));
    const auto msg = MessageBuilder(RTM_NEWVLAN, 0x5).raw(br_vlan_msg(2)).attr(vlandb::GLOBAL_OPTIONS | 0x8000, gopts).bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.bridge.vlandb.gopts.id=10"));
    CHECK(r.has_value("rtnl.bridge.vlandb.gopts.mcast_snooping=1"));
    CHECK(r.has_value("rtnl.bridge.vlandb.gopts.mcast_query_intvl=12500"));
    CHECK(r.has_value("rtnl.bridge.vlandb.gopts.msti=3"));
    CHECK(r.problems.empty());
    CHECK(info_line(msg) == "RTM_NEWVLAN add vlan 10 dev 2 global");
}

TEST_CASE("RTM_GETVLAN dump request: the dump attributes, not the entry's") {
    const auto msg = MessageBuilder(RTM_GETVLAN, 0x301).raw(br_vlan_msg(0)).attr_u32(vlandb_dump::FLAGS, 3).bytes();
    const auto r = walk(msg);
    CHECK(r.has_value("rtnl.bridge.vlandb.dump.flags=3"));
    CHECK_FALSE(r.has_value("rtnl.bridge.vlandb.entry=3"));
    CHECK(r.problems.empty());
    CHECK(info_line(msg) == "RTM_GETVLAN dump stats global");
}

TEST_CASE("BRIDGE_VLANDB_* scalars short, exact and long") {
    struct Case { std::uint16_t space_attr; std::uint16_t type; std::size_t size; const char* field; };
    for (const Case c : {Case{vlandb::ENTRY, vlandb_entry::RANGE, 2, "rtnl.bridge.vlandb.entry.range"},
                         Case{vlandb::ENTRY, vlandb_entry::STATE, 1, "rtnl.bridge.vlandb.entry.state"},
                         Case{vlandb::ENTRY, vlandb_entry::MCAST_MAX_GROUPS, 4, "rtnl.bridge.vlandb.entry.mcast_max_groups"},
                         Case{vlandb::GLOBAL_OPTIONS, vlandb_gopts::MCAST_LAST_MEMBER_CNT, 4,
                              "rtnl.bridge.vlandb.gopts.mcast_last_member_cnt"},
                         Case{vlandb::GLOBAL_OPTIONS, vlandb_gopts::MCAST_MEMBERSHIP_INTVL, 8,
                              "rtnl.bridge.vlandb.gopts.mcast_membership_intvl"}}) {
        for (const std::size_t size : {c.size - 1, c.size, c.size + 1}) {
            const auto inner = nla(c.type, std::vector<std::uint8_t>(size, 1));
            const auto r = walk(MessageBuilder(RTM_NEWVLAN, 0x5).raw(br_vlan_msg(3)).attr(c.space_attr | 0x8000, inner).bytes());
            INFO(c.field << " payload " << size);
            const bool ok = size == c.size;
            CHECK(r.count(ProblemCode::AttrPayloadSize) == (ok ? 0u : 1u));
            std::uint64_t all_ones = 0;  // the value of `size` bytes of 1
            for (std::size_t i = 0; i < size; ++i) all_ones = all_ones << 8 | 1;
            CHECK(r.has_value(std::string(c.field) + "=" + std::to_string(all_ones)) == ok);
            CHECK(r.count(ProblemCode::UnknownAttribute) == 0);
        }
    }
}

TEST_CASE("BRIDGE_VLANDB_ENTRY_INFO short, exact and long") {
    const auto info = from_hex("0200 0a00 00");  // PVID, vid 10, one byte more
    for (const std::size_t size : {3, 4, 5}) {
        const std::vector<std::uint8_t> payload(info.begin(), info.begin() + static_cast<long>(size));
        const auto entry = nla(vlandb_entry::INFO, payload);
        const auto r = walk(MessageBuilder(RTM_NEWVLAN, 0x5).raw(br_vlan_msg(3)).attr(vlandb::ENTRY | 0x8000, entry).bytes());
        INFO("payload " << size);
        CHECK(r.count(ProblemCode::AttrPayloadSize) == (size < 4 ? 1u : 0u));  // structs may grow at the end
        CHECK(r.has_value("rtnl.bridge.vlandb.entry.info.vid=10") == (size >= 4));
    }
}

// ip monitor maddress on 6.18: what the kernel sent to pyroute2's RTNLGRP_IPV6_MCADDR listener
TEST_CASE("RTM_NEWMULTICAST / RTM_NEWANYCAST: ifaddrmsg, IFA_MULTICAST or IFA_ANYCAST, IFA_CACHEINFO") {
    const auto mcast = MessageBuilder(RTM_NEWMULTICAST, 0)
                           .raw(from_hex("0a 80 80 fd 02000000"))  // AF_INET6 /128, IFA_F_PERMANENT, scope link, index 2
                           .attr(addr::MULTICAST, from_hex("ff020000000000000000000000000001"))
                           .attr(addr::CACHEINFO, from_hex("ffffffff ffffffff 10000000 10000000"))
                           .bytes();
    auto r = walk(mcast);
    CHECK(r.has_value("rtnl.ifa.multicast6=ff02::1"));
    CHECK(r.has_value("rtnl.ifa.index=2"));
    CHECK(r.problems.empty());
    CHECK(info_line(mcast) == "RTM_NEWMULTICAST inet6 mcast ff02::1 dev 2");
    const auto acast = MessageBuilder(RTM_DELANYCAST, 0)
                           .raw(from_hex("0a 80 80 00 02000000"))
                           .attr(addr::ANYCAST, from_hex("20010db8004000000000000000000000"))
                           .bytes();
    r = walk(acast);
    CHECK(r.has_value("rtnl.ifa.anycast6=2001:db8:40::"));
    CHECK(r.problems.empty());
    CHECK(info_line(acast) == "RTM_DELANYCAST inet6 anycast 2001:db8:40:: dev 2");
    const auto mcast4 = MessageBuilder(RTM_NEWMULTICAST, 0)
                            .raw(from_hex("02 20 80 00 02000000"))
                            .attr(addr::MULTICAST, from_hex("e0000001"))
                            .bytes();
    CHECK(walk(mcast4).has_value("rtnl.ifa.multicast=224.0.0.1"));
    CHECK(info_line(mcast4) == "RTM_NEWMULTICAST inet mcast 224.0.0.1 dev 2");
}

TEST_CASE("IFA_MULTICAST short, exact and long for AF_INET6") {
    for (const std::size_t size : {15, 16, 17}) {
        const auto r = walk(MessageBuilder(RTM_NEWMULTICAST, 0)
                                .raw(from_hex("0a 80 80 fd 02000000"))
                                .attr(addr::MULTICAST, std::vector<std::uint8_t>(size, 0xff))
                                .bytes());
        INFO("payload " << size);
        CHECK(r.count(ProblemCode::AddressLength) == (size == 16 ? 0u : 1u));
    }
}

// ip link set veth0 type bridge_slave cost 5 ... (captures/kinds/bridge-vlan.pcapng)
TEST_CASE("IFLA_INFO_SLAVE_DATA of a request: IFLA_INFO_KIND bridge_slave / bond_slave selects the port table") {
    const auto brport = concat(nla(linkinfo::KIND, from_hex("6272696467655f736c617665")),  // "bridge_slave", no NUL
                               nla(linkinfo::SLAVE_DATA | 0x8000,
                                          concat(nla(linkinfo_brport::COST, from_hex("05000000")),
                                                 nla(linkinfo_brport::STATE, {3}))));
    auto r = walk(MessageBuilder(RTM_NEWLINK, 0x5).raw(std::vector<std::uint8_t>(16, 0)).attr(link::LINKINFO | 0x8000, brport).bytes());
    CHECK(r.has_value("rtnl.ifla.info.kind=bridge_slave"));
    CHECK(r.has_value("rtnl.ifla.brport.cost=5"));
    CHECK(r.has_value("rtnl.ifla.brport.state=3"));
    CHECK(r.count(ProblemCode::UnknownSubMessage) == 0);
    CHECK(r.problems.empty());
    const auto bond = concat(nla(linkinfo::KIND, from_hex("626f6e645f736c617665")),  // "bond_slave"
                             nla(linkinfo::SLAVE_DATA | 0x8000, nla(bond_slave::QUEUE_ID, from_hex("0200"))));
    r = walk(MessageBuilder(RTM_NEWLINK, 0x5).raw(std::vector<std::uint8_t>(16, 0)).attr(link::LINKINFO | 0x8000, bond).bytes());
    CHECK(r.has_value("rtnl.ifla.bond.slave.queue_id=2"));
    CHECK(r.problems.empty());
    // A reply names the master's kind in IFLA_INFO_SLAVE_KIND: that wins over IFLA_INFO_KIND.
    const auto reply = concat(concat(nla(linkinfo::KIND, from_hex("7665746800")),       // "veth"
                                     nla(linkinfo::SLAVE_KIND, from_hex("62726964676500"))),  // "bridge"
                              nla(linkinfo::SLAVE_DATA | 0x8000, nla(linkinfo_brport::COST, from_hex("05000000"))));
    r = walk(MessageBuilder(RTM_NEWLINK, 0x2).raw(std::vector<std::uint8_t>(16, 0)).attr(link::LINKINFO | 0x8000, reply).bytes());
    CHECK(r.has_value("rtnl.ifla.brport.cost=5"));
    CHECK(r.problems.empty());
    // Neither names a port kind: the data stays raw, with its note.
    const auto unnamed = nla(linkinfo::SLAVE_DATA | 0x8000, nla(1, from_hex("05000000")));
    r = walk(MessageBuilder(RTM_NEWLINK, 0x5).raw(std::vector<std::uint8_t>(16, 0)).attr(link::LINKINFO | 0x8000, unnamed).bytes());
    CHECK(r.count(ProblemCode::UnknownSubMessage) == 1);
}

TEST_CASE("an mdb dump's router port: its ifindex without a header, then its MDBA_ROUTER_PATTR_* attributes") {
    const auto r = walk(from_hex(real::kMdbRouterPort));
    CHECK(r.has("struct mdb-router-port @88+4"));
    CHECK(r.has("member rtnl.mdba.router.port.ifindex=2 @88+4"));
    CHECK(r.has("attr rtnl.mdba.router.pattr.timer=0 @92+8 d2"));
    CHECK(r.has("attr rtnl.mdba.router.pattr.type=2 @100+5 d2"));
    CHECK(r.has("attr rtnl.mdba.router.pattr.inet6_timer=0 @116+8 d2"));
    CHECK(r.problems.empty());
    // Older kernels sent the ifindex alone: the header, no attributes.
    const auto old = walk(MessageBuilder(RTM_GETMDB, 0x2)
                              .raw({0, 0, 0, 0, 6, 0, 0, 0})
                              .attr(mdb::ROUTER, nla(mdb_router::PORT, {3, 0, 0, 0}))
                              .bytes());
    CHECK(old.has("member rtnl.mdba.router.port.ifindex=3 @32+4"));
    CHECK(old.problems.empty());
}
