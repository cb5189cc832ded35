"""rtnl-record's bpf engine for real: the whole machine, filters, two
namespaces at once, a multithreaded program, a dump of 100k routes, a full
ring buffer, and the same bytes as the strace engine.

Real network changes happen only in namespaces named rtnl14-* created here
(and always deleted). Skipped, with the reason, where BPF is refused (not
root, no BTF, a build without the engine).
"""
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import unittest

import live_util
from tshark_harness import new_file, tshark

RECORD = os.environ.get('RTNL_RECORD', '')
NL_LOOP = os.environ.get('RTNL_NL_LOOP', '')


def run(cmd, check=True, **kw):
    return live_util.run(cmd, check, timeout=300, **kw)


def need_bpf():
    if os.geteuid() != 0:
        raise unittest.SkipTest('the bpf engine needs root')
    res = subprocess.run([RECORD, '--engine', 'bpf', '-q', '-w', '/dev/null', '--', 'true'],
                         capture_output=True, text=True, timeout=60)
    if res.returncode != 0:
        raise unittest.SkipTest('BPF refused here: %s' % res.stderr.strip())


def Namespace(tag):
    return live_util.Namespace(tag, prefix='rtnl14-')


# ---- pcapng, read independently of rtnl-record ------------------------------

def pcapng(path):
    """{'ifaces': [(name, description)], 'packets': [dict], 'drops': [(iface, n, comment)]}"""
    with open(path, 'rb') as f:
        data = f.read()
    ifaces, packets, drops = [], [], []
    off = 0
    while off < len(data):
        btype, blen = struct.unpack_from('<II', data, off)
        body = data[off + 8:off + blen - 4]
        if btype == 1:
            opts = options(body, 8)
            ifaces.append((opts.get(2, b'').decode(), opts.get(3, b'').decode()))
            assert opts.get(9) == b'\x09', opts
        elif btype == 6:
            iface, hi, lo, incl, orig = struct.unpack_from('<IIIII', body, 0)
            pkt = body[20:20 + incl]
            opts = options(body, 20 + (incl + 3) // 4 * 4)
            pkttype, = struct.unpack_from('>H', pkt, 0)
            family, = struct.unpack_from('>H', pkt, 14)
            packets.append({'iface': iface, 'ts': hi << 32 | lo, 'pkttype': pkttype, 'family': family,
                            'payload': pkt[16:], 'orig': orig - 16,
                            'comment': opts.get(1, b'').decode(),
                            'flags': struct.unpack('<I', opts[2])[0] if 2 in opts else None})
        elif btype == 5:
            iface, = struct.unpack_from('<I', body, 0)
            opts = options(body, 12)
            drops.append((iface, struct.unpack('<Q', opts[5])[0], opts.get(1, b'').decode()))
        off += blen
    return {'ifaces': ifaces, 'packets': packets, 'drops': drops}


def options(body, off):
    out = {}
    while off + 4 <= len(body):
        code, length = struct.unpack_from('<HH', body, off)
        if code == 0:
            break
        out[code] = body[off + 4:off + 4 + length]
        off += 4 + (length + 3) // 4 * 4
    return out


COMMENT = re.compile(r'^pid (\d+) tid (\d+) \((.*)\) (\w+) fd (\d+) port (\d+) netns (\d+)$')


def who(p):
    m = COMMENT.match(p['comment'])
    assert m, p['comment']
    return {'pid': int(m.group(1)), 'tid': int(m.group(2)), 'comm': m.group(3), 'syscall': m.group(4),
            'fd': int(m.group(5)), 'port': int(m.group(6)), 'netns': int(m.group(7))}


def messages(payload):
    """[(nlmsg_type, nlmsg_seq)] of one payload (host byte order)."""
    out, off = [], 0
    while off + 16 <= len(payload):
        length, mtype, _, seq, _ = struct.unpack_from('=IHHII', payload, off)
        if length < 16:
            break
        out.append((mtype, seq))
        off += (length + 3) & ~3
    return out


class Background:
    """rtnl-record running in the background until stop()."""

    def __init__(self, out, *opts):
        self.proc = subprocess.Popen([RECORD, '-w', out] + list(opts), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()  # says when it is attached
        self.first = line
        if 'recording' not in line:
            self.proc.kill()
            raise AssertionError('rtnl-record did not start: %s%s' % (line, self.proc.stderr.read()))

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        _, err = self.proc.communicate(timeout=120)
        err = self.first + err
        assert self.proc.returncode == 0, err
        return err


def pid_of(cmd):
    """Runs cmd through a shell that prints its pid, then becomes cmd: (pid, stdout)."""
    res = run(['sh', '-c', 'echo $$; exec "$@"', 'sh'] + cmd)
    first, _, rest = res.stdout.partition('\n')
    return int(first), rest


class BpfEngine(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        need_bpf()
        cls.tmp = tempfile.mkdtemp(prefix='rtnl14-bpf-')
        cls.a = Namespace('a')
        cls.b = Namespace('b')

    @classmethod
    def tearDownClass(cls):
        cls.a.close()
        cls.b.close()
        shutil.rmtree(cls.tmp, True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def test_whole_machine_two_namespaces(self):
        out = self.path('node.pcapng')
        rec = Background(out)
        pa, _ = pid_of(self.a.exec('ip', 'route', 'add', '10.14.1.0/24', 'dev', 'lo'))
        pb, _ = pid_of(self.b.exec('ip', 'link', 'set', 'lo', 'mtu', '60000'))
        time.sleep(0.3)
        err = rec.stop()
        self.assertNotIn('LOST', err)
        f = pcapng(out)
        names = [n for n, _ in f['ifaces']]
        self.assertIn(self.a.name, names)
        self.assertIn(self.b.name, names)
        self.assertEqual(len(names), len(set(names)))  # one interface per namespace
        ia, ib = names.index(self.a.name), names.index(self.b.name)
        self.assertEqual(f['ifaces'][ia][1], 'network namespace net:[%d] (%s)' % (self.a.inode, self.a.name))
        for p in f['packets']:  # each packet on its namespace's interface
            w = who(p)
            self.assertEqual(f['ifaces'][p['iface']][1].split()[2], 'net:[%d]' % w['netns'])
            self.assertEqual(p['flags'], 2 if p['pkttype'] == 4 else 1)
        mine = [p for p in f['packets'] if who(p)['pid'] == pa]
        self.assertTrue(mine)
        self.assertTrue(all(p['iface'] == ia and who(p)['comm'] == 'ip' and who(p)['tid'] == pa for p in mine))
        req = [p for p in mine if p['pkttype'] == 4 and (24, ) == tuple(t for t, _ in messages(p['payload']))]
        self.assertEqual(len(req), 1)
        seq = messages(req[0]['payload'])[0][1]
        ack = [p for p in mine if p['pkttype'] == 0 and messages(p['payload']) == [(2, seq)]]
        self.assertEqual(len(ack), 1)
        self.assertEqual(who(ack[0])['port'], who(req[0])['port'])  # the same socket
        self.assertGreater(ack[0]['ts'], req[0]['ts'])
        theirs = [p for p in f['packets'] if who(p)['pid'] == pb]
        self.assertTrue(any(p['pkttype'] == 4 and messages(p['payload'])[0][0] == 16 for p in theirs))  # RTM_NEWLINK
        self.assertTrue(all(p['iface'] == ib for p in theirs))
        # the plugin sees the names per interface, the comment filter works
        with open(out, 'rb') as f:
            staged = new_file('node.pcapng', f.read())
        got = tshark('-r', staged, '-Y', 'frame.comment contains "pid %d " && rtnl.type == 24 && rtnl.cooked.pkttype == 4' % pa,
                     '-T', 'fields', '-e', 'frame.interface_name', '-e', 'rtnl.rta.dst').stdout.split()
        self.assertEqual(got, [self.a.name, '10.14.1.0'])

    def test_command_and_exit_status(self):
        out = self.path('cmd.pcapng')
        res = run([RECORD, '--engine', 'bpf', '-w', out, '--'] + self.a.exec('ip', 'route', 'add', '10.14.2.0/24',
                                                                             'dev', 'lo'))
        self.assertIn('wrote 4 packets', res.stderr)
        types = [messages(p['payload'])[0][0] for p in pcapng(out)['packets']]
        self.assertEqual(types, [18, 16, 24, 2])  # GETLINK lo, NEWLINK, NEWROUTE, ACK
        res = run([RECORD, '--engine', 'bpf', '-q', '-w', out, '--'] + self.a.exec('ip', 'route', 'add',
                                                                                   '10.14.2.0/24', 'dev', 'lo'),
                  check=False)
        self.assertEqual(res.returncode, 2)  # ip's own status: the route exists
        self.assertIn('File exists', res.stderr)

    def test_filters(self):
        loop = subprocess.Popen(self.a.exec(NL_LOOP, '30'), stdout=subprocess.PIPE, text=True)
        try:
            ready = loop.stdout.readline().split()
            self.assertEqual(ready[0], 'ready')
            pid = int(ready[1])
            comm = os.path.basename(NL_LOOP)[:15]
            outs = {}
            recs = {'pid': Background(self.path('p.pcapng'), '-p', str(pid)),
                    'comm': Background(self.path('c.pcapng'), '--comm', comm),
                    'netns': Background(self.path('n.pcapng'), '--netns', self.b.name)}
            run(self.b.exec('ip', 'link', 'show'))  # only in b
            time.sleep(1.5)
            for k, r in recs.items():
                r.stop()
                outs[k] = pcapng(self.path(k[0] + '.pcapng'))['packets']
        finally:
            loop.terminate()
            loop.wait(timeout=10)
            loop.stdout.close()
        # -p: the process, its route thread (same pid, other tid) and its children (other pids)
        ws = [who(p) for p in outs['pid']]
        self.assertTrue(ws)
        self.assertTrue(all(w['comm'] == comm and w['netns'] == self.a.inode for w in ws), ws[:3])
        main = {w['tid'] for w in ws if w['pid'] == pid}
        self.assertIn(pid, main)
        self.assertGreaterEqual(len(main), 2, 'the route thread is missing')
        route_thread = [w for w in ws if w['pid'] == pid and w['tid'] != pid]
        self.assertTrue(all(w['syscall'] in ('sendmsg', 'recvmsg') for w in route_thread))
        children = [w for w in ws if w['pid'] != pid]
        self.assertTrue(children, 'no child traffic (one child every 0.5 s)')
        self.assertTrue(all(w['syscall'] in ('write', 'read') and w['tid'] == w['pid'] for w in children))
        # --comm: the same program only
        self.assertTrue(outs['comm'])
        self.assertEqual({who(p)['comm'] for p in outs['comm']}, {comm})
        # --netns: only b's socket traffic (ip link show), none of a's loop
        self.assertTrue(outs['netns'])
        self.assertEqual({who(p)['netns'] for p in outs['netns']}, {self.b.inode})
        self.assertIn('ip', {who(p)['comm'] for p in outs['netns']})

    def test_same_bytes_as_the_strace_engine(self):
        if not shutil.which('strace'):
            self.skipTest('strace is not installed')
        out = self.path('both-bpf.pcapng')
        pcap = self.path('both-strace.pcap')
        rec = Background(out, '--netns', self.a.name, '--comm', 'ip')
        run(self.a.exec(RECORD, '--engine', 'strace', '-w', pcap, '--', 'sh', '-c',
                        'ip link show; ip addr show; ip route show; ip -6 route show; ip rule show'))
        time.sleep(0.3)
        rec.stop()
        bpf = [(p['pkttype'], p['payload']) for p in pcapng(out)['packets']]
        with open(pcap, 'rb') as f:
            data = f.read()
        strace, off = [], 24
        while off < len(data):
            incl, = struct.unpack_from('<I', data, off + 8)
            pkt = data[off + 16:off + 16 + incl]
            strace.append((struct.unpack_from('>H', pkt, 0)[0], pkt[16:]))
            off += 16 + incl
        self.assertGreater(len(strace), 10)
        self.assertEqual(bpf, strace)


class BigDump(unittest.TestCase):
    """A dump of 100k routes: nothing lost; with the recorder stopped and a
    small ring, the losses are counted, reported and marked in the file."""

    @classmethod
    def setUpClass(cls):
        need_bpf()
        cls.tmp = tempfile.mkdtemp(prefix='rtnl14-dump-')
        cls.ns = Namespace('dump')
        batch = os.path.join(cls.tmp, 'routes')
        with open(batch, 'w') as f:
            for i in range(100000):
                f.write('route add 10.%d.%d.%d/32 dev lo\n' % (100 + i // 65536, (i // 256) % 256, i % 256))
        run(['ip', '-n', cls.ns.name, '-batch', batch])

    @classmethod
    def tearDownClass(cls):
        cls.ns.close()
        shutil.rmtree(cls.tmp, True)

    def routes(self, f):
        n = 0
        for p in f['packets']:
            if p['pkttype'] == 0:
                n += sum(1 for t, _ in messages(p['payload']) if t == 24)
        return n

    def test_nothing_lost(self):
        out = os.path.join(self.tmp, 'dump.pcapng')
        res = run([RECORD, '--engine', 'bpf', '-w', out, '--'] + self.ns.exec('ip', 'route', 'show'))
        self.assertNotIn('LOST', res.stderr)
        f = pcapng(out)
        self.assertEqual(f['drops'], [])
        self.assertGreaterEqual(self.routes(f), 100000)
        self.assertTrue(all(len(p['payload']) == p['orig'] for p in f['packets']))
        self.assertGreater(max(len(p['payload']) for p in f['packets']), 16384)  # whole dump chunks

    def test_full_ring_is_reported_and_marked(self):
        out = os.path.join(self.tmp, 'lossy.pcapng')
        rec = Background(out, '--netns', self.ns.name, '--buffer-size', '1')
        rec.proc.send_signal(signal.SIGSTOP)  # the reader sleeps: the 1 MiB ring fills up
        try:
            run(self.ns.exec('ip', 'route', 'show'))
        finally:
            rec.proc.send_signal(signal.SIGCONT)
        err = rec.stop()
        m = re.search(r'LOST: (\d+) ring buffer records', err)
        self.assertTrue(m, err)
        lost = int(m.group(1))
        self.assertGreater(lost, 0)
        f = pcapng(out)
        self.assertTrue(f['drops'])
        iface, n, comment = f['drops'][-1]
        self.assertEqual(n, lost)
        self.assertEqual(f['ifaces'][iface][0], self.ns.name)
        self.assertEqual(comment, 'rtnl-record: %d records lost so far in this namespace (the ring buffer was full)'
                         % lost)
        self.assertLess(self.routes(f), 100000)


class Refused(unittest.TestCase):
    """Where BPF is not allowed, the engine says why; auto falls back to strace."""

    def test_unprivileged(self):
        if os.geteuid() != 0:
            self.skipTest('needs root to become nobody')
        tmp = tempfile.mkdtemp(prefix='rtnl14-nobody-')
        os.chmod(tmp, 0o777)
        try:
            out = os.path.join(tmp, 'x.pcapng')
            nobody = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups']
            res = run(nobody + [RECORD, '--engine', 'bpf', '-w', out, '--', 'true'], check=False)
            self.assertEqual(res.returncode, 1)
            self.assertIn('rtnl-record: bpf engine: ', res.stderr)
            self.assertIn('needs root', res.stderr)
            res = run(nobody + [RECORD, '-w', out], check=False)  # the whole machine: bpf only
            self.assertEqual(res.returncode, 1)
            self.assertIn('needs root', res.stderr)
        finally:
            shutil.rmtree(tmp, True)


if __name__ == '__main__':
    unittest.main()
