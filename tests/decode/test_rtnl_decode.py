"""rtnl-decode on the real captures: exact text, JSON, coverage, exit codes."""
import json
import os
import subprocess
import unittest

DECODE = os.environ['RTNL_DECODE']
CAPTURES = os.environ['RTNL_CAPTURES']


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


if __name__ == '__main__':
    unittest.main()
