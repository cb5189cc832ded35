#include "strace_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <utility>

namespace rtnl::record {

namespace {

// The calls that carry netlink messages, and those that tell which descriptor
// is a netlink socket of which family in which process.
constexpr const char* kSocketCalls = "sendmsg,recvmsg,sendto,recvfrom,sendmmsg,recvmmsg";
constexpr const char* kDescriptorCalls =
    "socket,close,dup,dup2,dup3,fcntl,clone,clone3,fork,vfork,execve,execveat";
constexpr const char* kFileCalls = "read,write,readv,writev";

}  // namespace

std::optional<std::string> find_on_path(const std::string& name) {
    auto executable = [](const std::string& p) {
        struct stat st;
        return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
    };
    if (name.find('/') != std::string::npos) return executable(name) ? std::optional(name) : std::nullopt;
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        std::size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        std::string dir = dirs.substr(start, end - start);
        if (dir.empty()) dir = ".";
        std::string cand = dir + "/" + name;
        if (executable(cand)) return cand;
        start = end + 1;
    }
    return std::nullopt;
}

std::vector<std::string> strace_options(const StraceChoice& choice) {
    std::string calls = std::string(kSocketCalls) + "," + kDescriptorCalls;
    if (choice.trace_rw) calls += std::string(",") + kFileCalls;
    // -yy names each socket's family and port id; -T gives each call's
    // duration, so a receive is stamped when it completed.
    std::vector<std::string> opts = {"-f", "-qq", "-ttt", "-T", "-yy", "-xx", "-s", "65536",
                                     "-e", "trace=" + calls, "-e", "signal=none",
                                     "-e", "write=all", "-e", "read=all"};
    if (!choice.attach) opts.emplace_back("--seccomp-bpf");
    return opts;
}

std::optional<int> attach_failure_pid(std::string_view line) {
    constexpr std::string_view marker = "attach: ptrace(PTRACE_SEIZE, ";
    std::size_t p = line.find(marker);
    if (p == std::string_view::npos) return std::nullopt;
    int pid = 0;
    std::size_t i = p + marker.size();
    if (i >= line.size() || line[i] < '0' || line[i] > '9') return std::nullopt;
    for (; i < line.size() && line[i] >= '0' && line[i] <= '9' && pid < 0x3fffffff; ++i) pid = pid * 10 + (line[i] - '0');
    return pid;
}

namespace {

// A file descriptor that closes itself.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    Fd& operator=(Fd&& o) noexcept {
        if (this != &o) {
            reset();
            fd_ = std::exchange(o.fd_, -1);
        }
        return *this;
    }
    ~Fd() { reset(); }
    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

struct Pipe {
    Fd read, write;
};

std::optional<Pipe> make_pipe(int flags) {
    int fds[2];
    if (::pipe2(fds, flags) != 0) return std::nullopt;
    return Pipe{Fd(fds[0]), Fd(fds[1])};
}

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// A FIFO in a private temporary folder; both go when this does.
class TempFifo {
public:
    // Returns an error message, or "" when the FIFO exists.
    std::string create() {
        const char* tmpdir = std::getenv("TMPDIR");
        std::string tmpl = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/rtnl-record-XXXXXX";
        if (!::mkdtemp(tmpl.data())) return errno_text("cannot create a temporary folder " + tmpl);
        dir_ = tmpl;
        std::string fifo = dir_ + "/strace.log";
        if (::mkfifo(fifo.c_str(), 0600) != 0) return errno_text("mkfifo " + fifo);
        path_ = fifo;
        return {};
    }
    ~TempFifo() {
        if (!path_.empty()) ::unlink(path_.c_str());
        if (!dir_.empty()) ::rmdir(dir_.c_str());
    }
    const std::string& path() const { return path_; }

private:
    std::string dir_, path_;
};

// SIGINT, SIGTERM and SIGHUP become bytes on a pipe the main loop polls;
// SIGPIPE is ignored (a capture reader that goes away is a write error).
// The previous dispositions come back when this goes.
int g_signal_pipe = -1;

void on_signal(int sig) {
    int saved = errno;
    char c = char(sig);
    (void)!::write(g_signal_pipe, &c, 1);
    errno = saved;
}

class SignalRelay {
public:
    static constexpr int kRelayed[] = {SIGINT, SIGTERM, SIGHUP};

    explicit SignalRelay(Pipe pipe) : pipe_(std::move(pipe)) {
        g_signal_pipe = pipe_.write.get();
        struct sigaction sa {};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        for (std::size_t i = 0; i < std::size(kRelayed); ++i) sigaction(kRelayed[i], &sa, &old_[i]);
        struct sigaction ign {};
        ign.sa_handler = SIG_IGN;
        sigemptyset(&ign.sa_mask);
        sigaction(SIGPIPE, &ign, &old_pipe_);
    }
    ~SignalRelay() {
        for (std::size_t i = 0; i < std::size(kRelayed); ++i) sigaction(kRelayed[i], &old_[i], nullptr);
        sigaction(SIGPIPE, &old_pipe_, nullptr);
        g_signal_pipe = -1;
    }
    SignalRelay(const SignalRelay&) = delete;
    SignalRelay& operator=(const SignalRelay&) = delete;
    int fd() const { return pipe_.read.get(); }

