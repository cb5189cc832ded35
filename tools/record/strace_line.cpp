#include "strace_line.hpp"

#include <array>
#include <cctype>
#include <charconv>

namespace rtnl::record {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t'; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string_view skip_spaces(std::string_view s) {
    size_t i = 0;
    while (i < s.size() && is_space(s[i])) ++i;
    return s.substr(i);
}

// Parses an unsigned decimal number at the start of s; returns digits consumed.
size_t parse_uint(std::string_view s, uint64_t& out) {
    size_t i = 0;
    uint64_t v = 0;
    while (i < s.size() && is_digit(s[i]) && i < 19) v = v * 10 + uint64_t(s[i++] - '0');
    out = v;
    return i;
}

// Fraction digits -> microseconds ("095558" -> 95558, "5" -> 500000, "123456789" -> 123456).
int64_t frac_to_usec(std::string_view digits) {
    int64_t us = 0;
    for (size_t i = 0; i < 6; ++i) us = us * 10 + (i < digits.size() ? digits[i] - '0' : 0);
    return us;
}

// Tries to read a timestamp at the start of s. Forms: "1795485995.095558" (-ttt, -r),
// "16:03:02.123456" (-tt), "16:03:02" (-t). On success advances s past it and the
// following blanks.
std::optional<int64_t> take_timestamp(std::string_view& s, bool& clock, bool& padded) {
    std::string_view t = skip_spaces(s);
    const size_t blanks = s.size() - t.size();
    uint64_t a = 0;
    size_t n = parse_uint(t, a);
    constexpr uint64_t kMaxSeconds = 100000000000;  // year 5138: later is not a time strace printed
    if (n == 0 || n >= t.size() || a > kMaxSeconds) return std::nullopt;
    int64_t usec = 0;
    size_t i = n;
    if (t[i] == ':') {
        uint64_t m = 0, sec = 0;
        size_t n2 = parse_uint(t.substr(i + 1), m);
        if (n2 == 0 || i + 1 + n2 >= t.size() || t[i + 1 + n2] != ':') return std::nullopt;
        i += 1 + n2 + 1;
        size_t n3 = parse_uint(t.substr(i), sec);
        if (n3 == 0) return std::nullopt;
        i += n3;
        usec = int64_t((a * 3600 + m * 60 + sec) * 1000000);
        clock = true;
    } else if (t[i] == '.') {
        usec = int64_t(a) * 1000000;
    } else {
        return std::nullopt;
    }
    if (i < t.size() && t[i] == '.') {
        size_t j = i + 1;
        while (j < t.size() && is_digit(t[j])) ++j;
        if (j == i + 1) return std::nullopt;
        usec += frac_to_usec(t.substr(i + 1, j - i - 1));
        // -r: "%6ld.%06ld" (after "PID " with -f)
        padded = !clock && j - i - 1 == 6 && blanks + n >= 6;
        i = j;
    }
    if (i < t.size() && !is_space(t[i])) return std::nullopt;
    t = skip_spaces(t.substr(i));
    // -r with -t/-tt/-ttt adds the delta: "1795487421.477632 (+     0.001135) socket(..."
    if (starts_with(t, "(+")) {
        size_t close = t.find(')');
        if (close == std::string_view::npos) return std::nullopt;
        t = skip_spaces(t.substr(close + 1));
    }
    s = t;
    return usec;
}

// "[pid 123] " or "[pid  123] " or "123 " (strace -f -o FILE).
std::optional<int> take_pid(std::string_view& s) {
    if (starts_with(s, "[pid")) {
        std::string_view t = skip_spaces(s.substr(4));
        uint64_t v = 0;
        size_t n = parse_uint(t, v);
        if (n == 0 || n >= t.size() || t[n] != ']') return std::nullopt;
        s = t.substr(n + 1);  // the blanks after it tell -r's padding
        return int(v);
    }
    uint64_t v = 0;
    size_t n = parse_uint(s, v);
    if (n == 0 || n >= s.size() || !is_space(s[n])) return std::nullopt;
    s = s.substr(n + 1);  // strace -o pads pids: "%-5d "; the rest of the blanks tell -r's padding
    return int(v);
}

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c) || (c >= 'A' && c <= 'Z'); }

