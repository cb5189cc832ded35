// SPDX-License-Identifier: GPL-2.0
/* rtnl-record's bpf engine, kernel side: every successful send and receive on
 * a netlink socket (read, write, sendto, recvfrom, sendmsg, recvmsg, sendmmsg,
 * recvmmsg), with its bytes and who made it, into a ring buffer of
 * struct tap_record pieces (tap_record.h). Raw tracepoints sys_enter and
 * sys_exit: no tracefs, no kprobes, no fentry needed. The socket is found from
 * the descriptor (fd -> file -> socket -> sock) at entry; calls on anything
 * but AF_NETLINK sockets cost one map lookup miss at exit and nothing else. */
#include "kernel_types.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "tap_record.h"

#define AF_NETLINK 16
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define MSG_PEEK 2
#define MAX_LOOPS (1 << 20) /* pieces + iovecs + messages of one call */

/* x86-64 syscall numbers */
#define NR_read 0
#define NR_write 1
#define NR_sendto 44
#define NR_recvfrom 45
#define NR_sendmsg 46
#define NR_recvmsg 47
#define NR_recvmmsg 299
#define NR_sendmmsg 307

char LICENSE[] SEC("license") = "GPL";

/* Filters, set before load (0 / false: not filtering). */
const volatile __u32 cfg_self_tgid = 0;
const volatile bool cfg_by_tgid = false;  /* only tgids in map tgids (and their children) */
const volatile bool cfg_by_comm = false;
const volatile char cfg_comm[TAP_COMM_LEN] = {};
const volatile bool cfg_by_cgroup = false; /* only tasks in (or below) the cgroup in map cgroup */
const volatile __u64 cfg_netns = 0;        /* only sockets of this namespace */

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 64 << 20); /* set by the loader */
} ring SEC(".maps");

/* A call between entry and exit, by thread id. */
struct call {
    __u64 ts_ns;
    __u64 buf;    /* buffer, msghdr or mmsghdr array */
    __u64 len;    /* buffer length (read/write/sendto/recvfrom) */
    struct sock *sk;
    __u32 fd;
    __u8 syscall;
};
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, __u32);
    __type(value, struct call);
} calls SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, __u32);
    __type(value, __u8);
} tgids SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} cgroup SEC(".maps");

/* Records lost because the ring was full, by network namespace inode. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, __u64);
    __type(value, __u64);
} drops SEC(".maps");

/* Calls not followed because the calls map was full. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} untracked SEC(".maps");

/* One piece being built, per CPU (indexed by CPU number; sized by the loader). */
struct piece {
    struct tap_record hdr;
    __u8 data[TAP_PIECE_MAX];
};
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct piece);
} scratch SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} call_ids SEC(".maps");

/* Syscall arguments 1..4 (x86-64: rdi, rsi, rdx, r10). */
#define ARG1(regs) BPF_CORE_READ(regs, di)
#define ARG2(regs) BPF_CORE_READ(regs, si)
#define ARG3(regs) BPF_CORE_READ(regs, dx)
#define ARG4(regs) BPF_CORE_READ(regs, r10)

static __always_inline __u8 tap_syscall_of(long nr) {
    switch (nr) {
    case NR_read: return TAP_READ;
    case NR_write: return TAP_WRITE;
    case NR_sendto: return TAP_SENDTO;
    case NR_recvfrom: return TAP_RECVFROM;
    case NR_sendmsg: return TAP_SENDMSG;
    case NR_recvmsg: return TAP_RECVMSG;
    case NR_sendmmsg: return TAP_SENDMMSG;
    case NR_recvmmsg: return TAP_RECVMMSG;
    }
    return 0;
}

static __always_inline bool is_send(__u8 sc) {
    return sc == TAP_WRITE || sc == TAP_SENDTO || sc == TAP_SENDMSG || sc == TAP_SENDMMSG;
}

/* The sock behind descriptor fd of the current task if it is a netlink socket. */
static __always_inline struct sock *netlink_sock_of(__u32 fd) {
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
    if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds)) return 0;
    struct file **fds = BPF_CORE_READ(fdt, fd);
    struct file *file = 0;
    if (bpf_probe_read_kernel(&file, sizeof file, &fds[fd]) || !file) return 0;
    if ((BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT) != S_IFSOCK) return 0;
    struct socket *sock = BPF_CORE_READ(file, private_data);
    struct sock *sk = BPF_CORE_READ(sock, sk);
    if (!sk || BPF_CORE_READ(sk, __sk_common.skc_family) != AF_NETLINK) return 0;
    return sk;
}

static __always_inline __u64 netns_of(struct sock *sk) {
    return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
}

static __always_inline bool comm_matches(void) {
    char comm[TAP_COMM_LEN];
    bpf_get_current_comm(comm, sizeof comm);
    for (int i = 0; i < TAP_COMM_LEN; i++) {
        if (comm[i] != cfg_comm[i]) return false;
        if (!comm[i]) break;
    }
    return true;
}

