#include "catch.hpp"

#include <net/if.h>

#include "test_util.hpp"
#include "rtmon_reader.hpp"

using namespace rtnl::record;
using rtnl::formats::read_rtmon;
using rtnl::formats::RtmonFile;
using namespace rtnl::record::test;

namespace {

// The RTM_DELROUTE of captures/programs/oif-zero.c, sent in two iovecs.
const std::vector<uint8_t> kDelRoute = bytes({
    0x34, 0x00, 0x00, 0x00, 0x19, 0x00, 0x05, 0x00, 0x4f, 0xe9, 0x04, 0x6b, 0x00, 0x00, 0x00, 0x00,  //
    0x02, 0x18, 0x00, 0x00, 0xfe, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00,                          // iov 0
    0x08, 0x00, 0x01, 0x00, 0x0a, 0x09, 0x01, 0x00, 0x08, 0x00, 0x05, 0x00, 0x0a, 0x09, 0x00, 0x01,  // iov 1
    0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,                                                  // RTA_OIF 0
});

std::vector<uint8_t> esrch_reply() {
    auto r = bytes({0x48, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x4f, 0xe9, 0x04, 0x6b, 0xa6, 0x13, 0x00, 0x00,
                    0xfd, 0xff, 0xff, 0xff});
    r.insert(r.end(), kDelRoute.begin(), kDelRoute.end());
    return r;
}

}  // namespace

TEST_CASE("oif-zero: sendmsg with two iovecs and its error reply", "[converter]") {
    auto c = convert_file("oif-zero.strace");
    REQUIRE(c.diags.empty());
    REQUIRE(c.packets.size() == 2);

    const auto& req = c.packets[0];
    CHECK(req.pkttype == kPacketOutgoing);
    CHECK(req.family == 0);
    CHECK(req.ts_nsec == 1795486383417554LL * 1000);
    CHECK(req.tid == 5030);
    CHECK(req.fd == 3);
    CHECK(req.orig_len == 52);
    CHECK(req.payload == kDelRoute);  // the two iovecs joined in order

    const auto& rep = c.packets[1];
    CHECK(rep.pkttype == kPacketHost);
    CHECK(rep.family == 0);
    CHECK(rep.ts_nsec == 1795486383418026LL * 1000);
    CHECK(rep.orig_len == 72);
    // recvmsg had a 8192-byte buffer; only the 72 returned bytes are dumped and kept
    CHECK(rep.payload == esrch_reply());
}

TEST_CASE("logs without timestamps get a fake clock, 1 ms per packet", "[converter]") {
    auto c = convert_file("oif-zero-no-time.strace");
    REQUIRE(c.diags.empty());
    REQUIRE(c.packets.size() == 2);
    CHECK(c.packets[0].ts_nsec == 0);
    CHECK(c.packets[1].ts_nsec == 1000000);
    CHECK(c.packets[0].tid == -1);
    CHECK(c.packets[0].payload == kDelRoute);
    CHECK(c.packets[1].payload.size() == 72);
}

TEST_CASE("ip link set lo up: MSG_PEEK|MSG_TRUNC probes are not packets", "[converter]") {
    auto c = convert_file("ip-link-set-lo-up.strace");
    REQUIRE(c.diags.empty());
    CHECK(c.stats.peeks_skipped == 2);
    REQUIRE(c.packets.size() == 6);
    const uint16_t dirs[] = {4, 0, 4, 0, 4, 0};
    const uint16_t types[] = {16, 2, 18, 16, 16, 2};  // NEWLINK probe, ERROR, GETLINK, NEWLINK, NEWLINK, ACK
    const uint32_t lens[] = {32, 52, 48, 1100, 32, 36};
    for (size_t i = 0; i < 6; ++i) {
        INFO("packet " << i);
        CHECK(c.packets[i].pkttype == dirs[i]);
        CHECK(nl_type(c.packets[i]) == types[i]);
        CHECK(c.packets[i].payload.size() == lens[i]);
        CHECK(nl_len(c.packets[i]) == lens[i]);
        CHECK(c.packets[i].orig_len == lens[i]);
        CHECK(c.packets[i].family == 0);
        if (i) CHECK(c.packets[i].ts_nsec > c.packets[i - 1].ts_nsec);
    }
    // the reply to the PEEK-sized GETLINK is recorded once, at the real recvmsg's time
    CHECK(c.packets[3].ts_nsec == 1795486383392332LL * 1000);
    CHECK(nl_seq(c.packets[3]) == 1795486384u);
}

