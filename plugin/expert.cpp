#include "expert.hpp"

#include <array>

namespace rtnl::plugin {

namespace {

// Severity as a network engineer reads it: malformed bytes are errors, a
// request the kernel cannot honour (interface 0) a warning, decoding gaps notes.
const ExpertInfo kExperts[] = {
    {ProblemCode::PacketTooShort, "rtnl.expert.malformed.packet_short", PI_MALFORMED, PI_ERROR,
     "Packet shorter than the 16-byte nlmon header"},
    {ProblemCode::MessageTooShort, "rtnl.expert.malformed.msg_len_short", PI_MALFORMED, PI_ERROR,
     "Message length below the 16-byte netlink header"},
    {ProblemCode::MessageTruncated, "rtnl.expert.malformed.msg_len_past_packet", PI_MALFORMED, PI_ERROR,
     "Message length runs past the end of the packet"},
    {ProblemCode::HeaderTruncated, "rtnl.expert.malformed.header_short", PI_MALFORMED, PI_ERROR,
     "Family header shorter than its struct"},
    {ProblemCode::AttrTooShort, "rtnl.expert.malformed.attr_len_short", PI_MALFORMED, PI_ERROR,
     "Attribute length below the 4-byte attribute header"},
    {ProblemCode::AttrTruncated, "rtnl.expert.malformed.attr_len_past_parent", PI_MALFORMED, PI_ERROR,
     "Attribute length runs past its parent"},
    {ProblemCode::AttrPayloadSize, "rtnl.expert.malformed.attr_size", PI_MALFORMED, PI_ERROR,
     "Attribute payload size does not fit its type"},
    {ProblemCode::AddressLength, "rtnl.expert.malformed.addr_len", PI_MALFORMED, PI_ERROR,
     "Address length does not fit the address family"},
    {ProblemCode::PrefixLength, "rtnl.expert.malformed.prefix_len", PI_MALFORMED, PI_ERROR,
     "Prefix length longer than the address (above 32 for IPv4, 128 for IPv6)"},
    {ProblemCode::StringNotTerminated, "rtnl.expert.malformed.string_unterminated", PI_MALFORMED, PI_WARN,
     "String attribute without its terminating NUL"},
    {ProblemCode::UnknownAttribute, "rtnl.expert.unknown_attr", PI_UNDECODED, PI_NOTE,
     "Attribute type not known for this attribute space; shown as raw bytes"},
    {ProblemCode::UnknownMessageType, "rtnl.expert.unknown_msg_type", PI_UNDECODED, PI_NOTE,
     "Message type not known; payload shown as raw bytes"},
    {ProblemCode::UnknownSubMessage, "rtnl.expert.unknown_kind", PI_UNDECODED, PI_NOTE,
     "No attribute table for this kind; payload shown as raw bytes"},
    {ProblemCode::NestTooDeep, "rtnl.expert.malformed.nest_too_deep", PI_MALFORMED, PI_ERROR,
     "Attributes nested deeper than the dissector follows"},
    {ProblemCode::OifZero, "rtnl.expert.oif_zero", PI_PROTOCOL, PI_WARN,
     "Output interface index 0: no interface has index 0"},
    {ProblemCode::NexthopOifZero, "rtnl.expert.nexthop_oif_zero", PI_PROTOCOL, PI_NOTE,
     "Multipath nexthop without an interface (rtnh_ifindex 0): the kernel resolves it from the gateway"},
    {ProblemCode::ErrorReply, "rtnl.expert.error_reply", PI_RESPONSE_CODE, PI_WARN, "Error reply"},
    {ProblemCode::DumpInterrupted, "rtnl.expert.dump_interrupted", PI_SEQUENCE, PI_WARN,
     "Dump interrupted (NLM_F_DUMP_INTR): the kernel's table changed during the dump, the result may be inconsistent"},
};
static_assert(std::size(kExperts) == kProblemCodeCount, "one expert info per problem code");

std::array<expert_field, kProblemCodeCount> g_fields;
expert_field g_extack = EI_INIT;
ei_register_info g_register[kProblemCodeCount + 1];

}  // namespace

void register_experts(int proto) {
    for (std::size_t i = 0; i < kProblemCodeCount; ++i) {
        const ExpertInfo& e = kExperts[i];
        g_fields[static_cast<std::size_t>(e.code)] = EI_INIT;
        ei_register_info& r = g_register[i];
        r.ids = &g_fields[static_cast<std::size_t>(e.code)];
        r.eiinfo = expert_field_info{e.abbrev, e.group, e.severity, e.summary, EXPFILL};
    }
    g_register[kProblemCodeCount].ids = &g_extack;
    g_register[kProblemCodeCount].eiinfo = expert_field_info{
        "rtnl.expert.extack", PI_RESPONSE_CODE, PI_NOTE, "Kernel's extended ACK message", EXPFILL};
    expert_module_t* module = expert_register_protocol(proto);
    expert_register_field_array(module, g_register, static_cast<int>(std::size(g_register)));
}

expert_field* expert_for(ProblemCode code) { return &g_fields[static_cast<std::size_t>(code)]; }

const ExpertInfo& expert_info(ProblemCode code) {
    for (const auto& e : kExperts)
        if (e.code == code) return e;
    return kExperts[0];
}

expert_field* expert_extack_message() { return &g_extack; }

}  // namespace rtnl::plugin
