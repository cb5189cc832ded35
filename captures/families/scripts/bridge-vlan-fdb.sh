#!/bin/sh
# bridge-vlan-fdb.pcap: bridge ports (AF_BRIDGE links, IFLA_PROTINFO, bridge_slave
# data), vlans (when the kernel filters vlans), fdb (bridge and vxlan, with nexthop
# groups), mdb, vxlan vni filtering (RTM_*TUNNEL).
. "$(dirname "$0")/lib.sh"

if has vlan_filtering; then
    ip link add br0 type bridge vlan_filtering 1 vlan_default_pvid 1 mcast_snooping 1 mcast_igmp_version 3 mcast_mld_version 2
else
    ip link add br0 type bridge mcast_snooping 1 mcast_igmp_version 3 mcast_mld_version 2
fi
ip link set veth1 master br0
ip link set veth3 master br0
ip link set vx0 master br0
ip link set br0 up
bridge link set dev veth1 cost 10 priority 5 guard on hairpin off learning on flood on mcast_flood on neigh_suppress off
bridge link set dev veth3 isolated on bcast_flood off
bridge link show
bridge -d link show
ip -d link show dev veth1
ip -d link show dev br0

if has vlan_filtering; then
    bridge vlan add dev veth1 vid 100 pvid untagged
    bridge vlan add dev veth3 vid 200-210
    bridge vlan add dev br0 vid 100 self
    bridge vlan show
    bridge -d vlan show
    bridge -s vlan show
    bridge vlan global show
fi

bridge fdb add 02:00:00:00:00:01 dev veth1 master static
bridge fdb add 02:00:00:00:00:02 dev veth3 master dynamic
bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2 self permanent
bridge fdb add 02:00:00:00:00:03 dev vx0 dst 10.0.0.3 vni 42 port 4789 self permanent
ip nexthop add id 20 via 10.0.0.5 fdb
ip nexthop add id 21 via 10.0.0.6 fdb
ip nexthop add id 22 group 20/21 fdb
bridge fdb add 02:00:00:00:00:04 dev vx0 nhid 22 self
bridge fdb show
bridge fdb show br br0
bridge -s -d fdb show dev vx0
bridge fdb get 02:00:00:00:00:01 br br0

bridge mdb add dev br0 port veth1 grp 239.1.1.1 permanent
bridge mdb add dev br0 port veth3 grp ff0e::1 temp
bridge mdb add dev br0 port veth1 grp 239.1.1.2 src 10.0.0.7 permanent
bridge mdb show
bridge -d -s mdb show

bridge vni add dev vxe vni 100
bridge vni add dev vxe vni 200-202 group 239.1.1.9
bridge vni add dev vxe vni 300 remote 10.0.0.9
bridge vni show
bridge -s vni show

bridge vni delete dev vxe vni 201
bridge mdb del dev br0 port veth1 grp 239.1.1.1
bridge fdb del 02:00:00:00:00:01 dev veth1 master
bridge fdb del 02:00:00:00:00:04 dev vx0 self
if has vlan_filtering; then bridge vlan del dev veth3 vid 205; fi
ip link set veth3 nomaster