TEST_CASE("ip monitor: <unfinished ...> recvmsg joined with its resume across other processes", "[converter]") {
    auto c = convert_file("monitor-unfinished.strace");
    REQUIRE(c.diags.empty());
    CHECK(c.stats.peeks_skipped == 5);
    // the final recvmsg interrupted by SIGTERM ("= ? ERESTARTSYS") is no failure
    CHECK(c.stats.failed_calls == 0);
    CHECK(c.stats.interrupted_calls == 1);
    REQUIRE(c.packets.size() == 12);
    // packet 10: pid 5041's sendmsg on its fd 3; packet 11: the notification pid 5039's
    // recvmsg (started at line 152, resumed at line 258) received meanwhile
    const auto& ev = c.packets[10];
    CHECK(ev.tid == 5039);
    CHECK(ev.fd == 3);
    CHECK(ev.line == 258);
    CHECK(ev.pkttype == kPacketHost);
    CHECK(ev.ts_nsec == 1795486383786999LL * 1000);
    CHECK(ev.payload.size() == 1468);
    CHECK(nl_type(ev) == 16);  // RTM_NEWLINK notification
    CHECK(nl_seq(ev) == 0);
    CHECK(c.packets[9].tid == 5041);
    CHECK(c.packets[9].pkttype == kPacketOutgoing);
    CHECK(c.packets[11].tid == 5041);
    for (auto& p : c.packets) CHECK(p.family == 0);
}

TEST_CASE("a send split by <unfinished ...> is stamped at its entry and written before what came meanwhile",
          "[converter]") {
    // send-unfinished.strace: monitor-unfinished.strace with pid 5041's sendmsg
    // split around the notification pid 5039 received while it was in flight
    auto whole = convert_file("monitor-unfinished.strace");
    auto split = convert_file("send-unfinished.strace");
    REQUIRE(split.diags.empty());
    REQUIRE(split.packets.size() == whole.packets.size());
    for (size_t i = 0; i < whole.packets.size(); ++i) {
        INFO("packet " << i);
        CHECK(split.packets[i].ts_nsec == whole.packets[i].ts_nsec);
        CHECK(split.packets[i].tid == whole.packets[i].tid);
        CHECK(split.packets[i].payload == whole.packets[i].payload);
    }
    CHECK(split.packets[9].pkttype == kPacketOutgoing);
    CHECK(split.packets[9].ts_nsec == 1795486383786543000LL);  // entry, not the resume at .787100
    CHECK(split.packets[10].ts_nsec == 1795486383786999000LL);  // the notification after it
}

TEST_CASE("strace -T: a receive is stamped when it completed, a send when it began", "[converter]") {
    auto c = convert_text(
        "700 1796161015.774681 sendto(3<NETLINK:[ROUTE:3005661883]>, "
        "[{nlmsg_len=20, nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=1, nlmsg_pid=0}, "
        "\"\\x00\\x00\\x00\\x00\"], 20, 0, NULL, 0) = 20 <0.000020>\n"
        "700 1796161015.774781 recvfrom(3<NETLINK:[ROUTE:3005661883]>, "
        "[{nlmsg_len=20, nlmsg_type=NLMSG_DONE, nlmsg_flags=NLM_F_MULTI, nlmsg_seq=1, nlmsg_pid=700}, 0], "
        "32768, 0, NULL, NULL) = 20 <0.250000>\n");
    REQUIRE(c.diags.empty());
    REQUIRE(c.packets.size() == 2);
    CHECK(c.packets[0].ts_nsec == 1796161015774681000LL);
    CHECK(c.packets[1].ts_nsec == 1796161016024781000LL);
    CHECK(c.packets[0].port == 3005661883u);  // -yy: NETLINK:[ROUTE:3005661883]
    CHECK(c.packets[0].tgid == 700);
}

