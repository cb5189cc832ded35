#!/usr/bin/env bash
# Install the Debian packages rtnl needs, only those missing (apt-get as
# root, or through sudo). Debian 12: Wireshark 4.0, Catch2 2.13.
set -euo pipefail

packages=(
  g++ cmake make pkg-config        # build
  libwireshark-dev wireshark-dev libglib2.0-dev tshark  # the plugin and its tests
  catch2                           # unit tests
  python3 python3-yaml             # tshark test driver, schema generator check
  python3-pyroute2                 # cross-check of the decoder against pyroute2
  strace iproute2 util-linux       # rtnl-record, its tests; setpriv for tshark as nobody
  clang libbpf-dev bpftool         # rtnl-record's bpf engine (optional: built when found)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "rtnl: missing packages: ${missing[*]}; run as root or install sudo" >&2
  exit 1
fi
echo "rtnl: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
