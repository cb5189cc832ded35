#!/bin/sh
# tc-actions.pcap: RTM_NEWACTION/GETACTION/DELACTION (tcamsg + TCA_ACT_*) for the
# action kinds this kernel has (mirred; gact/police/skbedit when present), and
# filters carrying actions.
. "$(dirname "$0")/lib.sh"

tc actions add action mirred egress mirror dev veth1 index 11
tc actions add action mirred egress redirect dev veth3 index 12
tc actions add action mirred ingress mirror dev veth1 index 13 cookie 0011223344556677
if has gact; then
    tc actions add action gact drop index 21
    tc actions add action gact pass random determ drop 10 index 22
fi
if has police; then tc actions add action police rate 1mbit burst 10k conform-exceed drop index 31; fi
if has skbedit; then tc actions add action skbedit mark 5 index 41; fi
tc qdisc add dev veth0 ingress
tc filter add dev veth0 parent ffff: protocol ip prio 1 u32 match ip src 10.0.0.0/8 action mirred egress redirect dev veth2
tc filter add dev veth0 parent ffff: protocol ip prio 2 u32 match ip src 10.1.0.0/16 action mirred index 11
if has gact; then tc filter add dev veth0 parent ffff: protocol ip prio 3 u32 match ip src 10.2.0.0/16 action gact drop; fi
ping -c 2 -i 0.2 -W 1 -I veth1 10.1.0.9 >/dev/null 2>&1 || true
tc actions ls action mirred
tc -s actions ls action mirred
tc actions get action mirred index 11
tc -s actions get action mirred index 13
if has gact; then tc -s actions ls action gact; fi
tc -s filter show dev veth0 parent ffff:
tc filter del dev veth0 parent ffff: prio 2
tc actions del action mirred index 12
tc qdisc del dev veth0 ingress
# the kernel releases the deleted filters' actions from a work queue: until then
# they are still bound and the flush answers EPERM
sleep 0.5
tc actions flush action mirred
tc actions ls action mirred
