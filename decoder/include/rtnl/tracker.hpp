// Links requests to the kernel's answers across a capture, and learns
// interface names from the links the capture shows. Fed in capture order
// (a dissector's first pass); results can be read any time after.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rtnl/diagnosis.hpp"
#include "rtnl/events.hpp"
#include "rtnl/netlink.hpp"

namespace rtnl {

// Where a message sits: frame number and its index within the packet.
struct MessageRef {
    std::uint32_t frame = 0;
    std::uint16_t index = 0;
    bool operator==(const MessageRef&) const = default;
};

// What the capture says about a packet beyond its bytes (capture-metadata.md).
struct PacketOrigin {
    // From the nlmon pkttype (4: sent by the process); unknown for SLL, where
    // only NLM_F_REQUEST tells.
    enum class Direction : std::uint8_t { Unknown, ToKernel, FromKernel };
    Direction direction = Direction::Unknown;
    // The network namespace: pcapng (section, interface id); 0 when the
    // capture has no interfaces (classic pcap).
    std::uint64_t netns = 0;
    // The socket's port id from the packet comment; 0: the capture does not say.
    std::uint32_t port = 0;

    static std::uint64_t namespace_key(std::uint32_t section, std::uint32_t interface_id) {
        return (std::uint64_t{section} << 32 | interface_id) + 1;
    }
};

struct RequestOutcome {
    std::vector<std::uint32_t> response_frames;  // every frame answering it (first kResponseFramesKept)
    std::size_t response_count = 0;              // all of them, also past the kept ones
    std::int64_t request_time = 0, first_response_time = 0;  // nanoseconds
    bool answered = false;   // a final answer (ACK, error, DONE, or the reply of a non-dump GET)
    bool unanswered() const { return wants_answer && response_count == 0; }
    bool failed = false;
    std::int32_t error = 0;  // as sent (negative errno)
    std::uint32_t error_frame = 0;
    std::string extack;      // the kernel's message, when the answer carried one
    std::string diagnosis;   // why the kernel will refuse it, from the routes known when it was sent
    bool wants_answer = false;  // NLM_F_ACK or a GET: silence is a problem
    std::uint16_t type = 0, flags = 0;  // of the request
};

// Why a failed request failed, in plain words (docs/expert.md): the route of
// the capture the kernel compared (ESRCH on RTM_DELROUTE, EEXIST on
// RTM_NEWROUTE), else what the kernel checks for that error; empty when
// there is nothing to say.
std::string explain_failure(const RequestOutcome& o);
// A failure explain_failure() explains from the route book: ESRCH on
// RTM_DELROUTE, EEXIST on RTM_NEWROUTE.
bool refused_for_a_route(const RequestOutcome& o);

struct ReplyLink {
    MessageRef request;
    std::int64_t request_time = 0;  // nanoseconds
};

class Tracker {
public:
    // Bounds: open requests waiting for their answer, and requests remembered
    // with their outcome. Past them the oldest are forgotten (a request then
    // shows no link), so memory stays bounded on any capture. Replies are
    // remembered per frame (runs of messages), at most kMaxRemembered frames.
    static constexpr std::size_t kMaxPending = 4096;
    static constexpr std::size_t kMaxRemembered = 1u << 20;
    static constexpr std::size_t kResponseFramesKept = 64;

    // One message seen in capture order, from the packet `origin`. `error`
    // and `extack` only for NLMSG_ERROR / NLMSG_DONE; `echoed`: the request
    // header an NLMSG_ERROR carries.
    void observe(const MessageRef& where, std::int64_t time_ns, const NetlinkHeader& h, const PacketOrigin& origin,
                 std::int32_t error, std::string_view extack, const NetlinkHeader* echoed = nullptr);

    const RequestOutcome* outcome(const MessageRef& request) const;
    void set_diagnosis(const MessageRef& request, std::string text);
    const ReplyLink* reply_link(const MessageRef& reply) const;
    std::size_t pending() const { return pending_.size(); }
    std::size_t remembered() const { return outcomes_.size(); }
    // Requests seen failing as refused_for_a_route() says (a reader that can
    // read its capture twice learns the route book only when there are).
    std::size_t route_refusals() const { return route_refusals_; }
    void clear();

private:
    struct Pending {
        MessageRef ref;
        std::uint32_t seq;
        std::uint32_t port;     // requester's port id: from the capture's metadata, else learned from a reply
        std::uint32_t claimed;  // the request's nlmsg_pid (0, the port, or - pyroute2 - the process id)
        std::uint64_t netns;
        bool socket_known;      // port from the metadata: only answers on that socket are its own
        std::uint16_t type, flags;
    };
    void request(const MessageRef& where, std::int64_t time, const NetlinkHeader& h, const PacketOrigin& origin);
    static std::uint64_t key(const MessageRef& r) { return (std::uint64_t{r.frame} << 16) | r.index; }
    void forget_oldest();

