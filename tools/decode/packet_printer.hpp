// Prints the decoder's events for one packet as they come: one line per
// packet, a tree (-V) or JSON; counts what stayed undecoded (--coverage).
// Nothing is kept from one packet to the next but the counts: a packet's
// own text is buffered until its walk ends, because its first line (the
// summary, the request links) needs the whole packet.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "pcap_reader.hpp"
#include "rtnl/events.hpp"
#include "rtnl/summary.hpp"
#include "rtnl/tracker.hpp"

namespace rtnl::decode {

struct Coverage {
    std::map<std::string, std::size_t> unknown;  // "RTA_ 99" / "kind nosuchkind" -> count
    std::map<std::string, std::size_t> opaque;   // binary attributes shown as bytes -> count
    std::map<std::string, std::size_t> problems; // problem name -> count
    std::size_t packets = 0, messages = 0, attributes = 0;
};

enum class Output { Lines, Verbose, Json, Coverage };

class PacketPrinter final : public Visitor {
public:
    PacketPrinter(Output output, Coverage& coverage);
    // Request tracking and interface names from a first pass (optional):
    // marks replies and notifications, and lists which frames answer which.
    void set_tracking(const Tracker* tracker) { tracker_ = tracker; }
    void set_names(const LinkNames* names) { names_ = names; }
    // Decode one captured packet (LINKTYPE_NETLINK) and write it out.
    void print(std::ostream& os, const CapturedPacket& p);
    // Closes the JSON array (after the last packet of every file; main opens it).
    void finish(std::ostream& os);

    void message_begin(const MessageView& m) override;
    void message_end(const MessageView& m) override;
    void struct_begin(const StructView& s) override;
    void struct_end(const StructSpec& s) override;
    void attr_begin(const AttrEvent& ev) override;
    void attr_end(const AttrEvent& ev) override;
    void error_code(std::int32_t error, std::size_t offset) override;
    void extack_target(std::size_t offset, const AttrSpace* space, const AttrSpec* spec, std::uint16_t type) override;
    void problem(const Problem& p) override;
    void trailing_padding(std::size_t offset, std::size_t length) override;

private:
    // One item of the packet (message, echoed, header, nexthop, member, attr,
    // error, extack_target, problem, padding), written in the output's form.
    struct Item {
        std::string_view kind, name, constant, value;
        std::string_view raw = {};  // the value alone: number, address, string (no names, no hex)
        std::size_t offset = 0, length = 0;
        bool opaque = false;        // an attribute's payload left as bytes (no type to read it with)
    };
    void add(const Item& item);
    void member(const Member& m);
    void attribute(const AttrEvent& ev);  // its item, and what it adds to the counts
    void write_head(std::ostream& os, const CapturedPacket& p, bool route, std::uint16_t pkttype,
                    std::uint16_t family);

    Output output_;
    Coverage& coverage_;
    const Tracker* tracker_ = nullptr;
    const LinkNames* names_ = nullptr;
    SummaryBuilder summary_;
    std::uint32_t frame_ = 0;
    std::uint16_t index_ = 0;
    bool in_error_message_ = false;  // NLMSG_ERROR: error 0 is an ACK
    bool from_kernel_ = false;       // the packet's pkttype: from the kernel, no message of it is a request
    unsigned depth_ = 0;
    bool first_json_ = true, first_item_ = true;
    std::string body_;                // the packet's items, formatted
    std::vector<std::string> links_;  // "request in frame 11", "answered in frames 12", ...
    // The reply link that links_ ends with, when it does: a message type and its request's frame.
    struct LastLink {
        bool set = false;
        std::uint16_t type = 0;
        std::uint32_t frame = 0;
        bool operator==(const LastLink&) const = default;
    } last_link_;
    std::string link_;  // the reply link being built (its buffer reused)
};

// What the capture says about the packet: direction, namespace, socket.
PacketOrigin packet_origin(const CapturedPacket& p, std::uint16_t pkttype);

void print_coverage(std::ostream& os, const Coverage& c);

}  // namespace rtnl::decode
