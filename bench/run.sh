#!/usr/bin/env bash
# The benchmark suite (docs/performance.md): builds a big real capture inside
# a network namespace of its own, then measures tshark with the rtnl plugin
# against Wireshark's built-in netlink-route dissector, the decoder core
# against a header-walk lower bound, and pyroute2, all in one run.
#
#   sudo bench/run.sh [--reps N] [--reuse-captures] [--routes4 N] [--routes6 N]
#                     [--dumps N] [--events N] [--only tshark,instructions,core,pyroute2]
#
# Everything it makes goes to bench/out/ (not in git): build/, big.pcap,
# monitor.pcap, results.json, results.md. Needs root for the namespace
# (ip netns add; the machine's own namespace is never changed), strace,
# tshark, Google Benchmark (libbenchmark-dev), valgrind (instruction counts)
# and python3-pyroute2.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
out=$here/out
reps=5
reuse=0
routes4=100000
routes6=20000
dumps=1          # how many times the route dumps are recorded into big.pcap
events=20000     # route/address/neighbour/link changes seen by ip monitor
only=tshark,instructions,core,pyroute2

while [ $# -gt 0 ]; do
  case $1 in
    --reps) reps=$2; shift 2 ;;
    --reuse-captures) reuse=1; shift ;;
    --routes4) routes4=$2; shift 2 ;;
    --routes6) routes6=$2; shift 2 ;;
    --dumps) dumps=$2; shift 2 ;;
    --events) events=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*" >&2; }

# captures/lib/capture.sh: temp folder and namespaces (cleaned up at exit), record
. "$repo/captures/lib/capture.sh"
cap_temp bench/run.sh

# ---------------------------------------------------------------- build
say "building (RelWithDebInfo, -DRTNL_BENCHMARKS=ON) in bench/out/build"
mkdir -p "$out"
cmake -S "$repo" -B "$out/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRTNL_BENCHMARKS=ON \
      -DRTNL_BUILD_TESTS=OFF >"$out/cmake.log" 2>&1 || { cat "$out/cmake.log" >&2; exit 1; }
cmake --build "$out/build" -j2 --target rtnl_plugin rtnl-record rtnl-bench-core >>"$out/cmake.log" 2>&1 \
  || { tail -40 "$out/cmake.log" >&2; exit 1; }
recorder=$out/build/tools/record/rtnl-record
core=$out/build/bench/rtnl-bench-core
plugin=$out/build/plugin/rtnl.so

