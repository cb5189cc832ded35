#include "netlink_rebuild.hpp"

#include <arpa/inet.h>
#include <net/if.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "rtnl/errno_names.hpp"
#include "rtnl/netlink.hpp"
#include "rtnl/schema.hpp"

namespace rtnl::record {

namespace {

constexpr std::uint16_t kNlaHeader = 4;
constexpr std::uint16_t kNlaTypeMask = 0x3fff;  // NLA_F_NESTED, NLA_F_NET_BYTEORDER above

using Items = std::vector<std::pair<std::string, Value>>;

// name -> value of every constant the schema names; the first definition wins
// (names are unique in practice; attribute numbers are looked up in their own
// space first anyway).
const std::map<std::string, std::int64_t, std::less<>>& constants() {
    static const auto table = [] {
        std::map<std::string, std::int64_t, std::less<>> m;
        for (const auto& t : schema::message_types()) m.emplace(t.name, t.type);
        for (const EnumSpec* e : schema::all_enums())
            for (const auto& entry : e->entries) m.emplace(entry.name, std::int64_t(entry.value));
        for (const AttrSpace* s : schema::all_spaces())
            for (std::size_t i = 0; i < s->attrs.size(); ++i)
                if (s->attrs[i].field) m.emplace(s->attrs[i].field->constant, std::int64_t(i));
        for (const auto& e : all_errnos()) m.emplace(e.name, e.number);
        // netlink's own, which no rtnetlink schema table holds
        for (const std::uint16_t t : {nl::NLMSG_NOOP, nl::NLMSG_ERROR, nl::NLMSG_DONE, nl::NLMSG_OVERRUN})
            m.emplace(nl::message_type_name(t), t);
        m.insert({{"NLA_F_NESTED", 0x8000}, {"NLA_F_NET_BYTEORDER", 0x4000}});
        return m;
    }();
    return table;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

std::optional<std::int64_t> number(std::string_view t) {
    bool neg = !t.empty() && t[0] == '-';
    if (neg) t.remove_prefix(1);
    int base = 10;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) base = 16, t.remove_prefix(2);
    else if (t.size() > 1 && t[0] == '0') base = 8, t.remove_prefix(1);
    std::uint64_t v = 0;
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v, base);
    if (t.empty() || ec != std::errc() || ptr != t.data() + t.size()) return std::nullopt;
    return neg ? -std::int64_t(v) : std::int64_t(v);
}

// "IFF_UP|IFF_LOOPBACK|0x10000", "1<<RTNLGRP_LINK", "-ENODEV", "RT_TABLE_MAIN"
std::optional<std::int64_t> scalar(std::string_view text, const AttrSpace* space) {
    std::int64_t acc = 0;
    while (true) {
        std::size_t bar = text.find('|');
        std::string_view term = trim(text.substr(0, bar));
        std::int64_t shift = 0;
        if (term.rfind("1<<", 0) == 0) {
            term.remove_prefix(3);
            shift = 1;
        }
        bool neg = !term.empty() && term[0] == '-' && !(term.size() > 1 && term[1] >= '0' && term[1] <= '9');
        if (neg) term.remove_prefix(1);
        std::optional<std::int64_t> v = number(term);
        if (!v && space)
            for (std::size_t i = 0; i < space->attrs.size(); ++i)
                if (space->attrs[i].field && term == space->attrs[i].field->constant) v = std::int64_t(i);
        if (!v)
            if (auto it = constants().find(term); it != constants().end()) v = it->second;
        if (!v) return std::nullopt;
        if (shift) v = std::int64_t(1) << (*v & 63);
        acc |= neg ? -*v : *v;
        if (bar == std::string_view::npos) return acc;
        text.remove_prefix(bar + 1);
    }
}

void put_int(std::vector<std::uint8_t>& out, std::uint64_t v, std::size_t width, bool big_endian) {
    for (std::size_t i = 0; i < width; ++i) {
        std::size_t shift = 8 * (big_endian ? width - 1 - i : i);
        out.push_back(shift < 64 ? std::uint8_t(v >> shift) : 0);
    }
}

// The string argument of a call strace prints: inet_addr("10.0.0.0") -> 10.0.0.0
std::optional<std::string> call_argument(std::string_view atom, std::string_view fn) {
    if (atom.rfind(fn, 0) != 0 || atom.size() < fn.size() + 3 || atom.back() != ')') return std::nullopt;
    std::string_view inner = atom.substr(fn.size() + 1, atom.size() - fn.size() - 2);
    std::size_t quote = inner.find('"');
    if (quote == std::string_view::npos) return std::nullopt;
    std::size_t used = 0;
    auto bytes = decode_strace_string(inner.substr(quote), used);
    if (!bytes) return std::nullopt;
    return std::string(bytes->begin(), bytes->end());
}

// 00:11:22:aa:bb:cc
std::optional<std::vector<std::uint8_t>> hardware_address(std::string_view t) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < t.size(); i += 3) {
        if (i + 2 > t.size() || (i + 2 < t.size() && t[i + 2] != ':')) return std::nullopt;
        std::uint8_t b = 0;
        auto [p, ec] = std::from_chars(t.data() + i, t.data() + i + 2, b, 16);
        if (ec != std::errc() || p != t.data() + i + 2) return std::nullopt;
        out.push_back(b);
    }
    if (out.size() < 2) return std::nullopt;
    return out;
}

