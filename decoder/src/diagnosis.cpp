#include "rtnl/diagnosis.hpp"

#include <algorithm>
#include <cstring>
#include <utility>
#include <span>

#include "rtnl/netlink.hpp"
#include "rtnl/summary.hpp"
#include "rtnl/tracker.hpp"
#include "rtnl/value_text.hpp"

namespace rtnl {

namespace {

using schema::msg::RTM_DELROUTE, schema::msg::RTM_GETROUTE, schema::msg::RTM_NEWROUTE;
using schema::msg::RTM_GETVLAN, schema::msg::RTM_NEWVLAN;
constexpr std::uint8_t kScopeNowhere = 255;
constexpr std::uint32_t kTableMain = 254;
// RTA_* constants the kernel matches on
constexpr std::uint16_t kRtaDst = 1, kRtaOif = 4, kRtaGateway = 5, kRtaPriority = 6, kRtaPrefsrc = 7, kRtaTable = 15;

std::size_t address_size(std::uint8_t family) {
    return family == nl::FAMILY_INET ? 4 : family == nl::FAMILY_INET6 ? 16 : 0;
}

void append_address(std::string& out, std::uint8_t family, const std::array<std::uint8_t, 16>& a) {
    if (family == nl::FAMILY_INET6)
        append_ipv6(out, std::span<const std::uint8_t, 16>(a.data(), 16));
    else
        append_ipv4(out, std::span<const std::uint8_t, 4>(a.data(), 4));
}

void append_dev(std::string& out, std::uint64_t netns, std::uint32_t oif, const LinkNames* names) {
    if (const LinkName* n = names ? names->find(netns, oif) : nullptr)
        out += n->shown;
    else
        append_decimal(out, std::uint64_t{oif});
}

// "10.5.0.0/24 via 10.7.0.2 dev lo": the route as `ip route` names it.
std::string describe(std::uint64_t netns, const RouteFacts& r, const LinkNames* names) {
    std::string out;
    append_address(out, r.family, r.dst);
    (out += '/') += std::to_string(r.dst_len);
    if (r.has_gateway) append_address(out += " via ", r.family, r.gateway);
    if (r.has_oif && r.oif) append_dev(out += " dev ", netns, r.oif, names);
    return out;
}

std::string scope_name(std::uint8_t scope) {
    return enum_name(&schema::enum_rt_scope, scope);
}

// The first field of `route` that the kernel's delete compares and finds
// different from `request`, said as "<request> ...; <route> has ...".
// Empty when the route would match.
std::string delete_mismatch(std::uint64_t netns, const RouteFacts& req, const RouteFacts& route,
                            const LinkNames* names) {
    std::string asks, has;
    if (req.type && req.type != route.type) {
        asks = "type " + enum_name(&schema::enum_rtm_type, req.type);
        has = "type " + enum_name(&schema::enum_rtm_type, route.type);
    } else if (req.scope != kScopeNowhere && req.scope != route.scope) {
        asks = "scope " + scope_name(req.scope);
        has = "scope " + scope_name(route.scope);
    } else if (req.has_prefsrc && (!route.has_prefsrc || req.prefsrc != route.prefsrc)) {
        append_address(asks = "source ", req.family, req.prefsrc);
        has = route.has_prefsrc ? "another source" : "no source";
    } else if (req.protocol && req.protocol != route.protocol) {
        asks = "protocol " + enum_name(&schema::enum_rt_protocol, req.protocol);
        has = "protocol " + enum_name(&schema::enum_rt_protocol, route.protocol);
    } else if (req.priority && req.priority != route.priority) {
        asks = "metric " + std::to_string(req.priority);
        has = "metric " + std::to_string(route.priority);
    } else if (req.has_oif && req.oif && req.oif != route.oif) {
        append_dev(asks = "dev ", netns, req.oif, names);
        if (route.oif) append_dev(has = "dev ", netns, route.oif, names);
        else has = "no device";
    } else if (req.has_gateway && (!route.has_gateway || req.gateway != route.gateway)) {
        append_address(asks = "gateway ", req.family, req.gateway);
        has = route.has_gateway ? "another gateway" : "no gateway";
    } else {
        return {};
    }
    return "the request asks for " + asks + "; " + describe(netns, route, names) + " exists with " + has +
           " (frame " + std::to_string(route.frame) + ")";
}

}  // namespace

void RouteFactsCollector::message_begin(const MessageView& m) {
    if (m.echoed) {
        ++echo_depth_;
        return;
    }
    done = false;
    active_ = m.header.type >= RTM_NEWROUTE && m.header.type <= RTM_GETROUTE &&
              (m.family == nl::FAMILY_INET || m.family == nl::FAMILY_INET6);
    facts = RouteFacts{};
    facts.family = m.family;
    body_ = m.offset + 16;
}

void RouteFactsCollector::header(const StructView& s) {
    if (!wants_member() || s.offset != body_ || s.spec != &schema::struct_rtmsg) return;
    // The members present (a truncated header has fewer), read by their offset in struct rtmsg.
    using namespace schema::member::rtmsg;
    const auto byte = [&](std::size_t at, auto& to) {
        if (at < s.bytes.size()) to = s.bytes[at];
    };
    byte(rtm_dst_len, facts.dst_len);
    byte(rtm_tos, facts.tos);
    if (!facts.table) byte(rtm_table, facts.table);
    byte(rtm_protocol, facts.protocol);
    byte(rtm_scope, facts.scope);
    byte(rtm_type, facts.type);
}

void RouteFactsCollector::attr_begin(const AttrEvent& ev) {
    if (!active_ || echo_depth_ || ev.depth != 0 || ev.space != &schema::space_route) return;
    // Only the attributes the kernel matches on are read (a dump's route has a dozen).
    switch (ev.type) {
    case kRtaDst: case kRtaGateway: case kRtaPrefsrc: case kRtaOif: case kRtaPriority: case kRtaTable: break;
    default: return;
    }
    const Value value = ev.value();
    const bool address = (value.tag == Value::Tag::Ipv4 || value.tag == Value::Tag::Ipv6) &&
                         value.bytes.size() == address_size(facts.family);
    auto copy = [&](std::array<std::uint8_t, 16>& to) { std::memcpy(to.data(), value.bytes.data(), value.bytes.size()); };
    const bool number = value.tag == Value::Tag::Unsigned;
    switch (ev.type) {
    case kRtaDst: if (address) copy(facts.dst); break;
    case kRtaGateway: if (address) copy(facts.gateway), facts.has_gateway = true; break;
    case kRtaPrefsrc: if (address) copy(facts.prefsrc), facts.has_prefsrc = true; break;
    case kRtaOif: if (number) facts.oif = static_cast<std::uint32_t>(value.u), facts.has_oif = true; break;
    case kRtaPriority: if (number) facts.priority = static_cast<std::uint32_t>(value.u); break;
    case kRtaTable: if (number) facts.table = static_cast<std::uint32_t>(value.u); break;
    default: break;
    }
}

void RouteFactsCollector::message_end(const MessageView& m) {
    if (m.echoed) {
        if (echo_depth_) --echo_depth_;
        return;
    }
    if (!facts.table) facts.table = kTableMain;  // the kernel's fib_get_table(0)
    done = active_;
    active_ = false;
}

std::uint64_t RouteBook::prefix_key(std::uint64_t netns, const RouteFacts& r) {
    // What selects the kernel's alias list, mixed a word at a time (a byte
    // at a time was a tenth of rtnl-decode's first pass over a route dump).
    std::uint64_t h = 0x9e3779b97f4a7c15ull;
    auto mix = [&](std::uint64_t v) {
        h = (h ^ v) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    };
    std::uint64_t dst[2];
    std::memcpy(dst, r.dst.data(), sizeof dst);
    mix(netns);
    mix(std::uint64_t{r.family} << 40 | std::uint64_t{r.dst_len} << 32 | r.table);
    mix(r.tos);
    mix(dst[0]);
    mix(dst[1]);
    return h;
}

void RouteBook::clear() {
    entries_ = {};
    prefixes_ = {};
    free_ = kNone;
    used_ = count_ = 0;
}

const RouteBook::Prefix* RouteBook::find(std::uint64_t key) const {
    if (prefixes_.empty()) return nullptr;
    const std::size_t mask = prefixes_.size() - 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask) {  // at most half used: an unused slot ends it
        const Prefix& p = prefixes_[i];
        if (!p.used) return nullptr;
        if (p.key == key) return &p;
    }
}

