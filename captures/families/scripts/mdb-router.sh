#!/bin/sh
# mdb-router.pcap: a bridge's multicast router ports. A port set to
# mcast_router 2 (permanent) is on the bridge's router list, and an mdb dump
# then carries MDBA_ROUTER: per port an MDBA_ROUTER_PORT whose payload is the
# port's ifindex followed by its MDBA_ROUTER_PATTR_* attributes.
. "$(dirname "$0")/lib.sh"

ip link add br0 type bridge mcast_snooping 1
ip link set veth1 master br0
ip link set veth3 master br0
ip link set veth1 up
ip link set veth3 up
ip link set br0 up
bridge link set dev veth1 mcast_router 2
bridge link set dev veth3 mcast_router 2
bridge mdb add dev br0 port veth1 grp 239.1.1.1 permanent
bridge -d mdb show
bridge -d -s mdb show
bridge link set dev veth3 mcast_router 0
bridge -d mdb show
