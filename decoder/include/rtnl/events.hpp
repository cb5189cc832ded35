// What the walker reports: decoded items and problems, as visitor callbacks.
// Offsets are absolute within the packet span given to the walker.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "rtnl/reader.hpp"
#include "rtnl/schema.hpp"

namespace rtnl {

// Everything the walker can find wrong with (or worth flagging in) the input.
// The plugin maps each code to an expert info; the walker never decides how
// a problem is shown.
enum class ProblemCode : std::uint8_t {
    PacketTooShort,        // shorter than the 16-byte cooked header
    MessageTooShort,       // nlmsg_len below 16, or fewer than 16 bytes left
    MessageTruncated,      // nlmsg_len runs past the packet
    HeaderTruncated,       // family header shorter than its struct
    AttrTooShort,          // nla_len below 4 (or fewer than 4 bytes left)
    AttrTruncated,         // nla_len runs past its parent
    AttrPayloadSize,       // payload size does not fit the attribute's type
    AddressLength,         // address length does not fit the address family
    PrefixLength,          // prefix length above 32 (IPv4) or 128 (IPv6)
    UnknownAttribute,      // type not in the schema for this space
    UnknownMessageType,    // nlmsg_type not known
    UnknownSubMessage,     // selector value (e.g. link kind) with no table
    NestTooDeep,           // nesting beyond the walker's limit
    OifZero,               // explicit RTA_OIF / NHA_OIF equal to 0
    OifZeroAccepted,       // the same in a request the kernel accepted (tracking: the plugin, not the walker)
    NexthopOifZero,        // multipath rtnh_ifindex equal to 0
    ErrorReply,            // NLMSG_ERROR with a non-zero error
    DumpInterrupted,       // NLM_F_DUMP_INTR: the dump was inconsistent
    HostBitsSet,           // route/rule prefix with bits set beyond its length (10.9.0.5/24)
    DuplicateAttribute,    // the same attribute twice at one level (not a multi-attr)
    FlagsMismatch,         // request flags that make no sense for its type
    LegacyDumpHeader,      // dump request with rtgenmsg or a zeroed ifinfomsg for another struct
    // Found by request tracking (plugin, tools), not by the walker:
    RequestFailed,         // the kernel answered this request with an error
    FailureReason,         // what the kernel checked, and the object in the capture that differs
    RequestUnanswered,     // NLM_F_ACK (or a GET) and no answer by the end of the capture
    IfindexUnknown,        // an interface index the capture's full link dump never listed
    IfnameAmbiguous,       // an interface index the capture named twice (namespaces it cannot tell apart)
    ExtackMessage,         // the kernel's extended-ACK message, shown as its own text
};
inline constexpr std::size_t kProblemCodeCount = 28;

struct Problem {
    ProblemCode code;
    std::size_t offset;
    std::size_t length;
};

// A decoded value. Which member is valid is said by `tag`.
struct Value {
    using Tag = ValueTag;  // None, Unsigned, Signed, String, Bytes, Ipv4, Ipv6, Mac
    Tag tag = Tag::None;
    std::uint64_t u = 0;
    std::int64_t s = 0;
    std::string_view str;                // String (without the NUL)
    std::span<const std::uint8_t> bytes; // Bytes, Ipv4 (4), Ipv6 (16), Mac
};

// Where a value sits and how it reads: the walker decides the tag (sizes
// checked, the address family applied) and decodes nothing; a visitor that
// wants the value calls decode(). Building a Value for every member and
// attribute was half the walk.
struct ValueRef {
    const std::uint8_t* data = nullptr;
    std::uint32_t size = 0;
    Value::Tag tag = Value::Tag::None;
    ByteOrder order = ByteOrder::Little;  // Unsigned, Signed: of these bytes

    // Inlined: a call that returns the 48-byte Value through memory cost
    // more than the read itself.
    [[gnu::always_inline]] Value decode() const {
        Value v;
        v.tag = tag;
        // The walker gives Unsigned and Signed only to 1 to 8 bytes it has checked.
        // Unsigned first: most members and attributes are, and the switch
        // below would test for it only after two other cases.
        if (tag == Value::Tag::Unsigned) [[likely]] {
            v.u = ByteReader::uint_at(data, size, order);
            return v;
        }
        const std::span<const std::uint8_t> b(data, size);
        switch (tag) {
        case Value::Tag::None:
        case Value::Tag::Unsigned:  // read above
            break;
        case Value::Tag::Signed: v.s = sign_extend(ByteReader::uint_at(data, size, order), size); break;
        case Value::Tag::String: v.str = c_string(b); break;
        default: v.bytes = b; break;
        }
        return v;
    }
};

// One member of a fixed struct, read from the struct's bytes when asked.
struct Member {
    const FieldSpec* field;
    std::size_t offset;  // absolute
    std::size_t length;
    ValueRef raw;
    Value value() const { return raw.decode(); }
};

inline bool is_signed(Kind k) { return k == Kind::S8 || k == Kind::S16 || k == Kind::S32 || k == Kind::S64; }

// A fixed struct (a family header, a struct attribute, an rtnexthop): one
// event for the whole struct. Its members are not decoded by the walker: a
// visitor that wants them walks them (for_each_member) or asks for one by
// its offset (member_at(schema::member::rtmsg::rtm_table)).
struct StructView {
    const StructSpec* spec;
    std::size_t offset;                  // absolute
    std::size_t length;                  // bytes present
    std::span<const std::uint8_t> bytes; // those bytes
    ByteOrder order;                     // of the payload (big-endian members say so themselves)

