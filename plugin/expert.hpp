// Expert infos: one per decoder problem code, each with its own
// rtnl.expert.* name, group and severity, plus the extended-ACK message.
#pragma once

#include <epan/expert.h>

#include "rtnl/events.hpp"

namespace rtnl::plugin {

struct ExpertInfo {
    ProblemCode code;
    const char* abbrev;   // "rtnl.expert.oif_zero"
    int group;
    int severity;
    const char* summary;
};

void register_experts(int proto);
expert_field* expert_for(ProblemCode code);
const ExpertInfo& expert_info(ProblemCode code);
expert_field* expert_extack_message();

}  // namespace rtnl::plugin