bool is_attribute_header(const Value& v) { return v.kind == Value::Kind::Struct && v.field("nla_len"); }

// {family=AF_BRIDGE, data="\x00..."}: a body strace has no decoder for, its
// first byte (the family) and the rest of the message as bytes
bool is_family_and_data(const Value& v) {
    if (v.kind != Value::Kind::Struct || v.items.empty() || v.items.size() > 2 || v.items[0].first != "family" ||
        v.items[0].second.kind != Value::Kind::Atom)
        return false;
    return v.items.size() == 1 || (v.items[1].first == "data" && v.items[1].second.kind == Value::Kind::String);
}

// [{nla_len=8, nla_type=X}, value], or {nla_len=4, nla_type=X} for one without payload
bool is_attribute(const Value& v) {
    return is_attribute_header(v) ||
           (v.kind == Value::Kind::Array && !v.items.empty() && is_attribute_header(v.items[0].second));
}

bool is_attribute_list(const Value& v) {
    return v.kind == Value::Kind::Array && !v.items.empty() &&
           std::all_of(v.items.begin(), v.items.end(), [](const auto& it) {
               return is_attribute(it.second) || (it.second.kind == Value::Kind::Atom && it.second.atom == "...");
           });
}

// "rtmsg.rtm_table" -> "rtm_table"; "" for padding and for a member that
// shares an attribute's field (ifaddrmsg's flags are IFA_FLAGS' field)
std::string_view member_name(const StructMember& m) {
    std::string_view c = m.field ? m.field->constant : "";
    std::size_t dot = c.rfind('.');
    return dot == std::string_view::npos ? std::string_view() : c.substr(dot + 1);
}

// Whether strace's name for a member is m: the schema's member name
// ("ifi_family"), or, where the spec names a member shorter than the kernel
// does (rtgenmsg's "family", the kernel's rtgen_family), the field's prefix
// joined to it ("rtnl.rtgen.family" -> "rtgen_family").
bool printed_as(const StructMember& m, std::string_view printed) {
    const std::string_view name = member_name(m);
    if (!m.field || name.empty()) return false;
    if (name == printed) return true;
    std::string_view abbrev = m.field->abbrev;
    if (abbrev.rfind("rtnl.", 0) != 0) return false;
    abbrev.remove_prefix(5);
    const std::size_t dot = abbrev.find('.');
    return dot != std::string_view::npos && printed.size() == dot + 1 + name.size() &&
           printed.substr(0, dot) == abbrev.substr(0, dot) && printed[dot] == '_' && printed.substr(dot + 1) == name;
}

using Layout = std::vector<const StructMember*>;  // the member of each printed item

// Lines up what strace printed with the schema's members, in order. An
// unnamed member is padding strace does not print (ifinfomsg's) or a member
// without a name of its own (ifaddrmsg's ifa_flags): it takes a printed item
// only when that item is not the next named member.
std::optional<Layout> align(const StructSpec& s, const Items& items) {
    Layout out;
    std::size_t j = 0;
    for (std::size_t i = 0; i < s.members.size(); ++i) {
        const StructMember& m = s.members[i];
        if (!member_name(m).empty()) {
            if (j >= items.size() || !printed_as(m, items[j].first)) return std::nullopt;
            out.push_back(&m);
            ++j;
            continue;
        }
        const StructMember* next = nullptr;
        for (std::size_t k = i + 1; k < s.members.size() && !next; ++k)
            if (!member_name(s.members[k]).empty()) next = &s.members[k];
        if (j < items.size() && !(next && printed_as(*next, items[j].first))) {
            out.push_back(&m);
            ++j;
        }
    }
    if (j != items.size()) return std::nullopt;
    return out;
}

// The schema struct whose members strace printed, with their layout.
std::optional<std::pair<const StructSpec*, Layout>> struct_with_members(const Items& items, const StructSpec* hint) {
    if (hint)
        if (auto l = align(*hint, items)) return std::pair{hint, std::move(*l)};
    // not the named positions of devconf arrays: no member has a name there, so any items would align
    for (const StructSpec* s : schema::all_structs())
        if (!s->array)
            if (auto l = align(*s, items)) return std::pair{s, std::move(*l)};
    return std::nullopt;
}

