#include "strace_runner.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace rtnl::record {

const char* const kTracedSyscalls =
    "socket,close,dup,dup2,dup3,clone,clone3,fork,vfork,"
    "sendmsg,recvmsg,sendto,recvfrom,sendmmsg,recvmmsg,read,write,readv,writev";

std::optional<std::string> find_on_path(const std::string& name) {
    auto executable = [](const std::string& p) {
        struct stat st;
        return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
    };
    if (name.find('/') != std::string::npos) return executable(name) ? std::optional(name) : std::nullopt;
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
        size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        std::string dir = dirs.substr(start, end - start);
        if (dir.empty()) dir = ".";
        std::string cand = dir + "/" + name;
        if (executable(cand)) return cand;
        start = end + 1;
    }
    return std::nullopt;
}

std::vector<std::string> strace_command(const std::string& strace_path, const std::string& log_path,
                                        const std::vector<std::string>& command) {
    std::vector<std::string> argv = {
        strace_path, "-f", "-qq", "-ttt", "-xx", "-s", "65536",
        "-e", std::string("trace=") + kTracedSyscalls,
        "-e", "write=all", "-e", "read=all",
        "-o", log_path, "--"};
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

RunResult run_and_wait(const std::vector<std::string>& argv, bool stdout_to_stderr) {
    RunResult res;
    if (argv.empty()) {
        res.error = "empty command";
        return res;
    }
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);

    struct sigaction ign {}, old_int {}, old_quit {};
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);

    int errpipe[2];
    if (::pipe2(errpipe, O_CLOEXEC) != 0) {
        res.error = std::string("pipe: ") + std::strerror(errno);
        return res;
    }
    pid_t pid = ::fork();
    if (pid < 0) {
        res.error = std::string("fork: ") + std::strerror(errno);
        ::close(errpipe[0]);
        ::close(errpipe[1]);
        sigaction(SIGINT, &old_int, nullptr);
        sigaction(SIGQUIT, &old_quit, nullptr);
        return res;
    }
    if (pid == 0) {
        sigaction(SIGINT, &old_int, nullptr);
        sigaction(SIGQUIT, &old_quit, nullptr);
        ::close(errpipe[0]);
        if (stdout_to_stderr) ::dup2(2, 1);
        ::execv(cargv[0], cargv.data());
        int e = errno;
        (void)!::write(errpipe[1], &e, sizeof e);
        ::_exit(127);
    }
    ::close(errpipe[1]);
    int child_errno = 0;
    ssize_t n;
    do n = ::read(errpipe[0], &child_errno, sizeof child_errno);
    while (n < 0 && errno == EINTR);
    ::close(errpipe[0]);

    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGQUIT, &old_quit, nullptr);
    if (n == sizeof child_errno) {
        res.error = "cannot run " + argv[0] + ": " + std::strerror(child_errno);
        return res;
    }
    res.started = true;
    if (WIFEXITED(status)) res.exit_status = WEXITSTATUS(status);
    else if (WIFSIGNALED(status)) res.exit_status = 128 + WTERMSIG(status);
    return res;
}

}  // namespace rtnl::record
