// What /proc tells about traced processes: the netlink family of a descriptor
// opened before the trace began, command names, threads and children.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "packet.hpp"

namespace rtnl::record {

// Socket inode -> netlink protocol, from a /proc/net/netlink style table
// (columns: sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode; Eth is the
// protocol). Exposed for tests.
std::map<uint64_t, uint16_t> parse_proc_net_netlink(const std::string& text);

// The inode of "socket:[12345]", nullopt for anything else.
std::optional<uint64_t> socket_inode_from_link(const std::string& link);

// The family of pid's descriptor fd, read from /proc/PID/fd/FD and the netlink
// table of pid's own network namespace (/proc/PID/net/netlink); Unknown when
// it cannot tell (process gone, no permission).
FdFamily proc_fd_netlink_family(int pid, int fd);

// Every descriptor of pid that is a netlink socket, with its family.
std::map<int, uint16_t> proc_netlink_fds(int pid);

// /proc/PID/comm without its newline ("" when unreadable).
std::string proc_comm(int pid);

bool proc_exists(int pid);
std::optional<int> proc_tgid(int tid);       // the process a thread belongs to
std::vector<int> proc_ancestors(int pid);    // parent, grandparent, ... up to pid 1
std::vector<int> proc_tasks(int pid);        // thread ids, pid itself included
std::vector<int> proc_descendants(int pid);  // children, grandchildren, ... (best effort)

// /proc/sys/kernel/yama/ptrace_scope, nullopt when there is no Yama.
std::optional<int> yama_ptrace_scope();

// A few lines on what attaching needs, for error messages.
std::string ptrace_help();

}  // namespace rtnl::record
