#include "nlmon_header.hpp"

namespace rtnl::formats {

std::array<std::uint8_t, 16> nlmon_header(std::uint16_t pkttype, std::uint16_t family) {
    std::array<std::uint8_t, 16> h{};
    h[0] = std::uint8_t(pkttype >> 8);
    h[1] = std::uint8_t(pkttype);
    h[2] = std::uint8_t(kArphrdNetlink >> 8);
    h[3] = std::uint8_t(kArphrdNetlink & 0xff);
    // h[4..5] halen = 0, h[6..13] address = 0
    h[14] = std::uint8_t(family >> 8);
    h[15] = std::uint8_t(family);
    return h;
}

}  // namespace rtnl::formats
