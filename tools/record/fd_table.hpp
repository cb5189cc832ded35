// Which file descriptors of which traced process are netlink sockets, and of
// which netlink family. Fed from socket()/close()/dup*()/clone()/fork() lines;
// processes that share their descriptor table (threads, CLONE_FILES) share one
// table here too.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>

namespace rtnl::record {

class ProcessFdTables {
public:
    // A socket() call returned fd. netlink_family is empty for non-netlink sockets.
    void on_socket(int pid, int fd, std::optional<uint16_t> netlink_family);
    void on_close(int pid, int fd);
    void on_dup(int pid, int oldfd, int newfd);
    // parent created child; share_files: CLONE_FILES (threads) rather than a copy.
    void on_clone(int parent, int child, bool share_files);

    enum class Kind { Netlink, NotNetlink, Unknown };
    struct Result {
        Kind kind = Kind::Unknown;
        uint16_t family = 0;
        bool guessed = false;  // found in another process's table
    };
    // Looks in pid's own table; when the fd is not there and search_others is set
    // (or pid was never seen), takes the most recently created fd with that number
    // in any process (threads and children whose clone() was not traced).
    Result lookup(int pid, int fd, bool search_others) const;
    bool knows_pid(int pid) const { return tables_.count(pid) != 0; }

private:
    struct Entry {
        bool netlink = false;
        uint16_t family = 0;
        uint64_t serial = 0;
    };
    using Table = std::map<int, Entry>;
    Table& table_for(int pid);

    std::map<int, std::shared_ptr<Table>> tables_;
    uint64_t serial_ = 0;
};

}  // namespace rtnl::record
