// One netlink send or receive seen in a traced process: what the nlmon device
// would have captured, and who made it (docs/capture-metadata.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rtnl::record {

// nlmon / AF_PACKET pkttype values
constexpr uint16_t kPacketHost = 0;      // received by the process (from the kernel)
constexpr uint16_t kPacketOutgoing = 4;  // sent by the process

// What is known about a descriptor: not known, not a netlink socket, or a
// netlink socket of a family.
struct FdFamily {
    enum class Kind { Unknown, NotNetlink, Netlink } kind = Kind::Unknown;
    uint16_t family = 0;
    static FdFamily unknown() { return {}; }
    static FdFamily not_netlink() { return {Kind::NotNetlink, 0}; }
    static FdFamily netlink(uint16_t f) { return {Kind::Netlink, f}; }
};

struct NetlinkPacket {
    int64_t ts_nsec = 0;       // nanoseconds since the epoch (or a fake clock)
    uint16_t pkttype = kPacketHost;
    uint16_t family = 0;       // netlink protocol, 0 = NETLINK_ROUTE
    std::vector<uint8_t> payload;  // the bytes seen (may be fewer than orig_len)
    uint32_t orig_len = 0;     // length of the real send/receive
    int tgid = -1;             // process (thread-group id; -1: not known)
    int tid = -1;              // thread (-1: not known)
    int fd = -1;
    std::optional<uint32_t> port;  // the socket's netlink port id (nl_pid), when known
    uint64_t netns = 0;        // inode of the socket's network namespace (0: not known)
    size_t line = 0;           // log line of the call (strace engine)
    std::string syscall;       // sendmsg, recvmsg, sendto, ...
    std::string comm;          // command name, when known ("" otherwise)
};

}  // namespace rtnl::record