TEST_CASE("python: sendto/recvfrom/write/read, EAGAIN, recvfrom MSG_PEEK, file reads on the same fd number",
          "[converter]") {
    auto c = convert_file("python-socket.strace");
    REQUIRE(c.diags.empty());
    CHECK(c.stats.failed_calls == 1);   // recvfrom = -1 EAGAIN
    CHECK(c.stats.peeks_skipped == 1);  // recvfrom(..., MSG_PEEK)
    REQUIRE(c.packets.size() == 5);
    const uint16_t dirs[] = {4, 0, 0, 4, 0};
    const uint32_t sizes[] = {24, 76, 20, 32, 1468};
    const uint16_t types[] = {22, 20, 3, 18, 16};
    for (size_t i = 0; i < 5; ++i) {
        INFO("packet " << i);
        CHECK(c.packets[i].pkttype == dirs[i]);
        CHECK(c.packets[i].payload.size() == sizes[i]);
        CHECK(nl_type(c.packets[i]) == types[i]);
    }
    CHECK(c.packets[0].payload == bytes({0x18, 0, 0, 0, 0x16, 0, 0x01, 0x03, 7, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0}));
    CHECK(c.packets[4].ts_nsec == 1795486405748487LL * 1000);
}

TEST_CASE("a garbage line is reported with its line number and the rest converts", "[converter]") {
    auto clean = convert_file("ip-link-set-lo-up.strace");
    // garbage.strace = the same log with a foreign line inserted as line 3, between
    // a sendto line and its hexdump
    auto c = convert_file("garbage.strace");
    REQUIRE(c.diags.size() == 1);
    CHECK(c.diags[0].line == 3);
    CHECK_THAT(c.diags[0].message, rtnl::test::contains("RTNETLINK answers"));
    REQUIRE(c.packets.size() == clean.packets.size());
    for (size_t i = 0; i < c.packets.size(); ++i) {
        CHECK(c.packets[i].payload == clean.packets[i].payload);
        CHECK(c.packets[i].ts_nsec == clean.packets[i].ts_nsec);
        CHECK(c.packets[i].pkttype == clean.packets[i].pkttype);
    }
}

TEST_CASE("a truncated hexdump gives a reported, truncated packet", "[converter]") {
    // truncated-dump.strace = oif-zero.strace without the last hexdump line of the reply
    auto c = convert_file("truncated-dump.strace");
    REQUIRE(c.diags.size() == 1);
    CHECK(c.diags[0].line == 9);
    REQUIRE(c.packets.size() == 2);
    CHECK(c.packets[1].payload.size() == 64);
    CHECK(c.packets[1].orig_len == 72);
    auto full = esrch_reply();
    CHECK(std::equal(c.packets[1].payload.begin(), c.packets[1].payload.end(), full.begin()));
}

