#!/usr/bin/python3
"""The measuring half of bench/run.sh: runs every case several times in one
run, round-robin (so a noisy neighbour hits all cases alike), and writes
results.json and results.md (the table docs/performance.md shows).

Ratios are taken per repetition (our plugin's time divided by the built-in
dissector's time from the same round), then their median and range reported."""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

TIME = '/usr/bin/time'


def tshark_cmd(stage, plugin, args):
    env = {'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8', 'HOME': os.path.join(stage, 'home'),
           'WIRESHARK_PLUGIN_DIR': os.path.join(stage, 'plugins' if plugin else 'no-plugins')}
    cmd = ['tshark'] + args
    if os.geteuid() == 0:  # root's tshark ignores plugin folders: run it as nobody
        return ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', 'env'] + \
            ['%s=%s' % kv for kv in env.items()] + cmd, None
    return cmd, env


def timed(cmd, env=None):
    """(wall seconds, user+sys seconds, peak RSS MiB) of one run; output discarded."""
    with tempfile.NamedTemporaryFile('r') as t:
        r = subprocess.run([TIME, '-f', '%e %U %S %M', '-o', t.name] + cmd, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise SystemExit('failed (%d): %s\n%s' % (r.returncode, ' '.join(cmd), r.stderr[-2000:]))
        fields = t.read().split()[-4:]
    wall, user, sys_, rss = float(fields[0]), float(fields[1]), float(fields[2]), int(fields[3])
    return wall, user + sys_, rss / 1024.0


def stats(xs):
    med = statistics.median(xs)
    return {'median': med, 'min': min(xs), 'max': max(xs), 'n': len(xs),
            'spread_pct': 100.0 * (max(xs) - min(xs)) / med if med else 0.0}


def tshark_cases(big, mon):
    fields_rtnl = ['-T', 'fields', '-e', 'rtnl.type', '-e', 'rtnl.seq', '-e', 'rtnl.rta.oif', '-e', 'rtnl.ifla.ifname']
    fields_builtin = ['-T', 'fields', '-e', 'netlink.hdr_type', '-e', 'netlink.hdr_seq', '-e', 'netlink-route.rta_oif',
                      '-e', 'netlink-route.ifla_ifname']
    cases = []
    for cap_name, cap, kinds in (('big', big, ('plain', 'V', 'fields', 'filter')), ('monitor', mon, ('plain', 'filter'))):
        if not cap:
            continue
        r = ['-r', cap]
        cases.append((cap_name, 'floor', r + ['-O', 'frame', '--disable-protocol', 'netlink'], None))
        # The floor of the runs that print one line per packet (or nothing):
        # -O frame prints the frame's details, more than a plain read prints.
        cases.append((cap_name, 'floor-plain', r + ['--disable-protocol', 'netlink'], None))
        for kind in kinds:
            extra_b = {'plain': [], 'V': ['-V'], 'fields': fields_builtin, 'filter': ['-Y', 'netlink-route.rta_oif == 0']}[kind]
            extra_r = {'plain': [], 'V': ['-V'], 'fields': fields_rtnl, 'filter': ['-Y', 'rtnl.oif == 0']}[kind]
            cases.append((cap_name, kind, r + extra_b, r + extra_r))
    return cases


def run_tshark(a):
    cases = tshark_cases(a.big, a.monitor)
    times = {}  # (cap, kind, 'builtin'|'rtnl') -> [(wall, cpu, rss)]
    commands = {}
    for rep in range(a.reps):
        for cap, kind, builtin, ours in cases:
            for who, args, plugin in (('builtin', builtin, False), ('rtnl', ours, True)):
                if args is None:
                    continue
                cmd, env = tshark_cmd(a.stage, plugin, args)
                commands[(cap, kind, who)] = ('WIRESHARK_PLUGIN_DIR=%s ' % ('<stage>/plugins' if plugin else '<empty>')) + \
                    'tshark ' + ' '.join(x if ' ' not in x else "'%s'" % x for x in args)
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
            floor = times[(cap, 'floor' if kind == 'V' else 'floor-plain', 'builtin')]
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


def run_instructions(a):
    out = []
    for cap, kind, builtin, ours in tshark_cases(a.big, a.monitor):
        row = {'capture': cap, 'case': kind}
        for who, args, plugin in (('builtin', builtin, False), ('rtnl', ours, True)):
            if args is not None:
                row[who] = instructions(*tshark_cmd(a.stage, plugin, args))
        if 'rtnl' in row:
            row['ratio'] = row['rtnl'] / row['builtin']
            floor = next(r for r in out if r['capture'] == cap and r['case'] == ('floor' if kind == 'V' else 'floor-plain'))
            row['ratio_net'] = (row['rtnl'] - floor['builtin']) / (row['builtin'] - floor['builtin'])
        out.append(row)
        print('  instructions: %s %s done' % (cap, kind), file=sys.stderr, flush=True)
    return out


def run_core(a):
    with tempfile.NamedTemporaryFile('r', suffix='.json') as j:
        cmd = [a.core, a.big, '--benchmark_repetitions=%d' % a.reps, '--benchmark_min_time=%s' % a.core_min_time,
               '--benchmark_format=json', '--benchmark_out=%s' % j.name, '--benchmark_out_format=json']
        wall, cpu, rss = timed(cmd)
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


def run_pyroute2(a):
    reps = max(1, min(a.reps, a.pyroute2_reps))
    cmd = ['/usr/bin/python3', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'pyroute2_parse.py'), a.big,
           str(reps)]
    with tempfile.NamedTemporaryFile('r') as t:
        r = subprocess.run([TIME, '-f', '%M', '-o', t.name] + cmd, capture_output=True, text=True, check=True)
        rss = int(t.read().split()[-1]) / 1024.0
    lines = [json.loads(l) for l in r.stdout.splitlines() if l.startswith('{')]
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