SEC("raw_tp/sys_enter")
int tap_enter(struct bpf_raw_tracepoint_args *ctx) {
    __u8 sc = tap_syscall_of((long)ctx->args[1]);
    if (!sc) return 0;
    __u64 id = bpf_get_current_pid_tgid();
    __u32 tgid = id >> 32, tid = (__u32)id;
    if (tgid == cfg_self_tgid) return 0;
    if (cfg_by_tgid && !bpf_map_lookup_elem(&tgids, &tgid)) return 0;
    if (cfg_by_comm && !comm_matches()) return 0;
    if (cfg_by_cgroup && bpf_current_task_under_cgroup(&cgroup, 0) != 1) return 0;

    struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
    struct call c = {};
    c.fd = (__u32)ARG1(regs);
    c.sk = netlink_sock_of(c.fd);
    if (!c.sk) return 0;
    if (cfg_netns && netns_of(c.sk) != cfg_netns) return 0;
    /* MSG_PEEK probes are not packets: the data is read again */
    if ((sc == TAP_RECVMSG || sc == TAP_RECVMMSG) && (ARG3(regs) & MSG_PEEK)) return 0;
    if (sc == TAP_RECVFROM && (ARG4(regs) & MSG_PEEK)) return 0;
    c.ts_ns = bpf_ktime_get_boot_ns();
    c.buf = ARG2(regs);
    c.len = ARG3(regs);
    c.syscall = sc;
    if (bpf_map_update_elem(&calls, &tid, &c, BPF_ANY)) {
        __u32 zero = 0;
        __u64 *n = bpf_map_lookup_elem(&untracked, &zero);
        if (n) __sync_fetch_and_add(n, 1);
    }
    return 0;
}

/* Walks the bytes of one call: message by message (mmsg), iovec by iovec,
 * at most TAP_PIECE_MAX bytes a piece. One bpf_loop step does one of: load
 * the next message, load the next iovec, emit one piece. */
struct walk {
    struct piece *p;
    __u64 mmsg;       /* user address of the mmsghdr array (mmsg calls) */
    __u32 mmsg_count; /* messages the call transferred (mmsg calls) */
    __u32 mmsg_next;
    __u64 iov;        /* user address of the iovec array (0: one flat buffer) */
    __u64 iov_count;
    __u64 iov_next;
    __u64 seg;        /* current segment: address, length, bytes done */
    __u64 seg_len;
    __u64 seg_done;
    __u32 msg_len;    /* current message: length, bytes done */
    __u32 msg_done;
    bool more_messages;
};

static __always_inline void next_call_id(struct piece *p) {
    __u32 zero = 0;
    __u32 *id = bpf_map_lookup_elem(&call_ids, &zero);
    if (id) p->hdr.call_id = ++*id;
}

static __always_inline void count_drop(__u64 netns) {
    __u64 one = 1;
    __u64 *n = bpf_map_lookup_elem(&drops, &netns);
    if (n) __sync_fetch_and_add(n, 1);
    else bpf_map_update_elem(&drops, &netns, &one, BPF_NOEXIST);
}

/* A header-only piece: the current message ends here, short of its length. */
static __always_inline void end_message(struct walk *w, __u8 why) {
    struct piece *p = w->p;
    p->hdr.msg_len = w->msg_len;
    p->hdr.offset = w->msg_done;
    p->hdr.flags |= TAP_END | why;
    p->hdr.len = 0;
    if (bpf_ringbuf_output(&ring, &p->hdr, sizeof p->hdr, 0)) count_drop(p->hdr.netns);
    p->hdr.flags &= ~(TAP_UNREADABLE | TAP_END);
    w->msg_done = w->msg_len;
}

