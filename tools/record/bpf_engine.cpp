#include "bpf_engine.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdarg>
#include <cstring>
#include <map>
#include <memory>
#include <queue>

#include "netlink_tap.skel.h"
#include "netns_names.hpp"
#include "proc_info.hpp"

namespace rtnl::record {

namespace {

// libbpf's messages, kept to explain a failure instead of printed as they come.
std::string libbpf_log;
int keep_libbpf_message(enum libbpf_print_level level, const char* fmt, va_list args) {
    if (level == LIBBPF_DEBUG) return 0;
    char buf[1024];
    int n = std::vsnprintf(buf, sizeof buf, fmt, args);
    if (libbpf_log.size() < 16384) libbpf_log += buf;
    return n;
}

struct SkeletonDeleter {
    void operator()(netlink_tap* s) const { netlink_tap__destroy(s); }
};
using Skeleton = std::unique_ptr<netlink_tap, SkeletonDeleter>;
struct RingDeleter {
    void operator()(ring_buffer* r) const { ring_buffer__free(r); }
};
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

int64_t clock_ns(clockid_t id) {
    timespec ts{};
    clock_gettime(id, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

volatile std::sig_atomic_t stop_signal = 0;
void on_stop_signal(int sig) { stop_signal = sig; }

// What the loader's errno means for the user.
std::string load_failure(int err) {
    std::string why = "the kernel refused the BPF program (" + std::string(std::strerror(err)) + ")";
    if (err == EPERM || err == EACCES)
        why = "loading BPF programs needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN); " + why;
    if (::access("/sys/kernel/btf/vmlinux", R_OK) != 0)
        why += "; the kernel has no BTF (/sys/kernel/btf/vmlinux: CONFIG_DEBUG_INFO_BTF), which the "
               "program's relocations need";
    return why;
}

// Opens the skeleton with the recording's filters; loads nothing yet.
Skeleton open_program(const BpfRecording& r, std::string& error) {
    libbpf_set_print(keep_libbpf_message);
    Skeleton s(netlink_tap__open());
    if (!s) {
        error = "cannot open the BPF program: " + std::string(std::strerror(errno));
        return nullptr;
    }
    auto* ro = s->rodata;
    ro->cfg_self_tgid = uint32_t(::getpid());
    ro->cfg_by_tgid = !r.pids.empty() || !r.command.empty();
    if (r.comm) {
        ro->cfg_by_comm = true;
        std::strncpy(const_cast<char*>(ro->cfg_comm), r.comm->c_str(), TAP_COMM_LEN - 1);
    }
    ro->cfg_by_cgroup = r.cgroup.has_value();
    if (r.netns) {
        auto ino = netns_inode(*r.netns);
        if (!ino) {
            error = "--netns " + *r.netns + ": no such network namespace (a name under " + kNetnsDir +
                    " or a path such as /proc/PID/ns/net)";
            return nullptr;
        }
        ro->cfg_netns = *ino;
    }
    bpf_map__set_max_entries(s->maps.ring, r.ring_mib << 20);
    int cpus = libbpf_num_possible_cpus();
    bpf_map__set_max_entries(s->maps.scratch, uint32_t(cpus > 0 ? cpus : 1));
    if (!ro->cfg_by_tgid) {
        bpf_program__set_autoload(s->progs.tap_fork, false);
        bpf_program__set_autoload(s->progs.tap_process_exit, false);
    }
    return s;
}

bool load_program(Skeleton& s, std::string& error) {
    libbpf_log.clear();
    if (int err = netlink_tap__load(s.get())) {
        error = load_failure(-err);
        if (!libbpf_log.empty()) error += "\nlibbpf said:\n" + libbpf_log;
        return false;
    }
    return true;
}

// Writes packets in time order: a send is stamped at entry but seen at its
// exit, after what others received meanwhile; a short hold puts it back.
class Reorder {
public:
    explicit Reorder(std::function<bool(NetlinkPacket&&)> put) : put_(std::move(put)) {}
    void add(NetlinkPacket&& p) {
        int64_t ts = p.ts_nsec;
        held_.emplace(ts, seq_++, std::move(p));
    }
    // Writes everything stamped before the watermark; false: the output broke.
    bool release(int64_t watermark) {
        while (!held_.empty() && held_.top().ts <= watermark) {
            NetlinkPacket p = std::move(const_cast<Held&>(held_.top()).packet);
            held_.pop();
            if (!put_(std::move(p))) return false;
        }
        return true;
    }

private:
    struct Held {
        int64_t ts;
        uint64_t seq;
        NetlinkPacket packet;
        Held(int64_t t, uint64_t s, NetlinkPacket&& p) : ts(t), seq(s), packet(std::move(p)) {}
        bool operator>(const Held& o) const { return ts != o.ts ? ts > o.ts : seq > o.seq; }
    };
    std::function<bool(NetlinkPacket&&)> put_;
    std::priority_queue<Held, std::vector<Held>, std::greater<>> held_;
    uint64_t seq_ = 0;
};

constexpr int64_t kHoldNs = 200'000'000;  // longer than a send takes to return

// Forks COMMAND stopped before exec; go() lets it run.
struct Child {
    pid_t pid = -1;
    Fd gate;
    bool start(const std::vector<std::string>& argv, bool stdout_to_stderr, std::string& error) {
        int p[2];
        if (::pipe2(p, O_CLOEXEC) != 0) {
            error = std::string("pipe: ") + std::strerror(errno);
            return false;
        }
        pid = ::fork();
        if (pid < 0) {
            error = std::string("fork: ") + std::strerror(errno);
            return false;
        }
        if (pid == 0) {
            ::close(p[1]);
            char c;
            if (::read(p[0], &c, 1) != 1) ::_exit(127);  // the recorder gave up
            if (stdout_to_stderr) ::dup2(2, 1);
            std::vector<char*> args;
            for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            ::execvp(args[0], args.data());
            std::fprintf(stderr, "rtnl-record: cannot run %s: %s\n", args[0], std::strerror(errno));
            ::_exit(127);
        }
        ::close(p[0]);
        gate.fd = p[1];
        return true;
    }
    void go() {
        char c = 1;
        if (::write(gate.fd, &c, 1) != 1) {}
        ::close(gate.fd);
        gate.fd = -1;
    }
    // Its exit status once it has ended.
    std::optional<int> ended(bool block) {
        int st = 0;
        if (::waitpid(pid, &st, block ? 0 : WNOHANG) != pid) return std::nullopt;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
};

bool map_empty(int fd) {
    uint32_t key;
    return bpf_map_get_next_key(fd, nullptr, &key) != 0;
}

}  // namespace

std::optional<std::string> bpf_engine_unavailable() {
    BpfRecording probe;
    std::string error;
    Skeleton s = open_program(probe, error);
    if (!s) return error;
    bpf_map__set_max_entries(s->maps.ring, 1 << 16);
    if (!load_program(s, error)) return error;
    return std::nullopt;
}

BpfOutcome record_bpf(const BpfRecording& r) {
    BpfOutcome out;
    std::string error;
    Skeleton s = open_program(r, error);
    if (!s || !load_program(s, error)) {
        out.error = error;
        return out;
    }
    Fd cgroup_fd;
    if (r.cgroup) {
        std::string path = r.cgroup->rfind("/", 0) == 0 ? *r.cgroup : "/sys/fs/cgroup/" + *r.cgroup;
        cgroup_fd.fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        uint32_t zero = 0;
        if (cgroup_fd.fd < 0 || bpf_map__update_elem(s->maps.cgroup, &zero, sizeof zero, &cgroup_fd.fd,
                                                     sizeof cgroup_fd.fd, BPF_ANY) != 0) {
            out.error = "--cgroup " + *r.cgroup + ": " + path + " is not a cgroup (v2) directory: " +
                        std::strerror(errno);
            return out;
        }
    }
    Child child;
    std::vector<int> follow;
    for (int pid : r.pids) {
        if (!proc_exists(pid)) {
            out.error = "no process with pid " + std::to_string(pid);
            return out;
        }
        follow.push_back(pid);
        for (int c : proc_descendants(pid)) follow.push_back(c);
    }
    if (!r.command.empty()) {
        if (!child.start(r.command, r.command_stdout_to_stderr, error)) {
            out.error = error;
            return out;
        }
        follow.push_back(child.pid);
    }
    for (int pid : follow) {
        uint32_t tgid = uint32_t(pid);
        uint8_t one = 1;
        bpf_map__update_elem(s->maps.tgids, &tgid, sizeof tgid, &one, sizeof one, BPF_ANY);
    }
    if (int err = netlink_tap__attach(s.get())) {
        out.error = "cannot attach to the sys_enter/sys_exit raw tracepoints: " + std::string(std::strerror(-err));
        if (child.pid > 0) {
            ::kill(child.pid, SIGKILL);
            child.ended(true);
        }
        return out;
    }

    const int64_t clock_offset = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
    bool broken = false;
    Reorder reorder([&](NetlinkPacket&& p) { return r.put(std::move(p)); });
    RingAssembler assembler([&](NetlinkPacket&& p) { reorder.add(std::move(p)); },
                            [](const std::string& msg) { std::fprintf(stderr, "rtnl-record: %s\n", msg.c_str()); },
                            clock_offset);
    struct Reader {
        RingAssembler& assembler;
        std::FILE* log;
    } reader{assembler, r.ring_log};
    auto on_record = [](void* ctx, void* data, size_t size) -> int {
        auto* rd = static_cast<Reader*>(ctx);
        if (rd->log) {
            uint32_t len = uint32_t(size);
            std::fwrite(&len, sizeof len, 1, rd->log);
            std::fwrite(data, 1, size, rd->log);
        }
        rd->assembler.feed({static_cast<const uint8_t*>(data), size});
        return 0;
    };
    std::unique_ptr<ring_buffer, RingDeleter> ring(
        ring_buffer__new(bpf_map__fd(s->maps.ring), on_record, &reader, nullptr));
    if (!ring) {
        out.error = "cannot read the ring buffer: " + std::string(std::strerror(errno));
        return out;
    }
    std::map<uint64_t, uint64_t> lost;  // what was marked, by namespace
    auto check_drops = [&] {
        int fd = bpf_map__fd(s->maps.drops);
        uint64_t key, *prev = nullptr, next;
        while (bpf_map_get_next_key(fd, prev, &next) == 0) {
            key = next;
            prev = &key;
            uint64_t n = 0;
            if (bpf_map_lookup_elem(fd, &key, &n) == 0 && n != lost[key]) {
                out.lost += n - lost[key];
                lost[key] = n;
                r.mark_drops(key, n, clock_ns(CLOCK_REALTIME));
            }
        }
    };

    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    struct sigaction old_int {}, old_term {}, old_hup {};
    ::sigaction(SIGINT, &sa, &old_int);
    ::sigaction(SIGTERM, &sa, &old_term);
    ::sigaction(SIGHUP, &sa, &old_hup);
    stop_signal = 0;
    if (r.on_ready) r.on_ready();
    if (child.pid > 0) child.go();

    const int tgids_fd = bpf_map__fd(s->maps.tgids);
    while (!broken) {
        int n = ring_buffer__poll(ring.get(), 100);
        if (n < 0 && n != -EINTR) {
            out.error = "reading the ring buffer: " + std::string(std::strerror(-n));
            break;
        }
        check_drops();
        broken = !reorder.release(clock_ns(CLOCK_BOOTTIME) + clock_offset - kHoldNs);
        if (stop_signal) {
            out.interrupted = true;
            break;
        }
        if (child.pid > 0) {
            if (auto st = child.ended(false)) {
                out.command_status = st;
                break;
            }
        } else if (!follow.empty() && map_empty(tgids_fd)) {
            break;  // every followed process has exited
        }
    }
    netlink_tap__detach(s.get());
    ring_buffer__consume(ring.get());
    assembler.finish();
    check_drops();
    if (!broken) reorder.release(INT64_MAX);
    if (child.pid > 0 && !out.command_status) out.command_status = child.ended(!out.interrupted);
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGTERM, &old_term, nullptr);
    ::sigaction(SIGHUP, &old_hup, nullptr);

    uint32_t zero = 0;
    bpf_map__lookup_elem(s->maps.untracked, &zero, sizeof zero, &out.untracked, sizeof out.untracked, 0);
    out.ring = assembler.stats();
    return out;
}

}  // namespace rtnl::record
