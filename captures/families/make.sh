#!/bin/sh
# Rebuilds the per-family captures in captures/families/ (run as root; needs
# strace, iproute2 (ip, bridge, tc), ping; clang for the eBPF parts, optional).
#
# Every capture is recorded by rtnl-record inside a fresh network namespace
# "fam" created for it and deleted afterwards (plus "fam-peer" for nsid and a
# cross-namespace veth, and "fam-probe" to find out what this kernel supports;
# names prefixed with $RTNL_NS_PREFIX, default rtnlcap-; captures/lib/capture.sh).
# The machine's own network namespace is never changed. Namespaces and a
# running recorder are cleaned up on exit and on Ctrl-C.
#
# Usage: captures/families/make.sh [NAME...]     (default: all)
#   NAME: link-kinds bridge-vlan-fdb mdb-router addr route-encap rules nexthop
#         tc-qdisc-class-filter tc-actions neigh-ntable netconf-nsid-addrlabel
#         stats monitor
# Environment: RTNL_RECORD=path/to/rtnl-record (default: built with CMake);
# RTNL_FAMILIES_OUT=DIR writes the captures there instead (with RTNL_STRACE_LOGS,
# captures/lib/capture.sh, and RTNL_NS_PREFIX: tests/record/test_live.py DecodedForm).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
scripts=$here/scripts
. "$repo/captures/lib/capture.sh"
cap_begin families/make.sh
peer=$(ns_name fam-peer)
out=${RTNL_FAMILIES_OUT:-$here}

# eBPF programs (tc bpf da, lwt bpf, xdp); without clang those commands are skipped
RTNL_BPF_OBJ=
if command -v clang >/dev/null; then
    march=$(${CC:-cc} -print-multiarch 2>/dev/null || true)
    if clang -O2 -target bpf ${march:+-I/usr/include/$march} -c "$here/prog.bpf.c" -o "$work/prog.bpf.o"; then
        RTNL_BPF_OBJ=$work/prog.bpf.o
    fi
fi
export RTNL_BPF_OBJ

# --- what this kernel has (probed in a throwaway namespace, nothing recorded)
probe_features() {
    fresh_ns fam-probe
    in_ns fam-probe sh -c '
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
    drop_ns fam-probe
}
RTNL_HAVE=$(probe_features)
export RTNL_HAVE
echo "make.sh: kernel $(uname -r) has: ${RTNL_HAVE:-(none of the optional features)}" >&2

# record NAME ARGS...: sh scripts/NAME.sh ARGS... under rtnl-record in the namespace
record_script() {
    name=$1
    shift
    record fam "$out/$name.pcap" sh "$scripts/$name.sh" "$@"
}

# lo up, veth0 - veth1
one_pair() {
    lo_up fam
    veth_pair fam veth0 veth1
}

cap_link_kinds() {
    fresh_ns fam
    record_script link-kinds
}

cap_bridge_vlan_fdb() {
    fresh_ns fam
    one_pair
    veth_pair fam veth2 veth3
    setup fam "
        ip addr add 10.0.0.1/24 dev veth0
        ip link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 dev veth0 nolearning
        ip link add vxe type vxlan external vnifilter dstport 4791 local 10.0.0.1 dev veth0
        ip link set vx0 up; ip link set vxe up"
    record_script bridge-vlan-fdb
}

cap_mdb_router() {
    fresh_ns fam
    one_pair
    veth_pair fam veth2 veth3
    record_script mdb-router
}

cap_addr() {
    fresh_ns fam
    one_pair
    record_script addr
}

cap_route_encap() {
    fresh_ns fam
    two_pairs_addressed fam
    record_script route-encap
}

cap_rules() {
    fresh_ns fam
    one_pair
    record_script rules
}

cap_nexthop() {
    fresh_ns fam
    two_pairs_addressed fam
    record_script nexthop
}

cap_tc_qdisc_class_filter() {
    fresh_ns fam
    lo_up fam
    setup fam '
        ip link add veth0 numtxqueues 4 numrxqueues 4 type veth peer name veth1 numtxqueues 4 numrxqueues 4
        ip link add veth2 type veth peer name veth3
        ip addr add 10.1.0.1/24 dev veth0
        ip addr add 10.2.0.1/24 dev veth2
        for l in veth0 veth1 veth2 veth3; do ip link set $l up; done'
    record_script tc-qdisc-class-filter
}

cap_tc_actions() {
    fresh_ns fam
    one_pair
    veth_pair fam veth2 veth3
    in_ns fam ip addr add 10.1.0.1/24 dev veth1
    record_script tc-actions
}

cap_neigh_ntable() {
    fresh_ns fam
    one_pair_addressed fam
    record_script neigh-ntable
}

cap_netconf_nsid_addrlabel() {
    fresh_ns fam
    fresh_ns fam-peer
    one_pair
    record_script netconf-nsid-addrlabel "$peer"
    drop_ns fam-peer
}

cap_stats() {
    fresh_ns fam
    one_pair_addressed fam
    setup fam "
        ip link add br0 type bridge
        ip link set veth1 master br0
        ip link set br0 up
        ping -c 3 -i 0.2 -W 1 10.0.0.9 >/dev/null 2>&1 || true"
    record_script stats
}

# the listeners write their pids to $work/monitor.pids
stop_monitors() { [ -s "$work/monitor.pids" ] && kill -TERM $(cat "$work/monitor.pids") 2>/dev/null || true; }

cap_monitor() {
    fresh_ns fam
    fresh_ns fam-peer
    lo_up fam
    rm -f "$work/monitor.pids"
    on_exit stop_monitors
    record_bg fam "$out/monitor.pcap" sh "$scripts/monitor-listen.sh" "$work/monitor.pids" >"$work/monitor.out"
    i=0
    while [ "$(cat "$work/monitor.pids" 2>/dev/null | wc -l)" -lt 3 ]; do
        i=$((i + 1))
        [ $i -lt 100 ] || die "monitors did not start"
        sleep 0.1
    done
    sleep 1  # let them subscribe
    in_ns fam sh "$scripts/monitor-changes.sh" "$peer"
    drop_ns fam-peer   # RTM_DELNSID
    sleep 1
    # SIGTERM, not SIGINT: a non-interactive shell starts its background
    # commands with SIGINT ignored. The monitors exit, strace and the recorder follow.
    stop_monitors
    record_wait
}

all="link-kinds bridge-vlan-fdb mdb-router addr route-encap rules nexthop tc-qdisc-class-filter tc-actions neigh-ntable netconf-nsid-addrlabel stats monitor"
for c in ${*:-$all}; do
    case $c in
    link-kinds) cap_link_kinds ;;
    bridge-vlan-fdb) cap_bridge_vlan_fdb ;;
    mdb-router) cap_mdb_router ;;
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
    *) die "unknown capture $c (one of: $all)" ;;
    esac
done
