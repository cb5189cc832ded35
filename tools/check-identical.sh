#!/usr/bin/env bash
# Saves what a build shows of every capture under captures/, so that a
# refactoring can be checked to change none of it:
#   tools/check-identical.sh BUILD OUT [REFERENCE]
# writes into OUT, per capture, rtnl-decode's lines, -V and --json, tshark -V,
# tshark -T json, tshark's rtnl statistics (-2 -q -z rtnl,tree), the
# expert infos of one and two passes without a tree shown (-q -z expert),
# filters on fields at the top and deep inside nests and on expert infos
# (-Y, one pass and -2) and -T fields with rtnl fields, with BUILD's
# rtnl-decode and rtnl.so; with REFERENCE (an OUT of an earlier run)
# it then compares byte for byte and exits 1 on any difference.
# tshark runs with the plugin staged in a private WIRESHARK_PLUGIN_DIR, as
# the tests do (tests/tshark/tshark_harness.py), and as nobody under root.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BUILD OUT [REFERENCE]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
out=$2
ref=${3:-}
decode=$build/tools/decode/rtnl-decode
plugin=$build/plugin/rtnl.so
for f in "$decode" "$plugin"; do [ -f "$f" ] || { echo "$0: no $f" >&2; exit 2; }; done

stage=$(mktemp -d /tmp/rtnl-identical.XXXXXX)
trap 'rm -rf "$stage"' EXIT
series=$(tshark --version | sed -n 's/^TShark[^0-9]*\([0-9]*\.[0-9]*\).*/\1/p' | head -1)
mkdir -p "$stage/plugins/$series/epan" "$stage/home"
cp "$plugin" "$stage/plugins/$series/epan/rtnl.so"
(cd "$root" && find captures -name '*.pcap' -o -name '*.pcapng') | sort > "$stage/list"
while read -r c; do mkdir -p "$stage/$(dirname "$c")"; cp "$root/$c" "$stage/$c"; done < "$stage/list"
chmod -R a+rX "$stage"

run_tshark() {
  local env=(env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$stage/home" WIRESHARK_PLUGIN_DIR="$stage/plugins")
  if [ "$(id -u)" = 0 ]; then
    (cd "$stage" && setpriv --reuid=nobody --regid=nogroup --clear-groups "${env[@]}" tshark "$@")
  else
    (cd "$stage" && "${env[@]}" tshark "$@")
  fi
}

# Top-level fields, the hidden twins, fields deep inside nests (link
# statistics, IFLA_AF_SPEC's devconf, link-info, multipath, an indexed
# array's entries: a tc filter's actions) and expert infos.
filters=('rtnl.oif == 0'
         'rtnl.ifindex == 1 || rtnl.ifname == "lo" || rtnl.addr || rtnl.addr6'
         'rtnl.ifla.stats64.rx_packets > 0 || rtnl.ifla.inet6.conf.disable_ipv6 == 0 || rtnl.ifla.info.kind'
         'rtnl.rta.multipath || rtnl.rta.via || rtnl.attr.type == 3'
         '_ws.expert'
         'rtnl.expert.unknown_attr || rtnl.expert.malformed.attr_len_short || rtnl.expert.ifindex_unknown || _ws.expert.severity == error'
         'rtnl.tca.act.kind')
fields=(-e rtnl.type -e rtnl.seq -e rtnl.rta.oif -e rtnl.ifla.ifname -e rtnl.oif -e rtnl.ifla.stats64.rx_packets
        -e rtnl.ifla.info.kind -e rtnl.ifla.inet6.conf.disable_ipv6 -e _ws.expert -e frame.number)

mkdir -p "$out"
while read -r c; do
  name=${c//\//_}
  "$decode" "$root/$c" > "$out/$name.decode" 2>&1 || echo "exit $?" >> "$out/$name.decode"
  "$decode" -V "$root/$c" > "$out/$name.decode-V" 2>&1 || echo "exit $?" >> "$out/$name.decode-V"
  "$decode" --json "$root/$c" > "$out/$name.decode-json" 2>&1 || echo "exit $?" >> "$out/$name.decode-json"
  run_tshark -r "$c" -V > "$out/$name.tshark-V" 2>&1 || echo "exit $?" >> "$out/$name.tshark-V"
  run_tshark -r "$c" -T json > "$out/$name.tshark-json" 2>&1 || echo "exit $?" >> "$out/$name.tshark-json"
  run_tshark -2 -r "$c" -q -z rtnl,tree > "$out/$name.tshark-stats" 2>&1 || echo "exit $?" >> "$out/$name.tshark-stats"
  run_tshark -r "$c" -q -z expert > "$out/$name.tshark-expert" 2>&1 || echo "exit $?" >> "$out/$name.tshark-expert"
  run_tshark -2 -r "$c" -q -z expert > "$out/$name.tshark-expert2" 2>&1 || echo "exit $?" >> "$out/$name.tshark-expert2"
  for i in "${!filters[@]}"; do
    run_tshark -r "$c" -Y "${filters[$i]}" > "$out/$name.tshark-Y$i" 2>&1 || echo "exit $?" >> "$out/$name.tshark-Y$i"
    run_tshark -2 -r "$c" -Y "${filters[$i]}" > "$out/$name.tshark-2Y$i" 2>&1 || echo "exit $?" >> "$out/$name.tshark-2Y$i"
  done
  run_tshark -r "$c" -T fields "${fields[@]}" > "$out/$name.tshark-fields" 2>&1 || echo "exit $?" >> "$out/$name.tshark-fields"
done < "$stage/list"
echo "$0: $(wc -l < "$stage/list") captures, $(ls "$out" | wc -l) outputs in $out"
if [ -n "$ref" ]; then
  if diff -r "$ref" "$out" > "$stage/diff"; then
    echo "$0: identical to $ref"
  else
    head -50 "$stage/diff"
    echo "$0: DIFFERENT from $ref" >&2
    exit 1
  fi
fi
