#include "strace_value.hpp"

#include <cstring>
#include <map>
#include <string.h>

#include "rtnl/netlink.hpp"
#include "rtnl/schema.hpp"

namespace rtnl::record {

namespace {

// ---- a small parser of strace's value syntax ------------------------------

struct Value {
    enum class Kind { String, Array, Struct, Atom } kind = Kind::Atom;
    std::vector<uint8_t> str;  // String
    bool str_truncated = false;
    std::vector<std::pair<std::string, Value>> items;  // Array (names empty), Struct
    std::string atom;                                   // Atom, comments removed

    const Value* field(std::string_view name) const {
        for (auto& [n, v] : items)
            if (n == name) return &v;
        return nullptr;
    }
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_ident(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

class Parser {
public:
    explicit Parser(std::string_view s) : s_(s) {}

    std::optional<Value> value() {
        skip();
        if (p_ >= s_.size()) return std::nullopt;
        char c = s_[p_];
        if (c == '"') return string_value();
        if (c == '[') return list('[', ']', false);
        if (c == '{') return list('{', '}', true);
        return atom();
    }
    bool at_end() {
        skip();
        return p_ >= s_.size();
    }

private:
    void skip() {
        for (;;) {
            while (p_ < s_.size() && is_space(s_[p_])) ++p_;
            if (s_.substr(p_, 2) == "/*") {
                size_t e = s_.find("*/", p_ + 2);
                p_ = e == std::string_view::npos ? s_.size() : e + 2;
                continue;
            }
            return;
        }
    }

    std::optional<Value> string_value() {
        size_t used = 0;
        auto bytes = decode_strace_string(s_.substr(p_), used);
        if (!bytes) return std::nullopt;
        p_ += used;
        Value v;
        v.kind = Value::Kind::String;
        v.str = std::move(*bytes);
        if (s_.substr(p_, 3) == "...") {
            v.str_truncated = true;
            p_ += 3;
        }
        return v;
    }

    // [a, b, ...] or {name=value, value, name(12)=value, ...}
    std::optional<Value> list(char open, char close, bool named) {
        Value v;
        v.kind = named ? Value::Kind::Struct : Value::Kind::Array;
        ++p_;  // open
        (void)open;
        skip();
        if (p_ < s_.size() && s_[p_] == close) {
            ++p_;
            return v;
        }
        for (;;) {
            skip();
            std::string name;
            if (named) {
                size_t q = p_;
                while (q < s_.size() && is_ident(s_[q])) ++q;
                size_t name_end = q;
                if (q > p_ && q < s_.size() && s_[q] == '(') {  // msg_iov(1)=
                    size_t r = q + 1;
                    while (r < s_.size() && s_[r] >= '0' && s_[r] <= '9') ++r;
                    if (r < s_.size() && s_[r] == ')') q = r + 1;
                }
                if (name_end > p_ && q < s_.size() && s_[q] == '=') {
                    name = std::string(s_.substr(p_, name_end - p_));
                    p_ = q + 1;
                }
            }
            auto item = value();
            if (!item) return std::nullopt;
            v.items.emplace_back(std::move(name), std::move(*item));
            skip();
            if (p_ >= s_.size()) return std::nullopt;
            if (s_[p_] == ',') {
                ++p_;
                continue;
            }
            if (s_[p_] == close) {
                ++p_;
                return v;
            }
            return std::nullopt;
        }
    }

    // Anything else up to the next top-level , ] } or ): numbers, flag sets,
    // if_nametoindex("lo"), inet_addr("..."), 0x7ffe... addresses, "...".
    std::optional<Value> atom() {
        Value v;
        int depth = 0;
        size_t start = p_;
        std::string text;
        while (p_ < s_.size()) {
            char c = s_[p_];
            if (c == '"') {
                size_t used = 0;
                if (!decode_strace_string(s_.substr(p_), used)) return std::nullopt;
                text.append(s_.substr(p_, used));
                p_ += used;
                continue;
            }
            if (s_.substr(p_, 2) == "/*") {
                size_t e = s_.find("*/", p_ + 2);
                p_ = e == std::string_view::npos ? s_.size() : e + 2;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') ++depth;
            if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) break;
                --depth;
            }
            if (c == ',' && depth == 0) break;
            text += c;
            ++p_;
        }
        if (p_ == start) return std::nullopt;
        while (!text.empty() && is_space(text.back())) text.pop_back();
        v.atom = std::move(text);
        return v;
    }

    std::string_view s_;
    size_t p_ = 0;
};

// ---- constants ---------------------------------------------------------------

// Message type names as strace prints them: the schema's, and NLMSG_*.
const std::map<std::string_view, int64_t>& type_names() {
    static const auto m = [] {
        std::map<std::string_view, int64_t> names;
        for (const std::uint16_t t : {rtnl::nl::NLMSG_NOOP, rtnl::nl::NLMSG_ERROR, rtnl::nl::NLMSG_DONE,
                                      rtnl::nl::NLMSG_OVERRUN})
            names.emplace(rtnl::nl::message_type_name(t), t);
        for (const rtnl::MessageTypeSpec& spec : rtnl::schema::message_types()) names.emplace(spec.name, spec.type);
        return names;
    }();
    return m;
}

const std::map<std::string_view, int64_t>& flag_names() {
    static const std::map<std::string_view, int64_t> m = {
        {"NLM_F_REQUEST", 0x1},   {"NLM_F_MULTI", 0x2},        {"NLM_F_ACK", 0x4},
        {"NLM_F_ECHO", 0x8},      {"NLM_F_DUMP_INTR", 0x10},   {"NLM_F_DUMP_FILTERED", 0x20},
        {"NLM_F_ROOT", 0x100},    {"NLM_F_MATCH", 0x200},      {"NLM_F_ATOMIC", 0x400},
        {"NLM_F_DUMP", 0x300},    {"NLM_F_REPLACE", 0x100},    {"NLM_F_EXCL", 0x200},
        {"NLM_F_CREATE", 0x400},  {"NLM_F_APPEND", 0x800},     {"NLM_F_NONREC", 0x100},
        {"NLM_F_BULK", 0x200},    {"NLM_F_CAPPED", 0x100},     {"NLM_F_ACK_TLVS", 0x200},
    };
    return m;
}

std::optional<int64_t> parse_number(std::string_view t) {
    bool neg = false;
    if (!t.empty() && t[0] == '-') {
        neg = true;
        t.remove_prefix(1);
    }
    if (t.empty()) return std::nullopt;
    int base = 10;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        base = 16;
        t.remove_prefix(2);
    } else if (t.size() > 1 && t[0] == '0') {
        base = 8;
        t.remove_prefix(1);
    }
    uint64_t v = 0;
    for (char c : t) {
        int d = (c >= '0' && c <= '9') ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : 99;
        if (d >= base) return std::nullopt;
        v = v * uint64_t(base) + uint64_t(d);
        if (v > 0xffffffffffffULL) return std::nullopt;
    }
    return neg ? -int64_t(v) : int64_t(v);
}

// "NLM_F_REQUEST|NLM_F_ACK|0x1000", "0x19", "-ENODEV", "1795483983"
template <typename Lookup>
std::optional<int64_t> eval_atom(std::string_view text, Lookup lookup) {
    int64_t acc = 0;
    size_t start = 0;
    bool any = false;
    while (start <= text.size()) {
        size_t bar = text.find('|', start);
        if (bar == std::string_view::npos) bar = text.size();
        std::string_view term = text.substr(start, bar - start);
        while (!term.empty() && is_space(term.front())) term.remove_prefix(1);
        while (!term.empty() && is_space(term.back())) term.remove_suffix(1);
        if (term.empty()) return std::nullopt;
        std::optional<int64_t> v = parse_number(term);
        if (!v) {
            bool neg = term[0] == '-';
            v = lookup(neg ? term.substr(1) : term);
            if (!v) return std::nullopt;
            if (neg) v = -*v;
        }
        acc |= *v;
        any = true;
        start = bar + 1;
    }
    if (!any) return std::nullopt;
    return acc;
}

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}
void put_u16(std::vector<uint8_t>& out, uint16_t v) {
    out.push_back(uint8_t(v));
    out.push_back(uint8_t(v >> 8));
}

struct Encoder {
    std::vector<uint8_t> out;
    bool truncated = false;
    std::string error;

