#include "pcap_writer.hpp"

#include <algorithm>
#include <vector>

#include "netns_names.hpp"

#ifndef RTNL_VERSION
#define RTNL_VERSION "unknown"
#endif

namespace rtnl::record {

namespace {

// Captured and original length of a packet with its cooked header.
struct Lengths {
    uint32_t incl;
    uint32_t orig;
};
Lengths lengths(const NetlinkPacket& p, uint32_t snaplen) {
    uint64_t orig = 16 + std::max<uint64_t>(p.orig_len, p.payload.size());
    uint64_t incl = std::min<uint64_t>(16 + p.payload.size(), snaplen);
    return {uint32_t(incl), uint32_t(std::min<uint64_t>(orig, UINT32_MAX))};
}

// Appends the first incl bytes of cooked header + payload.
void append_packet(std::vector<uint8_t>& b, const NetlinkPacket& p, uint32_t incl) {
    auto cooked = nlmon_header(p.pkttype, p.family);
    size_t head = std::min<size_t>(cooked.size(), incl);
    b.insert(b.end(), cooked.begin(), cooked.begin() + long(head));
    b.insert(b.end(), p.payload.begin(), p.payload.begin() + long(incl - head));
}

void put32(std::vector<uint8_t>& b, uint32_t v) {
    const auto* p = reinterpret_cast<const uint8_t*>(&v);  // host order, as the byte-order magic says
    b.insert(b.end(), p, p + 4);
}
void put16(std::vector<uint8_t>& b, uint16_t v) {
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    b.insert(b.end(), p, p + 2);
}
void put_ts(std::vector<uint8_t>& b, int64_t ts_nsec) {
    uint64_t ts = uint64_t(ts_nsec);
    put32(b, uint32_t(ts >> 32));
    put32(b, uint32_t(ts));
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

// pcapng block types and option codes used here
constexpr uint32_t kSectionHeader = 0x0A0D0D0A, kInterfaceDescription = 1, kInterfaceStatistics = 5,
                   kEnhancedPacket = 6;
constexpr uint16_t kOptComment = 1, kShbUserAppl = 4, kIfName = 2, kIfDescription = 3, kIfTsresol = 9,
                   kEpbFlags = 2, kIsbIfdrop = 5;

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
    auto len = lengths(p, snaplen_);
    int64_t usec_total = p.ts_nsec / 1000;
    int64_t sec = usec_total / 1000000, usec = usec_total % 1000000;
    if (usec < 0) {
        usec += 1000000;
        sec -= 1;
    }
    std::vector<uint8_t> b;
    put32(b, uint32_t(sec));
    put32(b, uint32_t(usec));
    put32(b, len.incl);
    put32(b, len.orig);
    append_packet(b, p, len.incl);
    if (std::fwrite(b.data(), 1, b.size(), out_) != b.size()) return false;
    ++packets_;
    return true;
}

bool PcapWriter::finish() { return std::fflush(out_) == 0 && !std::ferror(out_); }

std::string comment_safe_comm(const std::string& comm) {
    std::string s = comm;
    for (auto& c : s)
        if (c == '(' || c == ')' || static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
            c = '?';
    return s;
}

std::string packet_comment(const NetlinkPacket& p) {
    std::string c;
    if (p.tgid >= 0) c += "pid " + std::to_string(p.tgid) + " ";
    if (p.tid >= 0) c += "tid " + std::to_string(p.tid) + " ";
    if (!p.comm.empty()) c += "(" + comment_safe_comm(p.comm) + ") ";
    c += p.syscall.empty() ? std::string(p.pkttype == kPacketOutgoing ? "send" : "receive") : p.syscall;
    if (p.fd >= 0) c += " fd " + std::to_string(p.fd);
    if (p.port) c += " port " + std::to_string(*p.port);
    if (p.netns) c += " netns " + std::to_string(p.netns);
    if (p.payload.size() < p.orig_len)
        c += ", truncated: " + std::to_string(p.payload.size()) + " of " + std::to_string(p.orig_len) + " bytes";
    return c;
}

PcapngWriter::PcapngWriter(std::FILE* out, NetnsNamer namer, uint32_t snaplen)
    : out_(out), namer_(namer ? std::move(namer) : NetnsNamer([](uint64_t ino) { return netns_name(ino); })),
      snaplen_(snaplen) {}

bool PcapngWriter::begin() {
    std::vector<uint8_t> shb;
    put32(shb, 0x1A2B3C4D);  // byte-order magic
    put16(shb, 1);
    put16(shb, 0);
    put32(shb, 0xffffffff);  // section length unknown (streamed)
    put32(shb, 0xffffffff);
    option(shb, kShbUserAppl, std::string("rtnl-record " RTNL_VERSION));
    end_of_options(shb);
    return write_block(out_, kSectionHeader, shb);
}

std::optional<uint32_t> PcapngWriter::interface_for(uint64_t netns) {
    if (auto it = interfaces_.find(netns); it != interfaces_.end()) return it->second;
    std::string name, description;
    if (netns) {
        std::string ns = "net:[" + std::to_string(netns) + "]";
        std::string given = namer_(netns);
        name = given.empty() ? ns : given;
        description = "network namespace " + ns + (given.empty() ? "" : " (" + given + ")");
    } else {
        name = "rtnl-record";
        description = "network namespace not known";
    }
    std::vector<uint8_t> idb;
    put16(idb, uint16_t(kLinktypeNetlink));
    put16(idb, 0);
    put32(idb, snaplen_);
    option(idb, kIfName, name);
    option(idb, kIfDescription, description);
    uint8_t tsresol = 9;  // nanoseconds
    option(idb, kIfTsresol, &tsresol, 1);
    end_of_options(idb);
    if (!write_block(out_, kInterfaceDescription, idb)) return std::nullopt;
    uint32_t id = uint32_t(interfaces_.size());
    interfaces_.emplace(netns, id);
    return id;
}

bool PcapngWriter::write(const NetlinkPacket& p) {
    auto id = interface_for(p.netns);
    if (!id) return false;
    auto len = lengths(p, snaplen_);
    std::vector<uint8_t> epb;
    put32(epb, *id);
    put_ts(epb, p.ts_nsec);
    put32(epb, len.incl);
    put32(epb, len.orig);
    append_packet(epb, p, len.incl);
    pad4(epb);
    option(epb, kOptComment, packet_comment(p));
    uint32_t flags = p.pkttype == kPacketOutgoing ? 2 : 1;  // epb_flags direction: outbound / inbound
    option(epb, kEpbFlags, &flags, 4);
    end_of_options(epb);
    return write_block(out_, kEnhancedPacket, epb);
}

bool PcapngWriter::mark_drops(uint64_t netns, uint64_t dropped, int64_t ts_nsec) {
    auto id = interface_for(netns);
    if (!id) return false;
    std::vector<uint8_t> isb;
    put32(isb, *id);
    put_ts(isb, ts_nsec);
    option(isb, kOptComment,
           "rtnl-record: " + std::to_string(dropped) +
               " records lost so far in this namespace (the ring buffer was full)");
    option(isb, kIsbIfdrop, &dropped, 8);
    end_of_options(isb);
    return write_block(out_, kInterfaceStatistics, isb);
}

bool PcapngWriter::finish() { return std::fflush(out_) == 0 && !std::ferror(out_); }

}  // namespace rtnl::record
