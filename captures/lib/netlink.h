/* netlink.h: the NETLINK_ROUTE socket helpers shared by the small C programs
 * under captures/ (they make crafted requests for the captures). Header-only;
 * every program exits on a failed socket or send, since a capture without the
 * request is useless.
 *
 *   nl_open(ext_ack)         a NETLINK_ROUTE socket, not bound (the kernel
 *                            autobinds it at the first send), optionally with
 *                            NETLINK_EXT_ACK (errors then echo the whole request
 *                            and may carry extended-ACK attributes)
 *   nl_init(r, type, flags, seq, fixed)
 *                            starts a request: header + `fixed` zeroed bytes of
 *                            family header (nlmsg_pid 0)
 *   nl_add_attr / nl_add_u32 / nl_add_in4
 *                            append one attribute (aligned, as the kernel reads)
 *   nl_send(fd, r)           one sendmsg to the kernel
 *   nl_port(fd)              the socket's port id (what the kernel stamps in
 *                            nlmsg_pid of its answers)
 */
#ifndef RTNL_CAPTURES_NETLINK_H
#define RTNL_CAPTURES_NETLINK_H

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

struct nl_req {
    struct nlmsghdr nlh;
    char body[512];
};

static inline int nl_open(int ext_ack)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
        perror("socket");
        exit(1);
    }
    int one = 1;
    if (ext_ack && setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one) < 0)
        perror("setsockopt NETLINK_EXT_ACK"); /* old kernel: go on without */
    return fd;
}

/* the family header right after the netlink header */
static inline void *nl_family_header(struct nl_req *r) { return NLMSG_DATA(&r->nlh); }

static inline void *nl_init(struct nl_req *r, unsigned short type, unsigned short flags, uint32_t seq,
                            size_t fixed)
{
    memset(r, 0, sizeof *r);
    r->nlh.nlmsg_len = NLMSG_LENGTH(fixed);
    r->nlh.nlmsg_type = type;
    r->nlh.nlmsg_flags = flags;
    r->nlh.nlmsg_seq = seq;
    return nl_family_header(r);
}

static inline void nl_add_attr(struct nl_req *r, unsigned short type, const void *data, unsigned short len)
{
    struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->nlh.nlmsg_len));
    a->rta_type = type;
    a->rta_len = RTA_LENGTH(len);
    memcpy(RTA_DATA(a), data, len);
    r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static inline void nl_add_u32(struct nl_req *r, unsigned short type, uint32_t v) { nl_add_attr(r, type, &v, 4); }

static inline void nl_add_in4(struct nl_req *r, unsigned short type, const char *text)
{
    struct in_addr a;
    inet_pton(AF_INET, text, &a);
    nl_add_attr(r, type, &a, 4);
}

static inline void nl_send(int fd, const void *msg, size_t len)
{
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    struct iovec iov = {(void *)msg, len};
    struct msghdr mh = {.msg_name = &kernel, .msg_namelen = sizeof kernel, .msg_iov = &iov, .msg_iovlen = 1};
    if (sendmsg(fd, &mh, 0) < 0) {
        perror("sendmsg");
        exit(1);
    }
}

static inline void nl_send_req(int fd, const struct nl_req *r) { nl_send(fd, r, r->nlh.nlmsg_len); }

static inline unsigned nl_port(int fd)
{
    struct sockaddr_nl sa;
    socklen_t len = sizeof sa;
    if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
        return 0;
    return sa.nl_pid;
}

#endif
