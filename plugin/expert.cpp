#include "expert.hpp"

#include <epan/column-info.h>
#include <epan/tap.h>

#include <array>
#include <deque>
#include <string>
#include <vector>

namespace rtnl::plugin {

namespace {

std::array<expert_field, kProblemCodeCount> g_fields;
ei_register_info g_register[kProblemCodeCount];
std::deque<std::string> g_names;  // Wireshark keeps the pointers
std::vector<const header_field_info*> g_expert_infos;  // _ws.expert and its fields, rtnl.expert.*
int g_expert_tap = -1;

int group_of(ProblemGroup g) {
    switch (g) {
    case ProblemGroup::Malformed: return PI_MALFORMED;
    case ProblemGroup::Protocol: return PI_PROTOCOL;
    case ProblemGroup::Undecoded: return PI_UNDECODED;
    case ProblemGroup::ResponseCode: return PI_RESPONSE_CODE;
    case ProblemGroup::Sequence: return PI_SEQUENCE;
    }
    return PI_PROTOCOL;
}

int severity_of(Severity s) {
    switch (s) {
    case Severity::Note: return PI_NOTE;
    case Severity::Warning: return PI_WARN;
    case Severity::Error: return PI_ERROR;
    }
    return PI_NOTE;
}

}  // namespace

void register_experts(int proto) {
    std::size_t i = 0;
    for (const ProblemInfo& p : all_problems()) {
        expert_field& field = g_fields[static_cast<std::size_t>(p.code)];
        field = EI_INIT;
        g_names.push_back(std::string("rtnl.expert.") + p.name);
        g_register[i].ids = &field;
        g_register[i].eiinfo = expert_field_info{g_names.back().c_str(), group_of(p.group), severity_of(p.severity),
                                                 p.summary, EXPFILL};
        ++i;
    }
    expert_module_t* module = expert_register_protocol(proto);
    expert_register_field_array(module, g_register, static_cast<int>(std::size(g_register)));
}

bool experts_observable(packet_info* pinfo, bool tree) {
    if (g_expert_infos.empty()) {  // once, after every protocol has registered
        g_expert_tap = find_tap_id("expert");
        for (const char* name : {"_ws.expert", "_ws.expert.message", "_ws.expert.group", "_ws.expert.severity"})
            if (header_field_info* info = proto_registrar_get_byname(name)) g_expert_infos.push_back(info);
        for (const expert_field& f : g_fields)
            if (f.hf > 0) g_expert_infos.push_back(proto_registrar_get_nth(static_cast<guint>(f.hf)));
    }
    if (g_expert_tap >= 0 && have_tap_listener(g_expert_tap)) return true;
    if (tree)
        for (const header_field_info* info : g_expert_infos)
            if (info->ref_type != HF_REF_TYPE_NONE) return true;
    // The first column of each format is kept (-1: none): one look instead of a loop over the columns.
    if (const column_info* cinfo = pinfo->cinfo) return cinfo->col_first[COL_EXPERT] >= 0;
    return false;
}

expert_field* expert_for(ProblemCode code) { return &g_fields[static_cast<std::size_t>(code)]; }

expert_field* expert_extack_message() { return expert_for(ProblemCode::ExtackMessage); }

}  // namespace rtnl::plugin
