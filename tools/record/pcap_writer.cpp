#include "pcap_writer.hpp"

#include <algorithm>
#include <vector>

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

namespace {

void put32(std::vector<uint8_t>& b, uint32_t v) {
    const auto* p = reinterpret_cast<const uint8_t*>(&v);  // host order, as the byte-order magic says
    b.insert(b.end(), p, p + 4);
}
void put16(std::vector<uint8_t>& b, uint16_t v) {
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    b.insert(b.end(), p, p + 2);
}
void pad4(std::vector<uint8_t>& b) {
    while (b.size() % 4) b.push_back(0);
}
void option(std::vector<uint8_t>& b, uint16_t code, const void* data, size_t len) {
    put16(b, code);
    put16(b, uint16_t(len));
    const auto* p = static_cast<const uint8_t*>(data);
    b.insert(b.end(), p, p + len);
    pad4(b);
}
void option(std::vector<uint8_t>& b, uint16_t code, const std::string& s) { option(b, code, s.data(), s.size()); }
void end_of_options(std::vector<uint8_t>& b) { put32(b, 0); }

// Wraps a block body into type + total length ... total length.
bool write_block(std::FILE* out, uint32_t type, const std::vector<uint8_t>& body) {
    std::vector<uint8_t> b;
    uint32_t total = uint32_t(12 + body.size());
    put32(b, type);
    put32(b, total);
    b.insert(b.end(), body.begin(), body.end());
    put32(b, total);
    return std::fwrite(b.data(), 1, b.size(), out) == b.size();
}

}  // namespace

std::string packet_comment(const NetlinkPacket& p) {
    std::string c;
    if (p.pid >= 0) c = "pid " + std::to_string(p.pid) + " ";
    if (!p.comm.empty()) c += "(" + p.comm + ") ";
    c += p.syscall.empty() ? std::string(p.pkttype == kPacketOutgoing ? "send" : "receive") : p.syscall;
    if (p.fd >= 0) c += " fd " + std::to_string(p.fd);
    if (p.payload.size() < p.orig_len)
        c += ", truncated: " + std::to_string(p.payload.size()) + " of " + std::to_string(p.orig_len) + " bytes";
    return c;
}

bool PcapngWriter::begin() {
    std::vector<uint8_t> shb;
    put32(shb, 0x1A2B3C4D);  // byte-order magic
    put16(shb, 1);
    put16(shb, 0);
    put32(shb, 0xffffffff);  // section length unknown (streamed)
    put32(shb, 0xffffffff);
    option(shb, 4, std::string("rtnl-record"));  // shb_userappl
    end_of_options(shb);
    std::vector<uint8_t> idb;
    put16(idb, uint16_t(kLinktypeNetlink));
    put16(idb, 0);
    put32(idb, snaplen_);
    option(idb, 2, std::string("rtnl-record"));  // if_name
    option(idb, 3, std::string("netlink traffic of traced processes (strace)"));  // if_description
    uint8_t tsresol = 6;  // microseconds
    option(idb, 9, &tsresol, 1);
    end_of_options(idb);
    return write_block(out_, 0x0A0D0D0A, shb) && write_block(out_, 1, idb);
}

bool PcapngWriter::write(const NetlinkPacket& p) {
    auto cooked = nlmon_header(p.pkttype, p.family);
    uint64_t orig = uint64_t(cooked.size()) + std::max<uint64_t>(p.orig_len, p.payload.size());
    uint64_t incl = std::min<uint64_t>(cooked.size() + p.payload.size(), snaplen_);
    std::vector<uint8_t> epb;
    uint64_t ts = uint64_t(p.ts_usec);
    put32(epb, 0);  // interface 0
    put32(epb, uint32_t(ts >> 32));
    put32(epb, uint32_t(ts));
    put32(epb, uint32_t(incl));
    put32(epb, uint32_t(std::min<uint64_t>(orig, UINT32_MAX)));
    size_t head = std::min<size_t>(cooked.size(), incl);
    epb.insert(epb.end(), cooked.begin(), cooked.begin() + long(head));
    epb.insert(epb.end(), p.payload.begin(), p.payload.begin() + long(incl - head));
    pad4(epb);
    option(epb, 1, packet_comment(p));  // opt_comment
    uint32_t flags = p.pkttype == kPacketOutgoing ? 2 : 1;  // epb_flags direction: outbound / inbound
    option(epb, 2, &flags, 4);
    end_of_options(epb);
    return write_block(out_, 6, epb);
}

bool PcapngWriter::finish() { return std::fflush(out_) == 0 && !std::ferror(out_); }

}  // namespace rtnl::record
