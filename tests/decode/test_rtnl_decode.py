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


if __name__ == '__main__':
    unittest.main()