RouteBook::Prefix* RouteBook::find(std::uint64_t key) {
    return const_cast<Prefix*>(std::as_const(*this).find(key));
}

RouteBook::Prefix& RouteBook::insert(std::uint64_t key) {
    if ((used_ + 1) * 2 > prefixes_.size()) rehash(prefixes_.size());
    const std::size_t mask = prefixes_.size() - 1;
    std::size_t i = key & mask;
    while (prefixes_[i].used) i = (i + 1) & mask;
    ++used_;
    Prefix& p = prefixes_[i];
    p.used = true;
    p.key = key;
    return p;
}

// Room for four times the prefixes that still hold routes; those whose
// routes are all gone are dropped, so churn does not grow the table.
void RouteBook::rehash(std::size_t slots) {
    std::size_t live = 0;
    for (const Prefix& p : prefixes_) live += p.used && p.head != kNone;
    slots = std::max<std::size_t>(slots, 64);
    while (slots < 4 * (live + 1)) slots *= 2;
    std::vector<Prefix> old = std::exchange(prefixes_, std::vector<Prefix>(slots));
    used_ = 0;
    for (const Prefix& p : old)
        if (p.used && p.head != kNone) {
            Prefix& q = insert(p.key);
            q.head = p.head;
            q.tail = p.tail;
        }
}

