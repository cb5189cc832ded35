// Wireshark plugin entry points. The exported names must be unmangled and
// externally visible (docs/design.md: const at namespace scope is internal in C++).
#include <epan/proto.h>
#include <epan/tap.h>
#include <ws_symbol_export.h>
#include <ws_version.h>

#include "dissector.hpp"
#include "stats.hpp"

#ifndef RTNL_VERSION
#define RTNL_VERSION "0.0.0"
#endif

extern "C" {
WS_DLL_PUBLIC const gchar plugin_version[];
WS_DLL_PUBLIC const int plugin_want_major;
WS_DLL_PUBLIC const int plugin_want_minor;
WS_DLL_PUBLIC void plugin_register(void);

const gchar plugin_version[] = RTNL_VERSION;
const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

void plugin_register(void) {
    static proto_plugin plugin;
    plugin.register_protoinfo = rtnl::plugin::register_protocol;
    plugin.register_handoff = rtnl::plugin::register_handoff;
    proto_register_plugin(&plugin);
    static tap_plugin stats;
    stats.register_tap_listener = rtnl::plugin::register_stats_tree;
    tap_register_plugin(&stats);
}
}
