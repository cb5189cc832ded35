// The rtnl dissector: its registration, and the state it keeps for the
// packets of one capture file.
#pragma once

#include "rtnl/tracker.hpp"
#include "ws_compat.hpp"

namespace rtnl::plugin {

void register_protocol();
void register_handoff();

// What the dissector keeps between the packets of a capture file (reset
// when a file opens).
struct CaptureState {
    Tracker tracker;
    LinkNames names;
    ws::pref_bool resolve_names = true;  // preferences (Wireshark writes them)
    ws::pref_bool track_requests = true;
};

CaptureState& capture_state();  // the dissector's; the statistics name interfaces from it

}  // namespace rtnl::plugin
