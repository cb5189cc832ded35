// Text forms of decoded values, appended to a string without temporaries:
// the Info column formats one or more of them for every packet tshark
// prints, and rtnl-decode for every value it shows.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "rtnl/events.hpp"

namespace rtnl {

// Dotted quad, as inet_ntop(AF_INET) writes it.
void append_ipv4(std::string& out, std::span<const std::uint8_t, 4> address);
// RFC 5952 text exactly as glibc's inet_ntop(AF_INET6) writes it (longest
// zero run as "::", the first on a tie; ::a.b.c.d and ::ffff:a.b.c.d).
void append_ipv6(std::string& out, std::span<const std::uint8_t, 16> address);
// Colon-separated lowercase hex bytes ("02:00:00:00:00:01").
void append_hex_bytes(std::string& out, std::span<const std::uint8_t> bytes);
// "0x" and lowercase hex digits, zero-padded to min_digits ("0x10", "0x0800").
void append_hex(std::string& out, std::uint64_t v, std::size_t min_digits = 1);
// Decimal integers, without a temporary string.
void append_decimal(std::string& out, std::uint64_t v);
void append_decimal(std::string& out, std::int64_t v);
std::string& append_value(std::string& out, const Value& v);  // returns out

std::string format_value(const Value& v);

// A rate in bytes per second as tc prints it: bits per second in the largest
// of bit, Kbit, Mbit, Gbit, Tbit (powers of 1000) that keeps it exact, or
// truncated once it is 1000 or more of that unit ("100Mbit", "1500bit").
std::string format_rate(std::uint64_t bytes_per_second);

}  // namespace rtnl
