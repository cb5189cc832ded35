"""rtnl-decode on the real captures: exact text, JSON, coverage, exit codes."""
import json
import os
import subprocess
import tempfile
import unittest

DECODE = os.environ['RTNL_DECODE']
CAPTURES = os.environ['RTNL_CAPTURES']
RECORD = os.environ['RTNL_RECORD']
RECORD_DATA = os.environ['RTNL_RECORD_DATA']


def run(*args, check=True):
    res = subprocess.run([DECODE] + list(args), capture_output=True, text=True)
    if check and res.returncode != 0:
        raise AssertionError('rtnl-decode %s: %d %s' % (args, res.returncode, res.stderr))
    return res


def cap(name):
    return os.path.join(CAPTURES, name)


class Text(unittest.TestCase):
    def test_lines_links_and_problems(self):
        out = run(cap('route-oif-zero.pcap')).stdout.splitlines()
        i = out.index('frame 11 user->kernel RTM_DELROUTE del 10.9.1.0/24 via 10.9.0.1 dev 0 table main scope nowhere')
        self.assertEqual(out[i + 1:i + 7], [
            '  = RTM_DELROUTE answered in frame 12: failed, ESRCH: no route matched: a delete matches the prefix '
            'and table, then type, scope (unless rtm_scope is RT_SCOPE_NOWHERE), source, protocol, metric, and the '
            'interface and gateway when given',
            '  ! rtnl.expert.oif_zero: Output interface index 0: no interface has index 0; the kernel reads it as no interface given (a new route then needs a gateway, a delete matches any interface) @60',
            'frame 12 kernel->user NLMSG_ERROR ESRCH (No such process) for RTM_DELROUTE seq 1795483983',
            '  = NLMSG_ERROR answers the request in frame 11',
            '  ! rtnl.expert.error_reply: Error reply @16',
            '  ! rtnl.expert.oif_zero: Output interface index 0: no interface has index 0; the kernel reads it as no interface given (a new route then needs a gateway, a delete matches any interface) @80',
        ])

    def test_verbose_names_fields_and_constants(self):
        out = run('-V', cap('route-oif-zero.pcap')).stdout
        self.assertIn('      rtnl.rta.oif = 0  [RTA_OIF]\n', out)
        self.assertIn('        rtnl.rtm.table = 254 (RT_TABLE_MAIN)\n', out)

    def test_verbose_errors_acks_and_units_as_the_plugin_names_them(self):
        out = run('-V', cap('route-oif-zero.pcap')).stdout
        self.assertIn('    rtnl.errno = 3 (ESRCH, No such process)\n', out)
        self.assertEqual(out.count('    rtnl.ack = ACK (error 0)\n'), 3)
        self.assertNotIn('rtnl.errno = 0', out)
        out = run('-V', cap('families/tc-qdisc-class-filter.pcap')).stdout
        self.assertIn('rtnl.tca.htb.parms.rate.rate = 12500000 (100Mbit)\n', out)
        out = run('-V', cap('families/neigh-ntable.pcap')).stdout
        self.assertIn('rtnl.ndtpa.base_reachable_time = 30000 ms  [NDTPA_BASE_REACHABLE_TIME]\n', out)

    def test_nexthop_notifications_and_link_sets_in_iproute2_words(self):
        out = run(cap('families/monitor.pcap')).stdout.splitlines()
        self.assertIn('frame 86 kernel->user RTM_NEWNEXTHOP notify id 1 via 10.0.0.2 dev veth0', out)
        self.assertIn('frame 170 kernel->user RTM_DELNEXTHOP deleted id 10 group', out)
        out = run(cap('clients/cni-bridge.pcapng')).stdout.splitlines()
        self.assertIn('frame 7 user->kernel RTM_NEWLINK set 2: cni0: <UP>', out)
        self.assertIn('frame 9 user->kernel RTM_NEWLINK add eth0: type veth peer veth87236b61', out)

    def test_pcapng_input(self):
        out = run(cap('analysis/interleaved.pcapng')).stdout.splitlines()
        self.assertEqual(out[0], 'frame 1 user->kernel RTM_GETLINK dump')
        self.assertIn('  = RTM_GETLINK answered in frames 7,9,10', out)


