// Reads the packets of a capture file: classic pcap (either byte order,
// micro- or nanosecond) and pcapng (enhanced and simple packet blocks), of
// link type 253 (nlmon); other link types are refused with the reason.
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

namespace rtnl::decode {

struct CapturedPacket {
    std::uint64_t number = 0;      // 1-based, as Wireshark counts frames
    std::uint32_t linktype = 0;
    std::int64_t ts_nsec = 0;      // nanoseconds since the epoch
    std::uint32_t original_length = 0;
    std::vector<std::uint8_t> data;
    // pcapng only (docs/capture-metadata.md): section (0-based), interface
    // id (one per network namespace in rtnl-record's files), opt_comment.
    bool has_interface = false;
    std::uint32_t section = 0, interface_id = 0;
    std::string comment;
};

class PcapReader {
public:
    // Reads from file (not owned), whose first bytes, head, were read already
    // to tell its format; name is for messages. error() says why when false.
    bool start(std::FILE* file, std::span<const std::uint8_t> head, const std::string& name);
    // Next packet; false at the end or on a broken file (error() non-empty).
    bool next(CapturedPacket& out);
    const std::string& error() const { return error_; }

private:
    bool read(void* buf, std::size_t n);
    bool readable(std::uint32_t linktype);
    std::uint32_t u32(const std::uint8_t* p) const;
    std::uint16_t u16(const std::uint8_t* p) const;
    bool next_classic(CapturedPacket& out);
    bool next_pcapng(CapturedPacket& out);

    std::FILE* file_ = nullptr;
    std::vector<std::uint8_t> head_;  // read before start(), served first
    std::size_t head_used_ = 0;
    bool swapped_ = false;
    bool pcapng_ = false;
    bool nanosecond_pcap_ = false;
    std::uint32_t linktype_ = 0;
    std::vector<std::uint32_t> if_linktypes_;
    std::vector<std::uint64_t> if_units_;  // time stamp units per second, per interface
    std::uint64_t count_ = 0;
    std::uint32_t sections_ = 0;
    std::string error_;
};

}  // namespace rtnl::decode
