// The bpf engine's ring records (tools/record/bpf_ring.*): pieces joined into
// packets with their metadata, and hostile records (short, lying about their
// length, outside their message, out of order) refused or cut, never trusted.
#include "catch.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "bpf_ring.hpp"

using namespace rtnl::record;

namespace {

tap_record header(uint32_t tid, uint32_t call_id, uint32_t msg_len, uint32_t offset, uint32_t len) {
    tap_record h{};
    h.magic = TAP_RECORD_MAGIC;
    h.syscall = TAP_RECVMSG;
    h.flags = TAP_PORT_KNOWN;
    h.protocol = 0;
    h.ts_ns = 5000;
    h.netns = 4026531840;
    h.tgid = 100;
    h.tid = tid;
    h.fd = 3;
    h.port = 100;
    h.call_id = call_id;
    h.msg_len = msg_len;
    h.offset = offset;
    h.len = len;
    std::memcpy(h.comm, "ip", 3);
    return h;
}

std::vector<uint8_t> record(const tap_record& h, const std::vector<uint8_t>& data) {
    std::vector<uint8_t> r(sizeof h + data.size());
    std::memcpy(r.data(), &h, sizeof h);
    if (!data.empty()) std::memcpy(r.data() + sizeof h, data.data(), data.size());
    return r;
}

std::vector<uint8_t> bytes(size_t n, uint8_t first) {
    std::vector<uint8_t> b(n);
    for (size_t i = 0; i < n; ++i) b[i] = uint8_t(first + i);
    return b;
}

struct Collect {
    std::vector<NetlinkPacket> packets;
    std::vector<std::string> problems;
    RingAssembler assembler{[this](NetlinkPacket&& p) { packets.push_back(std::move(p)); },
                            [this](const std::string& m) { problems.push_back(m); }, 1'000'000'000};
};

}  // namespace

TEST_CASE("ring: one piece is one packet with who sent it", "[ring]") {
    Collect c;
    auto h = header(101, 1, 20, 0, 20);
    h.flags |= TAP_SEND;
    h.syscall = TAP_SENDMSG;
    c.assembler.feed(record(h, bytes(20, 1)));
    REQUIRE(c.packets.size() == 1);
    const auto& p = c.packets[0];
    CHECK(p.ts_nsec == 1'000'005'000);
    CHECK(p.pkttype == kPacketOutgoing);
    CHECK(p.family == 0);
    CHECK(p.payload == bytes(20, 1));
    CHECK(p.orig_len == 20);
    CHECK(p.tgid == 100);
    CHECK(p.tid == 101);
    CHECK(p.fd == 3);
    CHECK(p.port == 100u);
    CHECK(p.netns == 4026531840u);
    CHECK(p.syscall == "sendmsg");
    CHECK(p.comm == "ip");
    CHECK(c.problems.empty());
}

TEST_CASE("ring: a message in pieces is joined; another thread's pieces in between stay apart", "[ring]") {
    Collect c;
    auto big = bytes(TAP_PIECE_MAX + 100, 7);
    std::vector<uint8_t> first(big.begin(), big.begin() + TAP_PIECE_MAX), rest(big.begin() + TAP_PIECE_MAX, big.end());
    c.assembler.feed(record(header(101, 1, uint32_t(big.size()), 0, TAP_PIECE_MAX), first));
    c.assembler.feed(record(header(202, 9, 4, 0, 4), bytes(4, 50)));
    CHECK(c.packets.size() == 1);  // thread 202's small message is whole; 101's waits
    c.assembler.feed(record(header(101, 1, uint32_t(big.size()), TAP_PIECE_MAX, 100), rest));
    REQUIRE(c.packets.size() == 2);
    CHECK(c.packets[0].tid == 202);
    CHECK(c.packets[1].tid == 101);
    CHECK(c.packets[1].payload == big);
    CHECK(c.assembler.stats().truncated == 0);
}

TEST_CASE("ring: a record claiming more bytes than it has is refused", "[ring][hostile]") {
    Collect c;
    auto r = record(header(101, 1, 100, 0, 100), bytes(40, 0));  // says 100, holds 40
    auto parsed = parse_ring_record(r);
    REQUIRE(std::holds_alternative<std::string>(parsed));
    CHECK(std::get<std::string>(parsed) == "record claims 100 bytes of payload but holds 40");
    c.assembler.feed(r);
    CHECK(c.packets.empty());
    CHECK(c.assembler.stats().malformed == 1);
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0] == "ring record 1: record claims 100 bytes of payload but holds 40; skipped");
}

