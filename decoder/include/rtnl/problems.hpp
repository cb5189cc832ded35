// The catalogue of problem codes: name, severity and text, shared by the
// plugin (expert infos rtnl.expert.<name>) and the tools.
#pragma once

#include <span>

#include "rtnl/events.hpp"

namespace rtnl {

enum class Severity : std::uint8_t { Note, Warning, Error };
enum class ProblemGroup : std::uint8_t { Malformed, Protocol, Undecoded, ResponseCode, Sequence };

struct ProblemInfo {
    ProblemCode code;
    const char* name;      // after "rtnl.expert.": "oif_zero", "malformed.attr_len_short"
    ProblemGroup group;
    Severity severity;
    const char* summary;
};

std::span<const ProblemInfo> all_problems();
const ProblemInfo& problem_info(ProblemCode code);

}  // namespace rtnl
