// Turns decoder events into proto_tree items, expert infos and the summary.
#pragma once

#include <epan/packet.h>

#include <optional>
#include <span>
#include <vector>

#include "fields.hpp"
#include "rtnl/events.hpp"
#include "rtnl/reader.hpp"
#include "rtnl/summary.hpp"
#include "rtnl/tracker.hpp"
#include "ws_compat.hpp"

namespace rtnl::plugin {

// The tree builder's stacks, kept between packets so that a packet does not
// allocate them again (most packets of an `ip monitor` capture are one
// small message).
struct TreeScratch {
    std::vector<proto_tree*> stack;
    std::vector<proto_item*> messages;
    std::vector<bool> struct_pushed;
};

// Capture-wide state the dissector keeps between packets.
struct CaptureState {
    Tracker tracker;
    LinkNames names;
    TreeScratch scratch;
    ws::pref_bool resolve_names = true;  // preferences (Wireshark writes them)
    ws::pref_bool track_requests = true;
};

CaptureState& capture_state();  // the dissector's, for the statistics

struct TapPacket;

// final: the walker calls it directly (walk_messages_static), not through the vtable.
class TreeBuilder final : public Visitor {
public:
    TreeBuilder(tvbuff_t* tvb, packet_info* pinfo, proto_tree* root, ByteOrder order, CaptureState& state,
                bool from_user);

    void message_begin(const MessageView& m) override;
    void message_end(const MessageView& m) override;
    void struct_begin(const StructSpec& s, std::size_t offset, std::size_t length) override;
    void struct_member(const FieldSpec& f, std::size_t offset, std::size_t length, const Value& v) override;
    void struct_end(const StructSpec& s) override;
    // A struct's members are decoded only when something will use one: a
    // visible tree, the statistics, a filter or field output that names one,
    // the Info line or request tracking (family headers). Link statistics
    // and devconf in a tree-less pass, or the headers of a dump's 200th
    // message, are not.
    bool wants_members(const StructSpec& s) override;
    void attr_begin(const AttrEvent& ev) override;
    void attr_end(const AttrEvent& ev) override;
    void error_code(std::int32_t error, std::size_t offset) override;
    void extack_target(std::size_t offset, const AttrSpace* space, const AttrSpec* spec, std::uint16_t type) override;
    void problem(const Problem& p) override;
    void trailing_padding(std::size_t offset, std::size_t length) override;

    // Walk the messages in bytes[start..] into this builder. Defined beside
    // the callbacks so that the compiler can inline them into the walker.
    std::size_t walk(std::span<const std::uint8_t> bytes, std::size_t start);

    const SummaryBuilder& summary() const { return summary_; }
    // Collect what the statistics need into `tap` (may be null).
    void set_tap(TapPacket* tap) { tap_ = tap; }

private:
    proto_tree* top() const { return stack_.empty() ? nullptr : stack_.back(); }
    // Whether an item of this field is worth adding to the current tree.
    bool wanted(const FieldSpec& f) const;
    proto_item* add_value(proto_tree* tree, const FieldSpec& f, std::size_t offset, std::size_t length,
                          const Value& v);
    void add_convenience(proto_tree* tree, const FieldSpec& f, std::size_t offset, std::size_t length,
                         const Value& v, proto_item* item);
    void add_tracking(proto_tree* tree, const MessageView& m);

    tvbuff_t* tvb_;
    guint enc_;  // byte order of the netlink payload, as the walker read it
    packet_info* pinfo_;
    const FieldRegistry& reg_;
    SummaryBuilder summary_;
    std::vector<proto_tree*>& stack_;
    std::vector<proto_item*>& messages_;
    std::vector<bool>& struct_pushed_;
    bool attr_owns_struct_ = false;
    unsigned open_attrs_ = 0;  // attributes begun and not ended  // a Struct/RtVia attribute's members go into its own subtree
    std::int32_t last_error_ = 0;
    CaptureState& state_;
    std::optional<CaptureLearner> capture_;  // first pass only
    bool first_pass_;
    bool visible_ = false;  // the tree is shown: labels are worth building
    bool attr_header_items_ = false;  // rtnl.attr.len / .type items wanted
    bool from_user_;
    std::uint16_t message_index_ = 0;
    unsigned echo_depth_ = 0;
    TapPacket* tap_ = nullptr;
    bool in_request_ = false;
};

}  // namespace rtnl::plugin
