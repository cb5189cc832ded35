# Sourced by the recorded scripts (no netlink traffic of its own).
# RTNL_HAVE: space-separated features make.sh found in this kernel (probed in a
# throwaway namespace before recording); RTNL_BPF_OBJ: the compiled prog.bpf.c,
# empty when clang is missing.
set -eu
has() { case " ${RTNL_HAVE:-} " in *" $1 "*) return 0 ;; esac; return 1; }
bpf_obj=${RTNL_BPF_OBJ:-}
