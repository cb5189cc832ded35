#!/usr/bin/env bash
# The Wireshark way (its tools/fuzz-test.sh): mutate every capture under
# captures/ with `editcap -E <probability>` and run tshark with the plugin over
# each mutant, in four ways: -V, -T json, -2 -V (with -z rtnl,tree) and
# -2 -T json. Fails on a crash or non-zero exit, a sanitizer report, a hang
# (per-run time limit) or a dissector exception in rtnl ("Dissector bug,
# protocol rtnl", "Malformed Packet: rtnl" / _ws.malformed in rtnl's JSON).
#
#   tests/fuzz/editcap-mutate.sh [ROUNDS] [PROBABILITY]      (defaults 1, 0.02)
#
# Environment:
#   RTNL_PLUGIN        rtnl.so to test (default build/plugin/rtnl.so). Built with
#                      ASan (RTNL_SANITIZE=ON): its runtime is found with ldd and
#                      preloaded into tshark, leak checks off (GLib's exit).
#   RTNL_CAPTURES      folder of captures (default captures/)
#   RTNL_MUTATE_SEED   first editcap --seed (default 1; round r, capture c uses
#                      seed+r*1000+c, so every run is reproducible)
#   RTNL_MUTATE_TIMEOUT seconds per tshark run (default 120)
#   RTNL_MUTATE_JOBS   tshark runs in parallel (default 2)
#   RTNL_MUTATE_KEEP   where failing mutants are kept (default /tmp/rtnl-mutate-failures)
# Half of the rounds spare the 16-byte nlmon header (editcap -o 16): a mutated
# netlink family sends the packet to Wireshark's own netlink dissector.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-1}
prob=${2:-0.02}
plugin=${RTNL_PLUGIN:-$root/build/plugin/rtnl.so}
captures=${RTNL_CAPTURES:-$root/captures}
seed0=${RTNL_MUTATE_SEED:-1}
limit=${RTNL_MUTATE_TIMEOUT:-120}
jobs=${RTNL_MUTATE_JOBS:-2}
keep=${RTNL_MUTATE_KEEP:-/tmp/rtnl-mutate-failures}
[ -f "$plugin" ] || { echo "editcap-mutate: no plugin at $plugin (set RTNL_PLUGIN)" >&2; exit 2; }

series=$(tshark --version 2>/dev/null | sed -n '1s/.* \([0-9]*\.[0-9]*\)\.[0-9]*.*/\1/p')
stage=$(mktemp -d /tmp/rtnl-mutate.XXXXXX)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/plugins/$series/epan" "$stage/home" "$stage/mutants" "$stage/results"
cp "$plugin" "$stage/plugins/$series/epan/rtnl.so"

envs=(PATH="$PATH" LANG=C.UTF-8 HOME="$stage/home" WIRESHARK_PLUGIN_DIR="$stage/plugins")
asan=$(ldd "$plugin" | awk '/libasan/ {print $3}')
if [ -n "$asan" ]; then
  envs+=(LD_PRELOAD="$asan" ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
         UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1")
fi
runner=(env -i "${envs[@]}")
# Wireshark ignores plugin folders when run as root (docs/design.md): run as nobody.
if [ "$(id -u)" -eq 0 ]; then
  runner=(setpriv --reuid=nobody --regid=nogroup --clear-groups "${runner[@]}")
fi

mapfile -t files < <(find "$captures" -name '*.pcap' -o -name '*.pcapng' | sort)
[ ${#files[@]} -gt 0 ] || { echo "editcap-mutate: no captures under $captures" >&2; exit 2; }

# One tshark run over one mutant: prints "ok", or "FAIL <why>" and keeps the evidence.
check_one() {
  local mutant=$1 mode=$2 out=$3
  local args=()
  case $mode in
    V) args=(-V) ;;
    json) args=(-T json) ;;
    2V) args=(-2 -V -z rtnl,tree) ;;
    2json) args=(-2 -T json) ;;
  esac
  local status=0
  timeout -k 5 "$limit" "${runner[@]}" tshark -n -r "$mutant" "${args[@]}" >"$out.out" 2>"$out.err" || status=$?
  local why=""
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then why="hang (over ${limit}s)"
  elif [ "$status" -ne 0 ]; then why="exit status $status"
  elif grep -qE 'ERROR: [A-Za-z]+Sanitizer|runtime error: |SUMMARY: [A-Za-z]+Sanitizer' "$out.err"; then why="sanitizer report"
  elif grep -q 'Dissector bug, protocol rtnl' "$out.out" "$out.err"; then why="dissector bug"
  elif grep -q 'Malformed Packet: rtnl' "$out.out"; then why="malformed-packet exception"
  elif [ "${mode#2}" = json ]; then
    if python3 - "$out.out" <<'PY'
