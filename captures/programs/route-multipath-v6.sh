#!/bin/sh
# Routes over two veth links (set up by make-captures.sh): IPv4 multipath, metrics,
# IPv6 routes, dumps and a route lookup. Run under rtnl-record in the namespace.
ip route add 10.20.0.0/24 nexthop via 10.1.0.2 dev veth0 weight 1 nexthop via 10.2.0.2 dev veth2 weight 2
ip route add 10.30.0.0/24 via 10.1.0.2 dev veth0 mtu 1400 advmss 1360
ip -6 route add 2001:db8:1::/64 via 2001:db8:a::2 dev veth0
ip -6 route add 2001:db8:2::/64 nexthop via 2001:db8:a::2 dev veth0 nexthop via 2001:db8:b::2 dev veth2
ip route show table all
ip -6 route show
ip route get 10.20.0.1
exit 0
