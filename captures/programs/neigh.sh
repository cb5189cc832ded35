#!/bin/sh
# Neighbour entries on veth0 (set up by make-captures.sh). Run under rtnl-record.
ip neigh add 10.0.0.2 lladdr aa:bb:cc:dd:ee:ff dev veth0 nud permanent
ip -6 neigh add 2001:db8::2 lladdr aa:bb:cc:dd:ee:01 dev veth0 nud permanent
ip neigh show
ip neigh del 10.0.0.2 dev veth0
ip -6 neigh del 2001:db8::2 dev veth0
ip neigh show
exit 0