TEST_CASE("fd tables: non-netlink sockets, close, threads, fork, -yy", "[converter]") {
    SECTION("traffic on a non-netlink socket is not recorded, a netlink fd reused after close is") {
        auto c = convert_text(
            "10  1.000000 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
            "10  1.000001 sendto(3, \"\\x01\\x02\", 2, 0, NULL, 0) = 2\n"
            " | 00000  01 02                                             ..               |\n"
            "10  1.000002 close(3) = 0\n"
            "10  1.000003 socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC) = 3\n"
            "10  1.000004 sendto(3, \"\\x01\\x02\", 2, 0, NULL, 0) = 2\n"
            " | 00000  01 02                                             ..               |\n");
        REQUIRE(c.diags.empty());
        REQUIRE(c.packets.size() == 1);
        CHECK(c.packets[0].family == 16);
        CHECK(c.packets[0].payload == bytes({1, 2}));
    }
    SECTION("a thread (CLONE_FILES) uses its parent's socket; a forked child's own fd 4 is not it") {
        auto c = convert_text(
            "10  1.0 socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT) = 4\n"
            "10  1.1 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_THREAD, exit_signal=0}, 88) = 11\n"
            "10  1.2 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD) = 12\n"
            "12  1.3 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4\n"
            "12  1.4 write(4, \"\\xaa\", 1) = 1\n"
            " | 00000  aa                                                .                |\n"
            "11  1.5 write(4, \"\\xbb\", 1) = 1\n"
            " | 00000  bb                                                .                |\n");
        REQUIRE(c.diags.empty());
        REQUIRE(c.packets.size() == 1);
        CHECK(c.packets[0].tid == 11);
        CHECK(c.packets[0].family == 9);
        CHECK(c.packets[0].payload == bytes({0xbb}));
    }
    SECTION("-yy decoration names the family even without a socket() line") {
        auto c = convert_text(
            "1.0 sendto(5<NETLINK:[GENERIC:77]>, \"\\x01\", 1, 0, NULL, 0) = 1\n"
            " | 00000  01                                                .                |\n");
        REQUIRE(c.diags.empty());
        REQUIRE(c.packets.size() == 1);
        CHECK(c.packets[0].family == 16);
    }
    SECTION("a netlink fd strace decoded but whose socket() is missing: reported once, kept as ROUTE") {
        auto c = convert_text(
            "1.0 sendto(7, [{nlmsg_len=16, nlmsg_type=RTM_GETLINK}], 16, 0, NULL, 0) = 16\n"
            " | 00000  10 00 00 00 12 00 01 00  00 00 00 00 00 00 00 00  ................ |\n"
            "1.1 sendto(7, [{nlmsg_len=16, nlmsg_type=RTM_GETLINK}], 16, 0, NULL, 0) = 16\n"
            " | 00000  10 00 00 00 12 00 01 00  00 00 00 00 00 00 00 00  ................ |\n");
        REQUIRE(c.diags.size() == 1);
        CHECK(c.diags[0].line == 1);
        REQUIRE(c.packets.size() == 2);
        CHECK(c.packets[1].family == 0);
    }
}

TEST_CASE("dump problems", "[converter]") {
    const std::string head = "1.0 socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) = 3\n";
    SECTION("a missing hexdump line in the middle: kept up to the gap, reported") {
        auto c = convert_text(head +
                              "1.1 sendto(3, \"\", 40, 0, NULL, 0) = 40\n"
                              " | 00000  28 00 00 00 12 00 01 00  00 00 00 00 00 00 00 00  ................ |\n"
                              " | 00020  00 00 00 00 00 00 00 00                           ........         |\n");
        REQUIRE(c.diags.size() == 2);  // the gap (line 4) and the short packet (line 2)
        CHECK(c.diags[0].line == 4);
        CHECK(c.diags[1].line == 2);
        REQUIRE(c.packets.size() == 1);
        CHECK(c.packets[0].payload.size() == 16);
        CHECK(c.packets[0].orig_len == 40);
    }
    SECTION("no hexdump at all: reported, no packet") {
        auto c = convert_text(head + "1.1 sendto(3, \"\", 16, 0, NULL, 0) = 16\n1.2 close(3) = 0\n");
        REQUIRE(c.diags.size() == 1);
        CHECK(c.diags[0].line == 2);
        CHECK_THAT(c.diags[0].message, rtnl::test::contains("-e write=all"));
        CHECK(c.packets.empty());
    }
    SECTION("a MSG_PEEK probe with data: its dump is swallowed silently") {
        auto c = convert_text(head +
                              "1.1 recvfrom(3, \"\", 100, MSG_PEEK, NULL, NULL) = 2\n"
                              " | 00000  01 02                                             ..               |\n"
                              "1.2 recvfrom(3, \"\", 100, 0, NULL, NULL) = 2\n"
                              " | 00000  01 02                                             ..               |\n");
        REQUIRE(c.diags.empty());
        REQUIRE(c.packets.size() == 1);
        CHECK(c.packets[0].ts_nsec == 1200000 * 1000);
    }
    SECTION("failed calls: no packet, no complaint") {
        auto c = convert_text(head + "1.1 recvmsg(3, 0x7ffd, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)\n"
                                     "1.2 sendmsg(3, 0x7ffd, 0) = -1 ECONNREFUSED (Connection refused)\n");
        REQUIRE(c.diags.empty());
        CHECK(c.packets.empty());
        CHECK(c.stats.failed_calls == 2);
    }
    SECTION("resumed without unfinished, and an unfinished never resumed") {
        auto c = convert_text(head + "[pid 4] 1.1 <... recvmsg resumed>{}, 0) = 2\n"
                                     " | 00000  01 02                                             ..               |\n"
                                     "[pid 5] 1.2 recvmsg(3,  <unfinished ...>\n");
        REQUIRE(c.diags.size() == 2);
        CHECK(c.diags[0].line == 2);
        CHECK(c.diags[1].line == 4);
        CHECK(c.packets.empty());
    }
}

