#!/bin/sh
# route-encap.pcap: routes: multipath v4/v6 with weights, metrics, route types,
# tables, realms, lightweight tunnel encaps (ip, ip6, seg6 encap/inline,
# seg6local actions, bpf; mpls when the kernel has it), lookups, mroute dumps.
. "$(dirname "$0")/lib.sh"

ip route add 10.20.0.0/24 nexthop via 10.1.0.2 dev veth0 weight 1 nexthop via 10.2.0.2 dev veth2 weight 3
ip route add 10.21.0.0/24 via 10.1.0.2 dev veth0 table 100 metric 10 proto static realm 5 mtu lock 1400 window 1000 rtt 10 initcwnd 10 quickack 1 features ecn
ip route add 10.26.0.0/24 dev veth0 scope link src 10.1.0.1
ip route add blackhole 10.22.0.0/24
ip route add unreachable 10.23.0.0/24
ip route add prohibit 10.24.0.0/24
ip route add throw 10.25.0.0/24 table 100
ip route add 10.27.0.0/24 encap ip id 5 dst 10.9.9.9 ttl 10 dev veth0
ip -6 route add 2001:db8:7::/64 encap ip6 id 7 dst 2001:db8::9 hoplimit 10 dev veth0
ip -6 route add 2001:db8:5::/64 encap seg6 mode encap segs 2001:db8::1,2001:db8::2 dev veth0
ip -6 route add 2001:db8:6::/64 encap seg6 mode inline segs 2001:db8::1 dev veth0
ip route add 10.28.0.0/24 encap seg6 mode encap segs 2001:db8::1 dev veth0
ip -6 route add 2001:db8:10::/64 encap seg6local action End dev veth0
ip -6 route add 2001:db8:11::/64 encap seg6local action End.X nh6 2001:db8:a::2 dev veth0
ip -6 route add 2001:db8:12::/64 encap seg6local action End.DT6 table 100 dev veth0
ip -6 route add 2001:db8:13::/64 encap seg6local action End.DX4 nh4 10.1.0.2 dev veth0
ip -6 route add 2001:db8:14::/64 encap seg6local action End.B6 srh segs 2001:db8::5,2001:db8::6 dev veth0
ip -6 route add 2001:db8:15::/64 encap seg6local action End.T table 100 dev veth0
if [ -n "$bpf_obj" ]; then ip route add 10.29.0.0/24 encap bpf in obj "$bpf_obj" sec lwt_in dev veth0; fi
if has mpls; then
    sysctl -qw net.mpls.platform_labels=1000 net.mpls.conf.veth0.input=1
    ip -f mpls route add 100 via inet 10.1.0.2 dev veth0
    ip -f mpls route add 101 as 200/300 via inet 10.1.0.2 dev veth0
    ip route add 10.30.0.0/24 encap mpls 100/200 via 10.1.0.2 dev veth0
    ip -f mpls route show
fi
ip -6 route add 2001:db8:20::/64 nexthop via 2001:db8:a::2 dev veth0 weight 2 nexthop via 2001:db8:b::2 dev veth2
ip -6 route add 2001:db8:21::/64 via 2001:db8:a::2 dev veth0 metric 512 pref high
ip route show
ip route show table all
ip -6 route show table all
ip -d route show table 100
ip route get 10.20.0.1
ip route get 10.26.0.7 from 10.1.0.1 mark 5
ip route get fibmatch 10.27.0.1
ip -6 route get 2001:db8:5::1
ip mroute show
ip -6 mroute show
ip route del 10.20.0.0/24
ip -6 route del 2001:db8:5::/64
ip route flush table 100
