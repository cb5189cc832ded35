/* The few kernel types netlink_tap.bpf.c reads, declared by hand instead of a
 * generated vmlinux.h, so the build needs no BTF. preserve_access_index makes
 * every member access a CO-RE relocation: libbpf resolves the real offsets
 * from the running kernel's BTF (/sys/kernel/btf/vmlinux) at load time, so
 * only the members named here matter, not their order or the struct sizes.
 * x86-64 only (the syscall argument registers of struct pt_regs). */
#ifndef RTNL_KERNEL_TYPES_H
#define RTNL_KERNEL_TYPES_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef int pid_t;
typedef _Bool bool;
#define true 1
#define false 0

struct bpf_raw_tracepoint_args {
    __u64 args[0];
};

enum bpf_map_type {
    BPF_MAP_TYPE_HASH = 1,
    BPF_MAP_TYPE_ARRAY = 2,
    BPF_MAP_TYPE_CGROUP_ARRAY = 8,
    BPF_MAP_TYPE_PERCPU_ARRAY = 6,
    BPF_MAP_TYPE_LRU_HASH = 9,
    BPF_MAP_TYPE_RINGBUF = 27,
};
enum { BPF_ANY = 0, BPF_NOEXIST = 1 };

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct pt_regs {
    unsigned long di, si, dx, r10;
};

struct inode {
    unsigned short i_mode;
};
struct file {
    struct inode *f_inode;
    void *private_data;
};
struct fdtable {
    unsigned int max_fds;
    struct file **fd;
};
struct files_struct {
    struct fdtable *fdt;
};
struct task_struct {
    pid_t pid;
    pid_t tgid;
    struct files_struct *files;
};

struct ns_common {
    unsigned int inum;
};
struct net {
    struct ns_common ns;
};
typedef struct {
    struct net *net;
} possible_net_t;
struct sock_common {
    unsigned short skc_family;
    possible_net_t skc_net;
};
struct sock {
    struct sock_common __sk_common;
    __u16 sk_protocol;
};
struct socket {
    struct sock *sk;
};
struct netlink_sock {
    struct sock sk;
    __u32 portid;
};

#pragma clang attribute pop

/* User-space ABI structures (fixed layout: no relocation). */
struct tap_iovec {
    __u64 iov_base;
    __u64 iov_len;
};
struct tap_user_msghdr {
    __u64 msg_name;
    __s32 msg_namelen;
    __s32 pad0;
    __u64 msg_iov;
    __u64 msg_iovlen;
    __u64 msg_control;
    __u64 msg_controllen;
    __u32 msg_flags;
    __u32 pad1;
};
struct tap_mmsghdr {
    struct tap_user_msghdr msg_hdr;
    __u32 msg_len;
    __u32 pad;
};

#endif