static long walk_step(__u32 index, void *ctx) {
    struct walk *w = ctx;
    struct piece *p = w->p;
    if (w->msg_done >= w->msg_len) {
        /* this message is done (or empty): the next one of an mmsg call */
        if (!w->more_messages || w->mmsg_next >= w->mmsg_count) return 1;
        struct tap_mmsghdr mm;
        if (bpf_probe_read_user(&mm, sizeof mm, (void *)(w->mmsg + (__u64)w->mmsg_next * sizeof mm))) return 1;
        w->mmsg_next++;
        w->iov = mm.msg_hdr.msg_iov;
        w->iov_count = mm.msg_hdr.msg_iovlen;
        w->iov_next = 0;
        w->seg_len = w->seg_done = 0;
        w->msg_len = mm.msg_len;
        w->msg_done = 0;
        next_call_id(p);
        return 0;
    }
    if (w->seg_done >= w->seg_len) {
        struct tap_iovec v;
        if (w->iov_next >= w->iov_count ||
            bpf_probe_read_user(&v, sizeof v, (void *)(w->iov + w->iov_next * sizeof v))) {
            /* the buffers held less than the call's length (MSG_TRUNC): what
             * was copied stands, msg_len tells the rest */
            end_message(w, 0);
            return 0;
        }
        w->iov_next++;
        w->seg = v.iov_base;
        w->seg_len = v.iov_len;
        w->seg_done = 0;
        return 0;
    }
    __u64 n = w->seg_len - w->seg_done;
    if (n > w->msg_len - w->msg_done) n = w->msg_len - w->msg_done;
    if (n > TAP_PIECE_MAX) n = TAP_PIECE_MAX;
    __u32 len = (__u32)n;
    if (len > TAP_PIECE_MAX) return 1; /* for the verifier: n is bounded above */
    if (bpf_probe_read_user(p->data, len, (void *)(w->seg + w->seg_done))) {
        end_message(w, TAP_UNREADABLE); /* the rest of this message is lost: say so once */
        return 0;
    }
    p->hdr.msg_len = w->msg_len;
    p->hdr.offset = w->msg_done;
    p->hdr.flags &= ~(TAP_UNREADABLE | TAP_END);
    p->hdr.len = len;
    if (bpf_ringbuf_output(&ring, p, sizeof p->hdr + len, 0)) count_drop(p->hdr.netns);
    w->seg_done += n;
    w->msg_done += (__u32)n;
    return 0;
}

SEC("raw_tp/sys_exit")
int tap_exit(struct bpf_raw_tracepoint_args *ctx) {
    __u64 id = bpf_get_current_pid_tgid();
    __u32 tid = (__u32)id;
    struct call *c = bpf_map_lookup_elem(&calls, &tid);
    if (!c) return 0;
    long ret = (long)ctx->args[1];
    struct call call = *c;
    bpf_map_delete_elem(&calls, &tid);
    if (ret <= 0) return 0;

    __u32 cpu = bpf_get_smp_processor_id();
    struct piece *p = bpf_map_lookup_elem(&scratch, &cpu);
    if (!p) return 0;
    struct sock *sk = call.sk;
    p->hdr.magic = TAP_RECORD_MAGIC;
    p->hdr.syscall = call.syscall;
    p->hdr.flags = (is_send(call.syscall) ? TAP_SEND : 0) | TAP_PORT_KNOWN;
    p->hdr.protocol = BPF_CORE_READ(sk, sk_protocol);
    p->hdr.reserved = 0;
    p->hdr.ts_ns = is_send(call.syscall) ? call.ts_ns : bpf_ktime_get_boot_ns();
    p->hdr.netns = netns_of(sk);
    p->hdr.tgid = id >> 32;
    p->hdr.tid = tid;
    p->hdr.fd = call.fd;
    p->hdr.port = BPF_CORE_READ((struct netlink_sock *)sk, portid);
    bpf_get_current_comm(p->hdr.comm, sizeof p->hdr.comm);

    struct walk w = {.p = p};
    switch (call.syscall) {
    case TAP_SENDMMSG:
    case TAP_RECVMMSG:
        w.mmsg = call.buf;
        w.mmsg_count = (__u32)ret;
        w.more_messages = true;
        break;
    case TAP_SENDMSG:
    case TAP_RECVMSG: {
        struct tap_user_msghdr mh;
        if (bpf_probe_read_user(&mh, sizeof mh, (void *)call.buf)) mh.msg_iovlen = 0;
        w.iov = mh.msg_iov;
        w.iov_count = mh.msg_iovlen;
        w.msg_len = (__u32)ret;
        next_call_id(p);
        break;
    }
    default: /* one flat buffer */
        w.seg = call.buf;
        w.seg_len = call.len;
        w.msg_len = (__u32)ret;
        next_call_id(p);
        break;
    }
    bpf_loop(MAX_LOOPS, walk_step, &w, 0);
    return 0;
}

/* -p PID: children of followed processes are followed. */
SEC("raw_tp/sched_process_fork")
int tap_fork(struct bpf_raw_tracepoint_args *ctx) {
    struct task_struct *parent = (struct task_struct *)ctx->args[0];
    struct task_struct *child = (struct task_struct *)ctx->args[1];
    __u32 ptgid = BPF_CORE_READ(parent, tgid);
    if (!bpf_map_lookup_elem(&tgids, &ptgid)) return 0;
    __u32 ctgid = BPF_CORE_READ(child, tgid);
    __u8 one = 1;
    bpf_map_update_elem(&tgids, &ctgid, &one, BPF_ANY);
    return 0;
}

SEC("raw_tp/sched_process_exit")
int tap_process_exit(struct bpf_raw_tracepoint_args *ctx) {
    struct task_struct *task = (struct task_struct *)ctx->args[0];
    if (BPF_CORE_READ(task, pid) != BPF_CORE_READ(task, tgid)) return 0; /* a thread */
    __u32 tgid = BPF_CORE_READ(task, tgid);
    bpf_map_delete_elem(&tgids, &tgid);
    return 0;
}
