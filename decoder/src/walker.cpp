#include "rtnl/walker.hpp"

#include "rtnl/walker_impl.hpp"

namespace rtnl {

std::optional<CookedHeader> parse_cooked_header(std::span<const std::uint8_t> packet) {
    ByteReader r(packet);
    if (!r.has(0, nl::COOKED_HEADER_LEN)) return std::nullopt;
    CookedHeader h{};
    r.u16(0, ByteOrder::Big, h.pkttype);
    r.u16(2, ByteOrder::Big, h.hatype);
    r.u16(4, ByteOrder::Big, h.halen);
    r.u16(14, ByteOrder::Big, h.protocol);
    return h;
}

ByteOrder guess_byte_order(std::span<const std::uint8_t> packet, std::size_t start) {
    ByteReader r(packet);
    std::uint32_t le = 0, be = 0;
    if (!r.u32(start, ByteOrder::Little, le) || !r.u32(start, ByteOrder::Big, be)) return ByteOrder::Little;
    const std::size_t left = packet.size() - start;
    const bool le_ok = le >= detail::kNlmsgHdrLen && le <= left;
    const bool be_ok = be >= detail::kNlmsgHdrLen && be <= left;
    if (be_ok && !le_ok) return ByteOrder::Big;
    return ByteOrder::Little;
}

std::size_t walk_messages(std::span<const std::uint8_t> packet, std::size_t start, Visitor& visitor,
                          const WalkLimits& limits) {
    return walk_messages_static<Visitor>(packet, start, visitor, limits);
}

}  // namespace rtnl
