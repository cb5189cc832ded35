// Bounds-checked reads over a packet. Every read says its byte order and
// fails (returns false) instead of reading past the end.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace rtnl {

enum class ByteOrder : std::uint8_t { Little, Big };

class ByteReader {
public:
    ByteReader() = default;
    explicit ByteReader(std::span<const std::uint8_t> data) : data_(data) {}

    std::size_t size() const { return data_.size(); }
    std::span<const std::uint8_t> bytes() const { return data_; }

    bool has(std::size_t offset, std::size_t length) const {
        return offset <= data_.size() && length <= data_.size() - offset;
    }

    // Unsigned integer of `width` bytes (1 to 8).
    bool uint(std::size_t offset, std::size_t width, ByteOrder order, std::uint64_t& out) const {
        if (!has(offset, width) || width == 0 || width > 8) return false;
        out = uint_at(data_.data() + offset, width, order);
        return true;
    }
    // The same from `width` (1 to 8) bytes the caller has bounds-checked
    // (a ValueRef's, a StructView's): no check left to make per value.
    static std::uint64_t uint_at(const std::uint8_t* p, std::size_t width, ByteOrder order) {
        // The widths of real fields, as single loads.
        switch (width) {
        case 1: return *p;
        case 2: return load_at<std::uint16_t>(p, order);
        case 4: return load_at<std::uint32_t>(p, order);
        case 8: return load_at<std::uint64_t>(p, order);
        default: return uint_odd(p, width, order);
        }
    }
    bool u8(std::size_t offset, std::uint8_t& out) const {
        if (!has(offset, 1)) return false;
        out = data_[offset];
        return true;
    }
    // Fixed widths: one bounds check and one load each (the hot path).
    bool u16(std::size_t offset, ByteOrder order, std::uint16_t& out) const { return load(offset, order, out); }
    bool u32(std::size_t offset, ByteOrder order, std::uint32_t& out) const { return load(offset, order, out); }
    std::span<const std::uint8_t> slice(std::size_t offset, std::size_t length) const {
        if (!has(offset, length)) return {};
        return data_.subspan(offset, length);
    }

private:
    // 3, 5, 6 or 7 bytes (struct members such as ifla_vf_broadcast's): out of line, so
    // that uint_at stays small enough to inline into every value read.
    [[gnu::noinline, gnu::cold]] static std::uint64_t uint_odd(const std::uint8_t* p, std::size_t width,
                                                               ByteOrder order) {
        std::uint64_t v = 0;
        if (order == ByteOrder::Little) {
            for (std::size_t i = width; i-- > 0;) v = (v << 8) | p[i];
        } else {
            for (std::size_t i = 0; i < width; ++i) v = (v << 8) | p[i];
        }
        return v;
    }
    template <class T>
    bool load(std::size_t offset, ByteOrder order, T& out) const {
        if (!has(offset, sizeof(T))) return false;
        out = load_at<T>(data_.data() + offset, order);
        return true;
    }
    // One load from bytes the caller has bounds-checked, swapped when the order is not the host's.
    template <class T>
    static T load_at(const std::uint8_t* p, ByteOrder order) {
        T v;
        std::memcpy(&v, p, sizeof(T));
        if ((order == ByteOrder::Little) != (std::endian::native == std::endian::little)) v = byteswap(v);
        return v;
    }
    static std::uint16_t byteswap(std::uint16_t v) { return __builtin_bswap16(v); }
    static std::uint32_t byteswap(std::uint32_t v) { return __builtin_bswap32(v); }
    static std::uint64_t byteswap(std::uint64_t v) { return __builtin_bswap64(v); }

    std::span<const std::uint8_t> data_;
};

// Sign-extend the low `width` bytes of v.
inline std::int64_t sign_extend(std::uint64_t v, std::size_t width) {
    if (width >= 8) return static_cast<std::int64_t>(v);
    const std::uint64_t sign = std::uint64_t{1} << (width * 8 - 1);
    return static_cast<std::int64_t>((v ^ sign) - sign);
}

constexpr std::size_t align4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

// Text up to the first NUL, or the whole span when there is none (netlink
// strings need not be terminated).
inline std::string_view c_string(std::span<const std::uint8_t> bytes) {
    std::size_t len = 0;
    while (len < bytes.size() && bytes[len] != 0) ++len;
    return {reinterpret_cast<const char*>(bytes.data()), len};
}

// One attribute header (struct nlattr) where a walk stands.
struct Tlv {
    std::size_t offset = 0;
    std::size_t left = 0;         // bytes from offset to the end of the walked range
    std::uint16_t length = 0;     // nla_len as sent (0 when fewer than 4 bytes are left)
    std::uint16_t raw_type = 0;   // nla_type with its flag bits
    const std::uint8_t* data = nullptr;  // the header's first byte (nullptr when cut)

    static constexpr std::size_t kHeaderLen = 4;
    std::uint16_t type() const { return raw_type & 0x3fff; }  // without NLA_F_NESTED, NLA_F_NET_BYTEORDER
    bool header_cut() const { return left < kHeaderLen; }   // not even a header fits
    bool too_short() const { return length < kHeaderLen; }  // nla_len below its own header: cannot step past
    bool truncated() const { return length > left; }        // runs past the range
    bool whole() const { return !header_cut() && !too_short() && !truncated(); }
    // A whole TLV's payload: inside the walked range, which the cursor has
    // checked against the reader once, so it needs no check of its own.
    std::span<const std::uint8_t> payload() const { return {data + kHeaderLen, std::size_t{length} - kHeaderLen}; }
};

// The attributes of packet[start, end), one TLV at a time: every walk of
// attributes (the walker's levels, indexed arrays, the sub-message selector
// scan, extended-ACK offsets) steps with it. The caller decides what a
// header that is cut, too short or truncated means. The range is clamped to
// the reader when the cursor is made: every byte of it is then in bounds,
// and a header or payload inside it is read without a check per TLV.
class TlvCursor {
public:
    TlvCursor(const ByteReader& r, ByteOrder order, std::size_t start, std::size_t end)
        : bytes_(r.bytes().data()), order_(order), off_(start), end_(end < r.size() ? end : r.size()) {}
    bool more() const { return off_ < end_; }
    Tlv at() const {
        Tlv t;
        t.offset = off_;
        t.left = end_ - off_;
        if (t.header_cut()) return t;
        t.data = bytes_ + off_;
        t.length = static_cast<std::uint16_t>(ByteReader::uint_at(t.data, 2, order_));
        t.raw_type = static_cast<std::uint16_t>(ByteReader::uint_at(t.data + 2, 2, order_));
        return t;
    }
    void next(const Tlv& t) { off_ += align4(t.length); }

private:
    const std::uint8_t* bytes_;
    ByteOrder order_;
    std::size_t off_;
    std::size_t end_;
};

}  // namespace rtnl
