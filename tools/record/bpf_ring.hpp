// The bpf engine's ring-buffer records (bpf/tap_record.h) turned back into
// packets: each record checked against its own size before it is trusted,
// the pieces of one send or receive joined in order. Pure: bytes in, packets
// out, so it is unit-tested and fuzzed without BPF.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <variant>

#include "bpf/tap_record.h"
#include "packet.hpp"

namespace rtnl::record {

struct RingPiece {
    tap_record hdr;
    std::span<const uint8_t> data;  // hdr.len bytes
};

// One ring record, or why it cannot be used (too short, wrong magic, a piece
// claiming more bytes than the record has or the message can hold, ...).
std::variant<RingPiece, std::string> parse_ring_record(std::span<const uint8_t> record);

// The syscall's name ("sendmsg"), "" for a number the program does not use.
std::string tap_syscall_name(uint8_t syscall);

struct RingStats {
    uint64_t records = 0;
    uint64_t packets = 0;
    uint64_t malformed = 0;   // records parse_ring_record refused
    uint64_t truncated = 0;   // packets written with fewer bytes than the call moved
    uint64_t orphans = 0;     // pieces whose start was lost (the ring was full)
    uint64_t unreadable = 0;  // messages whose bytes the kernel program could not read
};

class RingAssembler {
public:
    using PacketSink = std::function<void(NetlinkPacket&&)>;
    using ProblemSink = std::function<void(const std::string&)>;
    // clock_offset_ns: added to the records' CLOCK_BOOTTIME stamps (-> epoch time).
    RingAssembler(PacketSink packets, ProblemSink problems, int64_t clock_offset_ns)
        : packets_(std::move(packets)), problems_(std::move(problems)), clock_offset_ns_(clock_offset_ns) {}

    void feed(std::span<const uint8_t> record);
    // Writes what is left of unfinished messages, truncated.
    void finish();
    const RingStats& stats() const { return stats_; }

private:
    void emit(NetlinkPacket&& p);
    void start(const RingPiece& piece);

    PacketSink packets_;
    ProblemSink problems_;
    int64_t clock_offset_ns_;
    struct Partial {
        uint32_t call_id = 0;
        NetlinkPacket packet;
    };
    std::map<uint32_t, Partial> partial_;  // by thread id
    RingStats stats_;
};

}  // namespace rtnl::record
