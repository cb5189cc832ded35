#include "rtnl/value_text.hpp"

#include <charconv>
#include <iterator>
#include <limits>

namespace rtnl {

namespace {
constexpr char kHex[] = "0123456789abcdef";

// By pointer and length: string's append of an iterator range goes through
// its general replace, several times the cost for a few characters.
void append_chars(std::string& out, const char* begin, const char* end) {
    out.append(begin, static_cast<std::size_t>(end - begin));
}

char* put_decimal_octet(char* p, std::uint8_t v) {
    if (v >= 100) *p++ = static_cast<char>('0' + v / 100);
    if (v >= 10) *p++ = static_cast<char>('0' + v / 10 % 10);
    *p++ = static_cast<char>('0' + v % 10);
    return p;
}

char* put_ipv4(char* p, const std::uint8_t* b) {
    for (int i = 0; i < 4; ++i) {
        if (i) *p++ = '.';
        p = put_decimal_octet(p, b[i]);
    }
    return p;
}
}  // namespace

void append_ipv4(std::string& out, std::span<const std::uint8_t, 4> address) {
    char buf[16];
    append_chars(out, buf, put_ipv4(buf, address.data()));
}

void append_ipv6(std::string& out, std::span<const std::uint8_t, 16> address) {
    const std::uint8_t* b = address.data();
    unsigned words[8];
    for (int i = 0; i < 8; ++i) words[i] = (unsigned{b[2 * i]} << 8) | b[2 * i + 1];
    // The longest run of zero words (at least two) becomes "::".
    int best = -1, best_len = 0, cur = -1, cur_len = 0;
    for (int i = 0; i <= 8; ++i) {
        if (i < 8 && words[i] == 0) {
            if (cur < 0) cur = i, cur_len = 0;
            ++cur_len;
        } else if (cur >= 0) {
            if (best < 0 || cur_len > best_len) best = cur, best_len = cur_len;
            cur = -1;
        }
    }
    if (best_len < 2) best = -1;
    char buf[48];
    char* p = buf;
    for (int i = 0; i < 8; ++i) {
        if (best >= 0 && i >= best && i < best + best_len) {
            if (i == best) *p++ = ':';
            continue;
        }
        if (i) *p++ = ':';
        if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
            p = put_ipv4(p, b + 12);  // IPv4-compatible or IPv4-mapped
            append_chars(out, buf, p);
            return;
        }
        p = std::to_chars(p, buf + sizeof buf, words[i], 16).ptr;
    }
    if (best >= 0 && best + best_len == 8) *p++ = ':';
    append_chars(out, buf, p);
}

void append_hex_bytes(std::string& out, std::span<const std::uint8_t> bytes) {
    const std::size_t at = out.size();
    if (bytes.empty()) return;
    out.resize(at + bytes.size() * 3 - 1);
    char* p = out.data() + at;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i) *p++ = ':';
        *p++ = kHex[bytes[i] >> 4];
        *p++ = kHex[bytes[i] & 0xf];
    }
}

void append_hex(std::string& out, std::uint64_t v, std::size_t min_digits) {
    char buf[16];
    char* end = std::to_chars(buf, buf + sizeof buf, v, 16).ptr;
    out += "0x";
    for (std::size_t n = static_cast<std::size_t>(end - buf); n < min_digits; ++n) out += '0';
    append_chars(out, buf, end);
}

void append_decimal(std::string& out, std::uint64_t v) {
    char buf[24];
    append_chars(out, buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void append_decimal(std::string& out, std::int64_t v) {
    char buf[24];
    append_chars(out, buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

std::string& append_value(std::string& out, const Value& v) {
    switch (v.tag) {
    case Value::Tag::Unsigned:
        append_decimal(out, v.u);
        break;
    case Value::Tag::Signed:
        append_decimal(out, v.s);
        break;
    case Value::Tag::String:
        out.append(v.str);
        break;
    case Value::Tag::Ipv4:
        if (v.bytes.size() == 4) append_ipv4(out, v.bytes.first<4>());
        break;
    case Value::Tag::Ipv6:
        if (v.bytes.size() == 16) append_ipv6(out, v.bytes.first<16>());
        break;
    case Value::Tag::Mac:
    case Value::Tag::Bytes:
        append_hex_bytes(out, v.bytes);
        break;
    case Value::Tag::None:
        break;
    }
    return out;
}

std::string format_value(const Value& v) {
    std::string out;
    append_value(out, v);
    return out;
}

std::string format_rate(std::uint64_t bytes_per_second) {
    static constexpr const char* kUnits[] = {"bit", "Kbit", "Mbit", "Gbit", "Tbit"};
    // bytes * 8 would overflow past 2^61 bytes/s: start in Kbit (bytes / 125) there
    const bool huge = bytes_per_second > std::numeric_limits<std::uint64_t>::max() / 8;
    std::uint64_t v = huge ? bytes_per_second / 125 : bytes_per_second * 8;
    std::size_t unit = huge ? 1 : 0;
    while (unit + 1 < std::size(kUnits) && v >= 1000 && (v % 1000 == 0 || v >= 1000 * 1000)) {
        v /= 1000;
        ++unit;
    }
    std::string out;
    append_decimal(out, v);
    return out += kUnits[unit];
}

}  // namespace rtnl
