/* The records the bpf engine's kernel program (netlink_tap.bpf.c) puts in its
 * ring buffer, read by bpf_ring.cpp. Shared by both sides: fixed-width
 * members, no padding, host byte order. A send or receive whose bytes do not
 * fit one record is split into pieces, each with this header; the pieces of
 * one call follow each other in the ring (one program run writes them). */
#ifndef RTNL_TAP_RECORD_H
#define RTNL_TAP_RECORD_H

#ifdef __bpf__
typedef __u8 tap_u8;
typedef __u16 tap_u16;
typedef __u32 tap_u32;
typedef __u64 tap_u64;
#else
#include <stdint.h>
typedef uint8_t tap_u8;
typedef uint16_t tap_u16;
typedef uint32_t tap_u32;
typedef uint64_t tap_u64;
#endif

#define TAP_RECORD_MAGIC 0x6e6c /* "nl": a record of this layout */
#define TAP_PIECE_MAX 32768     /* payload bytes in one record at most */
#define TAP_COMM_LEN 16

enum tap_syscall {
    TAP_READ = 1,
    TAP_WRITE,
    TAP_SENDTO,
    TAP_RECVFROM,
    TAP_SENDMSG,
    TAP_RECVMSG,
    TAP_SENDMMSG,
    TAP_RECVMMSG,
};

enum tap_flags {
    TAP_SEND = 1,        /* the process sent it (else: received) */
    TAP_UNREADABLE = 2,  /* the user memory of this piece could not be read */
    TAP_PORT_KNOWN = 4,  /* port is the socket's netlink port id */
    TAP_END = 8,         /* no more pieces of this message follow (it is cut short) */
};

struct tap_record {
    tap_u16 magic;
    tap_u8 syscall;     /* enum tap_syscall */
    tap_u8 flags;       /* enum tap_flags */
    tap_u16 protocol;   /* netlink protocol of the socket */
    tap_u16 reserved;
    tap_u64 ts_ns;      /* CLOCK_BOOTTIME: a send at entry, a receive at exit */
    tap_u64 netns;      /* inode of the socket's network namespace */
    tap_u32 tgid;
    tap_u32 tid;
    tap_u32 fd;
    tap_u32 port;
    tap_u32 call_id;    /* per CPU counter: the pieces of one message share it */
    tap_u32 msg_len;    /* bytes the call transferred for this message */
    tap_u32 offset;     /* where this piece starts in the message */
    tap_u32 len;        /* bytes of payload that follow this header */
    char comm[TAP_COMM_LEN];
};
/* followed by len payload bytes */

#endif
