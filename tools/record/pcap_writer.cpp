#include "pcap_writer.hpp"

#include <algorithm>

namespace rtnl::record {

std::array<uint8_t, 16> nlmon_header(uint16_t pkttype, uint16_t family) {
    std::array<uint8_t, 16> h{};
    h[0] = uint8_t(pkttype >> 8);
    h[1] = uint8_t(pkttype);
    h[2] = uint8_t(kArphrdNetlink >> 8);
    h[3] = uint8_t(kArphrdNetlink & 0xff);
    // h[4..5] halen = 0, h[6..13] address = 0
    h[14] = uint8_t(family >> 8);
    h[15] = uint8_t(family);
    return h;
}

bool PcapWriter::begin() {
    struct {
        uint32_t magic = 0xa1b2c3d4;
        uint16_t major = 2, minor = 4;
        int32_t thiszone = 0;
        uint32_t sigfigs = 0;
        uint32_t snaplen;
        uint32_t network = kLinktypeNetlink;
    } hdr;
    static_assert(sizeof(hdr) == 24);
    hdr.snaplen = snaplen_;
    return std::fwrite(&hdr, sizeof hdr, 1, out_) == 1;
}

bool PcapWriter::write(const NetlinkPacket& p) {
    auto cooked = nlmon_header(p.pkttype, p.family);
    uint64_t orig = uint64_t(cooked.size()) + std::max<uint64_t>(p.orig_len, p.payload.size());
    uint64_t incl = std::min<uint64_t>(cooked.size() + p.payload.size(), snaplen_);
    int64_t sec = p.ts_usec / 1000000, usec = p.ts_usec % 1000000;
    if (usec < 0) {
        usec += 1000000;
        sec -= 1;
    }
    uint32_t rec[4] = {uint32_t(sec), uint32_t(usec), uint32_t(incl), uint32_t(std::min<uint64_t>(orig, UINT32_MAX))};
    if (std::fwrite(rec, sizeof rec, 1, out_) != 1) return false;
    size_t head = std::min<size_t>(cooked.size(), incl);
    if (std::fwrite(cooked.data(), 1, head, out_) != head) return false;
    size_t body = size_t(incl - head);
    if (body && std::fwrite(p.payload.data(), 1, body, out_) != body) return false;
    ++packets_;
    return true;
}

bool PcapWriter::finish() { return std::fflush(out_) == 0 && !std::ferror(out_); }

}  // namespace rtnl::record
