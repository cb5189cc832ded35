// Collects the decoder's events for one packet as a flat list of nodes and
// prints them as text or JSON; counts what stayed undecoded (--coverage).
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "pcap_reader.hpp"
#include "rtnl/events.hpp"
#include "rtnl/summary.hpp"
#include "rtnl/tracker.hpp"

namespace rtnl::decode {

struct Node {
    unsigned depth = 0;
    std::string kind;      // message, echoed, header, nexthop, member, attr, error, extack_target, problem, padding
    std::string name;      // field abbreviation, message type name, problem name
    std::string constant;  // kernel constant (attributes, members)
    std::string value;     // display text
    std::string raw;       // the value alone: number, address, string (no names, no hex)
    bool opaque = false;   // an attribute's payload left as bytes (no type to read it with)
    std::size_t offset = 0, length = 0;
};

struct Coverage {
    std::map<std::string, std::size_t> unknown;  // "RTA_ 99" / "kind nosuchkind" -> count
    std::map<std::string, std::size_t> opaque;   // binary attributes shown as bytes -> count
    std::map<std::string, std::size_t> problems; // problem name -> count
    std::size_t packets = 0, messages = 0, attributes = 0;
};

class PacketCollector : public Visitor {
public:
    explicit PacketCollector(Coverage* coverage) : coverage_(coverage) {}
    void message_begin(const MessageView& m) override;
    void message_end(const MessageView& m) override;
    void struct_begin(const StructSpec& s, std::size_t offset, std::size_t length) override;
    void struct_member(const FieldSpec& f, std::size_t offset, std::size_t length, const Value& v) override;
    void struct_end(const StructSpec& s) override;
    void attr_begin(const AttrEvent& ev) override;
    void attr_end(const AttrEvent& ev) override;
    void error_code(std::int32_t error, std::size_t offset) override;
    void extack_target(std::size_t offset, const AttrSpace* space, const AttrSpec* spec, std::uint16_t type) override;
    void problem(const Problem& p) override;
    void trailing_padding(std::size_t offset, std::size_t length) override;

    // Request tracking from a first pass (optional): marks replies and
    // notifications, and lists which frames answer which.
    // Whether the packet comes from the kernel (nlmon pkttype): then no message of it is a request.
    void set_from_kernel(bool from_kernel) { from_kernel_ = from_kernel; }
    void set_tracking(const Tracker* tracker, std::uint32_t frame) {
        tracker_ = tracker;
        frame_ = frame;
    }

    std::vector<Node> nodes;
    SummaryBuilder summary;  // walked beside the collector (decode_packet)
    std::vector<std::string> links;  // "request in frame 11", "answered in frames 12", ...

private:
    void add(std::string kind, std::string name, std::string constant, std::string value, std::size_t offset,
             std::size_t length, std::string raw = {});
    unsigned depth_ = 0;
    Coverage* coverage_;
    const Tracker* tracker_ = nullptr;
    std::uint32_t frame_ = 0;
    std::uint16_t index_ = 0;
    bool in_error_message_ = false;  // NLMSG_ERROR: error 0 is an ACK
    bool from_kernel_ = false;
};

// Decode one captured packet (LINKTYPE_NETLINK) into a collector.
struct DecodedPacket {
    const CapturedPacket* packet;
    bool route = false;           // NETLINK_ROUTE (others are listed, not decoded)
    std::uint16_t pkttype = 0, family = 0;
    PacketCollector collector;
};
void decode_packet(const CapturedPacket& p, DecodedPacket& out);
// What the capture says about the packet: direction, namespace, socket.
PacketOrigin packet_origin(const CapturedPacket& p, std::uint16_t pkttype);

void print_text(std::ostream& os, const DecodedPacket& d, bool verbose);
void print_json(std::ostream& os, const DecodedPacket& d, bool first);
void print_coverage(std::ostream& os, const Coverage& c);

}  // namespace rtnl::decode
