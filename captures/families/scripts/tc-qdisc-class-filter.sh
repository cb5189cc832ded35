#!/bin/sh
# tc-qdisc-class-filter.pcap: RTM_*QDISC/*TCLASS/*TFILTER (tcmsg + TCA_*):
# htb with classes, tbf, pfifo, bfifo, mq, ingress, clsact; u32 filters (with a
# hash table), classic and eBPF bpf filters; statistics dumps (tc -s).
. "$(dirname "$0")/lib.sh"

tc qdisc add dev veth0 root handle 1: htb default 20 r2q 10
tc class add dev veth0 parent 1: classid 1:1 htb rate 100mbit ceil 100mbit burst 15k
tc class add dev veth0 parent 1:1 classid 1:10 htb rate 30mbit ceil 100mbit prio 1
tc class add dev veth0 parent 1:1 classid 1:20 htb rate 10mbit ceil 50mbit prio 2 quantum 1514
tc qdisc add dev veth0 parent 1:10 handle 10: tbf rate 20mbit burst 32kb latency 50ms
tc qdisc add dev veth0 parent 1:20 handle 20: pfifo limit 100
tc qdisc add dev veth2 root handle 1: tbf rate 1mbit burst 32k limit 100k peakrate 2mbit mtu 1600
tc qdisc add dev veth3 root handle 1: bfifo limit 50000
tc qdisc add dev veth1 root handle 1: mq
tc qdisc add dev veth0 ingress
tc qdisc add dev veth2 clsact
for q in fq_codel prio netem sfq; do
    if has "q_$q"; then tc qdisc add dev veth1 parent 1:1 "$q"; break; fi
done

tc filter add dev veth0 parent 1: protocol ip prio 1 u32 match ip dst 10.20.0.0/16 match ip dport 80 0xffff flowid 1:10
tc filter add dev veth0 parent 1: protocol ip prio 2 u32 match ip protocol 17 0xff match ip sport 53 0xffff classid 1:20
tc filter add dev veth0 parent 1: prio 3 handle 2: protocol ip u32 divisor 256
tc filter add dev veth0 parent 1: prio 3 protocol ip u32 ht 800:: match ip src 10.0.0.0/8 hashkey mask 0x000000ff at 12 link 2:
tc filter add dev veth0 parent 1: prio 3 protocol ip u32 ht 2:1: match ip src 10.0.0.1/32 classid 1:10
tc filter add dev veth0 parent ffff: protocol ip prio 1 u32 match ip src 10.1.0.0/24 classid 1:1
# classic BPF: ldh [12]; jeq #0x800, accept, drop
tc filter add dev veth2 ingress protocol all prio 1 bpf bytecode "4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0," classid 1:1
if [ -n "$bpf_obj" ]; then tc filter add dev veth2 egress protocol all prio 2 bpf da obj "$bpf_obj" sec classifier; fi
if has matchall; then tc filter add dev veth2 ingress protocol all prio 3 matchall classid 1:3; fi
if has flower; then tc filter add dev veth2 ingress protocol ip prio 4 flower dst_ip 10.1.0.9 ip_proto tcp dst_port 80 classid 1:4; fi
if has basic; then tc filter add dev veth2 ingress protocol ip prio 5 basic match "cmp(u8 at 0 layer network eq 0x45)" classid 1:5; fi

# some traffic through the qdiscs: ARP for an absent neighbour
ping -c 2 -i 0.2 -W 1 -I veth0 10.1.0.9 >/dev/null 2>&1 || true
ping -c 2 -i 0.2 -W 1 -I veth2 10.2.0.9 >/dev/null 2>&1 || true

tc qdisc show
tc -s qdisc show
tc -s -d qdisc show dev veth0
tc class show dev veth0
tc -s -d class show dev veth0
tc -s class show dev veth1
tc filter show dev veth0
tc -s -d filter show dev veth0 parent 1:
tc filter show dev veth0 ingress
tc -s filter show dev veth2 ingress
tc -s filter show dev veth2 egress
tc filter get dev veth0 parent 1: protocol ip prio 1 handle 800::800 u32
tc chain show dev veth0
tc qdisc change dev veth2 root handle 1: tbf rate 2mbit burst 32k limit 100k
tc class change dev veth0 parent 1:1 classid 1:20 htb rate 20mbit ceil 50mbit prio 2
tc filter del dev veth0 parent 1: prio 1
tc filter del dev veth0 parent 1: prio 2
tc filter del dev veth2 ingress
tc class del dev veth0 classid 1:20
tc qdisc del dev veth0 root
tc qdisc del dev veth0 ingress
tc qdisc del dev veth2 clsact
tc qdisc show
