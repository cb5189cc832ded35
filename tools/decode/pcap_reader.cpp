#include "pcap_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "nlmon_header.hpp"

namespace rtnl::decode {

namespace {
constexpr std::uint32_t kPcapMagicUs = 0xa1b2c3d4;
constexpr std::uint32_t kPcapMagicNs = 0xa1b23c4d;
constexpr std::uint32_t kPcapngSection = 0x0a0d0d0a;
constexpr std::uint32_t kPcapngIdb = 1, kPcapngSpb = 3, kPcapngEpb = 6;
constexpr std::uint32_t kMaxBlock = 64u << 20;  // refuse absurd lengths instead of allocating them

// A pcapng time stamp in units of 1/units s, as nanoseconds (long double: the
// fraction of a second times 10^9 does not fit 64 bits for fine units).
std::int64_t to_nsec(std::uint64_t ts, std::uint64_t units) {
    const std::uint64_t seconds = ts / units, part = ts % units;
    const auto fraction = std::uint64_t(static_cast<long double>(part) * 1e9L / static_cast<long double>(units));
    if (seconds > std::uint64_t(INT64_MAX) / 1000000000 - 1) return INT64_MAX;
    return std::int64_t(seconds * 1000000000 + fraction);
}

// Link types people meet with netlink inside, named in the refusal.
const char* linktype_name(std::uint32_t linktype) {
    switch (linktype) {
    case 1: return " (Ethernet)";
    case 113: return " (Linux cooked, SLL)";
    case 276: return " (Linux cooked v2, SLL2)";
    default: return "";
    }
}
}  // namespace

bool PcapReader::read(void* buf, std::size_t n) {
    auto* out = static_cast<std::uint8_t*>(buf);
    const std::size_t from_head = std::min(n, head_.size() - head_used_);
    std::memcpy(out, head_.data() + head_used_, from_head);
    head_used_ += from_head;
    return std::fread(out + from_head, 1, n - from_head, file_) == n - from_head;
}

bool PcapReader::readable(std::uint32_t linktype) {
    if (linktype == formats::kLinktypeNetlink) return true;
    error_ = "link type " + std::to_string(linktype) + linktype_name(linktype) +
             ": rtnl-decode reads nlmon captures (link type 253, as nlmon and rtnl-record write them); "
             "Wireshark with the rtnl plugin also reads Linux cooked (SLL, SLL2) captures";
    return false;
}

std::uint32_t PcapReader::u32(const std::uint8_t* p) const {
    return swapped_ ? (std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3])
                    : (std::uint32_t(p[3]) << 24 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[1]) << 8 | p[0]);
}
std::uint16_t PcapReader::u16(const std::uint8_t* p) const {
    return swapped_ ? std::uint16_t(p[0] << 8 | p[1]) : std::uint16_t(p[1] << 8 | p[0]);
}

bool PcapReader::start(std::FILE* file, std::span<const std::uint8_t> head, const std::string& path) {
    file_ = file;
    head_.assign(head.begin(), head.end());
    std::uint8_t hdr[24];
    if (!read(hdr, 4)) return error_ = path + ": truncated pcap header", false;
    swapped_ = false;
    const std::uint32_t magic = u32(hdr);
    if (magic == kPcapngSection) {
        pcapng_ = true;
        // Read the rest of the section header block to learn the byte order.
        std::uint8_t rest[8];
        if (!read(rest, 8)) return error_ = path + ": truncated pcapng header", false;
        swapped_ = u32(rest + 4) != 0x1a2b3c4d;
        const std::uint32_t len = u32(rest);
        if (len < 12 || len > kMaxBlock) return error_ = path + ": bad pcapng header", false;
        std::vector<std::uint8_t> skip(len - 12);
        if (!read(skip.data(), skip.size())) return error_ = path + ": truncated pcapng header", false;
        return true;
    }
    if (!read(hdr + 4, 20)) return error_ = path + ": truncated pcap header", false;
    for (bool swap : {false, true}) {
        swapped_ = swap;
        if (u32(hdr) == kPcapMagicUs || u32(hdr) == kPcapMagicNs) {
            nanosecond_pcap_ = u32(hdr) == kPcapMagicNs;
            linktype_ = u32(hdr + 20) & 0xffff;
            if (!readable(linktype_)) return error_ = path + ": " + error_, false;
            return true;
        }
    }
    error_ = path + ": not a pcap or pcapng file";
    return false;
}

bool PcapReader::next(CapturedPacket& out) { return pcapng_ ? next_pcapng(out) : next_classic(out); }

