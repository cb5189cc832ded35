/* interleaved: requests from two sockets of one process and from a forked
 * child, all with the SAME sequence number, answers read in an order different
 * from the sending order. Made for request/response tracking (issue 5): only
 * the socket's port id (nlmsg_pid in the kernel's answers) tells them apart.
 *
 *   parent, socket A: RTM_GETLINK  NLM_F_DUMP                      seq SEQ
 *   parent, socket B: RTM_NEWADDR  10.50.0.1/32 dev lo, ACK         seq SEQ
 *   child,  socket C: RTM_NEWROUTE 10.60.0.0/24 dev lo, ACK         seq SEQ
 *   parent, socket A: RTM_DELROUTE 10.77.0.0/24 dev lo, ACK -> ESRCH seq SEQ
 *   then: parent reads B (its ACK), child reads C (its ACK),
 *         parent reads A until it has both the dump's NLMSG_DONE and the
 *         DELROUTE's error (the error is queued between dump parts).
 *
 * Requests carry nlmsg_pid 0; the sockets are not bound explicitly, so the
 * kernel autobinds them at their first sendmsg: A gets the parent's pid, B a
 * kernel-chosen negative port id, C the child's pid. Pipes order the steps so
 * the capture is the same from run to run (apart from pids and times).
 * A and B set NETLINK_EXT_ACK; C does not. Receive buffer 8192 bytes (libmnl's
 * MNL_SOCKET_BUFFER_SIZE), so the link dump spans several packets.
 *
 * Build: cc -O2 -Wall -I captures/lib -o interleaved interleaved.c
 * Usage: interleaved            (in a namespace with lo and some links)
 * Prints each socket's port id and what it received; exit 0 when every answer
 * was what is expected (DELROUTE: ESRCH, the others: success).
 */
#include <errno.h>
#include <net/if.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netlink.h"


#define SEQ 4242u
#define RCVBUF 8192

/* Reads packets on fd until the wanted answers arrived: want_done (NLMSG_DONE
 * of a dump) and/or want_errors (NLMSG_ERROR messages). Records the errnos. */
static void read_until(const char *name, int fd, int want_done, int want_errors, int *errnos)
{
    static char buf[RCVBUF];
    int done = 0, errors = 0, packet = 0;
    while ((want_done && !done) || errors < want_errors) {
        struct sockaddr_nl from;
        struct iovec iov = {buf, sizeof buf};
        struct msghdr mh = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1};
        ssize_t n = recvmsg(fd, &mh, 0);
        if (n < 0) {
            perror("recvmsg");
            exit(1);
        }
        if (mh.msg_flags & MSG_TRUNC)
            fprintf(stderr, "%s: message truncated\n", name);
        packet++;
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            printf("%s: packet %d: type %u seq %u pid %u", name, packet, h->nlmsg_type, h->nlmsg_seq,
                   h->nlmsg_pid);
            if (h->nlmsg_type == NLMSG_DONE) {
                done = 1;
                printf(" NLMSG_DONE");
            } else if (h->nlmsg_type == NLMSG_ERROR) {
                struct nlmsgerr *e = NLMSG_DATA(h);
                errnos[errors++] = -e->error;
                printf(" NLMSG_ERROR %d (%s) for type %u", e->error, e->error ? strerror(-e->error) : "ACK",
                       e->msg.nlmsg_type);
            }
            printf("\n");
        }
    }
}

static void wait_byte(int fd)
{
    char c;
    if (read(fd, &c, 1) != 1) {
        fprintf(stderr, "interleaved: pipe closed\n");
        exit(1);
    }
}

static void post_byte(int fd)
{
    if (write(fd, "x", 1) != 1)
        exit(1);
}

int main(void)
{
    unsigned lo = if_nametoindex("lo"); /* ioctl, not netlink */
    if (!lo) {
        perror("if_nametoindex lo");
        return 1;
    }
    int to_child[2], to_parent[2];
    if (pipe(to_child) < 0 || pipe(to_parent) < 0) {
        perror("pipe");
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    pid_t child = fork();
    if (child < 0) {
        perror("fork");
        return 1;
    }
    if (child == 0) {
        /* the child: its own socket C, its own request, same seq */
        int c = nl_open(0);
        wait_byte(to_child[0]); /* go: send */
        struct nl_req r;
        struct rtmsg *rtm = nl_init(&r, RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, SEQ,
                                    sizeof *rtm);
        rtm->rtm_family = AF_INET;
        rtm->rtm_dst_len = 24;
        rtm->rtm_table = RT_TABLE_MAIN;
        rtm->rtm_protocol = RTPROT_BOOT;
        rtm->rtm_scope = RT_SCOPE_LINK;
        rtm->rtm_type = RTN_UNICAST;
        nl_add_in4(&r, RTA_DST, "10.60.0.0");
        nl_add_u32(&r, RTA_OIF, lo);
        nl_send_req(c, &r);
        printf("C (child %d): port id %u\n", (int)getpid(), nl_port(c));
        post_byte(to_parent[1]); /* sent */
        wait_byte(to_child[0]);  /* go: read */
        int e[4] = {0};
        read_until("C", c, 0, 1, e);
        post_byte(to_parent[1]); /* read */
        return e[0] == 0 ? 0 : 1;
    }

    int a = nl_open(1), b = nl_open(1);
    struct nl_req r;

    /* 1. A: link dump */
    nl_init(&r, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, SEQ, sizeof(struct ifinfomsg));
    nl_send_req(a, &r);

    /* 2. B: add an address, with ACK */
    struct ifaddrmsg *ifa =
        nl_init(&r, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, SEQ, sizeof *ifa);
    ifa->ifa_family = AF_INET;
    ifa->ifa_prefixlen = 32;
    ifa->ifa_scope = RT_SCOPE_UNIVERSE;
    ifa->ifa_index = lo;
    nl_add_in4(&r, IFA_LOCAL, "10.50.0.1");
    nl_add_in4(&r, IFA_ADDRESS, "10.50.0.1");
    nl_send_req(b, &r);

    /* 3. the child sends its request on C */
    post_byte(to_child[1]);
    wait_byte(to_parent[0]);

    /* 4. A: delete a route that does not exist, with ACK (fails: ESRCH) */
    struct rtmsg *rtm = nl_init(&r, RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK, SEQ, sizeof *rtm);
    rtm->rtm_family = AF_INET;
    rtm->rtm_dst_len = 24;
    rtm->rtm_table = RT_TABLE_MAIN;
    rtm->rtm_scope = RT_SCOPE_NOWHERE;
    nl_add_in4(&r, RTA_DST, "10.77.0.0");
    nl_add_u32(&r, RTA_OIF, lo);
    nl_send_req(a, &r);
    printf("A (parent %d): port id %u\nB (parent %d): port id %u\n", (int)getpid(), nl_port(a),
           (int)getpid(), nl_port(b));

    /* 5. answers, in another order: B first, then C (child), then A */
    int eb[4] = {0}, ea[4] = {0};
    read_until("B", b, 0, 1, eb);
    post_byte(to_child[1]);
    wait_byte(to_parent[0]);
    read_until("A", a, 1, 1, ea);

    int status = 0;
    waitpid(child, &status, 0);
    int ok = eb[0] == 0 && ea[0] == ESRCH && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok)
        fprintf(stderr, "interleaved: unexpected answers (B %d, A %d, child status %d)\n", eb[0], ea[0], status);
    return ok ? 0 : 1;
}