# ---------------------------------------------------------------- captures
make_captures() {  # needs root; or pass --reuse-captures
  cap_checks
  fresh_ns bench
  monpid=
  on_exit '[ -n "$monpid" ] && kill "$monpid" 2>/dev/null'

  say "namespace $(ns_name bench): links, addresses, neighbours"
  {
    echo "link set lo up"
    echo "link add v0 type veth peer name v0p"
    echo "link add br0 type bridge"
    for i in $(seq 1 31); do echo "link add v$i type veth peer name v${i}p"; done
    for i in $(seq 16 31); do echo "link set v${i}p master br0"; done
    for i in $(seq 0 31); do echo "link set v$i up"; echo "link set v${i}p up"; done
    echo "link set br0 up"
    echo "address add 10.0.0.1/16 dev v0"
    echo "address add 2001:db8::1/64 dev v0"
    echo "link add vx0 type vxlan id 42 local 10.0.0.1 dstport 4789 dev v0"
    echo "link set vx0 up"
    for i in $(seq 1 31); do
      echo "address add 10.1.$i.1/24 dev v$i"
      for j in 2 3 4 5; do echo "address add 10.1.$i.$j/24 dev v$i"; done
      echo "address add 2001:db8:1:$i::1/64 dev v$i"
    done
    echo "address add 192.168.100.1/24 dev br0"
    # neighbours: 2000 IPv4, 500 IPv6, mixed states
    local states=(permanent reachable stale noarp)
    for i in $(seq 0 1999); do
      printf 'neigh add 10.0.%d.%d lladdr 02:00:00:00:%02x:%02x dev v0 nud %s\n' $((i / 250 + 2)) $((i % 250 + 1)) \
        $((i / 256)) $((i % 256)) "${states[i % 4]}"
    done
    for i in $(seq 0 499); do
      printf 'neigh add 2001:db8::%x:%x lladdr 02:00:00:01:%02x:%02x dev v0 nud %s\n' $((i / 256 + 1)) $((i % 256 + 1)) \
        $((i / 256)) $((i % 256)) "${states[i % 4]}"
    done
  } > "$work/setup.batch"
  in_ns bench ip -force -batch "$work/setup.batch"

  say "namespace $(ns_name bench): $routes4 IPv4 and $routes6 IPv6 routes (ip -batch)"
  python3 - "$routes4" "$routes6" "$work" <<'PY'
import sys
n4, n6, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
protos = ['static', 'bgp', 'ospf', 'zebra']
with open(work + '/routes4.batch', 'w') as f:
    for i in range(n4):
        a, b, c = 64 + i // 65536, (i // 256) % 256, i % 256
        gw = '10.0.%d.%d' % (i % 8, 2 + i % 200)
        if i % 100 == 99:    # multipath
            f.write('route add 10.%d.%d.%d/32 table %d nexthop via %s dev v0 nexthop via 10.0.9.9 dev v0\n'
                    % (a, b, c, 254 if i % 3 else 100, gw))
        elif i % 10 == 5:    # on-link through another interface
            f.write('route add 10.%d.%d.%d/32 dev v%d proto %s scope link\n' % (a, b, c, 1 + i % 31, protos[i % 4]))
        elif i % 50 == 7:    # another table
            f.write('route add 10.%d.%d.%d/32 via %s dev v0 table 100 metric %d\n' % (a, b, c, gw, i % 16))
        else:
            f.write('route add 10.%d.%d.%d/32 via %s dev v0 proto %s metric %d\n' % (a, b, c, gw, protos[i % 4], i % 7))
with open(work + '/routes6.batch', 'w') as f:
    for i in range(n6):
        gw = '2001:db8::%x' % (2 + i % 200)
        if i % 10 == 5:
            f.write('route add 2001:db8:%x:%x::/64 dev v%d proto static metric %d\n' % (0x100 + i // 65536, i % 65536, 1 + i % 31, i % 5))
        else:
            f.write('route add 2001:db8:%x:%x::/64 via %s dev v0 proto %s\n' % (0x100 + i // 65536, i % 65536, gw, protos[i % 4]))
PY
  in_ns bench ip -batch "$work/routes4.batch"
  in_ns bench ip -6 -batch "$work/routes6.batch"
  echo "  routes in the namespace: $(in_ns bench ip route show table all | wc -l) (all tables, both families)" >&2

  say "recording the dumps into big.pcap (rtnl-record, strace)"
  local t0=$SECONDS
  record_opts="-q --family route"
  record bench "$out/big.pcap" sh -c "
    for i in \$(seq $dumps); do ip route show table all; ip -6 route; done
    ip -d -s link; ip neigh" >/dev/null
  echo "  recorded in $((SECONDS - t0)) s" >&2

  say "recording ip monitor while $events changes happen: monitor.pcap"
  # ip netns exec itself, not the in_ns function: it execs the command, so $! is
  # the process itself (a backgrounded function would be a subshell)
  ip netns exec "$(ns_name bench)" ip monitor all >/dev/null 2>"$work/monitor.err" &
  monpid=$!
  sleep 0.3
  ip netns exec "$(ns_name bench)" "$recorder" $record_opts -w "$out/monitor.pcap" -p "$monpid" \
    2>"$work/record-monitor.err" &
  local recpid=$!
  for _ in $(seq 50); do  # until strace has attached
    grep -q '^TracerPid:[[:space:]]*[1-9]' "/proc/$monpid/status" 2>/dev/null && break
    sleep 0.1
  done
  python3 - "$events" "$work" <<'PY'
import sys
n, work = int(sys.argv[1]), sys.argv[2]
# chunks of small changes, each undone, so that every command is a notification or two
with open(work + '/events.batch', 'w') as f:
    for i in range(n // 2):
        k = i % 5
        if k == 0:
            f.write('route add 10.250.%d.%d/32 via 10.0.0.%d dev v0\n' % (i // 250 % 250, i % 250, 2 + i % 100))
            f.write('route del 10.250.%d.%d/32\n' % (i // 250 % 250, i % 250))
        elif k == 1:
            f.write('address add 10.251.%d.%d/32 dev v%d\n' % (i // 250 % 250, i % 250, 1 + i % 31))
            f.write('address del 10.251.%d.%d/32 dev v%d\n' % (i // 250 % 250, i % 250, 1 + i % 31))
        elif k == 2:
            f.write('neigh add 10.0.200.%d lladdr 02:00:00:02:00:%02x dev v0 nud reachable\n' % (i % 250 + 1, i % 256))
            f.write('neigh del 10.0.200.%d dev v0\n' % (i % 250 + 1))
        elif k == 3:
            f.write('route add 2001:db8:ff:%x::/64 via 2001:db8::%x dev v0\n' % (i % 65536, 2 + i % 100))
            f.write('route del 2001:db8:ff:%x::/64\n' % (i % 65536))
        else:
            f.write('link set v%d mtu %d\n' % (1 + i % 31, 1400 + i % 100))
            f.write('link set v%d mtu 1500\n' % (1 + i % 31))
PY
  # In pieces, so that the traced ip monitor keeps up (its socket buffer is finite).
  split -l 400 "$work/events.batch" "$work/events.part."
  for part in "$work"/events.part.*; do
    in_ns bench ip -force -batch "$part" 2>>"$work/events.err" || true
    sleep 0.15
  done
  sleep 1
  kill -INT "$recpid"; wait "$recpid" || true
  kill "$monpid"; wait "$monpid" 2>/dev/null || true
  monpid=
  if grep -qi 'overrun\|No buffer space' "$work/monitor.err"; then
    cp "$work/monitor.err" "$out/monitor.err"
    echo "  note: ip monitor reported an overrun (notifications lost); see $out/monitor.err" >&2
  fi
  drop_ns bench
  chmod 644 "$out/big.pcap" "$out/monitor.pcap"
}

if [ "$reuse" = 1 ] && [ -s "$out/big.pcap" ] && [ -s "$out/monitor.pcap" ]; then
  say "reusing bench/out/big.pcap and bench/out/monitor.pcap"
else
  make_captures
fi

describe() {  # packets, messages and size of a capture
  local f=$1 pk bytes msgs
  pk=$(capinfos -c -M "$f" | awk -F: '/Number of packets/ {gsub(/ /, "", $2); print $2}')
  bytes=$(stat -c %s "$f")
  msgs=$("$core" "$f" --benchmark_filter=NONE 2>&1 | sed -n 's/.* packets, \([0-9]*\) messages, \([0-9]*\) bytes.*/\1 messages, \2 bytes of netlink payload/p')
  echo "$pk packets, $msgs, file $((bytes / 1000000)) MB"
}
big_info=$(describe "$out/big.pcap")
mon_info=$(describe "$out/monitor.pcap")
echo "  big.pcap: $big_info" >&2
echo "  monitor.pcap: $mon_info" >&2

# ---------------------------------------------------------------- stage
# tshark runs as nobody when we are root (root's tshark ignores plugin
# folders): plugins/<series>/epan/rtnl.so, an empty plugin folder, an empty
# HOME, and the captures, all readable by nobody.
stage=$(mktemp -d /tmp/rtnl-bench.XXXXXX)
on_exit 'rm -rf "$stage"'
series=$(tshark --version | sed -n '1s/.* \([0-9]*\.[0-9]*\)\.[0-9]*.*/\1/p')
mkdir -p "$stage/plugins/$series/epan" "$stage/no-plugins" "$stage/home"
cp "$plugin" "$stage/plugins/$series/epan/rtnl.so"
cp "$out/big.pcap" "$out/monitor.pcap" "$stage/"
chmod -R a+rX "$stage"

say "measuring ($reps repetitions each, round-robin)"
python3 "$here/measure.py" --stage "$stage" --big "$stage/big.pcap" --monitor "$stage/monitor.pcap" \
  --core "$core" --reps "$reps" --only "$only" --out "$out" \
  --describe "big=$big_info: $routes4 IPv4 + $routes6 IPv6 routes dumped $dumps time(s) (ip route show table all, ip -6 route), ip -d -s link, ip neigh" \
  --describe "monitor=$mon_info: ip monitor all during $events route/address/neighbour/link changes"
say "results: bench/out/results.md (docs/performance.md shows them)"
