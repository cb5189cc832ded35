// The 16-byte big-endian pseudo-header the Linux nlmon device puts in front of
// every netlink packet (LINKTYPE_NETLINK): packet type, ARPHRD_NETLINK,
// address length and address (zero), netlink family.
#pragma once

#include <array>
#include <cstdint>

namespace rtnl::formats {

constexpr std::uint32_t kLinktypeNetlink = 253;
constexpr std::uint16_t kArphrdNetlink = 824;

std::array<std::uint8_t, 16> nlmon_header(std::uint16_t pkttype, std::uint16_t family);

}  // namespace rtnl::formats