class Json(unittest.TestCase):
    def test_nodes_with_exact_offsets(self):
        packets = json.loads(run('--json', cap('route-oif-zero.pcap')).stdout)
        self.assertEqual(len(packets), 20)
        p = packets[10]
        self.assertEqual((p['frame'], p['direction']), (11, 'user->kernel'))
        oif = [n for n in p['nodes'] if n['constant'] == 'RTA_OIF'][0]
        self.assertEqual((oif['offset'], oif['length'], oif['raw'], oif['opaque']), (60, 8, '0', False))
        self.assertEqual(p['links'], ['RTM_DELROUTE answered in frame 12: failed, ESRCH: no route matched: a delete '
                                      'matches the prefix and table, then type, scope (unless rtm_scope is '
                                      'RT_SCOPE_NOWHERE), source, protocol, metric, and the interface and gateway '
                                      'when given'])


class Reports(unittest.TestCase):
    def test_list_problems_is_the_catalogue(self):
        rows = [l.split('\t') for l in run('--list-problems').stdout.splitlines()]
        self.assertEqual(len(rows), 28)
        self.assertIn(['rtnl.expert.oif_zero', 'protocol', 'warning',
                       'Output interface index 0: no interface has index 0; the kernel reads it as no interface '
                       'given (a new route then needs a gateway, a delete matches any interface)'], rows)

    def test_coverage(self):
        out = run('--coverage', cap('route-oif-zero.pcap')).stdout.splitlines()
        self.assertEqual(out[0], 'packets 20, messages 20, attributes 214')
        self.assertIn('unknown attributes or kinds: 0', out)

    def test_exit_codes(self):
        self.assertEqual(run('/nonexistent.pcap', check=False).returncode, 1)
        self.assertEqual(run('--nosuch', check=False).returncode, 2)
        self.assertEqual(run(check=False).returncode, 2)
        self.assertEqual(run('--coverage', '--strict', cap('route-extack.pcap'), check=False).returncode, 1)
        self.assertEqual(run('--coverage', '--strict', cap('route-oif-zero.pcap'), check=False).returncode, 0)


