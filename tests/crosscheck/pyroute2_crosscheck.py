#!/usr/bin/python3
"""Cross-check rtnl's decoding against pyroute2 on the same captured bytes.

    pyroute2_crosscheck.py RTNL_DECODE CAPTURE...

For every NETLINK_ROUTE packet of each capture, decode the payload with
pyroute2 (Debian's python3-pyroute2, MarshalRtnl) and with rtnl-decode
--json, flatten both into (kernel constant, value) pairs - attributes at any
depth, the request echoed in error replies included - and compare the values
of every constant both decode to a scalar (number, string, address). A value
that differs is a failure unless EXPLAINED lists it with the reason.
Prints a table: packets, constants compared, pairs compared, differences.
"""
import collections
import json
import os
import struct
import subprocess
import sys

from pyroute2.netlink.rtnl.marshal import MarshalRtnl

# (constant, pyroute2's value) -> (what rtnl must show: raw value or its
# prefix, why they differ). Each is checked: rtnl showing anything else fails.
EXPLAINED_VALUES = {
    ('IFLA_XDP_ATTACHED', 'xdpgeneric'):
        ('2', 'pyroute2 names XDP_ATTACHED_SKB (2) "xdpgeneric"; rtnl uses the uapi name'),
    ('IFLA_MACVLAN_FLAGS', 'none'):
        ('0', 'pyroute2 names no flags "none"; rtnl shows 0x0 with its bit fields'),
    ('IFLA_XDP_FLAGS', 768):
        ('3', 'the payload is 03 00 00 00: XDP_FLAGS_UPDATE_IF_NOEXIST|XDP_FLAGS_SKB_MODE, as `ip link set '
              'xdpgeneric` sends; pyroute2 shows 768 (3 << 8)'),
    ('TCA_U32_LINK', '00:00:20:00'):
        ('2097152', 'a u32 tc handle (0x00200000, "20:"); pyroute2 keeps its bytes'),
    ('TCA_BPF_OPS', 40):
        ('28:00:00:00', 'classic BPF instructions (struct sock_filter[]), kept as bytes by rtnl; pyroute2 shows '
                        'the first opcode (0x28) as a number'),
}

# (capture file name, frame, constant) -> reason: differences understood.
EXPLAINED = {
    ('route-extack.pcap', 17, 'RTA_OIF'):
        'crafted 2-byte RTA_OIF (captures/programs/rta-short-oif.c): not a u32, so rtnl shows the bytes with '
        'rtnl.expert.malformed.attr_size; pyroute2 reads the 2 bytes as a number',
    # pyroute2 0.8 (Debian sid); 0.7 agrees with rtnl.
    ('experts.pcap', 34, 'RTA_DST'):
        'crafted 16-byte RTA_DST in an AF_INET route: rtnl shows the bytes with '
        'rtnl.expert.malformed.addr_len; pyroute2 0.8 reads the first 4 as an IPv4 address',
}


def packets(path):
    """Each packet's bytes, in file order: little-endian pcap, or pcapng's enhanced packet blocks."""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:4] == b'\x0a\x0d\x0d\x0a':
        yield from pcapng_packets(data)
        return
    if data[:4] not in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        raise SystemExit('%s: not a little-endian pcap or pcapng file' % path)
    off = 24
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack('<IIII', data[off:off + 16])
        yield data[off + 16:off + 16 + caplen]
        off += 16 + caplen


def pcapng_packets(data):
    # rtnl-record writes little-endian sections; enhanced packet blocks (6) carry the packets
    off = 0
    while off + 12 <= len(data):
        block_type, block_len = struct.unpack('<II', data[off:off + 8])
        if block_len < 12:
            raise SystemExit('pcapng block of length %d at offset %d' % (block_len, off))
        if block_type == 6:
            caplen = struct.unpack('<I', data[off + 20:off + 24])[0]
            yield data[off + 28:off + 28 + caplen]
        off += block_len


