// --from-strace on real logs of every shape rtnl-record understands
// (data/README.md: how each was made), and the parser of strace's text values.
#include "catch.hpp"

#include <sstream>

#include "pcap_writer.hpp"
#include "proc_info.hpp"
#include "strace_value.hpp"
#include "test_util.hpp"

using namespace rtnl::record;
using namespace rtnl::record::test;

namespace {

struct Shape {
    uint16_t pkttype;
    uint16_t type;       // first message's nlmsg_type
    uint32_t orig_len;   // bytes of the send / receive
    size_t payload_len;  // bytes recorded
};

void check_shape(const Converted& c, const std::vector<Shape>& want) {
    REQUIRE(c.packets.size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        INFO("packet " << i + 1);
        CHECK(c.packets[i].pkttype == want[i].pkttype);
        CHECK(nl_type(c.packets[i]) == want[i].type);
        CHECK(c.packets[i].orig_len == want[i].orig_len);
        CHECK(c.packets[i].payload.size() == want[i].payload_len);
        CHECK(c.packets[i].family == 0);
        if (c.packets[i].payload.size() == c.packets[i].orig_len) CHECK(nl_len(c.packets[i]) <= c.packets[i].orig_len);
    }
}

constexpr uint16_t OUT = kPacketOutgoing, IN = kPacketHost;

// `ip link show lo` (iproute2 6.1): probe RTM_NEWLINK (ENODEV), then two RTM_GETLINK for lo
const std::vector<Shape> kIpLinkShowLo = {
    {OUT, 16, 32, 32}, {IN, 2, 52, 52}, {OUT, 18, 48, 48}, {IN, 16, 1100, 1100}, {OUT, 18, 48, 48}, {IN, 16, 1468, 1468},
};

}  // namespace

TEST_CASE("shape: escaped strings (strace -e verbose=none), sendto/recvfrom/write/read", "[shapes]") {
    auto c = convert_file("escaped-verbose-none.strace");
    CHECK(c.diags.empty());
    check_shape(c, {{OUT, 22, 24, 24}, {IN, 20, 76, 76}, {IN, 3, 20, 20}, {OUT, 18, 32, 32}, {IN, 16, 1468, 1468}});
    CHECK(c.stats.peeks_skipped == 1);
    CHECK(c.stats.failed_calls == 1);  // recvfrom EAGAIN: strace printed an address, no data
    CHECK(c.packets[3].syscall == "write");
    CHECK(c.packets[4].syscall == "read");
    // RTM_GETADDR dump request as python-socket.py packs it
    CHECK(c.packets[0].payload == bytes({0x18, 0, 0, 0, 0x16, 0, 0x01, 0x03, 7, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0}));
}

TEST_CASE("shape: netlink headers decoded by strace, bodies as escaped strings (process in another netns)",
          "[shapes]") {
    auto c = convert_file("escaped-other-netns.strace");
    // iproute2's 152-byte dump request: strace stops at the zero header after the
    // 24-byte message; the 112 bytes after it are not shown
    REQUIRE(c.diags.size() == 1);
    CHECK(c.diags[0].line == 9);
    CHECK_THAT(c.diags[0].message, rtnl::test::contains("40 of 152 bytes"));
    check_shape(c, {{OUT, 18, 40, 40},
                    {IN, 16, 1468, 1468},
                    {IN, 3, 20, 20},
                    {OUT, 22, 152, 40},
                    {IN, 20, 156, 156},  // two RTM_NEWADDR in one receive
                    {IN, 3, 20, 20}});
    // the two messages of packet 5 are laid out as the kernel sent them
    const auto& p = c.packets[4];
    uint32_t first = nl_len(p);
    CHECK(first == 76);
    CHECK(p.payload.at(first + 4) == 20);
}

TEST_CASE("shape: the text's bytes equal the hexdump's, call by call", "[shapes]") {
    // the same log with and without its hexdump lines
    std::string log = read_file(data_path("escaped-with-hexdumps.strace"));
    std::istringstream in(log);
    std::string line, text_only;
    while (std::getline(in, line))
        if (line.rfind(" | ", 0) != 0 && line.rfind(" * ", 0) != 0) text_only += line + "\n";
    auto hex = convert_text(log);
    auto txt = convert_text(text_only);
    CHECK(hex.diags.empty());
    REQUIRE(hex.packets.size() == 16);
    REQUIRE(txt.packets.size() == hex.packets.size());
    size_t differing = 0;
    for (size_t i = 0; i < hex.packets.size(); ++i) {
        INFO("packet " << i + 1 << ", log line " << hex.packets[i].line);
        CHECK(txt.packets[i].orig_len == hex.packets[i].orig_len);
        CHECK(txt.packets[i].pkttype == hex.packets[i].pkttype);
        if (txt.packets[i].payload != hex.packets[i].payload) {
            // only the dump request with its trailing zeros, and then a prefix
            ++differing;
            CHECK(txt.packets[i].orig_len == 152);
            REQUIRE(txt.packets[i].payload.size() == 40);
            CHECK(std::equal(txt.packets[i].payload.begin(), txt.packets[i].payload.end(),
                             hex.packets[i].payload.begin()));
        }
    }
    CHECK(differing == 1);
    // an NLMSG_ERROR (ENODEV) echoing its request is among them
    bool error_reply = false;
    for (auto& p : txt.packets) error_reply |= nl_type(p) == 2 && p.payload.at(16) == 0xed;  // -19
    CHECK(error_reply);
}

