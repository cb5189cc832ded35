#!/usr/bin/python3
"""Walk every capture with rtnl-decode and fail on anything left undecoded.

    coverage_test.py RTNL_DECODE CAPTURE...

Fails when an attribute is unknown to the schema, a link/qdisc kind has no
table, a message type is unknown, an attribute of a known type is left as
raw bytes (unless OPAQUE says why those bytes are opaque by nature), or a
malformed-input problem appears outside the frames crafted to be malformed.
"""
import collections
import json
import os
import subprocess
import sys

# Attributes whose payload is opaque by nature, not for want of a table.
OPAQUE = {
    'TCA_BPF_OPS': 'classic BPF program (struct sock_filter[]), bytes as the kernel keeps them',
    'TCA_BPF_TAG': 'eBPF program tag, an 8-byte hash',
    'TCA_HTB_RTAB': 'rate table: 256 precomputed u32 transmit times',
    'TCA_HTB_CTAB': 'ceil rate table: 256 precomputed u32 transmit times',
    'TCA_TBF_RTAB': 'rate table: 256 precomputed u32 transmit times',
    'TCA_TBF_PTAB': 'peak rate table: 256 precomputed u32 transmit times',
    'LINK_XSTATS_TYPE_BOND': 'bond extended stats - not decoded yet (no bond driver on the recording kernel)',
    'IFLA_INFO_XSTATS': 'per-kind extended stats - not decoded yet',
    'IFLA_PHYS_SWITCH_ID': 'opaque switch identifier chosen by the driver',
    'IFLA_PHYS_PORT_ID': 'opaque port identifier chosen by the driver',
    'TCA_ACT_COOKIE': 'opaque cookie the user attached to the action (tc ... cookie HEX)',
}

# Frames made malformed on purpose: captures/programs/rta-short-oif.c, and the
# prefix-length and address-length cases of captures/analysis/experts.pcap.
CRAFTED = {('route-extack.pcap', 17), ('route-extack.pcap', 18)} | {('experts.pcap', f) for f in range(30, 36)}


def main():
    decode, captures = sys.argv[1], sys.argv[2:]
    failures = []
    counts = collections.Counter()
    opaque_seen = collections.Counter()
    for cap in captures:
        name = os.path.basename(cap)
        packets = json.loads(subprocess.run([decode, '--json', cap], capture_output=True, text=True,
                                            check=True).stdout)
        counts['captures'] += 1
        for p in packets:
            counts['packets'] += 1
            nodes = p['nodes']
            frame = p['frame']
            for i, n in enumerate(nodes):
                if n['kind'] == 'attr':
                    counts['attributes'] += 1
                    if n['name'] == 'rtnl.attr':
                        failures.append('%s frame %d: unknown attribute %s' % (name, frame, n['constant']))
                    elif n['opaque']:
                        if n['constant'] in OPAQUE and OPAQUE[n['constant']]:
                            opaque_seen[n['constant']] += 1
                        elif (name, frame) not in CRAFTED:
                            failures.append('%s frame %d: %s left as bytes (%s)' % (name, frame, n['constant'],
                                                                                     n['value'][:48]))
                elif n['kind'] == 'problem':
                    problem = n['name'][len('rtnl.expert.'):]
                    counts['problem ' + problem] += 1
                    if problem in ('unknown_attr', 'unknown_kind', 'unknown_msg_type'):
                        failures.append('%s frame %d: %s at offset %d' % (name, frame, problem, n['offset']))
                    elif problem.startswith('malformed.') and (name, frame) not in CRAFTED:
                        failures.append('%s frame %d: %s at offset %d' % (name, frame, problem, n['offset']))
    print('captures %d, packets %d, attributes %d' % (counts['captures'], counts['packets'], counts['attributes']))
    for k, v in sorted(opaque_seen.items()):
        print('  opaque by nature: %s x%d (%s)' % (k, v, OPAQUE[k]))
    for f in failures[:100]:
        print('UNDECODED ' + f)
    print('%d undecoded' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
