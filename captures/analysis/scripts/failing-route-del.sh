#!/bin/sh
# failing-route-del.pcap: the names first (`ip link show`), then an
# `ip route del` of a route that does not exist: "RTNETLINK answers: No such process".
ip link show
if ip route del 10.77.0.0/24 dev lo; then
    echo "failing-route-del.sh: ip route del succeeded, expected ESRCH" >&2
    exit 1
fi
exit 0
