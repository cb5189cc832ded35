#include "catch.hpp"

#include "rtnl/netlink.hpp"
#include "rtnl/tracker.hpp"

using namespace rtnl;

namespace {
NetlinkHeader hdr(std::uint16_t type, std::uint16_t flags, std::uint32_t seq, std::uint32_t pid) {
    return NetlinkHeader{16, type, flags, seq, pid};
}
constexpr std::int64_t ms = 1000000;
}  // namespace

TEST_CASE("an error reply links to its request, which is marked failed") {
    Tracker t;
    t.observe({11, 0}, 100 * ms, hdr(25, nl::F_REQUEST | nl::F_ACK, 1795483983, 0), true, 0, {});
    t.observe({12, 0}, 103 * ms, hdr(nl::NLMSG_ERROR, 0, 1795483983, 6809), false, -3, "no route");
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
    t.observe({3, 0}, 0, hdr(18, nl::F_REQUEST | nl::F_DUMP, 7, 0), true, 0, {});
    t.observe({4, 0}, 1, hdr(16, nl::F_MULTI, 7, 500), false, 0, {});
    t.observe({4, 1}, 1, hdr(16, nl::F_MULTI, 7, 500), false, 0, {});
    t.observe({5, 0}, 2, hdr(16, nl::F_MULTI, 7, 500), false, 0, {});
    CHECK_FALSE(t.outcome({3, 0})->answered);
    t.observe({6, 0}, 3, hdr(nl::NLMSG_DONE, nl::F_MULTI, 7, 500), false, 0, {});
    const RequestOutcome* o = t.outcome({3, 0});
    CHECK(o->answered);
    CHECK_FALSE(o->failed);
    CHECK(o->response_frames == std::vector<std::uint32_t>{4, 5, 6});
    CHECK(o->response_count == 4);
}

TEST_CASE("same sequence number on two sockets: answers go by port id") {
    Tracker t;
    // Socket A (port 100) and B (port 200) both send seq 5; nlmsg_pid 0 in both.
    t.observe({1, 0}, 0, hdr(18, nl::F_REQUEST | nl::F_DUMP, 5, 0), true, 0, {});   // A: dump
    t.observe({2, 0}, 0, hdr(20, nl::F_REQUEST | nl::F_ACK, 5, 0), true, 0, {});    // B: add
    t.observe({3, 0}, 0, hdr(nl::NLMSG_ERROR, nl::F_CAPPED, 5, 200), false, 0, {}); // B's ACK first
    t.observe({4, 0}, 0, hdr(16, nl::F_MULTI, 5, 100), false, 0, {});               // A's dump part
    t.observe({5, 0}, 0, hdr(nl::NLMSG_DONE, nl::F_MULTI, 5, 100), false, 0, {});
    CHECK(t.reply_link({3, 0})->request.frame == 2);
    CHECK(t.reply_link({4, 0})->request.frame == 1);
    CHECK(t.reply_link({5, 0})->request.frame == 1);
    CHECK(t.outcome({1, 0})->answered);
    CHECK(t.outcome({2, 0})->answered);
}

TEST_CASE("notifications and unanswered requests") {
    Tracker t;
    t.observe({1, 0}, 0, hdr(20, nl::F_REQUEST | nl::F_ACK, 9, 0), true, 0, {});
    t.observe({2, 0}, 0, hdr(20, 0, 0, 0), false, 0, {});  // RTM_NEWADDR notification, seq 0
    CHECK(t.reply_link({2, 0}) == nullptr);
    CHECK(t.outcome({1, 0})->wants_answer);
    CHECK_FALSE(t.outcome({1, 0})->answered);
    // A NEW without ACK expects nothing.
    t.observe({3, 0}, 0, hdr(24, nl::F_REQUEST | nl::F_CREATE, 10, 0), true, 0, {});
    CHECK_FALSE(t.outcome({3, 0})->wants_answer);
}

TEST_CASE("tracking state is bounded") {
    Tracker t;
    for (std::uint32_t i = 1; i <= Tracker::kMaxPending + 100; ++i)
        t.observe({i, 0}, 0, hdr(20, nl::F_REQUEST | nl::F_ACK, i, 0), true, 0, {});
    CHECK(t.pending() == Tracker::kMaxPending);
}

TEST_CASE("same sequence number, pid 0 everywhere, answers out of order: the answer's shape picks the request") {
    // captures/analysis/interleaved.pcap: sockets A (port 949), B, and a child's C, all seq 4242.
    Tracker t;
    const NetlinkHeader getlink = hdr(18, nl::F_REQUEST | nl::F_DUMP, 4242, 0);
    const NetlinkHeader newaddr = hdr(20, nl::F_REQUEST | nl::F_ACK | nl::F_EXCL | nl::F_CREATE, 4242, 0);
    const NetlinkHeader newroute = hdr(24, nl::F_REQUEST | nl::F_ACK | nl::F_EXCL | nl::F_CREATE, 4242, 0);
    const NetlinkHeader delroute = hdr(25, nl::F_REQUEST | nl::F_ACK, 4242, 0);
    t.observe({1, 0}, 0, getlink, true, 0, {});
    t.observe({2, 0}, 0, newaddr, true, 0, {});
    t.observe({3, 0}, 0, newroute, true, 0, {});
    t.observe({4, 0}, 0, delroute, true, 0, {});
    t.observe({5, 0}, 0, hdr(nl::NLMSG_ERROR, nl::F_CAPPED, 4242, 3649229750u), false, 0, {}, &newaddr);
    t.observe({6, 0}, 0, hdr(nl::NLMSG_ERROR, nl::F_CAPPED, 4242, 950), false, 0, {}, &newroute);
    t.observe({7, 0}, 0, hdr(16, nl::F_MULTI, 4242, 949), false, 0, {});
    t.observe({8, 0}, 0, hdr(nl::NLMSG_ERROR, 0, 4242, 949), false, -3, {}, &delroute);
    t.observe({9, 0}, 0, hdr(16, nl::F_MULTI, 4242, 949), false, 0, {});
    t.observe({10, 0}, 0, hdr(nl::NLMSG_DONE, nl::F_MULTI, 4242, 949), false, 0, {});
    CHECK(t.reply_link({5, 0})->request.frame == 2);
    CHECK(t.reply_link({6, 0})->request.frame == 3);
    CHECK(t.reply_link({7, 0})->request.frame == 1);
    CHECK(t.reply_link({8, 0})->request.frame == 4);
    CHECK(t.reply_link({9, 0})->request.frame == 1);
    CHECK(t.reply_link({10, 0})->request.frame == 1);
    CHECK(t.outcome({4, 0})->failed);
    CHECK(t.outcome({1, 0})->response_frames == std::vector<std::uint32_t>{7, 9, 10});
}
