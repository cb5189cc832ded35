#!/usr/bin/python3
"""Generate the decoder's schema tables from YNL specs plus our overlay.

    tools/schema/ynl2cpp.py [--specs DIR] [--out FILE] [--check]

Reads the facts extracted from the kernel's YNL specs (tools/schema/specs/,
written by extract-specs.py from a kernel tree) and our own
tools/schema/extra-specs, applies tools/schema/overlay.yaml and writes
decoder/src/generated/schema_tables.cpp. --check compares with the committed
file instead of writing it (exit 1 when they differ). Only names, numbers,
types, nesting and enum values come from the kernel; labels are ours.
"""
import argparse
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
DEFAULT_SPECS = os.path.join(HERE, 'specs')
SPEC_FILES = ['rt-link', 'rt-addr', 'rt-route', 'rt-neigh', 'rt-rule', 'tc']
EXTRA_FILES = ['rt-route-extra', 'rt-nexthop', 'netlink-extack', 'rt-link-extra', 'tc-extra', 'rt-misc']

SCALAR = {'u8': ('U8', 1), 'u16': ('U16', 2), 'u32': ('U32', 4), 'u64': ('U64', 8),
          's8': ('S8', 1), 's16': ('S16', 2), 's32': ('S32', 4), 's64': ('S64', 8),
          'uint': ('UInt', 8), 'sint': ('S64', 8)}
# Overlay kinds that name a non-scalar leaf kind outright.
LEAF_KINDS = {'mac': 'Mac', 'ipv4': 'Ipv4', 'ipv6': 'Ipv6', 'pad': 'Pad'}
BASES = {'dec': 'Dec', 'hex': 'Hex', 'tc-handle': 'TcHandle', 'rate': 'Rate', 'ms': 'Msecs'}
FEEDS = {'oif': 'kFeedOif', 'ifindex': 'kFeedIfindex', 'ifname': 'kFeedIfname', 'addr': 'kFeedAddr'}
ACRONYMS = {'id', 'ip', 'ipv4', 'ipv6', 'mtu', 'mac', 'vf', 'xdp', 'gso', 'gro', 'tso', 'tos',
            'ttl', 'vlan', 'vni', 'uid', 'gid', 'af', 'dscp', 'ecn', 'tc', 'qos', 'rx', 'tx',
            'l3mdev', 'nh', 'fdb', 'udp', 'tcp', 'icmp', 'mpls', 'gre', 'csum', 'rtt', 'ns',
            'pid', 'fd', 'arp', 'dad', 'ra', 'll', 'hw', 'bpf', 'ct', 'lladdr', 'dst', 'src'}


def c_ident(s):
    return ''.join(ch if ch.isalnum() else '_' for ch in s)


def cstr(s):
    return 'nullptr' if s is None else '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def default_label(name):
    words = name.split('-')
    out = [w.upper() if w in ACRONYMS else w for w in words]
    if out and out[0] == words[0]:
        out[0] = out[0][:1].upper() + out[0][1:]
    return ' '.join(out)


