#!/usr/bin/env bash
# The build matrix: this source tree in minimal Debian roots, each with its
# own Wireshark (trixie: 4.4, sid: 4.6).
#   scripts/matrix.sh [SUITE...]        default: trixie sid
# For each suite, under the cache folder (RTNL_MATRIX_CACHE, default
# /var/cache/rtnl-matrix; nothing outside it changes on the host):
#   base-SUITE    debootstrap --variant=minbase, made once, then left pristine
#   build-SUITE   a copy of base with the build packages (scripts/install-deps.sh),
#                 kept between runs: ./setup.sh, RTNL_SANITIZE_PASS=0 ./run-tests.sh,
#                 cpack -G DEB
#   clean-SUITE   a fresh copy of base for each run: apt-get install ./the.deb,
#                 tshark -G plugins, the seed filter, apt-get purge, nothing left
# Every command in a root runs in a private mount namespace (unshare -m) with
# /proc, /sys, /dev and a fresh /run and /tmp: the mounts, and any network
# namespace a test makes, vanish with it. Needs root, debootstrap, unshare.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
cache=${RTNL_MATRIX_CACHE:-/var/cache/rtnl-matrix}
mirror=${RTNL_MATRIX_MIRROR:-http://deb.debian.org/debian}
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(trixie sid)

say() { echo "matrix: $*"; }
die() { echo "matrix: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "needs debootstrap (apt-get install debootstrap)"
command -v unshare >/dev/null || die "needs unshare (util-linux)"

# in_root ROOT CMD...: CMD inside ROOT, as root, in its own mount namespace.
. scripts/lib/matrix-root.sh

shared=""
[ -d "$src/../shared" ] && shared=$(cd "$src/../shared" && pwd)

# base-SUITE: made once.
make_base() {
    local suite=$1 base=$cache/base-$1
    if [ ! -d "$base" ]; then
        say "$suite: debootstrap --variant=minbase $suite (once)"
        rm -rf "$base.partial"
        debootstrap --variant=minbase "$suite" "$base.partial" "$mirror" >"$cache/debootstrap-$suite.log" 2>&1 ||
            die "$suite: debootstrap failed, see $cache/debootstrap-$suite.log"
        mv "$base.partial" "$base"
    fi
    apt_conf "$suite" "$base"
    ls "$base"/var/lib/apt/lists/*_Packages* >/dev/null 2>&1 || in_root "$base" apt-get update -qq
}

# sid's Release file on the mirror is past its Valid-Until date.
apt_conf() {
    if [ "$1" = sid ]; then
        echo 'Acquire::Check-Valid-Until "false";' >"$2/etc/apt/apt.conf.d/99rtnl-valid-until"
    fi
}

# A root is copied whole: cp -a keeps owners, modes and links.
copy_root() {
    rm -rf "$2.partial" "$2"
    cp -a "$1" "$2.partial"
    mv "$2.partial" "$2"
}

# The source tree into ROOT/src/rtnl (copy_tree keeps the root's build folders).
copy_source() {
    mkdir -p "$1/src/shared"
    copy_tree "$src" "$1/src/rtnl"
}

run_suite() {
    local suite=$1 build=$cache/build-$1 clean=$cache/clean-$1 t0=$SECONDS
    make_base "$suite"
    [ -d "$build" ] || { say "$suite: build root from base"; copy_root "$cache/base-$suite" "$build"; }
    apt_conf "$suite" "$build"
    copy_source "$build"
    say "$suite: install-deps, setup.sh, tests, package"
    in_root "$build" /bin/bash -euc '
        cd /src/rtnl
        scripts/install-deps.sh
        echo "matrix: $(tshark --version | head -1), $(gcc --version | head -1)"
        ./setup.sh
        RTNL_SANITIZE_PASS=0 ./run-tests.sh
        rm -f build/*.deb
        cmake -S . -B build -DRTNL_PACKAGE=ON >/dev/null
        (cd build && cpack -G DEB >/dev/null)
        cmake -S . -B build -DRTNL_PACKAGE=OFF >/dev/null
        ls build/*.deb'
    local deb
    deb=$(ls "$build"/src/rtnl/build/*.deb)
    say "$suite: built $(basename "$deb")"

    say "$suite: install the package into a clean root"
    copy_root "$cache/base-$suite" "$clean"
    mkdir -p "$clean/src/rtnl/captures"
    cp "$deb" "$clean/root/"
    cp "$src/captures/route-oif-zero.pcap" "$clean/src/rtnl/captures/"
    in_root "$clean" /bin/bash -euc '
        cd /root
        apt-get install -y -qq ./*.deb tshark >/dev/null
        version=$(dpkg-query -W -f="\${Version}" wireshark-plugin-rtnl)
        dpkg-query -L wireshark-plugin-rtnl >/root/files
        echo "matrix: installed wireshark-plugin-rtnl $version:"
        grep -E "/(rtnl\.so|rtnl-record|rtnl-decode|preferences|rtnl-record\.md)$" /root/files | sed "s/^/  /"
        listed=$(tshark -G plugins | grep -E "^rtnl\.so")
        echo "  tshark -G plugins: $listed"
        printf "%s\n" "$listed" | grep -qE "^rtnl\.so[[:space:]]+$version[[:space:]]+dissector[[:space:]]+/usr/lib/.*/plugins/[0-9.]+/epan/rtnl\.so$" ||
            { echo "matrix: tshark -G plugins does not list rtnl.so $version as a dissector in the global folder" >&2; exit 1; }
        cd /src/rtnl
        tshark -r captures/route-oif-zero.pcap -Y "rtnl.oif == 0" | tee /root/seed
        [ "$(awk "{print \$1}" /root/seed | tr "\n" " ")" = "11 12 " ] ||
            { echo "matrix: the seed filter does not print frames 11 and 12" >&2; exit 1; }
        rtnl-decode captures/route-oif-zero.pcap | grep -q "RTM_DELROUTE" || { echo "matrix: rtnl-decode" >&2; exit 1; }
        rtnl-record --help >/dev/null
        apt-get purge -y -qq wireshark-plugin-rtnl >/dev/null
        ! dpkg-query -W -f="\${Status}" wireshark-plugin-rtnl 2>/dev/null | grep -q installed ||
            { echo "matrix: still installed after purge" >&2; exit 1; }
        left=$(while read -r f; do [ -f "$f" ] || [ -L "$f" ] && echo "$f"; done </root/files || true)
        for d in /usr/share/wireshark/profiles/rtnl /usr/share/doc/wireshark-plugin-rtnl; do
            [ ! -e "$d" ] || left="$left $d"
        done
        [ -z "$left" ] || { echo "matrix: left after purge: $left" >&2; exit 1; }
        tshark -G plugins | grep -q "^rtnl\.so" && { echo "matrix: tshark still lists rtnl.so" >&2; exit 1; }
        echo "matrix: purged, nothing of it left"'
    rm -rf "$clean"
    say "$suite: passed in $((SECONDS - t0)) s"
}

mkdir -p "$cache"
for suite in "${suites[@]}"; do
    run_suite "$suite"
done
say "all passed: ${suites[*]} in $SECONDS s"
