// Builds netlink messages byte by byte (little-endian, as on x86), for
// variants of the real captured messages: short, exact and long payloads.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace rtnl::test {

// One attribute: header, payload, padding to 4 (for building nests).
inline std::vector<std::uint8_t> nla(std::uint16_t type, const std::vector<std::uint8_t>& payload) {
    const auto len = static_cast<std::uint16_t>(4 + payload.size());
    std::vector<std::uint8_t> out{std::uint8_t(len), std::uint8_t(len >> 8), std::uint8_t(type), std::uint8_t(type >> 8)};
    out.insert(out.end(), payload.begin(), payload.end());
    while (out.size() % 4) out.push_back(0);
    return out;
}

class MessageBuilder {
public:
    MessageBuilder(std::uint16_t type, std::uint16_t flags, std::uint32_t seq = 1, std::uint32_t pid = 0) {
        put32(0);  // nlmsg_len, fixed in bytes()
        put16(type);
        put16(flags);
        put32(seq);
        put32(pid);
    }
    MessageBuilder& raw(std::initializer_list<std::uint8_t> b) {
        data_.insert(data_.end(), b.begin(), b.end());
        return *this;
    }
    MessageBuilder& raw(const std::vector<std::uint8_t>& b) {
        data_.insert(data_.end(), b.begin(), b.end());
        return *this;
    }
    // struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags
    MessageBuilder& rtmsg(std::uint8_t family, std::uint8_t dst_len, std::uint8_t table = 254) {
        return raw({family, dst_len, 0, 0, table, 3, 0, 1, 0, 0, 0, 0});
    }
    MessageBuilder& attr(std::uint16_t type, const std::vector<std::uint8_t>& payload) { return raw(nla(type, payload)); }
    MessageBuilder& attr_u32(std::uint16_t type, std::uint32_t v) {
        return attr(type, {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)});
    }
    std::vector<std::uint8_t> bytes() const {
        auto out = data_;
        const auto n = static_cast<std::uint32_t>(out.size());
        out[0] = std::uint8_t(n);
        out[1] = std::uint8_t(n >> 8);
        out[2] = std::uint8_t(n >> 16);
        out[3] = std::uint8_t(n >> 24);
        return out;
    }

private:
    void put16(std::uint16_t v) { raw({std::uint8_t(v), std::uint8_t(v >> 8)}); }
    void put32(std::uint32_t v) { raw({std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)}); }
    std::vector<std::uint8_t> data_;
};

inline std::vector<std::uint8_t> concat(std::vector<std::uint8_t> a, const std::vector<std::uint8_t>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

}  // namespace rtnl::test