    std::deque<Pending> pending_;
    std::unordered_map<std::uint64_t, RequestOutcome> outcomes_;
    std::deque<std::uint64_t> outcome_order_;
    // Replies by frame, as runs of consecutive messages answering one request:
    // a dump packet of 200 routes is one entry, not 200 (one allocation and
    // one hash lookup per packet instead of per message).
    struct ReplyRun {
        std::uint16_t first, last;  // message indexes within the frame
        ReplyLink link;
    };
    std::unordered_map<std::uint32_t, std::vector<ReplyRun>> replies_;
    std::deque<std::uint32_t> reply_order_;  // frames, oldest first
    std::size_t route_refusals_ = 0;
};

// (network namespace, ifindex) -> name, learned from RTM_NEWLINK messages
// the kernel sent. An index that carried two names (two namespaces the
// capture does not tell apart, or a rename) keeps both: `shown` lists them
// and `ambiguous` says so, rather than one picked silently.
struct LinkName {
    static constexpr std::size_t kMaxNames = 4;
    std::vector<std::string> names;  // in the order learned
    std::string shown;               // "eth0", or "cni0|eth0" when ambiguous
    bool ambiguous() const { return names.size() > 1; }
};

class LinkNames {
public:
    static constexpr std::size_t kMaxNames = 65536;
    void learn(std::uint64_t netns, std::int64_t ifindex, std::string_view name);
    // nullptr when the capture never named it in that namespace.
    const LinkName* find(std::uint64_t netns, std::int64_t ifindex) const;
    bool any_full_dump() const { return full_dump_; }
    void saw_full_dump() { full_dump_ = true; }
    std::size_t size() const { return names_.size(); }
    void clear() {
        names_.clear();
        full_dump_ = false;
    }

private:
    struct KeyHash {
        std::size_t operator()(const std::pair<std::uint64_t, std::int64_t>& k) const {
            return std::hash<std::uint64_t>()(k.first * 0x9e3779b97f4a7c15ull ^ static_cast<std::uint64_t>(k.second));
        }
    };
    std::unordered_map<std::pair<std::uint64_t, std::int64_t>, LinkName, KeyHash> names_;
    bool full_dump_ = false;
};

// A visitor that teaches LinkNames from the kernel's RTM_NEWLINK messages
// (ifi_index + IFLA_IFNAME at the message's top level, never from requests
// or echoed requests), in the packet's network namespace.
class LinkNameLearner : public Visitor {
public:
    LinkNameLearner(LinkNames& names, const PacketOrigin& origin) : names_(names), origin_(origin) {}
    void message_begin(const MessageView& m) override;
    void message_end(const MessageView& m) override;
    void struct_begin(const StructView& s) override;
    void attr_begin(const AttrEvent& ev) override;
    // Only ifi_index of a kernel RTM_NEWLINK is wanted; callers skip the rest cheaply.
    bool wants_member() const { return active_ && !echo_depth_ && index_ == 0; }
    bool active() const { return active_; }  // the message is a link the kernel reported

private:
    LinkNames& names_;
    PacketOrigin origin_;
    bool active_ = false;
    unsigned echo_depth_ = 0;
    std::int64_t index_ = 0;
    std::string name_;
};

// A first pass over one packet: feeds the Tracker with every top-level
// message (with its error, extended-ACK text and echoed request header) and
// LinkNames with the links, and notes complete link dumps. The plugin and
// the tools run it on every packet before they show anything.
class CaptureLearner final : public Visitor {
public:
    CaptureLearner(Tracker& tracker, LinkNames& names, RouteBook& routes, std::uint32_t frame, std::int64_t time_ns,
                   const PacketOrigin& origin)
        : CaptureLearner(tracker, names, &routes, frame, time_ns, origin) {}
    // routes null: no route book (nothing of a route message is read but its header).
    CaptureLearner(Tracker& tracker, LinkNames& names, RouteBook* routes, std::uint32_t frame, std::int64_t time_ns,
                   const PacketOrigin& origin)
        : tracker_(tracker), names_(names), routes_(routes), learner_(names, origin), frame_(frame), time_(time_ns),
          origin_(origin) {}
    void message_begin(const MessageView& m) override;
    void message_end(const MessageView& m) override;
    // Every message's header is read; a body only for an answer's error and
    // extended ACK, a link's index and name, a route when there is a book.
    bool wants_body(const MessageView& m) override {
        return !m.echoed && (m.header.type == nl::NLMSG_ERROR || m.header.type == nl::NLMSG_DONE ||
                             learner_.active() || route_.active());
    }
    // A family header's members, when the name learner or the route book reads them (the rest is not read).
    void struct_begin(const StructView& s) override {
        if (attr_depth_ != 0) return;
        if (learner_.wants_member()) learner_.struct_begin(s);
        if (route_.wants_member()) route_.header(s);
    }
    void attr_begin(const AttrEvent& ev) override;
    // Names, routes and the extended ACK are all a message's own attributes.
    bool wants_children(const AttrEvent&) override { return false; }
    void attr_end(const AttrEvent&) override {
        if (attr_depth_) --attr_depth_;
    }
    void error_code(std::int32_t error, std::size_t offset) override;

private:
    void learn_route(const MessageRef& ref, const NetlinkHeader& h);
    Tracker& tracker_;
    LinkNames& names_;
    RouteBook* routes_;
    LinkNameLearner learner_;
    RouteFactsCollector route_;
    std::uint32_t frame_;
    std::int64_t time_;
    PacketOrigin origin_;
    std::uint16_t index_ = 0;
    unsigned echo_depth_ = 0;
    unsigned attr_depth_ = 0;  // attributes open
    NetlinkHeader echoed_{};
    bool have_echo_ = false;
    std::int32_t error_ = 0;
    std::string extack_;
};

}  // namespace rtnl
