#!/usr/bin/env bash
# The benchmark suite (docs/performance.md): builds a big real capture inside
# a network namespace of its own, then measures tshark with the rtnl plugin
# against Wireshark's built-in netlink-route dissector, the decoder core
# against a header-walk lower bound, rtnl-decode, and pyroute2, all in one
# run; the dump at several scales (mergecap), and the same tshark runs in the
# Wireshark 4.4 and 4.6 roots of scripts/matrix.sh when they exist.
#
#   sudo bench/run.sh [--reps N] [--reuse-captures] [--routes4 N] [--routes6 N]
#                     [--dumps N] [--events N] [--scales 1,4,16] [--baseline GITREF]
#                     [--matrix auto|off] [--only tshark,instructions,decode,core,pyroute2]
#
# Everything it makes goes to bench/out/ (not in git): build/, big.pcap,
# big-x4.pcap ..., monitor.pcap, results.json, results.md, scaling.png.
# Needs root for the namespace (ip netns add; the machine's own namespace is
# never changed) and the matrix roots; installs what it lacks of strace,
# tshark, Google Benchmark, valgrind, pyroute2 and matplotlib (Debian).
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
scales=1,4,16     # the dump concatenated this many times (mergecap -a), each measured
baseline=        # a git ref whose rtnl-decode is measured beside this tree's
matrix=auto      # the Wireshark 4.4 / 4.6 roots (scripts/matrix.sh), when they exist
only=tshark,instructions,decode,core,pyroute2

while [ $# -gt 0 ]; do
  case $1 in
    --reps) reps=$2; shift 2 ;;
    --reuse-captures) reuse=1; shift ;;
    --routes4) routes4=$2; shift 2 ;;
    --routes6) routes6=$2; shift 2 ;;
    --dumps) dumps=$2; shift 2 ;;
    --events) events=$2; shift 2 ;;
    --scales) scales=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    --matrix) matrix=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*" >&2; }

# captures/lib/capture.sh: temp folder and namespaces (cleaned up at exit), record
. "$repo/captures/lib/capture.sh"
cap_temp bench/run.sh

# ---------------------------------------------------------------- dependencies
# What the bench needs beyond the build's own packages (scripts/install-deps.sh).
missing=()
for p in strace tshark libbenchmark-dev valgrind python3-pyroute2 python3-matplotlib; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (apt-get)"
  apt-get install -y -q "${missing[@]}" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
fi

# ---------------------------------------------------------------- build
# build_tree SRC BUILD TARGET...: RelWithDebInfo with the benchmarks, log in bench/out.
build_tree() {
  local src=$1 build=$2
  shift 2
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRTNL_BENCHMARKS=ON \
        -DRTNL_BUILD_TESTS=OFF >>"$out/cmake.log" 2>&1 || { tail -40 "$out/cmake.log" >&2; exit 1; }
  nice -n 10 cmake --build "$build" -j2 --target "$@" >>"$out/cmake.log" 2>&1 \
    || { tail -40 "$out/cmake.log" >&2; exit 1; }
}
say "building (RelWithDebInfo, -DRTNL_BENCHMARKS=ON) in bench/out/build"
mkdir -p "$out"
: >"$out/cmake.log"
build_tree "$repo" "$out/build" rtnl_plugin rtnl-record rtnl-decode rtnl-bench-core
recorder=$out/build/tools/record/rtnl-record
core=$out/build/bench/rtnl-bench-core
plugin=$out/build/plugin/rtnl.so
decoder=$out/build/tools/decode/rtnl-decode
baseline_decoder=
if [ -n "$baseline" ]; then
  say "building rtnl-decode of $baseline (git archive) in bench/out/baseline"
  rm -rf "$out/baseline/src"
  mkdir -p "$out/baseline/src"
  git -C "$repo" archive "$baseline" | tar -x -C "$out/baseline/src"
  build_tree "$out/baseline/src" "$out/baseline/build" rtnl-decode
  baseline_decoder=$out/baseline/build/tools/decode/rtnl-decode
  baseline_label="$baseline ($(git -C "$repo" rev-parse --short "$baseline"))"
fi

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