    // Every named member present, in table order; a repeated one once per entry.
    template <class F>
    void for_each_member(F&& f) const {
        // A whole struct holds every member that does not repeat: no bounds check for those.
        const bool whole = bytes.size() >= spec->size;
        for (const StructMember& mem : spec->members) {
            if (!mem.field) continue;
            if (mem.repeated) {
                for (std::size_t at = mem.offset; at + mem.size <= bytes.size(); at += mem.size) f(member(mem, at));
            } else if (whole || mem.offset + mem.size <= bytes.size()) {
                f(member(mem, mem.offset));
            }
        }
    }
    // The member at `member_offset` of the struct, when present and named.
    std::optional<Member> member_at(std::size_t member_offset) const {
        for (const StructMember& mem : spec->members)
            if (mem.offset == member_offset && mem.field && mem.offset + mem.size <= bytes.size())
                return member(mem, mem.offset);
        return std::nullopt;
    }

private:
    Member member(const StructMember& mem, std::size_t at) const {
        const ValueRef r{bytes.data() + at, mem.size, mem.tag, mem.big_endian ? ByteOrder::Big : order};
        return {mem.field, offset + at, mem.size, r};
    }
};

struct NetlinkHeader {
    std::uint32_t len = 0;
    std::uint16_t type = 0;
    std::uint16_t flags = 0;
    std::uint32_t seq = 0;
    std::uint32_t pid = 0;
};

struct MessageView {
    std::size_t offset;
    std::size_t length;             // bytes of this message inside the packet
    NetlinkHeader header;
    const MessageTypeSpec* spec;    // nullptr for NLMSG_* and unknown types
    bool echoed;                    // the request echoed inside NLMSG_ERROR
    std::uint8_t family;            // address family from the family header (0 if none)
};

struct AttrEvent {
    const AttrSpace* space;     // space the attribute was looked up in (nullptr: unknown nest)
    const AttrSpec* spec;       // nullptr: unknown type, or an indexed-array entry
    const FieldSpec* field;     // field carrying the value; nullptr when shown as raw bytes
    std::uint16_t type;         // without the flag bits
    bool flag_nested;           // NLA_F_NESTED
    bool flag_net_byteorder;    // NLA_F_NET_BYTEORDER
    bool array_entry;           // numbered entry of an indexed array / unknown nest
    bool has_children;          // attr_end follows after nested events
    std::size_t offset;         // start of the TLV
    std::size_t length;         // TLV bytes present (header + payload, clamped)
    std::size_t payload_offset;
    std::size_t payload_length;
    ValueRef raw;               // the value's bytes and how they read
    unsigned depth;             // 0 for a message's own attributes
    // Decoded when asked; inlined, so that a visitor reading one value (a
    // filter's) stays small enough for the walk to inline it.
    [[gnu::always_inline]] Value value() const { return raw.decode(); }
};

class Visitor {
public:
    virtual ~Visitor() = default;
    virtual void message_begin(const MessageView&) {}
    virtual void message_end(const MessageView&) {}
    // Asked after message_begin (and the problems of the header itself):
    // false skips the message's body - family header, attributes, error
    // code, echoed request - with its events and problems; message_end
    // still follows. Decline only what no output of yours needs.
    virtual bool wants_body(const MessageView&) { return true; }
    // Fixed structs (family headers, struct attributes, rtnexthop): the
    // members are read from the view by the visitor that wants them; what
    // lies inside the struct's bytes (an rtnexthop's attributes) comes
    // between begin and end.
    virtual void struct_begin(const StructView&) {}
    virtual void struct_end(const StructSpec&) {}
    virtual void attr_begin(const AttrEvent&) {}
    // Asked right after attr_begin of an attribute whose payload holds other
    // items (a nest, an indexed array and its nested entries, a sub-message,
    // RTA_MULTIPATH, an unknown NLA_F_NESTED attribute): false skips
    // everything inside it, its events and the problems found there;
    // attr_end still follows. Decline only what no output of yours needs.
    virtual bool wants_children(const AttrEvent&) { return true; }
    virtual void attr_end(const AttrEvent&) {}
    // NLMSG_ERROR's error field, and NLMSG_DONE's status; `error` as sent (<= 0).
    virtual void error_code(std::int32_t /*error*/, std::size_t /*offset*/) {}
    // NLMSGERR_ATTR_OFFS resolved: the echoed request's attribute it points at
    // (spec may be nullptr when the offset hits no known attribute).
    virtual void extack_target(std::size_t /*offset*/, const AttrSpace*, const AttrSpec*, std::uint16_t /*type*/) {}
    virtual void problem(const Problem&) {}
    // Zero bytes after the last message: iproute2 sends its dump requests in
    // a larger zeroed buffer, and the kernel stops at the nlmsg_len 0 there.
    virtual void trailing_padding(std::size_t /*offset*/, std::size_t /*length*/) {}
};

}  // namespace rtnl
