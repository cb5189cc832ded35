// The epan side: owns LINKTYPE_NETLINK packets of NETLINK_ROUTE, hands other
// netlink families to Wireshark's own netlink dissector unchanged.
#include "dissector.hpp"

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/tap.h>
#include <wiretap/wtap.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <span>
#include <string>

#include "expert.hpp"
#include "fields.hpp"
#include "stats.hpp"
#include "rtnl/capture_metadata.hpp"
#include "rtnl/netlink.hpp"
#include "rtnl/walker.hpp"
#include "tree_builder.hpp"
#include "ws_compat.hpp"

namespace rtnl::plugin {

namespace {

int g_proto = -1;
CaptureState g_state;  // per capture file: reset by the init routine
TreeScratch g_scratch;  // the tree builder's stacks, kept between packets
// The Info line's builder and text, kept between packets so that their
// buffers are not allocated again for every packet.
SummaryBuilder g_summary;
std::string g_line;
}  // namespace

CaptureState& capture_state() { return g_state; }

namespace {

void take_over_cooked_shapes();

void reset_state() {
    g_state.tracker.clear();
    g_state.names.clear();
    g_state.routes.clear();
    take_over_cooked_shapes();
}
dissector_handle_t g_packet_handle;
dissector_handle_t g_message_handle;
dissector_handle_t g_netlink_handle;

// The namespace and socket a pcapng record names (docs/capture-metadata.md).
PacketOrigin packet_origin(packet_info* pinfo, PacketOrigin::Direction direction) {
    PacketOrigin origin;
    origin.direction = direction;
    const wtap_rec* rec = pinfo->rec;
    if (!rec || rec->rec_type != REC_TYPE_PACKET || !(rec->presence_flags & WTAP_HAS_INTERFACE_ID)) return origin;
    origin.netns = PacketOrigin::namespace_key(rec->section_number, rec->rec_header.packet_header.interface_id);
    char* comment = nullptr;
    if (rec->block && wtap_block_get_nth_string_option_value(rec->block, OPT_COMMENT, 0, &comment) == WTAP_OPTTYPE_SUCCESS &&
        comment)
        origin.port = parse_packet_comment(comment).port;
    return origin;
}

// Decode the netlink messages in tvb[start..] and fill tree and columns.
void dissect_messages(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, std::size_t start,
                      const PacketOrigin& origin) {
    const guint len = tvb_captured_length(tvb);
    std::span<const std::uint8_t> bytes(tvb_get_ptr(tvb, 0, static_cast<gint>(len)), len);
    // The first pass teaches the tracker, the interface names and the routes.
    std::optional<CaptureLearner> learner;
    if (!PINFO_FD_VISITED(pinfo))
        learner.emplace(g_state.tracker, g_state.names, g_state.routes, pinfo->num,
                        std::int64_t{pinfo->abs_ts.secs} * 1000000000 + pinfo->abs_ts.nsecs, origin);
    SummaryBuilder& summary = g_summary;
    summary.clear();
    summary.set_names(nullptr);
    summary.set_role(MessageRole::Unknown);
    summary.set_max_lines(static_cast<std::size_t>(-1));
    TreeBuilder builder(tvb, pinfo, tree, guess_byte_order(bytes, start), g_state, g_scratch, summary, origin);
    TapPacket* tap = nullptr;
    if (have_tap_listener(tap_id())) {
        tap = wmem_new0(pinfo->pool, TapPacket);
        tap->netns = origin.netns;
        builder.set_tap(tap);
    }
    walk_packet(bytes, start, learner ? &*learner : nullptr, builder, summary);
    builder.finish();
    if (tap) tap_queue_packet(tap_id(), pinfo, tap);
    // The line handed over as the packet's own copy (col_add_str's would
    // copy it byte by byte), cut where col_add_str cuts it.
    const std::string_view line = summary.packet_line_view(g_line);
    if (!line.empty() && pinfo->cinfo) {
        const std::size_t n = std::min<std::size_t>(line.size(), COL_MAX_INFO_LEN - 1);
        char* text = static_cast<char*>(wmem_alloc(pinfo->pool, n + 1));
        std::memcpy(text, line.data(), n);
        text[n] = '\0';
        col_set_str(pinfo->cinfo, COL_INFO, text);
    }
}

// Where a capture shape keeps the cooked header's fields. nlmon (LINKTYPE_NETLINK)
// and SLL share one layout; SLL2 moves the protocol first and narrows pkttype.
struct CookedLayout {
    guint header_len;
    int pkttype_offset, pkttype_len;
    int hatype_offset;
    int protocol_offset;
    const char* label;
};
constexpr CookedLayout NLMON_LAYOUT{nl::COOKED_HEADER_LEN, 0, 2, 2, 14, "nlmon header"};
constexpr CookedLayout SLL_LAYOUT{nl::COOKED_HEADER_LEN, 0, 2, 2, 14, "Linux cooked header (SLL)"};
constexpr CookedLayout SLL2_LAYOUT{20, 10, 1, 8, 0, "Linux cooked header v2 (SLL2)"};

guint16 cooked_uint(tvbuff_t* tvb, int offset, int length) {
    return length == 1 ? ws::tvb_uint8(tvb, offset) : tvb_get_ntohs(tvb, offset);
}

// A cooked header, then netlink messages: the same tree, columns and tracking
// whichever shape carried them.
int dissect_cooked(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, const CookedLayout& layout) {
    const guint len = tvb_captured_length(tvb);
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "rtnl");
    col_clear(pinfo->cinfo, COL_INFO);
    const FixedFields& F = registry().fixed();
    proto_item* ti = proto_tree_add_item(tree, g_proto, tvb, 0, -1, ENC_NA);
    proto_tree* root = proto_item_add_subtree(ti, F.ett_rtnl);
    if (len < layout.header_len) {
        proto_tree_add_expert(root, pinfo, expert_for(ProblemCode::PacketTooShort), tvb, 0, static_cast<gint>(len));
        return static_cast<int>(len);
    }
    if (root) {  // a plain read (no tree) skips the calls that would only find that out
        proto_tree* cooked = proto_tree_add_subtree(root, tvb, 0, static_cast<gint>(layout.header_len), F.ett_cooked,
                                                    nullptr, layout.label);
        proto_tree_add_item(cooked, F.cooked_pkttype, tvb, layout.pkttype_offset, layout.pkttype_len, ENC_BIG_ENDIAN);
        proto_tree_add_item(cooked, F.cooked_hatype, tvb, layout.hatype_offset, 2, ENC_BIG_ENDIAN);
        proto_tree_add_item(cooked, F.cooked_protocol, tvb, layout.protocol_offset, 2, ENC_BIG_ENDIAN);
    }
    const bool from_user = cooked_uint(tvb, layout.pkttype_offset, layout.pkttype_len) == 4;  // PACKET_OUTGOING
    col_set_str(pinfo->cinfo, COL_DEF_SRC, from_user ? "user" : "kernel");
    col_set_str(pinfo->cinfo, COL_DEF_DST, from_user ? "kernel" : "user");
    dissect_messages(tvb, pinfo, root, layout.header_len,
                     packet_origin(pinfo, from_user ? PacketOrigin::Direction::ToKernel
                                                    : PacketOrigin::Direction::FromKernel));
    return static_cast<int>(len);
}

// LINKTYPE_NETLINK (nlmon) packet: other netlink families go to Wireshark's netlink dissector.
int dissect_packet(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void* data) {
    if (tvb_captured_length(tvb) >= nl::COOKED_HEADER_LEN && tvb_get_ntohs(tvb, 14) != nl::NETLINK_ROUTE &&
        g_netlink_handle)
        return call_dissector_with_data(g_netlink_handle, tvb, pinfo, tree, data);
    return dissect_cooked(tvb, pinfo, tree, NLMON_LAYOUT);
}

// Linux cooked captures (tcpdump -i any): Wireshark's sll dissector hands a
// netlink packet whole to the netlink dissector, which keeps NLMSG_ERROR/DONE
// to itself (SLL) or misreads the longer header (SLL2). So rtnl takes the
// wtap_encap entries and passes everything but NETLINK_ROUTE back to the
// sll dissector it replaced.
struct CookedShape {
    const CookedLayout* layout;
    dissector_handle_t rtnl;  // dissect_sll / dissect_sll2, under the rtnl protocol
    dissector_handle_t sll;   // Wireshark's own, for everything else
};
CookedShape g_sll{&SLL_LAYOUT, nullptr, nullptr};
CookedShape g_sll2{&SLL2_LAYOUT, nullptr, nullptr};

int dissect_sll(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void*) {
    return dissect_cooked(tvb, pinfo, tree, SLL_LAYOUT);
}
int dissect_sll2(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void*) {
    return dissect_cooked(tvb, pinfo, tree, SLL2_LAYOUT);
}

bool is_route(tvbuff_t* tvb, const CookedLayout& layout) {
    return tvb_captured_length(tvb) >= layout.header_len &&
           tvb_get_ntohs(tvb, layout.hatype_offset) == nl::ARPHRD_NETLINK &&
           tvb_get_ntohs(tvb, layout.protocol_offset) == nl::NETLINK_ROUTE;
}

// Registered without a protocol, so frames it passes on do not carry "rtnl" in frame.protocols.
int dispatch_cooked(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void* data, const CookedShape& shape) {
    if (is_route(tvb, *shape.layout)) {
        const int done = call_dissector_only(shape.rtnl, tvb, pinfo, tree, data);
        if (done > 0) return done;  // 0: the rtnl protocol is disabled
    }
    return call_dissector_with_data(shape.sll, tvb, pinfo, tree, data);
}
int dispatch_sll(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void* data) {
    return dispatch_cooked(tvb, pinfo, tree, data, g_sll);
}
int dispatch_sll2(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void* data) {
    return dispatch_cooked(tvb, pinfo, tree, data, g_sll2);
}

void take_over(int encap, CookedShape& shape, dissector_t rtnl, dissector_t dispatch) {
    shape.sll = dissector_get_uint_handle(find_dissector_table("wtap_encap"), encap);
    if (!shape.sll) return;  // this Wireshark has no dissector for the shape
    shape.rtnl = create_dissector_handle(rtnl, g_proto);
    dissector_add_uint("wtap_encap", encap, create_dissector_handle(dispatch, -1));
}

// Once, when the first capture opens: from 4.4 plugins' handoffs may run before
// the sll dissector has registered its own, so the handoff is too early to find it.
void take_over_cooked_shapes() {
    static bool done = false;
    if (done) return;
    done = true;
    take_over(WTAP_ENCAP_SLL, g_sll, dissect_sll, dispatch_sll);
    take_over(WTAP_ENCAP_SLL2, g_sll2, dissect_sll2, dispatch_sll2);
}

// One NETLINK_ROUTE message handed over by Wireshark's netlink dissector
// (any path to it other than the capture shapes above).
int dissect_message(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void*) {
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "rtnl");
    proto_item* ti = proto_tree_add_item(tree, g_proto, tvb, 0, -1, ENC_NA);
    proto_tree* root = proto_item_add_subtree(ti, registry().fixed().ett_rtnl);
    dissect_messages(tvb, pinfo, root, 0, packet_origin(pinfo, PacketOrigin::Direction::Unknown));
    return static_cast<int>(tvb_captured_length(tvb));
}

}  // namespace

