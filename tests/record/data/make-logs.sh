#!/bin/sh
# Re-records the strace logs of the "log shapes" set in this folder (README.md
# lists which files come from here). Run as root: each log is made inside a
# network namespace created for it ("rtnlrec-logs") and deleted afterwards; the
# machine's own namespace is never changed. Only read-only requests are sent.
# Usage: tests/record/data/make-logs.sh [NAME...]   (default: all)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
ns=rtnlrec-logs
[ "$(id -u)" = 0 ] || { echo "make-logs.sh: must run as root (network namespaces)" >&2; exit 1; }
work=$(mktemp -d)
cleanup() {
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns del "$ns" 2>/dev/null || true
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
in_ns() { ip netns exec "$ns" "$@"; }
hex="-e write=all -e read=all"
io="socket,sendmsg,recvmsg,sendto,recvfrom"

# From the netlink socket() call to the end (drops the interpreter's start-up).
from_socket() { sed -n '/socket(AF_NETLINK/,$p' "$1"; }

make_log() {
    case $1 in
    escaped-verbose-none)
        # -e verbose=none: strace prints sendto/recvfrom/write/read buffers as
        # plain escaped strings, as strace < 4.13 did for every netlink call
        in_ns strace -f -qq -ttt -xx -s 65536 -e verbose=none -e trace=socket,sendto,recvfrom,write,read \
            -o "$work/log" python3 "$here/python-socket.py"
        from_socket "$work/log" >"$here/$1.strace" ;;
    escaped-other-netns)
        # strace outside the namespace cannot tell the socket's protocol: it
        # decodes only the netlink headers and prints the rest as strings
        strace -f -qq -ttt -xx -s 65536 -e trace=$io -o "$here/$1.strace" \
            ip netns exec "$ns" ip addr show >/dev/null ;;
    escaped-with-hexdumps)
        # the same shape with the hexdumps too: the text's bytes can be checked
        # against the hexdumps' (an error reply, a dump, a single reply)
        strace -f -qq -ttt -xx -s 65536 -e trace=$io $hex -o "$here/$1.strace" \
            ip netns exec "$ns" sh -c 'ip link show nosuchdev; ip addr show; ip link show lo' >/dev/null 2>&1 || true ;;
    truncated-s32)
        # the same, cut by -s 32: "..." after the strings
        strace -f -qq -ttt -xx -s 32 -e trace=$io -o "$here/$1.strace" \
            ip netns exec "$ns" ip link show lo >/dev/null ;;
    tt-no-f)
        # -tt times of day, no -f: no pid prefixes
        in_ns strace -qq -tt -xx -s 65536 -e trace=$io $hex -o "$here/$1.strace" ip link show lo >/dev/null ;;
    r-relative)
        # -r: each time is the delta since the previous line
        in_ns strace -f -qq -r -xx -s 65536 -e trace=$io $hex -o "$here/$1.strace" ip link show lo >/dev/null ;;
    ttt-r)
        # -ttt with -r: "1795487421.476444 (+     0.000000) socket(..."
        in_ns strace -f -qq -ttt -r -xx -s 65536 -e trace=$io $hex -o "$here/$1.strace" ip link show lo >/dev/null ;;
    stderr-garbage)
        # no -o: strace's log and ip's own error message share stderr
        in_ns strace -f -qq -ttt -xx -s 65536 -e trace=$io,write $hex ip link show nosuchdev \
            2>"$here/$1.strace" >/dev/null || true ;;
    *) echo "make-logs.sh: unknown log $1" >&2; exit 2 ;;
    esac
    echo "== $1.strace" >&2
}

for name in ${*:-escaped-verbose-none escaped-other-netns escaped-with-hexdumps truncated-s32 tt-no-f r-relative ttt-r stderr-garbage}; do
    make_log "$name"
done
