/* nl-loop: a small long-running netlink client, for rtnl-record's attach tests.
 *
 * Opens a NETLINK_ROUTE and a NETLINK_GENERIC socket, prints "ready PID TID" once
 * both exist (before anything attaches, so their socket() calls are never
 * traced: rtnl-record must learn their families from /proc), then until SIGTERM
 * or SIGINT (or a time limit, argv[1] seconds, default 60), every 50 ms:
 *   - a thread sends RTM_GETLINK for ifindex 1 (lo) with sendmsg on the route
 *     socket and reads the reply with recvmsg;
 *   - the main thread sends CTRL_CMD_GETFAMILY "nlctrl" with sendto on the
 *     generic socket and reads the reply with recv;
 *   - every 10th round the main thread forks a child that opens its own
 *     NETLINK_ROUTE socket and asks for lo with write() / read().
 * Read-only requests: nothing on the machine changes.
 */
#define _GNU_SOURCE
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static int route_fd, genl_fd;

static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

static void nap(void) {
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

struct getlink {
    struct nlmsghdr h;
    struct ifinfomsg ifi;
};

static void getlink_request(struct getlink *req, unsigned seq) {
    memset(req, 0, sizeof *req);
    req->h.nlmsg_len = sizeof *req;
    req->h.nlmsg_type = RTM_GETLINK;
    req->h.nlmsg_flags = NLM_F_REQUEST;
    req->h.nlmsg_seq = seq;
    req->ifi.ifi_family = AF_UNSPEC;
    req->ifi.ifi_index = 1;
}

static void *route_loop(void *arg) {
    (void)arg;
    char buf[8192];
    unsigned seq = 1000;
    while (!stop) {
        struct getlink req;
        getlink_request(&req, ++seq);
        struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
        struct iovec iov = {&req, sizeof req};
        struct msghdr msg = {.msg_name = &kernel, .msg_namelen = sizeof kernel, .msg_iov = &iov, .msg_iovlen = 1};
        if (sendmsg(route_fd, &msg, 0) < 0) break;
        struct iovec riov = {buf, sizeof buf};
        struct msghdr rmsg = {.msg_iov = &riov, .msg_iovlen = 1};
        if (recvmsg(route_fd, &rmsg, 0) < 0) break;
        nap();
    }
    return NULL;
}

static void genl_round(unsigned seq) {
    struct {
        struct nlmsghdr h;
        struct genlmsghdr g;
        struct nlattr a;
        char name[8];
    } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = sizeof req;
    req.h.nlmsg_type = GENL_ID_CTRL;
    req.h.nlmsg_flags = NLM_F_REQUEST;
    req.h.nlmsg_seq = seq;
    req.g.cmd = CTRL_CMD_GETFAMILY;
    req.g.version = 1;
    req.a.nla_len = sizeof req.a + 7; /* "nlctrl" + NUL */
    req.a.nla_type = CTRL_ATTR_FAMILY_NAME;
    memcpy(req.name, "nlctrl", 7);
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    char buf[8192];
    if (sendto(genl_fd, &req, sizeof req, 0, (struct sockaddr *)&kernel, sizeof kernel) > 0)
        (void)recv(genl_fd, buf, sizeof buf, 0);
}

static void child_round(unsigned seq) {
    pid_t pid = fork();
    if (pid == 0) {
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        struct getlink req;
        char buf[8192];
        getlink_request(&req, seq);
        if (fd >= 0 && write(fd, &req, sizeof req) > 0) (void)!read(fd, buf, sizeof buf);
        _exit(0);
    }
    if (pid > 0) waitpid(pid, NULL, 0);
}

int main(int argc, char **argv) {
    int limit = argc > 1 ? atoi(argv[1]) : 60;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    route_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    genl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
    if (route_fd < 0 || genl_fd < 0) {
        perror("socket");
        return 1;
    }
    pthread_t t;
    if (pthread_create(&t, NULL, route_loop, NULL) != 0) return 1;
    printf("ready %d\n", (int)getpid());
    fflush(stdout);
    time_t end = time(NULL) + limit;
    for (unsigned round = 1; !stop && time(NULL) < end; ++round) {
        genl_round(round);
        if (round % 10 == 0) child_round(5000 + round);
        nap();
    }
    stop = 1;
    pthread_join(t, NULL);
    return 0;
}
