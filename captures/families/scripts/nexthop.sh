#!/bin/sh
# nexthop.pcap: RTM_NEWNEXTHOP/GETNEXTHOP/DELNEXTHOP (nhmsg + NHA_*): single
# (v4, v6, device only, encap), blackhole, groups with weights, resilient group
# with its buckets (RTM_*NEXTHOPBUCKET), fdb nexthops and groups; routes via nhid.
. "$(dirname "$0")/lib.sh"

ip nexthop add id 1 via 10.1.0.2 dev veth0
ip nexthop add id 2 via 10.2.0.2 dev veth2 proto static
ip nexthop add id 3 via 2001:db8:a::2 dev veth0
ip nexthop add id 4 dev veth0
ip nexthop add id 5 blackhole
ip nexthop add id 6 encap ip id 5 dst 10.9.9.9 via 10.1.0.2 dev veth0
ip nexthop add id 10 group 1/2,3
ip nexthop add id 11 group 1,2/2 type resilient buckets 16 idle_timer 60 unbalanced_timer 300
ip nexthop add id 20 via 10.1.0.5 fdb
ip nexthop add id 21 via 10.1.0.6 fdb
ip nexthop add id 22 group 20/21 fdb
ip route add 10.40.0.0/24 nhid 10
ip route add 10.41.0.0/24 nhid 11
ip route add 10.42.0.0/24 nhid 5
ip -6 route add 2001:db8:40::/64 nhid 3
ip nexthop show
ip -d nexthop show
ip nexthop show id 10
ip nexthop show groups
ip nexthop show fdb
ip nexthop get id 11
ip nexthop bucket show id 11
ip nexthop bucket get id 11 index 0
ip route show
ip -6 route show
ip nexthop replace id 10 group 1,2
ip nexthop replace id 4 dev veth2
ip nexthop del id 22
ip nexthop del id 10
ip nexthop flush
ip nexthop show
