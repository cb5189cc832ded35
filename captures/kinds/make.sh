#!/bin/sh
# Rebuilds the captures in captures/kinds/: message types and link kinds
# added for issue 13 - the bridge VLAN database (RTM_*VLAN), bridge and bond
# port options (IFLA_INFO_SLAVE_DATA), IPv4/IPv6 multicast and IPv6 anycast
# address notifications and dumps (RTM_*MULTICAST, RTM_*ANYCAST). Recorded by
# rtnl-record as pcapng inside network namespaces made for each capture and
# deleted afterwards. Run as root; needs strace, iproute2, python3-pyroute2.
#
# Usage: captures/kinds/make.sh [NAME...]     (default: all)
#   NAME: bridge-vlan mcast-acast
# Environment: RTNL_RECORD (default: built with CMake), RTNL_NS_PREFIX
# (namespace name prefix, default rtnlcap-), RTNL_ENGINE (rtnl-record's
# engine, default bpf), RTNL_RECORD_OPTS (more rtnl-record options).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
record_engine=${RTNL_ENGINE:-bpf}
. "$repo/captures/lib/capture.sh"
cap_begin kinds/make.sh
python=/usr/bin/python3  # Debian's, with python3-pyroute2

cap_bridge_vlan() {
    fresh_ns kinds
    lo_up kinds
    in_ns kinds ip link add br0 type bridge
    veth_pair kinds veth0 veth1
    in_ns kinds ip link set veth0 master br0
    in_ns kinds ip link set br0 up
    record kinds "$here/bridge-vlan.pcapng" sh "$here/scripts/bridge-vlan.sh"
}

# veth0 stays down until the script brings it up: its groups are joined then
cap_mcast_acast() {
    fresh_ns kinds
    lo_up kinds
    in_ns kinds ip link add veth0 type veth peer name veth1
    in_ns kinds ip link set veth1 up
    record kinds "$here/mcast-acast.pcapng" "$python" "$here/scripts/mcast-acast.py"
}

all="bridge-vlan mcast-acast"
for c in ${*:-$all}; do
    case $c in
    bridge-vlan) cap_bridge_vlan ;;
    mcast-acast) cap_mcast_acast ;;
    *) die "unknown capture $c (one of: $all)" ;;
    esac
done
