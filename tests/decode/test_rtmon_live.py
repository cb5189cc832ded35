"""rtnl-decode on an rtmon file recorded now: `rtmon file` in a namespace of our
own while links, an address and a route come and go. Skips (with the reason)
where namespaces cannot be created or rtmon is missing."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from live_util import Namespace, run

DECODE = os.environ['RTNL_DECODE']
RECORD = os.environ['RTNL_RECORD']


def decode(*args):
    return run([DECODE] + list(args)).stdout


class RtmonLive(unittest.TestCase):
    def test_rtmon_file_of_link_address_and_route_changes(self):
        if not shutil.which('rtmon'):
            self.skipTest('rtmon (iproute2) not installed')
        ns = Namespace('rtmon', prefix='rtnl14-')
        self.addCleanup(ns.close)
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        path = os.path.join(d, 'changes.rtmon')
        start = time.time()
        rtmon = subprocess.Popen(ns.exec('rtmon', 'file', path))
        self.addCleanup(rtmon.wait)
        self.addCleanup(rtmon.terminate)
        deadline = time.time() + 10
        while not (os.path.exists(path) and os.path.getsize(path)) and time.time() < deadline:
            time.sleep(0.05)  # rtmon has written its link dump: it listens
        for cmd in (['ip', 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'],
                    ['ip', 'addr', 'add', '10.47.0.1/24', 'dev', 'v0'], ['ip', 'link', 'set', 'v0', 'up'],
                    ['ip', 'route', 'add', '10.48.0.0/24', 'dev', 'v0'],
                    ['ip', 'route', 'del', '10.48.0.0/24', 'dev', 'v0'], ['ip', 'link', 'del', 'v0']):
            run(ns.exec(*cmd))
        while decode(path).count('RTM_DELLINK deleted') < 2 and time.time() < deadline:
            time.sleep(0.05)  # rtmon writes each message as it comes: wait for v1's removal
        end = time.time()
        rtmon.terminate()
        rtmon.wait()

        lines = decode(path).splitlines()
        summaries = [l.split(' ', 3)[3] for l in lines]
        self.assertEqual([s for s in summaries if '10.48.0.0/24' in s or '10.47.0.1/24' in s], [
            'RTM_NEWADDR notify 3: v0 inet 10.47.0.1/24 scope global v0',
            'RTM_NEWROUTE notify 10.48.0.0/24 dev v0 table main proto boot scope link',
            'RTM_DELROUTE deleted 10.48.0.0/24 dev v0 table main proto boot scope link',
            'RTM_DELADDR deleted 3: v0 inet 10.47.0.1/24 scope global v0'])
        self.assertEqual(summaries[0][:len('RTM_NEWLINK notify 1: lo: ')], 'RTM_NEWLINK notify 1: lo: ')
        self.assertEqual([s.split(':')[0] for s in summaries if s.startswith('RTM_DELLINK')],
                         ['RTM_DELLINK deleted 3', 'RTM_DELLINK deleted 2'])
        # rtmon's own time stamps: within the test's run, in order
        times = [p['time'] for p in json.loads(decode('--json', path))]
        self.assertEqual(len(times), len(lines))
        self.assertEqual(times, sorted(times))
        self.assertTrue(start - 1 <= times[0] and times[-1] <= end + 1, (start, times[0], times[-1], end))
        # the same packets as rtnl-record's conversion of the file
        pcap = os.path.join(d, 'changes.pcapng')
        run([RECORD, '-q', '--from-rtmon', path, '-w', pcap])
        self.assertEqual(decode('--json', path), decode('--json', pcap))


if __name__ == '__main__':
    unittest.main()
