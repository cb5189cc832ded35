#!/bin/sh
# neigh-ntable.pcap: neighbours IPv4/IPv6 (NUD states, flags, proxies, protocol,
# cache info with -s), RTM_GETNEIGH single lookups, and neighbour tables
# (RTM_GETNEIGHTBL dump, RTM_SETNEIGHTBL).
. "$(dirname "$0")/lib.sh"

ip neigh add 10.0.0.2 lladdr aa:bb:cc:dd:ee:01 dev veth0 nud permanent
ip neigh add 10.0.0.3 lladdr aa:bb:cc:dd:ee:02 dev veth0 nud reachable
ip neigh add 10.0.0.4 lladdr aa:bb:cc:dd:ee:03 dev veth0 nud stale protocol static
ip neigh add 10.0.0.5 lladdr aa:bb:cc:dd:ee:04 dev veth0 nud noarp
ip neigh add 10.0.0.6 lladdr aa:bb:cc:dd:ee:05 dev veth0 extern_learn
ip neigh add proxy 10.0.0.50 dev veth0
ip -6 neigh add 2001:db8::2 lladdr aa:bb:cc:dd:ee:11 dev veth0 nud permanent router
ip -6 neigh add fe80::2 lladdr aa:bb:cc:dd:ee:12 dev veth0 nud reachable
ip -6 neigh add proxy 2001:db8::50 dev veth0
ping -c 1 -W 1 10.0.0.9 >/dev/null 2>&1 || true
ip neigh replace 10.0.0.3 lladdr aa:bb:cc:dd:ee:22 dev veth0 nud permanent
ip neigh change 10.0.0.4 lladdr aa:bb:cc:dd:ee:33 dev veth0 nud delay
ip neigh show
ip -6 neigh show
ip -s neigh show
ip -s -s neigh show nud all
ip neigh show proxy
ip -6 neigh show proxy
ip neigh get 10.0.0.2 dev veth0
ip -6 neigh get 2001:db8::2 dev veth0
ip neigh del 10.0.0.2 dev veth0
ip -6 neigh del 2001:db8::2 dev veth0
ip neigh del proxy 10.0.0.50 dev veth0
ip neigh flush dev veth0
ip ntable show
ip ntable show dev veth0
ip -s ntable show name arp_cache
ip ntable change name arp_cache dev veth0 queue 8 app_probes 1
ip ntable change name arp_cache dev veth1 locktime 200 proxy_queue 32
ip ntable change name ndisc_cache dev veth0 base_reachable 20000
ip ntable show dev veth0