def flatten_pyroute2(obj, out):
    """(name, value) for every scalar attribute in a parsed pyroute2 message."""
    attrs = obj.get('attrs') if hasattr(obj, 'get') else None
    for item in attrs or []:
        name, value = item[0], item[1]
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            out[name].append(value)
        elif hasattr(value, 'get') and value.get('attrs') is not None:
            flatten_pyroute2(value, out)
    errmsg = obj.get('errmsg') if hasattr(obj, 'get') else None
    if errmsg:
        flatten_pyroute2(errmsg, out)


def flatten_rtnl(nodes):
    out = collections.defaultdict(list)
    for n in nodes:
        if n['kind'] == 'attr' and n['raw'] != '' and n['constant']:
            out[n['constant']].append(n)
    return out


def same(py, node):
    raw, display = node['raw'], node['value']
    if isinstance(py, int):
        # Same bits, read signed by one side and unsigned by the other (the
        # kernel's NETNSA_NSID is s32: -1 is "not assigned"; pyroute2 reads u32).
        try:
            mine = int(raw)
        except ValueError:
            return False
        return mine == py or mine % (1 << 32) == py % (1 << 32) or mine % (1 << 64) == py % (1 << 64)
    if py == raw or py.lower() == raw.lower():
        return True
    # pyroute2 names enums by their short name ("UP"); we show the constant
    # in parentheses ("6 (IF_OPER_UP)").
    if '(' in display:
        names = display[display.index('(') + 1:display.rindex(')')].split(',')
        return any(n == py or n.endswith('_' + py.upper()) for n in names)
    return False


def main():
    decode, captures = sys.argv[1], sys.argv[2:]
    marshal = MarshalRtnl()
    failures, compared_pairs, compared = [], 0, set()
    explained_seen = collections.Counter()
    total_packets = 0
    for cap in captures:
        ours = json.loads(subprocess.run([decode, '--json', cap], capture_output=True, text=True, check=True).stdout)
        for index, pkt in enumerate(packets(cap)):
            if len(pkt) < 16 or struct.unpack('>H', pkt[14:16])[0] != 0:
                continue
            total_packets += 1
            py = collections.defaultdict(list)
            try:
                for msg in marshal.parse(pkt[16:]):
                    flatten_pyroute2(msg, py)
            except Exception as e:  # pyroute2 gives up on some payloads; we do not compare those
                print('%s frame %d: pyroute2 could not parse (%s)' % (cap, index + 1, e))
                continue
            mine = flatten_rtnl(ours[index]['nodes'])
            for constant in sorted(set(py) & set(mine)):
                pv, nodes = py[constant], mine[constant]
                compared.add(constant)
                if len(pv) != len(nodes):
                    continue  # different nesting interpretation; values cannot be paired
                for a, b in zip(pv, nodes):
                    compared_pairs += 1
                    if same(a, b):
                        continue
                    key = (os.path.basename(cap), index + 1, constant)
                    if key in EXPLAINED:
                        explained_seen[key] += 1
                        continue
                    value_key = (constant, a)
                    if value_key in EXPLAINED_VALUES and b['raw'].startswith(EXPLAINED_VALUES[value_key][0]):
                        explained_seen[value_key] += 1
                        continue
                    failures.append('%s frame %d %s: pyroute2 %r, rtnl %r' % (cap, index + 1, constant, a, b['value']))
    print('packets %d, constants compared %d, value pairs compared %d, differences %d (explained %d)' % (
        total_packets, len(compared), compared_pairs, len(failures), sum(explained_seen.values())))
    for key, n in sorted(explained_seen.items(), key=str):
        reason = EXPLAINED[key] if key in EXPLAINED else EXPLAINED_VALUES[key][1]
        print('  explained %s x%d: %s' % (key, n, reason))
    for f in failures[:200]:
        print('DIFF ' + f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
