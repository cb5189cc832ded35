#include "catch.hpp"

#include "message_builder.hpp"
#include "real_bytes.hpp"
#include "recording_visitor.hpp"
#include "rtnl/netlink.hpp"
#include "rtnl/tracker.hpp"
#include "rtnl/walker.hpp"

using namespace rtnl;
using namespace rtnl::test;

namespace {
const PacketOrigin kUser{PacketOrigin::Direction::ToKernel};
const PacketOrigin kKernel{PacketOrigin::Direction::FromKernel};

struct Capture {
    Tracker tracker;
    LinkNames names;
    RouteBook routes;
    void packet(std::uint32_t frame, const std::vector<std::uint8_t>& bytes, const PacketOrigin& origin) {
        CaptureLearner learner(tracker, names, routes, frame, 0, origin);
        walk_messages(bytes, 0, learner);
    }
};

// The kernel's error for a request: errno, then the request's header (capped)
std::vector<std::uint8_t> error_for(const std::vector<std::uint8_t>& request, std::int32_t error) {
    const auto e = static_cast<std::uint32_t>(error);
    const std::uint32_t seq = request[8] | request[9] << 8 | request[10] << 16 | std::uint32_t{request[11]} << 24;
    return MessageBuilder(nl::NLMSG_ERROR, nl::F_CAPPED, seq, 100)
        .raw({static_cast<std::uint8_t>(e), static_cast<std::uint8_t>(e >> 8), static_cast<std::uint8_t>(e >> 16),
              static_cast<std::uint8_t>(e >> 24)})
        .raw(std::vector<std::uint8_t>(request.begin(), request.begin() + 16))
        .bytes();
}
}  // namespace

TEST_CASE("ESRCH on RouteDel: the scope differs from the route the capture showed") {
    Capture c;
    c.names.learn(0, 1, "lo");
    c.packet(13, from_hex(real::kGoRouteNotify), kKernel);
    const auto del = from_hex(real::kGoRouteDelUniverse);
    c.packet(18, del, kUser);
    c.packet(19, error_for(del, -3), kKernel);
    const RequestOutcome* o = c.tracker.outcome({18, 0});
    REQUIRE(o);
    REQUIRE(o->failed);
    CHECK(explain_failure(*o) ==
          "no route matched: the request asks for scope universe; 10.5.0.0/24 dev lo exists with scope link (frame 13)");
}

TEST_CASE("the same delete with RT_SCOPE_NOWHERE or the route's scope finds no difference") {
    for (std::uint8_t scope : {std::uint8_t{255}, std::uint8_t{253}}) {
        Capture c;
        c.packet(13, from_hex(real::kGoRouteNotify), kKernel);
        auto del = from_hex(real::kGoRouteDelUniverse);
        del[16 + 6] = scope;
        c.packet(18, del, kUser);
        c.packet(19, error_for(del, -3), kKernel);
        // nothing differs in what the capture shows: the rule in plain words instead
        CHECK(explain_failure(*c.tracker.outcome({18, 0})).rfind("no route matched: a delete matches", 0) == 0);
    }
}

TEST_CASE("a deleted route is no longer compared; other namespaces' routes never are") {
    Capture c;
    c.packet(13, from_hex(real::kGoRouteNotify), kKernel);
    auto gone = from_hex(real::kGoRouteNotify);
    gone[4] = 25;  // RTM_DELROUTE notification of the same route
    c.packet(14, gone, kKernel);
    const auto del = from_hex(real::kGoRouteDelUniverse);
    c.packet(18, del, kUser);
    c.packet(19, error_for(del, -3), kKernel);
    CHECK(explain_failure(*c.tracker.outcome({18, 0})).find("exists") == std::string::npos);

    Capture d;
    d.packet(13, from_hex(real::kGoRouteNotify), PacketOrigin{PacketOrigin::Direction::FromKernel, 7});
    d.packet(18, del, PacketOrigin{PacketOrigin::Direction::ToKernel, 8});
    d.packet(19, error_for(del, -3), PacketOrigin{PacketOrigin::Direction::FromKernel, 8});
    CHECK(explain_failure(*d.tracker.outcome({18, 0})).find("exists") == std::string::npos);
}

TEST_CASE("EEXIST on RouteAdd names the route that exists; other errors get the kernel's rule") {
    Capture c;
    c.packet(13, from_hex(real::kGoRouteNotify), kKernel);
    auto add = from_hex(real::kGoRouteNotify);
    add[4] = 24, add[6] = 0x05, add[7] = 0x06;  // the request: RTM_NEWROUTE REQUEST|ACK|EXCL|CREATE
    c.packet(20, add, kUser);
    c.packet(21, error_for(add, -17), kKernel);
    CHECK(explain_failure(*c.tracker.outcome({20, 0})) ==
          "the route exists: 10.5.0.0/24 dev 1 (frame 13) has this prefix, table, TOS and metric; NLM_F_REPLACE "
          "(ip route replace) would replace it");
    CHECK(failure_reason(24, 0x405, -1) == "not permitted: the process lacks CAP_NET_ADMIN in this network namespace");
    CHECK(failure_reason(24, 0x405, -101).rfind("the gateway is not reachable", 0) == 0);
    CHECK(failure_reason(24, 0x405, -2).empty());  // ENOENT: nothing to add
}

