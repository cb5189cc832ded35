#include "rtmon_reader.hpp"

namespace rtnl::formats {

namespace {

constexpr std::uint16_t kNlmsgTstamp = 15;      // iproute2's record type for a time stamp
constexpr std::size_t kHeader = 16;             // struct nlmsghdr
constexpr std::size_t kTstampPayload = 8;       // __u32 seconds, __u32 microseconds

std::uint32_t u32_le(std::span<const std::uint8_t> d, std::size_t at) {
    return std::uint32_t(d[at]) | std::uint32_t(d[at + 1]) << 8 | std::uint32_t(d[at + 2]) << 16 |
           std::uint32_t(d[at + 3]) << 24;
}

bool is_tstamp(std::uint32_t len, std::uint16_t type) { return type == kNlmsgTstamp && len >= kHeader + kTstampPayload; }

}  // namespace

bool starts_like_rtmon(std::span<const std::uint8_t> data) {
    return data.size() >= 8 && is_tstamp(u32_le(data, 0), std::uint16_t(data[4] | data[5] << 8));
}

RtmonFile read_rtmon(std::span<const std::uint8_t> data) {
    RtmonFile f;
    std::int64_t clock = 0;
    std::size_t at = 0;
    while (at < data.size()) {
        const std::size_t left = data.size() - at;
        if (left < kHeader) {
            f.problems.push_back({at, "a record cut short: " + std::to_string(left) + " bytes, less than a header"});
            break;
        }
        const std::uint32_t len = u32_le(data, at);
        const std::uint16_t type = std::uint16_t(data[at + 4] | data[at + 5] << 8);
        if (len < kHeader) {
            f.problems.push_back({at, "a record claiming " + std::to_string(len) + " bytes, less than its header"});
            break;
        }
        if (len > left) {
            f.problems.push_back({at, "a record claiming " + std::to_string(len) + " bytes where the file has " +
                                          std::to_string(left)});
            break;
        }
        if (at == 0) f.looks_like_rtmon = is_tstamp(len, type);
        if (is_tstamp(len, type)) {
            clock = std::int64_t(u32_le(data, at + kHeader)) * 1000000000 +
                    std::int64_t(u32_le(data, at + kHeader + 4)) * 1000;
        } else {
            f.messages.push_back({clock, {data.begin() + long(at), data.begin() + long(at + len)}});
        }
        at += (std::size_t(len) + 3) & ~std::size_t(3);  // NLMSG_ALIGN
    }
    return f;
}

}  // namespace rtnl::formats
