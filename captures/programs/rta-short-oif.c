/* rta-short-oif: an RTM_NEWROUTE whose RTA_OIF attribute is 2 bytes long instead
 * of 4, to get the kernel's policy-validation extended ACK, which points at the
 * bad attribute (NLMSGERR_ATTR_OFFS) and at the policy it broke.
 *
 * Route: 10.9.5.0/24 table main, RTA_DST + RTA_OIF(len 6). NETLINK_EXT_ACK on,
 * NETLINK_CAP_ACK off (the error echoes the whole request).
 * Build: cc -O2 -Wall -I captures/lib -o rta-short-oif rta-short-oif.c
 */
#include <unistd.h>

#include "netlink.h"

int main(void)
{
    int fd = nl_open(1);

    struct {
        struct nlmsghdr nlh;
        struct rtmsg rtm;
        struct rtattr dst;
        uint32_t dst_addr;
        struct rtattr oif;
        uint16_t oif_short; /* should be a u32 */
        uint16_t pad;
    } req;
    memset(&req, 0, sizeof req);
    req.nlh.nlmsg_len = sizeof req;
    req.nlh.nlmsg_type = RTM_NEWROUTE;
    req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    req.nlh.nlmsg_seq = 1795483984u;
    req.rtm.rtm_family = AF_INET;
    req.rtm.rtm_dst_len = 24;
    req.rtm.rtm_table = RT_TABLE_MAIN;
    req.rtm.rtm_protocol = RTPROT_BOOT;
    req.rtm.rtm_scope = RT_SCOPE_LINK;
    req.rtm.rtm_type = RTN_UNICAST;
    req.dst.rta_type = RTA_DST;
    req.dst.rta_len = RTA_LENGTH(4);
    inet_pton(AF_INET, "10.9.5.0", &req.dst_addr);
    req.oif.rta_type = RTA_OIF;
    req.oif.rta_len = RTA_LENGTH(2);
    req.oif_short = 1;

    nl_send(fd, &req, sizeof req);
    static char buf[8192];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < (ssize_t)sizeof(struct nlmsghdr)) {
        perror("recv");
        return 1;
    }
    struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
    if (nlh->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr *err = NLMSG_DATA(nlh);
        printf("RTM_NEWROUTE seq %u: error %d (%s), reply %zd bytes\n", nlh->nlmsg_seq, -err->error,
               strerror(-err->error), n);
    }
    close(fd);
    return 0;
}
