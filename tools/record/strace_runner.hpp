// Running strace with the options the converter understands, its log streamed
// through a FIFO.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtnl::record {

// Finds an executable on $PATH (or returns name itself if it contains a '/').
std::optional<std::string> find_on_path(const std::string& name);

struct StraceChoice {
    bool attach = false;    // -p PID: strace cannot install its seccomp filter there
    bool trace_rw = false;  // also read()/write()/readv()/writev() (and the dump of every one)
};

// The strace options rtnl-record runs with (after the strace path, before -o):
// only the calls that carry netlink traffic or change the descriptor tables,
// stopped through seccomp-bpf when running a command, so untraced calls
// cost nothing.
std::vector<std::string> strace_options(const StraceChoice& choice);

// Runs strace and streams its log: strace writes into a FIFO in a private
// temporary folder, each complete line is handed to on_line as soon as strace
// writes it, on_idle is called when strace has been quiet for idle_ms.
struct LiveRun {
    std::vector<std::string> strace_argv;  // strace path and options, without -o
    std::vector<std::string> target;       // "--" COMMAND... or "-p" PID ...
    bool attach = false;                    // target is -p PID...
    bool stdout_to_stderr = false;          // the command's stdout goes to our stderr
    int idle_ms = 100;
    std::function<bool(std::string_view line)> on_line;  // false: stop recording (output broken)
    std::function<void()> on_idle;
};

struct LiveResult {
    bool started = false;
    int exit_status = -1;          // strace's exit status (the command's), 128+N for signal N
    std::uint64_t lines = 0;       // log lines read
    bool interrupted = false;      // SIGINT / SIGTERM / SIGHUP arrived
    bool stopped = false;          // on_line asked to stop, or an attach failed
    std::vector<int> attach_failed;  // pids strace could not attach to (attach mode)
    std::string strace_stderr;     // what strace said on stderr (attach mode; also relayed)
    std::string error;
};

// SIGINT, SIGTERM and SIGHUP to this process end the recording cleanly: in
// attach mode strace is told to detach (the processes go on); when running a
// command, the command gets the signal and strace ends with it. The log is
// read to its end either way. In attach mode a pid strace cannot attach to
// ends the recording at once: a capture that silently lacks a process would
// mislead.
LiveResult run_strace_live(const LiveRun& run);

// "strace: attach: ptrace(PTRACE_SEIZE, 1234): Operation not permitted" -> 1234
std::optional<int> attach_failure_pid(std::string_view strace_stderr_line);

}  // namespace rtnl::record
