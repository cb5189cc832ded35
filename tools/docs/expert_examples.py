"""One example per expert entry: where it shows in a real capture.

Shared by tools/docs/expert_md.py (docs/expert.md) and the tshark tests
(tests/tshark/test_tshark.py, class Experts). An example is either a frame of
a capture in captures/, or a frame of a copy of one changed as described
(the test makes the copy); "-2" where only the second pass can tell.
"""

SEED = 'route-oif-zero.pcap'

# name -> (capture, frame, two_pass, mutation or None, how it arises)
EXAMPLES = {
    'malformed.packet_short': (SEED, 11, False, 'cut to 10 bytes', 'a packet shorter than the nlmon header'),
    'malformed.msg_len_short': (SEED, 11, False, 'nlmsg_len set to 0', 'nlmsg_len 0: the walk stops there'),
    'malformed.msg_len_past_packet': (SEED, 11, False, 'cut after 40 bytes of message',
                                      'a message cut by a snaplen'),
    'malformed.header_short': (SEED, 11, False, 'nlmsg_len 20 and cut there', 'rtmsg cut to 4 bytes'),
    'malformed.attr_len_short': (SEED, 11, False, 'RTA_DST nla_len set to 2', 'an attribute length below 4'),
    'malformed.attr_len_past_parent': (SEED, 11, False, 'RTA_OIF nla_len set to 64',
                                       'an attribute running past its message'),
    'malformed.attr_size': ('route-extack.pcap', 17, False, None,
                            'a crafted 2-byte RTA_OIF (programs/rta-short-oif.c); the kernel refuses it'),
    'malformed.addr_len': ('analysis/experts.pcap', 34, False, None, 'a 16-byte RTA_DST in an IPv4 route'),
    'malformed.prefix_len': ('analysis/experts.pcap', 30, False, None, 'an IPv4 route with rtm_dst_len 33'),
    'unknown_attr': (SEED, 11, False, 'RTA_OIF type set to 99', 'an attribute type the schema does not know'),
    'unknown_msg_type': (SEED, 11, False, 'nlmsg_type set to 52 (RTM_NEWPREFIX)',
                         'a message type known by name only'),
    'unknown_kind': ('families/route-encap.pcap', None, False, 'RTA_ENCAP_TYPE 2 (ip) set to 9 (ioam6)',
                     'an encapsulation type with no attribute table'),
    'malformed.nest_too_deep': (SEED, 11, False, 'RTA_OIF replaced by unknown nests 40 deep',
                                'attributes nested deeper than the dissector follows'),
    'oif_zero': (SEED, 11, False, None, 'RTM_DELROUTE with an explicit RTA_OIF 0'),
    'nexthop_oif_zero': ('analysis/experts.pcap', 25, False, None,
                         'ip route add 10.40.0.0/24 nexthop via 10.0.0.2 (no dev): rtnh_ifindex 0'),
    'error_reply': (SEED, 12, False, None, 'the kernel\'s ESRCH for the RTM_DELROUTE of frame 11'),
    'dump_interrupted': ('link-addr-dump.pcap', 7, False, 'NLM_F_DUMP_INTR set on the dump part',
                         'a dump the kernel marks inconsistent'),
    'host_bits_set': ('analysis/experts.pcap', 6, False, None, '10.9.0.5/24: the kernel answers EINVAL'),
    'duplicate_attr': ('analysis/experts.pcap', 8, False, None, 'RTA_PRIORITY 100 and 200 in one request'),
    'flags_mismatch': ('analysis/experts.pcap', 17, False, None, 'RTM_DELROUTE with NLM_F_CREATE'),
    'legacy_dump_header': ('kube/go-netlink.pcap', 8, False, None,
                           'vishvananda/netlink AddrList: RTM_GETADDR dump with a zeroed 16-byte ifinfomsg'),
    'failure_reason': ('kube/go-netlink.pcap', 18, True, None,
                       'RouteDel with Scope left universe; the route is scope link (frame 16)'),
    'oif_zero_accepted': ('kube/go-netlink.pcap', 28, True, None,
                          'vishvananda/netlink RouteAdd with a gateway and no LinkIndex: RTA_OIF 0, accepted'),
    'request_failed': (SEED, 11, True, None, 'the RTM_DELROUTE the kernel refused with ESRCH (frame 12)'),
    'unanswered': ('analysis/experts.pcap', 29, True, None,
                   'RTM_NEWADDR with NLM_F_ACK; the program closed its socket without reading'),
    'ifindex_unknown': ('analysis/experts.pcap', 21, True, None,
                        'RTA_OIF 77 in a capture whose link dump (frames 3-5) lists 1, 2 and 3'),
    'ifname_ambiguous': ('clients/cni-bridge-one-interface.pcapng', 27, True, None,
                         'CNI ADD, strace engine (one interface, no namespace): index 2 is cni0 on the host, eth0 in the container'),
    'extack': ('route-extack.pcap', 10, False, None, '"Invalid prefix for given prefix length"'),
}
