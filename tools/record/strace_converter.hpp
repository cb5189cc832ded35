// Turns strace output, line by line, into NetlinkPackets.
//
// Feed it lines in log order; it calls the packet sink for each netlink send or
// receive (in the order the calls completed) and the diagnostic sink for each
// line it could not use. Works incrementally, so it can follow a live log.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fd_table.hpp"
#include "packet.hpp"
#include "strace_line.hpp"
#include "strace_value.hpp"

namespace rtnl::record {

class StraceConverter {
public:
    using PacketSink = std::function<void(NetlinkPacket&&)>;
    using DiagSink = std::function<void(size_t line, const std::string& message)>;

    struct Stats {
        uint64_t lines = 0;
        uint64_t packets = 0;
        uint64_t peeks_skipped = 0;   // MSG_PEEK probes (not real receives)
        uint64_t failed_calls = 0;    // netlink I/O that returned an error or 0
        uint64_t interrupted_calls = 0;  // netlink I/O a signal ended (Ctrl-C in a blocking receive)
        uint64_t rebuilt_whole = 0;   // message bodies rebuilt from strace's decoded form, every byte
        uint64_t rebuilt_partial = 0; // ... with gaps where strace printed '...' or abbreviated
        uint64_t diagnostics = 0;
        uint64_t strace_lines = 0;    // lines strace wrote (calls, dumps, notes)
        bool not_strace = false;      // the input is not an strace log at all: stop
    };

    StraceConverter(PacketSink packets, DiagSink diags);

    // What the live system can tell about processes the log does not explain
    // (set when recording, not when converting a log made elsewhere), asked
    // about socket calls (sendmsg, recvfrom, ...) on descriptors the log has
    // not explained; comm(pid): "" = unknown.
    using FdResolver = std::function<FdFamily(int pid, int fd)>;
    using CommResolver = std::function<std::string(int pid)>;
    using TgidResolver = std::function<std::optional<int>(int tid)>;
    void set_resolvers(FdResolver fd_family, CommResolver comm, TgidResolver tgid) {
        fd_resolver_ = std::move(fd_family);
        comm_resolver_ = std::move(comm);
        tgid_resolver_ = std::move(tgid);
    }

    // Netlink sockets a process had before the trace began (attach): pid and its
    // threads (sharing one descriptor table), fd -> family.
    void preload(int pid, const std::vector<int>& threads, const std::map<int, uint16_t>& netlink_fds);

    void feed_line(std::string_view line);  // the next line of the log
    // Emits a packet still waiting for more hexdump lines (a live log that has
    // gone quiet: strace writes a call's lines together).
    void flush() { flush_pending(); }
    void finish();                           // end of log
    const Stats& stats() const { return stats_; }

private:
    struct Pending {
        NetlinkPacket pkt;
        std::string name;
        uint64_t expected = 0;
        bool iov = false;          // dump comes as " * N bytes in buffer K" sections
        bool broken = false;       // a dump line was missing: keep only what came before
        int buffer = -1;
        uint64_t buffer_len = 0;
        uint64_t pos = 0;          // bytes of the current buffer seen so far
        TextPayload text;          // the bytes as strace's call text shows them (no hexdump)
    };
    struct Unfinished {
        std::string name;
        std::string head;
        size_t line = 0;
        std::optional<int64_t> entry_ts;
    };
    struct CallTimes {
        std::optional<int64_t> entry, exit;
    };

    static CallTimes call_times(std::optional<int64_t> entry, std::string_view text);
    bool is_netlink_fd(int pid, std::string_view args);
    void send_done(int pid);
    void on_call(std::optional<int> pid, CallTimes times, const std::string& name,
                 std::string_view text, size_t line);
    void on_io(int pid, std::optional<int64_t> ts, const std::string& name, const CallResult& r,
               std::string_view text, size_t line, bool send);
    void on_hexdump(const StraceLine& l);
    void on_buffer_header(const StraceLine& l);
    void flush_pending();
    void emit(NetlinkPacket&& p, bool has_ts);
    void diag(size_t line, std::string message);
    void release_held_diags();
    std::optional<int64_t> timestamp(const StraceLine& l);
    std::string comm_of(int pid);
    int tgid_of(int tid);

    FdResolver fd_resolver_;
    CommResolver comm_resolver_;
    TgidResolver tgid_resolver_;
    // thread -> process, from clone(CLONE_THREAD), the attach's /proc/PID/task
    // and the resolver; a tid never seen as a thread leads its own process
    std::map<int, int> tgids_;
    std::map<int, std::string> comms_;       // from execve() lines, inherited over clone()
    std::optional<bool> relative_ts_;        // -r: timestamps are deltas
    int64_t relative_clock_ = 0;

    PacketSink packet_sink_;
    DiagSink diag_sink_;
    ProcessFdTables fds_;
    std::map<int, Unfinished> unfinished_;   // by pid (a thread has one call in flight)
    std::optional<Pending> pending_;         // netlink I/O waiting for its hexdump
    // Sends on netlink sockets begun but not completed (<unfinished ...>), by
    // pid; while there are any, packets are held back and then written in the
    // order of their timestamps.
    std::set<int> sends_in_flight_;
    std::vector<NetlinkPacket> held_;
    bool swallow_dump_ = false;              // hexdump of a call we do not record
    std::set<std::pair<int, int>> guessed_fds_;
    std::optional<int64_t> last_ts_;
    bool hinted_ = false;                    // the advice to record hexdumps was given
    std::vector<std::pair<size_t, std::string>> held_diags_;  // before strace's first line
    Stats stats_;
};

}  // namespace rtnl::record
