#!/usr/bin/env bash
# Fuzz the decoding core for a bounded time, one worker:
#   tests/fuzz/run-fuzz.sh SECONDS [libFuzzer options...]
# Builds tests/fuzz/fuzz_core.cpp with clang and -fsanitize=fuzzer,address,undefined
# (build dir: $RTNL_FUZZ_BUILD, default /tmp/build-fuzz), seeds it with every
# packet of every capture under captures/ (make-corpus.py) and the inputs of
# tests/fuzz/regressions/, and runs it for SECONDS. The corpus it grows stays
# in $RTNL_FUZZ_WORK (default <build>/fuzz-work/corpus) and is reused by the
# next run. Crashing inputs land
# in <work>/crashes/; copy them (minimized: fuzz_core -minimize_crash=1 FILE)
# into tests/fuzz/regressions/ so the replay test keeps them fixed.
# RTNL_FUZZ_TARGET picks another target: fuzz_ring (ring, the bpf engine's
# ring-record parser, tests/fuzz/fuzz_ring.cpp, seeded with tests/fuzz/ring-seeds/
# and ring-regressions/), strace or rtmon (rtnl-record's parsers,
# tests/fuzz/fuzz_record.cpp, seeded with the real strace logs or rtmon files of
# tests/record/data, and the strace inputs of tests/fuzz/regressions-strace/);
# each has its own work dir under <build>.
# Exit status: 0 when nothing was found, non-zero otherwise.
set -euo pipefail
secs=${1:-}
[[ "$secs" =~ ^[0-9]+$ ]] || { echo "usage: $0 SECONDS [libFuzzer options...]" >&2; exit 2; }
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v clang++ >/dev/null || { echo "run-fuzz: needs clang and libclang-rt-14-dev (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
build=${RTNL_FUZZ_BUILD:-/tmp/build-fuzz}
name=${RTNL_FUZZ_TARGET:-core}
target=fuzz_${name#fuzz_}
case "$target" in
  fuzz_core) work=${RTNL_FUZZ_WORK:-$build/fuzz-work}; regressions=$root/tests/fuzz/regressions ;;
  fuzz_ring) work=${RTNL_FUZZ_WORK:-$build/fuzz-ring-work}; regressions="$root/tests/fuzz/ring-seeds $root/tests/fuzz/ring-regressions" ;;
  fuzz_strace) work=${RTNL_FUZZ_WORK:-$build/fuzz-work}/strace; regressions=$root/tests/fuzz/regressions-strace ;;
  fuzz_rtmon) work=${RTNL_FUZZ_WORK:-$build/fuzz-work}/rtmon; regressions= ;;
  *) echo "run-fuzz: RTNL_FUZZ_TARGET is core, ring, strace or rtmon" >&2; exit 2 ;;
esac

flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DRTNL_FUZZ=ON -DRTNL_BUILD_PLUGIN=OFF >/dev/null
cmake --build "$build" -j2 --target "$target"

mkdir -p "$work/corpus" "$work/seeds" "$work/crashes"
case $target in
fuzz_core)
    mapfile -t captures < <(find "$root/captures" -name '*.pcap' -o -name '*.pcapng' | sort)
    python3 "$root/tests/fuzz/make-corpus.py" "$work/seeds" "${captures[@]}" ;;
fuzz_strace) cp "$root"/tests/record/data/*.strace "$work/seeds/" ;;
fuzz_rtmon) cp "$root"/tests/record/data/*.rtmon "$work/seeds/" ;;
esac

log="$work/fuzz-$(date +%Y%m%d-%H%M%S).log"
echo "run-fuzz: $secs s, log $log"
set +e
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
  "$build/tests/fuzz/$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/crashes/" "$@" "$work/corpus" "$work/seeds" $regressions >"$log" 2>&1
status=$?
set -e
tail -n 20 "$log"
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
corpus=$(find "$work/corpus" -type f | wc -l)
crashes=$(find "$work/crashes" -type f | wc -l)
echo "run-fuzz: ${execs:-?} executions in $secs s, $cov, corpus $corpus inputs, crashes/timeouts/ooms: $crashes, exit $status"
[ "$status" -eq 0 ] && [ "$crashes" -eq 0 ]
