// Reads the packets of a capture file: classic pcap (either byte order,
// micro- or nanosecond) and pcapng (enhanced and simple packet blocks).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace rtnl::decode {

struct CapturedPacket {
    std::uint64_t number = 0;      // 1-based, as Wireshark counts frames
    std::uint32_t linktype = 0;
    double timestamp = 0;          // seconds
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
    // Opens path ("-" = standard input). error() says why when false.
    bool open(const std::string& path);
    // Next packet; false at the end or on a broken file (error() non-empty).
    bool next(CapturedPacket& out);
    const std::string& error() const { return error_; }
    ~PcapReader();

private:
    bool read(void* buf, std::size_t n);
    std::uint32_t u32(const std::uint8_t* p) const;
    std::uint16_t u16(const std::uint8_t* p) const;
    bool next_classic(CapturedPacket& out);
    bool next_pcapng(CapturedPacket& out);

    std::FILE* file_ = nullptr;
    bool owns_ = false;
    bool swapped_ = false;
    bool pcapng_ = false;
    double ts_scale_ = 1e-6;
    std::uint32_t linktype_ = 0;
    std::vector<std::uint32_t> if_linktypes_;
    std::vector<double> if_scales_;
    std::uint64_t count_ = 0;
    std::uint32_t sections_ = 0;
    std::string error_;
};

}  // namespace rtnl::decode