namespace {
// The log without its hexdump lines: what strace prints without -e write=all / -e read=all.
std::string without_hexdumps(const std::string& log) {
    std::istringstream in(log);
    std::string out, line;
    while (std::getline(in, line))
        if (line.rfind(" | ", 0) != 0 && line.rfind(" * ", 0) != 0) out += line + "\n";
    return out;
}
}  // namespace

TEST_CASE("the seed's strace command: all 4 packets rebuilt from strace's decoding", "[converter][decoded]") {
    // strace -s 100 -f -o out -x ip route add 10.9.1.0/24 dev lo, as the author ran it
    auto c = convert_file("seed-exact.strace");
    REQUIRE(c.packets.size() == 4);
    const uint16_t types[] = {18, 16, 24, 2};  // RTM_GETLINK, RTM_NEWLINK, RTM_NEWROUTE, NLMSG_ERROR (ACK)
    const uint32_t lens[] = {48, 1100, 44, 36};
    for (size_t i = 0; i < 4; ++i) {
        INFO("packet " << i);
        CHECK(nl_type(c.packets[i]) == types[i]);
        CHECK(c.packets[i].payload.size() == lens[i]);
        CHECK(nl_len(c.packets[i]) == lens[i]);
    }
    // every message whole: the RTM_NEWLINK reply's IFLA_INET6_FLAGS = IF_READY is a flag the schema names
    CHECK(c.stats.rebuilt_whole == 3);
    CHECK(c.stats.rebuilt_partial == 0);
    CHECK(c.diags.empty());
    // the route request, byte for byte: rtmsg {AF_INET, /24, main, boot, link, unicast},
    // RTA_DST 10.9.1.0, RTA_OIF 1 (lo)
    const auto& req = c.packets[2].payload;
    CHECK(std::vector<uint8_t>(req.begin() + 16, req.end()) ==
          bytes({2, 24, 0, 0, 254, 3, 253, 1, 0, 0, 0, 0, 8, 0, 1, 0, 10, 9, 1, 0, 8, 0, 4, 0, 1, 0, 0, 0}));
}

TEST_CASE("decoded form and hexdumps of one run give the same bytes where strace printed them whole",
          "[converter][decoded]") {
    // seed-dumps.strace: the seed's command with -e write=all -e read=all: strace prints both
    const std::string log = read_file(data_path("seed-dumps.strace"));
    auto dumped = convert_text(log);
    auto rebuilt = convert_text(without_hexdumps(log));
    REQUIRE(dumped.diags.empty());
    REQUIRE(dumped.packets.size() == 4);
    REQUIRE(rebuilt.packets.size() == 4);
    CHECK(rebuilt.stats.rebuilt_whole == 3);
    CHECK(rebuilt.stats.rebuilt_partial == 0);
    CHECK(rebuilt.diags.empty());
    for (size_t i = 0; i < 4; ++i) {
        INFO("packet " << i);
        CHECK(rebuilt.packets[i].payload == dumped.packets[i].payload);
    }
}

