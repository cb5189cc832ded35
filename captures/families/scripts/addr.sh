#!/bin/sh
# addr.pcap: RTM_NEWADDR/GETADDR/DELADDR, IPv4 and IPv6, with flags, lifetimes,
# labels, peers, metrics; IPv6 tokens and address generation modes.
. "$(dirname "$0")/lib.sh"

ip addr add 10.0.0.1/24 brd + dev veth0 label veth0:main
ip addr add 10.0.1.1/24 dev veth0 valid_lft 3600 preferred_lft 1800 noprefixroute metric 50
ip addr add 10.0.2.1 peer 10.0.2.2/32 dev veth0 scope link
ip addr add 239.1.1.1/32 dev veth0 autojoin
ip -6 addr add 2001:db8::1/64 dev veth0 nodad
ip -6 addr add 2001:db8:1::1/64 dev veth0 nodad home mngtmpaddr noprefixroute valid_lft 7200 preferred_lft 3600
ip -6 addr add 2001:db8:2::1/64 dev veth0 optimistic
ip -6 addr add 2001:db8:3::1/64 dev veth1
ip -6 addr add ff05::5/128 dev veth0 autojoin
ip -6 addr add 2001:db8:4::1 peer 2001:db8:4::2 dev veth0 nodad metric 300
ip addr show
ip -d addr show dev veth0
ip -4 addr show
ip -6 addr show
ip addr show to 10.0.0.0/16
ip -6 addr show dev veth0 tentative
ip addr change 10.0.1.1/24 dev veth0 valid_lft forever preferred_lft forever
ip -6 addr replace 2001:db8:1::1/64 dev veth0 nodad valid_lft 600 preferred_lft 300
ip token set ::1:2:3:4/64 dev veth1
ip token list
ip link set dev veth1 addrgenmode random
ip link set dev veth1 addrgenmode none
ip addr del 10.0.2.1 peer 10.0.2.2/32 dev veth0
ip -6 addr del 2001:db8:2::1/64 dev veth0
ip -6 addr flush dev veth1
ip addr flush dev veth0 label veth0:main
ip addr show dev veth0
