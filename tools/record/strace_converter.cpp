#include "strace_converter.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace rtnl::record {

namespace {

constexpr int kNoPid = -1;  // lines without a pid prefix
// A file whose first lines are none of strace's is not an strace log.
constexpr size_t kLinesBeforeVerdict = 8;

bool is_one_of(const std::string& s, std::initializer_list<const char*> names) {
    for (auto* n : names)
        if (s == n) return true;
    return false;
}

bool is_send(const std::string& name) { return is_one_of(name, {"sendmsg", "sendto", "write", "writev"}); }
bool is_io(const std::string& name) {
    return is_send(name) || is_one_of(name, {"recvmsg", "recvfrom", "read", "readv"});
}

std::string hex(uint64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

std::string excerpt(std::string_view line) {
    line = trim(line);
    if (line.size() > 60) return std::string(line.substr(0, 57)) + "...";
    return std::string(line);
}

}  // namespace

StraceConverter::StraceConverter(PacketSink packets, DiagSink diags)
    : packet_sink_(std::move(packets)), diag_sink_(std::move(diags)) {}

void StraceConverter::diag(size_t line, std::string message) {
    if (!stats_.strace_lines) {
        // until strace's first line, the input may not be a log at all: one verdict then, not a line each
        held_diags_.emplace_back(line, std::move(message));
        return;
    }
    ++stats_.diagnostics;
    if (diag_sink_) diag_sink_(line, message);
}

void StraceConverter::release_held_diags() {
    auto held = std::exchange(held_diags_, {});
    for (auto& [line, message] : held) diag(line, std::move(message));
}

std::optional<int64_t> StraceConverter::timestamp(const StraceLine& l) {
    if (!l.ts_usec) return std::nullopt;
    // -r: deltas, right-aligned, small (the first is usually 0.000000); -ttt: since 1970
    if (!relative_ts_) relative_ts_ = l.ts_padded && *l.ts_usec < int64_t(100000000) * 1000000;
    if (!*relative_ts_) return l.ts_usec;
    if (relative_clock_ < INT64_MAX / 2) relative_clock_ += *l.ts_usec;  // a hostile log's deltas cannot overflow it
    return relative_clock_;
}

void StraceConverter::preload(int pid, const std::vector<int>& threads, const std::map<int, uint16_t>& netlink_fds) {
    for (auto& [fd, family] : netlink_fds) fds_.on_socket(pid, fd, family);
    for (int tid : threads) {
        fds_.on_clone(pid, tid, true);
        tgids_[tid] = pid;
    }
}

int StraceConverter::tgid_of(int tid) {
    if (auto it = tgids_.find(tid); it != tgids_.end()) return it->second;
    // not a thread the log saw created: ask the live system, else it leads its own process
    std::optional<int> live = tgid_resolver_ && tid >= 0 ? tgid_resolver_(tid) : std::nullopt;
    return tgids_[tid] = live.value_or(tid);
}

std::string StraceConverter::comm_of(int pid) {
    if (auto it = comms_.find(pid); it != comms_.end()) return it->second;
    std::string c = comm_resolver_ && pid >= 0 ? comm_resolver_(pid) : std::string();
    if (!c.empty()) comms_[pid] = c;
    return c;
}

void StraceConverter::feed_line(std::string_view text) {
    size_t line = ++stats_.lines;
    StraceLine l = parse_strace_line(text);
    switch (l.kind) {
    case LineKind::HexDump:
        if (!stats_.strace_lines++) release_held_diags();
        on_hexdump(l);
        return;
    case LineKind::BufferHeader:
        if (!stats_.strace_lines++) release_held_diags();
        on_buffer_header(l);
        return;
    case LineKind::Garbage:
        // Not strace's: e.g. the traced program's own stderr when strace shares it.
        // It does not end the dump of the previous call.
        if (!stats_.strace_lines && text.find('\0') != std::string_view::npos) stats_.not_strace = true;
        if (!stats_.strace_lines && line >= kLinesBeforeVerdict) stats_.not_strace = true;
        if (!stats_.not_strace) diag(line, l.error + ": " + excerpt(text));
        return;
    default:
        break;
    }
    if (l.kind != LineKind::Empty && !stats_.strace_lines++) release_held_diags();
    // Any other strace line ends the dump of the previous call.
    flush_pending();
    swallow_dump_ = false;

    switch (l.kind) {
    case LineKind::Empty:
        return;
    case LineKind::Ignorable:
        timestamp(l);
        // "+++ killed by SIGINT +++", "+++ exited with 0 +++": a call in flight never completes
        if (l.pid && text.find("+++ ") != std::string_view::npos) {
            if (auto it = unfinished_.find(*l.pid); it != unfinished_.end()) {
                if (is_io(it->second.name)) ++stats_.interrupted_calls;
                unfinished_.erase(it);
            }
            send_done(*l.pid);
        }
        return;
    case LineKind::Syscall:
        on_call(l.pid, call_times(timestamp(l), l.text), l.name, l.text, line);
        return;
    case LineKind::Unfinished: {
        auto ts = timestamp(l);  // -r deltas count from every line
        int pid = l.pid.value_or(kNoPid);
        if (auto it = unfinished_.find(pid); it != unfinished_.end())
            diag(it->second.line, it->second.name + " <unfinished ...> was never resumed");
        unfinished_[pid] = Unfinished{l.name, l.text, line, ts};
        if (is_send(l.name) && is_netlink_fd(pid, l.text)) sends_in_flight_.insert(pid);
        return;
    }
    case LineKind::Resumed: {
        int pid = l.pid.value_or(kNoPid);
        auto it = unfinished_.find(pid);
        if (it == unfinished_.end() || it->second.name != l.name) {
            diag(line, "<... " + l.name + " resumed> without a matching <unfinished ...> call");
            swallow_dump_ = true;
            return;
        }
        std::string full = it->second.head + l.text;
        // entry: when the unfinished part was printed; exit: now
        CallTimes times{it->second.entry_ts, timestamp(l)};
        unfinished_.erase(it);
        on_call(l.pid, times, l.name, full, line);
        if (!pending_) send_done(pid);  // no packet comes of it
        return;
    }
    default:
        return;
    }
}

StraceConverter::CallTimes StraceConverter::call_times(std::optional<int64_t> entry, std::string_view text) {
    // strace stamps a line when the call begins; -T adds how long it took
    CallTimes t{entry, entry};
    if (entry) {
        CallResult r = parse_call_text(text);
        if (r.duration_usec) t.exit = *entry + *r.duration_usec;
    }
    return t;
}

bool StraceConverter::is_netlink_fd(int pid, std::string_view args) {
    std::string_view first = args.substr(0, args.find(','));
    if (parse_fd_netlink_family(first)) return true;
    auto fd = parse_fd_arg(first);
    return fd && fds_.lookup(pid, *fd, true).kind == ProcessFdTables::Kind::Netlink;
}

void StraceConverter::send_done(int pid) {
    if (!sends_in_flight_.erase(pid) || !sends_in_flight_.empty()) return;
    // Nothing in flight any more: what completed meanwhile goes out in time order,
    // so a request comes before the answers and notifications it caused.
    std::stable_sort(held_.begin(), held_.end(),
                     [](const NetlinkPacket& a, const NetlinkPacket& b) { return a.ts_nsec < b.ts_nsec; });
    for (auto& p : held_)
        if (packet_sink_) packet_sink_(std::move(p));
    held_.clear();
}

void StraceConverter::on_call(std::optional<int> opt_pid, CallTimes times,
                              const std::string& name, std::string_view text, size_t line) {
    const int pid = opt_pid.value_or(kNoPid);
    const bool send = is_send(name);
    const bool recv = is_one_of(name, {"recvmsg", "recvfrom", "read", "readv"});
    const bool fdop = is_one_of(name, {"socket", "close", "dup", "dup2", "dup3", "fcntl", "fcntl64", "clone",
                                       "clone3", "fork", "vfork"});
    const bool mmsg = is_one_of(name, {"sendmmsg", "recvmmsg"});
    const bool exec = is_one_of(name, {"execve", "execveat"});
    if (!send && !recv && !fdop && !mmsg && !exec) {
        swallow_dump_ = true;  // e.g. pwrite64 dumps with -e write=all
        return;
    }
    CallResult r = parse_call_text(text);
    if (!r.ok) {
        diag(line, name + ": " + r.error);
        swallow_dump_ = true;
        return;
    }
    const int64_t ret = r.ret.value_or(-1);
    auto arg = [&](size_t i) -> std::string_view { return i < r.args.size() ? std::string_view(r.args[i]) : ""; };

    if (send || recv) {
        // a send is stamped when it began, a receive when its data arrived
        on_io(pid, send ? times.entry : times.exit, name, r, text, line, send);
        return;
    }
    swallow_dump_ = true;
    if (mmsg) {
        auto fd = parse_fd_arg(arg(0));
        if (fd && ret > 0 && fds_.lookup(pid, *fd, true).kind == ProcessFdTables::Kind::Netlink)
            diag(line, name + " on a netlink socket is not supported: its messages are not recorded");
        return;
    }
    if (ret < 0) return;  // failed or unknown result: nothing changed
    if (exec) {
        // execve("/usr/sbin/ip", [...]) = 0: the kernel's comm is the file name, 15 chars at most
        std::string_view path = arg(name == "execveat" ? 1 : 0);
        size_t used = 0;
        if (auto bytes = decode_strace_string(path, used)) {
            std::string p(bytes->begin(), bytes->end());
            std::string base = p.substr(p.rfind('/') == std::string::npos ? 0 : p.rfind('/') + 1);
            if (!base.empty()) comms_[pid] = base.substr(0, 15);
        }
        return;
    }
    if (name == "socket") {
        std::string_view dom = arg(0);
        // AF_NETLINK, or 16 / 0x10 as -X raw prints it
        bool netlink = dom == "AF_NETLINK" || dom == "PF_NETLINK" || netlink_family_from_name(dom) == 16;
        std::optional<uint16_t> fam;
        if (netlink) {
            fam = netlink_family_from_name(arg(2));
            if (!fam) {
                diag(line, "socket(AF_NETLINK, ...) with an unreadable protocol '" + std::string(arg(2)) +
                               "': assuming NETLINK_ROUTE");
                fam = 0;
            }
        }
        fds_.on_socket(pid, int(ret), fam);
    } else if (name == "close") {
        if (auto fd = parse_fd_arg(arg(0)); fd && ret == 0) fds_.on_close(pid, *fd);
    } else if (name == "dup" || name == "dup2" || name == "dup3") {
        if (auto fd = parse_fd_arg(arg(0))) fds_.on_dup(pid, *fd, int(ret));
    } else if (name == "fcntl" || name == "fcntl64") {
        if (arg(1).substr(0, 7) == "F_DUPFD")
            if (auto fd = parse_fd_arg(arg(0))) fds_.on_dup(pid, *fd, int(ret));
    } else if (ret > 0) {  // clone, clone3, fork, vfork in the parent
        bool share = name.rfind("clone", 0) == 0 && text.find("CLONE_FILES") != std::string_view::npos;
        fds_.on_clone(pid, int(ret), share);
        if (text.find("CLONE_THREAD") != std::string_view::npos) tgids_[int(ret)] = tgid_of(pid);
        if (auto it = comms_.find(pid); it != comms_.end() && !comms_.count(int(ret))) comms_[int(ret)] = it->second;
    }
}

void StraceConverter::on_io(int pid, std::optional<int64_t> ts, const std::string& name, const CallResult& r,
                            std::string_view text, size_t line, bool send) {
    swallow_dump_ = true;  // unless it becomes pending below
    auto fd = r.args.empty() ? std::nullopt : parse_fd_arg(r.args[0]);
    if (!fd) {
        diag(line, name + ": unreadable file descriptor");
        return;
    }
    uint16_t family = 0;
    if (auto deco = parse_fd_netlink_family(r.args[0])) {
        family = *deco;  // strace -yy said so
    } else {
        const bool socket_call = name.find("msg") != std::string::npos || name == "sendto" || name == "recvfrom";
        if (fd_resolver_ && socket_call && pid >= 0 &&
            fds_.lookup(pid, *fd, false).kind == ProcessFdTables::Kind::Unknown) {
            // a socket from before the trace began (inherited, passed over a unix
            // socket): ask /proc. Only for socket calls: read()/write() may be on
            // a file opened without a traced call, whose number is a socket by now.
            FdFamily known = fd_resolver_(pid, *fd);
            if (known.kind == FdFamily::Kind::Netlink) fds_.on_socket(pid, *fd, known.family);
            if (known.kind == FdFamily::Kind::NotNetlink) fds_.on_socket(pid, *fd, std::nullopt);
        }
        auto found = fds_.lookup(pid, *fd, socket_call || !fds_.knows_pid(pid));
        bool strace_says_netlink = text.find("{nlmsg_len=") != std::string_view::npos ||
                                   text.find("sa_family=AF_NETLINK") != std::string_view::npos ||
                                   r.args[0].find("<NETLINK:") != std::string::npos;
        if (found.kind == ProcessFdTables::Kind::Netlink && (!found.guessed || strace_says_netlink ||
                                                              socket_call)) {
            family = found.family;
        } else if (strace_says_netlink && found.kind != ProcessFdTables::Kind::Netlink) {
            if (guessed_fds_.insert({pid, *fd}).second)
                diag(line, "fd " + std::to_string(*fd) +
                               " is a netlink socket whose socket() call is not in the log: assuming NETLINK_ROUTE");
            family = 0;
        } else {
            return;  // not a netlink socket
        }
    }
    if (!r.ret || *r.ret <= 0) {
        // EINTR, ERESTARTSYS, ...: a signal (Ctrl-C) came during a blocking call
        bool interrupted = r.err_name == "EINTR" || r.err_name.rfind("ERESTART", 0) == 0;
        ++(interrupted ? stats_.interrupted_calls : stats_.failed_calls);
        return;
    }
    if (!send) {
        size_t flags_arg = name == "recvmsg" ? 2 : name == "recvfrom" ? 3 : SIZE_MAX;
        constexpr long kMsgPeek = 0x2;  // -X raw prints the flags as a number
        if (flags_arg < r.args.size() && (r.args[flags_arg].find("MSG_PEEK") != std::string::npos ||
                                          (std::strtol(r.args[flags_arg].c_str(), nullptr, 0) & kMsgPeek))) {
            ++stats_.peeks_skipped;  // a probe: the data is read again by the next call
            return;
        }
    }
    Pending p;
    p.name = name;
    p.expected = uint64_t(*r.ret);
    p.iov = name == "sendmsg" || name == "recvmsg" || name == "readv" || name == "writev";
    constexpr int64_t kMaxUsec = INT64_MAX / 1000;  // -r deltas summed over a long, hostile log
    p.pkt.ts_nsec = ts && *ts < kMaxUsec && *ts > -kMaxUsec ? *ts * 1000 : INT64_MIN;  // strace prints microseconds
    p.pkt.pkttype = send ? kPacketOutgoing : kPacketHost;
    p.pkt.family = family;
    p.pkt.orig_len = uint32_t(*r.ret);
    p.pkt.tid = pid;  // strace names threads; the process is found when the packet is written
    p.pkt.port = parse_fd_netlink_port(r.args[0]);  // -yy: 3<NETLINK:[ROUTE:4129]>
    p.pkt.fd = *fd;
    p.pkt.line = line;
    p.pkt.syscall = name;
    p.text = payload_from_call_text(name, r.args, uint64_t(*r.ret));
    pending_ = std::move(p);
    swallow_dump_ = false;
}

void StraceConverter::on_buffer_header(const StraceLine& l) {
    size_t line = stats_.lines;
    if (!pending_) {
        if (!swallow_dump_) diag(line, "buffer header without a preceding call");
        return;
    }
    Pending& p = *pending_;
    if (p.broken) return;
    if (!p.iov) {
        diag(line, "unexpected buffer header in the dump of " + p.name);
        p.broken = true;
        return;
    }
    if (p.buffer >= 0 && p.pos < p.buffer_len) {
        diag(line, "dump of buffer " + std::to_string(p.buffer) + " is incomplete");
        p.broken = true;
        return;
    }
    if (int(l.buffer_index) != p.buffer + 1) {
        diag(line, "buffer " + std::to_string(l.buffer_index) + " follows buffer " + std::to_string(p.buffer));
        p.broken = true;
        return;
    }
    p.buffer = int(l.buffer_index);
    p.buffer_len = l.buffer_bytes;
    p.pos = 0;
}

void StraceConverter::on_hexdump(const StraceLine& l) {
    size_t line = stats_.lines;
    if (!pending_) {
        if (!swallow_dump_) diag(line, "hexdump line without a preceding call");
        return;
    }
    Pending& p = *pending_;
    if (p.broken) return;
    if (p.iov && p.buffer < 0) {
        diag(line, "hexdump of " + p.name + " without a ' * N bytes in buffer K' header");
        p.broken = true;
        return;
    }
    if (l.dump_offset != p.pos) {
        diag(line, "hexdump offset " + hex(l.dump_offset) + " where " + hex(p.pos) + " was expected (lines missing?)");
        p.broken = true;
        return;
    }
    size_t n = l.dump_bytes.size();
    // what the buffer and the call still have room for (none, after a hostile dump overran them)
    if (p.iov && p.pos + n > p.buffer_len) n = p.pos < p.buffer_len ? size_t(p.buffer_len - p.pos) : 0;
    if (p.pkt.payload.size() + n > p.expected)
        n = p.pkt.payload.size() < p.expected ? size_t(p.expected - p.pkt.payload.size()) : 0;
    if (n < l.dump_bytes.size()) diag(line, "hexdump holds more bytes than the call transferred; extra bytes ignored");
    p.pkt.payload.insert(p.pkt.payload.end(), l.dump_bytes.begin(), l.dump_bytes.begin() + long(n));
    p.pos += l.dump_bytes.size();
    if (p.pkt.payload.size() == p.expected) {
        // complete: emit now (a live log may not print another line for a while)
        flush_pending();
        swallow_dump_ = true;
    }
}

void StraceConverter::flush_pending() {
    if (!pending_) return;
    Pending p = std::move(*pending_);
    pending_.reset();
    bool has_ts = p.pkt.ts_nsec != INT64_MIN;
    if (p.pkt.payload.empty()) {
        // no hexdump: the bytes strace printed in the call itself ("\x34\x00...")
        if (!p.text.ok() || p.text.bytes.empty()) {
            diag(p.pkt.line, p.name + " on netlink fd " + std::to_string(p.pkt.fd) + " transferred " +
                                 std::to_string(p.expected) + " bytes but no hexdump follows and " +
                                 (p.text.ok() ? std::string("strace printed none of them")
                                              : p.text.error) +
                                 (std::exchange(hinted_, true) ? "" : " (run strace with -e write=all -e read=all)"));
            return;
        }
        p.pkt.payload = std::move(p.text.bytes);
        stats_.rebuilt_whole += p.text.messages_whole;
        stats_.rebuilt_partial += p.text.messages_partial;
        if (p.text.messages_partial)
            diag(p.pkt.line, p.name + ": " + std::to_string(p.text.messages_partial) +
                                 " message(s) rebuilt from strace's decoding with gaps (zeros): " + p.text.partial_why);
        if (p.text.truncated || p.pkt.payload.size() < p.expected)
            diag(p.pkt.line, p.name + ": strace showed only " + std::to_string(p.pkt.payload.size()) + " of " +
                                 std::to_string(p.expected) +
                                 (p.text.header_alone ? " bytes (it read a buffer as a netlink header and printed "
                                                        "nothing after it)"
                                                      : " bytes (its -s limit?)") +
                                 "; packet written truncated, with its true length");
    } else if (p.pkt.payload.size() < p.expected) {
        diag(p.pkt.line, p.name + ": hexdump has only " + std::to_string(p.pkt.payload.size()) + " of " +
                             std::to_string(p.expected) + " bytes; packet written truncated, with its true length");
    }
    p.pkt.comm = comm_of(p.pkt.tid);
    p.pkt.tgid = tgid_of(p.pkt.tid);
    int pid = p.pkt.tid;
    bool send = p.pkt.pkttype == kPacketOutgoing;
    emit(std::move(p.pkt), has_ts);
    if (send) send_done(pid);
}

void StraceConverter::emit(NetlinkPacket&& p, bool has_ts) {
    if (!has_ts) p.ts_nsec = last_ts_ ? *last_ts_ + 1000000 : 0;  // fake clock: 1 ms per packet
    last_ts_ = p.ts_nsec;
    ++stats_.packets;
    if (!sends_in_flight_.empty()) held_.push_back(std::move(p));
    else if (packet_sink_) packet_sink_(std::move(p));
}

void StraceConverter::finish() {
    if (!stats_.strace_lines && !held_diags_.empty()) stats_.not_strace = true;  // short, and none of it strace's
    held_diags_.clear();
    flush_pending();
    swallow_dump_ = false;
    for (auto& [pid, u] : unfinished_)
        if (is_io(u.name)) diag(u.line, u.name + " <unfinished ...> never completed before the log ended");
    unfinished_.clear();
    while (!sends_in_flight_.empty()) send_done(*sends_in_flight_.begin());
}

}  // namespace rtnl::record
