#include "catch.hpp"

#include "message_builder.hpp"
#include "rtnl/netlink.hpp"
#include "rtnl/tracker.hpp"
#include "rtnl/walker.hpp"

using namespace rtnl;
using namespace rtnl::test;

namespace {
NetlinkHeader hdr(std::uint16_t type, std::uint16_t flags, std::uint32_t seq, std::uint32_t pid) {
    return NetlinkHeader{16, type, flags, seq, pid};
}
constexpr std::int64_t ms = 1000000;
const PacketOrigin kUser{PacketOrigin::Direction::ToKernel};
const PacketOrigin kKernel{PacketOrigin::Direction::FromKernel};
}  // namespace

TEST_CASE("an error reply links to its request, which is marked failed") {
    Tracker t;
    t.observe({11, 0}, 100 * ms, hdr(25, nl::F_REQUEST | nl::F_ACK, 1795483983, 0), kUser, 0, {});
    t.observe({12, 0}, 103 * ms, hdr(nl::NLMSG_ERROR, 0, 1795483983, 6809), kKernel, -3, "no route");
    const RequestOutcome* o = t.outcome({11, 0});
    REQUIRE(o);
    CHECK(o->answered);
    CHECK(o->failed);
    CHECK(o->error == -3);
    CHECK(o->error_frame == 12);
    CHECK(o->extack == "no route");
    CHECK(o->response_frames == std::vector<std::uint32_t>{12});
    CHECK(o->first_response_time - o->request_time == 3 * ms);
    const ReplyLink* l = t.reply_link({12, 0});
    REQUIRE(l);
    CHECK(l->request.frame == 11);
    CHECK(t.pending() == 0);
}

TEST_CASE("a dump: every part and DONE answer the request") {
    Tracker t;
    t.observe({3, 0}, 0, hdr(18, nl::F_REQUEST | nl::F_DUMP, 7, 0), kUser, 0, {});
    t.observe({4, 0}, 1, hdr(16, nl::F_MULTI, 7, 500), kKernel, 0, {});
    t.observe({4, 1}, 1, hdr(16, nl::F_MULTI, 7, 500), kKernel, 0, {});
    t.observe({5, 0}, 2, hdr(16, nl::F_MULTI, 7, 500), kKernel, 0, {});
    CHECK_FALSE(t.outcome({3, 0})->answered);
    t.observe({6, 0}, 3, hdr(nl::NLMSG_DONE, nl::F_MULTI, 7, 500), kKernel, 0, {});
    const RequestOutcome* o = t.outcome({3, 0});
    CHECK(o->answered);
    CHECK_FALSE(o->failed);
    CHECK(o->response_frames == std::vector<std::uint32_t>{4, 5, 6});
    CHECK(o->response_count == 4);
}

TEST_CASE("same sequence number on two sockets: answers go by port id") {
    Tracker t;
    // Socket A (port 100) and B (port 200) both send seq 5; nlmsg_pid 0 in both.
    t.observe({1, 0}, 0, hdr(18, nl::F_REQUEST | nl::F_DUMP, 5, 0), kUser, 0, {});   // A: dump
    t.observe({2, 0}, 0, hdr(20, nl::F_REQUEST | nl::F_ACK, 5, 0), kUser, 0, {});    // B: add
    t.observe({3, 0}, 0, hdr(nl::NLMSG_ERROR, nl::F_CAPPED, 5, 200), kKernel, 0, {}); // B's ACK first
    t.observe({4, 0}, 0, hdr(16, nl::F_MULTI, 5, 100), kKernel, 0, {});               // A's dump part
    t.observe({5, 0}, 0, hdr(nl::NLMSG_DONE, nl::F_MULTI, 5, 100), kKernel, 0, {});
    CHECK(t.reply_link({3, 0})->request.frame == 2);
    CHECK(t.reply_link({4, 0})->request.frame == 1);
    CHECK(t.reply_link({5, 0})->request.frame == 1);
    CHECK(t.outcome({1, 0})->answered);
    CHECK(t.outcome({2, 0})->answered);
}

TEST_CASE("notifications and unanswered requests") {
    Tracker t;
    t.observe({1, 0}, 0, hdr(20, nl::F_REQUEST | nl::F_ACK, 9, 0), kUser, 0, {});
    t.observe({2, 0}, 0, hdr(20, 0, 0, 0), kKernel, 0, {});  // RTM_NEWADDR notification, seq 0
    CHECK(t.reply_link({2, 0}) == nullptr);
    CHECK(t.outcome({1, 0})->wants_answer);
    CHECK_FALSE(t.outcome({1, 0})->answered);
    // A NEW without ACK expects nothing.
    t.observe({3, 0}, 0, hdr(24, nl::F_REQUEST | nl::F_CREATE, 10, 0), kUser, 0, {});
    CHECK_FALSE(t.outcome({3, 0})->wants_answer);
}

