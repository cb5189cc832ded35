#include "stats.hpp"

#include <epan/packet.h>
#include <epan/stats_tree.h>
#include <epan/tap.h>

#include <string>

#include "rtnl/errno_names.hpp"
#include "rtnl/netlink.hpp"
#include "tree_builder.hpp"

namespace rtnl::plugin {

namespace {

int g_tap = -1;
int g_by_type = -1, g_outcomes = -1, g_errors = -1, g_ifaces = -1;

const char* kByType = "Messages by type";
const char* kOutcomes = "Request outcomes";
const char* kErrors = "Errors by errno";
const char* kIfaces = "Interfaces named in requests";

std::string errno_name(std::int32_t error) {
    const std::uint32_t e = errno_of(error);
    const ErrnoName* n = find_errno(e);
    return n ? std::string(n->name) + " (" + n->text + ")" : "errno " + std::to_string(e);
}

void init_tree(stats_tree* st) {
    g_by_type = stats_tree_create_node(st, kByType, 0, STAT_DT_INT, TRUE);
    g_outcomes = stats_tree_create_node(st, kOutcomes, 0, STAT_DT_INT, TRUE);
    g_errors = stats_tree_create_node(st, kErrors, 0, STAT_DT_INT, TRUE);
    g_ifaces = stats_tree_create_node(st, kIfaces, 0, STAT_DT_INT, TRUE);
}

tap_packet_status packet(stats_tree* st, packet_info*, epan_dissect_t*, const void* data, tap_flags_t) {
    const auto* p = static_cast<const TapPacket*>(data);
    for (unsigned i = 0; i < p->count; ++i) {
        const TapMessage& m = p->messages[i];
        const std::string type = nl::message_type_label(m.type);
        tick_stat_node(st, kByType, 0, FALSE);
        const int t = tick_stat_node(st, type.c_str(), g_by_type, TRUE);
        tick_stat_node(st, m.from_user ? "user -> kernel" : "kernel -> user", t, FALSE);
        if (m.type == nl::NLMSG_ERROR) {
            // An ACK or an error answers the request it echoes.
            const std::string req = nl::message_type_label(m.echoed_type);
            tick_stat_node(st, kOutcomes, 0, FALSE);
            const int r = tick_stat_node(st, req.c_str(), g_outcomes, TRUE);
            const std::string outcome = m.error == 0 ? "ok" : errno_name(m.error);
            tick_stat_node(st, outcome.c_str(), r, FALSE);
            if (m.error != 0) {
                tick_stat_node(st, kErrors, 0, FALSE);
                const int e = tick_stat_node(st, outcome.c_str(), g_errors, TRUE);
                tick_stat_node(st, req.c_str(), e, FALSE);
            }
        }
        for (unsigned k = 0; k < m.iface_count; ++k) {
            std::string iface = std::to_string(m.ifaces[k]);
            if (const std::string* name = capture_state().names.find(m.ifaces[k])) iface += " (" + *name + ")";
            tick_stat_node(st, kIfaces, 0, FALSE);
            tick_stat_node(st, iface.c_str(), g_ifaces, FALSE);
        }
    }
    return TAP_PACKET_REDRAW;
}

}  // namespace

void register_tap() { g_tap = ::register_tap("rtnl"); }

int tap_id() { return g_tap; }

void register_stats_tree() {
    stats_tree_register_plugin("rtnl", "rtnl", "rtnl/rtnetlink messages", 0, packet, init_tree, nullptr);
}

}  // namespace rtnl::plugin
