#!/usr/bin/env bash
# Install the Debian packages rtnl needs, only those missing (apt-get as
# root, or through sudo). Known distributions: Debian 12 (Wireshark 4.0,
# Catch2 2.13), Debian 13 (4.4, Catch2 3), Debian sid (4.6); the package
# names are the same on all three. Elsewhere it says what to install and how
# to build (RTNL_ASSUME_DEBIAN=1 tries these names anyway).
set -euo pipefail

packages=(
  g++ cmake make pkg-config        # build
  libwireshark-dev wireshark-dev libglib2.0-dev tshark  # the plugin and its tests
  catch2                           # unit tests
  python3 python3-yaml             # tshark test driver, schema generator check
  python3-pyroute2                 # cross-check of the decoder against pyroute2
  strace iproute2 util-linux       # rtnl-record, its tests; setpriv for tshark as nobody
  dpkg-dev file                    # cpack -G DEB (dpkg-shlibdeps, file)
  clang libbpf-dev bpftool         # rtnl-record's bpf engine (optional: built when found)
)

. /etc/os-release 2>/dev/null || true
case "${ID:-}:${VERSION_ID:-sid}" in
  debian:12 | debian:13 | debian:sid) ;;
  *)
    if [ "${RTNL_ASSUME_DEBIAN:-0}" != 1 ]; then
      cat >&2 <<MSG
rtnl: ${PRETTY_NAME:-this distribution} is not one rtnl knows (Debian 12, 13, sid).
Install these (Debian's names; your distribution may call them differently):
  C++20 compiler (GCC 12+ or clang), CMake 3.20+, make, pkg-config,
  Wireshark's development files (wireshark.pc, epan headers) and tshark of the same series,
  GLib 2 development files, Catch2 2.13 or 3.x, Python 3 with PyYAML and pyroute2,
  strace, iproute2, util-linux; for rtnl-record's bpf engine (optional) clang, libbpf and bpftool
  Debian names: ${packages[*]}
then build and install by hand:
  cmake -S . -B build && cmake --build build -j"\$(nproc)" && cmake --install build
or, if it is Debian-like with these package names, run again with RTNL_ASSUME_DEBIAN=1.
MSG
      exit 1
    fi
    ;;
esac

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
