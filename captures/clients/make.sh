#!/bin/sh
# Rebuilds the real-client captures in captures/clients/: traffic of programs
# we did not write - Debian's vishvananda/netlink Go library, Debian's CNI
# bridge + host-local plugins, pyroute2's IPRoute - recorded by rtnl-record as
# pcapng (each packet's comment names its process, syscall and fd) inside
# network namespaces made for each capture and deleted afterwards.
# Run as root; needs strace, iproute2, golang-go,
# golang-github-vishvananda-netlink-dev, containernetworking-plugins,
# python3-pyroute2 (all Debian packages; the Go program builds offline from them).
#
# Usage: captures/clients/make.sh [NAME...]     (default: all)
#   NAME: go-link-addr go-route-del go-route-subscribe go-link-by-name
#         cni-bridge pyroute2-iproute pyroute2-echo
# Environment: RTNL_RECORD (default: rtnl-record compiled from tools/record),
# RTNL_NS_PREFIX (namespace name prefix, default rtnlcap-).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
. "$repo/captures/lib/capture.sh"
cap_begin clients/make.sh

go_client=$work/netlink-client
go_client() {
    [ -x "$go_client" ] && return
    GO111MODULE=off GOPATH=/usr/share/gocode CGO_ENABLED=0 GOCACHE=$work/gocache \
        go build -o "$go_client" "$here/go/netlink-client.go"
}
python=/usr/bin/python3  # Debian's, with python3-pyroute2

# ns with lo up and veth0 (10.30.0.1/24) - veth1, both up
go_ns() {
    fresh_ns go
    lo_up go
    veth_pair go veth0 veth1
    in_ns go ip addr add 10.30.0.1/24 dev veth0
}

cap_go_link_addr() {
    go_client
    fresh_ns go
    lo_up go
    record go "$here/go-link-addr.pcapng" "$go_client" link-addr
}

cap_go_route_del() {
    go_client
    go_ns
    record go "$here/go-route-del.pcapng" "$go_client" route-del
}

cap_go_route_subscribe() {
    go_client
    go_ns
    record go "$here/go-route-subscribe.pcapng" "$go_client" subscribe
}

cap_go_link_by_name() {
    go_client
    go_ns
    record go "$here/go-link-by-name.pcapng" "$go_client" link-by-name
}

# the runtime's side (cni0 appears here) and the container's own namespace
cap_cni_bridge() {
    fresh_ns cni-host
    fresh_ns cni-container
    lo_up cni-host
    lo_up cni-container
    mkdir "$work/ipam"
    record cni-host "$here/cni-bridge.pcapng" sh "$here/scripts/cni-bridge.sh" "/run/netns/$(ns_name cni-container)" "$work/ipam"
}

cap_pyroute2_iproute() {
    fresh_ns py
    lo_up py
    record py "$here/pyroute2-iproute.pcapng" "$python" "$here/scripts/pyroute2-iproute.py"
}

cap_pyroute2_echo() {
    fresh_ns py
    lo_up py
    record py "$here/pyroute2-echo.pcapng" "$python" "$here/scripts/pyroute2-echo.py"
}

all="go-link-addr go-route-del go-route-subscribe go-link-by-name cni-bridge pyroute2-iproute pyroute2-echo"
for c in ${*:-$all}; do
    case $c in
    go-link-addr) cap_go_link_addr ;;
    go-route-del) cap_go_route_del ;;
    go-route-subscribe) cap_go_route_subscribe ;;
    go-link-by-name) cap_go_link_by_name ;;
    cni-bridge) cap_cni_bridge ;;
    pyroute2-iproute) cap_pyroute2_iproute ;;
    pyroute2-echo) cap_pyroute2_echo ;;
    *) die "unknown capture $c (one of: $all)" ;;
    esac
done
