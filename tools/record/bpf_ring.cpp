#include "bpf_ring.hpp"

#include <cstring>

namespace rtnl::record {

std::variant<RingPiece, std::string> parse_ring_record(std::span<const uint8_t> record) {
    RingPiece p{};
    if (record.size() < sizeof p.hdr)
        return "record of " + std::to_string(record.size()) + " bytes is shorter than its header";
    std::memcpy(&p.hdr, record.data(), sizeof p.hdr);
    if (p.hdr.magic != TAP_RECORD_MAGIC) return "record without the magic number (not from this program)";
    if (tap_syscall_name(p.hdr.syscall).empty()) return "record of unknown syscall " + std::to_string(p.hdr.syscall);
    size_t room = record.size() - sizeof p.hdr;
    if (p.hdr.len > room)
        return "record claims " + std::to_string(p.hdr.len) + " bytes of payload but holds " + std::to_string(room);
    if (p.hdr.len > TAP_PIECE_MAX) return "piece of " + std::to_string(p.hdr.len) + " bytes exceeds the piece size";
    if (uint64_t(p.hdr.offset) + p.hdr.len > p.hdr.msg_len)
        return "piece at " + std::to_string(p.hdr.offset) + "+" + std::to_string(p.hdr.len) +
               " lies outside its message of " + std::to_string(p.hdr.msg_len) + " bytes";
    p.data = record.subspan(sizeof p.hdr, p.hdr.len);
    return p;
}

std::string tap_syscall_name(uint8_t syscall) {
    switch (syscall) {
    case TAP_READ: return "read";
    case TAP_WRITE: return "write";
    case TAP_SENDTO: return "sendto";
    case TAP_RECVFROM: return "recvfrom";
    case TAP_SENDMSG: return "sendmsg";
    case TAP_RECVMSG: return "recvmsg";
    case TAP_SENDMMSG: return "sendmmsg";
    case TAP_RECVMMSG: return "recvmmsg";
    }
    return {};
}

void RingAssembler::emit(NetlinkPacket&& p) {
    if (p.payload.size() < p.orig_len) ++stats_.truncated;
    ++stats_.packets;
    packets_(std::move(p));
}

void RingAssembler::start(const RingPiece& piece) {
    const tap_record& h = piece.hdr;
    NetlinkPacket p;
    p.ts_nsec = int64_t(h.ts_ns) + clock_offset_ns_;
    p.pkttype = (h.flags & TAP_SEND) ? kPacketOutgoing : kPacketHost;
    p.family = h.protocol;
    p.orig_len = h.msg_len;
    p.tgid = int(h.tgid);
    p.tid = int(h.tid);
    p.fd = int(h.fd);
    if (h.flags & TAP_PORT_KNOWN) p.port = h.port;
    p.netns = h.netns;
    p.syscall = tap_syscall_name(h.syscall);
    p.comm.assign(h.comm, strnlen(h.comm, sizeof h.comm));
    partial_[h.tid] = {h.call_id, std::move(p)};
}

void RingAssembler::feed(std::span<const uint8_t> record) {
    ++stats_.records;
    auto parsed = parse_ring_record(record);
    if (auto* why = std::get_if<std::string>(&parsed)) {
        ++stats_.malformed;
        problems_("ring record " + std::to_string(stats_.records) + ": " + *why + "; skipped");
        return;
    }
    const RingPiece& piece = std::get<RingPiece>(parsed);
    const tap_record& h = piece.hdr;
    auto it = partial_.find(h.tid);
    bool continues = it != partial_.end() && it->second.call_id == h.call_id &&
                     it->second.packet.payload.size() == h.offset;
    if (!continues) {
        if (it != partial_.end()) {  // the thread's previous message lost its end
            emit(std::move(it->second.packet));
            partial_.erase(it);
        }
        if (h.offset != 0) {  // its start was lost
            ++stats_.orphans;
            return;
        }
        start(piece);
        it = partial_.find(h.tid);
    }
    auto& payload = it->second.packet.payload;
    payload.insert(payload.end(), piece.data.begin(), piece.data.end());
    if (h.flags & TAP_UNREADABLE) ++stats_.unreadable;
    // complete, or cut short: write it now
    if (payload.size() == h.msg_len || (h.flags & TAP_END)) {
        emit(std::move(it->second.packet));
        partial_.erase(it);
    }
}

void RingAssembler::finish() {
    for (auto& [tid, part] : partial_) emit(std::move(part.packet));
    partial_.clear();
}

}  // namespace rtnl::record
