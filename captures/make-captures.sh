#!/bin/sh
# Rebuilds the captures in this directory (run as root; needs strace, iproute2,
# a C compiler, and for building rtnl-record a C++20 compiler).
#
# Every capture is recorded by rtnl-record inside a network namespace created for
# it and deleted afterwards (captures/lib/capture.sh): the machine's own namespace
# is never changed. Usage: captures/make-captures.sh [NAME...]   (default: all)
#   NAME: route-oif-zero link-addr-dump route-extack route-multipath-v6 neigh
# Environment: RTNL_RECORD=path/to/rtnl-record (default: build it from tools/record),
# RTNL_NS_PREFIX (namespace name prefix, default rtnlcap-).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
. "$repo/captures/lib/capture.sh"
cap_begin make-captures.sh
cap_cc oif-zero "$here/programs/oif-zero.c"
cap_cc rta-short-oif "$here/programs/rta-short-oif.c"

cap_route_oif_zero() {
    fresh_ns cap
    record cap "$here/route-oif-zero.pcap" sh "$here/programs/route-oif-zero.sh" "$work/oif-zero"
}

cap_link_addr_dump() {
    fresh_ns cap
    one_pair_addressed cap
    setup cap '
        ip link add br0 type bridge
        # this kernel has no dummy driver; where there is one, add it too
        ip link add dummy0 type dummy 2>/dev/null && ip link set dummy0 up || true'
    record cap "$here/link-addr-dump.pcap" sh "$here/programs/link-addr-dump.sh"
}

cap_route_extack() {
    fresh_ns cap
    record cap "$here/route-extack.pcap" sh "$here/programs/route-extack.sh" "$work/rta-short-oif"
}

cap_route_multipath_v6() {
    fresh_ns cap
    two_pairs_addressed cap
    record cap "$here/route-multipath-v6.pcap" sh "$here/programs/route-multipath-v6.sh"
}

cap_neigh() {
    fresh_ns cap
    one_pair_addressed cap
    record cap "$here/neigh.pcap" sh "$here/programs/neigh.sh"
}

all="route-oif-zero link-addr-dump route-extack route-multipath-v6 neigh"
for c in ${*:-$all}; do
    case $c in
    route-oif-zero) cap_route_oif_zero ;;
    link-addr-dump) cap_link_addr_dump ;;
    route-extack) cap_route_extack ;;
    route-multipath-v6) cap_route_multipath_v6 ;;
    neigh) cap_neigh ;;
    *) die "unknown capture $c (one of: $all)" ;;
    esac
done
