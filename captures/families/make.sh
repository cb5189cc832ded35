#!/bin/sh
# Rebuilds the per-family captures in captures/families/ (run as root; needs
# strace, iproute2 (ip, bridge, tc), ping; clang for the eBPF parts, optional).
#
# Every capture is recorded by rtnl-record inside a fresh network namespace
# "rtnlfam" created for it and deleted afterwards (plus "rtnlfam-peer" for nsid
# and a cross-namespace veth, and "rtnlfam-probe" to find out what this kernel
# supports). The machine's own network namespace is never changed. Namespaces
# and a running recorder are cleaned up on exit and on Ctrl-C.
#
# Usage: captures/families/make.sh [NAME...]     (default: all)
#   NAME: link-kinds bridge-vlan-fdb addr route-encap rules nexthop
#         tc-qdisc-class-filter tc-actions neigh-ntable netconf-nsid-addrlabel
#         stats monitor
# Environment: RTNL_RECORD=path/to/rtnl-record (default: rtnl-record on $PATH,
# else compiled from tools/record); RTNL_FAMILIES_OUT=DIR writes the captures
# there instead, RTNL_STRACE_LOGS=DIR keeps rtnl-record's strace logs there
# (tests/record/data/make-decoded-logs.sh), RTNL_FAMILIES_NS=NAME names the
# namespaces (default rtnlfam).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
scripts=$here/scripts
ns=${RTNL_FAMILIES_NS:-rtnlfam}
peer=$ns-peer
probe=$ns-probe
out=${RTNL_FAMILIES_OUT:-$here}

[ "$(id -u)" = 0 ] || { echo "make.sh: must run as root (network namespaces)" >&2; exit 1; }
command -v strace >/dev/null || { echo "make.sh: strace not found" >&2; exit 1; }

