// libFuzzer targets over rtnl-record's parsers of foreign files:
//  - RTNL_FUZZ_STRACE: one input is an strace log, fed line by line to the
//    converter (line shapes, the value syntax, the decoded-form rebuild);
//  - RTNL_FUZZ_RTMON: one input is an rtmon file.
// Every packet is checked against what the converter promises: no more bytes
// than the call transferred, a netlink family, a direction.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "rtmon_reader.hpp"
#include "strace_converter.hpp"

using namespace rtnl::record;
using rtnl::formats::read_rtmon;
using rtnl::formats::RtmonFile;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
#if defined(RTNL_FUZZ_STRACE)
    StraceConverter conv(
        [](NetlinkPacket&& p) {
            if (p.payload.size() > p.orig_len) std::abort();
            if (p.pkttype != kPacketHost && p.pkttype != kPacketOutgoing) std::abort();
        },
        [](std::size_t, const std::string& m) {
            if (m.empty()) std::abort();
        });
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        conv.feed_line(text.substr(start, nl - start));
        start = nl + 1;
    }
    conv.finish();
#elif defined(RTNL_FUZZ_RTMON)
    RtmonFile f = read_rtmon(std::span(data, size));
    std::size_t total = 0;
    for (auto& m : f.messages) {
        if (m.bytes.size() < 16) std::abort();
        total += m.bytes.size();
    }
    if (total > size) std::abort();
#endif
    return 0;
}
