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
#include <vector>

#include "rtnl/events.hpp"

namespace rtnl {

// Where a message sits: frame number and its index within the packet.
struct MessageRef {
    std::uint32_t frame = 0;
    std::uint16_t index = 0;
    bool operator==(const MessageRef&) const = default;
};

struct RequestOutcome {
    std::vector<std::uint32_t> response_frames;  // every frame answering it (first kResponseFramesKept)
    std::size_t response_count = 0;              // all of them, also past the kept ones
    std::int64_t request_time = 0, first_response_time = 0;  // nanoseconds
    bool answered = false;   // a final answer (ACK, error, DONE, or the reply of a non-dump GET)
    bool failed = false;
    std::int32_t error = 0;  // as sent (negative errno)
    std::uint32_t error_frame = 0;
    std::string extack;      // the kernel's message, when the answer carried one
    bool wants_answer = false;  // NLM_F_ACK or a GET: silence is a problem
    std::uint16_t type = 0, flags = 0;  // of the request
};

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

    // One message seen in capture order. `from_user`: the packet was sent by
    // the process (nlmon pkttype 4). `error` and `extack` only for
    // NLMSG_ERROR / NLMSG_DONE; `echoed`: the request header an NLMSG_ERROR
    // carries.
    void observe(const MessageRef& where, std::int64_t time_ns, const NetlinkHeader& h, bool from_user, std::int32_t error,
                 std::string_view extack, const NetlinkHeader* echoed = nullptr);

    const RequestOutcome* outcome(const MessageRef& request) const;
    const ReplyLink* reply_link(const MessageRef& reply) const;
    std::size_t pending() const { return pending_.size(); }
    std::size_t remembered() const { return outcomes_.size(); }
    void clear();

private:
    struct Pending {
        MessageRef ref;
        std::uint32_t seq;
        std::uint32_t port;  // requester's port id, 0 until learned from a reply
        std::uint16_t type, flags;
    };
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
};

// ifindex -> name, learned from RTM_NEWLINK messages the kernel sent.
class LinkNames {
public:
    static constexpr std::size_t kMaxNames = 65536;
    void learn(std::int64_t ifindex, std::string_view name);
    // nullptr when the capture never named it.
    const std::string* find(std::int64_t ifindex) const;
    bool any_full_dump() const { return full_dump_; }
    void saw_full_dump() { full_dump_ = true; }
    std::size_t size() const { return names_.size(); }
    void clear() {
        names_.clear();
        full_dump_ = false;
    }

private:
    std::unordered_map<std::int64_t, std::string> names_;
    bool full_dump_ = false;
};

// A visitor that teaches LinkNames from the kernel's RTM_NEWLINK messages
// (ifi_index + IFLA_IFNAME at the message's top level, never from requests
// or echoed requests).
class LinkNameLearner : public Visitor {
public:
    explicit LinkNameLearner(LinkNames& names) : names_(names) {}
    void message_begin(const MessageView& m) override;
    void message_end(const MessageView& m) override;
    void struct_member(const FieldSpec& f, std::size_t, std::size_t, const Value& v) override;
    void attr_begin(const AttrEvent& ev) override;
    // Only ifi_index of a kernel RTM_NEWLINK is wanted; callers skip the rest cheaply.
    bool wants_member() const { return active_ && !echo_depth_ && index_ == 0; }

private:
    LinkNames& names_;
    bool active_ = false;
    unsigned echo_depth_ = 0;
    std::int64_t index_ = 0;
    std::string name_;
};

// A first pass over one packet: feeds the Tracker with every top-level
// message (with its error, extended-ACK text and echoed request header) and
// LinkNames with the links, and notes complete link dumps. The plugin and
// the tools run it on every packet before they show anything.
class CaptureLearner : public Visitor {
public:
    CaptureLearner(Tracker& tracker, LinkNames& names, std::uint32_t frame, std::int64_t time_ns, bool from_user)
        : tracker_(tracker), names_(names), learner_(names), frame_(frame), time_(time_ns), from_user_(from_user) {}
    void message_begin(const MessageView& m) override;
    void message_end(const MessageView& m) override;
    void struct_member(const FieldSpec& f, std::size_t offset, std::size_t length, const Value& v) override {
        if (learner_.wants_member()) learner_.struct_member(f, offset, length, v);  // inline: called for every member
    }
    bool wants_member() const { return learner_.wants_member(); }
    // A family header with ifi_index to learn (the rest is not read).
    bool wants_members(const StructSpec&) override { return attr_depth_ == 0 && wants_member(); }
    void attr_begin(const AttrEvent& ev) override;
    void attr_end(const AttrEvent&) override {
        if (attr_depth_) --attr_depth_;
    }
    void error_code(std::int32_t error, std::size_t offset) override;

private:
    Tracker& tracker_;
    LinkNames& names_;
    LinkNameLearner learner_;
    std::uint32_t frame_;
    std::int64_t time_;
    bool from_user_;
    std::uint16_t index_ = 0;
    unsigned echo_depth_ = 0;
    unsigned attr_depth_ = 0;  // attributes open
    NetlinkHeader echoed_{};
    bool have_echo_ = false;
    std::int32_t error_ = 0;
    std::string extack_;
};

}  // namespace rtnl