work=$(mktemp -d)
recpid=
cleanup() {
    if [ -n "$recpid" ]; then
        [ -s "$work/monitor.pids" ] && kill -TERM $(cat "$work/monitor.pids") 2>/dev/null || true
        wait "$recpid" 2>/dev/null || true
    fi
    for n in "$ns" "$peer" "$probe"; do ip netns del "$n" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${RTNL_RECORD:-}" ]; then
    record=$RTNL_RECORD
elif command -v rtnl-record >/dev/null; then
    record=$(command -v rtnl-record)
else
    record=$work/rtnl-record
    ${CXX:-g++} -std=c++20 -O2 -Wall -I"$repo/tools/record" -o "$record" "$repo"/tools/record/*.cpp
fi

# eBPF programs (tc bpf da, lwt bpf, xdp); without clang those commands are skipped
RTNL_BPF_OBJ=
if command -v clang >/dev/null; then
    march=$(${CC:-cc} -print-multiarch 2>/dev/null || true)
    if clang -O2 -target bpf ${march:+-I/usr/include/$march} -c "$here/prog.bpf.c" -o "$work/prog.bpf.o"; then
        RTNL_BPF_OBJ=$work/prog.bpf.o
    fi
fi
export RTNL_BPF_OBJ
RTNL_OK=$work/ok
export RTNL_OK

in_ns() { ip netns exec "$ns" "$@"; }
fresh_ns() {
    ip netns del "$ns" 2>/dev/null || true
    ip netns add "$ns"
}
fresh_peer() {
    ip netns del "$peer" 2>/dev/null || true
    ip netns add "$peer"
}
# setup SHELL-COMMANDS: run (not recorded) in the namespace
setup() { in_ns sh -e -c "$1"; }
# record NAME SCRIPT ARGS...: runs sh SCRIPT under rtnl-record in the namespace;
# fails when the script failed (rtnl-record itself only reports that)
record() {
    name=$1
    shift
    echo "== $name" >&2
    rm -f "$work/ok"
    in_ns "$record" -w "$out/$name.pcap" --strace-log "$work/$name.strace" -- \
        sh -c '"$@" && : >"$RTNL_OK"' sh "$@"
    [ -e "$work/ok" ] || { echo "make.sh: $name: the recorded script failed" >&2; exit 1; }
    if [ -n "${RTNL_STRACE_LOGS:-}" ]; then cp "$work/$name.strace" "$RTNL_STRACE_LOGS/"; fi
}

# --- what this kernel has (probed in a throwaway namespace, nothing recorded)
probe_features() {
    ip netns del "$probe" 2>/dev/null || true
    ip netns add "$probe"
    ip netns exec "$probe" sh -c '
        t() { f=$1; shift; if "$@" >/dev/null 2>&1; then printf "%s " "$f"; fi; }
        ip link set lo up
        ip link add pb0 type veth peer name pb1
        ip link set pb0 up; ip link set pb1 up
        ip addr add 10.0.0.1/24 dev pb0
        t vlan_filtering ip link add pbr type bridge vlan_filtering 1
        t vlan ip link add link pb0 name pb0.5 type vlan id 5
        t vrf ip link add pvrf type vrf table 5
        t bond ip link add pbond type bond
        t dummy ip link add pdum type dummy
        t ipvlan ip link add link pb0 name pipvl type ipvlan
        t geneve ip link add pgnv type geneve id 5 remote 10.0.0.9
        t ipip ip link add pipip type ipip remote 10.0.0.9
        t gre ip link add pgre type gre remote 10.0.0.9
        t sit ip link add psit type sit remote 10.0.0.9
        t ip6tnl ip link add pip6 type ip6tnl remote 2001:db8::9
        t wireguard ip link add pwg type wireguard
        t mpls sh -c "test -d /proc/sys/net/mpls && ip route add 10.9.0.0/24 encap mpls 100 via 10.0.0.2 dev pb0"
        for q in fq_codel prio netem sfq; do
            ip link add pq type veth peer name pqp
            t q_$q tc qdisc add dev pq root $q
            ip link del pq
        done
        tc qdisc add dev pb1 ingress
        t matchall tc filter add dev pb1 parent ffff: protocol all prio 1 matchall
        t flower tc filter add dev pb1 parent ffff: protocol ip prio 2 flower dst_ip 10.0.0.9
        t basic tc filter add dev pb1 parent ffff: protocol ip prio 3 basic
        t gact tc actions add action gact drop index 1
        t police tc actions add action police rate 1mbit burst 10k index 1
        t skbedit tc actions add action skbedit mark 1 index 1
    '
    ip netns del "$probe"
}
RTNL_HAVE=$(probe_features)
export RTNL_HAVE
echo "make.sh: kernel $(uname -r) has: ${RTNL_HAVE:-(none of the optional features)}" >&2

veth_pair() { echo "ip link add $1 type veth peer name $2; ip link set $1 up; ip link set $2 up;"; }
two_pairs_addressed='
    ip link set lo up
    ip link add veth0 type veth peer name veth1
    ip link add veth2 type veth peer name veth3
    ip addr add 10.1.0.1/24 dev veth0
    ip addr add 10.2.0.1/24 dev veth2
    ip addr add 2001:db8:a::1/64 dev veth0 nodad
    ip addr add 2001:db8:b::1/64 dev veth2 nodad
    for l in veth0 veth1 veth2 veth3; do ip link set $l up; done'

cap_link_kinds() {
    fresh_ns
    record link-kinds sh "$scripts/link-kinds.sh"
}

cap_bridge_vlan_fdb() {
    fresh_ns
    setup "ip link set lo up; $(veth_pair veth0 veth1) $(veth_pair veth2 veth3)
        ip addr add 10.0.0.1/24 dev veth0
        ip link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 dev veth0 nolearning
        ip link add vxe type vxlan external vnifilter dstport 4791 local 10.0.0.1 dev veth0
        ip link set vx0 up; ip link set vxe up"
    record bridge-vlan-fdb sh "$scripts/bridge-vlan-fdb.sh"
}

cap_addr() {
    fresh_ns
    setup "ip link set lo up; $(veth_pair veth0 veth1)"
    record addr sh "$scripts/addr.sh"
}

cap_route_encap() {
    fresh_ns
    setup "$two_pairs_addressed"
    record route-encap sh "$scripts/route-encap.sh"
}

cap_rules() {
    fresh_ns
    setup "ip link set lo up; $(veth_pair veth0 veth1)"
    record rules sh "$scripts/rules.sh"
}

cap_nexthop() {
    fresh_ns
    setup "$two_pairs_addressed"
    record nexthop sh "$scripts/nexthop.sh"
}

cap_tc_qdisc_class_filter() {
    fresh_ns
    setup '
        ip link set lo up
        ip link add veth0 numtxqueues 4 numrxqueues 4 type veth peer name veth1 numtxqueues 4 numrxqueues 4
        ip link add veth2 type veth peer name veth3
        ip addr add 10.1.0.1/24 dev veth0
        ip addr add 10.2.0.1/24 dev veth2
        for l in veth0 veth1 veth2 veth3; do ip link set $l up; done'
    record tc-qdisc-class-filter sh "$scripts/tc-qdisc-class-filter.sh"
}

cap_tc_actions() {
    fresh_ns
    setup "ip link set lo up; $(veth_pair veth0 veth1) $(veth_pair veth2 veth3)
        ip addr add 10.1.0.1/24 dev veth1"
    record tc-actions sh "$scripts/tc-actions.sh"
}

cap_neigh_ntable() {
    fresh_ns
    setup "ip link set lo up; $(veth_pair veth0 veth1)
        ip addr add 10.0.0.1/24 dev veth0
        ip addr add 2001:db8::1/64 dev veth0 nodad"
    record neigh-ntable sh "$scripts/neigh-ntable.sh"
}

cap_netconf_nsid_addrlabel() {
    fresh_ns
    fresh_peer
    setup "ip link set lo up; $(veth_pair veth0 veth1)"
    record netconf-nsid-addrlabel sh "$scripts/netconf-nsid-addrlabel.sh" "$peer"
    ip netns del "$peer"
}

cap_stats() {
    fresh_ns
    setup "ip link set lo up; $(veth_pair veth0 veth1)
        ip addr add 10.0.0.1/24 dev veth0
        ip addr add 2001:db8::1/64 dev veth0 nodad
        ip link add br0 type bridge
        ip link set veth1 master br0
        ip link set br0 up
        ping -c 3 -i 0.2 -W 1 10.0.0.9 >/dev/null 2>&1 || true"
    record stats sh "$scripts/stats.sh"
}

cap_monitor() {
    fresh_ns
    fresh_peer
    setup "ip link set lo up"
    rm -f "$work/monitor.pids"
    echo "== monitor" >&2
    in_ns "$record" -w "$out/monitor.pcap" --strace-log "$work/monitor.strace" -- \
        sh "$scripts/monitor-listen.sh" "$work/monitor.pids" >"$work/monitor.out" &
    recpid=$!
    i=0
    while [ "$(cat "$work/monitor.pids" 2>/dev/null | wc -l)" -lt 3 ]; do
        i=$((i + 1))
        [ $i -lt 100 ] || { echo "make.sh: monitors did not start" >&2; exit 1; }
        sleep 0.1
    done
    sleep 1  # let them subscribe
    in_ns sh "$scripts/monitor-changes.sh" "$peer"
    ip netns del "$peer"   # RTM_DELNSID
    sleep 1
    # SIGTERM, not SIGINT: a non-interactive shell starts its background
    # commands with SIGINT ignored. The monitors exit, strace and the recorder follow.
    kill -TERM $(cat "$work/monitor.pids")
    # rtnl-record exits with the script's status: its monitors' SIGTERM
    wait "$recpid" || [ $? = 143 ]
    recpid=
    if [ -n "${RTNL_STRACE_LOGS:-}" ]; then cp "$work/monitor.strace" "$RTNL_STRACE_LOGS/"; fi
}

all="link-kinds bridge-vlan-fdb addr route-encap rules nexthop tc-qdisc-class-filter tc-actions neigh-ntable netconf-nsid-addrlabel stats monitor"
for c in ${*:-$all}; do
    case $c in
    link-kinds) cap_link_kinds ;;
    bridge-vlan-fdb) cap_bridge_vlan_fdb ;;
    addr) cap_addr ;;
    route-encap) cap_route_encap ;;
    rules) cap_rules ;;
    nexthop) cap_nexthop ;;
    tc-qdisc-class-filter) cap_tc_qdisc_class_filter ;;
    tc-actions) cap_tc_actions ;;
    neigh-ntable) cap_neigh_ntable ;;
    netconf-nsid-addrlabel) cap_netconf_nsid_addrlabel ;;
    stats) cap_stats ;;
    monitor) cap_monitor ;;
    *) echo "make.sh: unknown capture $c (one of: $all)" >&2; exit 2 ;;
    esac
    ip netns del "$ns" 2>/dev/null || true
done
