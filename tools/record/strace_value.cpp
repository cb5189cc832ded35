#include "strace_value.hpp"

#include "netlink_rebuild.hpp"
#include "rtnl/errno_names.hpp"

#include <cstring>
#include <map>

namespace rtnl::record {

namespace {

// ---- constants ---------------------------------------------------------------

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
        while (!term.empty() && term.front() == ' ') term.remove_prefix(1);
        while (!term.empty() && term.back() == ' ') term.remove_suffix(1);
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
    bool header_alone = false;
    std::string error;
    uint32_t messages_whole = 0, messages_partial = 0;  // bodies rebuilt from strace's decoding
    std::string partial_why;

    bool fail(std::string why) {
        if (error.empty()) error = std::move(why);
        return false;
    }

    static bool is_header(const Value& v) { return v.kind == Value::Kind::Struct && v.field("nlmsg_len"); }
    static bool is_message(const Value& v) {
        return v.kind == Value::Kind::Array && !v.items.empty() && is_header(v.items[0].second);
    }

    bool header(const Value& h, uint32_t& len, uint16_t* type_out = nullptr) {
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
        if (type_out) *type_out = uint16_t(*t);
        put_u16(out, uint16_t(*f));
        put_u32(out, uint32_t(*s));
        put_u32(out, uint32_t(*p));
        return true;
    }

    // [{header}, body...]
    bool message(const Value& m) {
        size_t start = out.size();
        uint32_t len = 0;
        uint16_t type = 0;
        if (!header(m.items[0].second, len, &type)) return false;
        bool decoded = false;
        Rebuilt rebuilt;
        // An error with ACK TLVs comes as one array, [{error=..., msg=...}, TLVs...]: its items are the body's.
        std::vector<std::pair<std::string, Value>> items(m.items.begin(), m.items.begin() + 1);
        for (size_t i = 1; i < m.items.size(); ++i) {
            const Value& b = m.items[i].second;
            if (b.kind == Value::Kind::Array && !b.items.empty() && b.items[0].second.kind == Value::Kind::Struct &&
                b.items[0].second.field("error"))
                items.insert(items.end(), b.items.begin(), b.items.end());
            else
                items.push_back(m.items[i]);
        }
        for (size_t i = 1; i < items.size(); ++i) {
            const Value& b = items[i].second;
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
                // the family header and attributes, decoded by strace
                size_t used = out.size() - start;
                rebuild_body(items, i, type, len > used ? uint32_t(len - used) : 0, out, rebuilt);
                decoded = true;
                break;
            }
        }
        if (decoded) {
            ++(rebuilt.partial ? messages_partial : messages_whole);
            if (rebuilt.partial && partial_why.empty()) partial_why = rebuilt.why;
        }
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
        case Value::Kind::Struct:
            // a netlink header alone: the buffer's first 16 bytes read as one
            // (a message sent in pieces, tc's tcmsg in its own iovec); what
            // follows them strace does not print
            if (is_header(v)) {
                uint32_t ignored = 0;
                header_alone = true;
                return header(v, ignored);
            }
            return fail("the buffer is not a string strace printed");
        default:
            if (!v.atom.empty() && (v.atom.rfind("0x", 0) == 0 || v.atom == "NULL"))
                return fail("strace printed only the buffer's address");
            return fail("the buffer is not a string strace printed");
        }
    }
};

}  // namespace

std::optional<int64_t> nlmsg_type_value(std::string_view name) { return schema_constant(name); }

std::optional<int64_t> nlm_flag_value(std::string_view name) {
    auto& m = flag_names();
    if (auto it = m.find(name); it != m.end()) return it->second;
    return std::nullopt;
}

std::optional<int64_t> errno_value(std::string_view name) {
    for (const auto& e : all_errnos())
        if (name == e.name) return int64_t(e.number);
    return std::nullopt;
}

TextPayload payload_from_call_text(std::string_view name, const std::vector<std::string>& args,
                                   uint64_t transferred) {
    TextPayload res;
    Encoder enc;

    if (args.size() < 2) {
        res.error = "too few arguments";
        return res;
    }
    auto v = parse_strace_value(args[1]);
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
    res.messages_whole = enc.messages_whole;
    res.messages_partial = enc.messages_partial;
    res.partial_why = std::move(enc.partial_why);
    if (res.bytes.size() > transferred) res.bytes.resize(size_t(transferred));
    res.truncated = enc.truncated || res.bytes.size() < transferred;
    res.header_alone = enc.header_alone;
    return res;
}

}  // namespace rtnl::record
