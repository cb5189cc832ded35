#!/bin/sh
# link-kinds.pcap: RTM_NEWLINK requests creating one link of every kind this
# kernel has, with IFLA_LINKINFO/IFLA_INFO_DATA, then `ip -d link show` of each.
. "$(dirname "$0")/lib.sh"

ip link set lo up
ip link add veth0 numtxqueues 2 numrxqueues 2 type veth peer name veth1 numtxqueues 2 numrxqueues 2
ip addr add 10.0.0.1/24 dev veth0
ip link set veth0 up
ip link set veth1 up
ip link add br0 type bridge forward_delay 400 hello_time 200 max_age 2000 ageing_time 6000 stp_state 0 priority 100 mcast_snooping 1 group_fwd_mask 0x4000
if has vlan_filtering; then ip link set br0 type bridge vlan_filtering 1 vlan_protocol 802.1Q vlan_default_pvid 1; fi
ip link set veth1 master br0
ip link set br0 up
ip link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 remote 10.0.0.2 dev veth0 ttl 64 tos inherit srcport 40000 50000 ageing 300 maxaddress 100 learning l2miss l3miss udpcsum
ip link add vx6 type vxlan id 43 dstport 4790 group ff05::100 dev veth0 udp6zerocsumtx udp6zerocsumrx nolearning
ip link add vxe type vxlan external dstport 4791
ip link add link veth0 name mv0 type macvlan mode bridge
ip link add link veth0 name mvp type macvlan mode private bcqueuelen 2000
ip link add link veth0 name mvs type macvlan mode source
ip link set mvs type macvlan macaddr add 02:00:00:00:00:aa
ip link add link veth0 name mvt0 type macvtap mode vepa
ip tuntap add tun0 mode tun
ip tuntap add tap0 mode tap multi_queue
ip link add ifb0 type ifb
if has vlan; then
    ip link add link veth0 name veth0.10 type vlan id 10 protocol 802.1Q reorder_hdr on egress-qos-map 1:2 ingress-qos-map 3:4
    ip link add link veth0 name veth0.20 type vlan id 20 protocol 802.1ad
fi
if has vrf; then ip link add vrf0 type vrf table 10; fi
if has bond; then
    ip link add bond0 type bond mode active-backup miimon 100
    ip link add veth4 type veth peer name veth5
    ip link set veth4 master bond0
fi
if has dummy; then ip link add dummy0 type dummy; fi
if has ipvlan; then ip link add link veth0 name ipvl0 type ipvlan mode l3; fi
if has geneve; then ip link add gnv0 type geneve id 5 remote 10.0.0.9; fi
if has ipip; then ip link add ipip0 type ipip remote 10.0.0.9 local 10.0.0.1; fi
if has gre; then ip link add gre0x type gre remote 10.0.0.9 local 10.0.0.1 key 5; fi
if has sit; then ip link add sit0x type sit remote 10.0.0.9 local 10.0.0.1; fi
if has ip6tnl; then ip link add ip6t0 type ip6tnl remote 2001:db8::9 local 2001:db8::1; fi
if has wireguard; then ip link add wg0 type wireguard; fi
for l in vx0 vx6 vxe mv0 mvp mvs mvt0 ifb0; do ip link set "$l" up; done

# link attributes besides LINKINFO
ip link property add dev veth0 altname veth0-alternative-name
ip link set dev veth0 alias "first veth" txqueuelen 500 group 5
ip link set dev veth0 mtu 1400
ip link set dev veth1 address 02:11:22:33:44:55
if [ -n "$bpf_obj" ]; then ip link set dev veth0 xdpgeneric obj "$bpf_obj" sec xdp; fi

for l in lo veth0 veth1 br0 vx0 vx6 vxe mv0 mvp mvs mvt0 tun0 tap0 ifb0 \
         veth0.10 veth0.20 vrf0 bond0 veth4 dummy0 ipvl0 gnv0 ipip0 gre0x sit0x ip6t0 wg0; do
    if [ -e "/sys/class/net/$l" ]; then ip -d link show dev "$l"; fi
done
ip -d link show
ip link show master br0
ip link show type macvlan

if [ -n "$bpf_obj" ]; then ip link set dev veth0 xdpgeneric off; fi
ip link property del dev veth0 altname veth0-alternative-name
ip link set dev mvp down
ip link del mvp
ip link del vx6
