// Expert infos: one per decoder problem code (rtnl.expert.<name>, from the
// decoder's catalogue), plus the extended-ACK message.
#pragma once

#include <epan/expert.h>

#include "rtnl/problems.hpp"

namespace rtnl::plugin {

void register_experts(int proto);
expert_field* expert_for(ProblemCode code);
expert_field* expert_extack_message();

// Whether an expert info added now can be seen: the expert tap (-z expert,
// the GUI's dialog), an Expert column, or a filter or field output naming
// _ws.expert or an rtnl.expert field (only a tree can carry those: without
// one, `tree` false, they are not looked at). Otherwise Wireshark only
// counts it.
bool experts_observable(packet_info* pinfo, bool tree);

}  // namespace rtnl::plugin
