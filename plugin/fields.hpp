// hf registration built at run time from the decoder's schema tables, plus
// the fixed fields of the netlink header, error replies and convenience
// fields (docs/design.md, field names).
#pragma once

#include <epan/packet.h>

#include <span>
#include <unordered_map>
#include <vector>

#include "rtnl/events.hpp"
#include "rtnl/schema.hpp"

namespace rtnl::plugin {

// Fields that do not come from a schema table.
struct FixedFields {
    int cooked_pkttype = -1, cooked_hatype = -1, cooked_protocol = -1;
    int msg = -1;
    int len = -1, type = -1, flags = -1, seq = -1, pid = -1;
    int flag_request = -1, flag_multi = -1, flag_ack = -1, flag_echo = -1, flag_dump_intr = -1,
        flag_dump_filtered = -1;
    int flag_root = -1, flag_match = -1, flag_atomic = -1;
    int flag_replace = -1, flag_excl = -1, flag_create = -1, flag_append = -1;
    int flag_nonrec = -1, flag_bulk = -1;
    int flag_capped = -1, flag_ack_tlvs = -1;
    int error = -1, errno_ = -1, ack = -1, echoed = -1, extack = -1, extack_target = -1;
    int attr = -1, attr_len = -1, attr_type = -1, attr_nested = -1, attr_net_byteorder = -1, attr_data = -1;
    int oif = -1, ifindex = -1, ifname = -1, addr = -1, addr6 = -1;
    int oif_name = -1, ifindex_name = -1;
    int response_in = -1, request_in = -1, response_time = -1, failed = -1, unanswered = -1;
    int ett_rtnl = -1, ett_cooked = -1, ett_msg = -1, ett_flags = -1, ett_attr = -1, ett_struct = -1,
        ett_echoed = -1, ett_bits = -1;
};

class FieldRegistry {
public:
    // Registers every field with Wireshark; call once from proto_register.
    void register_all(int proto);

    const FixedFields& fixed() const { return fixed_; }
    int hf(const FieldSpec& f) const { return of(f).hf; }
    // One boolean hf per flag bit of a bitmask field, or empty.
    const std::vector<int>& bits(const FieldSpec& f) const { return of(f).bits; }
    // Whether a filter or field output refers to the field or one of its
    // bits: what proto_field_is_referenced() asks of an invisible tree, read
    // straight from the registered header_field_info (no call per member).
    bool referenced(const FieldSpec& f) const {
        for (const header_field_info* info : of(f).infos)
            if (info->ref_type != HF_REF_TYPE_NONE) return true;
        return false;
    }
    // Whether a filter or field output refers to anything an attribute's
    // children can carry, however deep: the fields of its nested space(s),
    // sub-message formats and structs, the convenience fields they feed,
    // the generic attribute fields. An indexed array's entry has no row of
    // its own (spec null): what it can carry is its space's. Otherwise a
    // null spec is an unknown nested attribute.
    // Answers are kept while the fields the trees are primed with (a
    // filter's, a custom column's) stay the same: call prime() first for
    // each packet's tree. Wireshark sets a field's ref_type when it primes a
    // tree and clears it when it frees the tree.
    bool referenced_inside(const AttrEvent& ev) const;
    void prime(proto_tree* tree) const;
    // Whether a member of the struct feeds a convenience field or is
    // referenced; kept like referenced_inside's answers.
    bool members_wanted(const StructSpec& s) const;
    // The same for a field of fixed() (an hf id), for the netlink header's
    // items (length, type, flags and their bits, sequence, port ID) and for
    // Wireshark's own "text" field (subtrees labelled by text alone).
    bool referenced_fixed(int hf) const { return proto_registrar_get_nth(static_cast<guint>(hf))->ref_type != HF_REF_TYPE_NONE; }
    bool header_referenced() const {
        for (const header_field_info* info : header_infos_)
            if (info->ref_type != HF_REF_TYPE_NONE) return true;
        return false;
    }
    bool text_referenced() const;
    // Netlink header flag bits that apply to a message (type-dependent).
    std::span<int* const> header_flag_bits(std::uint16_t type, bool request) const;

private:
    // What Wireshark registered for one schema field.
    struct Registered {
        int hf = -1;
        std::vector<int> bits;                      // one per flag bit of a bitmask field
        std::vector<const header_field_info*> infos;  // the field's, then its bits'
    };
    const Registered& of(const FieldSpec& f) const { return by_field_[schema::field_index(&f)]; }

    std::vector<const header_field_info*> collect_inside(const AttrSpec* spec, const AttrSpace* entries) const;

    FixedFields fixed_;
    std::vector<const header_field_info*> header_infos_;
    mutable const header_field_info* text_info_ = nullptr;  // found once every protocol has registered
    std::vector<Registered> by_field_;  // indexed by schema field
    // referenced_inside's answers for the primed fields in primed_.
    mutable std::unordered_map<const void*, bool> inside_;  // by AttrSpec, or by an entry's AttrSpace
    mutable std::unordered_map<const StructSpec*, bool> members_;
    mutable std::vector<int> primed_, primed_now_;
};

FieldRegistry& registry();

}  // namespace rtnl::plugin