    // In a forked child before exec: the default dispositions.
    static void reset_in_child() {
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        for (int s : kRelayed) sigaction(s, &dfl, nullptr);
        sigaction(SIGPIPE, &dfl, nullptr);
    }

private:
    Pipe pipe_;
    struct sigaction old_[std::size(kRelayed)] {};
    struct sigaction old_pipe_ {};
};

int exit_status_of(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

// The strace process; waited for when this goes (killed first if still running).
class Child {
public:
    ~Child() {
        if (pid_ > 0 && !done_) {
            ::kill(pid_, SIGKILL);
            wait();
        }
    }
    // Forks and execs argv; returns an error message, or "" once it runs.
    std::string spawn(const std::vector<std::string>& argv, bool stdout_to_stderr, int stderr_fd) {
        std::vector<char*> cargv;
        for (auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
        cargv.push_back(nullptr);
        auto exec_report = make_pipe(O_CLOEXEC);  // carries exec's errno; closed by a successful exec
        if (!exec_report) return errno_text("pipe");
        pid_ = ::fork();
        if (pid_ < 0) return errno_text("fork");
        if (pid_ == 0) {
            SignalRelay::reset_in_child();
            if (stdout_to_stderr) ::dup2(2, 1);
            if (stderr_fd >= 0) ::dup2(stderr_fd, 2);
            ::execv(cargv[0], cargv.data());
            int e = errno;
            (void)!::write(exec_report->write.get(), &e, sizeof e);
            ::_exit(127);
        }
        exec_report->write.reset();
        int child_errno = 0;
        ssize_t n;
        do n = ::read(exec_report->read.get(), &child_errno, sizeof child_errno);
        while (n < 0 && errno == EINTR);
        if (n == sizeof child_errno) {
            wait();
            return "cannot run " + argv[0] + ": " + std::strerror(child_errno);
        }
        return {};
    }
    pid_t pid() const { return pid_; }
    bool done() const { return done_; }
    bool poll_exit() {
        if (!done_ && ::waitpid(pid_, &status_, WNOHANG) == pid_) done_ = true;
        return done_;
    }
    int wait() {
        while (!done_) {
            if (::waitpid(pid_, &status_, 0) == pid_) done_ = true;
            else if (errno != EINTR) break;
        }
        return exit_status_of(status_);
    }
    // The processes strace itself started (the command).
    std::vector<pid_t> children() const {
        std::vector<pid_t> out;
        std::ifstream in("/proc/" + std::to_string(pid_) + "/task/" + std::to_string(pid_) + "/children");
        pid_t c;
        while (in >> c) out.push_back(c);
        return out;
    }

private:
    pid_t pid_ = -1;
    bool done_ = false;
    int status_ = 0;
};

// Bytes from a descriptor, cut into lines.
class LineReader {
public:
    explicit LineReader(Fd fd) : fd_(std::move(fd)) {}
    int fd() const { return eof_ ? -1 : fd_.get(); }
    bool eof() const { return eof_; }
    // Reads what is there (non-blocking or after poll said so) and hands each
    // complete line to on_line.
    template <typename OnLine>
    void read_some(OnLine&& on_line) {
        if (eof_) return;
        char buf[65536];
        ssize_t r = ::read(fd_.get(), buf, sizeof buf);
        if (r > 0) {
            partial_.append(buf, std::size_t(r));
            std::size_t start = 0, nl;
            while ((nl = partial_.find('\n', start)) != std::string::npos) {
                on_line(std::string_view(partial_).substr(start, nl - start));
                start = nl + 1;
            }
            partial_.erase(0, start);
        } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
            eof_ = true;
        }
    }
    void close() { eof_ = true; }
    // A last line without its newline (the writer was killed).
    std::string take_partial() { return std::exchange(partial_, {}); }

private:
    Fd fd_;
    std::string partial_;
    bool eof_ = false;
};

// One recording: strace's log and (attach mode) its stderr read until both end,
// signals forwarded, on_line's stop request and attach failures acted upon.
class Session {
public:
    Session(const LiveRun& run, LiveResult& res, Child& strace, LineReader& log, LineReader* err, int signal_fd)
        : run_(run), res_(res), strace_(strace), log_(log), err_(err), signal_fd_(signal_fd) {}

    void loop() {
        while (!log_.eof() || (err_ && !err_->eof())) {
            pollfd fds[3] = {{log_.fd(), POLLIN, 0}, {signal_fd_, POLLIN, 0}, {err_ ? err_->fd() : -1, POLLIN, 0}};
            int n = ::poll(fds, 3, run_.idle_ms);
            if (n < 0 && errno != EINTR) break;
            if (n <= 0) {
                on_quiet();
                continue;
            }
            if (fds[1].revents & POLLIN) relay_signals();
            if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) log_.read_some([&](std::string_view l) { deliver(l); });
            if (err_ && (fds[2].revents & (POLLIN | POLLHUP | POLLERR)))
                err_->read_some([&](std::string_view l) { on_stderr(l); });
        }
        // A last line cut by strace's end: only a problem when nobody interrupted it.
        std::string last = log_.take_partial();
        if (!last.empty() && !res_.interrupted) deliver(last);
        if (err_) {
            std::string rest = err_->take_partial();
            if (!rest.empty()) on_stderr(rest);
        }
    }

private:
    void deliver(std::string_view line) {
        ++res_.lines;
        if (res_.stopped || !run_.on_line) return;
        if (!run_.on_line(line)) stop();
    }

    void on_stderr(std::string_view line) {
        std::string l(line);
        l += '\n';
        res_.strace_stderr += l;
        (void)!::write(2, l.data(), l.size());
        if (auto pid = attach_failure_pid(line)) {
            res_.attach_failed.push_back(*pid);
            stop();
        }
    }

    void on_quiet() {
        if (run_.on_idle && !res_.stopped) run_.on_idle();
        if (!strace_.poll_exit()) return;
        // strace has gone: a FIFO it never opened reports no hang-up (a read
        // says end of file), and a daemonised child may hold the stderr pipe.
        log_.read_some([&](std::string_view l) { deliver(l); });
        if (err_) {
            err_->read_some([&](std::string_view l) { on_stderr(l); });
            err_->close();
        }
    }

    void relay_signals() {
        char c[16];
        ssize_t r;
        while ((r = ::read(signal_fd_, c, sizeof c)) > 0)
            for (ssize_t i = 0; i < r; ++i) {
                res_.interrupted = true;
                forward(int(c[i]));
            }
    }

    // The first signal ends the recording gently, the second firmly, the third
    // kills strace (it did not end).
    void forward(int sig) {
        ++signals_seen_;
        if (signals_seen_ >= 3) {
            ::kill(strace_.pid(), SIGKILL);
            return;
        }
        if (run_.attach) {
            ::kill(strace_.pid(), signals_seen_ == 1 ? SIGINT : SIGTERM);  // strace detaches and exits
        } else {
            // strace -o FILE COMMAND blocks fatal signals: signal the command itself
            for (pid_t c : strace_.children()) ::kill(c, sig);
            if (signals_seen_ == 2) ::kill(strace_.pid(), SIGTERM);
        }
    }

    void stop() {
        if (res_.stopped) return;
        res_.stopped = true;
        if (run_.attach) {
            ::kill(strace_.pid(), SIGINT);
        } else {
            for (pid_t c : strace_.children()) ::kill(c, SIGTERM);
        }
    }

    const LiveRun& run_;
    LiveResult& res_;
    Child& strace_;
    LineReader& log_;
    LineReader* err_;
    int signal_fd_;
    int signals_seen_ = 0;
};

}  // namespace

