#!/bin/sh
# monitor.pcap, the changes (not recorded; run in the namespace while the
# listeners of monitor-listen.sh record their notifications).
# $1: the name of a second namespace (for an nsid notification).
. "$(dirname "$0")/lib.sh"
peer=$1

ip link add veth0 type veth peer name veth1
ip link set veth0 up
ip link set veth1 up
ip link set veth0 mtu 1400
ip addr add 10.0.0.1/24 dev veth0
ip -6 addr add 2001:db8::1/64 dev veth0 nodad
ip route add 10.20.0.0/24 via 10.0.0.2 dev veth0
ip -6 route add 2001:db8:20::/64 via 2001:db8::2 dev veth0
ip neigh add 10.0.0.2 lladdr aa:bb:cc:dd:ee:01 dev veth0 nud permanent
ip -6 neigh add 2001:db8::2 lladdr aa:bb:cc:dd:ee:02 dev veth0 nud permanent
ip rule add from 10.5.0.0/16 table 100 pref 100
ip -6 rule add from 2001:db8:5::/48 table 100 pref 100
ip nexthop add id 1 via 10.0.0.2 dev veth0
ip nexthop add id 2 via 10.0.0.3 dev veth0
ip nexthop add id 10 group 1/2
ip route add 10.21.0.0/24 nhid 10
sysctl -qw net.ipv4.conf.veth0.forwarding=1
sysctl -qw net.ipv6.conf.veth0.forwarding=1
sysctl -qw net.ipv4.conf.veth0.rp_filter=2
ip netns set "$peer" 9
ip link add br0 type bridge mcast_snooping 1
ip link set veth1 master br0
ip link set br0 up
if has vlan_filtering; then
    ip link set br0 type bridge vlan_filtering 1
    bridge vlan add dev veth1 vid 100
    bridge vlan del dev veth1 vid 100
fi
bridge fdb add 02:00:00:00:00:01 dev veth1 master static
bridge mdb add dev br0 port veth1 grp 239.1.1.1 permanent
bridge mdb del dev br0 port veth1 grp 239.1.1.1
bridge fdb del 02:00:00:00:00:01 dev veth1 master
tc qdisc add dev veth0 root handle 1: htb default 10
tc class add dev veth0 parent 1: classid 1:10 htb rate 10mbit
tc filter add dev veth0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.0/8 classid 1:10
tc actions add action mirred egress mirror dev veth1 index 5
tc actions del action mirred index 5
tc filter del dev veth0 parent 1: prio 1
tc qdisc del dev veth0 root
ip route del 10.21.0.0/24
ip nexthop flush
ip rule del pref 100
ip -6 rule del pref 100
ip neigh del 10.0.0.2 dev veth0
ip route del 10.20.0.0/24
ip addr del 10.0.0.1/24 dev veth0
ip link set veth1 nomaster
ip link del br0
ip link del veth0
