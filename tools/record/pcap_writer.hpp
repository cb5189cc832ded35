// Writes NetlinkPackets as an nlmon-format capture: classic pcap, LINKTYPE_NETLINK,
// each packet = 16-byte big-endian cooked header + payload.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>

#include "packet.hpp"

namespace rtnl::record {

constexpr uint32_t kLinktypeNetlink = 253;
constexpr uint32_t kDefaultSnaplen = 262144;
constexpr uint16_t kArphrdNetlink = 824;

// The 16-byte pseudo-header nlmon puts in front of every packet.
std::array<uint8_t, 16> nlmon_header(uint16_t pkttype, uint16_t family);

// Interface so other output formats (pcapng, streaming) can slot in later.
class PacketWriter {
public:
    virtual ~PacketWriter() = default;
    virtual bool begin() = 0;
    virtual bool write(const NetlinkPacket& p) = 0;
    virtual bool finish() = 0;
};

class PcapWriter final : public PacketWriter {
public:
    // Does not take ownership of out.
    explicit PcapWriter(std::FILE* out, uint32_t snaplen = kDefaultSnaplen)
        : out_(out), snaplen_(snaplen) {}
    bool begin() override;
    bool write(const NetlinkPacket& p) override;
    bool finish() override;
    uint64_t packets() const { return packets_; }

private:
    std::FILE* out_;
    uint32_t snaplen_;
    uint64_t packets_ = 0;
};

// pcapng: one section, one interface (LINKTYPE_NETLINK, microsecond
// timestamps), an Enhanced Packet Block per packet with its direction
// (epb_flags) and a comment naming who sent or received it.
class PcapngWriter final : public PacketWriter {
public:
    explicit PcapngWriter(std::FILE* out, uint32_t snaplen = kDefaultSnaplen) : out_(out), snaplen_(snaplen) {}
    bool begin() override;
    bool write(const NetlinkPacket& p) override;
    bool finish() override;

private:
    std::FILE* out_;
    uint32_t snaplen_;
};

// "pid 1234 (ip) sendmsg fd 3" (+ ", truncated: 64 of 1100 bytes")
std::string packet_comment(const NetlinkPacket& p);

}  // namespace rtnl::record
