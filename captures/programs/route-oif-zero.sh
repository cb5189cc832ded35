#!/bin/sh
# The rtnl user story, run inside a fresh network namespace under rtnl-record.
# $1: path of the compiled oif-zero program.
ip link set lo up
ip route add 10.9.0.0/24 via 127.0.0.1 dev lo
"$1"                                              # RTM_DELROUTE with RTA_OIF = 0 -> error
ip route del 10.9.0.0/24 via 127.0.0.1 dev lo     # succeeds
ip route del 10.9.0.0/24 via 127.0.0.1 dev lo     # fails: No such process
exit 0
