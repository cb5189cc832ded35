# bridge-vlan.pcapng, the recorded part: iproute2's bridge VLAN database
# requests (RTM_NEWVLAN with BRIDGE_VLANDB_ENTRY and with
# BRIDGE_VLANDB_GLOBAL_OPTIONS, RTM_GETVLAN dumps), bridge port options set
# with `ip link set ... type bridge_slave` (IFLA_INFO_SLAVE_DATA) and shown
# with `ip -d link show` (IFLA_INFO_SLAVE_KIND), and a bond_slave request on a
# port that has no bond. Run in a namespace with bridge br0 and its port
# veth0 (peer veth1), all up. Where the kernel lacks a feature
# (CONFIG_BRIDGE_VLAN_FILTERING, bonding) the request is still recorded with
# the kernel's error answer, so a failure here is reported, not fatal.
try() { "$@" || echo "bridge-vlan.sh: '$*' failed (exit $?)" >&2; }
try bridge vlan set dev veth0 vid 10 state forwarding
try bridge vlan set dev veth0 vid 20-30 state blocking mcast_router 2
try bridge vlan global set dev br0 vid 10 mcast_snooping 1 mcast_igmp_version 3 mcast_mld_version 2 \
    mcast_last_member_count 3 mcast_startup_query_count 4 mcast_last_member_interval 100 \
    mcast_membership_interval 26000 mcast_querier 1 mcast_querier_interval 25500 \
    mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3125 msti 3
try bridge -d vlan show
try bridge -s -d vlan show
try bridge vlan global show
ip link set veth0 type bridge_slave cost 5 priority 7 learning off state 3
ip -d link show dev veth0
try ip link set veth1 type bond_slave queue_id 2
