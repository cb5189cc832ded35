#!/bin/sh
# Rebuilds the captures in captures/kube/ (issue 13: real clients of
# Kubernetes network backends). Run as root; needs strace, golang-go,
# golang-github-vishvananda-netlink-dev and Debian's python3-pyroute2.
#
# Every capture is recorded by rtnl-record (strace engine, classic pcap) with
# the capture library (captures/lib/capture.sh) inside a fresh network
# namespace created for it and deleted afterwards; the machine's own network
# namespace is never changed.
#
# Usage: captures/kube/make.sh [NAME...]     (default: all)
#   NAME: go-netlink pyroute2-echo
# Environment: RTNL_RECORD=path/to/rtnl-record (default: built with CMake),
# RTNL_NS_PREFIX (namespace name prefix, default rtnlcap-).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
. "$repo/captures/lib/capture.sh"
cap_begin kube/make.sh

cap_go_netlink() {
    # Debian's library, built offline from /usr/share/gocode
    (cd "$here/programs/go-netlink" && HOME=$work GOCACHE=$work/go-cache GO111MODULE=off \
        GOPATH=/usr/share/gocode CGO_ENABLED=0 go build -o "$work/go-netlink" .)
    fresh_ns kube
    record kube "$here/go-netlink.pcap" "$work/go-netlink"
}

cap_pyroute2_echo() {
    fresh_ns kube
    record kube "$here/pyroute2-echo.pcap" /usr/bin/python3 "$here/programs/pyroute2-echo.py"
}

selected=${*:-go-netlink pyroute2-echo}
for c in $selected; do
    case $c in
    go-netlink) cap_go_netlink ;;
    pyroute2-echo) cap_pyroute2_echo ;;
    *) die "unknown capture $c" ;;
    esac
done
