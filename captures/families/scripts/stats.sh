#!/bin/sh
# stats.pcap: link statistics (IFLA_STATS, IFLA_STATS64 via ip -s -d link show)
# and RTM_GETSTATS (ip stats show, every group this iproute2 knows).
. "$(dirname "$0")/lib.sh"

ip -s link show
ip -s -s link show dev veth0
ip -s -d link show
ip -s -d link show dev br0
ip stats show
ip stats show dev veth0 group link
ip stats show dev veth0 group offload subgroup cpu_hit
ip stats show dev veth0 group offload subgroup hw_stats_info
ip stats show dev veth0 group offload subgroup l3_stats
ip stats show dev veth1 group xstats_slave subgroup bridge suite stp
ip stats show dev veth1 group xstats_slave subgroup bridge suite mcast
ip stats show dev br0 group xstats subgroup bridge suite mcast
ip stats show dev veth0 group afstats subgroup mpls
