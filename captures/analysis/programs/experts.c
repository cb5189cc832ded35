/* experts: one odd request per run, for the expert catalogue (issue 5).
 *
 * Each run opens a plain NETLINK_ROUTE socket (not bound explicitly: the kernel
 * autobinds it to the process's pid), sets NETLINK_EXT_ACK (not CAP_ACK: errors
 * echo the whole request), sends ONE request with NLM_F_REQUEST|NLM_F_ACK and
 * nlmsg_pid 0, reads the kernel's answer (except for no-ack-read) and prints it.
 *
 * Usage: experts CASE       (CASE and its sequence number:)
 *   prefix-host-bits  1001  RTM_NEWROUTE 10.9.0.5/24 dev lo (host bits set)
 *   dup-attr          1002  RTM_NEWROUTE 10.9.1.0/24 dev lo, RTA_PRIORITY 100 and RTA_PRIORITY 200
 *   del-create        1003  RTM_DELROUTE 10.9.1.0/24 with NLM_F_CREATE
 *   replace-excl      1004  RTM_NEWROUTE 10.9.2.0/24 dev lo with NLM_F_REPLACE|NLM_F_EXCL
 *                           (the same bits as NLM_F_ROOT|NLM_F_MATCH = NLM_F_DUMP)
 *   oif-77            1005  RTM_NEWROUTE 10.9.3.0/24 with RTA_OIF 77 (no such interface)
 *   nh-oif-zero       1006  RTM_NEWNEXTHOP id 10 via 10.0.0.2, NHA_OIF 0
 *   mp-ifindex-zero   1007  RTM_NEWROUTE 10.40.0.0/24, RTA_MULTIPATH with one
 *                           nexthop: rtnh_ifindex 0, RTA_GATEWAY 10.0.0.2
 *   no-ack-read       1008  RTM_NEWADDR 10.50.0.1/32 dev lo, then exits without reading
 *   dst-len-33        1009  RTM_NEWROUTE AF_INET 10.9.4.0/33 dev lo
 *   dst-len-129       1010  RTM_NEWROUTE AF_INET6 2001:db8:9::/129 dev lo
 *   addr-len          1011  RTM_NEWROUTE AF_INET 10.9.5.0/24 dev lo whose RTA_DST
 *                           is 16 bytes long (10.9.5.0 + 12 zero bytes)
 * Flags: NLM_F_REQUEST|NLM_F_ACK, plus NLM_F_CREATE|NLM_F_EXCL on the NEW
 * requests (as `ip route add`), except where the case says otherwise.
 *
 * Build: cc -O2 -Wall -I captures/lib -o experts experts.c
 * Exit status: 0 when the kernel answered (whatever the answer) or, for
 * no-ack-read, when the request was sent; 1 otherwise; 2 on usage errors.
 */
#include <linux/nexthop.h>
#include <net/if.h>
#include <unistd.h>

#include "netlink.h"

/* extended ACK TLVs (linux/netlink.h, since 4.12) */
#define EXTACK_MSG 1  /* NLMSGERR_ATTR_MSG */
#define EXTACK_OFFS 2 /* NLMSGERR_ATTR_OFFS */

static struct rtmsg *route(struct nl_req *r, unsigned short type, unsigned short flags, uint32_t seq,
                           unsigned char family, unsigned char dst_len)
{
    struct rtmsg *rtm = nl_init(r, type, NLM_F_REQUEST | NLM_F_ACK | flags, seq, sizeof *rtm);
    rtm->rtm_family = family;
    rtm->rtm_dst_len = dst_len;
    rtm->rtm_table = RT_TABLE_MAIN;
    if (type == RTM_NEWROUTE) {
        rtm->rtm_protocol = RTPROT_BOOT;
        rtm->rtm_scope = RT_SCOPE_LINK;
        rtm->rtm_type = RTN_UNICAST;
    } else {
        rtm->rtm_scope = RT_SCOPE_NOWHERE;
    }
    return rtm;
}

