#!/usr/bin/python3
"""The measuring half of bench/run.sh: runs every case several times in one
run, round-robin (so a noisy neighbour hits all cases alike), and writes
results.json and results.md (the tables docs/performance.md shows).

Ratios are taken per repetition (our plugin's time divided by the built-in
dissector's time from the same round), then their median and range reported.

Time and peak memory come from wait4() of the measured process itself
(setpriv and env exec into tshark, so it is the same process), which also
works in the matrix roots, where /usr/bin/time is not installed."""
import argparse
import concurrent.futures
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

FILTER_BUILTIN = 'netlink-route.rta_oif == 0'
FILTER_RTNL = 'rtnl.oif == 0'


def tshark_cmd(stage, plugin, args):
    env = {'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8', 'HOME': os.path.join(stage, 'home'),
           'WIRESHARK_PLUGIN_DIR': os.path.join(stage, 'plugins' if plugin else 'no-plugins')}
    cmd = ['tshark'] + args
    if os.geteuid() == 0:  # root's tshark ignores plugin folders: run it as nobody
        return ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', 'env'] + \
            ['%s=%s' % kv for kv in env.items()] + cmd, None
    return cmd, env


def timed(cmd, env=None, count_output=False, keep=None):
    """(wall seconds, user+sys seconds, peak RSS MiB, output bytes) of one run.
    Output goes to /dev/null, or through a pipe and is counted (and appended
    to the list `keep` if given)."""
    t0 = time.monotonic()
    piped = count_output or keep is not None
    errf = tempfile.TemporaryFile()  # a file, not a pipe: a chatty stderr cannot block the run
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE if piped else subprocess.DEVNULL, stderr=errf)
    out_bytes = 0
    while piped:
        chunk = os.read(p.stdout.fileno(), 1 << 20)
        if not chunk:
            break
        out_bytes += len(chunk)
        if keep is not None:
            keep.append(chunk)
    if piped:
        p.stdout.close()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        errf.seek(0)
        raise SystemExit('failed (%d): %s\n%s' % (p.returncode, ' '.join(cmd), errf.read()[-2000:].decode(errors='replace')))
    errf.close()
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, out_bytes


def stats(xs):
    med = statistics.median(xs)
    return {'median': med, 'min': min(xs), 'max': max(xs), 'n': len(xs),
            'spread_pct': 100.0 * (max(xs) - min(xs)) / med if med else 0.0}


def capture_kinds(name):
    """The runs of a capture: the dumps (big, big-x4, ...) get all of them."""
    return ('plain', 'V', 'fields', 'filter', 'twopass') if name.startswith('big') else ('plain', 'filter', 'twopass')


def floor_of(kind):
    return {'V': 'floor', 'twopass': 'floor-twopass'}.get(kind, 'floor-plain')


def tshark_cases(captures):
    fields_rtnl = ['-T', 'fields', '-e', 'rtnl.type', '-e', 'rtnl.seq', '-e', 'rtnl.rta.oif', '-e', 'rtnl.ifla.ifname']
    fields_builtin = ['-T', 'fields', '-e', 'netlink.hdr_type', '-e', 'netlink.hdr_seq', '-e', 'netlink-route.rta_oif',
                      '-e', 'netlink-route.ifla_ifname']
    cases = []
    for cap_name, cap in captures:
        r = ['-r', cap]
        cases.append((cap_name, 'floor', r + ['-O', 'frame', '--disable-protocol', 'netlink'], None))
        # The floor of the runs that print one line per packet (or nothing):
        # -O frame prints the frame's details, more than a plain read prints.
        cases.append((cap_name, 'floor-plain', r + ['--disable-protocol', 'netlink'], None))
        # Two passes (-2): what Wireshark does when it opens a file and then a
        # display filter is applied (every packet dissected again, with the filter).
        cases.append((cap_name, 'floor-twopass', r + ['-2', '--disable-protocol', 'netlink'], None))
        for kind in capture_kinds(cap_name):
            extra_b = {'plain': [], 'V': ['-V'], 'fields': fields_builtin, 'filter': ['-Y', FILTER_BUILTIN],
                       'twopass': ['-2', '-Y', FILTER_BUILTIN]}[kind]
            extra_r = {'plain': [], 'V': ['-V'], 'fields': fields_rtnl, 'filter': ['-Y', FILTER_RTNL],
                       'twopass': ['-2', '-Y', FILTER_RTNL]}[kind]
            cases.append((cap_name, kind, r + extra_b, r + extra_r))
    return cases