TEST_CASE("failure_reason: EOPNOTSUPP on the bridge VLAN database names the missing kernel feature") {
    for (std::uint16_t type : {112, 113, 114})  // RTM_NEWVLAN, RTM_DELVLAN, RTM_GETVLAN
        CHECK(failure_reason(type, 0x5, -95) ==
              "this kernel has no bridge VLAN database: RTM_NEWVLAN/DELVLAN/GETVLAN are handled only by a bridge "
              "built with CONFIG_BRIDGE_VLAN_FILTERING");
    CHECK(failure_reason(16, 0x5, -95).rfind("the kernel has no support for this request here", 0) == 0);
}

namespace {
RouteFacts route_to(std::uint8_t last_octet, std::uint32_t oif, std::uint32_t frame) {
    RouteFacts r;
    r.family = 2;  // AF_INET
    r.dst = {10, 5, 0, last_octet};
    r.dst_len = 32;
    r.table = 254;
    r.oif = oif;
    r.has_oif = true;
    r.frame = frame;
    return r;
}
}  // namespace

TEST_CASE("route book: one prefix's routes stay in the order learnt through deletes, re-adds and churn") {
    RouteBook book;
    for (std::uint32_t oif : {1u, 2u, 3u}) book.learn(0, route_to(1, oif, oif), false);
    CHECK(book.size() == 3);
    const RouteFacts add = route_to(1, 0, 0);
    auto exists = [&] { return book.explain_exists(0, add, nullptr); };
    CHECK(exists().rfind("the route exists: 10.5.0.1/32 dev 3 (frame 3)", 0) == 0);  // the latest of the prefix
    book.learn(0, route_to(1, 3, 9), true);
    CHECK(exists().rfind("the route exists: 10.5.0.1/32 dev 2 (frame 2)", 0) == 0);
    book.learn(0, route_to(1, 1, 7), false);  // seen again: the latest frame, its place kept
    CHECK(exists().rfind("the route exists: 10.5.0.1/32 dev 2 (frame 2)", 0) == 0);
    book.learn(0, route_to(1, 2, 9), true);
    CHECK(exists().rfind("the route exists: 10.5.0.1/32 dev 1 (frame 7)", 0) == 0);
    // a delete compares the first route of the prefix
    book.learn(0, route_to(1, 4, 8), false);
    const RouteFacts del = route_to(1, 9, 0);
    CHECK(book.explain_delete(0, del, nullptr) ==
          "no route matched: the request asks for dev 9; 10.5.0.1/32 dev 1 exists with dev 1 (frame 7)");
    // other prefixes come and go by the thousand: the book holds what is left
    for (std::uint32_t i = 0; i < 200000; ++i) {
        RouteFacts r = route_to(2, 1, i);
        r.dst[2] = static_cast<std::uint8_t>(i >> 8), r.dst[1] = static_cast<std::uint8_t>(i >> 16);
        book.learn(0, r, false);
        book.learn(0, r, true);
    }
    CHECK(book.size() == 2);
    CHECK(exists().rfind("the route exists: 10.5.0.1/32 dev 4 (frame 8)", 0) == 0);
    CHECK(book.explain_exists(1, add, nullptr).empty());  // another namespace
    book.clear();
    CHECK(book.size() == 0);
    CHECK(exists().empty());
}

TEST_CASE("route book: at most kMaxRoutes routes, the first kept") {
    RouteBook book;
    for (std::uint32_t i = 0; i < RouteBook::kMaxRoutes + 10; ++i) {
        RouteFacts r = route_to(static_cast<std::uint8_t>(i), 1, i);
        r.dst[2] = static_cast<std::uint8_t>(i >> 8), r.dst[1] = static_cast<std::uint8_t>(i >> 16);
        book.learn(0, r, false);
    }
    CHECK(book.size() == RouteBook::kMaxRoutes);
    RouteFacts last = route_to(static_cast<std::uint8_t>(RouteBook::kMaxRoutes - 1), 0, 0);
    last.dst[1] = 0, last.dst[2] = 0xff;
    CHECK(book.explain_exists(0, last, nullptr).find("(frame 65535)") != std::string::npos);
    RouteFacts past = route_to(0, 0, 0);
    past.dst[1] = 1;  // route 65536: not kept
    CHECK(book.explain_exists(0, past, nullptr).empty());
}

TEST_CASE("a learner without a route book counts the refusals a book would explain, and explains by the rule") {
    Tracker tracker;
    LinkNames names;
    auto packet = [&](std::uint32_t frame, const std::vector<std::uint8_t>& bytes, const PacketOrigin& origin) {
        CaptureLearner learner(tracker, names, nullptr, frame, 0, origin);
        walk_messages(bytes, 0, learner);
    };
    packet(13, from_hex(real::kGoRouteNotify), kKernel);
    const auto del = from_hex(real::kGoRouteDelUniverse);
    packet(18, del, kUser);
    packet(19, error_for(del, -3), kKernel);
    CHECK(tracker.route_refusals() == 1);
    CHECK(explain_failure(*tracker.outcome({18, 0})).rfind("no route matched: a delete matches the prefix", 0) == 0);
    // with the book (a second read), the route of frame 13 is compared
    Capture c;
    c.packet(13, from_hex(real::kGoRouteNotify), kKernel);
    c.packet(18, del, kUser);
    c.packet(19, error_for(del, -3), kKernel);
    CHECK(c.tracker.route_refusals() == 1);
    CHECK(explain_failure(*c.tracker.outcome({18, 0})).find("exists with scope link (frame 13)") != std::string::npos);
    // other failures are no refusal a book explains
    Capture d;
    d.packet(18, del, kUser);
    d.packet(19, error_for(del, -19), kKernel);
    CHECK(d.tracker.route_refusals() == 0);
    c.tracker.clear();
    CHECK(c.tracker.route_refusals() == 0);
}
