#include "strace_syntax.hpp"

#include <cstddef>

namespace rtnl::record {

namespace {

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
            skip();
            // an array element with a designator: [IPV4_DEVCONF_FORWARDING-1]=0
            if (!named && item->kind == Value::Kind::Array && p_ < s_.size() && s_[p_] == '=') {
                ++p_;
                auto designated = value();
                if (!designated) return std::nullopt;
                item = std::move(designated);
                skip();
            }
            v.items.emplace_back(std::move(name), std::move(*item));
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

}  // namespace

std::optional<std::vector<std::uint8_t>> decode_strace_string(std::string_view t, std::size_t& consumed) {
    if (t.empty() || t[0] != '"') return std::nullopt;
    std::vector<std::uint8_t> out;
    std::size_t i = 1;
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
            out.push_back(std::uint8_t(c));
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
            out.push_back(std::uint8_t(v));
            break;
        }
        default:
            if (e >= '0' && e <= '7') {  // \0, \177: up to three octal digits
                int v = e - '0', n = 1;
                while (n < 3 && i < t.size() && t[i] >= '0' && t[i] <= '7') v = v * 8 + (t[i++] - '0'), ++n;
                out.push_back(std::uint8_t(v));
            } else {
                return std::nullopt;
            }
        }
    }
    return std::nullopt;  // no closing quote
}

Value::Value() = default;
Value::Value(const Value&) = default;
Value::Value(Value&&) noexcept = default;
Value& Value::operator=(const Value&) = default;
Value& Value::operator=(Value&&) noexcept = default;
Value::~Value() = default;

const Value* Value::field(std::string_view name) const {
    for (auto& [n, v] : items)
        if (n == name) return &v;
    return nullptr;
}

std::optional<Value> parse_strace_value(std::string_view text) {
    Parser p(text);
    auto v = p.value();
    if (!v || !p.at_end()) return std::nullopt;
    return v;
}

}  // namespace rtnl::record
