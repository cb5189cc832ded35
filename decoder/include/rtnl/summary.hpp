// One readable line per message, in iproute2's words where it has them
// ("RTM_DELROUTE 10.9.0.0/24 via 127.0.0.1 dev 1 table main"), and one line
// per packet summarising all of its messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rtnl/events.hpp"
#include "rtnl/value_text.hpp"

namespace rtnl {

class LinkNames;

// What a message from the kernel is, when the caller knows (request tracking).
enum class MessageRole : std::uint8_t { Unknown, Reply, Notification };

class SummaryBuilder : public Visitor {
public:
    SummaryBuilder();
    // Not copyable: its one-step lookup points into its own value slots.
    SummaryBuilder(const SummaryBuilder&) = delete;
    SummaryBuilder& operator=(const SummaryBuilder&) = delete;
    // Interface names to show instead of indexes ("dev lo"), those of the
    // packet's network namespace (PacketOrigin::netns); may be null.
    void set_names(const LinkNames* names, std::uint64_t netns = 0) {
        names_ = names;
        netns_ = netns;
    }
    // Role of the next top-level message to end (reset after it).
    void set_role(MessageRole role) { role_ = role; }
    // Format the lines of the first `n` top-level messages only; later ones
    // are counted by type (packet_line() needs 3 lines, a caller that shows
    // no text 0). Default: every message.
    void set_max_lines(std::size_t n) { max_lines_ = n; }

    void message_begin(const MessageView& m) override;
    void message_end(const MessageView& m) override;
    // Reads the members of the family header, of nexthops and of bridge VLAN
    // entries, of a message that gets a line; other struct attributes'
    // (link statistics, devconf) are not read.
    void struct_begin(const StructView& s) override;
    void struct_end(const StructSpec& s) override;
    void attr_begin(const AttrEvent& ev) override;
    // The nests a line reads from, of a message that gets one: IFLA_LINKINFO
    // (the kind, and IFLA_INFO_DATA for a veth's VETH_INFO_PEER name),
    // RTA_MULTIPATH's nexthops, bridge VLAN entries and global options.
    bool wants_children(const AttrEvent& ev) override;
    void attr_end(const AttrEvent& ev) override;
    void error_code(std::int32_t error, std::size_t offset) override;

    // One line per top-level message, in packet order (the first
    // set_max_lines() of them); types() has every message.
    const std::vector<std::string>& lines() const { return lines_; }
    const std::vector<std::uint16_t>& types() const { return types_; }
    // The packet's Info line: every message when few, else the first ones
    // and a count by type.
    std::string packet_line() const;
    void packet_line(std::string& out) const;  // the same into `out`, reusing its buffer
    // The same without a copy when one line is the whole of it (else built
    // in `buffer`); valid until the next clear() or message.
    std::string_view packet_line_view(std::string& buffer) const {
        if (lines_.size() == 1) return lines_[0];
        packet_line(buffer);
        return buffer;
    }
    // Ready for the next packet; the settings above stay.
    void clear();

private:
    struct Nexthop {
        Value gateway;
        std::int64_t ifindex = -1;
        std::uint64_t hops = 0;
    };
    // Slots written before they are read: left uninitialised, because
    // clearing them for every packet showed in the profile.
    template <class T>
    union Slot {
        Slot() {}
        T item;
    };
    void keep_member(const Member& m);
    // Kept as its bytes: a value is decoded when a line reads it (get()).
    void add_item(const FieldSpec* f, const ValueRef& raw);
    const Value* item_value(std::size_t i) const;
    // The value of a field among the header's members and the message's own
    // attributes (the first, when it repeats); with two, the IPv4 field's or
    // else its IPv6 twin's.
    const Value* get(schema::field::Id id) const;
    const Value* get(schema::field::Id v4, schema::field::Id v6) const;
    std::string dev(std::int64_t ifindex) const;
    void append_dev(std::string& out, std::int64_t ifindex) const;
    void format_message(std::string& out) const;  // the line of the message just ended
    // Each family's words, appended to `out` (empty on entry).
    void format_route(std::string& out) const;
    void format_link(std::string& out) const;
    void format_addr(std::string& out) const;
    void format_neigh(std::string& out) const;
    void format_rule(std::string& out) const;
    void format_nexthop(std::string& out) const;
    void format_tc(std::string& out, bool filter) const;  // filter: filters and chains
    void format_netconf(std::string& out) const;
    void format_addrlabel(std::string& out) const;
    void format_mdb(std::string& out) const;
    void format_nsid(std::string& out) const;
    void format_vlan(std::string& out) const;
    void format_group_addr(std::string& out, bool anycast) const;
    std::string format_error() const;
    void append_get_flags(std::string& out) const;  // RTM_GETROUTE's rtm_flags

