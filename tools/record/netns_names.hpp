// Network namespaces by inode: the names `ip netns` gives them (/run/netns)
// and the inode behind a name or path, for --netns and the pcapng interfaces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rtnl::record {

constexpr const char* kNetnsDir = "/run/netns";

// The name under dir whose namespace has this inode, "" when none has.
std::string netns_name(uint64_t inode, const std::string& dir = kNetnsDir);

// The inode of a namespace given as a name under dir ("blue") or a path
// ("/proc/1234/ns/net", "/run/netns/blue"); nullopt when it names none.
std::optional<uint64_t> netns_inode(const std::string& name_or_path, const std::string& dir = kNetnsDir);

}  // namespace rtnl::record