def show(args):
    return ' '.join(x if ' ' not in x else "'%s'" % x for x in args)


def run_tshark(a, captures):
    cases = tshark_cases(captures)
    times = {}  # (cap, kind, 'builtin'|'rtnl') -> [(wall, cpu, rss, _)]
    commands = {}
    for rep in range(a.reps):
        for cap, kind, builtin, ours in cases:
            for who, args, plugin in (('builtin', builtin, False), ('rtnl', ours, True)):
                if args is None:
                    continue
                cmd, env = tshark_cmd(a.stage, plugin, args)
                commands[(cap, kind, who)] = ('WIRESHARK_PLUGIN_DIR=%s ' % ('<stage>/plugins' if plugin else '<empty>')) + \
                    'tshark ' + show(args)
                times.setdefault((cap, kind, who), []).append(timed(cmd, env))
        print('  tshark round %d/%d done' % (rep + 1, a.reps), file=sys.stderr, flush=True)
    out = []
    for cap, kind, builtin, ours in cases:
        row = {'capture': cap, 'case': kind}
        for who in ('builtin', 'rtnl'):
            t = times.get((cap, kind, who))
            if t:
                row[who] = {'wall': stats([x[0] for x in t]), 'cpu': stats([x[1] for x in t]),
                            'rss_mib': stats([x[2] for x in t]), 'command': commands[(cap, kind, who)]}
        if 'rtnl' in row:
            b, r = times[(cap, kind, 'builtin')], times[(cap, kind, 'rtnl')]
            floor = times[(cap, floor_of(kind), 'builtin')]
            row['ratio'] = stats([ri[0] / bi[0] for ri, bi in zip(r, b)])
            row['ratio_cpu'] = stats([ri[1] / bi[1] for ri, bi in zip(r, b)])
            # Dissection only: each minus the floor of the same round.
            net = [(ri[0] - fi[0]) / (bi[0] - fi[0]) for ri, bi, fi in zip(r, b, floor) if bi[0] - fi[0] > 0.005]
            if net:
                row['ratio_net'] = stats(net)
        out.append(row)
    return out


def instructions(cmd, env=None):
    """Instructions executed by one run (callgrind's Ir count): unlike wall
    time it does not move with a noisy neighbour."""
    i = cmd.index('tshark')
    cmd = cmd[:i] + ['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null'] + cmd[i:]
    r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       errors='replace')
    for line in r.stderr.splitlines():
        if 'Collected :' in line:
            return int(line.split(':')[-1])
    raise SystemExit('no callgrind count (%d): %s\n%s' % (r.returncode, ' '.join(cmd), r.stderr[-2000:]))


def run_instructions(a, captures):
    """Two at a time: a count does not depend on what else runs (unlike a time)."""
    cases = tshark_cases(captures)
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.callgrind_jobs) as pool:
        for cap, kind, builtin, ours in cases:
            for who, args, plugin in (('builtin', builtin, False), ('rtnl', ours, True)):
                if args is not None:
                    jobs[(cap, kind, who)] = pool.submit(instructions, *tshark_cmd(a.stage, plugin, args))
    out = []
    for cap, kind, builtin, ours in cases:
        row = {'capture': cap, 'case': kind}
        for who in ('builtin', 'rtnl'):
            if (cap, kind, who) in jobs:
                row[who] = jobs[(cap, kind, who)].result()
        if 'rtnl' in row:
            row['ratio'] = row['rtnl'] / row['builtin']
            floor = next(r for r in out if r['capture'] == cap and r['case'] == floor_of(kind))
            row['ratio_net'] = (row['rtnl'] - floor['builtin']) / (row['builtin'] - floor['builtin'])
        out.append(row)
    return out


DECODE_MODES = (('default', []), ('V', ['-V']), ('json', ['--json']))


def run_decode(a, captures):
    """rtnl-decode in each mode on each dump, this tree's build and (when
    given) a baseline build, round-robin; output read through a pipe and
    counted (MB/s of output)."""
    builds = [('current', a.decode)] + ([('baseline', a.decode_baseline)] if a.decode_baseline else [])
    times = {}
    for rep in range(a.reps):
        for cap, path in captures:
            for mode, flags in DECODE_MODES:
                for who, binary in builds:
                    if who == 'baseline' and rep >= a.baseline_reps:
                        continue
                    times.setdefault((cap, mode, who), []).append(timed([binary] + flags + [path], count_output=True))
        print('  rtnl-decode round %d/%d done' % (rep + 1, a.reps), file=sys.stderr, flush=True)
    out = []
    for cap, _ in captures:
        for mode, flags in DECODE_MODES:
            row = {'capture': cap, 'mode': mode, 'command': 'rtnl-decode ' + show(flags + [cap + '.pcap'])}
            for who, _ in builds:
                t = times[(cap, mode, who)]
                row[who] = {'wall': stats([x[0] for x in t]), 'rss_mib': stats([x[2] for x in t]),
                            'output_bytes': t[0][3],
                            'output_mb_per_s': stats([x[3] / x[0] / 1e6 for x in t])}
            if 'baseline' in row:
                row['speedup'] = row['baseline']['wall']['median'] / row['current']['wall']['median']
            out.append(row)
    return out


