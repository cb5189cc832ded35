#!/bin/sh
# Rebuilds the captures in captures/analysis/ (issue 5: request/response
# tracking, expert catalogue). Run as root; needs strace, iproute2, cc.
#
# Every capture is recorded by rtnl-record inside a fresh network namespace
# "rtnlan" created for it and deleted afterwards; the machine's own network
# namespace is never changed. Re-running replaces the files (pids, sequence
# numbers of iproute2, port ids, times, veth MAC addresses change; the frames
# and their order do not).
#
# Usage: captures/analysis/make.sh [NAME...]     (default: all)
#   NAME: interleaved experts failing-route-del
# Environment: RTNL_RECORD=path/to/rtnl-record (default: rtnl-record on $PATH
# if it knows --pcapng, else compiled from tools/record), CC (default cc).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
ns=rtnlan

[ "$(id -u)" = 0 ] || { echo "make.sh: must run as root (network namespaces)" >&2; exit 1; }
command -v strace >/dev/null || { echo "make.sh: strace not found" >&2; exit 1; }

work=$(mktemp -d)
cleanup() {
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${RTNL_RECORD:-}" ]; then
    record=$RTNL_RECORD
elif command -v rtnl-record >/dev/null && rtnl-record --help 2>&1 | grep -q -- --pcapng; then
    record=$(command -v rtnl-record)
else
    record=$work/rtnl-record
    ${CXX:-g++} -std=c++20 -O2 -Wall -I"$repo/tools/record" -o "$record" "$repo"/tools/record/*.cpp
fi
for p in interleaved experts; do
    ${CC:-cc} -O2 -Wall -o "$work/$p" "$here/programs/$p.c"
done

in_ns() { ip netns exec "$ns" "$@"; }
fresh_ns() {
    ip netns del "$ns" 2>/dev/null || true
    ip netns add "$ns"
}
# setup SHELL-COMMANDS: run (not recorded) in the namespace
setup() { in_ns sh -e -c "$1"; }
# record NAME COMMAND...: runs COMMAND under rtnl-record in the namespace; the
# strace log is kept in $work/NAME.strace. Fails when COMMAND fails.
record() {
    name=$1
    shift
    echo "== $name" >&2
    rm -f "$work/ok"
    in_ns "$record" -w "$here/$name.pcap" --strace-log "$work/$name.strace" -- \
        sh -c '"$@" && : >"$0"' "$work/ok" "$@"
    [ -e "$work/ok" ] || { echo "make.sh: $name: the recorded command failed" >&2; exit 1; }
}

cap_interleaved() {
    fresh_ns
    setup '
        ip link set lo up
        for i in 0 2 4; do
            ip link add veth$i type veth peer name veth$((i + 1))
            ip link set veth$i up
            ip link set veth$((i + 1)) up
        done
        ip addr add 10.0.0.1/24 dev veth0'
    record interleaved "$work/interleaved"
    # the same packets as pcapng, each with a comment "pid N (interleaved) sendmsg fd F"
    "$record" -q --pcapng --from-strace "$work/interleaved.strace" -w "$here/interleaved.pcapng"
}

cap_experts() {
    fresh_ns
    setup '
        ip link set lo up
        ip link add veth0 type veth peer name veth1
        ip addr add 10.0.0.1/24 dev veth0
        ip link set veth0 up
        ip link set veth1 up'
    record experts sh "$here/scripts/experts.sh" "$work/experts"
}

cap_failing_route_del() {
    fresh_ns
    setup '
        ip link set lo up
        ip link add veth0 type veth peer name veth1
        ip addr add 10.0.0.1/24 dev veth0
        ip link set veth0 up
        ip link set veth1 up'
    record failing-route-del sh "$here/scripts/failing-route-del.sh"
}

selected=${*:-interleaved experts failing-route-del}
for c in $selected; do
    case $c in
    interleaved) cap_interleaved ;;
    experts) cap_experts ;;
    failing-route-del) cap_failing_route_del ;;
    *) echo "make.sh: unknown capture $c" >&2; exit 2 ;;
    esac
    ip netns del "$ns" 2>/dev/null || true
done
