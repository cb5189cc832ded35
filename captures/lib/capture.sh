# The capture library: what every capture builder (captures/*/make.sh,
# captures/make-captures.sh) and bench/run.sh share. POSIX sh; source it with
# `. "$repo/captures/lib/capture.sh"` under `set -eu` ($repo: the repository's
# top folder), then call cap_begin.
#
#   cap_begin TOOL         cap_checks, cap_temp TOOL, cap_recorder
#   cap_checks             root, strace and ip are there (or die)
#   cap_temp TOOL          makes the temp folder $work and sets the traps that
#                          clean up at exit (or Ctrl-C); for a user that may not
#                          need root (bench/run.sh reusing its captures)
#   die MESSAGE            "TOOL: MESSAGE" on stderr, exit 1
#   on_exit SHELL-TEXT     run SHELL-TEXT at exit (latest first), before $work goes
#   cap_recorder           sets $recorder: $RTNL_RECORD, else rtnl-record built
#                          by CMake in $work
#   cap_cc NAME SOURCE.c   compiles a C program into $work/NAME (with captures/lib
#                          on the include path, for netlink.h)
#   fresh_ns NS            (re)creates the network namespace $(ns_name NS), which is
#                          deleted at exit; ns_name NS prints the full name;
#                          drop_ns NS deletes it now
#   in_ns NS COMMAND...    runs COMMAND in it; setup NS SHELL-TEXT runs sh -e -c
#   lo_up NS               loopback up
#   veth_pair NS A B [NS2] veth pair A (in NS) - B (in NS2, default NS), both up
#   one_pair_addressed NS  lo up; veth0 - veth1; 10.0.0.1/24, 2001:db8::1/64 on veth0
#   two_pairs_addressed NS lo up; veth0 - veth1, veth2 - veth3; 10.1.0.1/24 and
#                          2001:db8:a::1/64 on veth0, 10.2.0.1/24 and 2001:db8:b::1/64 on veth2
#   record NS OUT COMMAND...
#                          runs COMMAND in NS under rtnl-record ($record_opts:
#                          more options for it, e.g. -q; default $RTNL_RECORD_OPTS),
#                          engine $record_engine (default $RTNL_ENGINE, else
#                          strace: what the committed captures were made with),
#                          writing OUT (pcapng, each packet's comment naming its
#                          process, syscall and fd, when OUT ends in .pcapng);
#                          with strace, its log stays in $work/<OUT's base
#                          name>.strace. Fails when COMMAND fails.
#   record_bg NS OUT COMMAND...
#                          the same in the background; record_wait waits for it
#
# Namespace names are ${RTNL_NS_PREFIX:-rtnlcap-}NS: a prefix per user of the
# machine keeps concurrent builders apart. Nothing here touches the machine's
# own network namespace.

die() {
    echo "$cap_tool: $*" >&2
    exit 1
}

cap_begin() {
    cap_tool=$1
    cap_checks
    cap_temp "$1"
    cap_recorder
}

cap_checks() {
    [ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
    command -v strace >/dev/null || die "strace not found"
    command -v ip >/dev/null || die "ip (iproute2) not found"
}

cap_temp() {
    cap_tool=$1
    record_opts=${record_opts:-${RTNL_RECORD_OPTS:-}}
    record_engine=${record_engine:-${RTNL_ENGINE:-strace}}
    work=$(mktemp -d "${TMPDIR:-/tmp}/rtnl-captures.XXXXXX")
    cap_exit_hooks=
    cap_namespaces=
    cap_bg_pid=
    trap cap_cleanup EXIT
    trap 'exit 130' INT TERM
}

on_exit() { cap_exit_hooks="$1
$cap_exit_hooks"; }

cap_cleanup() {
    status=$?
    set +e
    if [ -n "$cap_exit_hooks" ]; then eval "$cap_exit_hooks"; fi
    if [ -n "$cap_bg_pid" ]; then wait "$cap_bg_pid"; fi
    for n in $cap_namespaces; do ip netns del "$n" 2>/dev/null; done
    rm -rf "$work"
    exit $status
}

cap_recorder() {
    if [ -n "${RTNL_RECORD:-}" ]; then
        recorder=$RTNL_RECORD
    else
        echo "$cap_tool: building rtnl-record (CMake, in the temp folder)" >&2
        cmake -S "$repo" -B "$work/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRTNL_BUILD_PLUGIN=OFF \
            -DRTNL_BUILD_TESTS=OFF >"$work/build.log" 2>&1 &&
            cmake --build "$work/build" -j 2 --target rtnl-record >>"$work/build.log" 2>&1 ||
            { cat "$work/build.log" >&2; die "building rtnl-record failed"; }
        recorder=$work/build/tools/record/rtnl-record
    fi
}

cap_cc() { ${CC:-cc} -O2 -Wall -I"$repo/captures/lib" -o "$work/$1" "$2"; }

ns_name() { echo "${RTNL_NS_PREFIX:-rtnlcap-}$1"; }

fresh_ns() {
    cap_ns=$(ns_name "$1")
    ip netns del "$cap_ns" 2>/dev/null || true
    ip netns add "$cap_ns"
    case " $cap_namespaces " in *" $cap_ns "*) ;; *) cap_namespaces="$cap_namespaces $cap_ns" ;; esac
}

