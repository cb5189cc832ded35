#!/usr/bin/python3
"""Decoded values against the command lines that made the captures.

    known_values_test.py RTNL_DECODE CAPTURES_DIR

Every capture in captures/families was made by the commands in its
scripts/NAME.sh. Those commands are an oracle independent of our decoder:
`ip link add vx0 type vxlan id 42 dstport 4789` must show IFLA_VXLAN_ID 42
and IFLA_VXLAN_PORT 4789 in a request of link-kinds.pcap, `tc class add ...
htb rate 100mbit` a tc_ratespec rate of 12,500,000 bytes/s. For each
capture, each (field, value) below must appear in some request the capture
holds; a wrong offset, width, byte order or table breaks it.
"""
import json
import os
import subprocess
import sys

M = 1000 * 1000 // 8  # 1mbit in bytes/s, as tc sends rates

EXPECTED = {
    'families/link-kinds.pcap': [
        ('rtnl.ifla.info.kind', v) for v in ('veth', 'bridge', 'vxlan', 'macvlan', 'macvtap', 'ifb')
    ] + [
        ('rtnl.ifla.ifname', 'veth1'),              # the veth peer, inside VETH_INFO_PEER
        ('rtnl.ifla.num_tx_queues', '2'),
        ('rtnl.ifla.vxlan.id', '42'), ('rtnl.ifla.vxlan.id', '43'),
        ('rtnl.ifla.vxlan.port', '4789'), ('rtnl.ifla.vxlan.port', '4790'), ('rtnl.ifla.vxlan.port', '4791'),
        ('rtnl.ifla.vxlan.local', '10.0.0.1'), ('rtnl.ifla.vxlan.group', '10.0.0.2'),
        ('rtnl.ifla.vxlan.group6', 'ff05::100'), ('rtnl.ifla.vxlan.ttl', '64'),
        ('rtnl.ifla.vxlan.port_range.low', '40000'), ('rtnl.ifla.vxlan.port_range.high', '50000'),
        ('rtnl.ifla.vxlan.ageing', '300'), ('rtnl.ifla.vxlan.limit', '100'),
        ('rtnl.ifla.vxlan.collect_metadata', '1'),
        ('rtnl.ifla.macvlan.mode', '4'), ('rtnl.ifla.macvlan.mode', '1'), ('rtnl.ifla.macvlan.mode', '16'),
        ('rtnl.ifla.macvlan.mode', '2'), ('rtnl.ifla.macvlan.bc_queue_len', '2000'),
        ('rtnl.ifla.br.priority', '100'), ('rtnl.ifla.br.group_fwd_mask', '16384'),
    ],
    'families/nexthop.pcap': [
        ('rtnl.nha.id', v) for v in ('1', '2', '3', '4', '5', '6', '10', '11', '20', '21', '22')
    ] + [
        ('rtnl.nha.gateway', '10.1.0.2'), ('rtnl.nha.gateway', '10.2.0.2'), ('rtnl.nha.gateway', '10.1.0.5'),
        ('rtnl.nha.gateway6', '2001:db8:a::2'), ('rtnl.nhm.protocol', '4'),
        ('rtnl.nha.group.id', '1'), ('rtnl.nha.group.id', '2'), ('rtnl.nha.group.weight', '2'),
        ('rtnl.nha.res.group.buckets', '16'), ('rtnl.nha.res.group.idle_timer', '6000'),
        ('rtnl.lwtunnel.ip.id', '5'), ('rtnl.lwtunnel.ip.dst', '10.9.9.9'),
    ],
    'families/tc-qdisc-class-filter.pcap': [
        ('rtnl.tca.kind', v) for v in ('htb', 'tbf', 'pfifo', 'bfifo', 'mq', 'ingress', 'clsact', 'u32', 'bpf')
    ] + [
        ('rtnl.tcm.handle', str(0x10000)), ('rtnl.tcm.handle', str(0x10010)), ('rtnl.tcm.handle', str(0x100000)),
        ('rtnl.tca.htb.init.rate2quantum', '10'), ('rtnl.tca.htb.init.defcls', str(0x20)),
        ('rtnl.tca.htb.parms.rate.rate', str(100 * M)), ('rtnl.tca.htb.parms.rate.rate', str(30 * M)),
        ('rtnl.tca.htb.parms.rate.rate', str(10 * M)), ('rtnl.tca.htb.parms.ceil.rate', str(50 * M)),
        ('rtnl.tca.htb.parms.prio', '1'), ('rtnl.tca.htb.parms.prio', '2'), ('rtnl.tca.htb.parms.quantum', '1514'),
        ('rtnl.tca.tbf.parms.rate.rate', str(20 * M)), ('rtnl.tca.tbf.parms.rate.rate', str(1 * M)),
        ('rtnl.tca.tbf.parms.peakrate.rate', str(2 * M)),
        ('rtnl.tc_fifo_qopt.limit', '100'), ('rtnl.tc_fifo_qopt.limit', '50000'),
        ('rtnl.tca.u32.classid', str(0x10010)), ('rtnl.tca.u32.classid', str(0x10020)),
        ('rtnl.tca.u32.divisor', '256'),
        ('rtnl.tca.bpf.ops_len', '4'), ('rtnl.tca.bpf.classid', str(0x10001)),
    ],
    'families/rules.pcap': [
        ('rtnl.fra.priority', str(v)) for v in range(100, 200, 10)
    ] + [
        ('rtnl.frh.table', str(v)) for v in range(100, 107)  # iproute2 puts tables below 256 in the header
    ] + [
        ('rtnl.fra.src', '10.0.0.0'), ('rtnl.fra.dst', '192.168.0.0'),
        ('rtnl.fra.sport_range.start', '1000'), ('rtnl.fra.sport_range.end', '2000'),
        ('rtnl.fra.dport_range.start', '80'), ('rtnl.fra.dport_range.end', '90'),
        ('rtnl.fra.ip_proto', '6'), ('rtnl.fra.fwmark', '16'), ('rtnl.fra.fwmask', '255'),
        ('rtnl.fra.uid_range.start', '1000'), ('rtnl.fra.uid_range.end', '2000'),
        ('rtnl.fra.iifname', 'veth0'), ('rtnl.fra.oifname', 'veth1'), ('rtnl.frh.tos', '16'),
        ('rtnl.fra.suppress_prefixlen', '0'), ('rtnl.fra.suppress_ifgroup', '5'), ('rtnl.fra.goto', '170'),
        ('rtnl.frh.action', '8'), ('rtnl.fra.flow', '5'), ('rtnl.fra.protocol', '4'), ('rtnl.fra.tun_id', '5'),
    ],
}


def request_values(decode, path):
    """{(field, raw value)} over every request (NLM_F_REQUEST) in the capture."""
    packets = json.loads(subprocess.run([decode, '--json', path], capture_output=True, text=True,
                                        check=True).stdout)
    seen = set()
    for p in packets:
        if p['direction'] != 'user->kernel':
            continue
        for n in p['nodes']:
            if n['kind'] in ('attr', 'member') and n['raw'] != '':
                seen.add((n['name'], n['raw']))
    return seen


def main():
    decode, captures = sys.argv[1], sys.argv[2]
    missing = []
    checked = 0
    for name, expected in EXPECTED.items():
        seen = request_values(decode, os.path.join(captures, name))
        for pair in expected:
            checked += 1
            if pair not in seen:
                missing.append('%s: %s = %s not decoded' % (name, pair[0], pair[1]))
    print('%d values checked against the recording commands, %d missing' % (checked, len(missing)))
    for m in missing:
        print('MISSING ' + m)
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
