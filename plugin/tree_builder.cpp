#include "tree_builder.hpp"

#include <epan/expert.h>
#include <wsutil/to_str.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "expert.hpp"
#include "labels.hpp"
#include "stats.hpp"
#include "rtnl/errno_names.hpp"
#include "rtnl/netlink.hpp"
#include "rtnl/fan_out.hpp"
#include "rtnl/walker_impl.hpp"

namespace rtnl::plugin {

namespace {

bool is_64bit(Kind k) { return k == Kind::U64 || k == Kind::S64 || k == Kind::UInt; }

// A MAC, IPv4 or IPv6 field whose bytes are not one such address: shown as
// rtnl.attr.data, labelled as the attribute.
bool shown_as_attr_data(const FieldSpec& f, const Value& v) {
    return (v.tag == Value::Tag::Bytes || (v.tag == Value::Tag::Mac && f.kind != Kind::Mac)) &&
           (f.kind == Kind::Mac || f.kind == Kind::Ipv4 || f.kind == Kind::Ipv6);
}

}  // namespace

TreeBuilder::TreeBuilder(tvbuff_t* tvb, packet_info* pinfo, proto_tree* root, ByteOrder order, CaptureState& state,
                         TreeScratch& scratch, SummaryBuilder& summary, const PacketOrigin& origin)
    : tvb_(tvb), enc_(order == ByteOrder::Little ? ENC_LITTLE_ENDIAN : ENC_BIG_ENDIAN), pinfo_(pinfo),
      reg_(registry()), summary_(summary), stack_(scratch.stack), messages_(scratch.messages),
      struct_pushed_(scratch.struct_pushed), labelled_(scratch.labelled), state_(state),
      first_pass_(!PINFO_FD_VISITED(pinfo)), origin_(origin),
      from_user_(origin.direction == PacketOrigin::Direction::ToKernel) {
    stack_.clear();
    messages_.clear();
    struct_pushed_.clear();
    labelled_.clear();
    stack_.push_back(root);
    if (state_.resolve_names) summary_.set_names(&state_.names, origin_.netns);
    // Text nobody sees is not built: message labels only in a visible tree
    // (Wireshark's details, tshark -V / -T json / pdml), the Info line only
    // when there are columns (its first messages; the rest are counted).
    visible_ = root && PTREE_DATA(root)->visible;
    has_tree_ = root != nullptr;
    experts_seen_ = visible_ || experts_observable(pinfo, root != nullptr);
    const FixedFields& F = reg_.fixed();
    if (has_tree_ && !visible_) {
        reg_.prime(root);
        msg_items_ = reg_.referenced_fixed(F.msg);
        echoed_items_ = reg_.referenced_fixed(F.echoed);
        header_items_ = reg_.header_referenced();
        name_items_ = reg_.referenced_fixed(F.oif_name) || reg_.referenced_fixed(F.ifindex_name) ||
                      reg_.referenced_fixed(F.ifname);
        text_items_ = reg_.text_referenced();
    }
    if (!visible_) summary_.set_max_lines(pinfo->cinfo ? 3 : 0);
    // Every attribute's length and type items: in a tree nobody sees (a
    // filter run) only when a filter or field output asks for them.
    attr_header_items_ = visible_ || (root && (proto_field_is_referenced(root, F.attr_len) ||
                                               proto_field_is_referenced(root, F.attr_type) ||
                                               proto_field_is_referenced(root, F.attr_nested) ||
                                               proto_field_is_referenced(root, F.attr_net_byteorder)));
}

std::size_t walk_packet(std::span<const std::uint8_t> bytes, std::size_t start, CaptureLearner* learner,
                        TreeBuilder& tree, SummaryBuilder& summary) {
    FanOut<CaptureLearner, TreeBuilder, SummaryBuilder> parts(learner, &tree, &summary);
    return walk_messages_static(bytes, start, parts);
}

void TreeBuilder::message_begin(const MessageView& m) {
    if (m.echoed) {
        ++echo_depth_;
        if (echo_depth_ == 1 && tap_ && tap_->count < TapPacket::kMaxMessages)
            tap_->messages[tap_->count].echoed_type = m.header.type;
    } else {
        last_error_ = 0;
        in_request_ = m.header.flags & nl::F_REQUEST;
        in_error_message_ = m.header.type == nl::NLMSG_ERROR;
        if (tap_ && tap_->count < TapPacket::kMaxMessages) {
            TapMessage& t = tap_->messages[tap_->count];
            t = TapMessage{};
            t.type = m.header.type;
            t.flags = m.header.flags;
            t.from_user = from_user_;
            t.request = in_request_;
        }
    }
    const FixedFields& F = reg_.fixed();
    const int off = static_cast<int>(m.offset), len = static_cast<int>(m.length);
    // No tree (tshark without -V, a filter or a tap that needs one): no
    // items, and no calls that would only find that out.
    proto_item* item = nullptr;
    proto_tree* tree = top();  // where a faked item leaves its children
    if (tree && (m.echoed ? echoed_items_ : msg_items_)) {
        item = proto_tree_add_item(tree, m.echoed ? F.echoed : F.msg, tvb_, off, len, ENC_NA);
        tree = proto_item_add_subtree(item, m.echoed ? F.ett_echoed : F.ett_msg);
    }
    messages_.push_back(item);
    stack_.push_back(tree);
    if (!tree || !header_items_) return;

    const NetlinkHeader& h = m.header;
    proto_tree_add_uint(tree, F.len, tvb_, off, 4, h.len);
    proto_tree_add_uint(tree, F.type, tvb_, off + 4, 2, h.type);
    proto_item* flags = proto_tree_add_uint(tree, F.flags, tvb_, off + 6, 2, h.flags);
    proto_tree* bits = proto_item_add_subtree(flags, F.ett_flags);
    for (int* id : reg_.header_flag_bits(h.type, h.flags & nl::F_REQUEST))
        proto_tree_add_boolean(bits, *id, tvb_, off + 6, 2, h.flags);
    proto_tree_add_uint(tree, F.seq, tvb_, off + 8, 4, h.seq);
    proto_tree_add_uint(tree, F.pid, tvb_, off + 12, 4, h.pid);
}

void TreeBuilder::message_end(const MessageView& m) {
    if (m.echoed) {
        if (echo_depth_) --echo_depth_;
    } else {
        const MessageRef ref{pinfo_->num, message_index_};
        // From the kernel nothing is a request, NLM_F_REQUEST or not (a nexthop notification copies the request's flags).
        const bool from_kernel = origin_.direction == PacketOrigin::Direction::FromKernel;
        if (state_.track_requests && (from_kernel || !(m.header.flags & nl::F_REQUEST)))
            summary_.set_role(state_.tracker.reply_link(ref) ? MessageRole::Reply : MessageRole::Notification);
        if (own_index_.pending)
            add_names(own_index_.tree, kFeedIfindex, own_index_.offset, own_index_.length, own_index_.index,
                      own_index_.item, own_name_.empty() ? nullptr : &own_name_);
        own_index_.pending = false;
        own_name_.clear();
        if (lower_.pending && !lower_elsewhere_)
            add_names(lower_.tree, kFeedIfindex, lower_.offset, lower_.length, lower_.index, lower_.item, nullptr);
        lower_.pending = false;
        lower_elsewhere_ = false;
        add_tracking(top(), m);
        ++message_index_;
        if (tap_ && tap_->count < TapPacket::kMaxMessages) {
            tap_->messages[tap_->count].error = last_error_;
            ++tap_->count;
        }
    }
    proto_item* item = messages_.back();
    messages_.pop_back();
    stack_.pop_back();
    if (!visible_) return;
    if (!m.echoed) {
        labelled_.push_back(item);  // its line comes when the summary ends it
    } else if (item) {
        const std::string type = nl::message_type_label(m.header.type);
        proto_item_set_text(item, "Original request: %s, seq %u", type.c_str(), m.header.seq);
    }
}

void TreeBuilder::finish() {
    // A visible tree's summary keeps a line for every top-level message, in order.
    const auto& lines = summary_.lines();
    for (std::size_t i = 0; i < labelled_.size() && i < lines.size(); ++i)
        if (labelled_[i]) set_label(labelled_[i], lines[i]);
}

void TreeBuilder::struct_begin(const StructView& v) {
    open_struct(*v.spec, v.offset, v.length);
    if (!reads_members(*v.spec)) return;
    // Called for every member read (a link message has hundreds).
    v.for_each_member([&](const Member& m) {
        const FieldSpec& f = *m.field;
        if ((top() && wanted(f)) || f.feeds) add_value(top(), f, m.offset, m.length, m.value());
    });
}

void TreeBuilder::open_struct(const StructSpec& s, std::size_t offset, std::size_t length) {
    if (attr_owns_struct_ && !s.entries) {  // the attribute's own subtree holds the members
        attr_owns_struct_ = false;
        struct_pushed_.push_back(false);
        return;
    }
    const FixedFields& F = reg_.fixed();
    proto_tree* tree = nullptr;
    if (!top())
        ;  // no tree
    else if (!text_items_)
        tree = top();  // what the faked subtree would give
    else if (&s == &schema::struct_rtnexthop)
        tree = proto_tree_add_subtree_format(top(), tvb_, static_cast<int>(offset), static_cast<int>(length),
                                             F.ett_struct, nullptr, "Nexthop (struct rtnexthop)");
    else {
        const std::string_view kind = s.entries ? "Entry (struct " : "Header (struct ", name = s.name;
        char text[80];
        const std::size_t n = std::min(name.size(), sizeof text - kind.size() - 2);
        std::memcpy(text, kind.data(), kind.size());
        std::memcpy(text + kind.size(), name.data(), n);
        text[kind.size() + n] = ')';
        tree = add_labelled_subtree(top(), tvb_, static_cast<int>(offset), static_cast<int>(length), F.ett_struct,
                                    std::string_view(text, kind.size() + n + 1));
    }
    stack_.push_back(tree);
    struct_pushed_.push_back(true);
}

// In a tree nobody sees (a filter or -T fields run), Wireshark only keeps
// items whose field is referenced; asking first saves building the rest.
// Fields that feed convenience fields and expert infos are always added.
bool TreeBuilder::wanted(const FieldSpec& f) const {
    return visible_ || f.feeds || tap_ || reg_.referenced(f);
}

bool TreeBuilder::reads_members(const StructSpec& s) const {
    if (tap_ || &s == &schema::struct_rtnexthop) return true;
    if (!top()) return false;
    return visible_ || reg_.members_wanted(s);
}

void TreeBuilder::struct_end(const StructSpec&) {
    if (!struct_pushed_.empty() && struct_pushed_.back()) stack_.pop_back();
    if (!struct_pushed_.empty()) struct_pushed_.pop_back();
}

// Small, so that the walker inlines the no-tree path (a plain read calls it for every attribute).
inline void TreeBuilder::attr_begin(const AttrEvent& ev) {
    ++open_attrs_;
    if (top()) [[unlikely]] {
        attr_item(ev);
        return;
    }
    // No tree (a plain read): only what feeds the statistics and the experts; no other value decoded.
    if (ev.field && ev.field->feeds) add_value(nullptr, *ev.field, ev.offset, ev.length, ev.value());
    if (ev.space == &schema::space_extack) [[unlikely]]
        extack_message(nullptr, ev);
    stack_.push_back(nullptr);
}

void TreeBuilder::attr_item(const AttrEvent& ev) {
    if (!echo_depth_ && ev.depth == 0 && ev.space == &schema::space_link &&
        ev.type == schema::attr::link::IFNAME && ev.raw.tag == Value::Tag::String)
        own_name_.assign(ev.value().str);
    if (!echo_depth_ && ev.depth == 0 && ev.space == &schema::space_link && ev.type == schema::attr::link::LINK_NETNSID)
        lower_elsewhere_ = true;
    const FixedFields& F = reg_.fixed();
    const int off = static_cast<int>(ev.offset), len = static_cast<int>(ev.length);
    proto_tree* parent = top();
    proto_item* item = nullptr;
    if (ev.field) {
        // A leaf no filter or output names gets no item (nests keep theirs: their children may be named).
        if (ev.has_children || attr_header_items_ || wanted(*ev.field))
            item = add_value(parent, *ev.field, ev.offset, ev.length, ev.value());
    } else if (ev.spec && ev.spec->field) {
        // Known attribute whose payload did not decode (bad size, family).
        item = proto_tree_add_item(parent, F.attr, tvb_, off, len, ENC_NA);
        proto_item_set_text(item, "%s (%s): %u bytes, not decodable as its type", ev.spec->field->label,
                            ev.spec->field->constant, static_cast<unsigned>(ev.payload_length));
    } else {
        item = proto_tree_add_item(parent, F.attr, tvb_, off, len, ENC_NA);
        if (ev.array_entry)
            proto_item_set_text(item, "Entry %u", ev.type);
        else if (ev.space)
            proto_item_set_text(item, "Unknown attribute %s%u", ev.space->prefix, ev.type);
        else
            proto_item_set_text(item, "Attribute %u", ev.type);
    }
    if (ev.space == &schema::space_extack) extack_message(parent, ev);
    if (ev.spec && (ev.spec->kind == Kind::Struct || ev.spec->kind == Kind::RtVia)) attr_owns_struct_ = true;
    proto_tree* tree = item == parent ? parent : proto_item_add_subtree(item, F.ett_attr);  // a faked item is the parent
    stack_.push_back(tree);
    if (tree && attr_header_items_ && ev.length >= 4) {
        // Read once and handed over: proto_tree_add_item would decode each again (~190 instructions more).
        const std::uint16_t raw_len = ws::tvb_uint16(tvb_, off, enc_);
        const std::uint16_t raw_type = ws::tvb_uint16(tvb_, off + 2, enc_);
        proto_tree_add_uint(tree, F.attr_len, tvb_, off, 2, raw_len);
        proto_item* type_item = proto_tree_add_uint(tree, F.attr_type, tvb_, off + 2, 2, raw_type);
        if (ev.spec && ev.spec->field && visible_)
            label_with_note_kept(type_item, schema::field_index(ev.spec->field), raw_type & nl::NLA_TYPE_MASK,
                                 ev.spec->field->constant);
        if (raw_type & (nl::NLA_F_NESTED | nl::NLA_F_NET_BYTEORDER)) {
            proto_tree_add_item(tree, F.attr_nested, tvb_, off + 2, 2, enc_);
            proto_tree_add_item(tree, F.attr_net_byteorder, tvb_, off + 2, 2, enc_);
        }
    }
    if (tree && !ev.field && !ev.has_children && ev.payload_length)
        proto_tree_add_item(tree, F.attr_data, tvb_, static_cast<int>(ev.payload_offset),
                            static_cast<int>(ev.payload_length), ENC_NA);
}

void TreeBuilder::extack_message(proto_tree* parent, const AttrEvent& ev) {
    if (ev.type != nl::NLMSGERR_ATTR_MSG || ev.raw.tag != Value::Tag::String) return;
    std::string msg(ev.value().str);
    // Beside the attribute, not on it: the attribute's item is left out when no filter wants it.
    proto_tree_add_expert_format(parent, pinfo_, expert_extack_message(), tvb_, static_cast<int>(ev.offset),
                                 static_cast<int>(ev.length), "Kernel says: %s", msg.c_str());
}

bool TreeBuilder::wants_children(const AttrEvent& ev) {
    if (visible_ || tap_ || experts_seen_) return true;
    return has_tree_ && (attr_header_items_ || reg_.referenced_inside(ev));
}

void TreeBuilder::attr_end(const AttrEvent&) {
    if (open_attrs_) --open_attrs_;
    attr_owns_struct_ = false;
    stack_.pop_back();
}

void TreeBuilder::error_code(std::int32_t error, std::size_t offset) {
    const FixedFields& F = reg_.fixed();
    const int off = static_cast<int>(offset);
    proto_tree_add_int(top(), F.error, tvb_, off, 4, error);
    // A filter `rtnl.errno` means an error: an ACK has its own field, its 0 stays under rtnl.error.
    if (error)
        proto_item_set_generated(proto_tree_add_uint(top(), F.errno_, tvb_, off, 4, errno_of(error)));
    else if (in_error_message_)
        proto_item_set_generated(proto_tree_add_boolean(top(), F.ack, tvb_, off, 4, true));
    last_error_ = error;
}

void TreeBuilder::extack_target(std::size_t offset, const AttrSpace* space, const AttrSpec* spec, std::uint16_t type) {
    const FixedFields& F = reg_.fixed();
    std::string what = attr_constant(space, spec, type);
    if (what.empty()) what = "offset outside any attribute";
    proto_item* item =
        proto_tree_add_string(top(), F.extack_target, tvb_, static_cast<int>(offset), spec || space ? 4 : 0,
                              wmem_strdup(pinfo_->pool, what.c_str()));
    proto_item_set_generated(item);
}

void TreeBuilder::problem(const Problem& p) {
    // An explicit interface 0 in a request the kernel accepted is a note: the severity follows the outcome.
    if (p.code == ProblemCode::OifZero && in_request_ && !echo_depth_ && state_.track_requests)
        if (const RequestOutcome* o = state_.tracker.outcome({pinfo_->num, message_index_});
            o && o->answered && !o->failed) {
            proto_tree_add_expert(top(), pinfo_, expert_for(ProblemCode::OifZeroAccepted), tvb_,
                                  static_cast<int>(p.offset), static_cast<int>(p.length));
            return;
        }
    expert_field* ei = expert_for(p.code);
    const int off = static_cast<int>(p.offset), len = static_cast<int>(p.length);
    if (p.code == ProblemCode::ErrorReply) {
        const std::uint32_t e = errno_of(last_error_);
        const ErrnoName* n = find_errno(e);
        proto_tree_add_expert_format(top(), pinfo_, ei, tvb_, off, len, "Error reply: %s (%s)",
                                     n ? n->name : "unknown errno", n ? n->text : std::to_string(e).c_str());
        return;
    }
    proto_tree_add_expert(top(), pinfo_, ei, tvb_, off, len);
}

void TreeBuilder::trailing_padding(std::size_t offset, std::size_t length) {
    proto_tree_add_subtree_format(top(), tvb_, static_cast<int>(offset), static_cast<int>(length), reg_.fixed().ett_attr,
                                  nullptr, "Zero padding after the last message: %u bytes (the kernel stops at nlmsg_len 0)",
                                  static_cast<unsigned>(length));
}

proto_item* TreeBuilder::add_value(proto_tree* tree, const FieldSpec& f, std::size_t offset, std::size_t length,
                                   const Value& v) {
    const FixedFields& F = reg_.fixed();
    if (!tree) {  // no items; the statistics still learn the interfaces
        if (f.feeds) add_convenience(tree, f, offset, length, v, nullptr);
        return nullptr;
    }
    if (!visible_ && !shown_as_attr_data(f, v) && !reg_.referenced(f)) {  // Wireshark would fake it: the parent
        if (f.feeds) add_convenience(tree, f, offset, length, v, tree);
        return tree;
    }
    const int hf = reg_.hf(f);
    const int off = static_cast<int>(offset), len = static_cast<int>(length);
    proto_item* item = nullptr;
    switch (v.tag) {
    case Value::Tag::Unsigned:
    case Value::Tag::Signed: {
        // The hf's type follows the field's kind; the value's bits go in as is.
        const std::uint64_t bits = v.tag == Value::Tag::Unsigned ? v.u : static_cast<std::uint64_t>(v.s);
        const bool signed_kind = is_signed(f.kind);
        if (is_64bit(f.kind))
            item = signed_kind ? proto_tree_add_int64(tree, hf, tvb_, off, len, static_cast<gint64>(bits))
                               : proto_tree_add_uint64(tree, hf, tvb_, off, len, bits);
        else
            item = signed_kind ? proto_tree_add_int(tree, hf, tvb_, off, len, static_cast<gint32>(bits))
                               : proto_tree_add_uint(tree, hf, tvb_, off, len, static_cast<guint32>(bits));
        break;
    }
    case Value::Tag::String:
        item = proto_tree_add_string(tree, hf, tvb_, off, len,
                                     wmem_strndup(pinfo_->pool, v.str.data(), v.str.size()));
        break;
    case Value::Tag::Ipv4: {
        guint32 a;
        std::memcpy(&a, v.bytes.data(), 4);  // network order, as FT_IPV4 wants
        item = proto_tree_add_ipv4(tree, hf, tvb_, off, len, a);
        break;
    }
    case Value::Tag::Ipv6:
        item = proto_tree_add_ipv6(tree, hf, tvb_, off, len, reinterpret_cast<const ws_in6_addr*>(v.bytes.data()));
        break;
    case Value::Tag::Mac:
        if (f.kind == Kind::Mac) {
            item = proto_tree_add_ether(tree, hf, tvb_, off, len, v.bytes.data());
            break;
        }
        [[fallthrough]];
    case Value::Tag::Bytes:
        if (f.kind == Kind::Binary || f.kind == Kind::Pad || f.kind == Kind::Unused) {
            item = proto_tree_add_bytes_with_length(tree, hf, tvb_, off, len, v.bytes.data(),
                                                    static_cast<gint>(v.bytes.size()));
        } else if (shown_as_attr_data(f, v)) {
            // A link-layer address that is not Ethernet (tunnels, none):
            // labelled as the attribute, value as bytes.
            item = proto_tree_add_bytes_with_length(tree, F.attr_data, tvb_, off, len, v.bytes.data(),
                                                    static_cast<gint>(v.bytes.size()));
            proto_item_set_text(item, "%s (%s): %s", f.label, f.constant,
                                v.bytes.empty() ? "(empty)"
                                                : bytes_to_str_punct(pinfo_->pool, v.bytes.data(),
                                                                     static_cast<int>(v.bytes.size()), ':'));
        } else {
            item = proto_tree_add_item(tree, hf, tvb_, off, len, ENC_NA);  // nest / struct / flag node
        }
        break;
    case Value::Tag::None:
        item = proto_tree_add_item(tree, hf, tvb_, off, len, ENC_NA);
        break;
    }
    const auto& bits = reg_.bits(f);
    if (!bits.empty() && v.tag == Value::Tag::Unsigned && !is_64bit(f.kind)) {
        proto_tree* sub = proto_item_add_subtree(item, F.ett_bits);
        for (int bit : bits) proto_tree_add_boolean(sub, bit, tvb_, off, len, static_cast<guint32>(v.u));
    }
    if (f.feeds) add_convenience(tree, f, offset, length, v, item);
    return item;
}

void TreeBuilder::unknown_index(proto_tree* tree, std::size_t offset, std::size_t length, std::uint32_t index) {
    proto_tree_add_expert_format(tree, pinfo_, expert_for(ProblemCode::IfindexUnknown), tvb_, static_cast<int>(offset),
                                 static_cast<int>(length),
                                 "Interface index %u is not among the links of the capture's link dump", index);
}

// Links to the request or its answers, outcome, response time.
void TreeBuilder::add_tracking(proto_tree* tree, const MessageView& m) {
    // No early return without a tree: -z expert counts the experts of a tree-less pass.
    if (!state_.track_requests) return;
    const FixedFields& F = reg_.fixed();
    const MessageRef ref{pinfo_->num, message_index_};
    auto generated = [](proto_item* i) { proto_item_set_generated(i); return i; };
    auto add_time = [&](std::int64_t ns) {
        nstime_t t;
        t.secs = static_cast<time_t>(ns / 1000000000);
        t.nsecs = static_cast<int>(ns % 1000000000);
        generated(proto_tree_add_time(tree, F.response_time, tvb_, 0, 0, &t));
    };
    if (m.header.flags & nl::F_REQUEST) {
        const RequestOutcome* o = state_.tracker.outcome(ref);
        if (!o) return;
        for (std::uint32_t frame : o->response_frames)
            generated(proto_tree_add_uint(tree, F.response_in, tvb_, 0, 0, frame));
        if (o->response_count) add_time(o->first_response_time - o->request_time);
        if (o->failed) {
            const std::uint32_t e = errno_of(o->error);
            const ErrnoName* n = find_errno(e);
            generated(proto_tree_add_uint(tree, F.failed, tvb_, 0, 0, e));
            std::string text = std::string("Request failed: ") + (n ? n->name : std::to_string(e).c_str()) +
                               (n ? std::string(" (") + n->text + ")" : std::string());
            if (!o->extack.empty()) text += ": \"" + o->extack + "\"";
            // Its own item, so that -z expert counts it in a tree nobody sees;
            // no frame number in the text, so that equal failures are one line there.
            proto_tree_add_expert_format(tree, pinfo_, expert_for(ProblemCode::RequestFailed), tvb_, 0, 0, "%s",
                                         text.c_str());
            const std::string why = explain_failure(*o);
            if (!why.empty())
                proto_tree_add_expert_format(tree, pinfo_, expert_for(ProblemCode::FailureReason), tvb_, 0, 0, "%s",
                                             why.c_str());
        } else if (o->unanswered() && !first_pass_) {
            // Only once the whole capture has been read can silence be told.
            generated(proto_tree_add_item(tree, F.unanswered, tvb_, 0, 0, ENC_NA));
            proto_tree_add_expert(tree, pinfo_, expert_for(ProblemCode::RequestUnanswered), tvb_, 0, 0);
        }
        return;
    }
    if (const ReplyLink* l = state_.tracker.reply_link(ref)) {
        generated(proto_tree_add_uint(tree, F.request_in, tvb_, 0, 0, l->request.frame));
        const std::int64_t ns = std::int64_t{pinfo_->abs_ts.secs} * 1000000000 + pinfo_->abs_ts.nsecs;
        add_time(ns - l->request_time);
    }
    // An error reply reports a failed request, linked or not (single pass).
    if (m.header.type == nl::NLMSG_ERROR && last_error_ < 0)
        generated(proto_tree_add_uint(tree, F.failed, tvb_, 0, 0, errno_of(last_error_)));
}

// The names of interface `index` in the packet's namespace: `own` (the
// message's own IFLA_IFNAME for its own index) wins; an index the capture
// named twice shows both, with a note.
void TreeBuilder::add_names(proto_tree* tree, unsigned feeds, std::size_t offset, std::size_t length,
                            std::uint32_t index, proto_item* item, const std::string* own) {
    const FixedFields& F = reg_.fixed();
    const int off = static_cast<int>(offset), len = static_cast<int>(length);
    auto hide = [](proto_item* i) {
        proto_item_set_generated(i);
        proto_item_set_hidden(i);
    };
    const LinkName* name = state_.resolve_names && !own ? state_.names.find(origin_.netns, index) : nullptr;
    if (!own && !name) {
        if (!first_pass_ && state_.names.any_full_dump()) unknown_index(tree, offset, length, index);
        return;
    }
    if (!state_.resolve_names) return;
    if (visible_) label_with_note(item, index, own ? *own : name->shown);
    if (!name_items_ && !(name && name->ambiguous())) return;  // only faked items to add
    auto add = [&](const std::string& each) {
        const char* n = each.c_str();  // proto_tree_add_string keeps its own copy
        if (feeds & kFeedOif) hide(proto_tree_add_string(tree, F.oif_name, tvb_, off, len, n));
        hide(proto_tree_add_string(tree, F.ifindex_name, tvb_, off, len, n));
        hide(proto_tree_add_string(tree, F.ifname, tvb_, off, len, n));
    };
    if (own) {
        add(*own);
        return;
    }
    for (const std::string& each : name->names) add(each);
    if (name->ambiguous())
        proto_tree_add_expert_format(tree, pinfo_, expert_for(ProblemCode::IfnameAmbiguous), tvb_, off, len,
                                     "Interface index %u has more than one name in this capture: %s", index,
                                     name->shown.c_str());
}

// rtnl.oif, rtnl.ifindex, rtnl.ifname, rtnl.addr(6): hidden twins of the
// real field, so one filter finds the value wherever it occurs.
void TreeBuilder::add_convenience(proto_tree* tree, const FieldSpec& f, std::size_t offset, std::size_t length,
                                  const Value& v, proto_item* item) {
    const bool integer = v.tag == Value::Tag::Unsigned || v.tag == Value::Tag::Signed;
    const guint32 number = v.tag == Value::Tag::Unsigned ? static_cast<guint32>(v.u) : static_cast<guint32>(v.s);
    const bool positive = v.tag == Value::Tag::Unsigned ? v.u > 0 : v.s > 0;  // -1 "all" is not an index
    if (tap_ && in_request_ && !echo_depth_ && integer && positive && (f.feeds & (kFeedIfindex | kFeedOif)) &&
        tap_->count < TapPacket::kMaxMessages) {
        TapMessage& t = tap_->messages[tap_->count];
        if (t.iface_count < std::size(t.ifaces)) t.ifaces[t.iface_count++] = number;
    }
    if (!tree) {  // -z expert still counts an unknown index
        if ((f.feeds & (kFeedIfindex | kFeedOif)) && integer && positive &&
            !(state_.resolve_names && state_.names.find(origin_.netns, number)) && !first_pass_ &&
            state_.names.any_full_dump())
            unknown_index(tree, offset, length, number);
        return;
    }
    const FixedFields& F = reg_.fixed();
    const int off = static_cast<int>(offset), len = static_cast<int>(length);
    auto hide = [](proto_item* i) {
        proto_item_set_generated(i);
        proto_item_set_hidden(i);
    };
    if ((f.feeds & kFeedOif) && integer) hide(proto_tree_add_uint(tree, F.oif, tvb_, off, len, number));
    if ((f.feeds & kFeedIfindex) && integer) hide(proto_tree_add_uint(tree, F.ifindex, tvb_, off, len, number));
    // Interface names from the capture's own links, beside every index; a
    // link message's own index waits for its own IFLA_IFNAME (message_end).
    if ((f.feeds & (kFeedIfindex | kFeedOif)) && integer && positive) {
        if (&f == &schema::field_spec(schema::field::ifi_index) && !echo_depth_ && open_attrs_ == 0)
            own_index_ = OwnIndex{tree, item, offset, length, number, true};
        else if (&f == &schema::field_spec(schema::field::ifla_link) && !echo_depth_ && open_attrs_ == 1)
            lower_ = OwnIndex{tree, item, offset, length, number, true};
        else
            add_names(tree, f.feeds, offset, length, number, item, nullptr);
    }
    if ((f.feeds & kFeedIfname) && v.tag == Value::Tag::String)
        hide(proto_tree_add_string(tree, F.ifname, tvb_, off, len,
                                   wmem_strndup(pinfo_->pool, v.str.data(), v.str.size())));
    if ((f.feeds & kFeedAddr) && v.tag == Value::Tag::Ipv4) {
        guint32 a;
        std::memcpy(&a, v.bytes.data(), 4);
        hide(proto_tree_add_ipv4(tree, F.addr, tvb_, off, len, a));
    }
    if ((f.feeds & kFeedAddr) && v.tag == Value::Tag::Ipv6)
        hide(proto_tree_add_ipv6(tree, F.addr6, tvb_, off, len, reinterpret_cast<const ws_in6_addr*>(v.bytes.data())));
}

}  // namespace rtnl::plugin
