// One netlink send or receive seen in a traced process: what the nlmon device
// would have captured.
#pragma once

#include <cstdint>
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
    int64_t ts_usec = 0;       // microseconds since the epoch (or a fake clock)
    uint16_t pkttype = kPacketHost;
    uint16_t family = 0;       // netlink protocol, 0 = NETLINK_ROUTE
    std::vector<uint8_t> payload;  // the bytes strace showed (may be fewer than orig_len)
    uint32_t orig_len = 0;     // length of the real send/receive
    int pid = -1;              // traced process (-1: log had no pid prefix)
    int fd = -1;
    size_t line = 0;           // log line of the call
    std::string syscall;       // sendmsg, recvmsg, sendto, ...
    std::string comm;          // command name of pid, when known ("" otherwise)
};

}  // namespace rtnl::record
