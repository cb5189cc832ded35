#include "catch.hpp"

#include <cstdio>
#include <cstring>
#include <functional>
#include <vector>

#include "pcap_writer.hpp"

using namespace rtnl::record;

namespace {
uint32_t u32(const std::vector<uint8_t>& b, size_t off) {
    uint32_t v;
    std::memcpy(&v, b.data() + off, 4);
    return v;
}
uint16_t u16(const std::vector<uint8_t>& b, size_t off) {
    uint16_t v;
    std::memcpy(&v, b.data() + off, 2);
    return v;
}
}  // namespace

TEST_CASE("nlmon pseudo-header", "[pcap]") {
    auto h = nlmon_header(kPacketOutgoing, 0);
    REQUIRE(std::vector<uint8_t>(h.begin(), h.end()) ==
            std::vector<uint8_t>{0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    auto g = nlmon_header(kPacketHost, 16);
    REQUIRE(std::vector<uint8_t>(g.begin(), g.end()) ==
            std::vector<uint8_t>{0, 0, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16});
}

TEST_CASE("pcap file layout", "[pcap]") {
    char* buf = nullptr;
    size_t size = 0;
    std::FILE* f = open_memstream(&buf, &size);
    REQUIRE(f);
    PcapWriter w(f);
    REQUIRE(w.begin());
    NetlinkPacket p;
    p.ts_nsec = 1795483983123456789LL;  // classic pcap keeps the microseconds
    p.pkttype = kPacketHost;
    p.family = 0;
    p.payload = {0x14, 0, 0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    p.orig_len = 20;
    REQUIRE(w.write(p));
    NetlinkPacket t = p;  // a truncated one: 4 of 20 bytes known
    t.payload.resize(4);
    REQUIRE(w.write(t));
    REQUIRE(w.finish());
    std::fclose(f);
    std::vector<uint8_t> b(buf, buf + size);
    std::free(buf);

    REQUIRE(b.size() == 24 + (16 + 16 + 20) + (16 + 16 + 4));
    CHECK(u32(b, 0) == 0xa1b2c3d4);
    CHECK(u16(b, 4) == 2);
    CHECK(u16(b, 6) == 4);
    CHECK(u32(b, 8) == 0);
    CHECK(u32(b, 12) == 0);
    CHECK(u32(b, 16) == 262144);
    CHECK(u32(b, 20) == 253);
    CHECK(u32(b, 24) == 1795483983u);
    CHECK(u32(b, 28) == 123456u);
    CHECK(u32(b, 32) == 36);  // incl_len
    CHECK(u32(b, 36) == 36);  // orig_len
    CHECK(b[40 + 2] == 0x03);
    CHECK(b[40 + 3] == 0x38);
    CHECK(b[56] == 0x14);
    size_t r2 = 24 + 16 + 36;
    CHECK(u32(b, r2 + 8) == 20);   // incl: header + 4
    CHECK(u32(b, r2 + 12) == 36);  // orig: header + 20
}

namespace {
struct Block {
    uint32_t type;
    std::vector<uint8_t> body;  // between the two length fields
};
std::vector<Block> pcapng_blocks(const std::vector<uint8_t>& b) {
    std::vector<Block> out;
    size_t off = 0;
    while (off + 12 <= b.size()) {
        uint32_t len = u32(b, off + 4);
        REQUIRE(len % 4 == 0);
        REQUIRE(off + len <= b.size());
        REQUIRE(u32(b, off + len - 4) == len);
        out.push_back({u32(b, off), std::vector<uint8_t>(b.begin() + long(off) + 8, b.begin() + long(off + len) - 4)});
        off += len;
    }
    REQUIRE(off == b.size());
    return out;
}
// Options from offset off of a block body: code -> value.
std::vector<std::pair<uint16_t, std::string>> options(const std::vector<uint8_t>& body, size_t off) {
    std::vector<std::pair<uint16_t, std::string>> out;
    while (off + 4 <= body.size()) {
        uint16_t code = u16(body, off), len = u16(body, off + 2);
        if (code == 0) break;
        out.emplace_back(code, std::string(body.begin() + long(off) + 4, body.begin() + long(off) + 4 + len));
        off += 4 + (len + 3u) / 4 * 4;
    }
    return out;
}
std::vector<uint8_t> written(const std::function<void(std::FILE*)>& fill) {
    char* buf = nullptr;
    size_t size = 0;
    std::FILE* f = open_memstream(&buf, &size);
    REQUIRE(f);
    fill(f);
    std::fclose(f);
    std::vector<uint8_t> b(buf, buf + size);
    std::free(buf);
    return b;
}
}  // namespace

TEST_CASE("pcapng: one interface per network namespace, in order of first use", "[pcapng]") {
    NetlinkPacket a;
    a.ts_nsec = 1795483983123456789LL;
    a.pkttype = kPacketOutgoing;
    a.payload = {0x14, 0, 0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    a.orig_len = 20;
    a.tgid = 10;
    a.tid = 11;
    a.comm = "ip";
    a.syscall = "sendmsg";
    a.fd = 3;
    a.port = 77;
    a.netns = 4026532000;
    NetlinkPacket b = a;
    b.pkttype = kPacketHost;
    b.netns = 4026531840;  // no name: net:[inode]
    NetlinkPacket c = a;
    c.netns = 0;  // not known
    auto file = written([&](std::FILE* f) {
        PcapngWriter w(f, [](uint64_t ino) { return ino == 4026532000 ? std::string("rtnl14-blue") : ""; });
        REQUIRE(w.begin());
        REQUIRE(w.write(a));
        REQUIRE(w.write(b));
        REQUIRE(w.write(a));
        REQUIRE(w.write(c));
        REQUIRE(w.drops(4026531840, 5, a.ts_nsec + 1));
        REQUIRE(w.finish());
    });
    auto blocks = pcapng_blocks(file);
    std::vector<uint32_t> types;
    for (auto& bl : blocks) types.push_back(bl.type);
    // SHB, IDB 0, EPB, IDB 1, EPB, EPB, IDB 2, EPB, ISB
    REQUIRE(types == std::vector<uint32_t>{0x0A0D0D0A, 1, 6, 1, 6, 6, 1, 6, 5});
    auto shb = options(blocks[0].body, 16);
    REQUIRE(shb.size() == 1);
    CHECK(shb[0] == std::pair<uint16_t, std::string>{4, "rtnl-record " RTNL_TEST_VERSION});

    auto idb = [&](size_t i) { return options(blocks[i].body, 8); };
    CHECK(u16(blocks[1].body, 0) == 253);
    using Opts = std::vector<std::pair<uint16_t, std::string>>;
    CHECK(idb(1) == Opts{{2, "rtnl14-blue"}, {3, "network namespace net:[4026532000] (rtnl14-blue)"}, {9, "\x09"}});
    CHECK(idb(3) == Opts{{2, "net:[4026531840]"}, {3, "network namespace net:[4026531840]"}, {9, "\x09"}});
    CHECK(idb(6) == Opts{{2, "rtnl-record"}, {3, "network namespace not known"}, {9, "\x09"}});

    // EPBs: interface id, nanosecond timestamp, lengths, payload, comment, direction
    auto& e = blocks[2].body;
    CHECK(u32(e, 0) == 0);
    uint64_t ts = uint64_t(u32(e, 4)) << 32 | u32(e, 8);
    CHECK(ts == 1795483983123456789ULL);
    CHECK(u32(e, 12) == 36);
    CHECK(u32(e, 16) == 36);
    CHECK(e[20 + 1] == 4);  // pkttype outgoing in the cooked header
    CHECK(e[20 + 16] == 0x14);
    std::string dir_out("\x02\0\0\0", 4), dir_in("\x01\0\0\0", 4);
    CHECK(options(e, 20 + 36) ==
          Opts{{1, "pid 10 tid 11 (ip) sendmsg fd 3 port 77 netns 4026532000"}, {2, dir_out}});
    CHECK(u32(blocks[4].body, 0) == 1);
    CHECK(options(blocks[4].body, 56) ==
          Opts{{1, "pid 10 tid 11 (ip) sendmsg fd 3 port 77 netns 4026531840"}, {2, dir_in}});
    CHECK(u32(blocks[5].body, 0) == 0);
    CHECK(u32(blocks[7].body, 0) == 2);
    CHECK(options(blocks[7].body, 56)[0].second == "pid 10 tid 11 (ip) sendmsg fd 3 port 77");

    // the drop mark: an ISB on namespace 4026531840's interface, isb_ifdrop = 5
    auto& s = blocks[8].body;
    CHECK(u32(s, 0) == 1);
    auto isb = options(s, 12);
    REQUIRE(isb.size() == 2);
    CHECK(isb[0].first == 1);
    CHECK(isb[0].second == "rtnl-record: 5 records lost so far in this namespace (the ring buffer was full)");
    CHECK(isb[1].first == 5);
    REQUIRE(isb[1].second.size() == 8);
    uint64_t dropped;
    std::memcpy(&dropped, isb[1].second.data(), 8);
    CHECK(dropped == 5);
}