    bool fail(std::string why) {
        if (error.empty()) error = std::move(why);
        return false;
    }

    static bool is_header(const Value& v) { return v.kind == Value::Kind::Struct && v.field("nlmsg_len"); }
    static bool is_message(const Value& v) {
        return v.kind == Value::Kind::Array && !v.items.empty() && is_header(v.items[0].second);
    }

    bool header(const Value& h, uint32_t& len) {
        auto get = [&](const char* name, auto lookup) -> std::optional<int64_t> {
            const Value* f = h.field(name);
            if (!f || f->kind != Value::Kind::Atom) return std::nullopt;
            return eval_atom(f->atom, lookup);
        };
        auto none = [](std::string_view) -> std::optional<int64_t> { return std::nullopt; };
        auto l = get("nlmsg_len", none);
        auto t = get("nlmsg_type", nlmsg_type_value);
        auto f = get("nlmsg_flags", nlm_flag_value);
        auto s = get("nlmsg_seq", none);
        auto p = get("nlmsg_pid", none);
        if (!l || !t || !f || !s || !p) {
            const Value* tv = h.field("nlmsg_type");
            if (!t && tv) return fail("unknown netlink message type '" + tv->atom + "' in strace's decoding");
            return fail("unreadable netlink header in strace's decoding");
        }
        len = uint32_t(*l);
        put_u32(out, len);
        put_u16(out, uint16_t(*t));
        put_u16(out, uint16_t(*f));
        put_u32(out, uint32_t(*s));
        put_u32(out, uint32_t(*p));
        return true;
    }

