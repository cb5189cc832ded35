// tshark -z rtnl,tree and Statistics > rtnl in Wireshark: a stats_tree fed
// by the dissector through the "rtnl" tap.
#pragma once

#include <cstdint>

namespace rtnl::plugin {

// What one packet tells the statistics, filled by the dissector.
struct TapMessage {
    std::uint16_t type = 0;
    std::uint16_t flags = 0;
    std::uint16_t echoed_type = 0;  // NLMSG_ERROR: the request it answers
    std::int32_t error = 0;         // NLMSG_ERROR / DONE
    bool from_user = false;
    bool request = false;
    std::uint8_t iface_count = 0;
    std::uint32_t ifaces[8] = {};   // interface indexes the request names
};

struct TapPacket {
    static constexpr unsigned kMaxMessages = 64;
    std::uint64_t netns = 0;  // PacketOrigin::netns: where the indexes are named
    unsigned count = 0;
    TapMessage messages[kMaxMessages];
};

void register_tap();             // from proto_register
int tap_id();
void register_stats_tree();      // from the tap plugin's registration

}  // namespace rtnl::plugin
