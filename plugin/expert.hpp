// Expert infos: one per decoder problem code (rtnl.expert.<name>, from the
// decoder's catalogue), plus the extended-ACK message.
#pragma once

#include <epan/expert.h>

#include "rtnl/problems.hpp"

namespace rtnl::plugin {

void register_experts(int proto);
expert_field* expert_for(ProblemCode code);
expert_field* expert_extack_message();

}  // namespace rtnl::plugin