TEST_CASE("tracking state is bounded") {
    Tracker t;
    for (std::uint32_t i = 1; i <= Tracker::kMaxPending + 100; ++i)
        t.observe({i, 0}, 0, hdr(20, nl::F_REQUEST | nl::F_ACK, i, 0), kUser, 0, {});
    CHECK(t.pending() == Tracker::kMaxPending);
}

TEST_CASE("same sequence number, pid 0 everywhere, answers out of order: the answer's shape picks the request") {
    // captures/analysis/interleaved.pcap: sockets A (port 949), B, and a child's C, all seq 4242.
    Tracker t;
    const NetlinkHeader getlink = hdr(18, nl::F_REQUEST | nl::F_DUMP, 4242, 0);
    const NetlinkHeader newaddr = hdr(20, nl::F_REQUEST | nl::F_ACK | nl::F_EXCL | nl::F_CREATE, 4242, 0);
    const NetlinkHeader newroute = hdr(24, nl::F_REQUEST | nl::F_ACK | nl::F_EXCL | nl::F_CREATE, 4242, 0);
    const NetlinkHeader delroute = hdr(25, nl::F_REQUEST | nl::F_ACK, 4242, 0);
    t.observe({1, 0}, 0, getlink, kUser, 0, {});
    t.observe({2, 0}, 0, newaddr, kUser, 0, {});
    t.observe({3, 0}, 0, newroute, kUser, 0, {});
    t.observe({4, 0}, 0, delroute, kUser, 0, {});
    t.observe({5, 0}, 0, hdr(nl::NLMSG_ERROR, nl::F_CAPPED, 4242, 3649229750u), kKernel, 0, {}, &newaddr);
    t.observe({6, 0}, 0, hdr(nl::NLMSG_ERROR, nl::F_CAPPED, 4242, 950), kKernel, 0, {}, &newroute);
    t.observe({7, 0}, 0, hdr(16, nl::F_MULTI, 4242, 949), kKernel, 0, {});
    t.observe({8, 0}, 0, hdr(nl::NLMSG_ERROR, 0, 4242, 949), kKernel, -3, {}, &delroute);
    t.observe({9, 0}, 0, hdr(16, nl::F_MULTI, 4242, 949), kKernel, 0, {});
    t.observe({10, 0}, 0, hdr(nl::NLMSG_DONE, nl::F_MULTI, 4242, 949), kKernel, 0, {});
    CHECK(t.reply_link({5, 0})->request.frame == 2);
    CHECK(t.reply_link({6, 0})->request.frame == 3);
    CHECK(t.reply_link({7, 0})->request.frame == 1);
    CHECK(t.reply_link({8, 0})->request.frame == 4);
    CHECK(t.reply_link({9, 0})->request.frame == 1);
    CHECK(t.reply_link({10, 0})->request.frame == 1);
    CHECK(t.outcome({4, 0})->failed);
    CHECK(t.outcome({1, 0})->response_frames == std::vector<std::uint32_t>{7, 9, 10});
}

// The headers below are those of captures/kube/go-netlink.pcap and
// captures/kube/pyroute2-echo.pcap (seq, pid, flags as recorded).
TEST_CASE("a notification with the request's seq and port is no reply (Go RouteSubscribe beside RouteAdd)") {
    Tracker t;
    t.observe({12, 0}, 0, hdr(24, 0x605, 4, 0), kUser, 0, {});                         // RTM_NEWROUTE add
    t.observe({13, 0}, 0, hdr(24, 0, 4, 2786533759u), kKernel, 0, {});                 // its notification
    const NetlinkHeader req = hdr(24, 0x605, 4, 0);
    t.observe({14, 0}, 0, hdr(nl::NLMSG_ERROR, nl::F_CAPPED, 4, 2786533759u), kKernel, 0, {}, &req);
    CHECK_FALSE(t.reply_link({13, 0}));
    REQUIRE(t.reply_link({14, 0}));
    CHECK(t.reply_link({14, 0})->request.frame == 12);
    REQUIRE(t.outcome({12, 0}));
    CHECK(t.outcome({12, 0})->response_frames == std::vector<std::uint32_t>{14});
}

