#!/usr/bin/env bash
# Memory and time on big input: builds a capture of MESSAGES netlink messages
# (default 1,000,000) by repeating every packet of captures/*.pcap
# (make-big-capture.py; the file is generated, never committed) and a quarter
# of it, then measures with /usr/bin/time -v, for both sizes:
#   tshark -n -r BIG -Y 'rtnl.oif == 0'      (single pass: every packet dissected, tree built for the filter)
#   tshark -n -2 -r BIG -Y 'rtnl.failed'     (two passes: request tracking, names)
#   rtnl-decode BIG                          (the core through the tool)
# Prints one line per run: peak RSS (MiB), wall time (s), frames shown.
#
#   tests/fuzz/bounds.sh BUILD_DIR [MESSAGES]   (BUILD_DIR: a normal build with plugin/rtnl.so, tools/decode/rtnl-decode)
# Output files go to $RTNL_BOUNDS_DIR (default /tmp/rtnl-bounds), removed unless RTNL_BOUNDS_KEEP=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: $0 BUILD_DIR [MESSAGES]}" && pwd)
want=${2:-1000000}
dir=${RTNL_BOUNDS_DIR:-/tmp/rtnl-bounds}
plugin=$build/plugin/rtnl.so
decode=$build/tools/decode/rtnl-decode
[ -f "$plugin" ] && [ -x "$decode" ] || { echo "bounds: need $plugin and $decode" >&2; exit 2; }

mkdir -p "$dir"
[ "${RTNL_BOUNDS_KEEP:-0}" = 1 ] || trap 'rm -rf "$dir"' EXIT
chmod 755 "$dir"
series=$(tshark --version 2>/dev/null | sed -n '1s/.* \([0-9]*\.[0-9]*\)\.[0-9]*.*/\1/p')
mkdir -p "$dir/plugins/$series/epan" "$dir/home"
cp "$plugin" "$dir/plugins/$series/epan/rtnl.so"
mapfile -t captures < <(find "$root/captures" -name '*.pcap' | sort)
python3 "$root/tests/fuzz/make-big-capture.py" "$dir/big.pcap" "$want" "${captures[@]}"
python3 "$root/tests/fuzz/make-big-capture.py" "$dir/quarter.pcap" $((want / 4)) "${captures[@]}"
chmod -R a+rX "$dir"

as_user=(env -i PATH="$PATH" LANG=C.UTF-8 HOME="$dir/home" WIRESHARK_PLUGIN_DIR="$dir/plugins")
[ "$(id -u)" -eq 0 ] && as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups "${as_user[@]}")

measure() {  # label, command...
  local label=$1; shift
  local log="$dir/time.log"
  /usr/bin/time -v -o "$log" "$@" >"$dir/out.txt" 2>"$dir/err.txt" || { echo "bounds: $label failed" >&2; cat "$dir/err.txt" >&2; exit 1; }
  local rss wall lines
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
  lines=$(wc -l <"$dir/out.txt")
  printf '%-44s peak RSS %6s MiB  wall %7.1f s  output lines %s\n' "$label" "$rss" "$wall" "$lines"
}

for f in quarter big; do
  measure "tshark -Y 'rtnl.oif == 0' ($f)" "${as_user[@]}" tshark -n -r "$dir/$f.pcap" -Y 'rtnl.oif == 0'
  measure "tshark -2 -Y rtnl.failed ($f)" "${as_user[@]}" tshark -n -2 -r "$dir/$f.pcap" -Y 'rtnl.failed'
  measure "rtnl-decode ($f)" "$decode" "$dir/$f.pcap"
done