TEST_CASE("shape: truncated by strace -s 32", "[shapes]") {
    auto c = convert_file("truncated-s32.strace");
    REQUIRE(c.diags.size() == 2);
    CHECK(c.diags[0].line == 9);
    CHECK(c.diags[1].line == 12);
    CHECK_THAT(c.diags[0].message, rtnl::test::contains("48 of 1100 bytes"));
    // header (16) + 32 bytes of string shown; true length kept as orig_len
    check_shape(c, {{OUT, 16, 32, 32}, {IN, 2, 52, 52}, {OUT, 18, 48, 48}, {IN, 16, 1100, 48}, {OUT, 18, 48, 48},
                    {IN, 16, 1468, 48}});
    SECTION("written with the true length as the original length") {
        std::FILE* f = std::tmpfile();
        PcapWriter w(f);
        REQUIRE(w.begin());
        REQUIRE(w.write(c.packets[3]));
        REQUIRE(w.finish());
        std::rewind(f);
        uint8_t buf[24 + 16];
        REQUIRE(std::fread(buf, 1, sizeof buf, f) == sizeof buf);
        std::fclose(f);
        auto u32 = [&](size_t o) { return uint32_t(buf[o] | buf[o + 1] << 8 | buf[o + 2] << 16 | uint32_t(buf[o + 3]) << 24); };
        CHECK(u32(24 + 8) == 16 + 48);    // incl_len
        CHECK(u32(24 + 12) == 16 + 1100); // orig_len
    }
}

TEST_CASE("shape: -tt times of day, no -f", "[shapes]") {
    auto c = convert_file("tt-no-f.strace");
    CHECK(c.diags.empty());
    check_shape(c, kIpLinkShowLo);
    CHECK(c.packets[0].tid == -1);
    CHECK(c.packets[0].ts_nsec == ((2 * 3600 + 37 * 60 + 40) * int64_t(1000000) + 634090) * 1000);  // 02:37:40.634090
}

TEST_CASE("shape: -r relative times", "[shapes]") {
    auto c = convert_file("r-relative.strace");
    CHECK(c.diags.empty());
    check_shape(c, kIpLinkShowLo);
    CHECK(c.packets[0].tid == 20500);
    CHECK(c.packets[0].ts_nsec == 1047 * 1000);  // 0.000000 (socket) + 0.001047 (sendto)
    CHECK(c.packets[5].ts_nsec == 12218 * 1000);
    for (size_t i = 1; i < c.packets.size(); ++i) CHECK(c.packets[i].ts_nsec > c.packets[i - 1].ts_nsec);
}

TEST_CASE("shape: -ttt with -r deltas", "[shapes]") {
    auto c = convert_file("ttt-r.strace");
    CHECK(c.diags.empty());
    check_shape(c, kIpLinkShowLo);
    CHECK(c.packets[0].ts_nsec == 1795487860710422 * 1000);
}

TEST_CASE("shape: strace's log and the program's stderr mixed (no -o)", "[shapes]") {
    auto c = convert_file("stderr-garbage.strace");
    // ip's "Device "nosuchdev" does not exist." splits strace's write(2, ...) line
    REQUIRE(c.diags.size() == 2);
    CHECK(c.diags[0].line == 27);
    CHECK_THAT(c.diags[0].message, rtnl::test::contains("unbalanced"));
    CHECK(c.diags[1].line == 28);
    CHECK_THAT(c.diags[1].message, rtnl::test::contains("not an strace line"));
    check_shape(c, {{OUT, 16, 32, 32}, {IN, 2, 52, 52}, {OUT, 18, 56, 56}, {IN, 2, 76, 76}});
}

