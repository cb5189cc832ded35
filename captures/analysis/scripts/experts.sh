#!/bin/sh
# experts.pcap: `ip link show` (a full link dump) first, then one odd request
# per run of programs/experts.c (seq 1001..1011, see its header), iproute2's
# multipath route without `dev`, a route dump and an address dump at the end.
# Usage: sh scripts/experts.sh PATH/TO/experts       (in the prepared namespace)
set -e
x=$1
ip link show
"$x" prefix-host-bits    # (a) 10.9.0.5/24: EINVAL "Invalid prefix for given prefix length"
"$x" dup-attr            # (b) RTA_PRIORITY twice
ip route show            #     which priority the kernel kept
"$x" del-create          # (c) RTM_DELROUTE with NLM_F_CREATE
"$x" replace-excl        # (c) RTM_NEWROUTE with NLM_F_REPLACE|NLM_F_EXCL
"$x" oif-77              # (d) RTA_OIF 77: no such interface
"$x" nh-oif-zero         # (e) RTM_NEWNEXTHOP with NHA_OIF 0
"$x" mp-ifindex-zero     # (e) RTA_MULTIPATH nexthop with rtnh_ifindex 0
ip route add 10.41.0.0/24 nexthop via 10.0.0.2   # (e) the same from iproute2
"$x" no-ack-read         # (f) NLM_F_ACK, never read: the ACK is not in the capture
"$x" dst-len-33          # (g) IPv4 rtm_dst_len 33
"$x" dst-len-129         # (g) IPv6 rtm_dst_len 129
"$x" addr-len            # 16-byte RTA_DST in an AF_INET route
ip route show
ip -4 addr show dev lo   # 10.50.0.1 is there: the kernel did act on no-ack-read's request
