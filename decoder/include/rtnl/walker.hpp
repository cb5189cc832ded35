// The one generic walker: netlink messages -> visitor events, driven by the
// schema tables. It never throws, never reads out of bounds, allocates
// nothing per attribute, and reports every problem as an event.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "rtnl/events.hpp"
#include "rtnl/reader.hpp"

namespace rtnl {

struct CookedHeader {
    std::uint16_t pkttype;   // 4 = sent by the host (outgoing), 0 = to the host
    std::uint16_t hatype;    // 824 (ARPHRD_NETLINK)
    std::uint16_t halen;
    std::uint16_t protocol;  // netlink family: 0 = NETLINK_ROUTE
};

// The nlmon pseudo-header at the start of a LINKTYPE_NETLINK packet.
std::optional<CookedHeader> parse_cooked_header(std::span<const std::uint8_t> packet);

// Netlink payloads are in the sender's host order; guess it from the first
// message's nlmsg_len as Wireshark's netlink dissector does.
ByteOrder guess_byte_order(std::span<const std::uint8_t> packet, std::size_t start);

struct WalkLimits {
    unsigned max_depth = 32;   // nesting levels before NestTooDeep
};

// Walk every netlink message in packet[start..]; events carry absolute offsets.
// Returns the number of messages seen. The callbacks go through the vtable;
// walk_messages_static() (walker_impl.hpp) calls a `final` visitor directly.
std::size_t walk_messages(std::span<const std::uint8_t> packet, std::size_t start, Visitor& visitor,
                          const WalkLimits& limits = {});

}  // namespace rtnl
