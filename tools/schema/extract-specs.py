#!/usr/bin/python3
"""Extract the facts the generator needs from the kernel's YNL specs.

    tools/schema/extract-specs.py KERNEL_SPECS_DIR [--out DIR] [--check]

KERNEL_SPECS_DIR is a kernel tree's Documentation/netlink/specs (or a copy of
its rtnetlink files). For each family ynl2cpp.py reads, writes DIR/<family>.yaml
(default tools/schema/specs/) holding only names, numbers, types, nesting,
enum and flag entries, sub-message formats and the operations' message
numbers: no doc strings, checks or other text of the kernel's. ynl2cpp.py
reads these files, so a build never needs a kernel tree. --check compares with
the files in DIR instead of writing them (exit 1 when they differ).
"""
import argparse
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILIES = ['rt-link', 'rt-addr', 'rt-route', 'rt-neigh', 'rt-rule', 'tc']

# The keys kept at each level; everything else (doc, checks, uapi-header,
# mcast-groups, the operations' attribute lists) is left behind.
TOP = ('name', 'protocol', 'protonum', 'definitions', 'attribute-sets', 'sub-messages', 'operations')
DEFINITION = ('name', 'type', 'name-prefix', 'value-start', 'entries', 'members')
ENTRY = ('name', 'value')
MEMBER = ('name', 'type', 'len', 'byte-order', 'display-hint', 'enum', 'enum-as-flags', 'struct')
SET = ('name', 'name-prefix', 'subset-of', 'attributes')
ATTRIBUTE = ('name', 'value', 'type', 'byte-order', 'display-hint', 'enum', 'enum-as-flags', 'multi-attr',
             'nested-attributes', 'struct', 'sub-type', 'fixed-header', 'sub-message', 'selector')
SUB_MESSAGE = ('name', 'formats')
FORMAT = ('value', 'attribute-set', 'fixed-header')
OPERATIONS = ('enum-model', 'name-prefix', 'fixed-header', 'list')
OPERATION = ('name', 'value', 'attribute-set', 'fixed-header', 'notify', 'do', 'dump')


def keep(d, keys):
    return {k: d[k] for k in keys if k in d}


def entry(e):
    return e if isinstance(e, str) else keep(e, ENTRY)


def definition(d):
    out = keep(d, DEFINITION)
    if 'entries' in out:
        out['entries'] = [entry(e) for e in out['entries']]
    if 'members' in out:
        out['members'] = [keep(m, MEMBER) for m in out['members']]
    return out


def operation(op):
    out = keep(op, OPERATION)
    for mode in ('do', 'dump'):
        if mode in out:
            # Only the message numbers: which request and reply types exist.
            out[mode] = {direction: keep(out[mode][direction], ('value',))
                         for direction in ('request', 'reply') if direction in (out[mode] or {})}
    return out


def extract(spec):
    out = keep(spec, TOP)
    out['definitions'] = [definition(d) for d in out.get('definitions', [])]
    out['attribute-sets'] = [dict(keep(s, SET), attributes=[keep(a, ATTRIBUTE) for a in s.get('attributes', [])])
                             for s in out['attribute-sets']]
    if 'sub-messages' in out:
        out['sub-messages'] = [dict(keep(m, SUB_MESSAGE), formats=[keep(f, FORMAT) for f in m['formats']])
                               for m in out['sub-messages']]
    if 'operations' in out:
        ops = keep(out['operations'], OPERATIONS)
        ops['list'] = [operation(op) for op in ops.get('list', [])]
        out['operations'] = ops
    return out


def render(family, spec):
    head = ('# Facts from the kernel\'s YNL spec %s.yaml (names, numbers, types, nesting),\n'
            '# written by tools/schema/extract-specs.py. Do not edit: re-run it on a kernel tree.\n' % family)
    return head + yaml.safe_dump(extract(spec), sort_keys=False, default_flow_style=False, width=100)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('kernel_specs')
    ap.add_argument('--out', default=os.path.join(HERE, 'specs'))
    ap.add_argument('--check', action='store_true')
    args = ap.parse_args()
    stale = []
    for family in FAMILIES:
        with open(os.path.join(args.kernel_specs, family + '.yaml')) as f:
            text = render(family, yaml.safe_load(f))
        path = os.path.join(args.out, family + '.yaml')
        if args.check:
            old = open(path).read() if os.path.exists(path) else None
            if old != text:
                stale.append(path)
            continue
        with open(path, 'w') as f:
            f.write(text)
    for path in stale:
        print('extract-specs: %s differs from the kernel specs given' % path, file=sys.stderr)
    return 1 if stale else 0


if __name__ == '__main__':
    sys.exit(main())