TEST_CASE("decoded shapes of the family captures: rebuilt to the bytes of their hexdumps", "[converter][decoded]") {
    // families-shapes.strace: calls of captures/families/make.sh's logs (strace 6.1) that were rebuilt wrong
    // without a report, with the hexdumps of the same run
    const std::string log = read_file(data_path("families-shapes.strace"));
    auto dumped = convert_text(log);
    auto rebuilt = convert_text(without_hexdumps(log));
    REQUIRE(dumped.diags.empty());
    REQUIRE(dumped.packets.size() == 7);
    REQUIRE(rebuilt.packets.size() == 7);
    const uint16_t types[] = {88, 90, 88, 108, 0x78, 42, 2};  // NEWNSID, GETNSID, NEWNSID, NEWLINKPROP, GETVLAN, GETTCLASS, ERROR
    for (size_t i = 0; i < 7; ++i) {
        INFO("packet " << i);
        CHECK(nl_type(dumped.packets[i]) == types[i]);
        CHECK(rebuilt.packets[i].orig_len == dumped.packets[i].orig_len);
        if (i != 5) CHECK(rebuilt.packets[i].payload == dumped.packets[i].payload);
    }
    // {rtgen_family=AF_UNSPEC}, [{nla_len=8, nla_type=NETNSA_NSID}, 7]: rtgenmsg padded to 4, then the attribute
    CHECK(std::vector<uint8_t>(rebuilt.packets[0].payload.begin() + 16, rebuilt.packets[0].payload.end()) ==
          bytes({0, 0, 0, 0, 8, 0, 1, 0, 7, 0, 0, 0}));
    // [{nla_len=8, nla_type=NETNSA_FD}, 8</run/netns/...>]: the descriptor's number
    CHECK(std::vector<uint8_t>(rebuilt.packets[2].payload.begin() + 16, rebuilt.packets[2].payload.end()) ==
          bytes({0, 0, 0, 0, 8, 0, 3, 0, 8, 0, 0, 0, 8, 0, 1, 0, 7, 0, 0, 0}));
    // {family=AF_UNSPEC, data="..."}: the family byte, then the data, no padding between
    CHECK(rebuilt.packets[3].payload[16] == 0);
    CHECK(rebuilt.packets[3].payload[20] == 3);
    // the tcmsg in its own iovec, printed as a netlink header: its first 16 bytes, the true length, said so
    const auto& tc = rebuilt.packets[5];
    CHECK(tc.payload.size() == 32);
    CHECK(tc.orig_len == 36);
    CHECK(tc.payload == std::vector<uint8_t>(dumped.packets[5].payload.begin(), dumped.packets[5].payload.begin() + 32));
    CHECK(rebuilt.stats.rebuilt_whole == 6);
    CHECK(rebuilt.stats.rebuilt_partial == 0);
    REQUIRE(rebuilt.diags.size() == 1);
    CHECK(rebuilt.diags[0].message == "sendmsg: strace showed only 32 of 36 bytes (it read a buffer as a netlink "
                                      "header and printed nothing after it); packet written truncated, with its "
                                      "true length");
}

