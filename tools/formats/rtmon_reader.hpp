// iproute2's rtmon files ("rtmon file X", read back by "ip monitor file X"):
// a stream of netlink messages as the kernel sent them, each group after an
// NLMSG_TSTAMP record that says when it was received.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace rtnl::formats {

struct RtmonMessage {
    std::int64_t ts_nsec = 0;          // the last NLMSG_TSTAMP before it (0: none yet)
    std::vector<std::uint8_t> bytes;   // one netlink message, header included
};

struct RtmonProblem {
    std::size_t offset;  // where in the file
    std::string what;
};

struct RtmonFile {
    bool looks_like_rtmon = false;  // starts with an NLMSG_TSTAMP record, as rtmon writes
    std::vector<RtmonMessage> messages;
    std::vector<RtmonProblem> problems;  // reading stops at the first one: what follows has no framing
};

RtmonFile read_rtmon(std::span<const std::uint8_t> data);

// Whether data (a file's first bytes, 8 or more) starts as rtmon writes: an
// NLMSG_TSTAMP record with its time stamp.
bool starts_like_rtmon(std::span<const std::uint8_t> data);

}  // namespace rtnl::formats