    // [{header}, body...]
    bool message(const Value& m) {
        size_t start = out.size();
        uint32_t len = 0;
        if (!header(m.items[0].second, len)) return false;
        for (size_t i = 1; i < m.items.size(); ++i) {
            const Value& b = m.items[i].second;
            if (b.kind == Value::Kind::String) {
                out.insert(out.end(), b.str.begin(), b.str.end());
                if (b.str_truncated) truncated = true;
            } else if (b.kind == Value::Kind::Atom && b.atom != "...") {
                auto v = eval_atom(b.atom, [](std::string_view) -> std::optional<int64_t> { return std::nullopt; });
                if (!v) return fail("unreadable value '" + b.atom + "' in a netlink message");
                put_u32(out, uint32_t(*v));  // NLMSG_DONE's int status
            } else if (b.kind == Value::Kind::Struct && b.field("error")) {
                const Value* e = b.field("error");
                auto ev = e->kind == Value::Kind::Atom ? eval_atom(e->atom, errno_value) : std::nullopt;
                if (!ev) return fail("unreadable NLMSG_ERROR error value");
                put_u32(out, uint32_t(int32_t(*ev)));
                if (const Value* echoed = b.field("msg")) {
                    if (is_header(*echoed)) {
                        uint32_t ignored = 0;
                        if (!header(*echoed, ignored)) return false;
                    } else if (is_message(*echoed)) {
                        if (!message(*echoed)) return false;
                    } else if (echoed->kind == Value::Kind::String) {
                        out.insert(out.end(), echoed->str.begin(), echoed->str.end());
                        if (echoed->str_truncated) truncated = true;
                    } else {
                        return fail("strace decoded the echoed request of an NLMSG_ERROR");
                    }
                }
            } else {
                return fail("strace decoded this netlink message's body; its bytes cannot be recovered "
                            "(record with -e write=all -e read=all for hexdumps)");
            }
        }
        (void)start;
        return true;
    }

    // The value of a buffer: a string, one message, or an array of messages.
    bool buffer(const Value& v) {
        switch (v.kind) {
        case Value::Kind::String:
            out.insert(out.end(), v.str.begin(), v.str.end());
            if (v.str_truncated) truncated = true;
            return true;
        case Value::Kind::Array:
            if (is_message(v)) return message(v);
            for (size_t i = 0; i < v.items.size(); ++i) {
                const Value& m = v.items[i].second;
                if (m.kind == Value::Kind::Atom && m.atom == "...") {
                    truncated = true;  // strace elided the rest of the array
                    return true;
                }
                if (is_header(m)) {
                    // a header strace stopped at (nlmsg_len 0: the zeros after the last message)
                    uint32_t ignored = 0;
                    if (!header(m, ignored)) return false;
                    truncated = true;  // what follows it is not shown
                    return true;
                }
                if (!is_message(m)) return fail("an array that is not netlink messages");
                size_t start = out.size();
                if (!message(m)) return false;
                // align to the next message, as the kernel lays them out
                uint32_t len = uint32_t(out[start]) | uint32_t(out[start + 1]) << 8 | uint32_t(out[start + 2]) << 16 |
                               uint32_t(out[start + 3]) << 24;
                if (i + 1 < v.items.size() && out.size() - start >= len)
                    while ((out.size() - start) % 4) out.push_back(0);
            }
            return true;
        default:
            if (!v.atom.empty() && (v.atom.rfind("0x", 0) == 0 || v.atom == "NULL"))
                return fail("strace printed only the buffer's address");
            return fail("the buffer is not a string strace printed");
        }
    }
};

}  // namespace

