// Opens a capture whatever its format, told by its first bytes, not its name:
// pcap or pcapng (PcapReader), or an rtmon file (iproute2's "rtmon file X"),
// whose messages come out as nlmon packets stamped with rtmon's own times.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "pcap_reader.hpp"
#include "rtmon_reader.hpp"

namespace rtnl::decode {

enum class FileFormat { Pcap, Pcapng, Rtmon, Unknown };

// head: the file's first 8 bytes (fewer for a shorter file).
FileFormat detect_format(std::span<const std::uint8_t> head);

class CaptureReader {
public:
    // Opens path ("-" = standard input). error() says why when false.
    bool open(const std::string& path);
    // Next packet; false at the end or on a broken file (error() non-empty).
    bool next(CapturedPacket& out);
    const std::string& error() const;
    FileFormat format() const { return format_; }

private:
    bool open_rtmon(std::span<const std::uint8_t> head, const std::string& path);

    struct Closer {
        void operator()(std::FILE* f) const {
            if (f != stdin) std::fclose(f);
        }
    };
    std::unique_ptr<std::FILE, Closer> file_;
    FileFormat format_ = FileFormat::Unknown;
    PcapReader pcap_;
    formats::RtmonFile rtmon_;
    std::size_t rtmon_next_ = 0;
    std::string error_;
};

}  // namespace rtnl::decode