def report(res):
    L = []
    m = res['machine']
    L.append('Machine: %s, %d CPUs, %.1f GiB, Linux %s; %s; load average at start %s.' % (
        m['cpu'], m['cpus'], m['mem_gib'], m['kernel'], m['tshark'], ' '.join(m['loadavg'])))
    L.append('')
    for cap, info in res['captures'].items():
        L.append('- `%s.pcap`: %s' % (cap, info))
    L.append('')
    L.append('Repetitions: %d, round-robin. Times are wall-clock medians, ± half the range (min to max) over the '
             'median; ratio = rtnl / built-in from the same round (median, min–max); net = the same with the '
             'floor of that round subtracted from both (dissection only; `-O frame` floor for -V, the plain '
             'floor for the others).' % res['reps'])
    L.append('')
    L.append('| capture | run | built-in netlink-route | rtnl plugin | ratio | net ratio | peak RSS built-in / rtnl |')
    L.append('|---|---|---|---|---|---|---|')
    for row in res['tshark']:
        b, r = row.get('builtin'), row.get('rtnl')
        if row['case'].startswith('floor'):
            L.append('| %s | floor: `%s--disable-protocol netlink` | %s | | | | %.0f MiB |' % (
                row['capture'], '-O frame ' if row['case'] == 'floor' else '', fmt_s(b['wall']), b['rss_mib']['median']))
            continue
        L.append('| %s | %s | %s | %s | %s | %s | %.0f / %.0f MiB |' % (
            row['capture'], row['case'], fmt_s(b['wall']), fmt_s(r['wall']), fmt_ratio(row['ratio']),
            '%.2f' % row['ratio_net']['median'] if 'ratio_net' in row else '-',
            b['rss_mib']['median'], r['rss_mib']['median']))
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
                L.append('| %s | floor: `%s--disable-protocol netlink` | %.0fM | | | |' % (
                    row['capture'], '-O frame ' if row['case'] == 'floor' else '', row['builtin'] / 1e6))
                continue
            L.append('| %s | %s | %.0fM | %.0fM | **%.2f** | %.2f |' % (
                row['capture'], row['case'], row['builtin'] / 1e6, row['rtnl'] / 1e6, row['ratio'], row['ratio_net']))
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
    return '\n'.join(L) + '\n'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--stage', required=True)
    ap.add_argument('--big', required=True)
    ap.add_argument('--monitor')
    ap.add_argument('--core')
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--pyroute2-reps', type=int, default=3)
    ap.add_argument('--core-min-time', default='1')
    ap.add_argument('--describe', action='append', default=[], help='cap=text, shown in the report')
    ap.add_argument('--out', required=True)
    ap.add_argument('--only', default='tshark,instructions,core,pyroute2')
    a = ap.parse_args()
    only = a.only.split(',')
    res = {'machine': machine(), 'reps': a.reps, 'started': time.strftime('%Y-%m-%d %H:%M:%S'),
           'captures': dict(d.split('=', 1) for d in a.describe)}
    if 'tshark' in only:
        print('measuring tshark ...', file=sys.stderr, flush=True)
        res['tshark'] = run_tshark(a)
    else:
        res['tshark'] = []
    if 'instructions' in only:
        print('counting instructions (callgrind) ...', file=sys.stderr, flush=True)
        res['instructions'] = run_instructions(a)
    if 'core' in only and a.core:
        print('measuring the core ...', file=sys.stderr, flush=True)
        res['core'] = run_core(a)
    if 'pyroute2' in only:
        print('measuring pyroute2 ...', file=sys.stderr, flush=True)
        res['pyroute2'] = run_pyroute2(a)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, 'results.json'), 'w') as f:
        json.dump(res, f, indent=1)
    md = report(res)
    with open(os.path.join(a.out, 'results.md'), 'w') as f:
        f.write(md)
    print(md)


if __name__ == '__main__':
    main()