class KubeClients(unittest.TestCase):
    def test_go_routedel_diagnosis_and_notifications(self):
        out = run(cap('kube/go-netlink.pcap')).stdout.splitlines()
        self.assertIn('  = RTM_DELROUTE answered in frame 19: failed, ESRCH: no route matched: the request asks for '
                      'scope universe; 10.5.0.0/24 dev lo exists with scope link (frame 16)', out)
        i = out.index('frame 13 kernel->user RTM_NEWROUTE notify 10.5.0.0/24 dev lo table main proto boot scope link')
        self.assertFalse(out[i + 1].startswith('  = '))  # a notification: no link

    def test_first_pass_reads_what_the_lines_need(self):
        # The first pass reads the links' bodies (index 3, veth0, is the third link of frame 4 and the
        # first of frame 8), so the second link's lower device is named; it reads a route's body only
        # to explain a refused request (the file is then read again with the route book: the route of
        # frame 8 is compared).
        out = run(cap('link-addr-dump.pcap')).stdout.splitlines()
        self.assertEqual(out[out.index('frame 4 kernel->user RTM_NEWLINK reply 1: lo: <UP,LOOPBACK,RUNNING,LOWER_UP> '
                                       'mtu 65536 state UNKNOWN link 00:00:00:00:00:00 | RTM_NEWLINK reply 2: '
                                       'veth1@veth0: <UP,BROADCAST,RUNNING,MULTICAST,LOWER_UP> mtu 1500 state UP '
                                       'link b6:f1:8b:d3:18:2a type veth | +2 more (4 RTM_NEWLINK)') + 1],
                         '  = RTM_NEWLINK answers the request in frame 3')
        out = run(cap('clients/go-route-del.pcapng')).stdout.splitlines()
        self.assertIn('  = RTM_DELROUTE answered in frame 11: failed, ESRCH: no route matched: the request asks for '
                      'scope universe; 10.32.0.0/24 dev veth0 exists with scope link (frame 8)', out)

    def test_pcapng_metadata_socket(self):
        # the echo's copy on another socket (comment port) is no reply; on the requester's socket it is
        import struct
        import tempfile
        with open(cap('kube/pyroute2-echo.pcap'), 'rb') as f:
            data = f.read()
        pkts, off = [], 24
        while off < len(data):
            cl = struct.unpack('<I', data[off + 8:off + 12])[0]
            pkts.append(data[off + 16:off + 16 + cl])
            off += 16 + cl
        port = struct.unpack('<I', pkts[9][28:32])[0]

        def block(kind, body):
            body += b'\0' * (-len(body) % 4)
            return struct.pack('<II', kind, len(body) + 12) + body + struct.pack('<I', len(body) + 12)

        def epb(pkt, sock):
            c = ('pid 1 tid 1 (python3) recvmsg fd 3 port %d' % sock).encode()
            return block(6, struct.pack('<IIIII', 0, 0, 0, len(pkt), len(pkt)) + pkt + b'\0' * (-len(pkt) % 4) +
                         struct.pack('<HH', 1, len(c)) + c + b'\0' * (-len(c) % 4) + b'\0' * 4)
        out = block(0x0a0d0d0a, struct.pack('<IHHq', 0x1a2b3c4d, 1, 0, -1)) + block(1, struct.pack('<HHI', 253, 0, 0))
        out += epb(pkts[8], port) + epb(pkts[9], 999) + epb(pkts[9], port) + epb(pkts[11], port)
        with tempfile.NamedTemporaryFile(suffix='.pcapng') as f:
            f.write(out)
            f.flush()
            lines = run(f.name).stdout.splitlines()
        self.assertIn('  = RTM_NEWROUTE answered in frames 3,4', lines)
        self.assertEqual(sum(l.startswith('  = RTM_NEWROUTE answers the request in frame 1') for l in lines), 1)


# route-link.rtmon (tests/record/data/README.md): rtmon file during veth,
# address and route changes in a namespace; 23 messages, each after rtmon's
# NLMSG_TSTAMP record.
RTMON = os.path.join(RECORD_DATA, 'route-link.rtmon')


def temp_copy(data, suffix):
    f = tempfile.NamedTemporaryFile(suffix=suffix)
    f.write(data)
    f.flush()
    return f