def run_core(a, big):
    with tempfile.NamedTemporaryFile('r', suffix='.json') as j:
        cmd = [a.core, big, '--benchmark_repetitions=%d' % a.reps, '--benchmark_min_time=%s' % a.core_min_time,
               '--benchmark_format=json', '--benchmark_out=%s' % j.name, '--benchmark_out_format=json']
        wall, cpu, rss, _ = timed(cmd)
        data = json.load(open(j.name))
    res = {'rss_mib': rss, 'context': data['context'], 'benchmarks': {}}
    runs = {}
    for b in data['benchmarks']:
        if b.get('run_type') != 'iteration':
            continue
        runs.setdefault(b['run_name'], []).append(b)
    for name, bs in runs.items():
        res['benchmarks'][name] = {
            'bytes_per_second': stats([b['bytes_per_second'] for b in bs]),
            'msgs_per_second': stats([b['msgs/s'] for b in bs]),
        }
    res['command'] = 'rtnl-bench-core big.pcap --benchmark_repetitions=%d --benchmark_min_time=%s' % (
        a.reps, a.core_min_time)
    return res


def run_pyroute2(a, big):
    reps = max(1, min(a.reps, a.pyroute2_reps))
    cmd = ['/usr/bin/python3', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'pyroute2_parse.py'), big,
           str(reps)]
    output = []
    rss = timed(cmd, keep=output)[2]
    lines = [json.loads(l) for l in b''.join(output).decode().splitlines() if l.startswith('{')]
    return {'rss_mib': rss, 'messages': lines[0]['messages'], 'bytes': lines[0]['bytes'],
            'failed_packets': lines[0]['failed_packets'],
            'msgs_per_second': stats([l['messages'] / l['seconds'] for l in lines]),
            'bytes_per_second': stats([l['bytes'] / l['seconds'] for l in lines]),
            'command': '/usr/bin/python3 bench/pyroute2_parse.py big.pcap %d' % reps}


def machine():
    cpu = 'unknown'
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    tshark = subprocess.run(['tshark', '--version'], capture_output=True, text=True).stdout.splitlines()[0]
    mem = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30
    return {'cpu': cpu, 'cpus': os.cpu_count(), 'mem_gib': round(mem, 1), 'kernel': platform.release(),
            'tshark': tshark, 'loadavg': open('/proc/loadavg').read().split()[:3]}


def fmt_s(s):
    return '%.3f s (±%.0f%%)' % (s['median'], s['spread_pct'] / 2)


def fmt_ratio(s):
    return '**%.2f** (%.2f–%.2f)' % (s['median'], s['min'], s['max'])


FLOOR_LABELS = {'floor': '-O frame --disable-protocol netlink', 'floor-plain': '--disable-protocol netlink',
                'floor-twopass': '-2 --disable-protocol netlink'}
RUN_LABELS = {'plain': 'plain', 'V': '-V', 'fields': '-T fields', 'filter': '-Y', 'twopass': '-2 -Y'}


def tshark_table(rows, messages):
    L = ['| capture | messages | run | built-in netlink-route | rtnl plugin | ratio | net ratio | '
         'peak RSS built-in / rtnl |', '|---|---|---|---|---|---|---|---|']
    for row in rows:
        b, r = row.get('builtin'), row.get('rtnl')
        n = messages.get(row['capture'], '')
        if row['case'].startswith('floor'):
            L.append('| %s | %s | floor: `%s` | %s | | | | %.0f MiB |' % (
                row['capture'], n, FLOOR_LABELS[row['case']], fmt_s(b['wall']), b['rss_mib']['median']))
            continue
        L.append('| %s | %s | %s | %s | %s | %s | %s | %.0f / %.0f MiB |' % (
            row['capture'], n, RUN_LABELS[row['case']], fmt_s(b['wall']), fmt_s(r['wall']), fmt_ratio(row['ratio']),
            '%.2f' % row['ratio_net']['median'] if 'ratio_net' in row else '-',
            b['rss_mib']['median'], r['rss_mib']['median']))
    return L


