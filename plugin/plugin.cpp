// Wireshark plugin entry points. The exported names must be unmangled and
// externally visible (docs/design.md: const at namespace scope is internal in C++).
#include <epan/proto.h>
#include <epan/tap.h>
#include <ws_symbol_export.h>

#include "dissector.hpp"
#include "stats.hpp"
#include "ws_compat.hpp"

#if RTNL_WS_HAS_PLUGIN_DESCRIBE
#include <wsutil/plugins.h>
#endif

#ifndef RTNL_VERSION
#error "RTNL_VERSION (the project's version) comes from plugin/CMakeLists.txt"
#endif

namespace {
void register_rtnl() {
    static proto_plugin plugin;
    plugin.register_protoinfo = rtnl::plugin::register_protocol;
    plugin.register_handoff = rtnl::plugin::register_handoff;
    proto_register_plugin(&plugin);
    static tap_plugin stats;
    stats.register_tap_listener = rtnl::plugin::register_stats_tree;
    tap_register_plugin(&stats);
}
}  // namespace

extern "C" {
#ifdef WIRESHARK_PLUGIN_REGISTER
// Wireshark's coming module API: one described module instead of the symbols below.
static struct ws_module rtnl_module = {
    .flags = WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER,
    .version = RTNL_VERSION,
    .spdx_id = "GPL-2.0-or-later",
    .home_url = "",
    .blurb = "Linux rtnetlink (NETLINK_ROUTE) dissector and statistics",
    .register_cb = register_rtnl,
};
WIRESHARK_PLUGIN_REGISTER_EPAN(&rtnl_module, 0)
#else
WS_DLL_PUBLIC const char plugin_version[];
WS_DLL_PUBLIC const int plugin_want_major;
WS_DLL_PUBLIC const int plugin_want_minor;
WS_DLL_PUBLIC void plugin_register(void);

const char plugin_version[] = RTNL_VERSION;
const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

void plugin_register(void) { register_rtnl(); }

#if RTNL_WS_HAS_PLUGIN_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);
uint32_t plugin_describe(void) { return WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER; }
#endif
#endif
}