TEST_CASE("NLM_F_ECHO: the echo answers the request, and pyroute2's pid in nlmsg_pid does not hide its answers") {
    Tracker t;
    const NetlinkHeader req = hdr(24, 0x60d, 259, 14210);  // REQUEST|ACK|ECHO|EXCL|CREATE, pid = process id
    t.observe({9, 0}, 0, req, kUser, 0, {});
    t.observe({10, 0}, 0, hdr(24, 0x600, 259, 2983186182u), kKernel, 0, {});  // the echo, to the socket's port
    t.observe({12, 0}, 0, hdr(nl::NLMSG_ERROR, nl::F_CAPPED, 259, 2983186182u), kKernel, 0, {}, &req);
    REQUIRE(t.reply_link({10, 0}));
    CHECK(t.reply_link({10, 0})->request.frame == 9);
    REQUIRE(t.reply_link({12, 0}));
    CHECK(t.reply_link({12, 0})->request.frame == 9);
    CHECK(t.outcome({9, 0})->response_frames == std::vector<std::uint32_t>{10, 12});
    CHECK(t.outcome({9, 0})->answered);
}

TEST_CASE("direction: a kernel message that copies the request's flags is never a new request") {
    // An address echo carries nlmsg_flags of the request (NLM_F_REQUEST included)
    Tracker t;
    const NetlinkHeader req = hdr(20, 0x60d, 260, 14210);
    t.observe({11, 0}, 0, req, kUser, 0, {});
    t.observe({13, 0}, 0, hdr(20, 0x60d, 260, 2983186182u), kKernel, 0, {});
    t.observe({15, 0}, 0, hdr(nl::NLMSG_ERROR, nl::F_CAPPED, 260, 2983186182u), kKernel, 0, {}, &req);
    CHECK_FALSE(t.outcome({13, 0}));  // not taken for a request
    REQUIRE(t.reply_link({13, 0}));
    CHECK(t.reply_link({13, 0})->request.frame == 11);
    CHECK(t.reply_link({15, 0})->request.frame == 11);
    // Without the direction (Linux cooked captures), NLM_F_REQUEST still tells.
    Tracker u;
    u.observe({1, 0}, 0, req, PacketOrigin{}, 0, {});
    CHECK(u.outcome({1, 0}));
}

TEST_CASE("LinkByName: a GET with NLM_F_ACK whose reply is read and ACK never is answered") {
    Tracker t;
    t.observe({1, 0}, 0, hdr(18, nl::F_REQUEST | nl::F_ACK, 1, 0), kUser, 0, {});
    t.observe({2, 0}, 0, hdr(16, 0, 1, 2747744931u), kKernel, 0, {});
    REQUIRE(t.outcome({1, 0}));
    CHECK(t.outcome({1, 0})->response_frames == std::vector<std::uint32_t>{2});
    CHECK_FALSE(t.outcome({1, 0})->unanswered());
    t.observe({3, 0}, 0, hdr(18, nl::F_REQUEST | nl::F_ACK, 2, 0), kUser, 0, {});
    CHECK(t.outcome({3, 0})->unanswered());
}

TEST_CASE("socket identity from the capture: only answers on the requesting socket are its own") {
    // capture-metadata.md: namespace = pcapng interface, socket = (interface, port)
    const std::uint64_t ns = PacketOrigin::namespace_key(0, 1);
    const PacketOrigin request_socket{PacketOrigin::Direction::ToKernel, ns, 700};
    const PacketOrigin on_request_socket{PacketOrigin::Direction::FromKernel, ns, 700};
    const PacketOrigin on_monitor{PacketOrigin::Direction::FromKernel, ns, 900};
    const PacketOrigin other_ns{PacketOrigin::Direction::FromKernel, PacketOrigin::namespace_key(0, 2), 700};
    Tracker t;
    const NetlinkHeader req = hdr(24, 0x60d, 5, 0);  // with NLM_F_ECHO: an echo would fit by its shape
    t.observe({1, 0}, 0, req, request_socket, 0, {});
    t.observe({2, 0}, 0, hdr(24, 0x600, 5, 700), on_monitor, 0, {});  // the multicast copy
    t.observe({3, 0}, 0, hdr(24, 0x600, 5, 700), other_ns, 0, {});
    t.observe({4, 0}, 0, hdr(24, 0x600, 5, 700), on_request_socket, 0, {});  // the echo
    t.observe({5, 0}, 0, hdr(nl::NLMSG_ERROR, nl::F_CAPPED, 5, 700), on_request_socket, 0, {}, &req);
    CHECK_FALSE(t.reply_link({2, 0}));
    CHECK_FALSE(t.reply_link({3, 0}));
    REQUIRE(t.reply_link({4, 0}));
    CHECK(t.reply_link({4, 0})->request.frame == 1);
    CHECK(t.outcome({1, 0})->response_frames == std::vector<std::uint32_t>{4, 5});
}