def report(res):
    L = []
    m = res['machine']
    L.append('Machine: %s, %d CPUs, %.1f GiB, Linux %s; %s; load average at start %s.' % (
        m['cpu'], m['cpus'], m['mem_gib'], m['kernel'], m['tshark'], ' '.join(m['loadavg'])))
    L.append('')
    for cap, info in res['captures'].items():
        L.append('- `%s.pcap`: %s' % (cap, info['text']))
    L.append('')
    messages = {cap: info['messages'] for cap, info in res['captures'].items()}
    if res['tshark']:
        L.append('Repetitions: %d, round-robin. Times are wall-clock medians, ± half the range (min to max) over '
                 'the median; ratio = rtnl / built-in from the same round (median, min–max); net = the same with '
                 'the floor of that round subtracted from both (dissection only; `-O frame` floor for -V, the '
                 'two-pass floor for -2, the plain floor for the others).' % res['reps'])
        L.append('')
        L += tshark_table(res['tshark'], messages)
        L.append('')
    ins = res.get('instructions')
    if ins:
        L.append('Instructions (callgrind `Ir`, one run each, the whole tshark process including start-up; '
                 'deterministic, unlike the times above): ratio = rtnl / built-in, net = the same with the '
                 'floor subtracted from both.')
        L.append('')
        L.append('| capture | run | built-in netlink-route | rtnl plugin | ratio | net ratio |')
        L.append('|---|---|---|---|---|---|')
        for row in ins:
            if row['case'].startswith('floor'):
                L.append('| %s | floor: `%s` | %.0fM | | | |' % (
                    row['capture'], FLOOR_LABELS[row['case']], row['builtin'] / 1e6))
                continue
            L.append('| %s | %s | %.0fM | %.0fM | **%.2f** | %.2f |' % (
                row['capture'], RUN_LABELS[row['case']], row['builtin'] / 1e6, row['rtnl'] / 1e6, row['ratio'],
                row['ratio_net']))
        L.append('')
    dec = res.get('decode')
    if dec:
        base = 'baseline' in dec[0]
        L.append('rtnl-decode (output read through a pipe and counted; wall medians of %d rounds%s):' % (
            res['reps'], ', the baseline build %s' % res.get('baseline_label', '') if base else ''))
        L.append('')
        L.append('| capture | messages | mode | output | wall | output MB/s | peak RSS |' +
                 (' baseline wall | baseline peak RSS | speedup |' if base else ''))
        L.append('|---|---|---|---|---|---|---|' + ('---|---|---|' if base else ''))
        for row in dec:
            c = row['current']
            line = '| %s | %s | %s | %.1f MB | %s | %.1f | %.0f MiB |' % (
                row['capture'], messages.get(row['capture'], ''), row['mode'], c['output_bytes'] / 1e6,
                fmt_s(c['wall']), c['output_mb_per_s']['median'], c['rss_mib']['median'])
            if base:
                b = row['baseline']
                line += ' %s | %.0f MiB | **%.1fx** |' % (fmt_s(b['wall']), b['rss_mib']['median'], row['speedup'])
            L.append(line)
        L.append('')
    c = res.get('core')
    if c:
        L.append('Decoder core (`%s`), netlink payload only, one thread; peak RSS %.0f MiB (the whole capture is '
                 'held in memory):' % (c['command'], c['rss_mib']))
        L.append('')
        L.append('| benchmark | messages/s | MB/s | spread | vs header walk |')
        L.append('|---|---|---|---|---|')
        hw = c['benchmarks'].get('BM_HeaderWalk')
        for name, b in c['benchmarks'].items():
            rel = hw['bytes_per_second']['median'] / b['bytes_per_second']['median'] if hw else 0
            L.append('| %s | %.2fM | %.0f | ±%.0f%% | %.2fx slower |' % (
                name[3:], b['msgs_per_second']['median'] / 1e6, b['bytes_per_second']['median'] / 1e6,
                b['bytes_per_second']['spread_pct'] / 2, rel))
        p = res.get('pyroute2')
        if p:
            L.append('| pyroute2 MarshalRtnl().parse | %.3fM | %.1f | ±%.0f%% | |' % (
                p['msgs_per_second']['median'] / 1e6, p['bytes_per_second']['median'] / 1e6,
                p['bytes_per_second']['spread_pct'] / 2))
            w = c['benchmarks'].get('BM_Walker')
            if w:
                L.append('')
                L.append('Walker / pyroute2: **%.0fx** (messages/s); pyroute2 peak RSS %.0f MiB, %d packets it '
                         'could not parse.' % (w['msgs_per_second']['median'] / p['msgs_per_second']['median'],
                                               p['rss_mib'], p['failed_packets']))
        L.append('')
    for series, other in sorted(res.get('matrix', {}).items()):
        om = other['machine']
        L.append('### %s (matrix root, %d rounds)' % (om['tshark'], other['reps']))
        L.append('')
        L += tshark_table(other['tshark'], {cap: info['messages'] for cap, info in other['captures'].items()})
        L.append('')
    return '\n'.join(L) + '\n'


