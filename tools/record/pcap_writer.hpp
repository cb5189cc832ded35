// Writes NetlinkPackets as an nlmon-format capture (LINKTYPE_NETLINK, each
// packet = 16-byte big-endian cooked header + payload): classic pcap, or
// pcapng with the metadata of docs/capture-metadata.md.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "nlmon_header.hpp"
#include "packet.hpp"

namespace rtnl::record {

using formats::kLinktypeNetlink;
using formats::nlmon_header;
constexpr uint32_t kDefaultSnaplen = 262144;

class PacketWriter {
public:
    virtual ~PacketWriter() = default;
    virtual bool begin() = 0;
    virtual bool write(const NetlinkPacket& p) = 0;
    virtual bool finish() = 0;
    // Marks records the recorder lost in namespace netns (0: not known):
    // dropped = the total so far for that namespace. Formats without a place
    // for it write nothing (the recorder reports the loss on stderr).
    virtual bool mark_drops(uint64_t /*netns*/, uint64_t /*dropped*/, int64_t /*ts_nsec*/) { return true; }
};

// Classic pcap, microsecond timestamps: no metadata beyond the direction.
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

// The name of a network namespace by inode ("" when it has none).
using NetnsNamer = std::function<std::string(uint64_t inode)>;

// pcapng: one section; one interface per network namespace, written before
// the first packet of that namespace (nanosecond timestamps); an Enhanced
// Packet Block per packet with its direction (epb_flags) and a comment naming
// who sent or received it. Packets whose namespace is not known share one
// interface of their own.
class PcapngWriter final : public PacketWriter {
public:
    // namer: how namespaces get their if_name (default: /run/netns).
    explicit PcapngWriter(std::FILE* out, NetnsNamer namer = {}, uint32_t snaplen = kDefaultSnaplen);
    bool begin() override;
    bool write(const NetlinkPacket& p) override;
    bool finish() override;
    // An Interface Statistics Block on the namespace's interface: isb_ifdrop
    // = dropped, and a comment saying why.
    bool mark_drops(uint64_t netns, uint64_t dropped, int64_t ts_nsec) override;

private:
    // The interface id of namespace netns (0: not known), its IDB written on
    // first use; nullopt when writing the IDB failed.
    std::optional<uint32_t> interface_for(uint64_t netns);

    std::FILE* out_;
    NetnsNamer namer_;
    uint32_t snaplen_;
    std::map<uint64_t, uint32_t> interfaces_;  // netns inode -> interface id
};

// "pid 1234 tid 1236 (ip) sendmsg fd 3 port 5678 netns 4026531840"
// (+ ", truncated: 64 of 1100 bytes"); fields not known are left out.
std::string packet_comment(const NetlinkPacket& p);

// comm with '(', ')' and bytes outside printable ASCII replaced by '?'.
std::string comment_safe_comm(const std::string& comm);

}  // namespace rtnl::record
