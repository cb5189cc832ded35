#!/usr/bin/env bash
# Every test, in two passes through CTest:
#  1. the normal build (build/): the Catch2 unit tests of the core and of
#     rtnl-record, the schema checks, rtnl-record's live tests, the tshark tests
#     of the plugin, the replay of the fuzzing regression inputs;
#  2. the same tests built with AddressSanitizer + UndefinedBehaviorSanitizer
#     (build-asan/, -DRTNL_SANITIZE=ON; tshark runs the sanitized plugin with
#     ASan's runtime preloaded), plus one round of editcap mutation of every
#     capture through tshark (tests/fuzz/editcap-mutate.sh).
# RTNL_SANITIZE_PASS=0 runs the first pass only.
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "${RTNL_SANITIZE_PASS:-1}" != 0 ]; then
  echo "rtnl: sanitizer pass (ASan + UBSan) in build-asan/"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRTNL_SANITIZE=ON >/dev/null
  cmake --build build-asan -j "$jobs"
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
fi
