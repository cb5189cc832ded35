#!/bin/sh
# captures/lib/capture.sh for real (root, strace): a builder script that
# sources it records into a fresh namespace, fails when the recorded command
# fails, and leaves no namespace or temp folder behind; veth_pair across two
# namespaces; cap_cc compiles a program on captures/lib/netlink.h.
# Usage: test_capture_lib.sh REPO RTNL_RECORD RTNL_DECODE. Exit 77 (skipped)
# without root or strace.
set -eu
repo=$1
export RTNL_RECORD=$2
decode=$3
[ "$(id -u)" = 0 ] || { echo "skipped: needs root (network namespaces)"; exit 77; }
command -v strace >/dev/null || { echo "skipped: strace is not installed"; exit 77; }
strace -o /dev/null true 2>/dev/null || { echo "skipped: ptrace is not permitted here"; exit 77; }

export RTNL_NS_PREFIX=rtnllibtest-$$-
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# a builder as the real ones are written; $1: what to record
cat >"$t/builder.sh" <<'B'
set -eu
repo=$1
out=$2
. "$repo/captures/lib/capture.sh"
cap_begin test-builder
echo "work=$work"
fresh_ns a
fresh_ns b
lo_up a
veth_pair a x0 x1 b
in_ns b ip -o link show x1 | grep -q 'x1@' || die "x1 is not in namespace b"
in_ns a ip -o link show x0 | grep -q 'state UP' || die "x0 is not up"
cap_cc interleaved "$repo/captures/analysis/programs/interleaved.c"
[ -x "$work/interleaved" ] || die "cap_cc made nothing"
case $3 in
ok) record a "$out" "$work/interleaved" ;;
fails) record a "$out" ip route del 10.99.0.0/24 dev lo ;;
esac
echo "after record"
B

# 1. a command that succeeds (the program compiled by cap_cc): its four
# requests, in its order, as pcapng with comments naming the process
sh "$t/builder.sh" "$repo" "$t/ok.pcapng" ok >"$t/ok.out" 2>"$t/ok.err" || fail "builder failed: $(cat "$t/ok.err")"
grep -qx 'after record' "$t/ok.out" || fail "the builder stopped after a successful record"
"$decode" "$t/ok.pcapng" | sed -n 's/^frame [0-9]* user->kernel //p' >"$t/ok.txt"
printf '%s\n' 'RTM_GETLINK dump' 'RTM_NEWADDR add 1: lo inet 10.50.0.1/32 scope global' \
    'RTM_NEWROUTE add 10.60.0.0/24 dev lo table main proto boot scope link' \
    'RTM_DELROUTE del 10.77.0.0/24 dev lo table main scope nowhere' >"$t/want.txt"
cmp -s "$t/ok.txt" "$t/want.txt" || fail "requests recorded: $(cat "$t/ok.txt")"
grep -q '(interleaved) sendmsg fd' "$t/ok.pcapng" || fail "no per-packet comment naming the program"

# 2. a command that fails: the builder stops with the library's message
if sh "$t/builder.sh" "$repo" "$t/fails.pcap" fails >"$t/fails.out" 2>"$t/fails.err"; then
    fail "the builder succeeded although the recorded command failed"
fi
grep -qx 'test-builder: fails: the recorded command failed' "$t/fails.err" ||
    fail "no failure message: $(cat "$t/fails.err")"
grep -q 'after record' "$t/fails.out" && fail "the builder went on after a failed record"

# 3. nothing left behind, after success and after failure
left=$(ip netns list | grep -c "^$RTNL_NS_PREFIX" || true)
[ "$left" = 0 ] || fail "namespaces left behind: $(ip netns list | grep "^$RTNL_NS_PREFIX")"
for f in ok fails; do
    w=$(sed -n 's/^work=//p' "$t/$f.out")
    [ -n "$w" ] && [ ! -e "$w" ] || fail "temp folder $w left behind"
done
echo "capture library: all checks passed"
