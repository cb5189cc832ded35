#!/usr/bin/python3
"""pyroute2's parser (Debian python3-pyroute2, MarshalRtnl().parse) over the
NETLINK_ROUTE payloads of a capture: the same bytes rtnl-bench-core decodes.

    /usr/bin/python3 bench/pyroute2_parse.py CAPTURE [REPETITIONS]

Prints one JSON line per repetition: seconds, messages, payload bytes.
Reading the file is not timed; each parse result is dropped after use."""
import json
import struct
import sys
import time

from pyroute2.netlink.rtnl.marshal import MarshalRtnl


def payloads(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic = struct.unpack('<I', data[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        order = '<'
    elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
        order = '>'
    else:
        raise SystemExit('%s: not a classic pcap file' % path)
    linktype = struct.unpack(order + 'I', data[20:24])[0]
    if linktype != 253:
        raise SystemExit('%s: linktype %d, not LINKTYPE_NETLINK' % (path, linktype))
    off, out = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack(order + 'I', data[off + 8:off + 12])[0]
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(pkt) >= 16 and struct.unpack('>H', pkt[14:16])[0] == 0:
            out.append(pkt[16:])
    return out


def main():
    path = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    packets = payloads(path)
    size = sum(len(p) for p in packets)
    for _ in range(reps):
        marshal = MarshalRtnl()
        messages = failed = 0
        start = time.perf_counter()
        for p in packets:
            try:
                for _msg in marshal.parse(p):
                    messages += 1
            except Exception:  # pyroute2 gives up on some payloads
                failed += 1
        seconds = time.perf_counter() - start
        print(json.dumps({'seconds': seconds, 'messages': messages, 'bytes': size, 'packets': len(packets),
                          'failed_packets': failed}), flush=True)


if __name__ == '__main__':
    main()
