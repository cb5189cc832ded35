#include "netns_names.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <memory>

namespace rtnl::record {

namespace {
constexpr long kNsfsMagic = 0x6e736673;  // statfs f_type of namespace files

// The namespace inode behind path, nullopt unless path is a namespace file.
std::optional<uint64_t> inode_of(const std::string& path) {
    struct statfs fs {};
    struct stat st {};
    if (::statfs(path.c_str(), &fs) != 0 || long(fs.f_type) != kNsfsMagic) return std::nullopt;
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return uint64_t(st.st_ino);
}
}  // namespace

std::string netns_name(uint64_t inode, const std::string& dir) {
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d) return {};
    while (const dirent* e = ::readdir(d.get())) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        // A named namespace is an nsfs bind mount: stat gives the namespace's inode.
        if (inode_of(dir + "/" + name) == inode) return name;
    }
    return {};
}

std::optional<uint64_t> netns_inode(const std::string& name_or_path, const std::string& dir) {
    if (name_or_path.empty()) return std::nullopt;
    if (name_or_path.find('/') != std::string::npos) return inode_of(name_or_path);
    return inode_of(dir + "/" + name_or_path);
}

}  // namespace rtnl::record
