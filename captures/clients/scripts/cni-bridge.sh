#!/bin/sh
# cni-bridge.pcapng, the recorded part: Debian's CNI bridge plugin (with
# host-local IPAM) run as a container runtime runs it - the network config on
# stdin, the rest in CNI_* variables - for one container whose network
# namespace is $1 (a path, /run/netns/NAME): ADD, ADD again, DEL, DEL again.
# $2: a folder for host-local's allocations. Exit 0 when each step gave the
# expected status (the second ADD fails: eth0 already exists in the container).
set -u
netns=$1
ipam_dir=$2
conf='{
  "cniVersion": "1.0.0",
  "name": "rtnl",
  "type": "bridge",
  "bridge": "cni0",
  "isGateway": true,
  "ipMasq": false,
  "ipam": {
    "type": "host-local",
    "subnet": "10.22.0.0/24",
    "routes": [{"dst": "0.0.0.0/0"}],
    "dataDir": "'"$ipam_dir"'"
  }
}'
cni() {
    echo "== CNI_COMMAND=$1" >&2
    printf '%s\n' "$conf" | CNI_COMMAND=$1 CNI_CONTAINERID=rtnl-container-1 CNI_NETNS=$netns \
        CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/bridge
}
expect() {  # expect STATUS COMMAND...
    want=$1
    shift
    "$@"
    got=$?
    echo >&2
    [ "$got" = "$want" ] || { echo "cni-bridge.sh: $*: exit status $got, expected $want" >&2; exit 1; }
}
expect 0 cni ADD
if cni ADD; then echo "cni-bridge.sh: the second ADD succeeded, expected a failure" >&2; exit 1; fi
echo >&2
expect 0 cni DEL
expect 0 cni DEL
