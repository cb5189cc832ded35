// Turns decoder events into proto_tree items and expert infos, and fills the
// statistics' tap record. The summary and the first-pass learner are parts
// of the same walk beside it (walk_packet).
#pragma once

#include <epan/packet.h>

#include <span>
#include <vector>

#include "dissector.hpp"
#include "fields.hpp"
#include "rtnl/events.hpp"
#include "rtnl/reader.hpp"
#include "rtnl/summary.hpp"
#include "rtnl/tracker.hpp"

namespace rtnl::plugin {

// The tree builder's stacks, kept between packets so that a packet does not
// allocate them again (most packets of an `ip monitor` capture are one
// small message).
struct TreeScratch {
    std::vector<proto_tree*> stack;
    std::vector<proto_item*> messages;
    std::vector<bool> struct_pushed;
    std::vector<proto_item*> labelled;  // top-level message items, labelled by finish()
};

struct TapPacket;

// final: the walker calls it directly (walk_messages_static), not through the vtable.
class TreeBuilder final : public Visitor {
public:
    // `summary` is walked beside the tree (walk_packet): the builder sets it
    // up for what will be shown and tells it each reply's role.
    TreeBuilder(tvbuff_t* tvb, packet_info* pinfo, proto_tree* root, ByteOrder order, CaptureState& state,
                TreeScratch& scratch, SummaryBuilder& summary, const PacketOrigin& origin);

    void message_begin(const MessageView& m) override;
    void message_end(const MessageView& m) override;
    void struct_begin(const StructView& s) override;
    void struct_end(const StructSpec& s) override;
    void attr_begin(const AttrEvent& ev) override;
    // A nest's contents are skipped when nothing of them can be seen: no
    // visible tree, no statistics, no observable expert info (problems
    // inside a nest are expert infos) and no filter or field output that
    // names a field inside it.
    bool wants_children(const AttrEvent& ev) override;
    void attr_end(const AttrEvent& ev) override;
    void error_code(std::int32_t error, std::size_t offset) override;
    void extack_target(std::size_t offset, const AttrSpace* space, const AttrSpec* spec, std::uint16_t type) override;
    void problem(const Problem& p) override;
    void trailing_padding(std::size_t offset, std::size_t length) override;

    // After the walk: each message's item is labelled with its summary line.
    void finish();
    // Collect what the statistics need into `tap` (may be null).
    void set_tap(TapPacket* tap) { tap_ = tap; }

private:
    proto_tree* top() const { return stack_.empty() ? nullptr : stack_.back(); }
    // Whether an item of this field is worth adding to the current tree.
    bool wanted(const FieldSpec& f) const;
    // Whether a struct's members are read: a visible tree, the statistics, a
    // filter or field output that names one; a nexthop's always (its
    // interface feeds rtnl.oif). Link statistics and devconf in a tree-less
    // pass are not.
    bool reads_members(const StructSpec& s) const;
    void open_struct(const StructSpec& s, std::size_t offset, std::size_t length);
    proto_item* add_value(proto_tree* tree, const FieldSpec& f, std::size_t offset, std::size_t length,
                          const Value& v);
    void add_convenience(proto_tree* tree, const FieldSpec& f, std::size_t offset, std::size_t length,
                         const Value& v, proto_item* item);
    void add_tracking(proto_tree* tree, const MessageView& m);
    void add_names(proto_tree* tree, unsigned feeds, std::size_t offset, std::size_t length, std::uint32_t index,
                   proto_item* item, const std::string* own);
    void attr_item(const AttrEvent& ev);  // attr_begin with a tree
    // The kernel's extended-ACK message (NLMSGERR_ATTR_MSG of space_extack) as an expert info.
    void extack_message(proto_tree* parent, const AttrEvent& ev);
    void unknown_index(proto_tree* tree, std::size_t offset, std::size_t length, std::uint32_t index);

    tvbuff_t* tvb_;
    guint enc_;  // byte order of the netlink payload, as the walker read it
    packet_info* pinfo_;
    const FieldRegistry& reg_;
    SummaryBuilder& summary_;
    std::vector<proto_tree*>& stack_;
    std::vector<proto_item*>& messages_;
    std::vector<bool>& struct_pushed_;
    std::vector<proto_item*>& labelled_;
    bool attr_owns_struct_ = false;  // a Struct/RtVia attribute's members go into its own subtree
    std::int32_t last_error_ = 0;
    CaptureState& state_;
    bool first_pass_;
    bool visible_ = false;  // the tree is shown: labels are worth building
    bool attr_header_items_ = false;  // rtnl.attr.len / .type items wanted
    bool has_tree_ = false;  // a tree, visible or not (a filter run has one nobody sees)
    bool experts_seen_ = false;  // an expert info added now would be observed (experts_observable)
    // In a tree nobody sees, Wireshark fakes the item of a field no filter or
    // output names (it hands back the parent): those calls are not made.
    bool msg_items_ = true, echoed_items_ = true;  // rtnl.msg, rtnl.echoed
    bool header_items_ = true;  // the netlink header's fields
    bool name_items_ = true;  // rtnl.oif.name, rtnl.ifindex.name, rtnl.ifname beside an index
    bool text_items_ = true;  // subtrees labelled by text (Wireshark's "text" field)
    PacketOrigin origin_;
    bool from_user_;
    std::uint16_t message_index_ = 0;
    unsigned echo_depth_ = 0;
    unsigned open_attrs_ = 0;  // attributes begun and not ended: a link's own ifi_index is at 0
    TapPacket* tap_ = nullptr;
    // A link message's own index (ifi_index), named at message_end by its own IFLA_IFNAME if it has one.
    struct OwnIndex {
        proto_tree* tree = nullptr;
        proto_item* item = nullptr;
        std::size_t offset = 0, length = 0;
        std::uint32_t index = 0;
        bool pending = false;
    } own_index_;
    std::string own_name_;
    // A link message's IFLA_LINK, named at message_end unless IFLA_LINK_NETNSID says the lower device is in
    // another namespace (a veth peer moved into a container): this namespace's names would be wrong for it.
    OwnIndex lower_;
    bool lower_elsewhere_ = false;
    bool in_request_ = false;
    bool in_error_message_ = false;  // NLMSG_ERROR: a 0 error is an ACK (NLMSG_DONE's 0 is no ACK)
};

// Walks the messages in bytes[start..] once into all of a packet's
// consumers: the first-pass learner (null after the first pass), the tree
// and the summary, in that order (the tracker learns a message before the
// tree shows its links; the tree tells the summary the message's role).
// Defined beside the tree's callbacks so that the compiler can inline them
// into the walker.
std::size_t walk_packet(std::span<const std::uint8_t> bytes, std::size_t start, CaptureLearner* learner,
                        TreeBuilder& tree, SummaryBuilder& summary);

}  // namespace rtnl::plugin
