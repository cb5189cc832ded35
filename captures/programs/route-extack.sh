#!/bin/sh
# Requests the kernel refuses with extended-ACK error messages.
# Run inside a fresh network namespace under rtnl-record. $1: rta-short-oif program.
ip link set lo up
ip route add 10.9.0.5/24 dev lo                        # Invalid prefix for given prefix length
ip route add 10.9.3.0/24 nhid 77                       # Nexthop id does not exist
ip route add 10.9.4.0/24 via inet6 fe80::1 dev lo      # Egress device can not be loopback device for this route
"$1"                                                   # RTA_OIF of 2 bytes: policy validation, OFFS + POLICY
ip link add vx1 mtu 40 type vxlan id 5 dstport 4789    # MTU must be between 68 and 65535, OFFS -> IFLA_MTU
ip link add vx2 type vxlan id 5 dstport 4789 srcport 5000 4000   # Invalid source port range (nested attribute)
exit 0
