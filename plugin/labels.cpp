#include "labels.hpp"

#include <bit>
#include <cstring>
#include <string>
#include <vector>

#include "ws_compat.hpp"

namespace rtnl::plugin {

namespace {

// The bits of an integer field's container; 0 for the fields this does not label.
int container_width(ftenum type) {
    switch (type) {
    case FT_UINT8: case FT_INT8: return 8;
    case FT_UINT16: case FT_INT16: return 16;
    case FT_UINT32: case FT_INT32: return 32;
    default: return 0;
    }
}

bool is_signed(ftenum type) { return type == FT_INT8 || type == FT_INT16 || type == FT_INT32; }

char* put(char* p, std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    return p + s.size();
}

// Wireshark's bitfield prefix: the field's bits, dots for the others, in
// groups of four, then " = " ("..00 0000 0000 1111 = ").
char* put_bitfield(char* p, std::uint32_t bits, std::uint32_t mask, int width) {
    for (int i = 0; i < width; ++i) {
        const std::uint32_t bit = std::uint32_t{1} << (width - 1 - i);
        if (i && i % 4 == 0) *p++ = ' ';
        *p++ = (mask & bit) ? ((bits & bit) ? '1' : '0') : '.';
    }
    return put(p, " = ");
}

char* put_decimal(char* p, std::uint32_t v) {
    char digits[10];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) *p++ = digits[--n];
    return p;
}

// Labels Wireshark would truncate (ITEM_LABEL_LENGTH, 240) are left to it.
constexpr std::size_t kLongestLabel = 200;

void append_note(proto_item* item, std::string_view note) {
    const std::string text(note);
    proto_item_append_text(item, " (%s)", text.c_str());
}

// `text` NUL-terminated in `buf`, when it fits and has no printf conversion in it.
const char* as_format(char (&buf)[kLongestLabel + 1], std::string_view text) {
    if (text.size() > kLongestLabel || text.find('%') != std::string_view::npos) return nullptr;
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    return buf;
}

}  // namespace

#if RTNL_WS_WRITES_LABELS
namespace {

// Text a label can hold as it is: from 4.4 Wireshark copies a label through
// ws_label_strcpy, which leaves printable ASCII alone (a backslash too is
// left to it, in case).
bool copies_verbatim(std::string_view text) {
#if RTNL_WS_LABELS_ESCAPED
    for (const char c : text)
        if (c < 0x20 || c > 0x7e || c == '\\') return false;
#else
    (void)text;
#endif
    return true;
}

#if RTNL_WS_LABEL_HAS_VALUE_POS
// Where proto_item_set_text (4.6) puts the value: after the first
// occurrence of the field's name and a ": " right after it; 0 when the
// name is not in the text or the field shows no value.
std::size_t set_text_value_pos(const header_field_info* hf, std::string_view text) {
    if (hf->display & BASE_NO_DISPLAY_VALUE) return 0;
    const std::string_view name(hf->name);
    const std::size_t at = text.find(name);
    if (at == std::string_view::npos) return 0;
    std::size_t pos = at + name.size();
    if (text.substr(pos, 2) == ": ") pos += 2;
    return pos;
}
#endif

// What proto_item_set_text leaves, without its printf (~450 instructions
// a label): a hidden item keeps no label, any other the text,
// NUL-terminated (and on 4.6 the value's place in it). False when the
// text is not one Wireshark would keep as it is.
bool write_label(proto_item* item, std::string_view text, [[maybe_unused]] std::size_t value_pos) {
    field_info* fi = item ? PITEM_FINFO(item) : nullptr;
    if (!fi || text.size() > kLongestLabel || !copies_verbatim(text)) return false;
    if (proto_item_is_hidden(item)) {
        if (PTREE_DATA(item)->visible) fi->rep = nullptr;
        return true;
    }
    if (!fi->rep) fi->rep = static_cast<item_label_t*>(wmem_alloc(PNODE_POOL(item), sizeof(item_label_t)));
    std::memcpy(fi->rep->representation, text.data(), text.size());
    fi->rep->representation[text.size()] = '\0';
#if RTNL_WS_LABEL_HAS_VALUE_POS
    fi->rep->value_pos = value_pos;
    fi->rep->value_len = text.size() - value_pos;
#endif
    return true;
}

}  // namespace
#endif

