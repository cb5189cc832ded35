#include "proc_info.hpp"

#include <dirent.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <set>
#include <sstream>

namespace rtnl::record {

namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    if (!in) return {};
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::optional<std::string> read_link(const std::string& path) {
    char buf[256];
    ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
    if (n < 0) return std::nullopt;
    return std::string(buf, size_t(n));
}

std::vector<int> numeric_entries(const std::string& dir) {
    std::vector<int> out;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return out;
    while (auto* e = ::readdir(d)) {
        char* end = nullptr;
        long v = std::strtol(e->d_name, &end, 10);
        if (end != e->d_name && *end == '\0' && v >= 0) out.push_back(int(v));
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

// The descriptor itself, duplicated into this process (Linux >= 5.6, needs the
// same permission as ptrace): SO_DOMAIN / SO_PROTOCOL then say what it is.
// For netlink sockets never bound (not yet in /proc/net/netlink).
FdFamily family_via_pidfd(int pid, int fd) {
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_getfd)
    int pidfd = int(::syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) return FdFamily::unknown();
    int copy = int(::syscall(SYS_pidfd_getfd, pidfd, fd, 0));
    ::close(pidfd);
    if (copy < 0) return FdFamily::unknown();
    int domain = -1, proto = -1;
    socklen_t len = sizeof domain;
    bool ok = ::getsockopt(copy, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0;
    len = sizeof proto;
    ok = ok && ::getsockopt(copy, SOL_SOCKET, SO_PROTOCOL, &proto, &len) == 0;
    ::close(copy);
    if (!ok) return FdFamily::unknown();
    if (domain != AF_NETLINK) return FdFamily::not_netlink();
    return FdFamily::netlink(uint16_t(proto));
#else
    (void)pid;
    (void)fd;
    return FdFamily::unknown();
#endif
}

}  // namespace

std::map<uint64_t, uint16_t> parse_proc_net_netlink(const std::string& text) {
    std::map<uint64_t, uint16_t> out;
    std::istringstream in(text);
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (header) {  // "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode"
            header = false;
            if (line.find("Eth") != std::string::npos) continue;
        }
        std::istringstream ls(line);
        std::string sk, eth, pid, groups, rmem, wmem, dump, locks, drops, inode;
        if (!(ls >> sk >> eth >> pid >> groups >> rmem >> wmem >> dump >> locks >> drops >> inode)) continue;
        char* end = nullptr;
        unsigned long long ino = std::strtoull(inode.c_str(), &end, 10);
        if (*end) continue;
        long proto = std::strtol(eth.c_str(), &end, 10);
        if (*end || proto < 0 || proto > 0xffff) continue;
        out[ino] = uint16_t(proto);
    }
    return out;
}

std::optional<uint64_t> socket_inode_from_link(const std::string& link) {
    if (link.rfind("socket:[", 0) != 0 || link.back() != ']') return std::nullopt;
    char* end = nullptr;
    unsigned long long v = std::strtoull(link.c_str() + 8, &end, 10);
    if (*end != ']') return std::nullopt;
    return v;
}

FdFamily proc_fd_netlink_family(int pid, int fd) {
    auto link = read_link("/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd));
    if (!link) return FdFamily::unknown();
    auto inode = socket_inode_from_link(*link);
    if (!inode) return FdFamily::not_netlink();  // a file, pipe, ...
    auto table = parse_proc_net_netlink(read_text("/proc/" + std::to_string(pid) + "/net/netlink"));
    if (auto it = table.find(*inode); it != table.end()) return FdFamily::netlink(it->second);
    // not listed: another kind of socket, or a netlink socket not bound yet
    return family_via_pidfd(pid, fd);
}

std::map<int, uint16_t> proc_netlink_fds(int pid) {
    std::map<int, uint16_t> out;
    auto table = parse_proc_net_netlink(read_text("/proc/" + std::to_string(pid) + "/net/netlink"));
    std::string dir = "/proc/" + std::to_string(pid) + "/fd";
    for (int fd : numeric_entries(dir)) {
        auto link = read_link(dir + "/" + std::to_string(fd));
        if (!link) continue;
        auto inode = socket_inode_from_link(*link);
        if (!inode) continue;
        if (auto it = table.find(*inode); it != table.end()) {
            out[fd] = it->second;
        } else if (auto r = family_via_pidfd(pid, fd); r.kind == FdFamily::Kind::Netlink) {
            out[fd] = r.family;
        }
    }
    return out;
}

std::string proc_comm(int pid) {
    std::string c = read_text("/proc/" + std::to_string(pid) + "/comm");
    while (!c.empty() && (c.back() == '\n' || c.back() == '\r')) c.pop_back();
    return c;
}

// A "Name:\tvalue" line of /proc/PID/status as a number.
std::optional<int> proc_status_number(int pid, const std::string& key) {
    std::istringstream in(read_text("/proc/" + std::to_string(pid) + "/status"));
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + ":", 0) == 0) return std::atoi(line.c_str() + key.size() + 1);
    return std::nullopt;
}

std::optional<int> proc_tgid(int tid) { return proc_status_number(tid, "Tgid"); }

std::vector<int> proc_ancestors(int pid) {
    std::vector<int> out;
    for (auto p = proc_status_number(pid, "PPid"); p && *p > 0 && out.size() < 4096;
         p = proc_status_number(*p, "PPid"))
        out.push_back(*p);
    return out;
}

bool proc_exists(int pid) { return pid > 0 && ::access(("/proc/" + std::to_string(pid)).c_str(), F_OK) == 0; }

std::vector<int> proc_tasks(int pid) {
    auto t = numeric_entries("/proc/" + std::to_string(pid) + "/task");
    if (t.empty()) t.push_back(pid);
    return t;
}

std::vector<int> proc_descendants(int pid) {
    std::vector<int> out;
    std::set<int> seen{pid};
    std::vector<int> todo{pid};
    while (!todo.empty()) {
        int p = todo.back();
        todo.pop_back();
        for (int tid : proc_tasks(p)) {
            std::istringstream in(read_text("/proc/" + std::to_string(p) + "/task/" + std::to_string(tid) +
                                            "/children"));
            int c;
            while (in >> c)
                if (seen.insert(c).second) {
                    out.push_back(c);
                    todo.push_back(c);
                }
        }
    }
    return out;
}

std::optional<int> yama_ptrace_scope() {
    std::string s = read_text("/proc/sys/kernel/yama/ptrace_scope");
    if (s.empty()) return std::nullopt;
    return std::atoi(s.c_str());
}

std::string ptrace_help() {
    std::string h =
        "rtnl-record: attaching needs ptrace permission over the process: run as the same user as the "
        "process (not a setuid or undumpable one) or as root / with CAP_SYS_PTRACE";
    if (auto scope = yama_ptrace_scope()) {
        h += "; /proc/sys/kernel/yama/ptrace_scope is " + std::to_string(*scope);
        if (*scope == 1) h += " (only a parent may trace its children: use root / CAP_SYS_PTRACE, or set it to 0)";
        if (*scope == 2) h += " (only CAP_SYS_PTRACE may attach: run as root)";
        if (*scope == 3) h += " (attaching is disabled until reboot)";
    }
    h += ". In a container, ptrace may need CAP_SYS_PTRACE and a seccomp profile that allows it.";
    return h;
}

}  // namespace rtnl::record