StraceLine garbage(StraceLine l, std::string why) {
    l.kind = LineKind::Garbage;
    l.error = std::move(why);
    return l;
}

StraceLine parse_hexdump(std::string_view s) {
    // " | 00000  30 00 00 00 10 00 05 00  00 00 00 00 00 00 00 00  0............... |"
    StraceLine l;
    l.kind = LineKind::HexDump;
    std::string_view t = s.substr(3);  // after " | "
    size_t i = 0;
    uint64_t off = 0;
    while (i < t.size() && hex_value(t[i]) >= 0 && i < 16) off = off * 16 + uint64_t(hex_value(t[i++]));
    if (i == 0 || i + 2 > t.size() || t[i] != ' ' || t[i + 1] != ' ')
        return garbage(l, "malformed hexdump line (no offset)");
    l.dump_offset = off;
    size_t start = i + 2;
    for (size_t b = 0; b < 16; ++b) {
        size_t p = start + 3 * b + (b >= 8 ? 1 : 0);
        if (p + 1 >= t.size()) break;
        int hi = hex_value(t[p]), lo = hex_value(t[p + 1]);
        if (hi < 0 || lo < 0) break;
        if (p + 2 < t.size() && t[p + 2] != ' ') break;
        l.dump_bytes.push_back(uint8_t(hi * 16 + lo));
    }
    if (l.dump_bytes.empty()) return garbage(l, "malformed hexdump line (no bytes)");
    return l;
}

}  // namespace

