#!/usr/bin/python3
"""The scaling plot of docs/performance.md, from bench/out/results.json:
wall time (top row) and peak memory (bottom row) against the number of
messages of the dump at each scale (big, big-x4, big-x16), one column per
tshark run and one for rtnl-decode; rtnl against the built-in dissector and
the floor (tshark without netlink dissection).

    /usr/bin/python3 bench/plot.py bench/out/results.json OUT.png
(Debian's python3-matplotlib)."""
import json
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

RUNS = (('plain', 'tshark -r', 'floor-plain'), ('V', 'tshark -V', 'floor'),
        ('fields', 'tshark -T fields', 'floor-plain'), ('filter', 'tshark -Y', 'floor-plain'),
        ('twopass', 'tshark -2 -Y (GUI proxy)', 'floor-twopass'))


def main():
    res = json.load(open(sys.argv[1]))
    msgs = {cap: info['messages'] for cap, info in res['captures'].items() if cap.startswith('big')}
    rows = {(r['capture'], r['case']): r for r in res['tshark'] if r['capture'] in msgs}
    decode = [d for d in res.get('decode', []) if d['capture'] in msgs]
    columns = len(RUNS) + (1 if decode else 0)
    fig, axes = plt.subplots(2, columns, figsize=(3.2 * columns, 6.4), squeeze=False)
    caps = sorted(msgs, key=msgs.get)
    xs = [msgs[c] / 1e6 for c in caps]

    def series(ax_t, ax_m, label, points, style):
        ax_t.plot(xs, [p[0] for p in points], style, label=label)
        ax_m.plot(xs, [p[1] for p in points], style, label=label)

    for col, (case, title, floor) in enumerate(RUNS):
        ax_t, ax_m = axes[0][col], axes[1][col]
        if not all((c, case) in rows for c in caps):
            continue
        for who, style in (('rtnl', 'o-'), ('builtin', 's--')):
            series(ax_t, ax_m, {'rtnl': 'rtnl plugin', 'builtin': 'built-in'}[who],
                   [(rows[(c, case)][who]['wall']['median'], rows[(c, case)][who]['rss_mib']['median'])
                    for c in caps], style)
        series(ax_t, ax_m, 'floor', [(rows[(c, floor)]['builtin']['wall']['median'],
                                      rows[(c, floor)]['builtin']['rss_mib']['median']) for c in caps], 'kx:')
        ax_t.set_title(title, fontsize=9)
    if decode:
        ax_t, ax_m = axes[0][-1], axes[1][-1]
        for mode, style in (('default', 'o-'), ('V', '^-'), ('json', 'v-')):
            by = {d['capture']: d for d in decode if d['mode'] == mode}
            for who, dash in (('current', ''), ('baseline', '--')):
                if not all(c in by and who in by[c] for c in caps):
                    continue
                series(ax_t, ax_m, 'rtnl-decode %s%s' % (mode, ' (baseline)' if who == 'baseline' else ''),
                       [(by[c][who]['wall']['median'], by[c][who]['rss_mib']['median']) for c in caps],
                       style.replace('-', dash or '-'))
        ax_t.set_title('rtnl-decode', fontsize=9)
    for col in range(columns):
        axes[0][col].set_ylabel('wall time, s (median)', fontsize=8)
        axes[1][col].set_ylabel('peak RSS, MiB', fontsize=8)
        axes[1][col].set_xlabel('messages, millions', fontsize=8)
        for ax in (axes[0][col], axes[1][col]):
            ax.set_ylim(bottom=0)
            ax.tick_params(labelsize=7)
            ax.grid(True, alpha=0.3)
            if ax.get_legend_handles_labels()[0]:
                ax.legend(fontsize=6)
    fig.suptitle('%s: time and peak memory against messages (%s)' % (res['machine']['tshark'], res['started']),
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == '__main__':
    main()
