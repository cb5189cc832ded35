#include "capture_reader.hpp"

#include <cerrno>
#include <cstring>

#include "nlmon_header.hpp"

namespace rtnl::decode {

namespace {
constexpr std::size_t kHead = 8;            // enough for every magic and rtmon's first record header
constexpr std::uint16_t kPacketHost = 0;    // rtmon only receives
constexpr std::uint16_t kNetlinkRoute = 0;  // rtmon's socket

std::uint32_t u32_le(std::span<const std::uint8_t> d) {
    return std::uint32_t(d[0]) | std::uint32_t(d[1]) << 8 | std::uint32_t(d[2]) << 16 | std::uint32_t(d[3]) << 24;
}
std::uint32_t u32_be(std::span<const std::uint8_t> d) {
    return std::uint32_t(d[3]) | std::uint32_t(d[2]) << 8 | std::uint32_t(d[1]) << 16 | std::uint32_t(d[0]) << 24;
}
}  // namespace

FileFormat detect_format(std::span<const std::uint8_t> head) {
    if (head.size() >= 4) {
        if (u32_le(head) == 0x0a0d0d0a) return FileFormat::Pcapng;  // the section header block's type
        for (const std::uint32_t magic : {u32_le(head), u32_be(head)})
            if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) return FileFormat::Pcap;  // micro- or nanoseconds
    }
    return formats::starts_like_rtmon(head) ? FileFormat::Rtmon : FileFormat::Unknown;
}

bool CaptureReader::open(const std::string& path) {
    file_.reset(path == "-" ? stdin : std::fopen(path.c_str(), "rb"));
    if (!file_) return error_ = path + ": " + std::strerror(errno), false;
    std::uint8_t head[kHead];
    const std::size_t got = std::fread(head, 1, kHead, file_.get());
    if (got == 0) return error_ = path + ": empty or unreadable file", false;
    format_ = detect_format(std::span(head, got));
    switch (format_) {
    case FileFormat::Pcap:
    case FileFormat::Pcapng: return pcap_.start(file_.get(), std::span(head, got), path);
    case FileFormat::Rtmon: return open_rtmon(std::span(head, got), path);
    case FileFormat::Unknown: break;
    }
    return error_ = path + ": not a pcap, pcapng or rtmon file", false;
}

bool CaptureReader::open_rtmon(std::span<const std::uint8_t> head, const std::string& path) {
    std::vector<std::uint8_t> data(head.begin(), head.end());
    std::uint8_t buf[65536];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, file_.get())) > 0;) data.insert(data.end(), buf, buf + n);
    if (std::ferror(file_.get())) return error_ = path + ": " + std::strerror(errno), false;
    rtmon_ = formats::read_rtmon(data);
    return true;
}

bool CaptureReader::next(CapturedPacket& out) {
    if (format_ != FileFormat::Rtmon) return pcap_.next(out);
    if (rtmon_next_ == rtmon_.messages.size()) {
        // Reading stops at the first bad record: what follows has no framing.
        if (!rtmon_.problems.empty())
            error_ = "offset " + std::to_string(rtmon_.problems.front().offset) + ": " + rtmon_.problems.front().what;
        return false;
    }
    const formats::RtmonMessage& m = rtmon_.messages[rtmon_next_++];
    const auto cooked = formats::nlmon_header(kPacketHost, kNetlinkRoute);
    out = CapturedPacket{};
    out.number = rtmon_next_;
    out.linktype = formats::kLinktypeNetlink;
    out.ts_nsec = m.ts_nsec;
    out.data.assign(cooked.begin(), cooked.end());
    out.data.insert(out.data.end(), m.bytes.begin(), m.bytes.end());
    out.original_length = std::uint32_t(out.data.size());
    return true;
}

const std::string& CaptureReader::error() const { return error_.empty() ? pcap_.error() : error_; }

}  // namespace rtnl::decode
