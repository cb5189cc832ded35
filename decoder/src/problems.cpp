#include "rtnl/problems.hpp"

namespace rtnl {

namespace {

// Severity as a network engineer reads it: malformed bytes are errors, a
// request the kernel cannot honour (interface 0) a warning, decoding gaps notes.
// In ProblemCode order.
const ProblemInfo kProblems[] = {
    {ProblemCode::PacketTooShort, "malformed.packet_short", ProblemGroup::Malformed, Severity::Error,
     "Packet shorter than the 16-byte nlmon header"},
    {ProblemCode::MessageTooShort, "malformed.msg_len_short", ProblemGroup::Malformed, Severity::Error,
     "Message length below the 16-byte netlink header"},
    {ProblemCode::MessageTruncated, "malformed.msg_len_past_packet", ProblemGroup::Malformed, Severity::Error,
     "Message length runs past the end of the packet"},
    {ProblemCode::HeaderTruncated, "malformed.header_short", ProblemGroup::Malformed, Severity::Error,
     "Family header shorter than its struct"},
    {ProblemCode::AttrTooShort, "malformed.attr_len_short", ProblemGroup::Malformed, Severity::Error,
     "Attribute length below the 4-byte attribute header"},
    {ProblemCode::AttrTruncated, "malformed.attr_len_past_parent", ProblemGroup::Malformed, Severity::Error,
     "Attribute length runs past its parent"},
    {ProblemCode::AttrPayloadSize, "malformed.attr_size", ProblemGroup::Malformed, Severity::Error,
     "Attribute payload size does not fit its type"},
    {ProblemCode::AddressLength, "malformed.addr_len", ProblemGroup::Malformed, Severity::Error,
     "Address length does not fit the address family"},
    {ProblemCode::PrefixLength, "malformed.prefix_len", ProblemGroup::Malformed, Severity::Error,
     "Prefix length longer than the address (above 32 for IPv4, 128 for IPv6)"},
    {ProblemCode::UnknownAttribute, "unknown_attr", ProblemGroup::Undecoded, Severity::Note,
     "Attribute type not known for this attribute space; shown as raw bytes"},
    {ProblemCode::UnknownMessageType, "unknown_msg_type", ProblemGroup::Undecoded, Severity::Note,
     "Message type not known; payload shown as raw bytes"},
    {ProblemCode::UnknownSubMessage, "unknown_kind", ProblemGroup::Undecoded, Severity::Note,
     "No attribute table for this kind; payload shown as raw bytes"},
    {ProblemCode::NestTooDeep, "malformed.nest_too_deep", ProblemGroup::Malformed, Severity::Error,
     "Attributes nested deeper than the dissector follows"},
    {ProblemCode::OifZero, "oif_zero", ProblemGroup::Protocol, Severity::Warning,
     "Output interface index 0: no interface has index 0; the kernel reads it as no interface given (a new route "
     "then needs a gateway, a delete matches any interface)"},
    {ProblemCode::OifZeroAccepted, "oif_zero_accepted", ProblemGroup::Protocol, Severity::Note,
     "Output interface index 0 in a request the kernel accepted: it read RTA_OIF 0 as no interface given"},
    {ProblemCode::NexthopOifZero, "nexthop_oif_zero", ProblemGroup::Protocol, Severity::Note,
     "Multipath nexthop without an interface (rtnh_ifindex 0): the kernel resolves it from the gateway"},
    {ProblemCode::ErrorReply, "error_reply", ProblemGroup::ResponseCode, Severity::Warning, "Error reply"},
    {ProblemCode::DumpInterrupted, "dump_interrupted", ProblemGroup::Sequence, Severity::Warning,
     "Dump interrupted (NLM_F_DUMP_INTR): the kernel's table changed during the dump, the result may be inconsistent"},
    {ProblemCode::HostBitsSet, "host_bits_set", ProblemGroup::Protocol, Severity::Warning,
     "Prefix has bits set beyond its prefix length (the kernel rejects it: Invalid prefix for given prefix length)"},
    {ProblemCode::DuplicateAttribute, "duplicate_attr", ProblemGroup::Protocol, Severity::Warning,
     "Attribute given twice at the same level: the kernel uses only one of them"},
    {ProblemCode::FlagsMismatch, "flags_mismatch", ProblemGroup::Protocol, Severity::Warning,
     "Request flags that make no sense for this message type (CREATE/APPEND on a DEL or GET, REPLACE with EXCL)"},
    {ProblemCode::LegacyDumpHeader, "legacy_dump_header", ProblemGroup::Protocol, Severity::Note,
     "Dump request with a legacy family header (as old iproute2 and vishvananda/netlink send): struct rtgenmsg or a "
     "zeroed 16-byte struct ifinfomsg where this type's struct belongs; the kernel reads its family byte"},
    {ProblemCode::RequestFailed, "request_failed", ProblemGroup::ResponseCode, Severity::Warning,
     "The kernel answered this request with an error"},
    {ProblemCode::FailureReason, "failure_reason", ProblemGroup::ResponseCode, Severity::Note,
     "Why the kernel refused the request: the fields it matched or checked, and the object of the capture that "
     "differs"},
    {ProblemCode::RequestUnanswered, "unanswered", ProblemGroup::Sequence, Severity::Warning,
     "Request asked for an answer (NLM_F_ACK or a GET) and none is in the capture"},
    {ProblemCode::IfindexUnknown, "ifindex_unknown", ProblemGroup::Protocol, Severity::Note,
     "Interface index not among the links of the capture's full link dump"},
    {ProblemCode::IfnameAmbiguous, "ifname_ambiguous", ProblemGroup::Protocol, Severity::Note,
     "Interface index with more than one name in this capture (namespaces the capture does not tell apart, or a "
     "rename): every name shown, none picked"},
    {ProblemCode::ExtackMessage, "extack", ProblemGroup::ResponseCode, Severity::Note,
     "The kernel's extended-ACK message (NLMSGERR_ATTR_MSG), as its own text"},
};
static_assert(std::size(kProblems) == kProblemCodeCount, "one catalogue entry per problem code");

}  // namespace

std::span<const ProblemInfo> all_problems() { return kProblems; }

const ProblemInfo& problem_info(ProblemCode code) { return kProblems[static_cast<std::size_t>(code)]; }

}  // namespace rtnl