std::optional<std::vector<uint8_t>> decode_strace_string(std::string_view t, size_t& consumed) {
    if (t.empty() || t[0] != '"') return std::nullopt;
    std::vector<uint8_t> out;
    size_t i = 1;
    auto hexv = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    while (i < t.size()) {
        char c = t[i];
        if (c == '"') {
            consumed = i + 1;
            return out;
        }
        if (c != '\\') {
            out.push_back(uint8_t(c));
            ++i;
            continue;
        }
        if (i + 1 >= t.size()) return std::nullopt;
        char e = t[i + 1];
        i += 2;
        switch (e) {
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case 'r': out.push_back('\r'); break;
        case 'v': out.push_back('\v'); break;
        case 'f': out.push_back('\f'); break;
        case 'a': out.push_back('\a'); break;
        case 'b': out.push_back('\b'); break;
        case 'e': out.push_back(0x1b); break;
        case '\\': out.push_back('\\'); break;
        case '"': out.push_back('"'); break;
        case '\'': out.push_back('\''); break;
        case 'x': {
            int v = 0, n = 0;
            while (n < 2 && i < t.size() && hexv(t[i]) >= 0) v = v * 16 + hexv(t[i++]), ++n;
            if (n == 0) return std::nullopt;
            out.push_back(uint8_t(v));
            break;
        }
        default:
            if (e >= '0' && e <= '7') {  // \0, \177: up to three octal digits
                int v = e - '0', n = 1;
                while (n < 3 && i < t.size() && t[i] >= '0' && t[i] <= '7') v = v * 8 + (t[i++] - '0'), ++n;
                out.push_back(uint8_t(v));
            } else {
                return std::nullopt;
            }
        }
    }
    return std::nullopt;  // no closing quote
}

std::optional<int64_t> nlmsg_type_value(std::string_view name) {
    auto& m = type_names();
    if (auto it = m.find(name); it != m.end()) return it->second;
    return std::nullopt;
}

std::optional<int64_t> nlm_flag_value(std::string_view name) {
    auto& m = flag_names();
    if (auto it = m.find(name); it != m.end()) return it->second;
    return std::nullopt;
}

std::optional<int64_t> errno_value(std::string_view name) {
    static const std::map<std::string, int64_t, std::less<>> m = [] {
        std::map<std::string, int64_t, std::less<>> r;
        for (int e = 1; e < 200; ++e)
            if (const char* n = strerrorname_np(e)) r.emplace(n, e);
        // kernel-internal codes strace names
        r.emplace("ERESTARTSYS", 512);
        r.emplace("ERESTARTNOINTR", 513);
        r.emplace("ENOTSUPP", 524);
        return r;
    }();
    if (auto it = m.find(name); it != m.end()) return it->second;
    return std::nullopt;
}

TextPayload payload_from_call_text(std::string_view name, const std::vector<std::string>& args,
                                   uint64_t transferred) {
    TextPayload res;
    Encoder enc;
    auto parse = [&](std::string_view text) -> std::optional<Value> {
        Parser p(text);
        auto v = p.value();
        if (!v || !p.at_end()) return std::nullopt;
        return v;
    };
    if (args.size() < 2) {
        res.error = "too few arguments";
        return res;
    }
    auto v = parse(args[1]);
    if (!v) {
        res.error = "unreadable buffer argument";
        return res;
    }
    const Value* iovs = nullptr;
    if (name == "sendmsg" || name == "recvmsg") {
        if (v->kind != Value::Kind::Struct || !(iovs = v->field("msg_iov"))) {
            res.error = "strace printed only the message header's address";
            return res;
        }
    } else if (name == "writev" || name == "readv") {
        iovs = &*v;
    }
    if (!iovs) {
        enc.buffer(*v);
    } else if (iovs->kind != Value::Kind::Array) {
        enc.fail("unreadable msg_iov");
    } else {
        for (auto& [n, iov] : iovs->items) {
            if (enc.out.size() >= transferred) break;
            if (iov.kind == Value::Kind::Atom && iov.atom == "...") {
                enc.truncated = true;
                break;
            }
            if (iov.kind != Value::Kind::Struct) {
                enc.fail("unreadable iovec");
                break;
            }
            // {iov_base=X, iov_len=N} (strace >= 4.13) or {X, N}
            const Value* base = iov.field("iov_base");
            const Value* len = iov.field("iov_len");
            if (!base && iov.items.size() == 2) {
                base = &iov.items[0].second;
                len = &iov.items[1].second;
            }
            if (!base || !len) {
                enc.fail("unreadable iovec");
                break;
            }
            auto iov_len = len->kind == Value::Kind::Atom ? parse_number(len->atom) : std::nullopt;
            size_t before = enc.out.size();
            bool was_truncated = enc.truncated;
            if (!enc.buffer(*base)) break;
            size_t got = enc.out.size() - before;
            // a buffer shown short (-s limit) leaves a gap: what follows cannot be placed
            if (enc.truncated && !was_truncated) break;
            if (iov_len && got < uint64_t(*iov_len) && enc.out.size() < transferred) {
                enc.truncated = true;
                break;
            }
        }
    }
    if (!enc.error.empty()) {
        res.error = enc.error;
        return res;
    }
    res.bytes = std::move(enc.out);
    if (res.bytes.size() > transferred) res.bytes.resize(size_t(transferred));
    res.truncated = enc.truncated || res.bytes.size() < transferred;
    return res;
}

}  // namespace rtnl::record
