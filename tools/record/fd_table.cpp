#include "fd_table.hpp"

namespace rtnl::record {

ProcessFdTables::Table& ProcessFdTables::table_for(int pid) {
    auto& t = tables_[pid];
    if (!t) t = std::make_shared<Table>();
    return *t;
}

void ProcessFdTables::on_socket(int pid, int fd, std::optional<uint16_t> netlink_family) {
    Entry e;
    e.netlink = netlink_family.has_value();
    e.family = netlink_family.value_or(0);
    e.serial = ++serial_;
    table_for(pid)[fd] = e;
}

void ProcessFdTables::on_close(int pid, int fd) {
    auto it = tables_.find(pid);
    if (it != tables_.end()) it->second->erase(fd);
}

void ProcessFdTables::on_dup(int pid, int oldfd, int newfd) {
    if (oldfd == newfd) return;
    auto& t = table_for(pid);
    auto it = t.find(oldfd);
    if (it == t.end()) {
        t.erase(newfd);  // whatever newfd was, it is now something we do not know
        return;
    }
    Entry e = it->second;
    e.serial = ++serial_;
    t[newfd] = e;
}

void ProcessFdTables::on_clone(int parent, int child, bool share_files) {
    if (parent == child) return;
    auto& ptab = tables_[parent];
    if (!ptab) ptab = std::make_shared<Table>();
    // With strace -f the child's first calls may be printed before clone() returns
    // in the parent: keep what the child already did.
    std::shared_ptr<Table> early;
    if (auto it = tables_.find(child); it != tables_.end()) early = it->second;
    if (share_files) {
        if (early && early != ptab)
            for (auto& [fd, e] : *early) (*ptab)[fd] = e;
        tables_[child] = ptab;
    } else {
        auto copy = std::make_shared<Table>(*ptab);
        if (early)
            for (auto& [fd, e] : *early) (*copy)[fd] = e;
        tables_[child] = copy;
    }
}

ProcessFdTables::Result ProcessFdTables::lookup(int pid, int fd, bool search_others) const {
    Result r;
    auto own = tables_.find(pid);
    if (own != tables_.end()) {
        auto it = own->second->find(fd);
        if (it != own->second->end()) {
            r.kind = it->second.netlink ? Kind::Netlink : Kind::NotNetlink;
            r.family = it->second.family;
            return r;
        }
        if (!search_others) return r;
    }
    const Entry* best = nullptr;
    for (auto& [p, t] : tables_) {
        auto it = t->find(fd);
        if (it != t->end() && (!best || it->second.serial > best->serial)) best = &it->second;
    }
    if (best) {
        r.kind = best->netlink ? Kind::Netlink : Kind::NotNetlink;
        r.family = best->family;
        r.guessed = true;
    }
    return r;
}

}  // namespace rtnl::record
