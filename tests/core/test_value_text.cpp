// The hand-written address and byte formatters must write exactly what
// glibc's inet_ntop writes (users' filters and our tests compare the text).
#include <arpa/inet.h>

#include <array>
#include "catch.hpp"
#include <cstdint>
#include <random>
#include <string>

#include "rtnl/value_text.hpp"

using namespace rtnl;

namespace {
std::string ours6(const std::array<std::uint8_t, 16>& a) {
    std::string s;
    append_ipv6(s, std::span<const std::uint8_t, 16>(a));
    return s;
}
std::string glibc6(const std::array<std::uint8_t, 16>& a) {
    char buf[INET6_ADDRSTRLEN];
    return inet_ntop(AF_INET6, a.data(), buf, sizeof buf);
}
std::array<std::uint8_t, 16> from_words(std::array<std::uint16_t, 8> w) {
    std::array<std::uint8_t, 16> a{};
    for (int i = 0; i < 8; ++i) {
        a[2 * i] = static_cast<std::uint8_t>(w[i] >> 8);
        a[2 * i + 1] = static_cast<std::uint8_t>(w[i]);
    }
    return a;
}
}  // namespace

TEST_CASE("IPv6 text: the forms of RFC 5952 and glibc's embedded IPv4") {
    CHECK(ours6(from_words({0, 0, 0, 0, 0, 0, 0, 0})) == "::");
    CHECK(ours6(from_words({0, 0, 0, 0, 0, 0, 0, 1})) == "::1");
    CHECK(ours6(from_words({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1})) == "2001:db8::1");
    CHECK(ours6(from_words({0x2001, 0xdb8, 0, 1, 0, 0, 0, 1})) == "2001:db8:0:1::1");
    CHECK(ours6(from_words({0x2001, 0, 0, 1, 0, 0, 1, 1})) == "2001::1:0:0:1:1");  // first of equal runs
    CHECK(ours6(from_words({0xfe80, 0, 0, 0, 0, 0, 0, 0})) == "fe80::");
    CHECK(ours6(from_words({0x2001, 0xdb8, 1, 2, 3, 4, 5, 0})) == "2001:db8:1:2:3:4:5:0");  // one zero: no ::
    CHECK(ours6(from_words({0, 0, 0, 0, 0, 0xffff, 0x0a09, 0x0001})) == "::ffff:10.9.0.1");
    CHECK(ours6(from_words({0, 0, 0, 0, 0, 0, 0x0a09, 0x0001})) == "::10.9.0.1");
}

TEST_CASE("IPv6 text equals inet_ntop on a million addresses rich in zero words") {
    std::mt19937_64 rng(20261124);
    std::array<std::uint16_t, 8> w{};
    for (int n = 0; n < 1000000; ++n) {
        const std::uint64_t r = rng();
        for (int i = 0; i < 8; ++i) {
            // Each word: zero half the time, 0xffff sometimes, else random.
            const unsigned pick = (r >> (i * 4)) & 0xf;
            w[i] = pick < 8 ? 0 : pick == 8 ? 0xffff : static_cast<std::uint16_t>(rng() >> (pick * 3));
        }
        const auto a = from_words(w);
        if (ours6(a) != glibc6(a)) {
            INFO(glibc6(a));
            CHECK(ours6(a) == glibc6(a));
            break;
        }
    }
}

TEST_CASE("IPv4 text equals inet_ntop for every octet value") {
    for (unsigned v = 0; v < 256; ++v) {
        const std::array<std::uint8_t, 4> a{static_cast<std::uint8_t>(v), 0, static_cast<std::uint8_t>(255 - v),
                                            static_cast<std::uint8_t>(v * 7)};
        char buf[INET_ADDRSTRLEN];
        std::string s;
        append_ipv4(s, std::span<const std::uint8_t, 4>(a));
        REQUIRE(s == inet_ntop(AF_INET, a.data(), buf, sizeof buf));
    }
}

TEST_CASE("Values append to what is already there") {
    const std::uint8_t mac[] = {0x02, 0xab, 0x00, 0x10, 0xff, 0x01};
    Value v;
    v.tag = Value::Tag::Mac;
    v.bytes = mac;
    std::string s = "lladdr ";
    append_value(s, v);
    CHECK(s == "lladdr 02:ab:00:10:ff:01");
    v.tag = Value::Tag::Bytes;
    v.bytes = {};
    CHECK(format_value(v).empty());
    v.tag = Value::Tag::Signed;
    v.s = -22;
    CHECK(format_value(v) == "-22");
    v.tag = Value::Tag::Unsigned;
    v.u = 18446744073709551615ull;
    CHECK(format_value(v) == "18446744073709551615");
}

TEST_CASE("rates in tc's units: bits per second, powers of 1000, exact or truncated past 1000") {
    using rtnl::format_rate;
    CHECK(format_rate(12500000) == "100Mbit");  // tc ... htb rate 100mbit
    CHECK(format_rate(125000) == "1Mbit");
    CHECK(format_rate(125) == "1Kbit");
    CHECK(format_rate(187) == "1496bit");       // not a whole Kbit, below 1000 Kbit: bits
    CHECK(format_rate(1234567) == "9876Kbit");  // 9876536 bit: truncated to Kbit
    CHECK(format_rate(0) == "0bit");
    CHECK(format_rate(125000000000000ull) == "1000Tbit");  // no unit above Tbit
    CHECK(format_rate(~0ull) == "147573952Tbit");       // 2^64 - 1 bytes/s: no overflow
}
