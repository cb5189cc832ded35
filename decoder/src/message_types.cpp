#include <array>

#include "rtnl/netlink.hpp"
#include "rtnl/schema.hpp"

namespace rtnl {

namespace schema {
const MessageTypeSpec* find_message_type(std::uint16_t type) {
    // Message numbers are below 256: index them once.
    static const auto index = [] {
        std::array<const MessageTypeSpec*, 256> t{};
        for (const auto& m : message_types())
            if (m.type < t.size()) t[m.type] = &m;
        return t;
    }();
    return type < index.size() ? index[type] : nullptr;
}
}  // namespace schema

namespace nl {
const char* message_type_name(std::uint16_t type) {
    switch (type) {
    case NLMSG_NOOP: return "NLMSG_NOOP";
    case NLMSG_ERROR: return "NLMSG_ERROR";
    case NLMSG_DONE: return "NLMSG_DONE";
    case NLMSG_OVERRUN: return "NLMSG_OVERRUN";
    default: break;
    }
    const MessageTypeSpec* m = schema::find_message_type(type);
    return m ? m->name : nullptr;
}

std::string message_type_label(std::uint16_t type) {
    const char* name = message_type_name(type);
    return name ? name : "type " + std::to_string(type);
}
}  // namespace nl

}  // namespace rtnl
