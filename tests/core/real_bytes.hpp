// Netlink payloads of real packets from captures/ (cooked header removed),
// commented field by field.
#pragma once

namespace rtnl::test::real {

// captures/route-oif-zero.pcap frame 9: `ip route add 10.9.0.0/24 via 127.0.0.1 dev lo`
inline const char* kNewRoute =
    "34000000 1800 0506 a7f3046b 00000000"  // len 52, RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE, seq, pid 0
    "02 18 00 00 fe 03 00 01 00000000"      // rtmsg: AF_INET /24, table main, proto boot, scope universe, unicast
    "0800 0100 0a090000"                    // RTA_DST 10.9.0.0
    "0800 0500 7f000001"                    // RTA_GATEWAY 127.0.0.1
    "0800 0400 01000000";                   // RTA_OIF 1

// frame 10: the kernel's ACK of frame 9
inline const char* kAckNewRoute =
    "24000000 0200 0001 a7f3046b 981a0000"  // len 36, NLMSG_ERROR, NLM_F_CAPPED, seq, pid 6808
    "00000000"                              // error 0: ACK
    "34000000 1800 0506 a7f3046b 00000000"; // echoed request header only (capped)

// frame 11: the crafted RTM_DELROUTE with an explicit RTA_OIF = 0 (captures/programs/oif-zero.c)
inline const char* kDelRouteOifZero =
    "34000000 1900 0500 4fe9046b 00000000"  // len 52, RTM_DELROUTE, REQUEST|ACK, seq 1795483983
    "02 18 00 00 fe 00 ff 00 00000000"      // rtmsg: AF_INET /24, table main, scope nowhere
    "0800 0100 0a090100"                    // @28 RTA_DST 10.9.1.0
    "0800 0500 0a090001"                    // @36 RTA_GATEWAY 10.9.0.1
    "0800 0400 00000000";                   // @44 RTA_OIF 0

// frame 12: the kernel's answer, ESRCH with the whole request echoed
inline const char* kErrorEsrch =
    "48000000 0200 0000 4fe9046b 991a0000"  // len 72, NLMSG_ERROR, no flags (not capped), seq, pid
    "fdffffff"                              // @16 error -3 (ESRCH)
    "34000000 1900 0500 4fe9046b 00000000"  // @20 echoed RTM_DELROUTE ...
    "02 18 00 00 fe 00 ff 00 00000000"
    "0800 0100 0a090100"
    "0800 0500 0a090001"
    "0800 0400 00000000";                   // @64 echoed RTA_OIF 0


// captures/kube/go-netlink.pcap frame 9: vishvananda/netlink AddrList, an
// RTM_GETADDR dump whose family header is a zeroed 16-byte struct ifinfomsg
inline const char* kGoGetAddrDump =
    "20000000 1600 0103 03000000 00000000"  // len 32, RTM_GETADDR, REQUEST|DUMP, seq 3, pid 0
    "02 000000 00000000 00000000 00000000"; // ifinfomsg: AF_INET, the rest zero

// frame 15: RouteList, RTM_GETROUTE dump with the same 16-byte header
inline const char* kGoGetRouteDump =
    "20000000 1a00 0103 05000000 00000000"  // len 32, RTM_GETROUTE, REQUEST|DUMP, seq 5
    "02 000000 00000000 00000000 00000000";

// frame 13: the kernel's notification of RouteAdd 10.5.0.0/24 dev lo scope
// link (flags copied from the request, seq 4, the requester's port)
inline const char* kGoRouteNotify =
    "34000000 1800 0006 04000000 e8dea3b1"  // len 52, RTM_NEWROUTE, CREATE|EXCL
    "02 18 00 00 fe 03 fd 01 00000000"      // AF_INET /24, main, boot, scope link, unicast
    "0800 0f00 fe000000"                    // RTA_TABLE 254
    "0800 0100 0a050000"                    // RTA_DST 10.5.0.0
    "0800 0400 01000000";                   // RTA_OIF 1

// frame 18: RouteDel with the Route as Kubernetes code fills it: scope 0 (universe)
inline const char* kGoRouteDelUniverse =
    "2c000000 1900 0500 06000000 00000000"  // len 44, RTM_DELROUTE, REQUEST|ACK, seq 6
    "02 18 00 00 fe 00 00 00 00000000"      // AF_INET /24, main, scope universe
    "0800 0100 0a050000"                    // RTA_DST 10.5.0.0
    "0800 0400 01000000";                   // RTA_OIF 1

// captures/families/mdb-router.pcap frame 95: the kernel's answer to
// `bridge -d mdb show` with veth1 (index 2) a permanent multicast router port
inline const char* kMdbRouterPort =
    "7c000000 5600 0200 954a116b 7e7c0000"  // len 124, RTM_GETMDB (the dump's own type), MULTI, seq, pid 31870
    "00 000000 06000000"                    // br_port_msg: family 0, ifindex 6 (br0)
    "3800 0100"                             // @24 MDBA_MDB
    "3400 0100"                             //   MDBA_MDB_ENTRY
    "3000 0100 02000000 01 00 0000"         //     MDBA_MDB_ENTRY_INFO: port 2, permanent, flags 0, vid 0
    "ef010101 00000000 00000000 00000000"   //       239.1.1.1
    "0800 0000"                             //       proto ETH_P_IP, 2 bytes of padding
    "0800 0100 00000000"                    //       MDBA_MDB_EATTR_TIMER 0
    "0500 0500 04 000000"                   //       MDBA_MDB_EATTR_RTPROT 4 (static)
    "2c00 0200"                             // @80 MDBA_ROUTER
    "2800 0100"                             //   @84 MDBA_ROUTER_PORT
    "02000000"                              //     @88 the port's ifindex, no attribute header
    "0800 0100 00000000"                    //     @92 MDBA_ROUTER_PATTR_TIMER 0
    "0500 0200 02 000000"                   //     @100 MDBA_ROUTER_PATTR_TYPE 2 (MDB_RTR_TYPE_PERM)
    "0800 0300 00000000"                    //     @108 MDBA_ROUTER_PATTR_INET_TIMER 0
    "0800 0400 00000000";                   //     @116 MDBA_ROUTER_PATTR_INET6_TIMER 0

}  // namespace rtnl::test::real