class Builder {
public:
    Builder(std::vector<std::uint8_t>& out, Rebuilt& r) : out_(out), r_(r) {}

    // width bytes of the value v (an attribute payload or a struct member).
    void value(const Value& v, std::size_t width, const AttrSpec* spec, const AttrSpace* nested,
               bool big_endian = false) {
        const std::size_t start = out_.size();
        switch (v.kind) {
        case Value::Kind::String:
            out_.insert(out_.end(), v.str.begin(), v.str.begin() + long(std::min(width, v.str.size())));
            if (v.str.size() < width) r_.gap("a string strace cut short");
            break;
        case Value::Kind::Atom:
            atom(v.atom, width, big_endian || (spec && spec->field && spec->field->big_endian), nested);
            break;
        case Value::Kind::Struct:
            if (is_attribute_header(v)) attributes({{"", v}}, nested);
            else structure(v.items, width, spec ? spec->structure : nullptr, nested);
            break;
        case Value::Kind::Array:
            if (is_attribute_list(v)) attributes(v.items, nested);
            else if (is_attribute(v)) attributes({{"", v}}, nested);
            else elements(v.items, width, nested);
            break;
        }
        fit(start, width);
    }

    // [{nla_len=8, nla_type=RTA_DST}, value], ... in space (may be nullptr)
    void attributes(const Items& list, const AttrSpace* space) {
        for (const auto& [name, a] : list) {
            if (a.kind == Value::Kind::Atom) {  // "...": strace stopped here
                r_.gap("strace printed '...' for the rest of the attributes");
                return;
            }
            const bool bare = is_attribute_header(a);
            const Value& hdr = bare ? a : a.items[0].second;
            const Value* len_v = hdr.field("nla_len");
            const Value* type_v = hdr.field("nla_type");
            const std::int64_t len = len_v && len_v->kind == Value::Kind::Atom ? number(len_v->atom).value_or(-1) : -1;
            const auto type = type_v && type_v->kind == Value::Kind::Atom ? scalar(type_v->atom, space) : std::nullopt;
            const std::int64_t type_n = type.value_or(0);
            if (len < kNlaHeader || len > 0xffff) {
                r_.gap("an attribute without a usable nla_len");
                return;
            }
            if (!type) r_.gap("an attribute type the schema does not name: " + (type_v ? type_v->atom : ""));
            const std::size_t start = out_.size();
            put_int(out_, std::uint64_t(len), 2, false);
            put_int(out_, std::uint64_t(type_n), 2, false);
            const AttrSpec* spec = space ? space->find(std::uint16_t(type_n & kNlaTypeMask)) : nullptr;
            const AttrSpace* nested = spec ? spec->nested : nullptr;
            const std::size_t payload = std::size_t(len) - kNlaHeader;
            if (!bare && a.items.size() >= 2) value(a.items[1].second, payload, spec, nested);
            else if (payload) r_.gap("an attribute printed without its value");
            if (out_.size() > start + kNlaHeader + payload)
                r_.gap("strace printed more than attribute " + (type_v ? type_v->atom : "") + " holds");
            fit(start + kNlaHeader, payload);
            while ((out_.size() - start) % 4) out_.push_back(0);
        }
    }

    // The body items of one message: family header, attributes, raw bytes.
    void body(const Items& items, std::size_t first, const MessageTypeSpec* mt) {
        for (std::size_t i = first; i < items.size(); ++i) {
            const Value& v = items[i].second;
            if (is_family_and_data(v)) {
                atom(v.items[0].second.atom, 1, false, nullptr);
                if (v.items.size() == 2) {
                    const Value& data = v.items[1].second;
                    out_.insert(out_.end(), data.str.begin(), data.str.end());
                    if (data.str_truncated) r_.gap("a string strace cut short");
                }
            } else if (v.kind == Value::Kind::Struct && !is_attribute(v)) {
                const StructSpec* hint = mt ? mt->header : nullptr;
                auto found = struct_with_members(v.items, hint);
                structure(v.items, found ? found->first->size : 0, hint, nullptr);
                while (out_.size() % 4) out_.push_back(0);
            } else if (is_attribute_list(v) || is_attribute(v)) {
                attributes(is_attribute_list(v) ? v.items : Items{{"", v}}, mt ? mt->attrs : nullptr);
            } else if (v.kind == Value::Kind::String) {
                out_.insert(out_.end(), v.str.begin(), v.str.end());
                if (v.str_truncated) r_.gap("a string strace cut short");
            } else if (v.kind == Value::Kind::Atom && v.atom == "...") {
                r_.gap("strace printed '...' for the rest of the message");
            } else {
                r_.gap("a part of the message strace printed in a shape not understood");
            }
        }
    }

private:
    // Exactly width bytes from start: cut what is more, zeros for what is missing.
    void fit(std::size_t start, std::size_t width) {
        if (out_.size() > start + width) {
            out_.resize(start + width);
            r_.gap("strace printed more than the attribute holds");
        } else if (out_.size() < start + width) {
            out_.resize(start + width, 0);
        }
    }