import json, sys
# A dissector exception is a _ws.malformed item (or a "Dissector bug" text)
# among the layers of a packet that rtnl dissected.
for pkt in json.load(open(sys.argv[1], encoding='utf-8', errors='replace')):  # mutated strings
    layers = pkt.get('_source', {}).get('layers', {})
    if 'rtnl' in layers and ('_ws.malformed' in layers or 'Dissector bug' in json.dumps(layers)):
        sys.exit(0)
sys.exit(1)
PY
    then why="malformed-packet exception (json)"; fi
  fi
  if [ -n "$why" ]; then
    echo "FAIL $why: tshark -n -r $(basename "$mutant") ${args[*]}"
    return 1
  fi
  echo ok
}
start=$(date +%s)
# Mutants first (cheap), then the tshark runs, $jobs at a time.
n=0
list="$stage/runs.txt"
: >"$list"
for ((r = 0; r < rounds; r++)); do
  for c in "${!files[@]}"; do
    f=${files[$c]}
    seed=$((seed0 + r * 1000 + c))
    ext=${f##*.}
    mutant="$stage/mutants/r$r-$(basename "${f%.*}")-s$seed.$ext"
    offset=0
    [ $((r % 2)) -eq 1 ] && offset=16
    editcap -E "$prob" -o "$offset" --seed "$seed" "$f" "$mutant" 2>/dev/null
    chmod 644 "$mutant"
    for mode in V json 2V 2json; do
      echo "$mutant $mode" >>"$list"
      n=$((n + 1))
    done
  done
done
chmod -R a+rX "$stage"

run() {
  local mutant=$1 mode=$2
  local out="$stage/results/$(basename "$mutant").$mode"
  if ! check_one "$mutant" "$mode" "$out" >"$out.verdict"; then
    mkdir -p "$keep"
    cp "$mutant" "$out.out" "$out.err" "$keep/" 2>/dev/null || true
  fi
}
active=0
while read -r mutant mode; do
  run "$mutant" "$mode" &
  active=$((active + 1))
  if [ "$active" -ge "$jobs" ]; then
    wait -n || true
    active=$((active - 1))
  fi
done <"$list"
wait

fails=$( (grep -l '^FAIL' "$stage"/results/*.verdict 2>/dev/null || true) | wc -l)
grep -h '^FAIL' "$stage"/results/*.verdict 2>/dev/null || true
packets=$(for f in "${files[@]}"; do capinfos -c -M "$f" 2>/dev/null | awk '/Number of packets/ {print $NF}'; done | awk '{s += $1} END {print s}')
echo "editcap-mutate: $rounds round(s) x ${#files[@]} captures ($packets packets each round), editcap -E $prob," \
     "$n tshark runs in $(( $(date +%s) - start )) s, failures: $fails${asan:+ (ASan/UBSan plugin)}"
[ "$fails" -eq 0 ] || { echo "editcap-mutate: failing mutants and outputs kept in $keep" >&2; exit 1; }
