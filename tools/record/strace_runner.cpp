#include "strace_runner.hpp"

#include <poll.h>
#include <sys/types.h>

#include <atomic>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <csignal>
#include <fcntl.h>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace rtnl::record {

const char* const kTracedSyscalls =
    "socket,close,dup,dup2,dup3,fcntl,clone,clone3,fork,vfork,execve,execveat,"
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

std::vector<std::string> strace_options() {
    return {"-f", "-qq", "-ttt", "-xx", "-s", "65536",
            "-e", std::string("trace=") + kTracedSyscalls,
            "-e", "signal=none",
            "-e", "write=all", "-e", "read=all"};
}

std::vector<std::string> strace_command(const std::string& strace_path, const std::string& log_path,
                                        const std::vector<std::string>& command) {
    std::vector<std::string> argv = {strace_path};
    for (auto& o : strace_options()) argv.push_back(o);
    argv.insert(argv.end(), {"-o", log_path, "--"});
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

namespace rtnl::record {

namespace {

int g_signal_pipe = -1;
volatile sig_atomic_t g_last_signal = 0;

void on_signal(int sig) {
    g_last_signal = sig;
    if (g_signal_pipe >= 0) {
        int saved = errno;
        char c = char(sig);
        (void)!::write(g_signal_pipe, &c, 1);
        errno = saved;
    }
}

// The processes strace itself started (the command).
std::vector<pid_t> children_of(pid_t pid) {
    std::vector<pid_t> out;
    std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
    pid_t c;
    while (in >> c) out.push_back(c);
    return out;
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

LiveResult run_strace_live(const LiveRun& run) {
    LiveResult res;
    char dir_tmpl[] = "/tmp/rtnl-record-XXXXXX";
    const char* tmpdir = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/rtnl-record-XXXXXX";
    std::vector<char> dirbuf(tmpl.begin(), tmpl.end());
    dirbuf.push_back('\0');
    (void)dir_tmpl;
    if (!::mkdtemp(dirbuf.data())) {
        res.error = "cannot create a temporary folder " + tmpl + ": " + std::strerror(errno);
        return res;
    }
    std::string dir = dirbuf.data();
    std::string fifo = dir + "/strace.log";
    auto cleanup_dir = [&] {
        ::unlink(fifo.c_str());
        ::rmdir(dir.c_str());
    };
    if (::mkfifo(fifo.c_str(), 0600) != 0) {
        res.error = "mkfifo " + fifo + ": " + std::strerror(errno);
        cleanup_dir();
        return res;
    }
    // Opened before strace starts, so strace's open for writing does not block.
    // Linux reports no hang-up on a FIFO that never had a writer.
    int logfd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (logfd < 0) {
        res.error = "open " + fifo + ": " + std::strerror(errno);
        cleanup_dir();
        return res;
    }
    int sigpipe_fds[2], errpipe[2] = {-1, -1}, execpipe[2];
    if (::pipe2(sigpipe_fds, O_CLOEXEC | O_NONBLOCK) != 0 || ::pipe2(execpipe, O_CLOEXEC) != 0 ||
        (run.attach && ::pipe2(errpipe, O_CLOEXEC) != 0)) {
        res.error = std::string("pipe: ") + std::strerror(errno);
        ::close(logfd);
        cleanup_dir();
        return res;
    }

    std::vector<std::string> argv = run.strace_argv;
    argv.insert(argv.end(), {"-o", fifo});
    argv.insert(argv.end(), run.target.begin(), run.target.end());
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);

    g_signal_pipe = sigpipe_fds[1];
    g_last_signal = 0;
    struct sigaction sa {}, old_int {}, old_term {}, old_hup {}, old_pipe {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old_pipe);
    auto restore = [&] {
        sigaction(SIGINT, &old_int, nullptr);
        sigaction(SIGTERM, &old_term, nullptr);
        sigaction(SIGHUP, &old_hup, nullptr);
        sigaction(SIGPIPE, &old_pipe, nullptr);
        g_signal_pipe = -1;
        ::close(sigpipe_fds[0]);
        ::close(sigpipe_fds[1]);
    };

    pid_t pid = ::fork();
    if (pid < 0) {
        res.error = std::string("fork: ") + std::strerror(errno);
        restore();
        ::close(logfd);
        cleanup_dir();
        return res;
    }
    if (pid == 0) {
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        for (int s : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) sigaction(s, &dfl, nullptr);
        if (run.stdout_to_stderr) ::dup2(2, 1);
        if (errpipe[1] >= 0) ::dup2(errpipe[1], 2);
        ::execv(cargv[0], cargv.data());
        int e = errno;
        (void)!::write(execpipe[1], &e, sizeof e);
        ::_exit(127);
    }
    ::close(execpipe[1]);
    if (errpipe[1] >= 0) ::close(errpipe[1]);
    int child_errno = 0;
    ssize_t en;
    do en = ::read(execpipe[0], &child_errno, sizeof child_errno);
    while (en < 0 && errno == EINTR);
    ::close(execpipe[0]);
    if (en == sizeof child_errno) {
        int st;
        while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
        res.error = "cannot run " + argv[0] + ": " + std::strerror(child_errno);
        restore();
        ::close(logfd);
        if (errpipe[0] >= 0) ::close(errpipe[0]);
        cleanup_dir();
        return res;
    }
    res.started = true;

    int signals_seen = 0;
    auto forward = [&](int sig) {
        ++signals_seen;
        if (signals_seen >= 3) {
            ::kill(pid, SIGKILL);  // strace does not end: give up on it
            return;
        }
        if (run.attach) {
            ::kill(pid, signals_seen == 1 ? SIGINT : SIGTERM);  // strace detaches and exits
        } else {
            // strace -o FILE COMMAND blocks fatal signals: signal the command itself
            for (pid_t c : children_of(pid)) ::kill(c, sig);
            if (signals_seen == 2) ::kill(pid, SIGTERM);
        }
    };
    bool stop_requested = false;
    auto stop = [&] {
        if (stop_requested) return;
        stop_requested = true;
        if (run.attach) {
            ::kill(pid, SIGINT);
        } else {
            for (pid_t c : children_of(pid)) ::kill(c, SIGTERM);
        }
    };

    std::string partial, errpartial;
    bool log_eof = false, err_eof = errpipe[0] < 0, strace_done = false;
    int status = 0;
    char buf[65536];
    auto deliver = [&](std::string_view line) {
        ++res.lines;
        if (res.stopped || !run.on_line) return;
        if (!run.on_line(line)) {
            res.stopped = true;
            stop();
        }
    };
    while (!log_eof || !err_eof) {
        pollfd fds[3] = {{logfd, POLLIN, 0}, {sigpipe_fds[0], POLLIN, 0}, {errpipe[0], POLLIN, 0}};
        nfds_t nfds = err_eof ? 2 : 3;
        if (log_eof) fds[0].fd = -1;
        int n = ::poll(fds, nfds, run.idle_ms);
        if (n < 0 && errno != EINTR) break;
        if (n <= 0) {
            if (run.on_idle && !res.stopped) run.on_idle();
            if (!strace_done) {
                pid_t w = ::waitpid(pid, &status, WNOHANG);
                if (w == pid) strace_done = true;
            }
            // strace gone without ever opening the log (it failed early): no hang-up comes
            if (strace_done && !log_eof) {
                ssize_t r = ::read(logfd, buf, sizeof buf);
                if (r > 0) {
                    partial.append(buf, size_t(r));
                } else if (r == 0 || errno != EAGAIN) {
                    log_eof = true;
                }
            }
            if (strace_done && !err_eof) {
                // whoever else holds the pipe (a daemonised child) must not keep us here
                ssize_t r = ::read(errpipe[0], buf, sizeof buf);
                if (r > 0) errpartial.append(buf, size_t(r));
                else err_eof = true;
            }
        }
        if (n > 0 && (fds[1].revents & POLLIN)) {
            char c[16];
            ssize_t r;
            while ((r = ::read(sigpipe_fds[0], c, sizeof c)) > 0)
                for (ssize_t i = 0; i < r; ++i) {
                    res.interrupted = true;
                    forward(int(c[i]));
                }
        }
        if (n > 0 && fds[0].fd >= 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t r = ::read(logfd, buf, sizeof buf);
            if (r > 0) {
                partial.append(buf, size_t(r));
            } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                log_eof = true;
            }
        }
        size_t start = 0, nl;
        while ((nl = partial.find('\n', start)) != std::string::npos) {
            deliver(std::string_view(partial).substr(start, nl - start));
            start = nl + 1;
        }
        partial.erase(0, start);
        if (n > 0 && !err_eof && (fds[2].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t r = ::read(errpipe[0], buf, sizeof buf);
            if (r > 0) errpartial.append(buf, size_t(r));
            else if (r == 0 || (errno != EAGAIN && errno != EINTR)) err_eof = true;
        }
        while ((nl = errpartial.find('\n')) != std::string::npos) {
            std::string l = errpartial.substr(0, nl + 1);
            errpartial.erase(0, nl + 1);
            res.strace_stderr += l;
            (void)!::write(2, l.data(), l.size());
        }
    }
    if (!partial.empty()) deliver(partial);  // a last line without newline (strace killed)
    if (!errpartial.empty()) {
        res.strace_stderr += errpartial;
        (void)!::write(2, errpartial.data(), errpartial.size());
    }
    if (!strace_done)
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    res.exit_status = decode_status(status);
    ::close(logfd);
    if (errpipe[0] >= 0) ::close(errpipe[0]);
    restore();
    cleanup_dir();
    return res;
}

}  // namespace rtnl::record
