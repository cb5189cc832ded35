// rtnl-record's bpf engine: an eBPF program (bpf/netlink_tap.bpf.c) on the
// sys_enter/sys_exit raw tracepoints records every send and receive on
// netlink sockets - system-wide, or for chosen processes - without ptrace.
// Built only where clang, bpftool and libbpf were found (bpf_engine.cpp);
// otherwise bpf_engine_missing.cpp says why.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bpf_ring.hpp"
#include "packet.hpp"

namespace rtnl::record {

struct BpfRecording {
    std::vector<int> pids;             // -p: these processes, their threads and children
    std::vector<std::string> command;  // -- COMMAND: run it and record it (and its children)
    std::optional<std::string> comm;   // --comm: only tasks of this command name
    std::optional<std::string> cgroup; // --cgroup: only tasks in this cgroup (v2) or below
    std::optional<std::string> netns;  // --netns: only sockets of this namespace (name or path)
    uint32_t ring_mib = 64;            // ring buffer size
    bool command_stdout_to_stderr = false;
    std::FILE* ring_log = nullptr;     // --ring-log: every raw record, after its length (4 bytes, host order)
    // Each packet, in time order; false: stop (the output broke).
    std::function<bool(NetlinkPacket&&)> put;
    // Called once the program is attached (recording has begun).
    std::function<void()> on_ready;
    // Records lost so far in a namespace (ring buffer full), to be marked in the file.
    std::function<void(uint64_t netns, uint64_t lost, int64_t ts_nsec)> mark_drops;
};

struct BpfOutcome {
    std::optional<std::string> error;  // could not start (why, for the user)
    bool interrupted = false;          // stopped by SIGINT / SIGTERM / SIGHUP
    std::optional<int> command_status; // -- COMMAND: its exit status (128 + signal if killed)
    RingStats ring;
    uint64_t lost = 0;       // records the ring buffer had no room for
    uint64_t untracked = 0;  // calls not followed (too many at once)
};

// nullopt when the bpf engine can run here; otherwise why not (not built,
// not root, BPF refused, no BTF), in words for the user.
std::optional<std::string> bpf_engine_unavailable();

BpfOutcome record_bpf(const BpfRecording& r);

}  // namespace rtnl::record