drop_ns() { ip netns del "$(ns_name "$1")"; }

in_ns() {
    cap_ns=$(ns_name "$1")
    shift
    ip netns exec "$cap_ns" "$@"
}

setup() { in_ns "$1" sh -e -c "$2"; }

lo_up() { in_ns "$1" ip link set lo up; }

veth_pair() {
    in_ns "$1" ip link add "$2" type veth peer name "$3" ${4:+netns "$(ns_name "$4")"}
    in_ns "$1" ip link set "$2" up
    in_ns "${4:-$1}" ip link set "$3" up
}

# IPv6 addresses with nodad: usable at once, no DAD traffic in the captures
one_pair_addressed() {
    lo_up "$1"
    veth_pair "$1" veth0 veth1
    in_ns "$1" ip addr add 10.0.0.1/24 dev veth0
    in_ns "$1" ip addr add 2001:db8::1/64 dev veth0 nodad
}

two_pairs_addressed() {
    lo_up "$1"
    veth_pair "$1" veth0 veth1
    veth_pair "$1" veth2 veth3
    in_ns "$1" ip addr add 10.1.0.1/24 dev veth0
    in_ns "$1" ip addr add 10.2.0.1/24 dev veth2
    in_ns "$1" ip addr add 2001:db8:a::1/64 dev veth0 nodad
    in_ns "$1" ip addr add 2001:db8:b::1/64 dev veth2 nodad
}

# OUT's base name without extension: names the strace log and the success marker
cap_base() {
    cap_base=$(basename "$1")
    cap_base=${cap_base%.*}
}

# cap_recording NS OUT COMMAND...: rtnl-record running COMMAND in NS; the
# marker $work/<base>.ok appears when COMMAND succeeded
cap_recording() {
    cap_recording_ns=$1
    cap_out=$2
    shift 2
    cap_format=
    case $cap_out in *.pcapng) cap_format=--pcapng ;; esac
    cap_log=
    [ "$record_engine" != strace ] || cap_log="--strace-log $work/$cap_base.strace"
    rm -f "$work/$cap_base.ok"
    cap_rc=0
    in_ns "$cap_recording_ns" "$recorder" --engine "$record_engine" $record_opts $cap_format $cap_log -w "$cap_out" -- \
        sh -c '"$@" && : >"$0"' "$work/$cap_base.ok" "$@" || cap_rc=$?
    # RTNL_STRACE_LOGS=DIR keeps strace's log of each recording there
    if [ -n "${RTNL_STRACE_LOGS:-}" ] && [ -n "$cap_log" ]; then cp "$work/$cap_base.strace" "$RTNL_STRACE_LOGS/"; fi
    return "$cap_rc"
}

# cap_succeeded BASE STATUS: the recorded command left its marker, and
# rtnl-record (STATUS) succeeded too - or passed the command's failure on
cap_succeeded() {
    [ -e "$work/$1.ok" ] || die "$1: the recorded command failed"
    [ "$2" = 0 ] || die "$1: rtnl-record failed (exit status $2)"
}

record() {
    cap_base "$2"
    echo "== $cap_base" >&2
    cap_status=0
    cap_recording "$@" || cap_status=$?
    cap_succeeded "$cap_base" "$cap_status"
}

record_bg() {
    cap_base "$2"
    echo "== $cap_base (in the background)" >&2
    cap_recording "$@" &
    cap_bg_pid=$!
    cap_bg_base=$cap_base
}

record_wait() {
    cap_status=0
    wait "$cap_bg_pid" || cap_status=$?
    cap_bg_pid=
    cap_succeeded "$cap_bg_base" "$cap_status"
}
