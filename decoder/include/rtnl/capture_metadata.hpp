// Reads what rtnl-record's pcapng says about a packet beyond its bytes
// (docs/capture-metadata.md): the packet comment's socket tokens.
#pragma once

#include <cstdint>
#include <string_view>

namespace rtnl {

struct CommentTokens {
    std::uint32_t pid = 0;    // thread-group id; 0 when absent
    std::uint32_t port = 0;   // the netlink socket's port id; 0 when absent
    std::uint64_t netns = 0;  // the socket's network namespace inode; 0 when absent
};

// Tokens in any order after `pid`; unknown tokens ignored; the command name
// in parentheses skipped; parsing stops at the ", truncated" tail. A comment
// not in the grammar gives all zeros (no socket identity).
CommentTokens parse_packet_comment(std::string_view comment);

}  // namespace rtnl
