/* oif-zero: the request from the rtnl user story.
 *
 * Sends one RTM_DELROUTE for 10.9.1.0/24 via 10.9.0.1, table main, carrying an
 * explicit RTA_OIF = 0 attribute (what a container network backend sent when it
 * lost track of the interface), and prints the kernel's answer.
 *
 * NETLINK_EXT_ACK is on and NETLINK_CAP_ACK is off, so the kernel's error reply
 * echoes the whole request and may carry extended-ACK attributes.
 * The message goes out with sendmsg() in two iovecs (headers, attributes), as
 * some netlink libraries do.
 *
 * Build: cc -O2 -Wall -I captures/lib -o oif-zero oif-zero.c
 * Exit status: 0 when the kernel answered (whatever the answer), 1 otherwise.
 */
#include <unistd.h>

#include "netlink.h"

#define SEQ 1795483983u

struct attr_u32 {
    struct rtattr rta;
    uint32_t value;
};

int main(void)
{
    int fd = nl_open(1);

    struct {
        struct nlmsghdr nlh;
        struct rtmsg rtm;
    } head;
    struct {
        struct attr_u32 dst, gateway, oif;
    } attrs;
    memset(&head, 0, sizeof head);
    memset(&attrs, 0, sizeof attrs);

    attrs.dst.rta.rta_type = RTA_DST;
    attrs.dst.rta.rta_len = sizeof attrs.dst;
    inet_pton(AF_INET, "10.9.1.0", &attrs.dst.value);
    attrs.gateway.rta.rta_type = RTA_GATEWAY;
    attrs.gateway.rta.rta_len = sizeof attrs.gateway;
    inet_pton(AF_INET, "10.9.0.1", &attrs.gateway.value);
    attrs.oif.rta.rta_type = RTA_OIF;
    attrs.oif.rta.rta_len = sizeof attrs.oif;
    attrs.oif.value = 0; /* the bug: an explicit "no interface" */

    head.nlh.nlmsg_len = sizeof head + sizeof attrs;
    head.nlh.nlmsg_type = RTM_DELROUTE;
    head.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    head.nlh.nlmsg_seq = SEQ;
    head.nlh.nlmsg_pid = 0;
    head.rtm.rtm_family = AF_INET;
    head.rtm.rtm_dst_len = 24;
    head.rtm.rtm_table = RT_TABLE_MAIN;
    head.rtm.rtm_protocol = RTPROT_UNSPEC;
    head.rtm.rtm_scope = RT_SCOPE_NOWHERE;
    head.rtm.rtm_type = RTN_UNSPEC;

    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    struct iovec iov[2] = {{&head, sizeof head}, {&attrs, sizeof attrs}};
    struct msghdr msg = {.msg_name = &kernel, .msg_namelen = sizeof kernel, .msg_iov = iov, .msg_iovlen = 2};
    if (sendmsg(fd, &msg, 0) < 0) {
        perror("sendmsg");
        return 1;
    }

    static char buf[8192];
    struct iovec riov = {buf, sizeof buf};
    struct msghdr rmsg = {.msg_name = &kernel, .msg_namelen = sizeof kernel, .msg_iov = &riov, .msg_iovlen = 1};
    ssize_t n = recvmsg(fd, &rmsg, 0);
    if (n < 0) {
        perror("recvmsg");
        return 1;
    }
    struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
    if (n < (ssize_t)sizeof *nlh || !NLMSG_OK(nlh, (size_t)n)) {
        fprintf(stderr, "short reply (%zd bytes)\n", n);
        return 1;
    }
    if (nlh->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr *err = NLMSG_DATA(nlh);
        if (err->error == 0)
            printf("RTM_DELROUTE seq %u: ACK (route deleted)\n", nlh->nlmsg_seq);
        else
            printf("RTM_DELROUTE seq %u: error %d (%s), reply %zd bytes\n", nlh->nlmsg_seq, -err->error,
                   strerror(-err->error), n);
    } else {
        printf("RTM_DELROUTE seq %u: unexpected reply type %u\n", nlh->nlmsg_seq, nlh->nlmsg_type);
    }
    close(fd);
    return 0;
}
