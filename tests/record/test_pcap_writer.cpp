#include "catch.hpp"

#include <cstdio>
#include <cstring>
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
    p.ts_usec = 1795483983123456LL;
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
