#!/usr/bin/python3
"""Convert an nlmon capture (pcap, LINKTYPE_NETLINK 253) into the Linux cooked
shapes `tcpdump -i any` writes for the same packets on an nlmon interface.

  nlmon_to_cooked.py sll  IN.pcap OUT.pcap            LINKTYPE_LINUX_SLL (113)
  nlmon_to_cooked.py sll2 IN.pcap OUT.pcap [IFINDEX]  LINKTYPE_LINUX_SLL2 (276)

nlmon's 16-byte header already is an SLL header (packet type, ARPHRD_NETLINK,
address length, address, netlink family): SLL only changes the linktype.
SLL2 reorders it as libpcap does: protocol (2), reserved (2), interface index
(4), ARPHRD type (2), packet type (1), address length (1), address (8). The
nlmon header holds no interface index; IFINDEX (default 2) stands in for the
nlmon interface's.
"""
import struct
import sys

LINKTYPE_NETLINK, LINKTYPE_SLL, LINKTYPE_SLL2 = 253, 113, 276


def sll2_header(cooked, ifindex):
    pkttype, hatype, halen = struct.unpack_from('>HHH', cooked, 0)
    addr, protocol = cooked[6:14], cooked[14:16]
    return protocol + b'\0\0' + struct.pack('>IHBB', ifindex, hatype, pkttype, halen) + addr


def convert(data, shape, ifindex=2):
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    else:
        raise ValueError('not a pcap file')
    (linktype,) = struct.unpack_from(e + 'I', data, 20)
    if linktype != LINKTYPE_NETLINK:
        raise ValueError('linktype %d, not LINKTYPE_NETLINK (253)' % linktype)
    out = bytearray(data[:20]) + struct.pack(e + 'I', LINKTYPE_SLL if shape == 'sll' else LINKTYPE_SLL2)
    off = 24
    while off + 16 <= len(data):
        sec, frac, caplen, origlen = struct.unpack_from(e + 'IIII', data, off)
        packet = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        if shape == 'sll2' and len(packet) >= 16:
            packet = sll2_header(packet, ifindex) + packet[16:]
            caplen, origlen = caplen + 4, origlen + 4
        out += struct.pack(e + 'IIII', sec, frac, caplen, origlen) + packet
    return bytes(out)


def main(argv):
    if len(argv) not in (4, 5) or argv[1] not in ('sll', 'sll2'):
        sys.stderr.write(__doc__)
        return 2
    with open(argv[2], 'rb') as f:
        data = f.read()
    with open(argv[3], 'wb') as f:
        f.write(convert(data, argv[1], int(argv[4]) if len(argv) == 5 else 2))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