void set_label(proto_item* item, std::string_view text) {
#if RTNL_WS_WRITES_LABELS
    std::size_t value_pos = 0;
#if RTNL_WS_LABEL_HAS_VALUE_POS
    if (item && PITEM_FINFO(item)) value_pos = set_text_value_pos(PITEM_FINFO(item)->hfinfo, text);
#endif
    if (write_label(item, text, value_pos)) return;
#endif
    char buf[kLongestLabel + 1];
    if (const char* format = as_format(buf, text))
        proto_item_set_text(item, format);  // NOLINT: no conversion in it (as_format)
    else
        proto_item_set_text(item, "%s", std::string(text).c_str());
}

proto_tree* add_labelled_subtree(proto_tree* tree, tvbuff_t* tvb, int offset, int length, int ett,
                                 std::string_view text) {
#if RTNL_WS_WRITES_LABELS
    // The text item proto_tree_add_subtree makes (hf_text_only), labelled
    // without a printf. Only in a visible tree: in another, Wireshark would
    // fake the item and the subtree's type would land on the parent.
    if (tree && PTREE_DATA(tree)->visible) {
        proto_item* item = proto_tree_add_item(tree, hf_text_only, tvb, offset, length, ENC_NA);
        set_label(item, text);
        return proto_item_add_subtree(item, ett);
    }
#endif
    char buf[kLongestLabel + 1];
    if (const char* format = as_format(buf, text))
        return proto_tree_add_subtree_format(tree, tvb, offset, length, ett, nullptr, format);  // NOLINT: as above
    return proto_tree_add_subtree_format(tree, tvb, offset, length, ett, nullptr, "%s", std::string(text).c_str());
}

namespace {

// label_with_note's text in `out`: its length, or 0 when Wireshark's label
// is not this simple (see labels.hpp) or would be too long.
std::size_t note_label(char (&out)[kLongestLabel + 1], const header_field_info* hf, std::uint32_t value,
                       std::string_view note) {
    const int width = hf ? container_width(hf->type) : 0;
    if (!width || hf->strings || hf->display != BASE_DEC ||
        (is_signed(hf->type) && (hf->bitmask || value > 0x7fffffffu)))
        return 0;
    const std::string_view name(hf->name);
    if (name.size() + note.size() + 64 > kLongestLabel) return 0;
    char* p = out;
    const auto mask = static_cast<std::uint32_t>(hf->bitmask);
    if (mask) p = put_bitfield(p, value << std::countr_zero(mask), mask, width);
    p = put(p, name);
    p = put(p, ": ");
    p = put_decimal(p, value);
    p = put(p, " (");
    p = put(p, note);
    p = put(p, ")");
    return static_cast<std::size_t>(p - out);
}

// A fresh item: no label yet and shown.
bool unlabelled(proto_item* item) {
    const field_info* fi = item ? PITEM_FINFO(item) : nullptr;
    return fi && !fi->rep && !proto_item_is_hidden(item);
}

}  // namespace

void label_with_note(proto_item* item, std::uint32_t value, std::string_view note) {
    char label[kLongestLabel + 1];
    const std::size_t n = unlabelled(item) ? note_label(label, PITEM_FINFO(item)->hfinfo, value, note) : 0;
    if (n)
        set_label(item, std::string_view(label, n));
    else
        append_note(item, note);
}

void label_with_note_kept(proto_item* item, std::size_t kind, std::uint32_t value, std::string_view note) {
    struct Kept {
        const header_field_info* hf = nullptr;
        std::uint32_t value = 0;
        std::string_view note;
        std::string text;
    };
    static std::vector<Kept> kept;  // by kind; dissection runs on one thread
    if (!unlabelled(item)) {
        label_with_note(item, value, note);
        return;
    }
    const header_field_info* hf = PITEM_FINFO(item)->hfinfo;
    if (kind >= kept.size()) kept.resize(kind + 1);
    Kept& k = kept[kind];
    if (k.hf != hf || k.value != value || k.note.data() != note.data() || k.note.size() != note.size()) {
        char label[kLongestLabel + 1];
        const std::size_t n = note_label(label, hf, value, note);
        if (!n) {
            append_note(item, note);
            return;
        }
        k = Kept{hf, value, note, std::string(label, n)};
    }
    set_label(item, k.text);
}

}  // namespace rtnl::plugin
