#include "catch.hpp"

#include "rtnl/capture_metadata.hpp"

using namespace rtnl;

TEST_CASE("packet comment: the socket tokens of docs/capture-metadata.md") {
    const auto t = parse_packet_comment("pid 4242 tid 4243 (go-netlink) sendmsg fd 7 port 3935569485 netns 4026532290");
    CHECK(t.pid == 4242);
    CHECK(t.port == 3935569485u);
    CHECK(t.netns == 4026532290u);
    // any order after pid, unknown tokens ignored, a command name with spaces, the truncation tail
    const auto u = parse_packet_comment("pid 1 (a b) netns 9 tid 2 future 5 recvmsg fd 3 port 77, truncated: 10 of 20 bytes");
    CHECK(u.pid == 1);
    CHECK(u.port == 77);
    CHECK(u.netns == 9);
    // no port: no socket identity; not the grammar: nothing
    CHECK(parse_packet_comment("pid 1 tid 1 (ip) sendmsg fd 3").port == 0);
    CHECK(parse_packet_comment("port 5").port == 0);
    CHECK(parse_packet_comment("").pid == 0);
    CHECK(parse_packet_comment("pid 1 tid 1 (ip) sendmsg fd 3 port 12x").port == 0);
}
