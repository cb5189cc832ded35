// The epan side: owns LINKTYPE_NETLINK packets of NETLINK_ROUTE, hands other
// netlink families to Wireshark's own netlink dissector unchanged.
#include "dissector.hpp"

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/tap.h>
#include <wiretap/wtap.h>

#include <span>

#include "expert.hpp"
#include "fields.hpp"
#include "stats.hpp"
#include "rtnl/capture_metadata.hpp"
#include "rtnl/netlink.hpp"
#include "rtnl/walker.hpp"
#include "tree_builder.hpp"

namespace rtnl::plugin {

namespace {

int g_proto = -1;
CaptureState g_state;  // per capture file: reset by the init routine
}  // namespace

CaptureState& capture_state() { return g_state; }

namespace {

void reset_state() {
    g_state.tracker.clear();
    g_state.names.clear();
    g_state.routes.clear();
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
    TreeBuilder builder(tvb, pinfo, tree, guess_byte_order(bytes, start), g_state, origin);
    TapPacket* tap = nullptr;
    if (have_tap_listener(tap_id())) {
        tap = wmem_new0(pinfo->pool, TapPacket);
        tap->netns = origin.netns;
        builder.set_tap(tap);
    }
    builder.walk(bytes, start);
    if (tap) tap_queue_packet(tap_id(), pinfo, tap);
    const std::string line = builder.summary().packet_line();
    if (!line.empty()) col_add_str(pinfo->cinfo, COL_INFO, line.c_str());
}

// LINKTYPE_NETLINK (nlmon) packet: cooked header, then messages.
int dissect_packet(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void* data) {
    const guint len = tvb_captured_length(tvb);
    if (len >= nl::COOKED_HEADER_LEN && tvb_get_ntohs(tvb, 14) != nl::NETLINK_ROUTE && g_netlink_handle)
        return call_dissector_with_data(g_netlink_handle, tvb, pinfo, tree, data);

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "rtnl");
    col_clear(pinfo->cinfo, COL_INFO);
    const FixedFields& F = registry().fixed();
    proto_item* ti = proto_tree_add_item(tree, g_proto, tvb, 0, -1, ENC_NA);
    proto_tree* root = proto_item_add_subtree(ti, F.ett_rtnl);
    if (len < nl::COOKED_HEADER_LEN) {
        proto_tree_add_expert(root, pinfo, expert_for(ProblemCode::PacketTooShort), tvb, 0, static_cast<gint>(len));
        return static_cast<int>(len);
    }
    proto_tree* cooked = proto_tree_add_subtree(root, tvb, 0, nl::COOKED_HEADER_LEN, F.ett_cooked, nullptr,
                                                "nlmon header");
    proto_tree_add_item(cooked, F.cooked_pkttype, tvb, 0, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item(cooked, F.cooked_hatype, tvb, 2, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item(cooked, F.cooked_protocol, tvb, 14, 2, ENC_BIG_ENDIAN);
    const guint16 pkttype = tvb_get_ntohs(tvb, 0);
    col_set_str(pinfo->cinfo, COL_DEF_SRC, pkttype == 4 ? "user" : "kernel");
    col_set_str(pinfo->cinfo, COL_DEF_DST, pkttype == 4 ? "kernel" : "user");
    dissect_messages(tvb, pinfo, root, nl::COOKED_HEADER_LEN,
                     packet_origin(pinfo, pkttype == 4 ? PacketOrigin::Direction::ToKernel
                                                       : PacketOrigin::Direction::FromKernel));
    return static_cast<int>(len);
}

// One NETLINK_ROUTE message handed over by Wireshark's netlink dissector
// (captures in Linux cooked headers, SLL).
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