def parse_capture(text):
    """name=path=messages=description"""
    name, path, messages, desc = text.split('=', 3)
    return name, path, int(messages), desc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--stage', required=True)
    ap.add_argument('--capture', action='append', default=[],
                    help='NAME=PATH=MESSAGES=DESCRIPTION; names starting with "big" are dumps, "monitor" the '
                    'monitor capture')
    ap.add_argument('--instructions-on', default='big,monitor', help='the captures counted with callgrind')
    ap.add_argument('--core')
    ap.add_argument('--decode', help='rtnl-decode of this tree')
    ap.add_argument('--decode-baseline', help='rtnl-decode of the baseline')
    ap.add_argument('--baseline-label', default='')
    ap.add_argument('--baseline-reps', type=int, default=1)
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--pyroute2-reps', type=int, default=3)
    ap.add_argument('--core-min-time', default='1')
    ap.add_argument('--out', required=True)
    ap.add_argument('--only', default='tshark,instructions,decode,core,pyroute2')
    ap.add_argument('--callgrind-jobs', type=int, default=2, help='instruction counts run side by side')
    ap.add_argument('--update', action='store_true', help='add to OUT/results.json instead of starting it')
    ap.add_argument('--add-matrix', metavar='PATH', action='append', default=[],
                    help='only add the results.json of a matrix root to OUT/results.json, and report again')
    a = ap.parse_args()
    path = os.path.join(a.out, 'results.json')
    os.makedirs(a.out, exist_ok=True)

    def save(res):
        """results.json and results.md after every stage: a run stopped early keeps what it measured."""
        with open(path, 'w') as f:
            json.dump(res, f, indent=1)
        md = report(res)
        with open(os.path.join(a.out, 'results.md'), 'w') as f:
            f.write(md)
        return md

    if a.add_matrix:
        res = json.load(open(path))
        for m in a.add_matrix:
            other = json.load(open(m))
            res.setdefault('matrix', {})[other['machine']['tshark']] = other
        print(save(res))
        return
    only = a.only.split(',')
    caps = [parse_capture(c) for c in a.capture]
    captures = [(n, p) for n, p, _, _ in caps]
    dumps = [(n, p) for n, p in captures if n.startswith('big')]
    big = dict(captures).get('big')
    if a.update:  # more stages into the results of an earlier call of the same run
        res = json.load(open(path))
    else:
        res = {'machine': machine(), 'reps': a.reps, 'started': time.strftime('%Y-%m-%d %H:%M:%S'),
               'captures': {n: {'path': os.path.basename(p), 'messages': msgs, 'text': d} for n, p, msgs, d in caps},
               'tshark': []}
    if 'tshark' in only:
        print('measuring tshark ...', file=sys.stderr, flush=True)
        res['tshark'] = run_tshark(a, captures)
        save(res)
    if 'decode' in only and a.decode:
        print('measuring rtnl-decode ...', file=sys.stderr, flush=True)
        res['decode'] = run_decode(a, dumps)
        res['baseline_label'] = a.baseline_label
        save(res)
    if 'core' in only and a.core and big:
        print('measuring the core ...', file=sys.stderr, flush=True)
        res['core'] = run_core(a, big)
        save(res)
    if 'pyroute2' in only and big:
        print('measuring pyroute2 ...', file=sys.stderr, flush=True)
        res['pyroute2'] = run_pyroute2(a, big)
        save(res)
    if 'instructions' in only:
        print('counting instructions (callgrind) ...', file=sys.stderr, flush=True)
        names = a.instructions_on.split(',')
        res['instructions'] = run_instructions(a, [c for c in captures if c[0] in names])
    print(save(res))


if __name__ == '__main__':
    main()
