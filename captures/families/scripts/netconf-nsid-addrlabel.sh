#!/bin/sh
# netconf-nsid-addrlabel.pcap: RTM_GETNETCONF (dumps and single), RTM_NEWNSID /
# GETNSID, a veth peer in another namespace (IFLA_LINK_NETNSID), RTM_*ADDRLABEL.
# $1: the name of a second namespace (created by make.sh).
. "$(dirname "$0")/lib.sh"
peer=$1

ip netconf show
ip -6 netconf show
ip netconf show dev veth0
ip -6 netconf show dev veth0
if has mpls; then ip -f mpls netconf show; fi
ip netns set "$peer" 7
ip netns list-id
ip netns list-id target-nsid 7
ip link add vethp type veth peer name vethq netns "$peer"
ip -d link show dev vethp
ip link show
ip addrlabel add prefix 2001:db8:1::/48 label 100
ip addrlabel add prefix 2001:db8:2::/48 dev veth0 label 200
ip addrlabel list
ip addrlabel del prefix 2001:db8:1::/48 label 100
ip addrlabel list
