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

// An item's label can be written into its item_label_t without a printf,
// and Wireshark's own label had with proto_item_fill_label(fi, text): 4.0,
// where the label is the text alone. Later series give the label a value
// position (proto_item_fill_label takes a third argument); they keep
// proto_item_set_text until this is built and checked against them.
#define RTNL_WS_WRITES_LABELS !RTNL_WS_AT_LEAST(4, 1)

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
