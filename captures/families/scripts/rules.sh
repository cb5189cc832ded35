#!/bin/sh
# rules.pcap: RTM_NEWRULE/GETRULE/DELRULE (fib_rule_hdr + FRA_*), IPv4 and IPv6.
. "$(dirname "$0")/lib.sh"

ip rule add from 10.0.0.0/8 to 192.168.0.0/16 table 100 pref 100
ip rule add from 10.1.0.0/16 ipproto tcp sport 1000-2000 dport 80-90 table 101 pref 110
ip rule add fwmark 0x10/0xff table 102 pref 120
ip rule add uidrange 1000-2000 table 103 pref 130
ip rule add iif veth0 oif veth1 tos 0x10 table 104 pref 140
ip rule add not from 10.2.0.0/16 lookup main suppress_prefixlength 0 suppress_ifgroup 5 pref 150
ip rule add from all goto 170 pref 160
ip rule add prohibit from 10.4.0.0/16 pref 170
ip rule add from 10.3.0.0/16 realms 5 table 105 pref 180 protocol static
ip rule add tun_id 5 table 106 pref 190
ip rule add ipproto udp sport 53 table 107 pref 200
ip rule add l3mdev pref 1000
ip -6 rule add from 2001:db8::/32 to 2001:db8:1::/48 ipproto udp dport 53 table 100 pref 100
ip -6 rule add uidrange 0-999 fwmark 7 table 101 pref 110
ip -6 rule add unreachable iif veth0 pref 120
ip rule show
ip -d rule show
ip -6 rule show
ip rule list table 100
ip rule del pref 110
ip rule del from 10.0.0.0/8 to 192.168.0.0/16 table 100 pref 100
ip -6 rule del pref 100
ip rule flush
ip -6 rule flush
ip rule show