TEST_CASE("interface names per network namespace; two names for one index are both kept") {
    LinkNames names;
    const std::uint64_t host = PacketOrigin::namespace_key(0, 0), container = PacketOrigin::namespace_key(0, 1);
    names.learn(host, 2, "cni0");
    names.learn(container, 2, "eth0");
    REQUIRE(names.find(host, 2));
    CHECK(names.find(host, 2)->shown == "cni0");
    CHECK_FALSE(names.find(host, 2)->ambiguous());
    CHECK(names.find(container, 2)->shown == "eth0");
    CHECK_FALSE(names.find(0, 2));
    // Without namespaces (classic pcap): one index, two names - ambiguous, never one picked
    names.learn(0, 2, "cni0");
    names.learn(0, 2, "eth0");
    names.learn(0, 2, "cni0");
    CHECK(names.find(0, 2)->shown == "cni0|eth0");
    CHECK(names.find(0, 2)->ambiguous());
    CHECK(names.find(0, 2)->names == std::vector<std::string>{"cni0", "eth0"});
}

TEST_CASE("the learner reads only the bodies it needs: a link's name behind two routes, an error's extended ACK") {
    Tracker tracker;
    LinkNames names;
    RouteBook routes;
    const PacketOrigin kernel{PacketOrigin::Direction::FromKernel};
    const auto route = MessageBuilder(24, nl::F_MULTI, 5, 100).rtmsg(2, 24).attr_u32(1, 0x00000a0a).attr_u32(4, 2).bytes();
    // RTM_NEWLINK: ifinfomsg (index 7), IFLA_IFNAME "veth9", IFLA_LINKINFO { IFLA_INFO_KIND "veth" }
    const auto link = MessageBuilder(16, nl::F_MULTI, 5, 100)
                          .raw({0, 0, 1, 0, 7, 0, 0, 0, 0x43, 0x10, 0, 0, 0, 0, 0, 0})
                          .attr(3, {'v', 'e', 't', 'h', '9', 0})
                          .attr(18 | 0x8000, nla(1, {'v', 'e', 't', 'h'}))
                          .bytes();
    const auto packet = concat(concat(route, route), link);
    for (RouteBook* book : {&routes, static_cast<RouteBook*>(nullptr)}) {
        names.clear();
        CaptureLearner learner(tracker, names, book, 3, 0, kernel);
        CHECK(walk_messages(packet, 0, learner) == 3);
        REQUIRE(names.find(0, 7));
        CHECK(names.find(0, 7)->shown == "veth9");
    }
    CHECK(routes.size() == 1);  // the two routes are one, learnt once (the read without the book added none)
    // the body of an error: its code, extended ACK and echoed header are read behind a route
    const auto request = MessageBuilder(25, nl::F_REQUEST | nl::F_ACK, 9).rtmsg(2, 24).bytes();
    {
        CaptureLearner learner(tracker, names, nullptr, 4, 0, PacketOrigin{PacketOrigin::Direction::ToKernel});
        walk_messages(request, 0, learner);
    }
    const auto error = MessageBuilder(nl::NLMSG_ERROR, nl::F_CAPPED | nl::F_ACK_TLVS, 9, 100)
                           .raw({0xfd, 0xff, 0xff, 0xff})
                           .raw(std::vector<std::uint8_t>(request.begin(), request.begin() + 16))
                           .attr(1, {'n', 'o', 'p', 'e', 0})
                           .bytes();
    CaptureLearner learner(tracker, names, nullptr, 5, 0, kernel);
    walk_messages(concat(route, error), 0, learner);
    const RequestOutcome* o = tracker.outcome({4, 0});
    REQUIRE(o);
    CHECK(o->failed);
    CHECK(o->error == -3);
    CHECK(o->extack == "nope");
    CHECK(o->response_frames == std::vector<std::uint32_t>{5});
    CHECK(tracker.reply_link({5, 1}));
    CHECK_FALSE(tracker.reply_link({5, 0}));  // the route notification is no answer
}