class Formats(unittest.TestCase):
    """The format is told by the content; rtmon files read directly; other link types refused."""

    def test_rtmon_file_decoded_with_its_own_time_stamps(self):
        out = run(RTMON).stdout.splitlines()
        self.assertEqual(len(out), 23)
        self.assertEqual(out[7], 'frame 8 kernel->user RTM_NEWADDR notify 3: v0 inet 10.45.0.1/24 scope global v0')
        self.assertEqual(out[12:14], [
            'frame 13 kernel->user RTM_NEWROUTE notify 10.46.0.0/24 dev v0 table main proto boot scope link',
            'frame 14 kernel->user RTM_DELROUTE deleted 10.46.0.0/24 dev v0 table main proto boot scope link'])
        packets = json.loads(run('--json', RTMON).stdout)
        # "Timestamp: ... 211222 us" and "... 107201 us" (ip monitor file route-link.rtmon)
        self.assertEqual([(p['frame'], p['time'], p['length']) for p in (packets[0], packets[22])],
                         [(1, 1796163965.211222, 16 + 1468), (23, 1796163966.107201, packets[22]['length'])])
        self.assertEqual(packets[22]['summary'], 'RTM_DELLINK deleted 2: v1: <BROADCAST,MULTICAST> mtu 1500 '
                                                 'state DOWN link f2:83:d3:dd:99:ed type veth')

    def test_rtmon_file_reads_as_its_conversion(self):
        # rtnl-record --from-rtmon and rtnl-decode share the reader: the same packets, times and text
        for fmt in ('pcap', 'pcapng'):
            with tempfile.TemporaryDirectory() as d:
                out = os.path.join(d, 'x.' + fmt)
                subprocess.run([RECORD, '-q', '-F', fmt, '--from-rtmon', RTMON, '-w', out], check=True)
                direct, converted = json.loads(run('--json', RTMON).stdout), json.loads(run('--json', out).stdout)
                self.assertEqual(direct, converted, fmt)
                self.assertEqual(run('-V', RTMON).stdout, run('-V', out).stdout, fmt)

    def test_format_by_content_not_name_and_stdin(self):
        with open(RTMON, 'rb') as f:
            data = f.read()
        with temp_copy(data, '.pcap') as f:
            self.assertEqual(run(f.name).stdout, run(RTMON).stdout)
        piped = subprocess.run([DECODE, '-'], input=data, capture_output=True, text=False)
        lines = piped.stdout.decode().splitlines()  # one pass on a pipe: nothing learned ahead
        self.assertEqual((piped.returncode, len(lines)), (0, 23))
        self.assertEqual(lines[12], 'frame 13 kernel->user RTM_NEWROUTE 10.46.0.0/24 dev 3 table main proto boot '
                                    'scope link')
        with open(cap('route-oif-zero.pcap'), 'rb') as f:
            with temp_copy(f.read(), '.rtmon') as g:
                self.assertEqual(run(g.name).stdout, run(cap('route-oif-zero.pcap')).stdout)

    def test_rtmon_file_cut_short_decodes_what_came_before(self):
        with open(RTMON, 'rb') as f:
            data = f.read()
        with temp_copy(data[:1700 + 1000], '.rtmon') as f:  # the 4th message (1,492 bytes at 1700) cut at 1000
            res = run(f.name, check=False)
            lines = res.stdout.splitlines()
            self.assertEqual((res.returncode, len(lines)), (1, 3))
            self.assertEqual(lines[0], run(RTMON).stdout.splitlines()[0])
            self.assertEqual(res.stderr, 'rtnl-decode: %s: offset 1700: a record claiming 1492 bytes where the file '
                                         'has 1000 (after packet 3)\n' % f.name)

    def test_other_link_types_refused_in_one_line(self):
        for name, linktype in (('route-oif-zero.sll2.pcap', '276 (Linux cooked v2, SLL2)'),
                               ('route-oif-zero.sll.pcap', '113 (Linux cooked, SLL)')):
            res = run(cap('cooked/' + name), check=False)
            self.assertEqual((res.returncode, res.stdout), (1, ''), name)
            self.assertEqual(res.stderr, 'rtnl-decode: %s: link type %s: rtnl-decode reads nlmon captures (link type '
                                         '253, as nlmon and rtnl-record write them); Wireshark with the rtnl plugin '
                                         'also reads Linux cooked (SLL, SLL2) captures\n' % (cap('cooked/' + name),
                                                                                              linktype))

    def test_not_a_capture(self):
        log = os.path.join(RECORD_DATA, 'seed-exact.strace')
        res = run(log, check=False)
        self.assertEqual((res.returncode, res.stdout, res.stderr),
                         (1, '', 'rtnl-decode: %s: not a pcap, pcapng or rtmon file\n' % log))
        with temp_copy(b'', '.pcap') as f:
            self.assertEqual(run(f.name, check=False).stderr, 'rtnl-decode: %s: empty or unreadable file\n' % f.name)

    def test_pcapng_time_stamps_exact(self):
        # nanosecond resolution (if_tsresol 9) kept to the nanosecond; pcap's microseconds likewise
        packets = json.loads(run('--json', cap('analysis/interleaved.pcapng')).stdout)
        self.assertEqual(packets[0]['time'], 1795488725.347929)
        out = run('--json', cap('route-oif-zero.pcap')).stdout
        self.assertIn('{"frame": 1, "time": 1795486630.348664000, ', out)


if __name__ == '__main__':
    unittest.main()