# Each capture at each scale: NAME-xN.pcap is NAME.pcap N times over
# (mergecap -a). The monitor capture is scaled too: one message per packet
# makes start-up most of a 1x run, and the larger runs show the ratio per
# message that a long monitor session approaches.
# scaled NAME: the names of NAME at each scale, made when missing.
scaled() {
  local base=$1 n f
  for n in ${scales//,/ }; do
    if [ "$n" = 1 ]; then echo "$base"; continue; fi
    f=$out/$base-x$n.pcap
    if [ ! "$f" -nt "$out/$base.pcap" ]; then
      say "$base-x$n.pcap: $base.pcap $n times (mergecap -a)"
      mergecap -a -F pcap -w "$f" $(for _ in $(seq "$n"); do echo "$out/$base.pcap"; done)
      chmod 644 "$f"
    fi
    echo "$base-x$n"
  done
}
mapfile -t big_names < <(scaled big)
mapfile -t monitor_names < <(scaled monitor)

# describe NAME TEXT: --capture NAME=PATH=MESSAGES=DESCRIPTION for measure.py
describe() {
  local name=$1 f=$out/$1.pcap pk bytes line msgs
  pk=$(capinfos -c -M "$f" | awk -F: '/Number of packets/ {gsub(/ /, "", $2); print $2}')
  bytes=$(stat -c %s "$f")
  line=$("$core" "$f" --benchmark_filter=NONE 2>&1 | sed -n 's/.* packets, \([0-9]*\) messages, \([0-9]*\) bytes.*/\1 \2/p')
  msgs=${line% *}
  echo "  $name.pcap: $pk packets, $msgs messages" >&2
  echo "--capture=$name=$stage/$name.pcap=$msgs=$pk packets, $msgs messages, ${line#* } bytes of netlink payload, file $((bytes / 1000000)) MB: $2"
}

# ---------------------------------------------------------------- stage
# tshark runs as nobody when we are root (root's tshark ignores plugin
# folders): plugins/<series>/epan/rtnl.so, an empty plugin folder, an empty
# HOME, and the captures, all readable by nobody.
# stage_in DIR PLUGIN TSHARK...: such a folder for the tshark that TSHARK... runs.
stage_in() {
  local dir=$1 so=$2 series
  shift 2
  series=$("$@" --version | sed -n '1s/.* \([0-9]*\.[0-9]*\)\.[0-9]*.*/\1/p')
  mkdir -p "$dir/plugins/$series/epan" "$dir/no-plugins" "$dir/home"
  cp "$so" "$dir/plugins/$series/epan/rtnl.so"
}
stage=$(mktemp -d /tmp/rtnl-bench.XXXXXX)
on_exit 'rm -rf "$stage"'
stage_in "$stage" "$plugin" tshark
for name in "${big_names[@]}" "${monitor_names[@]}"; do cp "$out/$name.pcap" "$stage/"; done
chmod -R a+rX "$stage"

what="$routes4 IPv4 + $routes6 IPv6 routes dumped $dumps time(s) (ip route show table all, ip -6 route), ip -d -s link, ip neigh"
# describe_scales BASE WHAT NAME...: each NAME, a scale of BASE (scaled), onto captures
describe_scales() {
  local base=$1 what=$2 name n
  shift 2
  for name in "$@"; do
    n=${name#"$base"-x}; [ "$name" = "$base" ] && n=1
    captures+=("$(describe "$name" "$base.pcap $n time(s) over: $what")")
  done
}
captures=()
describe_scales big "$what" "${big_names[@]}"
describe_scales monitor "ip monitor all during $events route/address/neighbour/link changes" "${monitor_names[@]}"

# Instruction counts (callgrind, the slowest stage) come last, after the matrix roots.
say "measuring ($reps repetitions each, round-robin)"
python3 "$here/measure.py" --stage "$stage" "${captures[@]}" --core "$core" --decode "$decoder" \
  ${baseline_decoder:+--decode-baseline "$baseline_decoder" --baseline-label "$baseline_label"} \
  --reps "$reps" --only "${only//instructions/}" --out "$out" >/dev/null

# ---------------------------------------------------------------- Wireshark 4.4 and 4.6
# The matrix roots (scripts/matrix.sh): this tree's plugin built in the root,
# then the same tshark runs on big.pcap and monitor.pcap against the built-in
# dissector of that Wireshark. The bench's copy is /src/rtnl-bench there,
# beside the matrix's own /src/rtnl.
matrix_results=()
if [ "$matrix" = auto ] && [[ ,$only, == *,tshark,* ]]; then
  . "$repo/scripts/lib/matrix-root.sh"
  for suite in trixie sid; do
    root=${RTNL_MATRIX_CACHE:-/var/cache/rtnl-matrix}/build-$suite
    [ -x "$root/usr/bin/tshark" ] || { echo "  no matrix root $root: skipped" >&2; continue; }
    say "$suite root: building the plugin in /src/rtnl-bench"
    copy_tree "$repo" "$root/src/rtnl-bench"
    in_root "$root" /bin/bash -euc 'cmake -S /src/rtnl-bench -B /src/rtnl-bench/build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DRTNL_BUILD_TESTS=OFF >/dev/null && nice -n 10 cmake --build /src/rtnl-bench/build -j2 --target rtnl_plugin >/dev/null' \
      >>"$out/cmake.log" 2>&1 || { tail -40 "$out/cmake.log" >&2; exit 1; }
    rstage=$root/src/rtnl-bench/stage
    rm -rf "$rstage" "$root/src/rtnl-bench/out"
    mkdir -p "$rstage"
    stage_in "$rstage" "$root/src/rtnl-bench/build/plugin/rtnl.so" in_root "$root" tshark
    cp "$out/big.pcap" "$out/monitor.pcap" "$rstage/"
    chmod -R a+rX "$rstage"
    say "$suite root: measuring ($reps repetitions each, round-robin)"
    mine=()
    for c in "${captures[@]}"; do
      case $c in --capture=big=* | --capture=monitor=*) mine+=("${c//$stage//src/rtnl-bench/stage}") ;; esac
    done
    in_root "$root" /usr/bin/python3 /src/rtnl-bench/bench/measure.py --stage /src/rtnl-bench/stage "${mine[@]}" \
      --reps "$reps" --only tshark --out /src/rtnl-bench/out >/dev/null
    cp "$root/src/rtnl-bench/out/results.json" "$out/results-$suite.json"
    matrix_results+=(--add-matrix "$out/results-$suite.json")
  done
fi
[ ${#matrix_results[@]} -eq 0 ] || python3 "$here/measure.py" --stage "$stage" --out "$out" "${matrix_results[@]}" >/dev/null
/usr/bin/python3 "$here/plot.py" "$out/results.json" "$out/scaling.png"

if [[ ,$only, == *,instructions,* ]]; then
  say "counting instructions (callgrind) on big.pcap and monitor.pcap"
  python3 "$here/measure.py" --stage "$stage" "${captures[@]}" --update --only instructions --out "$out" >/dev/null
fi
say "results: bench/out/results.md and bench/out/scaling.png (docs/performance.md shows them)"
cat "$out/results.md"
