// Item labels written in one step, in the exact text Wireshark's own label
// code gives them. proto_item_append_text first fills the item's label and
// then runs a printf on it; a visible tree (tshark -V, -T fields, -T json)
// pays that for every attribute's type (" (RTA_OIF)") and every named
// interface index (" (veth0)").
#pragma once

#include <epan/proto.h>

#include <cstdint>
#include <string_view>

namespace rtnl::plugin {

// `item`'s label set to `text`, or a subtree labelled `text`: printf only
// copies it (a text with a '%' in it goes through "%s").
void set_label(proto_item* item, std::string_view text);
proto_tree* add_labelled_subtree(proto_tree* tree, tvbuff_t* tvb, int offset, int length, int ett,
                                 std::string_view text);

// `item`'s label as Wireshark shows it, then " (note)": for an item of a
// plain decimal integer field (a bitmask is fine; value strings or a custom
// format are not) whose label is not set yet. Anything else goes through
// proto_item_append_text, as before.
void label_with_note(proto_item* item, std::uint32_t value, std::string_view note);
// The same for an item whose label repeats: every item of `kind` (a small
// dense number) with the same value and note (a string that lives as long
// as the program, compared by address) gets the text built the first time.
void label_with_note_kept(proto_item* item, std::size_t kind, std::uint32_t value, std::string_view note);

}  // namespace rtnl::plugin
