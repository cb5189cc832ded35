// What differs between the Wireshark series rtnl builds against (4.0 to 4.6),
// decided on the version macros of the headers we compile with, never on a
// distribution's name.
#pragma once

#include <epan/tvbuff.h>
#include <ws_version.h>

#include <cstdint>

#define RTNL_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

// 4.4 describes plugins to `tshark -G plugins` through plugin_describe().
#define RTNL_WS_HAS_PLUGIN_DESCRIBE RTNL_WS_AT_LEAST(4, 4)

// An item's label can be written into its item_label_t without a printf:
// the series whose label code this was checked against (4.0, 4.4, 4.6).
// 4.2 and anything newer keep proto_item_set_text.
#define RTNL_WS_WRITES_LABELS (!RTNL_WS_AT_LEAST(4, 1) || (RTNL_WS_AT_LEAST(4, 4) && !RTNL_WS_AT_LEAST(4, 7)))
// From 4.4 a label is copied in through ws_label_strcpy, which escapes
// what is not printable: only printable ASCII is written directly there.
#define RTNL_WS_LABELS_ESCAPED RTNL_WS_AT_LEAST(4, 4)
// 4.6's label keeps where the value starts and how long it is
// (value_pos, value_len).
#define RTNL_WS_LABEL_HAS_VALUE_POS RTNL_WS_AT_LEAST(4, 6)

namespace rtnl::plugin::ws {

// Boolean preferences: Wireshark writes through a bool* from 4.4, a gboolean* before.
#if RTNL_WS_AT_LEAST(4, 4)
using pref_bool = bool;
#else
using pref_bool = gboolean;
#endif

// tvb_get_guintN is deprecated from 4.4 for tvb_get_uintN, which 4.2 lacks.
#if RTNL_WS_AT_LEAST(4, 4)
inline std::uint8_t tvb_uint8(tvbuff_t* tvb, int offset) { return tvb_get_uint8(tvb, offset); }
inline std::uint16_t tvb_uint16(tvbuff_t* tvb, int offset, unsigned encoding) {
    return tvb_get_uint16(tvb, offset, encoding);
}
#else
inline std::uint8_t tvb_uint8(tvbuff_t* tvb, int offset) { return tvb_get_guint8(tvb, offset); }
inline std::uint16_t tvb_uint16(tvbuff_t* tvb, int offset, unsigned encoding) {
    return tvb_get_guint16(tvb, offset, encoding);
}
#endif

}  // namespace rtnl::plugin::ws