TEST_CASE("ring: hostile headers", "[ring][hostile]") {
    auto why = [](const std::vector<uint8_t>& r) {
        auto parsed = parse_ring_record(r);
        return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : std::string("ok");
    };
    auto h = header(1, 1, 8, 0, 8);
    auto good = record(h, bytes(8, 0));
    CHECK(why(good) == "ok");
    CHECK(why(std::vector<uint8_t>(good.begin(), good.begin() + 10)) ==
          "record of 10 bytes is shorter than its header");
    CHECK(why({}) == "record of 0 bytes is shorter than its header");
    auto bad = h;
    bad.magic = 0x1234;
    CHECK(why(record(bad, bytes(8, 0))) == "record without the magic number (not from this program)");
    bad = h;
    bad.syscall = 99;
    CHECK(why(record(bad, bytes(8, 0))) == "record of unknown syscall 99");
    bad = header(1, 1, 10, 6, 8);  // 6 + 8 > 10
    CHECK(why(record(bad, bytes(8, 0))) == "piece at 6+8 lies outside its message of 10 bytes");
    bad = header(1, 1, 0xffffffff, 0xfffffff0, 0x20);  // offset + len overflows 32 bits
    CHECK(why(record(bad, bytes(0x20, 0))) == "piece at 4294967280+32 lies outside its message of 4294967295 bytes");
    bad = header(1, 1, TAP_PIECE_MAX + 1, 0, TAP_PIECE_MAX + 1);
    CHECK(why(record(bad, bytes(TAP_PIECE_MAX + 1, 0))) == "piece of 32769 bytes exceeds the piece size");
    // more bytes after the payload than len says: the extra is not payload
    auto longer = record(h, bytes(12, 0));
    auto parsed = parse_ring_record(longer);
    REQUIRE(std::holds_alternative<RingPiece>(parsed));
    CHECK(std::get<RingPiece>(parsed).data.size() == 8);
}

TEST_CASE("ring: lost pieces give truncated packets or orphans, never wrong bytes", "[ring][hostile]") {
    Collect c;
    // message A of thread 101 loses its second piece: the next message writes A truncated
    c.assembler.feed(record(header(101, 1, 30, 0, 10), bytes(10, 0)));
    c.assembler.feed(record(header(101, 2, 5, 0, 5), bytes(5, 90)));
    REQUIRE(c.packets.size() == 2);
    CHECK(c.packets[0].payload == bytes(10, 0));
    CHECK(c.packets[0].orig_len == 30);
    CHECK(c.packets[1].payload == bytes(5, 90));
    // a piece whose start was lost is not a packet
    c.assembler.feed(record(header(101, 3, 30, 10, 10), bytes(10, 0)));
    CHECK(c.packets.size() == 2);
    CHECK(c.assembler.stats().orphans == 1);
    // a piece of the right call at the wrong offset ends that message
    c.assembler.feed(record(header(101, 4, 30, 0, 10), bytes(10, 0)));
    c.assembler.feed(record(header(101, 4, 30, 20, 10), bytes(10, 0)));
    REQUIRE(c.packets.size() == 3);
    CHECK(c.packets[2].payload.size() == 10);
    CHECK(c.assembler.stats().orphans == 2);
    // an unfinished message is written truncated at the end
    c.assembler.feed(record(header(303, 1, 30, 0, 10), bytes(10, 0)));
    c.assembler.finish();
    REQUIRE(c.packets.size() == 4);
    CHECK(c.packets[3].tid == 303);
    CHECK(c.assembler.stats().truncated == 3);
}

TEST_CASE("ring: a message cut short by the kernel program (MSG_TRUNC, unreadable memory) ends at once", "[ring]") {
    Collect c;
    c.assembler.feed(record(header(101, 1, 100, 0, 40), bytes(40, 0)));
    auto end = header(101, 1, 100, 40, 0);
    end.flags |= TAP_END;
    c.assembler.feed(record(end, {}));
    REQUIRE(c.packets.size() == 1);
    CHECK(c.packets[0].payload.size() == 40);
    CHECK(c.packets[0].orig_len == 100);
    auto gone = header(101, 2, 64, 0, 0);
    gone.flags |= TAP_END | TAP_UNREADABLE;
    c.assembler.feed(record(gone, {}));
    REQUIRE(c.packets.size() == 2);
    CHECK(c.packets[1].payload.empty());
    CHECK(c.packets[1].orig_len == 64);
    CHECK(c.assembler.stats().unreadable == 1);
}

TEST_CASE("ring: a piece of a message claiming 4 GiB gives what arrived, nothing is allocated for the rest",
          "[ring][hostile]") {
    Collect c;
    c.assembler.feed(record(header(101, 1, 0xffffffff, 0, 10), bytes(10, 0)));
    c.assembler.finish();
    REQUIRE(c.packets.size() == 1);
    CHECK(c.packets[0].payload == bytes(10, 0));
    CHECK(c.packets[0].payload.capacity() < 1024);
    CHECK(c.packets[0].orig_len == 0xffffffffu);
}