    void atom(const std::string& t, std::size_t width, bool big, const AttrSpace* nested) {
        if (t == "...") {
            r_.gap("strace printed '...'");
            return;
        }
        if (auto a = call_argument(t, "inet_addr")) return address(AF_INET, *a, width);
        if (auto a = call_argument(t, "inet_pton")) return address(t.find("AF_INET6") != std::string::npos ? AF_INET6 : AF_INET, *a, width);
        if (auto name = call_argument(t, "if_nametoindex")) {
            // strace names interfaces as the namespace it ran in had them; this
            // one's are a guess, right only when converting there (lo is 1 everywhere)
            const unsigned index = *name == "lo" ? 1 : ::if_nametoindex(name->c_str());
            if (!index) r_.gap("interface '" + *name + "' is not on this machine: its index is unknown");
            else if (*name != "lo")
                r_.gap("interface '" + *name + "' given by name: its index here (" + std::to_string(index) +
                       ") is right only in the network namespace strace ran in");
            return put_int(out_, index, std::min<std::size_t>(width, 8), false);
        }
        if (auto mac = hardware_address(t)) {
            out_.insert(out_.end(), mac->begin(), mac->end());
            return;
        }
        std::string_view s = t;
        for (std::string_view fn : {"htons(", "htonl(", "htobe16(", "htobe32(", "htobe64("})
            if (s.rfind(fn, 0) == 0 && s.back() == ')') {
                s = s.substr(fn.size(), s.size() - fn.size() - 1);
                big = true;
            }
        // a descriptor strace decorated with its path (-yy): 8</run/netns/blue>
        if (const std::size_t lt = s.find('<'); lt != std::string_view::npos && lt > 0 && s.back() == '>' &&
                                                   number(s.substr(0, lt)))
            s = s.substr(0, lt);
        auto v = scalar(s, nested);
        if (!v || width > 8) {
            r_.gap("a value the schema does not name: " + t);
            return;
        }
        put_int(out_, std::uint64_t(*v), width, big);
    }

    void address(int family, const std::string& text, std::size_t width) {
        std::uint8_t buf[16] = {};
        if (::inet_pton(family, text.c_str(), buf) != 1) {
            r_.gap("an address that does not parse: " + text);
            return;
        }
        std::size_t n = family == AF_INET ? 4 : 16;
        out_.insert(out_.end(), buf, buf + std::min(n, width));
    }

    // {name=value, ...} laid out by the schema's struct (or, for a struct the
    // schema lacks, as equal-sized members when the width divides evenly).
    void structure(const Items& items, std::size_t width, const StructSpec* hint, const AttrSpace* nested) {
        const std::size_t start = out_.size();
        auto found = struct_with_members(items, hint);
        if (!found) return elements(items, width, nested);
        out_.resize(start + std::max<std::size_t>(width, found->first->size), 0);
        for (std::size_t i = 0; i < items.size(); ++i) {
            const StructMember& m = *found->second[i];
            std::vector<std::uint8_t> bytes;
            Builder(bytes, r_).value(items[i].second, m.size, nullptr, nullptr, m.field && m.field->big_endian);
            std::copy(bytes.begin(), bytes.end(), out_.begin() + long(start + m.offset));
        }
    }

    // Members or elements strace printed without a layout the schema knows:
    // equal shares of the width (devconf arrays, statistics structs).
    void elements(const Items& items, std::size_t width, const AttrSpace* nested) {
        if (items.empty()) return;
        if (width % items.size() != 0 || width / items.size() > 8) {
            r_.gap("a structure the schema does not describe");
            return;
        }
        for (const auto& [name, v] : items) value(v, width / items.size(), nullptr, nested);
    }

    std::vector<std::uint8_t>& out_;
    Rebuilt& r_;
};

}  // namespace

std::optional<std::int64_t> schema_constant(std::string_view name) { return scalar(name, nullptr); }

void rebuild_body(const std::vector<std::pair<std::string, Value>>& items, std::size_t first,
                  std::uint16_t nlmsg_type, std::uint32_t body_len, std::vector<std::uint8_t>& out, Rebuilt& r) {
    const std::size_t start = out.size();
    Builder(out, r).body(items, first, schema::find_message_type(nlmsg_type));
    if (out.size() - start < body_len) {
        if (!r.partial) r.gap("strace printed fewer bytes than nlmsg_len says");
        out.resize(start + body_len, 0);
    }
}

}  // namespace rtnl::record
