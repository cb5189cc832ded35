// Running a command under strace with the options the converter understands.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

namespace rtnl::record {

// The syscalls rtnl-record asks strace to trace.
extern const char* const kTracedSyscalls;

// Finds an executable on $PATH (or returns name itself if it contains a '/').
std::optional<std::string> find_on_path(const std::string& name);

// The strace options rtnl-record runs with (after the strace path, before -o).
std::vector<std::string> strace_options();

// The strace command line that writes its log to log_path.
std::vector<std::string> strace_command(const std::string& strace_path, const std::string& log_path,
                                        const std::vector<std::string>& command);

struct RunResult {
    bool started = false;
    int exit_status = -1;  // strace's status (= the command's), 128+N for signal N
    std::string error;
};

// Runs argv[0] with argv, waiting for it. SIGINT/SIGQUIT are ignored by this
// process meanwhile (strace and the command get them and end), so the log can
// still be converted. stdout_to_stderr: the child's stdout goes to our stderr
// (used when the capture itself goes to stdout).
RunResult run_and_wait(const std::vector<std::string>& argv, bool stdout_to_stderr);

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
    int exit_status = -1;      // strace's exit status, 128+N for signal N
    uint64_t lines = 0;        // log lines read
    bool interrupted = false;  // SIGINT / SIGTERM / SIGHUP arrived
    bool stopped = false;      // on_line asked to stop
    std::string strace_stderr; // what strace said on stderr (attach mode; also relayed)
    std::string error;
};

// SIGINT, SIGTERM and SIGHUP to this process end the recording cleanly: in
// attach mode strace is told to detach (the processes go on); when running a
// command, the command gets the signal and strace ends with it. The log is
// read to its end either way.
LiveResult run_strace_live(const LiveRun& run);

}  // namespace rtnl::record