TEST_CASE("interfaces strace named: lo is 1, other names are this machine's guess, reported", "[converter][decoded]") {
    auto request = [](const std::string& name) {
        return convert_text("100 1796172173.898589 sendmsg(5<NETLINK:[ROUTE:100]>, {msg_name={sa_family=AF_NETLINK, "
                            "nl_pid=0, nl_groups=00000000}, msg_namelen=12, msg_iov=[{iov_base=[{nlmsg_len=32, "
                            "nlmsg_type=RTM_NEWLINK, nlmsg_flags=NLM_F_REQUEST|NLM_F_ACK, nlmsg_seq=1, nlmsg_pid=0}, "
                            "{ifi_family=AF_UNSPEC, ifi_type=ARPHRD_NETROM, ifi_index=if_nametoindex(\"" + name +
                            "\"), ifi_flags=IFF_UP, ifi_change=0x1}], iov_len=32}], msg_iovlen=1, msg_controllen=0, "
                            "msg_flags=0}, 0) = 32 <0.000064>\n");
    };
    auto index_of = [](const Converted& c) { return c.packets.at(0).payload.at(20); };
    auto lo = request("lo");
    CHECK(lo.diags.empty());
    CHECK(index_of(lo) == 1);
    auto missing = request("rtnl14-none");
    REQUIRE(missing.diags.size() == 1);
    CHECK(missing.diags[0].message == "sendmsg: 1 message(s) rebuilt from strace's decoding with gaps (zeros): "
                                      "interface 'rtnl14-none' is not on this machine: its index is unknown");
    CHECK(index_of(missing) == 0);
    // a name this machine has (ifb0 here was 14 where the log was made, 2 on the converting host): a guess, said so
    std::string here;
    if (struct if_nameindex* all = if_nameindex()) {
        for (auto* i = all; i->if_index && here.empty(); ++i)
            if (std::string(i->if_name) != "lo" && i->if_index < 256) here = i->if_name;
        if_freenameindex(all);
    }
    if (here.empty()) return;  // only lo here
    auto guessed = request(here);
    REQUIRE(guessed.diags.size() == 1);
    CHECK(guessed.diags[0].message == "sendmsg: 1 message(s) rebuilt from strace's decoding with gaps (zeros): "
                                      "interface '" + here + "' given by name: its index here (" +
                                          std::to_string(if_nametoindex(here.c_str())) +
                                          ") is right only in the network namespace strace ran in");
    CHECK(index_of(guessed) == if_nametoindex(here.c_str()));
    CHECK(guessed.stats.rebuilt_partial == 1);
}

TEST_CASE("strace -X raw: numbers everywhere, socket(0x10, ...) and MSG_PEEK as 0x22 understood", "[converter][decoded]") {
    auto c = convert_file("seed-X-raw.strace");
    REQUIRE(c.packets.size() == 4);
    CHECK(c.stats.peeks_skipped == 2);
    for (auto& d : c.diags) CHECK_THAT(d.message, !rtnl::test::contains("socket"));
    CHECK(nl_type(c.packets[2]) == 24);
    CHECK(c.packets[2].payload.size() == 44);
}

TEST_CASE("strace -e verbose=none: only addresses, nothing to rebuild, one hint", "[converter][decoded]") {
    auto c = convert_file("seed-verbose-none.strace");
    CHECK(c.packets.empty());
    REQUIRE(c.diags.size() == 4);
    size_t hints = 0;
    for (auto& d : c.diags) hints += d.message.find("-e write=all") != std::string::npos;
    CHECK(hints == 1);
}

TEST_CASE("a file that is not an strace log: one verdict, no line-by-line noise", "[converter]") {
    auto c = convert_text("# a README\n\nsome text\nmore text\n- a list\n- of things\nand\nso\non\n");
    CHECK(c.stats.not_strace);
    CHECK(c.diags.empty());
    auto bin = convert_text(std::string("\x14\x00\x00\x00\x10\x00", 6) + "\n");
    CHECK(bin.stats.not_strace);
}

namespace {
std::vector<uint8_t> file_bytes(const std::string& name) {
    std::string s = read_file(data_path(name));
    return std::vector<uint8_t>(s.begin(), s.end());
}
}  // namespace

TEST_CASE("rtmon file: every notification, with rtmon's own time stamps", "[rtmon]") {
    // route-link.rtmon: rtmon file during veth, address and route changes in a namespace
    auto f = read_rtmon(file_bytes("route-link.rtmon"));
    CHECK(f.looks_like_rtmon);
    CHECK(f.problems.empty());
    REQUIRE(f.messages.size() == 23);
    const uint16_t types[] = {16, 80, 80, 16, 80, 80, 16, 20, 24, 16, 24, 24, 24, 25, 16, 21, 25, 81, 81, 17, 81, 81, 17};
    for (size_t i = 0; i < 23; ++i) {
        INFO("message " << i);
        CHECK(uint16_t(f.messages[i].bytes[4] | f.messages[i].bytes[5] << 8) == types[i]);
        if (i) CHECK(f.messages[i].ts_nsec >= f.messages[i - 1].ts_nsec);
    }
    CHECK(f.messages[0].ts_nsec == 1796163965211222000LL);  // "Timestamp: ... 211222 us" (ip monitor file)
    CHECK(f.messages[0].bytes.size() == 1468);
    CHECK(f.messages[22].ts_nsec == 1796163966107201000LL);
}

