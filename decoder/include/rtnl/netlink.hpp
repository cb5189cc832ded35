// Netlink constants of include/uapi/linux/netlink.h that the walker and the
// plugin need by name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace rtnl::nl {

inline constexpr std::uint16_t NLMSG_NOOP = 1;
inline constexpr std::uint16_t NLMSG_ERROR = 2;
inline constexpr std::uint16_t NLMSG_DONE = 3;
inline constexpr std::uint16_t NLMSG_OVERRUN = 4;
inline constexpr std::uint16_t NLMSG_MIN_TYPE = 16;

inline constexpr std::uint16_t F_REQUEST = 0x01;
inline constexpr std::uint16_t F_MULTI = 0x02;
inline constexpr std::uint16_t F_ACK = 0x04;
inline constexpr std::uint16_t F_ECHO = 0x08;
inline constexpr std::uint16_t F_DUMP_INTR = 0x10;
inline constexpr std::uint16_t F_DUMP_FILTERED = 0x20;
// GET requests
inline constexpr std::uint16_t F_ROOT = 0x100;
inline constexpr std::uint16_t F_MATCH = 0x200;
inline constexpr std::uint16_t F_ATOMIC = 0x400;
inline constexpr std::uint16_t F_DUMP = F_ROOT | F_MATCH;
// NEW requests
inline constexpr std::uint16_t F_REPLACE = 0x100;
inline constexpr std::uint16_t F_EXCL = 0x200;
inline constexpr std::uint16_t F_CREATE = 0x400;
inline constexpr std::uint16_t F_APPEND = 0x800;
// DEL requests
inline constexpr std::uint16_t F_NONREC = 0x100;
inline constexpr std::uint16_t F_BULK = 0x200;
// ACK / error replies
inline constexpr std::uint16_t F_CAPPED = 0x100;
inline constexpr std::uint16_t F_ACK_TLVS = 0x200;

inline constexpr std::uint16_t NLA_F_NESTED = 0x8000;
inline constexpr std::uint16_t NLA_F_NET_BYTEORDER = 0x4000;
inline constexpr std::uint16_t NLA_TYPE_MASK = 0x3fff;

inline constexpr std::uint16_t NLMSGERR_ATTR_MSG = 1;
inline constexpr std::uint16_t NLMSGERR_ATTR_OFFS = 2;
inline constexpr std::uint16_t NLMSGERR_ATTR_MISS_TYPE = 5;

inline constexpr std::uint8_t FAMILY_UNSPEC = 0;
inline constexpr std::uint8_t FAMILY_INET = 2;
inline constexpr std::uint8_t FAMILY_BRIDGE = 7;
inline constexpr std::uint8_t FAMILY_INET6 = 10;
inline constexpr std::uint8_t FAMILY_MPLS = 28;

// nlmon cooked header (docs/design.md): 16 bytes, big-endian.
inline constexpr std::size_t COOKED_HEADER_LEN = 16;
inline constexpr std::uint16_t ARPHRD_NETLINK = 824;
inline constexpr std::uint16_t NETLINK_ROUTE = 0;
inline constexpr std::uint16_t PKTTYPE_OUTGOING = 4;  // pkttype of a packet the process sent

const char* message_type_name(std::uint16_t type);  // "NLMSG_ERROR", "RTM_NEWROUTE", nullptr
std::string message_type_label(std::uint16_t type);  // the name, or "type 200" for a number without one

}  // namespace rtnl::nl
