#!/usr/bin/env python3
"""A big capture from real ones: every netlink packet of the given captures,
repeated in order until the output holds at least MESSAGES netlink messages.

usage: make-big-capture.py OUT.pcap MESSAGES CAPTURE.pcap...
Timestamps advance 10 us per packet; nothing else changes (repeated requests
keep their sequence numbers, as a long-running program's retries would).
Prints the number of packets and messages written.
"""
import struct
import sys

LINKTYPE_NETLINK = 253


def packets(path):
    with open(path, 'rb') as f:
        data = f.read()
    e = '<' if data[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    if struct.unpack(e + 'I', data[20:24])[0] & 0x0fffffff != LINKTYPE_NETLINK:
        return
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(e + 'I', data[off + 8:off + 12])[0]
        yield data[off + 16:off + 16 + incl]
        off += 16 + incl


def messages(pkt):
    """Netlink messages in one nlmon packet (host order little-endian, as captured here)."""
    n, off = 0, 16
    while off + 16 <= len(pkt):
        length = struct.unpack('<I', pkt[off:off + 4])[0]
        if length < 16:
            break
        n += 1
        off += (length + 3) & ~3
    return n


def main():
    out, want, captures = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    pool = [(p, messages(p)) for c in captures if c.endswith('.pcap') for p in packets(c)]
    pool = [(p, m) for p, m in pool if m > 0]
    if not pool:
        sys.exit('make-big-capture: no netlink packets in the captures')
    total_pkts = total_msgs = 0
    with open(out, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, LINKTYPE_NETLINK))
        t = 1_700_000_000 * 1_000_000
        while total_msgs < want:
            for p, m in pool:
                f.write(struct.pack('<IIII', t // 1_000_000, t % 1_000_000, len(p), len(p)))
                f.write(p)
                t += 10
                total_pkts += 1
                total_msgs += m
                if total_msgs >= want:
                    break
    print('make-big-capture: %s: %d packets, %d messages' % (out, total_pkts, total_msgs))


if __name__ == '__main__':
    main()