TEST_CASE("rtmon file: hostile input stops at the first bad record, keeps what came before", "[rtmon]") {
    const auto whole = file_bytes("route-link.rtmon");
    SECTION("cut inside a header") {
        std::vector<uint8_t> cut(whole.begin(), whole.begin() + 24 + 1468 + 5);
        auto f = read_rtmon(cut);
        CHECK(f.messages.size() == 1);
        REQUIRE(f.problems.size() == 1);
        CHECK(f.problems[0].offset == 24 + 1468);
        CHECK_THAT(f.problems[0].what, rtnl::test::contains("less than a header"));
    }
    SECTION("a record claiming more bytes than the file has") {
        std::vector<uint8_t> cut(whole.begin(), whole.begin() + 24 + 1000);
        auto f = read_rtmon(cut);
        CHECK(f.messages.empty());
        REQUIRE(f.problems.size() == 1);
        CHECK(f.problems[0].what == "a record claiming 1468 bytes where the file has 1000");
    }
    SECTION("a record claiming less than its header") {
        auto bad = whole;
        bad[24] = 3;  // the first message's nlmsg_len: 3
        bad[25] = bad[26] = bad[27] = 0;
        auto f = read_rtmon(bad);
        CHECK(f.messages.empty());
        REQUIRE(f.problems.size() == 1);
        CHECK(f.problems[0].what == "a record claiming 3 bytes, less than its header");
    }
    SECTION("not an rtmon file") {
        std::string text = "strace log\n";
        auto f = read_rtmon(std::vector<uint8_t>(text.begin(), text.end()));
        CHECK_FALSE(f.looks_like_rtmon);
    }
}

TEST_CASE("hostile decoded form: a nest strace printed as '...', a cut line", "[converter][decoded]") {
    const std::string log = without_hexdumps(read_file(data_path("seed-dumps.strace")));
    auto whole = convert_text(log);
    REQUIRE(whole.packets.size() == 4);
    SECTION("a nested attribute's value printed as '...'") {
        std::string edited = log;
        const std::string nest = "[{nla_len=5, nla_type=IFLA_XDP_ATTACHED}, XDP_ATTACHED_NONE]";
        const size_t at = edited.find(nest);
        REQUIRE(at != std::string::npos);
        edited.replace(at, nest.size(), "...");
        auto c = convert_text(edited);
        REQUIRE(c.packets.size() == 4);
        CHECK(c.stats.rebuilt_partial == 1);  // the NEWLINK reply (already partial: IF_READY)
        const auto& got = c.packets[1].payload;
        const auto& want = whole.packets[1].payload;
        REQUIRE(got.size() == want.size());  // the nest's nla_len keeps everything after it in place
        size_t differing = 0;
        for (size_t i = 0; i < got.size(); ++i) differing += got[i] != want[i];
        CHECK(differing == 2);  // IFLA_XDP_ATTACHED's header became zeros (its len 5, type 1; its value was 0)
        CHECK(c.packets[2].payload == whole.packets[2].payload);
    }
    SECTION("a call cut in the middle of a line") {
        std::string edited = log;
        const size_t at = edited.find("sendmsg(3, ");
        REQUIRE(at != std::string::npos);
        const size_t eol = edited.find('\n', at);
        edited.erase(at + 200, eol - at - 200);
        auto c = convert_text(edited);
        CHECK(c.packets.size() == 3);  // the route request is lost, the rest is not
        size_t cut = 0;
        for (auto& d : c.diags) cut += d.message.find("unbalanced syscall arguments") != std::string::npos;
        CHECK(cut == 1);
    }
}