void register_protocol() {
    g_proto = proto_register_protocol("Linux rtnetlink (rtnl plugin)", "rtnl", "rtnl");
    registry().register_all(g_proto);
    register_experts(g_proto);
    module_t* prefs = prefs_register_protocol(g_proto, nullptr);
    prefs_register_bool_preference(prefs, "resolve_ifnames", "Show interface names",
                                   "Show the name of every interface index, learned from the links in the capture",
                                   &g_state.resolve_names);
    prefs_register_bool_preference(prefs, "track_requests", "Link requests and answers",
                                   "Link each request to the kernel's answers (rtnl.response_in, rtnl.request_in, "
                                   "rtnl.failed, rtnl.unanswered)",
                                   &g_state.track_requests);
    register_init_routine(reset_state);
    register_tap();
    g_packet_handle = register_dissector("rtnl", dissect_packet, g_proto);
    g_message_handle = register_dissector("rtnl.message", dissect_message, g_proto);
}

void register_handoff() {
    g_netlink_handle = find_dissector("netlink");
    dissector_add_uint("wtap_encap", WTAP_ENCAP_NETLINK, g_packet_handle);
    dissector_add_uint("netlink.protocol", nl::NETLINK_ROUTE, g_message_handle);
}

}  // namespace rtnl::plugin
