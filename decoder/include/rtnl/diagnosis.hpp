// Why a route request failed: the kernel's matching rules applied to the
// routes the capture shows (its dumps, notifications, echoes), per network
// namespace. The rules are those of Linux 6.18 net/ipv4 (fib_table_delete,
// fib_nh_match, rtm_to_fib_config; docs/expert.md).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "rtnl/events.hpp"

namespace rtnl {

class LinkNames;

// The members of one route message that the kernel matches on.
struct RouteFacts {
    std::uint8_t family = 0, dst_len = 0, tos = 0, protocol = 0, scope = 0, type = 0;
    std::uint32_t table = 0, oif = 0, priority = 0;
    bool has_oif = false, has_gateway = false, has_prefsrc = false;
    std::array<std::uint8_t, 16> dst{}, gateway{}, prefsrc{};
    std::uint32_t frame = 0;  // where the capture shows it
};

// Collects RouteFacts from one top-level RTM_*ROUTE message (not from an
// echoed request inside an error).
class RouteFactsCollector {
public:
    void message_begin(const MessageView& m);
    void header(const StructView& s);  // the message's rtmsg
    void attr_begin(const AttrEvent& ev);
    bool active() const { return active_; }
    bool wants_member() const { return active_ && !echo_depth_; }
    void message_end(const MessageView& m);
    // The facts of the message that ended last, when it was a route message.
    bool done = false;
    RouteFacts facts;

private:
    bool active_ = false;
    unsigned echo_depth_ = 0;
    std::size_t body_ = 0;
};

class RouteBook {
public:
    static constexpr std::size_t kMaxRoutes = 65536;
    // A route the kernel reported: added (NEWROUTE) or removed (DELROUTE).
    void learn(std::uint64_t netns, const RouteFacts& r, bool deleted);
    // What the kernel will say about a request, from the routes known now:
    // for a DELROUTE, why none matched (ESRCH); for a NEWROUTE, which one
    // already exists (EEXIST). Empty when the capture holds no such route.
    std::string explain_delete(std::uint64_t netns, const RouteFacts& request, const LinkNames* names) const;
    std::string explain_exists(std::uint64_t netns, const RouteFacts& request, const LinkNames* names) const;
    std::size_t size() const { return count_; }
    void clear();

private:
    // The routes live in one array, chained per prefix in the order learnt
    // (the kernel's alias list), and the prefixes in an open-addressing
    // table: no allocation per route or prefix, and freeing the book is
    // freeing three arrays (a hash map of vectors was a fifth of a plain
    // tshark read of a route dump, its teardown included).
    static constexpr std::uint32_t kNone = 0xffffffffu;
    struct Entry {
        RouteFacts facts;
        std::uint32_t next = kNone;  // the prefix's next route, or the next free entry
    };
    struct Prefix {
        std::uint64_t key = 0;
        std::uint32_t head = kNone, tail = kNone;  // kNone: every route of the prefix is gone
        bool used = false;
    };
    // The routes of one prefix, in the order learnt; kNone when none.
    std::uint32_t first_of(std::uint64_t netns, const RouteFacts& r) const;
    Prefix* find(std::uint64_t key);
    const Prefix* find(std::uint64_t key) const;
    Prefix& insert(std::uint64_t key);
    void rehash(std::size_t slots);
    static std::uint64_t prefix_key(std::uint64_t netns, const RouteFacts& r);
    std::vector<Entry> entries_;
    std::uint32_t free_ = kNone;  // entries of deleted routes, for reuse
    std::vector<Prefix> prefixes_;  // a power of two long, at most half used
    std::size_t used_ = 0;          // slots holding a key (prefixes whose routes are all gone included)
    std::size_t count_ = 0;         // routes
};

// Plain words for a failed request the capture cannot say more about:
// which of its fields the kernel checked for this error (empty: nothing to add).
std::string failure_reason(std::uint16_t request_type, std::uint16_t request_flags, std::int32_t error);

}  // namespace rtnl
