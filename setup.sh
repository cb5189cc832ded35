#!/usr/bin/env bash
# The main job: install what is missing, build, install the plugin and
# rtnl-record, then show the seed capture filtered on the RTA_OIF = 0 story.
#   as a user: plugin -> ~/.local/lib/wireshark/plugins/<series>/epan, tools -> ~/.local/bin,
#              profile "rtnl" -> ~/.config/wireshark/profiles/rtnl
#   as root:   plugin -> Wireshark's global plugin folder (root's tshark ignores
#              personal plugins), tools -> /usr/local/bin, profile -> global profiles
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
  global_conf=$(tshark -G folders 2>/dev/null | sed -n 's/^Global configuration:[[:space:]]*//p')
  profile_dir="${global_conf:-/usr/share/wireshark}/profiles/rtnl"
else
  plugin_dir="$HOME/.local/lib/wireshark/plugins/$series/epan"
  prefix="$HOME/.local"
  profile_dir="$HOME/.config/wireshark/profiles/rtnl"
fi
cmake -S . -B build -DRTNL_PLUGIN_DIR="$plugin_dir" -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DRTNL_PROFILE_DIR="$profile_dir" >/dev/null
cmake --install build >/dev/null
echo "rtnl: installed $plugin_dir/rtnl.so, $prefix/bin/rtnl-record, rtnl-decode and the profile $profile_dir"
tshark -G plugins 2>/dev/null | grep -E '^rtnl\.so' || { echo "rtnl: tshark does not list rtnl.so" >&2; exit 1; }

echo
echo "\$ tshark -r captures/route-oif-zero.pcap -Y 'rtnl.oif == 0'"
tshark -r captures/route-oif-zero.pcap -Y 'rtnl.oif == 0' 2>/dev/null
