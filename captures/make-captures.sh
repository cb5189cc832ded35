#!/bin/sh
# Rebuilds the captures in this directory (run as root; needs strace, iproute2,
# a C compiler, and for building rtnl-record a C++20 compiler).
#
# Every capture is recorded by rtnl-record inside a network namespace created for
# it ("rtnlcap") and deleted afterwards: the machine's own namespace is never
# changed. Usage: captures/make-captures.sh [NAME...]   (default: all)
#   NAME: route-oif-zero link-addr-dump route-extack route-multipath-v6 neigh
# Environment: RTNL_RECORD=path/to/rtnl-record (default: build it from tools/record).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
ns=rtnlcap

[ "$(id -u)" = 0 ] || { echo "make-captures.sh: must run as root (network namespaces)" >&2; exit 1; }
command -v strace >/dev/null || { echo "make-captures.sh: strace not found" >&2; exit 1; }

work=$(mktemp -d)
cleanup() {
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# rtnl-record: given, or compiled straight from its sources (no CMake tree needed).
if [ -n "${RTNL_RECORD:-}" ]; then
    record=$RTNL_RECORD
else
    record=$work/rtnl-record
    ${CXX:-g++} -std=c++20 -O2 -Wall -I"$repo/tools/record" -o "$record" "$repo"/tools/record/*.cpp
fi
${CC:-cc} -O2 -Wall -o "$work/oif-zero" "$here/programs/oif-zero.c"
${CC:-cc} -O2 -Wall -o "$work/rta-short-oif" "$here/programs/rta-short-oif.c"

fresh_ns() {
    ip netns del "$ns" 2>/dev/null || true
    ip netns add "$ns"
}
in_ns() { ip netns exec "$ns" "$@"; }
# record NAME SCRIPT-ARGS...: runs sh SCRIPT under rtnl-record inside the namespace
record() {
    name=$1
    shift
    echo "== $name" >&2
    in_ns "$record" -w "$here/$name.pcap" --strace-log "$work/$name.strace" -- "$@"
}

cap_route_oif_zero() {
    fresh_ns
    record route-oif-zero sh "$here/programs/route-oif-zero.sh" "$work/oif-zero"
}

cap_link_addr_dump() {
    fresh_ns
    in_ns sh -e -c '
        ip link set lo up
        ip link add veth0 type veth peer name veth1
        ip addr add 10.0.0.1/24 dev veth0
        ip addr add 2001:db8::1/64 dev veth0 nodad
        ip link set veth0 up
        ip link set veth1 up
        ip link add br0 type bridge
        # this kernel has no dummy driver; where there is one, add it too
        ip link add dummy0 type dummy 2>/dev/null && ip link set dummy0 up || true'
    record link-addr-dump sh "$here/programs/link-addr-dump.sh"
}

cap_route_extack() {
    fresh_ns
    record route-extack sh "$here/programs/route-extack.sh" "$work/rta-short-oif"
}

cap_route_multipath_v6() {
    fresh_ns
    in_ns sh -e -c '
        ip link set lo up
        ip link add veth0 type veth peer name veth1
        ip link add veth2 type veth peer name veth3
        ip addr add 10.1.0.1/24 dev veth0
        ip addr add 10.2.0.1/24 dev veth2
        ip addr add 2001:db8:a::1/64 dev veth0 nodad
        ip addr add 2001:db8:b::1/64 dev veth2 nodad
        for l in veth0 veth1 veth2 veth3; do ip link set $l up; done'
    record route-multipath-v6 sh "$here/programs/route-multipath-v6.sh"
}

cap_neigh() {
    fresh_ns
    in_ns sh -e -c '
        ip link set lo up
        ip link add veth0 type veth peer name veth1
        ip addr add 10.0.0.1/24 dev veth0
        ip addr add 2001:db8::1/64 dev veth0 nodad
        ip link set veth0 up
        ip link set veth1 up'
    record neigh sh "$here/programs/neigh.sh"
}

selected=${*:-route-oif-zero link-addr-dump route-extack route-multipath-v6 neigh}
for c in $selected; do
    case $c in
    route-oif-zero) cap_route_oif_zero ;;
    link-addr-dump) cap_link_addr_dump ;;
    route-extack) cap_route_extack ;;
    route-multipath-v6) cap_route_multipath_v6 ;;
    neigh) cap_neigh ;;
    *) echo "make-captures.sh: unknown capture $c" >&2; exit 2 ;;
    esac
    ip netns del "$ns" 2>/dev/null || true
done
