#!/usr/bin/env python3
"""Seed corpus for the core fuzz target: one file per packet of every capture.

usage: make-corpus.py OUT_DIR CAPTURE...   (pcap or pcapng; LINKTYPE_NETLINK
packets are written as they are, 16-byte nlmon header included; files are
named by the SHA-1 of their bytes, so duplicates collapse)
"""
import hashlib
import os
import struct
import sys

LINKTYPE_NETLINK = 253


def pcap_packets(data):
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    else:
        raise ValueError('not a pcap file')
    linktype = struct.unpack(e + 'I', data[20:24])[0] & 0x0fffffff
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(e + 'I', data[off + 8:off + 12])[0]
        off += 16
        if linktype == LINKTYPE_NETLINK:
            yield data[off:off + incl]
        off += incl


def pcapng_packets(data):
    off, e, linktypes = 0, '<', []
    while off + 12 <= len(data):
        btype = struct.unpack(e + 'I', data[off:off + 4])[0]
        if btype == 0x0a0d0d0a:  # section header: byte order from its magic
            e = '<' if data[off + 8:off + 12] == b'\x4d\x3c\x2b\x1a' else '>'
            linktypes = []
        blen = struct.unpack(e + 'I', data[off + 4:off + 8])[0]
        if blen < 12:
            break
        body = data[off + 8:off + blen - 4]
        if btype == 1:  # interface description
            linktypes.append(struct.unpack(e + 'H', body[:2])[0])
        elif btype == 6:  # enhanced packet
            ifid, _, _, caplen = struct.unpack(e + 'IIII', body[:16])
            if ifid < len(linktypes) and linktypes[ifid] == LINKTYPE_NETLINK:
                yield body[20:20 + caplen]
        off += blen


def main():
    out, captures = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    written = set()
    for path in captures:
        with open(path, 'rb') as f:
            data = f.read()
        packets = pcapng_packets(data) if data[:4] == b'\x0a\x0d\x0d\x0a' else pcap_packets(data)
        for pkt in packets:
            name = hashlib.sha1(pkt).hexdigest()
            if name not in written:
                with open(os.path.join(out, name), 'wb') as f:
                    f.write(pkt)
                written.add(name)
    print('make-corpus: %d packets from %d captures in %s' % (len(written), len(captures), out))


if __name__ == '__main__':
    main()
