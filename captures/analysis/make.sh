#!/bin/sh
# Rebuilds the captures in captures/analysis/ (issue 5: request/response
# tracking, expert catalogue). Run as root; needs strace, iproute2, cc.
#
# Every capture is recorded by rtnl-record inside a fresh network namespace
# created for it and deleted afterwards (captures/lib/capture.sh); the
# machine's own network namespace is never changed. Re-running replaces the
# files (pids, sequence numbers of iproute2, port ids, times, veth MAC
# addresses change; the frames and their order do not).
#
# Usage: captures/analysis/make.sh [NAME...]     (default: all)
#   NAME: interleaved experts failing-route-del
# Environment: RTNL_RECORD=path/to/rtnl-record (default: compiled from
# tools/record), RTNL_NS_PREFIX (namespace name prefix, default rtnlcap-), CC.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
. "$repo/captures/lib/capture.sh"
cap_begin analysis/make.sh
for p in interleaved experts; do
    cap_cc "$p" "$here/programs/$p.c"
done

# lo up, veth0 (10.0.0.1/24) - veth1
one_pair() {
    lo_up an
    veth_pair an veth0 veth1
    in_ns an ip addr add 10.0.0.1/24 dev veth0
}

cap_interleaved() {
    fresh_ns an
    lo_up an
    veth_pair an veth0 veth1
    veth_pair an veth2 veth3
    veth_pair an veth4 veth5
    in_ns an ip addr add 10.0.0.1/24 dev veth0
    record an "$here/interleaved.pcap" "$work/interleaved"
    # the same packets as pcapng, each with a comment "pid N (interleaved) sendmsg fd F"
    "$recorder" -q --pcapng --from-strace "$work/interleaved.strace" -w "$here/interleaved.pcapng"
}

cap_experts() {
    fresh_ns an
    one_pair
    record an "$here/experts.pcap" sh "$here/scripts/experts.sh" "$work/experts"
}

cap_failing_route_del() {
    fresh_ns an
    one_pair
    record an "$here/failing-route-del.pcap" sh "$here/scripts/failing-route-del.sh"
}

all="interleaved experts failing-route-del"
for c in ${*:-$all}; do
    case $c in
    interleaved) cap_interleaved ;;
    experts) cap_experts ;;
    failing-route-del) cap_failing_route_del ;;
    *) die "unknown capture $c (one of: $all)" ;;
    esac
done
