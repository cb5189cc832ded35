// Running a command under strace with the options the converter understands.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rtnl::record {

// The syscalls rtnl-record asks strace to trace.
extern const char* const kTracedSyscalls;

// Finds an executable on $PATH (or returns name itself if it contains a '/').
std::optional<std::string> find_on_path(const std::string& name);

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

}  // namespace rtnl::record
