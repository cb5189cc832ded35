// The bytes of a netlink message body that strace printed decoded (strace
// 4.13 and later): the family header as a structure ({rtm_family=AF_INET,
// ...}), attributes as [{nla_len=8, nla_type=RTA_DST}, inet_addr("10.0.0.0")],
// nested ones as arrays of those. Names are looked up in the decoder's schema
// (message types, struct members, attribute numbers, enum constants); sizes
// come from what strace printed (nla_len, the schema's struct sizes).
//
// Where strace left something out ("...", a value it abbreviated, an
// interface name this machine does not have), the bytes around it still
// stand: the gap is zeros and the message is marked partial.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strace_syntax.hpp"

namespace rtnl::record {

struct Rebuilt {
    bool partial = false;
    std::string why;  // the first reason it is partial
    void gap(std::string reason) {
        if (!partial) why = std::move(reason);
        partial = true;
    }
};

// Appends the body of a message of nlmsg_type whose items (after the header)
// strace printed; body_len = nlmsg_len - 16.
void rebuild_body(const std::vector<std::pair<std::string, Value>>& items, std::size_t first,
                  std::uint16_t nlmsg_type, std::uint32_t body_len, std::vector<std::uint8_t>& out, Rebuilt& r);

// A constant the schema knows: message types (RTM_NEWROUTE), enum entries
// (AF_INET, RT_TABLE_MAIN, IFF_UP), attribute numbers (IFLA_IFNAME).
std::optional<std::int64_t> schema_constant(std::string_view name);

}  // namespace rtnl::record