TEST_CASE("strace text values", "[value]") {
    SECTION("strings: -xx, -x, octal and C escapes, truncation") {
        size_t used = 0;
        auto b = decode_strace_string(R"("\x34\x00A\n\0\177\\\"z" rest)", used);
        REQUIRE(b);
        CHECK(*b == bytes({0x34, 0, 'A', '\n', 0, 0x7f, '\\', '"', 'z'}));
        CHECK(used == 24);
        CHECK(!decode_strace_string(R"("\x34)", used));
    }
    SECTION("the msghdr of strace < 4.13: msg_iov(1)=[{\"...\", 20}]") {
        // hand-written in the old syntax (no old strace here to record one)
        std::vector<std::string> args = {
            "3",
            R"({msg_name(12)={sa_family=AF_NETLINK, pid=0, groups=00000000}, msg_iov(2)=[{"\x14\x00\x00\x00\x12\x00\x01\x03", 8}, {"\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 12}], msg_controllen=0, msg_flags=0})",
            "0"};
        auto p = payload_from_call_text("sendmsg", args, 20);
        REQUIRE(p.ok());
        CHECK_FALSE(p.truncated);
        CHECK(p.bytes == bytes({0x14, 0, 0, 0, 0x12, 0, 0x01, 0x03, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
    }
    SECTION("a string cut by -s in the first of two iovecs: only the first part") {
        std::vector<std::string> args = {
            "3", R"({msg_iov=[{iov_base="\x14\x00"..., iov_len=8}, {iov_base="\x01", iov_len=12}], msg_iovlen=2})", "0"};
        auto p = payload_from_call_text("sendmsg", args, 20);
        REQUIRE(p.ok());
        CHECK(p.truncated);
        CHECK(p.bytes == bytes({0x14, 0}));
    }
    SECTION("NLMSG_ERROR with a capped echo, and a body strace decoded") {
        std::vector<std::string> args = {
            "3",
            R"([{nlmsg_len=36, nlmsg_type=NLMSG_ERROR, nlmsg_flags=NLM_F_CAPPED, nlmsg_seq=5, nlmsg_pid=-2}, {error=-EEXIST, msg={nlmsg_len=40, nlmsg_type=RTM_NEWROUTE, nlmsg_flags=NLM_F_REQUEST|NLM_F_ACK|NLM_F_EXCL|NLM_F_CREATE, nlmsg_seq=5, nlmsg_pid=0}}])",
            "8192"};
        auto p = payload_from_call_text("recvfrom", args, 36);
        REQUIRE(p.ok());
        REQUIRE(p.bytes.size() == 36);
        CHECK(p.bytes[4] == 2);
        CHECK(p.bytes[6] == 0x00);
        CHECK(p.bytes[7] == 0x01);                 // NLM_F_CAPPED 0x100
        CHECK(p.bytes[12] == 0xfe);                // pid -2
        CHECK(p.bytes[16] == uint8_t(-17));        // -EEXIST
        CHECK(p.bytes[24] == 24);                  // RTM_NEWROUTE
        CHECK(p.bytes[26] == 0x05);                // REQUEST|ACK
        CHECK(p.bytes[27] == 0x06);                // EXCL|CREATE
        args[1] = R"([{nlmsg_len=32, nlmsg_type=RTM_NEWLINK, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=0}, {ifi_family=AF_UNSPEC, ifi_type=ARPHRD_NETROM, ifi_index=0, ifi_flags=0, ifi_change=0}])";
        // a body strace decoded is rebuilt from the schema (ARPHRD_NETROM is 0)
        auto d = payload_from_call_text("sendto", args, 32);
        REQUIRE(d.ok());
        CHECK(d.messages_whole == 1);
        CHECK(d.messages_partial == 0);
        CHECK(d.bytes == bytes({32, 0, 0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
    }
    SECTION("constants") {
        CHECK(nlmsg_type_value("RTM_GETNEXTHOP") == 106);
        CHECK(nlm_flag_value("NLM_F_DUMP") == 0x300);
        CHECK(errno_value("ESRCH") == 3);
        CHECK(!errno_value("EWHATEVER"));
    }
}

TEST_CASE("/proc/net/netlink parsing", "[proc]") {
    const std::string table =
        "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
        "00000000f71bd5e2 0   0          00000000 0        0        0     2        0        4       \n"
        "000000004017e479 16  1234       00000000 0        0        0     2        0        61264   \n";
    auto m = parse_proc_net_netlink(table);
    REQUIRE(m.size() == 2);
    CHECK(m.at(4) == 0);
    CHECK(m.at(61264) == 16);
    CHECK(socket_inode_from_link("socket:[61264]") == 61264u);
    CHECK(!socket_inode_from_link("/etc/passwd"));
    CHECK(!socket_inode_from_link("pipe:[12]"));
}

TEST_CASE("pcapng: comments name pid, thread, command, syscall, fd, port and namespace", "[pcapng]") {
    NetlinkPacket p;
    p.tid = 1234;
    p.comm = "ip";
    p.syscall = "sendmsg";
    p.fd = 3;
    p.pkttype = kPacketOutgoing;
    p.payload = bytes({0x14, 0, 0, 0, 3, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    p.orig_len = 20;
    // what is not known is left out, never written as 0
    CHECK(packet_comment(p) == "tid 1234 (ip) sendmsg fd 3");
    p.tgid = 1230;
    p.port = 0;
    p.netns = 4026531840;
    CHECK(packet_comment(p) == "pid 1230 tid 1234 (ip) sendmsg fd 3 port 0 netns 4026531840");
    p.orig_len = 100;
    p.comm = "a (b)\x01";
    CHECK(packet_comment(p) ==
          "pid 1230 tid 1234 (a ?b?" "?) sendmsg fd 3 port 0 netns 4026531840, truncated: 20 of 100 bytes");
}
