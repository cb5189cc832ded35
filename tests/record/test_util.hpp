#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "strace_converter.hpp"

namespace rtnl::record::test {

inline std::string data_path(const std::string& name) { return std::string(RTNL_RECORD_TEST_DATA) + "/" + name; }

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Diag {
    size_t line;
    std::string message;
};

struct Converted {
    std::vector<NetlinkPacket> packets;
    std::vector<Diag> diags;
    StraceConverter::Stats stats;
};

inline Converted convert_text(const std::string& text) {
    Converted c;
    StraceConverter conv([&](NetlinkPacket&& p) { c.packets.push_back(std::move(p)); },
                         [&](size_t line, const std::string& m) { c.diags.push_back({line, m}); });
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) conv.feed_line(line);
    conv.finish();
    c.stats = conv.stats();
    return c;
}

inline Converted convert_file(const std::string& name) { return convert_text(read_file(data_path(name))); }

inline std::vector<uint8_t> bytes(std::initializer_list<int> v) {
    std::vector<uint8_t> out;
    for (int b : v) out.push_back(uint8_t(b));
    return out;
}

// nlmsg_type / nlmsg_seq of the first message of a payload (little-endian host)
inline uint16_t nl_type(const NetlinkPacket& p) { return uint16_t(p.payload.at(4) | p.payload.at(5) << 8); }
inline uint32_t nl_len(const NetlinkPacket& p) {
    return uint32_t(p.payload.at(0) | p.payload.at(1) << 8 | p.payload.at(2) << 16 | uint32_t(p.payload.at(3)) << 24);
}
inline uint32_t nl_seq(const NetlinkPacket& p) {
    return uint32_t(p.payload.at(8) | p.payload.at(9) << 8 | p.payload.at(10) << 16 | uint32_t(p.payload.at(11)) << 24);
}

}  // namespace rtnl::record::test