std::string_view trim(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && (is_space(s[b]) || s[b] == '\r' || s[b] == '\n')) ++b;
    while (e > b && (is_space(s[e - 1]) || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
    return s.substr(b, e - b);
}

StraceLine parse_strace_line(std::string_view line) {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    StraceLine l;
    if (trim(line).empty()) {
        l.kind = LineKind::Empty;
        return l;
    }
    if (starts_with(line, " | ")) return parse_hexdump(line);
    if (starts_with(line, " * ")) {
        // " * 52 bytes in buffer 0"
        std::string_view t = line.substr(3);
        uint64_t bytes = 0, idx = 0;
        size_t n = parse_uint(t, bytes);
        constexpr std::string_view mid = " bytes in buffer ";
        if (n == 0 || t.substr(n, mid.size()) != mid) return garbage(l, "malformed buffer header");
        t = t.substr(n + mid.size());
        size_t n2 = parse_uint(t, idx);
        if (n2 == 0 || !trim(t.substr(n2)).empty()) return garbage(l, "malformed buffer header");
        l.kind = LineKind::BufferHeader;
        l.buffer_bytes = bytes;
        l.buffer_index = unsigned(idx);
        return l;
    }

    std::string_view s = line;
    // A leading number followed by '.' or ':' is a timestamp, by blanks a pid.
    l.pid = take_pid(s);
    l.ts_usec = take_timestamp(s, l.ts_clock, l.ts_padded);
    s = skip_spaces(s);

    if (starts_with(s, "strace: ") || starts_with(s, "--- ") || starts_with(s, "+++ ") ||
        starts_with(s, "???")) {
        l.kind = LineKind::Ignorable;
        return l;
    }
    if (starts_with(s, "<... ")) {
        std::string_view t = s.substr(5);
        size_t n = 0;
        while (n < t.size() && is_ident_char(t[n])) ++n;
        constexpr std::string_view resumed = " resumed>";
        if (n == 0 || t.substr(n, resumed.size()) != resumed) return garbage(l, "malformed '<... resumed>' line");
        l.kind = LineKind::Resumed;
        l.name = std::string(t.substr(0, n));
        l.text = std::string(t.substr(n + resumed.size()));
        return l;
    }
    size_t n = 0;
    if (!s.empty() && is_ident_start(s[0]))
        while (n < s.size() && is_ident_char(s[n])) ++n;
    if (n == 0 || n >= s.size() || s[n] != '(') return garbage(l, "not an strace line");
    l.name = std::string(s.substr(0, n));
    std::string_view rest = s.substr(n + 1);
    constexpr std::string_view unfinished = "<unfinished ...>";
    std::string_view tr = trim(rest);
    if (tr.size() >= unfinished.size() && tr.substr(tr.size() - unfinished.size()) == unfinished) {
        l.kind = LineKind::Unfinished;
        std::string_view head = tr.substr(0, tr.size() - unfinished.size());
        // strace writes "name(arg, " + " <unfinished ...>": keep the args, drop the blank(s)
        while (!head.empty() && is_space(head.back())) head.remove_suffix(1);
        l.text = std::string(head);
        if (!head.empty() && head.back() == ',') l.text += ' ';
        return l;
    }
    l.kind = LineKind::Syscall;
    l.text = std::string(rest);
    return l;
}

CallResult parse_call_text(std::string_view text) {
    CallResult r;
    int depth = 0;
    size_t arg_start = 0;
    size_t close = std::string_view::npos;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '"') {
            for (++i; i < text.size() && text[i] != '"'; ++i)
                if (text[i] == '\\') ++i;
            continue;
        }
        if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            size_t e = text.find("*/", i + 2);
            if (e == std::string_view::npos) break;
            i = e + 1;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            ++depth;
        } else if (c == ']' || c == '}') {
            if (depth > 0) --depth;
        } else if (c == ')') {
            if (depth == 0) {
                close = i;
                break;
            }
            --depth;
        } else if (c == ',' && depth == 0) {
            r.args.emplace_back(trim(text.substr(arg_start, i - arg_start)));
            arg_start = i + 1;
        }
    }
    if (close == std::string_view::npos) {
        r.error = "unbalanced syscall arguments (truncated line?)";
        return r;
    }
    std::string_view last = trim(text.substr(arg_start, close - arg_start));
    if (!last.empty() || !r.args.empty()) r.args.emplace_back(last);

    std::string_view rest = skip_spaces(text.substr(close + 1));
    if (rest.empty() || rest[0] != '=') {
        r.error = "no '= result' after the syscall arguments";
        return r;
    }
    rest = skip_spaces(rest.substr(1));
    if (starts_with(rest, "?")) {
        rest = skip_spaces(rest.substr(1));
    } else {
        bool neg = false;
        if (!rest.empty() && rest[0] == '-') {
            neg = true;
            rest.remove_prefix(1);
        }
        uint64_t v = 0;
        size_t n = 0;
        if (starts_with(rest, "0x")) {
            auto res = std::from_chars(rest.data() + 2, rest.data() + rest.size(), v, 16);
            n = size_t(res.ptr - rest.data());
            if (n == 2) n = 0;
        } else {
            auto res = std::from_chars(rest.data(), rest.data() + rest.size(), v, 10);
            n = size_t(res.ptr - rest.data());
        }
        if (n == 0) {
            r.error = "unreadable syscall result";
            return r;
        }
        r.ret = neg ? -int64_t(v) : int64_t(v);
        rest = skip_spaces(rest.substr(n));
    }
    if (!rest.empty() && rest[0] == 'E') {
        size_t e = 0;
        while (e < rest.size() && (std::isupper(static_cast<unsigned char>(rest[e])) || is_digit(rest[e]) || rest[e] == '_')) ++e;
        r.err_name = std::string(rest.substr(0, e));
    }
    // -T: the call's duration, last on the line: " <0.000123>"
    if (size_t lt = rest.rfind('<'); lt != std::string_view::npos && trim(rest).ends_with('>')) {
        std::string_view d = rest.substr(lt + 1);
        uint64_t sec = 0;
        size_t n = parse_uint(d, sec);
        if (n > 0 && n < d.size() && d[n] == '.') {
            size_t j = n + 1;
            while (j < d.size() && is_digit(d[j])) ++j;
            if (j < d.size() && d[j] == '>' && sec < 100000000000) r.duration_usec = int64_t(sec) * 1000000 + frac_to_usec(d.substr(n + 1, j - n - 1));
        }
    }
    r.ok = true;
    return r;
}