/* prints the answer: ACK, or errno with the extended ACK's message/offset */
static void print_answer(const char *name, const char *buf, ssize_t n)
{
    for (const struct nlmsghdr *h = (const void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
        printf("%s: type %u seq %u pid %u", name, h->nlmsg_type, h->nlmsg_seq, h->nlmsg_pid);
        if (h->nlmsg_type == NLMSG_ERROR) {
            const struct nlmsgerr *e = NLMSG_DATA(h);
            printf(" %s %d%s%s", e->error ? "error" : "ACK", e->error, e->error ? " " : "",
                   e->error ? strerror(-e->error) : "");
            if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
                size_t off = sizeof(struct nlmsghdr) + sizeof(int) +
                             ((h->nlmsg_flags & NLM_F_CAPPED) ? sizeof(struct nlmsghdr) : e->msg.nlmsg_len);
                const char *p = (const char *)h + NLMSG_ALIGN(off);
                const char *end = (const char *)h + h->nlmsg_len;
                while (p + sizeof(struct nlattr) <= end) {
                    const struct nlattr *a = (const void *)p;
                    if (a->nla_len < sizeof *a || p + a->nla_len > end)
                        break;
                    if ((a->nla_type & NLA_TYPE_MASK) == EXTACK_MSG)
                        printf(" msg \"%.*s\"", (int)(a->nla_len - sizeof *a - 1), (const char *)(a + 1));
                    else if ((a->nla_type & NLA_TYPE_MASK) == EXTACK_OFFS)
                        printf(" offs %u", *(const uint32_t *)(a + 1));
                    p += NLA_ALIGN(a->nla_len);
                }
            }
        }
        printf("\n");
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: experts CASE\n");
        return 2;
    }
    const char *c = argv[1];
    uint32_t lo = if_nametoindex("lo"); /* ioctl, not netlink */
    struct nl_req r;
    int read_answer = 1;

    if (!strcmp(c, "prefix-host-bits")) {
        route(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 1001, AF_INET, 24);
        nl_add_in4(&r, RTA_DST, "10.9.0.5");
        nl_add_u32(&r, RTA_OIF, lo);
    } else if (!strcmp(c, "dup-attr")) {
        route(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 1002, AF_INET, 24);
        nl_add_in4(&r, RTA_DST, "10.9.1.0");
        nl_add_u32(&r, RTA_OIF, lo);
        nl_add_u32(&r, RTA_PRIORITY, 100);
        nl_add_u32(&r, RTA_PRIORITY, 200);
    } else if (!strcmp(c, "del-create")) {
        route(&r, RTM_DELROUTE, NLM_F_CREATE, 1003, AF_INET, 24);
        nl_add_in4(&r, RTA_DST, "10.9.1.0");
    } else if (!strcmp(c, "replace-excl")) {
        route(&r, RTM_NEWROUTE, NLM_F_REPLACE | NLM_F_EXCL, 1004, AF_INET, 24);
        nl_add_in4(&r, RTA_DST, "10.9.2.0");
        nl_add_u32(&r, RTA_OIF, lo);
    } else if (!strcmp(c, "oif-77")) {
        route(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 1005, AF_INET, 24);
        nl_add_in4(&r, RTA_DST, "10.9.3.0");
        nl_add_u32(&r, RTA_OIF, 77);
    } else if (!strcmp(c, "nh-oif-zero")) {
        struct nhmsg *nhm = nl_init(&r, RTM_NEWNEXTHOP, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 1006,
                                    sizeof *nhm);
        nhm->nh_family = AF_INET;
        nhm->nh_protocol = RTPROT_BOOT;
        nl_add_u32(&r, NHA_ID, 10);
        nl_add_u32(&r, NHA_OIF, 0);
        nl_add_in4(&r, NHA_GATEWAY, "10.0.0.2");
    } else if (!strcmp(c, "mp-ifindex-zero")) {
        route(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 1007, AF_INET, 24);
        struct rtmsg *rtm = NLMSG_DATA(&r.nlh);
        rtm->rtm_scope = RT_SCOPE_UNIVERSE; /* a gateway route, as ip sends it */
        nl_add_in4(&r, RTA_DST, "10.40.0.0");
        struct {
            struct rtnexthop nh;
            struct rtattr gw;
            struct in_addr addr;
        } mp;
        memset(&mp, 0, sizeof mp);
        mp.nh.rtnh_len = sizeof mp;
        mp.nh.rtnh_ifindex = 0; /* no device: the kernel finds it from the gateway */
        mp.gw.rta_type = RTA_GATEWAY;
        mp.gw.rta_len = RTA_LENGTH(4);
        inet_pton(AF_INET, "10.0.0.2", &mp.addr);
        nl_add_attr(&r, RTA_MULTIPATH, &mp, sizeof mp);
    } else if (!strcmp(c, "no-ack-read")) {
        struct ifaddrmsg *ifa = nl_init(&r, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 1008,
                                        sizeof *ifa);
        ifa->ifa_family = AF_INET;
        ifa->ifa_prefixlen = 32;
        ifa->ifa_index = lo;
        nl_add_in4(&r, IFA_LOCAL, "10.50.0.1");
        nl_add_in4(&r, IFA_ADDRESS, "10.50.0.1");
        read_answer = 0;
    } else if (!strcmp(c, "dst-len-33")) {
        route(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 1009, AF_INET, 33);
        nl_add_in4(&r, RTA_DST, "10.9.4.0");
        nl_add_u32(&r, RTA_OIF, lo);
    } else if (!strcmp(c, "dst-len-129")) {
        route(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 1010, AF_INET6, 129);
        struct in6_addr a6;
        inet_pton(AF_INET6, "2001:db8:9::", &a6);
        nl_add_attr(&r, RTA_DST, &a6, 16);
        nl_add_u32(&r, RTA_OIF, lo);
    } else if (!strcmp(c, "addr-len")) {
        route(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 1011, AF_INET, 24);
        unsigned char dst[16] = {10, 9, 5, 0};
        nl_add_attr(&r, RTA_DST, dst, sizeof dst);
        nl_add_u32(&r, RTA_OIF, lo);
    } else {
        fprintf(stderr, "experts: unknown case %s\n", c);
        return 2;
    }

    int fd = nl_open(1);
    nl_send_req(fd, &r);
    if (!read_answer) {
        printf("%s: sent seq %u, closing without reading the ACK\n", c, r.nlh.nlmsg_seq);
        close(fd);
        return 0;
    }
    static char buf[16384];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
        perror("recv");
        return 1;
    }
    print_answer(c, buf, n);
    close(fd);
    return 0;
}
