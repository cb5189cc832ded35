// libFuzzer target over the bpf engine's ring-record parser and assembler
// (tools/record/bpf_ring.*): one input is a sequence of ring records, each
// preceded by its length (4 bytes, little-endian) - the format of
// rtnl-record --ring-log; a last length running past the input takes what is
// left. Checks what the assembler promises: a packet never holds more bytes
// than the call moved, and every record is either used or counted.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>

#include "bpf_ring.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rtnl::record;
    uint64_t bytes_out = 0;
    RingAssembler assembler(
        [&](NetlinkPacket&& p) {
            if (p.payload.size() > p.orig_len) {
                std::fprintf(stderr, "fuzz_ring: packet of %zu bytes from a call of %u\n", p.payload.size(), p.orig_len);
                std::abort();
            }
            bytes_out += p.payload.size();
        },
        [](const std::string&) {}, 0);
    std::size_t off = 0;
    uint64_t records = 0;
    while (off + 4 <= size) {
        uint32_t len;
        std::memcpy(&len, data + off, 4);
        off += 4;
        std::size_t n = len < size - off ? len : size - off;
        assembler.feed(std::span<const std::uint8_t>(data + off, n));
        off += n;
        ++records;
    }
    assembler.finish();
    if (assembler.stats().records != records || bytes_out > size) std::abort();
    return 0;
}
