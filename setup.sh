#!/usr/bin/env bash
# The main job: install what is missing, build, install the plugin and
# rtnl-record, then show the seed capture filtered on the RTA_OIF = 0 story.
#   as a user: plugin -> ~/.local/lib/wireshark/plugins/<series>/epan, tools -> ~/.local/bin
#   as root:   plugin -> Wireshark's global plugin folder (root's tshark ignores
#              personal plugins), tools -> /usr/local/bin
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"

series=$(tshark --version | sed -n '1s/.* \([0-9]*\.[0-9]*\)\.[0-9]*.*/\1/p')
if [ "$(id -u)" -eq 0 ]; then
  plugin_dir=$(pkg-config --variable=plugindir wireshark 2>/dev/null || true)
  [ -n "$plugin_dir" ] || plugin_dir="/usr/lib/$(gcc -print-multiarch)/wireshark/plugins/$series"
  plugin_dir="$plugin_dir/epan"
  prefix=/usr/local
else
  plugin_dir="$HOME/.local/lib/wireshark/plugins/$series/epan"
  prefix="$HOME/.local"
fi
cmake -S . -B build -DRTNL_PLUGIN_DIR="$plugin_dir" -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --install build >/dev/null
echo "rtnl: installed $plugin_dir/rtnl.so and $prefix/bin/rtnl-record"
tshark -G plugins 2>/dev/null | grep -E '^rtnl\.so' || { echo "rtnl: tshark does not list rtnl.so" >&2; exit 1; }

echo
echo "\$ tshark -r captures/route-oif-zero.pcap -Y 'rtnl.oif == 0'"
tshark -r captures/route-oif-zero.pcap -Y 'rtnl.oif == 0' 2>/dev/null