bool PcapReader::next_classic(CapturedPacket& out) {
    std::uint8_t rec[16];
    if (!read(rec, 16)) return false;
    const std::uint32_t caplen = u32(rec + 8);
    if (caplen > kMaxBlock) return error_ = "packet record too long", false;
    out.number = ++count_;
    out.linktype = linktype_;
    out.has_interface = false;
    out.comment.clear();
    out.ts_nsec = std::int64_t(u32(rec)) * 1000000000 + std::int64_t(u32(rec + 4)) * (nanosecond_pcap_ ? 1 : 1000);
    out.original_length = u32(rec + 12);
    out.data.resize(caplen);
    if (caplen && !read(out.data.data(), caplen)) return error_ = "truncated packet record", false;
    return true;
}

bool PcapReader::next_pcapng(CapturedPacket& out) {
    for (;;) {
        std::uint8_t head[8];
        if (!read(head, 8)) return false;
        const std::uint32_t type = u32(head), len = u32(head + 4);
        if (len < 12 || len > kMaxBlock || len % 4) return error_ = "bad pcapng block length", false;
        std::vector<std::uint8_t> body(len - 8);
        if (!read(body.data(), body.size())) return error_ = "truncated pcapng block", false;
        if (type == kPcapngSection) {
            swapped_ = false;
            swapped_ = u32(body.data()) != 0x1a2b3c4d;  // byte-order magic
            if_linktypes_.clear();
            if_units_.clear();
            ++sections_;
        } else if (type == kPcapngIdb && body.size() >= 8) {
            if_linktypes_.push_back(u16(body.data()));
            std::uint64_t units = 1000000;
            // if_tsresol option (9): a power of ten or two (beyond 64 bits: not a resolution, the default kept).
            std::size_t o = 8;
            while (o + 4 <= body.size() - 4) {
                const std::uint16_t code = u16(body.data() + o), olen = u16(body.data() + o + 2);
                if (code == 0) break;
                if (code == 9 && olen >= 1 && o + 5 <= body.size()) {
                    const unsigned r = body[o + 4], exponent = r & 0x7f;
                    if (r & 0x80 && exponent < 64) units = std::uint64_t(1) << exponent;
                    if (!(r & 0x80) && exponent < 20) {
                        units = 1;
                        for (unsigned i = 0; i < exponent; ++i) units *= 10;
                    }
                }
                o += 4 + ((olen + 3u) & ~3u);
            }
            if_units_.push_back(units);
        } else if (type == kPcapngEpb && body.size() >= 20) {
            const std::uint32_t iface = u32(body.data()), caplen = u32(body.data() + 12);
            if (caplen > body.size() - 20) return error_ = "bad enhanced packet block", false;
            const std::uint64_t ts = (std::uint64_t(u32(body.data() + 4)) << 32) | u32(body.data() + 8);
            out.linktype = iface < if_linktypes_.size() ? if_linktypes_[iface] : 0;
            if (!readable(out.linktype)) return error_ = "interface " + std::to_string(iface) + ": " + error_, false;
            out.number = ++count_;
            out.ts_nsec = to_nsec(ts, iface < if_units_.size() ? if_units_[iface] : 1000000);
            out.original_length = u32(body.data() + 16);
            out.data.assign(body.begin() + 20, body.begin() + 20 + caplen);
            out.has_interface = true;
            out.section = sections_ ? sections_ - 1 : 0;
            out.interface_id = iface;
            out.comment.clear();
            // Options after the padded packet data; opt_comment is code 1.
            for (std::size_t o = 20 + ((caplen + 3u) & ~3u); o + 4 <= body.size() - 4;) {
                const std::uint16_t code = u16(body.data() + o), olen = u16(body.data() + o + 2);
                if (code == 0 || o + 4 + olen > body.size() - 4) break;
                if (code == 1) out.comment.assign(reinterpret_cast<const char*>(body.data() + o + 4), olen);
                o += 4 + ((olen + 3u) & ~3u);
            }
            return true;
        } else if (type == kPcapngSpb && body.size() >= 4) {
            out.linktype = if_linktypes_.empty() ? 0 : if_linktypes_[0];
            if (!readable(out.linktype)) return error_ = "interface 0: " + error_, false;
            out.number = ++count_;
            out.ts_nsec = 0;
            out.original_length = u32(body.data());
            out.has_interface = true;
            out.section = sections_ ? sections_ - 1 : 0;
            out.interface_id = 0;
            out.comment.clear();
            const std::size_t n = std::min<std::size_t>(out.original_length, body.size() - 8);
            out.data.assign(body.begin() + 4, body.begin() + 4 + static_cast<long>(n));
            return true;
        }
    }
}

}  // namespace rtnl::decode