std::optional<int> parse_fd_arg(std::string_view arg) {
    arg = trim(arg);
    uint64_t v = 0;
    size_t n = parse_uint(arg, v);
    if (n == 0 || v > 0x7fffffff) return std::nullopt;
    if (n < arg.size() && arg[n] != '<') return std::nullopt;
    return int(v);
}

std::optional<uint16_t> parse_fd_netlink_family(std::string_view arg) {
    size_t p = arg.find("<NETLINK:[");
    if (p == std::string_view::npos) return std::nullopt;
    std::string_view t = arg.substr(p + 10);
    size_t e = t.find(':');
    if (e == std::string_view::npos) return std::nullopt;  // "3<NETLINK:[8625]>": inode only
    return netlink_family_from_name(t.substr(0, e));
}

std::optional<uint32_t> parse_fd_netlink_port(std::string_view arg) {
    size_t p = arg.find("<NETLINK:[");
    if (p == std::string_view::npos) return std::nullopt;
    std::string_view t = arg.substr(p + 10);
    size_t colon = t.find(':'), close = t.find(']');
    if (colon == std::string_view::npos || close == std::string_view::npos || colon > close) return std::nullopt;
    uint64_t v = 0;
    std::string_view digits = t.substr(colon + 1, close - colon - 1);
    if (parse_uint(digits, v) != digits.size() || digits.empty() || v > 0xffffffffu) return std::nullopt;
    return uint32_t(v);
}

namespace {
constexpr std::array<const char*, 24> kFamilies = {
    "NETLINK_ROUTE",     "NETLINK_UNUSED",        "NETLINK_USERSOCK",       "NETLINK_FIREWALL",
    "NETLINK_SOCK_DIAG", "NETLINK_NFLOG",         "NETLINK_XFRM",           "NETLINK_SELINUX",
    "NETLINK_ISCSI",     "NETLINK_AUDIT",         "NETLINK_FIB_LOOKUP",     "NETLINK_CONNECTOR",
    "NETLINK_NETFILTER", "NETLINK_IP6_FW",        "NETLINK_DNRTMSG",        "NETLINK_KOBJECT_UEVENT",
    "NETLINK_GENERIC",   nullptr,                 "NETLINK_SCSITRANSPORT",  "NETLINK_ECRYPTFS",
    "NETLINK_RDMA",      "NETLINK_CRYPTO",        "NETLINK_SMC",            nullptr,
};
}  // namespace

const char* netlink_family_name(uint16_t family) {
    return family < kFamilies.size() ? kFamilies[family] : nullptr;
}

std::optional<uint16_t> netlink_family_from_name(std::string_view s) {
    s = trim(s);
    if (s.empty()) return std::nullopt;
    if (is_digit(s[0])) {
        uint64_t v = 0;
        auto base = starts_with(s, "0x") ? 16 : 10;
        auto first = s.data() + (base == 16 ? 2 : 0);
        auto res = std::from_chars(first, s.data() + s.size(), v, base);
        if (res.ptr == first || v > 0xffff) return std::nullopt;
        return uint16_t(v);
    }
    std::string name(s);
    if (!starts_with(name, "NETLINK_")) name = "NETLINK_" + name;
    if (name == "NETLINK_INET_DIAG") return uint16_t(4);
    for (size_t i = 0; i < kFamilies.size(); ++i)
        if (kFamilies[i] && name == kFamilies[i]) return uint16_t(i);
    return std::nullopt;
}

}  // namespace rtnl::record
