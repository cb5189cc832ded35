#!/bin/sh
# monitor.pcap, the recorded part: three listeners on the rtnetlink multicast
# groups (ip monitor all, bridge monitor all, tc monitor). They write their pids
# to $1 so make.sh can stop them (SIGTERM: background commands of a
# non-interactive shell ignore SIGINT); this script then exits.
set -eu
ip -t monitor all &
echo $! >"$1"
bridge -t monitor all &
echo $! >>"$1"
tc monitor &
echo $! >>"$1"
wait || true