    static constexpr std::size_t kMaxItems = 64;
    static constexpr std::size_t kMaxNexthops = 16;
    const LinkNames* names_ = nullptr;
    std::uint64_t netns_ = 0;
    MessageRole role_ = MessageRole::Unknown;
    std::size_t max_lines_ = static_cast<std::size_t>(-1);
    MessageView msg_{};
    bool have_msg_ = false;
    bool collecting_ = false;  // this message gets a line: its values are kept (a dump's 200th is only counted)
    unsigned echo_depth_ = 0;
    // The family header's members and the message's own attributes, by field.
    static_assert(kMaxItems <= 64, "item_decoded_ has a bit per item");
    const FieldSpec* item_fields_[kMaxItems];
    Slot<ValueRef> item_raw_[kMaxItems];
    mutable Slot<Value> item_values_[kMaxItems];  // decoded on first read
    mutable std::uint64_t item_decoded_ = 0;      // which of item_values_ are
    std::size_t item_count_ = 0;
    const std::uint8_t* slot_of_;  // field index -> slot (summary.cpp)
    std::uint8_t slots_[64] = {};  // the summary's own fields' items (index + 1), found in one step (summary.cpp)
    unsigned attr_depth_ = 0;  // attributes open: members of struct attributes are not items
    Slot<Nexthop> nexthops_[kMaxNexthops];
    std::size_t nexthop_count_ = 0;
    bool in_nexthop_ = false;
    bool in_vlan_info_ = false;  // inside a BRIDGE_VLANDB_ENTRY_INFO: its vid and flags are kept
    bool has_error_ = false;
    std::int32_t error_ = 0;
    NetlinkHeader echoed_{};
    bool have_echo_ = false;
    std::string extack_msg_;
    // IFLA_LINKINFO's kind and a veth's peer name (VETH_INFO_PEER's IFLA_IFNAME): views into the packet.
    std::string_view link_kind_, peer_name_;
    unsigned peer_depth_ = 0;  // attr_depth_ of an open VETH_INFO_PEER, or 0
    std::vector<std::string> lines_;
    std::vector<std::string> spare_;  // buffers of cleared lines, for the next ones
    mutable std::string body_;  // format_message's family words
    std::vector<std::uint16_t> types_;
};

// Text forms shared by the summary, the plugin and the tools (values: value_text.hpp).
inline constexpr std::uint32_t kTcHandleRoot = 0xffffffffu;     // TC_H_ROOT
inline constexpr std::uint32_t kTcHandleIngress = 0xfffffff1u;  // TC_H_INGRESS (and TC_H_CLSACT)
inline constexpr std::uint32_t kRtmFlagLookupTable = 0x1000;     // RTM_F_LOOKUP_TABLE
inline constexpr std::uint32_t kRtmFlagFibMatch = 0x2000;        // RTM_F_FIB_MATCH
std::string format_tc_handle(std::uint32_t handle);  // "1:10", "root", "ingress", "none"
std::string enum_name(const EnumSpec* e, std::uint64_t value);  // short name or the number
// An attribute's constant ("RTA_OIF"), or its space's prefix and number
// ("RTA_99") when the schema has no such attribute; empty without a space.
std::string attr_constant(const AttrSpace* space, const AttrSpec* spec, std::uint16_t type);
void append_enum_name(std::string& out, const EnumSpec* e, std::uint64_t value);

}  // namespace rtnl