LiveResult run_strace_live(const LiveRun& run) {
    LiveResult res;
    TempFifo fifo;
    if (res.error = fifo.create(); !res.error.empty()) return res;
    // Opened before strace starts, so strace's open for writing does not block.
    Fd logfd(::open(fifo.path().c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!logfd) {
        res.error = errno_text("open " + fifo.path());
        return res;
    }
    auto signal_pipe = make_pipe(O_CLOEXEC | O_NONBLOCK);
    std::optional<Pipe> err_pipe;
    if (run.attach) err_pipe = make_pipe(O_CLOEXEC);
    if (!signal_pipe || (run.attach && !err_pipe)) {
        res.error = errno_text("pipe");
        return res;
    }
    SignalRelay signals(std::move(*signal_pipe));

    std::vector<std::string> argv = run.strace_argv;
    argv.insert(argv.end(), {"-o", fifo.path()});
    argv.insert(argv.end(), run.target.begin(), run.target.end());
    Child strace;
    if (res.error = strace.spawn(argv, run.stdout_to_stderr, err_pipe ? err_pipe->write.get() : -1);
        !res.error.empty())
        return res;
    res.started = true;

    LineReader log(std::move(logfd));
    std::optional<LineReader> err;
    if (err_pipe) {
        err_pipe->write.reset();
        err.emplace(std::move(err_pipe->read));
    }
    Session(run, res, strace, log, err ? &*err : nullptr, signals.fd()).loop();
    res.exit_status = strace.wait();
    return res;
}

}  // namespace rtnl::record