class Gen:
    def __init__(self, specs_dir):
        self.overlay = yaml.safe_load(open(os.path.join(HERE, 'overlay.yaml')))
        self.specs = {}
        for name in SPEC_FILES:
            self.specs[name] = yaml.safe_load(open(os.path.join(specs_dir, name + '.yaml')))
        for name in EXTRA_FILES:
            extra = yaml.safe_load(open(os.path.join(HERE, 'extra-specs', name + '.yaml')))
            if 'extends' in extra:
                self.merge(self.specs[extra['extends']], extra)
            else:
                self.specs[name] = extra
        self.fields = []           # dicts, in order
        self.field_by_abbrev = {}
        self.enums = {}            # key -> dict(cname, flags, entries[(value, const, short)])
        self.structs = []          # emitted struct instances
        self.spaces = {}           # "spec/set" -> dict
        self.space_order = []
        self.submsgs = {}
        self.errors = []

    @staticmethod
    def merge(base, extra):
        """Add an extension's definitions, sets and sub-message formats to a spec."""
        defs = base.setdefault('definitions', [])
        for d in extra.get('definition-overrides', []):  # the spec is wrong about a struct
            defs[:] = [x for x in defs if x['name'] != d['name']] + [d]
        defs.extend(extra.get('definitions', []))
        base['attribute-sets'].extend(extra.get('attribute-sets', []))
        for set_name, attrs in extra.get('attribute-overrides', {}).items():
            target = next(x for x in base['attribute-sets'] if x['name'] == set_name)
            for a in target['attributes']:
                if a['name'] in attrs:
                    a.update(attrs[a['name']])
        for sm in extra.get('sub-messages', []):
            target = next((x for x in base.setdefault('sub-messages', []) if x['name'] == sm['name']), None)
            if target is None:
                base['sub-messages'].append(sm)
            else:
                target['formats'].extend(sm['formats'])

    # ---- enums -------------------------------------------------------------
    def enum(self, spec, name):
        if name not in self.overlay['enums'] and not self.has_def(spec, name):
            spec = self.spec_with_def(name)  # one spec's struct using another's flags (bridge_vlan_info)
        key = name if name in self.overlay['enums'] else spec + '/' + name
        if key in self.enums:
            return self.enums[key]['cname']
        if name in self.overlay['enums']:
            d = self.overlay['enums'][name]
            prefix = d['prefix']
            entries = [(v, (prefix + k).upper().replace('-', '_'), k.replace('-', '_'))
                       for k, v in d['entries'].items()]
            flags = bool(d.get('flags'))
        else:
            d = self.definition(spec, name)
            flags = d['type'] == 'flags'
            prefix = d.get('name-prefix') or self.overlay['enum-prefix'].get(name) or (name + '-')
            value = d.get('value-start', 0)
            entries = []
            for e in d['entries']:
                ename = e if isinstance(e, str) else e['name']
                if isinstance(e, dict) and 'value' in e:
                    value = e['value']
                entries.append(((1 << value) if flags else value,
                                (prefix + ename).upper().replace('-', '_'), ename.replace('-', '_')))
                value += 1
        cname = 'e_' + c_ident(key.replace('/', '__'))
        self.enums[key] = {'cname': cname, 'flags': flags, 'entries': entries, 'name': name}
        return cname

    def enum_is_flags(self, cname):
        return any(e['cname'] == cname and e['flags'] for e in self.enums.values())

    # ---- fields ------------------------------------------------------------
    def field(self, abbrev, label, constant, kind, base='Dec', big_endian=False, bitmask=False,
              enum=None, feeds=()):
        f = {'abbrev': abbrev, 'label': label, 'constant': constant, 'kind': kind, 'base': base,
             'be': big_endian, 'bitmask': bitmask, 'enum': enum, 'feeds': tuple(feeds)}
        old = self.field_by_abbrev.get(abbrev)
        if old is not None:
            same = all(old[k] == f[k] for k in ('kind', 'bitmask', 'enum'))
            if not same:
                self.errors.append('field %s defined twice with different types (%s, %s)'
                                   % (abbrev, old['constant'], constant))
            if '.' in old['constant'] and '.' not in constant:
                # A header member sharing its field with an attribute (ifa_flags
                # and IFA_FLAGS): the attribute's constant and label name it.
                old['constant'], old['label'] = constant, label
            return old['index']
        f['index'] = len(self.fields)
        self.fields.append(f)
        self.field_by_abbrev[abbrev] = f
        return f['index']

    # ---- structs -----------------------------------------------------------
    def has_def(self, spec, name):
        return any(x['name'] == name for x in self.specs[spec].get('definitions', []))

    def definition(self, spec, name):
        """A struct, enum or flag set of `spec`, else of the spec that has it
        (the bridge VLAN database of rt-misc uses rt-link's bridge_vlan_info)."""
        if not self.has_def(spec, name):
            spec = self.spec_with_def(name)
        return next(x for x in self.specs[spec]['definitions'] if x['name'] == name)

    def struct_def(self, spec, name):
        if name in self.overlay.get('structs', {}):
            return {'name': name, 'members': self.overlay['structs'][name]}
        return self.definition(spec, name)

    def struct(self, spec, name, base_abbrev, strip_prefix=None, entries=False):
        """Emit one StructSpec whose member fields live under base_abbrev;
        `entries`: the payload is an array of them (NHA_GROUP)."""
        members, offset = self.struct_members(spec, name, base_abbrev, strip_prefix, 0)
        cname = 'struct_' + c_ident(base_abbrev[len('rtnl.'):]) + '__' + c_ident(name)
        for s in self.structs:
            if s['cname'] == cname:
                return cname
        self.structs.append({'cname': cname, 'name': name, 'size': offset, 'members': members, 'entries': entries})
        return cname

    def struct_members(self, spec, name, base_abbrev, strip_prefix, start):
        """(field, offset, size, repeated) of a struct's members from `start`;
        a member that is itself a struct (tc_htb_opt's rate, a tc_ratespec)
        is flattened into fields under its own name."""
        d = self.struct_def(spec, name)
        overrides = self.overlay['members'].get(name, {})
        members, offset = [], start
        for m in d['members']:
            if m['type'] == 'binary' and 'struct' in m and 'len' not in m:
                short = m['name'].replace('-', '_').lower()
                inner, offset = self.struct_members(spec, m['struct'], base_abbrev + '.' + short, None, offset)
                members += inner
                continue
            mt = m['type']
            if mt in SCALAR:
                kind, size = SCALAR[mt]
                if mt in ('uint', 'sint'):
                    self.errors.append('variable-width member %s.%s' % (name, m['name']))
                offset = (offset + size - 1) // size * size
            elif mt == 'pad':
                kind, size = None, m['len']
            elif mt == 'binary':
                size = m.get('len')
                if size is None and 'struct' in m:
                    size = self.struct_size(spec, m['struct'])
                hint = m.get('display-hint')
                kind = {'mac': 'Mac', 'ipv4': 'Ipv4', 'ipv6': 'Ipv6'}.get(hint, 'Binary')
            else:
                self.errors.append('member type %s in %s' % (mt, name))
                continue
            if kind is None:
                members.append((None, offset, size, False, None))
                offset += size
                continue
            ov = overrides.get(m['name'], {})
            short = m['name']
            if strip_prefix and short.startswith(strip_prefix + '-'):
                short = short[len(strip_prefix) + 1:]
            if ov.get('kind'):
                kind = SCALAR[ov['kind']][0]
            enum = None
            if ov.get('enum') or m.get('enum'):
                enum = self.enum(spec, ov.get('enum') or m['enum'])
            bitmask = bool(ov.get('bitmask', m.get('enum-as-flags', False) or self.enum_is_flags(enum)))
            base = BASES[ov.get('base', 'hex' if m.get('display-hint') == 'hex' else 'dec')]
            fid = self.field(base_abbrev + '.' + short.replace('-', '_').lower(),
                             ov.get('label') or default_label(short),
                             name.replace('-', '_') + '.' + m['name'].replace('-', '_'),
                             kind, base, m.get('byte-order') == 'big-endian', bitmask, enum,
                             [FEEDS[x] for x in ov.get('feeds', [])])
            members.append((fid, offset, size, bool(m.get('repeated')), self.prefix_rule(name, m['name'])))
            if not m.get('repeated'):  # a repeated tail does not count in the size
                offset += size
        return members, offset

    def prefix_rule(self, struct_name, member):
        """(checked, attribute constant) when the overlay says a header member
        is a prefix length (prefix-lengths), else None."""
        rule = self.overlay['prefix-lengths'].get(struct_name, {}).get(member)
        if rule is None:
            return None
        target = None
        if rule.get('of'):
            spaces = {m[4] for m in self.overlay['messages'] if m[3] == struct_name}
            if len(spaces) != 1:
                self.errors.append('prefix length %s.%s: messages disagree on the space' % (struct_name, member))
                return None
            spec, set_name = spaces.pop().split('/')
            s = self.set_def(spec, set_name)
            prefix = (s.get('name-prefix') or self.overlay['set-prefix'].get(spec + '/' + set_name)).upper().replace('-', '_')
            target = (spec + '/' + set_name, prefix + rule['of'].upper().replace('-', '_'))
        return bool(rule.get('check')), target

    def array_struct(self, spec, sub_type, enum_name, base_abbrev, constant):
        kind, size = SCALAR[sub_type]
        self.enum(spec, enum_name)
        e = next(x for x in self.enums.values() if x['name'] == enum_name)
        members = []
        for value, const, short in e['entries']:
            fid = self.field(base_abbrev + '.' + short.lower(), default_label(short.replace('_', '-')),
                             const, kind)
            members.append((fid, value * size, size, False, None))
        cname = 'struct_' + c_ident(base_abbrev[len('rtnl.'):]) + '__array'
        size_total = (max(v for v, _, _ in e['entries']) + 1) * size
        self.structs.append({'cname': cname, 'name': constant.lower(), 'size': size_total, 'members': members,
                             'array': True})
        return cname

    def struct_size(self, spec, name):
        d = self.struct_def(spec, name)
        off = 0
        for m in d['members']:
            if m['type'] in SCALAR:
                sz = SCALAR[m['type']][1]
                off = (off + sz - 1) // sz * sz + sz
            elif m['type'] == 'binary' and 'struct' in m and 'len' not in m:
                off += self.struct_size(spec, m['struct'])
            else:
                off += m['len']
        return off

    # ---- attribute sets ----------------------------------------------------
    def set_def(self, spec, name):
        return next(s for s in self.specs[spec]['attribute-sets'] if s['name'] == name)

    def space_cname(self, spec, name):
        return 'space_' + c_ident((spec + '/' + name).replace('/', '__'))

    def space(self, spec, name):
        s = self.set_def(spec, name)
        if 'subset-of' in s:
            return self.space(spec, s['subset-of'])
        key = spec + '/' + name
        if key in self.spaces:
            return self.spaces[key]['cname']
        prefix = s.get('name-prefix') or self.overlay['set-prefix'].get(key)
        if prefix is None:
            self.errors.append('no name-prefix for ' + key)
            prefix = name + '-'
        abbrev_prefix = 'rtnl.' + (self.overlay['abbrev-prefix'].get(key) or
                                   prefix.rstrip('-').replace('-', '.'))
        const_prefix = prefix.upper().replace('-', '_')
        cname = 'space_' + c_ident(key.replace('/', '__'))
        entry = {'cname': cname, 'key': key, 'prefix': const_prefix, 'attrs': {}}
        self.spaces[key] = entry
        self.space_order.append(key)
        overrides = self.overlay['attrs'].get(key, {})
        value = 1
        for a in s['attributes']:
            if 'value' in a:
                value = a['value']
            entry['attrs'][value] = self.attr(spec, key, s, a, abbrev_prefix, const_prefix,
                                              overrides.get(a['name'], {}))
            value += 1
        return cname

    def attr(self, spec, key, s, a, abbrev_prefix, const_prefix, ov):
        t = a.get('type') or 'binary'
        name = a['name']
        abbrev = abbrev_prefix + '.' + name.replace('-', '_')
        constant = const_prefix + name.upper().replace('-', '_')
        label = ov.get('label') or default_label(name)
        hint = a.get('display-hint')
        be = ov.get('byte-order', a.get('byte-order')) == 'big-endian'
        base = BASES[ov.get('base', 'hex' if hint == 'hex' else 'dec')]
        enum = None
        if ov.get('enum') or a.get('enum'):
            enum = self.enum(spec, ov.get('enum') or a['enum'])
        bitmask = bool(ov.get('bitmask', a.get('enum-as-flags', False) or self.enum_is_flags(enum)))
        feeds = [FEEDS[x] for x in ov.get('feeds', [])]
        res = {'kind': None, 'field': None, 'field6': None, 'nested': None, 'struct': None,
               'submsg': None, 'selector': 0, 'selector_space': None,
               'multi': bool(a.get('multi-attr') or ov.get('multi'))}
        kind = ov.get('kind')
        if kind == 'ipaddr' or (kind is None and hint == 'ipv4-or-v6'):
            res['kind'] = 'IpAddr'
            res['field'] = self.field(abbrev, label, constant, 'Ipv4', feeds=feeds)
            res['field6'] = self.field(abbrev + '6', label + ' (IPv6)', constant, 'Ipv6', feeds=feeds)
            return res
        if kind == 'multipath':
            res['kind'] = 'Multipath'
            res['nested'] = self.space(spec, s['name'])
            res['struct'] = self.struct(spec, 'rtnexthop', 'rtnl.rtnh', 'rtnh')
            res['field'] = self.field(abbrev, label, constant, 'Nest')
            return res
        if kind == 'rtvia':
            res['kind'] = 'RtVia'
            res['struct'] = self.struct(spec, 'rtvia', 'rtnl.rta.via')
            res['field'] = self.field(abbrev, label, constant, 'Ipv4', feeds=feeds)
            res['field6'] = self.field(abbrev + '6', label + ' (IPv6)', constant, 'Ipv6', feeds=feeds)
            return res
        if kind in LEAF_KINDS:
            k = LEAF_KINDS[kind]
        elif kind in SCALAR:  # the kernel sends another width than the spec says
            k = SCALAR[kind][0]
        elif t in SCALAR:
            k = SCALAR[t][0]
            if hint == 'ipv4':
                k = 'Ipv4'
        elif t == 'binary':
            if 'struct' in a:
                res['kind'] = 'Struct'
                res['struct'] = self.struct(spec, a['struct'], abbrev, entries=bool(a.get('repeated')))
                res['field'] = self.field(abbrev, label, constant, 'Struct')
                return res
            k = {'mac': 'Mac', 'ipv4': 'Ipv4', 'ipv6': 'Ipv6'}.get(hint, 'Binary')
            if a.get('sub-type') in SCALAR and ov.get('enum'):
                # An array of scalars whose positions have names (devconf):
                # one field per position, read like a struct.
                res['kind'] = 'Struct'
                res['struct'] = self.array_struct(spec, a['sub-type'], ov['enum'], abbrev, constant)
                res['field'] = self.field(abbrev, label, constant, 'Struct')
                return res
        elif t in ('nest', 'indexed-array'):
            k = 'Nest' if t == 'nest' else 'IndexedArray'
            if 'nested-attributes' in a:
                res['nested'] = self.space(spec, a['nested-attributes'])
            if 'fixed-header' in a:  # a nested message: header struct, then attributes (veth peer)
                prefix = self.overlay['struct-prefix'][a['fixed-header']]
                res['struct'] = self.struct(spec, a['fixed-header'], 'rtnl.' + prefix, prefix)
        elif t == 'sub-message':
            k = 'SubMessage'
            res['submsg'] = self.submsg(spec, a['sub-message'])
            # The selector is a sibling, or (tc stats "app") an attribute of
            # an enclosing set: search this set, then the sets nesting it.
            holder = s
            if a['selector'] == 'family':  # chosen by the message's address family
                res['kind'] = 'SubMessage'
                res['field'] = self.field(abbrev, label, constant, 'SubMessage')
                return res
            sel = next((i for i, x in self.numbered(s) if x['name'] == a['selector']), None)
            if sel is None:
                for parent in self.specs[spec]['attribute-sets']:
                    if any(x.get('nested-attributes') == s['name'] for x in parent['attributes']):
                        sel = next((i for i, x in self.numbered(parent) if x['name'] == a['selector']), None)
                        if sel is not None:
                            holder = parent
                            break
            if sel is None:
                self.errors.append('selector %s not found for %s' % (a['selector'], key))
            res['selector'] = sel or 0
            if 'selector-fallback' in a:  # a sibling that selects when the selector is absent
                res['fallback'] = next((i for i, x in self.numbered(holder) if x['name'] == a['selector-fallback']), None)
                if res['fallback'] is None:
                    self.errors.append('selector-fallback %s not found for %s' % (a['selector-fallback'], key))
            res['selector_space'] = self.space_cname(spec, holder['name'])
            res['selector_key'] = spec + '/' + holder['name']
        else:
            k = {'flag': 'Flag', 'string': 'String', 'pad': 'Pad', 'unused': 'Unused',
                 'bitfield32': 'BitField32'}.get(t)
            if k is None:
                self.errors.append('attribute type %s in %s' % (t, key))
                k = 'Binary'
        res['kind'] = k
        res['field'] = self.field(abbrev, label, constant, k, base, be, bitmask, enum, feeds)
        return res

    @staticmethod
    def numbered(s):
        value = 1
        for a in s['attributes']:
            if 'value' in a:
                value = a['value']
            yield value, a
            value += 1

    def submsg(self, spec, name):
        key = spec + '/' + name
        if key in self.submsgs:
            return self.submsgs[key]['cname']
        d = next(x for x in self.specs[spec]['sub-messages'] if x['name'] == name)
        cname = 'submsg_' + c_ident(key.replace('/', '__'))
        entry = {'cname': cname, 'name': name, 'formats': []}
        self.submsgs[key] = entry
        for f in d['formats']:
            space = self.space(spec, f['attribute-set']) if 'attribute-set' in f else None
            hdr = None
            if 'fixed-header' in f:
                hdr = self.struct(spec, f['fixed-header'], 'rtnl.' + c_ident(f['fixed-header']))
            entry['formats'].append((f['value'], space, hdr))
        return cname

    # ---- messages ----------------------------------------------------------
    def run(self):
        self.messages = []
        header_structs = {}
        for entry in self.overlay['messages']:
            num, cname, verb, header, attrs = entry[:5]
            request_attrs = entry[5] if len(entry) > 5 else None
            hdr = None
            if header:
                if header not in header_structs:
                    spec = self.spec_with_def(header)
                    prefix = self.overlay['struct-prefix'][header]
                    strip = self.overlay['member-prefix'].get(header, prefix)
                    header_structs[header] = self.struct(spec, header, 'rtnl.' + prefix, strip)
                hdr = header_structs[header]
            space = request_space = None
            if attrs:
                spec, setname = attrs.split('/')
                space = self.space(spec, setname)
            if request_attrs:
                spec, setname = request_attrs.split('/')
                request_space = self.space(spec, setname)
            self.messages.append((num, cname, verb, hdr, space, request_space))
        # Every set of every spec gets a table, referenced or not.
        for spec, d in self.specs.items():
            for s in d['attribute-sets']:
                if s['attributes']:
                    self.space(spec, s['name'])
        for must in ('rt-route/nexthop-attrs', 'netlink-extack/extack-attrs'):
            spec, setname = must.split('/')
            self.space(spec, setname)
        self.check_operations()

    def spec_with_def(self, name):
        for spec, d in self.specs.items():
            if any(x['name'] == name for x in d.get('definitions', [])):
                return spec
        raise KeyError(name)

    def check_operations(self):
        known = {m[0]: m for m in self.messages}
        for spec, d in self.specs.items():
            ops = d.get('operations', {})
            for op in ops.get('list', []):
                for mode in ('do', 'dump'):
                    for direction in ('request', 'reply'):
                        v = op.get(mode, {}).get(direction, {}).get('value')
                        if v is not None and v not in known:
                            self.errors.append('%s op %s: message %d missing from overlay' % (spec, op['name'], v))

    # ---- names -------------------------------------------------------------
    @staticmethod
    def field_id(f):
        return c_ident(f['abbrev'][len('rtnl.'):].replace('.', '_'))

    def field_ref(self, index):
        return '&kFields[field::%s]' % self.field_id(self.fields[index])

    def space_ns(self, key):
        """The namespace of a space's attribute numbers: the set's name without
        "-attrs" (route-attrs: attr::route), or the overlay's where two clash."""
        named = self.overlay['space-names'].get(key)
        if named:
            return named
        set_name = key.split('/')[1]
        return c_ident(set_name[:-len('-attrs')] if set_name.endswith('-attrs') else set_name)

    def attr_const(self, key, constant):
        """An attribute's number by name: the constant without the space's
        prefix (RTA_OIF: OIF), whole where the rest would start with a digit."""
        rest = constant[len(self.spaces[key]['prefix']):]
        return rest if rest and not rest[0].isdigit() else constant

    def attr_ref(self, key, constant):
        return 'attr::%s::%s' % (self.space_ns(key), self.attr_const(key, constant))

    def check_names(self):
        seen = {}
        for key in self.space_order:
            ns = self.space_ns(key)
            if ns in seen:
                self.errors.append('attribute namespace %s for both %s and %s: name one in space-names' %
                                   (ns, seen[ns], key))
            seen[ns] = key
        ids = {}
        for f in self.fields:
            fid = self.field_id(f)
            if fid in ids:
                self.errors.append('field id %s for both %s and %s' % (fid, ids[fid], f['abbrev']))
            ids[fid] = f['abbrev']

    # ---- output ------------------------------------------------------------
    GENERATED = ['// GENERATED by tools/schema/ynl2cpp.py from tools/schema/specs, extra-specs',
                 '// and overlay.yaml. Do not edit: change those and regenerate.']

    def emit_names(self):
        """decoder/include/rtnl/generated/schema_names.hpp: the rows by name."""
        o = list(self.GENERATED)
        w = o.append
        w('// The schema\'s rows by name, for hand-written code: field ids (indexes of')
        w('// all_fields()), message types, attribute numbers per space, header')
        w('// members\' offsets.')
        w('#pragma once')
        w('')
        w('#include <cstddef>')
        w('#include <cstdint>')
        w('')
        w('namespace rtnl::schema {')
        w('')
        w('namespace field {')
        w('enum Id : std::uint16_t {')
        for f in self.fields:
            w('    %s,' % self.field_id(f))
        w('    kCount')
        w('};')
        w('}  // namespace field')
        w('')
        w('namespace msg {')
        for num, cname, _verb, _hdr, _space, _req in self.messages:
            w('inline constexpr std::uint16_t %s = %d;' % (cname, num))
        w('}  // namespace msg')
        w('')
        w('namespace attr {')
        for key in self.space_order:
            sp = self.spaces[key]
            w('namespace %s {  // %s' % (self.space_ns(key), key))
            for t in sorted(sp['attrs']):
                constant = self.fields[sp['attrs'][t]['field']]['constant']
                w('inline constexpr std::uint16_t %s = %d;' % (self.attr_const(key, constant), t))
            w('}')
        w('}  // namespace attr')
        w('')
        w('namespace member {')
        done = set()
        for st in self.structs:
            if st.get('array') or st['name'] in done:
                continue
            done.add(st['name'])
            own = [(self.fields[fid]['constant'].split('.', 1)[1], off) for fid, off, _, _, _ in st['members']
                   if fid is not None and self.fields[fid]['constant'].startswith(c_ident(st['name']) + '.')]
            if not own:
                continue
            w('namespace %s {' % c_ident(st['name']))
            for name, off in own:
                w('inline constexpr std::size_t %s = %d;' % (c_ident(name), off))
            w('}')
        w('}  // namespace member')
        w('')
        w('}  // namespace rtnl::schema')
        return '\n'.join(o) + '\n'

    def selector_ref(self, a, which='selector'):
        if not a['selector_space']:
            return '0'
        key = a['selector_key']
        return self.attr_ref(key, self.fields[self.spaces[key]['attrs'][a[which]]['field']]['constant'])

    # How a member's bytes read (StructMember::tag), from its field's kind and size.
    ADDRESS_SIZES = {'Ipv4': 4, 'Ipv6': 16, 'Mac': 6}

    def member_tag(self, kind, size):
        if kind == 'Binary' or kind in self.ADDRESS_SIZES:
            return kind if self.ADDRESS_SIZES.get(kind) == size else 'Bytes'
        if not 1 <= size <= 8:
            return 'None'
        return 'Signed' if kind in ('S8', 'S16', 'S32', 'S64') else 'Unsigned'

    def member_row(self, member):
        fid, off, size, repeated, rule = member
        if fid is None:
            return '{.field = nullptr, .offset = %d, .size = %d}' % (off, size)
        f = self.fields[fid]
        row = '{.field = %s, .offset = %d, .size = %d, .tag = ValueTag::%s' % (
            self.field_ref(fid), off, size, self.member_tag(f['kind'], size))
        if f['be']:
            row += ', .big_endian = true'
        if repeated:
            row += ', .repeated = true'
        if rule:
            checked, target = rule
            if checked:
                row += ', .checked_prefix = true'
            if target:
                row += ', .prefix_of = %s' % self.attr_ref(*target)
        return row + '}'

    def emit(self):
        o = list(self.GENERATED)
        w = o.append
        w('#include <iterator>')
        w('')
        w('#include "rtnl/schema.hpp"')
        w('')
        w('namespace rtnl::schema {')
        w('')
        # forward declarations
        for e in self.enums.values():
            w('extern const EnumSpec %s;' % e['cname'])
        for st in self.structs:
            w('extern const StructSpec %s;' % st['cname'])
        for key in self.space_order:
            w('extern const AttrSpace %s;' % self.spaces[key]['cname'])
        for sm in self.submsgs.values():
            w('extern const SubMessageSpec %s;' % sm['cname'])
        w('')
        # enums
        for e in self.enums.values():
            arr = e['cname'] + '_entries'
            w('static const EnumEntry %s[] = {' % arr)
            for v, const, short in e['entries']:
                w('    {%d, %s, %s},' % (v, cstr(const), cstr(short)))
            w('};')
            w('const EnumSpec %s = {%s, %s, %s};' % (e['cname'], cstr(e['name']),
                                                    'true' if e['flags'] else 'false', arr))
        w('')
        # fields, in the order of field::Id
        w('const FieldSpec kFields[] = {  // declared in schema.hpp (its size too: a count that differs does not compile)')
        w('    // abbrev, label, constant, kind, base, big-endian, bitmask, enum, feeds')
        for f in self.fields:
            feeds = '|'.join(f['feeds']) if f['feeds'] else 'kFeedNone'
            w('    {%s, %s, %s, Kind::%s, Base::%s, %s, %s, %s, %s},' % (
                cstr(f['abbrev']), cstr(f['label']), cstr(f['constant']), f['kind'],
                f['base'], 'true' if f['be'] else 'false', 'true' if f['bitmask'] else 'false',
                ('&' + f['enum']) if f['enum'] else 'nullptr', feeds))
        w('};')
        w('static_assert(std::size(kFields) == field::kCount);')
        w('')
        # structs
        for st in self.structs:
            arr = st['cname'] + '_members'
            w('static const StructMember %s[] = {' % arr)
            for member in st['members']:
                w('    %s,' % self.member_row(member))
            w('};')
            # The walk's prefix-length checks look at members [0, prefix_end) only.
            prefix_end = max((i + 1 for i, m in enumerate(st['members']) if m[4]), default=0)
            tail = ''
            if prefix_end:
                tail = ', %s, %d' % ('true' if st.get('entries') else 'false', prefix_end)
            elif st.get('entries'):
                tail = ', true'
            w('const StructSpec %s = {%s, %d, %s, %s%s};' % (st['cname'], cstr(st['name']), st['size'], arr,
                                                      'true' if st.get('array') else 'false', tail))
        w('')
        # spaces: rows indexed by attribute number, {} where a number is unused
        ref = lambda x: ('&' + x) if x else 'nullptr'
        for key in self.space_order:
            sp = self.spaces[key]
            arr = sp['cname'] + '_attrs'
            top = max(sp['attrs']) if sp['attrs'] else 0
            w('static const AttrSpec %s[] = {' % arr)
            for t in range(top + 1):
                a = sp['attrs'].get(t)
                if a is None:
                    w('    {},')
                    continue
                tail = ', true' if a['multi'] else ''
                if a.get('fallback'):
                    tail = ', %s, %s' % ('true' if a['multi'] else 'false', self.selector_ref(a, 'fallback'))
                w('    {%s, %s, Kind::%s, %s, %s, %s, %s, %s%s},' % (
                    self.field_ref(a['field']), self.field_ref(a['field6']) if a['field6'] is not None else 'nullptr',
                    a['kind'], ref(a['nested']), ref(a['struct']), ref(a['submsg']),
                    ref(a['selector_space']), self.selector_ref(a), tail))
            w('};')
            w('const AttrSpace %s = {%s, %s, %s};' % (sp['cname'], cstr(key), cstr(sp['prefix']), arr))
        w('')
        for sm in self.submsgs.values():
            arr = sm['cname'] + '_formats'
            w('static const SubMessageFormat %s[] = {' % arr)
            for value, space, hdr in sm['formats']:
                w('    {%s, %s, %s},' % (cstr(value), ref(space), ref(hdr)))
            w('};')
            w('const SubMessageSpec %s = {%s, %s};' % (sm['cname'], cstr(sm['name']), arr))
        w('')
        w('static const MessageTypeSpec kMessages[] = {')
        for num, cname, verb, hdr, space, request_space in self.messages:
            w('    {msg::%s, %s, Verb::%s, %s, %s, %s},' % (cname, cstr(cname), verb.capitalize(),
                                                          ref(hdr), ref(space), ref(request_space)))
        w('};')
        w('')
        w('static const EnumSpec* const kEnums[] = {')
        for e in self.enums.values():
            w('    &%s,' % e['cname'])
        w('};')
        w('static const AttrSpace* const kSpaces[] = {')
        for key in self.space_order:
            w('    &%s,' % self.spaces[key]['cname'])
        w('};')
        w('static const StructSpec* const kStructs[] = {')
        for st in self.structs:
            w('    &%s,' % st['cname'])
        w('};')
        w('')
        w('std::span<const EnumSpec* const> all_enums() { return kEnums; }')
        w('std::span<const AttrSpace* const> all_spaces() { return kSpaces; }')
        w('std::span<const StructSpec* const> all_structs() { return kStructs; }')
        w('std::span<const MessageTypeSpec> message_types() { return kMessages; }')
        w('')
        # Named aliases used by hand-written code.
        aliases = {
            'enum_address_family': self.enums['address-family']['cname'],
            'enum_rt_table': self.enums['rt-table']['cname'],
            'enum_rt_protocol': self.enums['rt-protocol']['cname'],
            'enum_rt_scope': self.enums['rt-scope']['cname'],
            'enum_rtm_type': self.enums['rt-route/rtm-type']['cname'],
            'enum_nud_state': self.enums['rt-neigh/nud-state']['cname'],
            'enum_rtnh_flags': self.enums['rtnh-flags']['cname'],
        }
        for alias, target in aliases.items():
            w('const EnumSpec& %s = %s;' % (alias, target))
        named_spaces = {'space_route': 'rt-route/route-attrs', 'space_link': 'rt-link/link-attrs',
                        'space_addr': 'rt-addr/addr-attrs', 'space_neigh': 'rt-neigh/neighbour-attrs',
                        'space_nexthop': 'rt-route/nexthop-attrs',
                        'space_extack': 'netlink-extack/extack-attrs'}
        named_structs = {'struct_rtmsg': 'rtm__rtmsg', 'struct_rtnexthop': 'rtnh__rtnexthop',
                         'struct_ifinfomsg': 'ifi__ifinfomsg', 'struct_ifaddrmsg': 'ifa__ifaddrmsg',
                         'struct_ndmsg': 'ndm__ndmsg', 'struct_fib_rule_hdr': 'frh__fib_rule_hdr',
                         'struct_vlandb_entry_info': 'bridge_vlandb_entry_info__bridge_vlan_info'}
        for alias, key in named_spaces.items():
            w('const AttrSpace& %s = %s;' % (alias, self.spaces[key]['cname']))
        for alias, sname in named_structs.items():
            w('const StructSpec& %s = struct_%s;' % (alias, sname))
        w('}  // namespace rtnl::schema')
        return '\n'.join(o) + '\n'


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--specs', default=DEFAULT_SPECS)
    ap.add_argument('--out', default=os.path.join(ROOT, 'decoder', 'src', 'generated', 'schema_tables.cpp'))
    ap.add_argument('--names-out', default=os.path.join(ROOT, 'decoder', 'include', 'rtnl', 'generated',
                                                        'schema_names.hpp'))
    ap.add_argument('--check', action='store_true')
    args = ap.parse_args()
    g = Gen(args.specs)
    g.run()
    g.check_names()
    if g.errors:
        for e in g.errors:
            print('ynl2cpp: ' + e, file=sys.stderr)
        return 1
    outputs = {args.out: g.emit(), args.names_out: g.emit_names()}
    if args.check:
        stale = [path for path, text in outputs.items()
                 if not os.path.exists(path) or open(path).read() != text]
        for path in stale:
            print('ynl2cpp: %s is out of date; run tools/schema/ynl2cpp.py' % path, file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        with open(path, 'w') as f:
            f.write(text)
    print('ynl2cpp: %d fields, %d attribute spaces, %d enums, %d structs -> %s, %s' % (
        len(g.fields), len(g.spaces), len(g.enums), len(g.structs), args.out, args.names_out))
    return 0


if __name__ == '__main__':
    sys.exit(main())