void RouteBook::learn(std::uint64_t netns, const RouteFacts& r, bool deleted) {
    const std::uint64_t key = prefix_key(netns, r);
    Prefix* p = find(key);
    for (std::uint32_t i = p ? p->head : kNone, prev = kNone; i != kNone; prev = i, i = entries_[i].next) {
        RouteFacts& it = entries_[i].facts;
        if (it.dst == r.dst && it.dst_len == r.dst_len && it.scope == r.scope && it.oif == r.oif &&
            it.gateway == r.gateway && it.priority == r.priority && it.type == r.type) {
            if (!deleted) {
                it = r;  // seen again: the latest frame
                return;
            }
            const std::uint32_t next = entries_[i].next;
            (prev == kNone ? p->head : entries_[prev].next) = next;
            if (p->tail == i) p->tail = prev;
            entries_[i].next = free_;
            free_ = i;
            --count_;
            return;
        }
    }
    if (deleted || count_ >= kMaxRoutes) return;
    std::uint32_t at = free_;
    if (at != kNone) {
        free_ = entries_[at].next;
        entries_[at] = Entry{r, kNone};
    } else {
        at = static_cast<std::uint32_t>(entries_.size());
        entries_.push_back(Entry{r, kNone});
    }
    if (!p) p = &insert(key);
    (p->tail == kNone ? p->head : entries_[p->tail].next) = at;
    p->tail = at;
    ++count_;
}

std::uint32_t RouteBook::first_of(std::uint64_t netns, const RouteFacts& r) const {
    const Prefix* p = find(prefix_key(netns, r));
    return p ? p->head : kNone;
}

std::string RouteBook::explain_delete(std::uint64_t netns, const RouteFacts& req, const LinkNames* names) const {
    for (std::uint32_t i = first_of(netns, req); i != kNone; i = entries_[i].next) {  // the kernel deletes the first that matches
        const RouteFacts& route = entries_[i].facts;
        if (route.dst == req.dst && route.dst_len == req.dst_len) {
            std::string why = delete_mismatch(netns, req, route, names);
            if (!why.empty()) return "no route matched: " + why;
        }
    }
    return {};
}

std::string RouteBook::explain_exists(std::uint64_t netns, const RouteFacts& req, const LinkNames* names) const {
    const RouteFacts* last = nullptr;  // the same prefix, table, TOS and metric, the latest learnt
    for (std::uint32_t i = first_of(netns, req); i != kNone; i = entries_[i].next)
        if (const RouteFacts& it = entries_[i].facts;
            it.dst == req.dst && it.dst_len == req.dst_len && it.priority == req.priority)
            last = &it;
    if (!last) return {};
    return "the route exists: " + describe(netns, *last, names) + " (frame " + std::to_string(last->frame) +
           ") has this prefix, table, TOS and metric; NLM_F_REPLACE (ip route replace) would replace it";
}

std::string failure_reason(std::uint16_t type, std::uint16_t flags, std::int32_t error) {
    const bool route = type == RTM_NEWROUTE || type == RTM_DELROUTE;
    switch (-error) {
    case 3:  // ESRCH
        if (type == RTM_DELROUTE)
            return "no route matched: a delete matches the prefix and table, then type, scope (unless rtm_scope "
                   "is RT_SCOPE_NOWHERE), source, protocol, metric, and the interface and gateway when given";
        break;
    case 17:  // EEXIST
        if (type == RTM_NEWROUTE && !(flags & nl::F_REPLACE))
            return "a route with this prefix, table, TOS and metric exists (NLM_F_EXCL refuses a second, and an "
                   "identical one is refused without it); NLM_F_REPLACE (ip route replace) would replace it";
        break;
    case 19:  // ENODEV
        if (route)
            return "no usable interface: RTA_OIF names no interface of this namespace (or is down), or the "
                   "request gives neither an interface (RTA_OIF 0 means none) nor a gateway to find one";
        return "no interface with the given index or name in this namespace";
    case 101:  // ENETUNREACH
        if (route) return "the gateway is not reachable: no route of this table covers it on the given interface";
        break;
    case 22:  // EINVAL
        if (route)
            return "the kernel refused a field: a prefix with host bits set, a prefix length past the address, "
                   "or an attribute of the wrong size (the extended ACK says which)";
        break;
    case 95:  // EOPNOTSUPP
        // net/bridge registers the RTM_*VLAN handlers only when built with VLAN filtering
        if (type >= RTM_NEWVLAN && type <= RTM_GETVLAN)
            return "this kernel has no bridge VLAN database: RTM_NEWVLAN/DELVLAN/GETVLAN are handled only by a "
                   "bridge built with CONFIG_BRIDGE_VLAN_FILTERING";
        return "the kernel has no support for this request here (an address family, link kind or feature "
               "not built in or not enabled in this namespace)";
    case 1:  // EPERM
        return "not permitted: the process lacks CAP_NET_ADMIN in this network namespace";
    default: break;
    }
    return {};
}

}  // namespace rtnl
