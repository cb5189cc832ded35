#!/bin/sh
# Rebuilds the captures in captures/kube/ (issue 13: real clients of
# Kubernetes network backends). Run as root; needs strace, golang-go,
# golang-github-vishvananda-netlink-dev and Debian's python3-pyroute2.
#
# Every capture is recorded by rtnl-record inside a fresh network namespace
# "rtnl13-cap" created for it and deleted afterwards; the machine's own
# network namespace is never changed.
#
# Usage: captures/kube/make.sh [NAME...]     (default: all)
#   NAME: go-netlink pyroute2-echo
# Environment: RTNL_RECORD=path/to/rtnl-record (default: compiled from tools/record).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
ns=rtnl13-cap

[ "$(id -u)" = 0 ] || { echo "make.sh: must run as root (network namespaces)" >&2; exit 1; }

work=$(mktemp -d)
cleanup() {
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${RTNL_RECORD:-}" ]; then
    record=$RTNL_RECORD
else
    record=$work/rtnl-record
    ${CXX:-g++} -std=c++20 -O2 -Wall -I"$repo/tools/record" -o "$record" "$repo"/tools/record/*.cpp
fi

record() {
    name=$1
    shift
    echo "== $name" >&2
    ip netns del "$ns" 2>/dev/null || true
    ip netns add "$ns"
    ip netns exec "$ns" "$record" -w "$here/$name.pcap" -- "$@"
}

cap_go_netlink() {
    # Debian's library, built offline from /usr/share/gocode
    (cd "$here/programs/go-netlink" && HOME=$work GOCACHE=$work/go-cache GO111MODULE=off \
        GOPATH=/usr/share/gocode CGO_ENABLED=0 go build -o "$work/go-netlink" .)
    record go-netlink "$work/go-netlink"
}

cap_pyroute2_echo() {
    record pyroute2-echo /usr/bin/python3 "$here/programs/pyroute2-echo.py"
}

selected=${*:-go-netlink pyroute2-echo}
for c in $selected; do
    case $c in
    go-netlink) cap_go_netlink ;;
    pyroute2-echo) cap_pyroute2_echo ;;
    *) echo "make.sh: unknown capture $c" >&2; exit 2 ;;
    esac
done
