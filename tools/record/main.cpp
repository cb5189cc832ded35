// rtnl-record: record netlink traffic into an nlmon-format capture without an
// nlmon device, through eBPF (bpf engine) or strace. docs/rtnl-record.md is
// its manual.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

#include "bpf_engine.hpp"
#include "pcap_writer.hpp"
#include "proc_info.hpp"
#include "rtmon_reader.hpp"
#include "strace_converter.hpp"
#include "strace_runner.hpp"

using namespace rtnl::record;
using rtnl::formats::read_rtmon;
using rtnl::formats::RtmonFile;

namespace {

const char* const kUsage = R"USAGE(Usage:
  rtnl-record [OPTIONS] -w OUT                        every process on the machine until Ctrl-C (bpf)
  rtnl-record [OPTIONS] -w OUT -- COMMAND [ARGS...]   run COMMAND, record its netlink traffic
  rtnl-record [OPTIONS] -w OUT -p PID [-p PID...]     attach to running processes until Ctrl-C
  rtnl-record [OPTIONS] -w OUT --from-strace LOG      convert an existing strace log
  rtnl-record [OPTIONS] -w OUT --from-rtmon FILE      convert a file of iproute2's 'rtmon file FILE'

Records every send and receive on netlink sockets - of the whole machine, of a
command or of running processes (their threads and children too) - into a
capture in the format of the Linux nlmon device (LINKTYPE_NETLINK, 253), for
machines without nlmon. Wireshark and tshark open it directly; with the rtnl
plugin, NETLINK_ROUTE messages are decoded in full.

Engines (--engine):
  bpf     an eBPF program on the sys_enter/sys_exit raw tracepoints sees every
          netlink send and receive of the machine, filtered in the kernel; the
          traced programs are not stopped (no ptrace). Needs root (CAP_BPF and
          CAP_PERFMON), a kernel with BTF (/sys/kernel/btf/vmlinux) and an
          rtnl-record built with it (clang, bpftool, libbpf-dev). The only
          engine for the whole machine, --comm, --cgroup and --netns.
  strace  runs strace: works as an ordinary user on your own processes, but
          stops the traced program at every traced call (slower). Needs strace
          and ptrace permission (see below).
  auto    (default) bpf when run as root and BPF loads, strace otherwise.

Options:
      --engine E        bpf, strace or auto (above)
  -w, --write FILE      write the capture to FILE; '-' streams it to standard
                        output, each packet flushed as soon as it is seen (for
                        'tshark -i -' or 'wireshark -k -i -'); the command's own
                        standard output then goes to standard error
  -p, --pid PID         attach to process PID, its threads and its children
                        (repeat, or give a comma-separated list); recording
                        stops on Ctrl-C (SIGINT), SIGTERM or SIGHUP, or when all
                        traced processes have exited, and the file is finished
                        cleanly; the processes go on running
      --from-strace LOG convert a log written earlier by strace ('-' = standard
                        input) instead of recording
      --from-rtmon FILE convert a file 'rtmon file FILE' wrote (the notifications
                        rtmon received, each stamped with the time rtmon wrote
                        before it; 'ip monitor file FILE' reads the same files)
  -F, --format F        pcap or pcapng (default: pcapng when FILE ends in
                        .pcapng, else pcap). pcapng has one interface per
                        network namespace (named as 'ip netns' names it) and
                        per packet a comment "pid 1234 tid 1236 (ip) sendmsg
                        fd 3 port 1234 netns 4026531840" and its direction;
                        the strace engine leaves out what it does not know
      --pcapng          the same as -F pcapng
      --family LIST     record only these netlink families: names (route,
                        generic, sock_diag, NETLINK_AUDIT, ...) or numbers,
                        comma-separated or repeated; default: all
      --comm NAME       bpf: only tasks whose command name is NAME
      --cgroup PATH     bpf: only tasks in this cgroup (v2) or below it (a path
                        under /sys/fs/cgroup, or relative to it)
      --netns NS        bpf: only sockets of this network namespace (a name
                        from 'ip netns', or a path such as /proc/PID/ns/net)
      --buffer-size MIB bpf: ring buffer size, a power of two (default 64);
                        records it had no room for are counted, reported at
                        the end (even with -q) and marked in a pcapng file
      --ring-log FILE   bpf: also keep the raw ring-buffer records in FILE
      --strace-log FILE also keep strace's log of the recording in FILE
      --read-write      also trace read(), write(), readv() and writev(): without
                        it, netlink messages a program moves with those calls
                        (rare: most use sendmsg/recvmsg/sendto/recvfrom) are not
                        recorded; with it, every read and write of the program is
                        stopped and dumped, which slows I/O-heavy programs a lot
  -q, --quiet           no summary line on standard error
  -h, --help            this text

Logs for --from-strace: best written as rtnl-record itself runs strace,
  strace -f -qq -ttt -T -yy -xx -s 65536 -e write=all -e read=all -o LOG \
    -e trace=socket,close,dup,dup2,dup3,fcntl,clone,clone3,fork,vfork,execve,sendmsg,recvmsg,sendto,recvfrom \
    --seccomp-bpf COMMAND
(the hexdumps of -e write=all / -e read=all hold the bytes). Also understood:
without -f or with [pid N] prefixes; -t, -tt, -ttt, -r timestamps; calls split
into <unfinished ...> and <... resumed>; no hexdumps but escaped strings
("\x34\x00..."), as older strace, -e verbose=none or a process in another network
namespace show them. Text cut by strace's -s limit gives a packet truncated to
what was seen, with its true length, and a warning. A line that cannot be used
is reported as LOG:LINE: reason and skipped; the rest of the log is converted.

Packets: one per send (pkttype 4, outgoing) or receive (pkttype 0) on a netlink
socket, with the socket's netlink family, timestamped with strace's clock (-tt
and -t times fall on 1970-01-01; -r deltas count from 0; a log without times
gets packets 1 ms apart from 0). MSG_PEEK probes and failed calls are not
packets; sendmmsg/recvmmsg are reported, not recorded. Descriptors opened before
the trace began: their family is read from /proc/PID/fd and /proc/PID/net/netlink.
With the bpf engine: the kernel's clock, a send stamped when it is made, a
receive when it returns; sendmmsg/recvmmsg give one packet per message; bytes
up to 32 KB per ring record, larger calls in several (joined again).

strace engine needs: strace on $PATH. Tracing a command needs ptrace to be allowed at all (in
some containers it is not). Attaching (-p) needs permission to ptrace the
process: the same user and a dumpable process, or root / CAP_SYS_PTRACE; with
Yama, /proc/sys/kernel/yama/ptrace_scope 1 allows only root / CAP_SYS_PTRACE to
attach, 2 only CAP_SYS_PTRACE, 3 nobody.

Cost of the strace engine: only the calls above are traced (no read/write
unless --read-write). Running a command, strace stops it through a seccomp-bpf
filter only for those calls, so the rest of the program runs at full speed.
Attached with -p, strace cannot install that filter: every syscall of the
process stops briefly. The bytes of every traced socket call are dumped,
netlink or not. The bpf engine stops nothing.

Not traced: rtnl-record and strace themselves. A -p PID whose descendants
include rtnl-record (-p $$, -p 1) is refused.

Exit status: running a command, the command's own exit status when it is not
0 (strace engine: 128+N when a signal N ended it) once the capture was written;
127 when the command is not found; otherwise 0 when the capture was written;
1 on errors (strace missing, ptrace refused, BPF refused, a pid that could not
be attached, output not writable); 2 on usage errors.
Examples:
  sudo rtnl-record -w node.pcapng
  sudo rtnl-record --netns blue --comm bird -w bird.pcapng
  rtnl-record -w route.pcap -- ip route show
  sudo rtnl-record --pcapng -w daemon.pcapng -p "$(pidof mydaemon)"
  rtnl-record -w - -- ip link show | tshark -i - -Y rtnl
  rtnl-record --from-strace trace.log --family route -w out.pcap
)USAGE";

enum class Engine { Auto, Bpf, Strace };

struct Options {
    std::string out;
    Engine engine = Engine::Auto;
    std::optional<std::string> comm, cgroup, netns;  // bpf engine filters
    std::optional<std::string> ring_log;
    uint32_t ring_mib = 64;
    std::optional<std::string> from_strace;
    std::optional<std::string> from_rtmon;
    std::optional<std::string> strace_log;
    std::vector<std::string> command;
    std::vector<int> pids;
    std::set<uint16_t> families;  // empty: all
    std::optional<bool> pcapng;  // -F / --pcapng; default: by the file name
    bool quiet = false;
    bool read_write = false;
};

int usage_error(const std::string& msg) {
    std::cerr << "rtnl-record: " << msg << "\nTry 'rtnl-record --help'.\n";
    return 2;
}

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == ',' || c == ' ') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

std::optional<uint16_t> family_arg(std::string name) {
    for (auto& c : name) c = char(std::toupper(static_cast<unsigned char>(c)));
    if (name == "RTNL" || name == "RTNETLINK") name = "ROUTE";
    if (name == "GENL") name = "GENERIC";
    if (name == "NFNETLINK") name = "NETFILTER";
    return netlink_family_from_name(name);
}

// Returns an exit status to exit with, or nullopt to go on.
std::optional<int> parse_args(int argc, char** argv, Options& o) {
    std::vector<std::string> args(argv + 1, argv + argc);
    for (size_t i = 0; i < args.size(); ++i) {
        std::string a = args[i];
        std::optional<std::string> inline_value;
        if (a.rfind("--", 0) == 0 && a.find('=') != std::string::npos) {
            inline_value = a.substr(a.find('=') + 1);
            a = a.substr(0, a.find('='));
        } else if (a.size() > 2 && a[0] == '-' && a[1] != '-' && (a[1] == 'w' || a[1] == 'p' || a[1] == 'F')) {
            inline_value = a.substr(2);  // -wFILE, -p1234
            a = a.substr(0, 2);
        }
        auto value = [&](std::string& dst) -> bool {
            if (inline_value) {
                dst = *inline_value;
                return true;
            }
            if (i + 1 >= args.size()) return false;
            dst = args[++i];
            return true;
        };
        if (a == "--") {
            o.command.assign(args.begin() + long(i) + 1, args.end());
            break;
        } else if (a == "-h" || a == "--help") {
            std::cout << kUsage;
            return 0;
        } else if (a == "-w" || a == "--write") {
            if (!value(o.out)) return usage_error(a + " needs a file name");
        } else if (a == "-p" || a == "--pid") {
            std::string v;
            if (!value(v)) return usage_error(a + " needs a process id");
            auto list = split_list(v);
            if (list.empty()) return usage_error(a + " needs a process id");
            for (auto& p : list) {
                char* end = nullptr;
                long n = std::strtol(p.c_str(), &end, 10);
                if (*end || n <= 0 || n > 0x3fffffff) return usage_error("not a process id: '" + p + "'");
                o.pids.push_back(int(n));
            }
        } else if (a == "--from-strace") {
            std::string v;
            if (!value(v)) return usage_error(a + " needs a file name");
            o.from_strace = v;
        } else if (a == "--from-rtmon") {
            std::string v;
            if (!value(v)) return usage_error(a + " needs a file name");
            o.from_rtmon = v;
        } else if (a == "--strace-log") {
            std::string v;
            if (!value(v)) return usage_error(a + " needs a file name");
            o.strace_log = v;
        } else if (a == "--family") {
            std::string v;
            if (!value(v)) return usage_error(a + " needs a family name or number");
            auto list = split_list(v);
            if (list.empty()) return usage_error(a + " needs a family name or number");
            for (auto& f : list) {
                auto fam = family_arg(f);
                if (!fam)
                    return usage_error("unknown netlink family '" + f +
                                       "' (names: route, usersock, firewall, sock_diag, nflog, xfrm, selinux, "
                                       "iscsi, audit, fib_lookup, connector, netfilter, ip6_fw, dnrtmsg, "
                                       "kobject_uevent, generic, scsitransport, ecryptfs, rdma, crypto, smc; "
                                       "or a number)");
                o.families.insert(*fam);
            }
        } else if (a == "--pcapng") {
            o.pcapng = true;
        } else if (a == "-F" || a == "--format") {
            std::string v;
            if (!value(v) || (v != "pcap" && v != "pcapng")) return usage_error(a + " takes pcap or pcapng");
            o.pcapng = v == "pcapng";
        } else if (a == "--engine") {
            std::string v;
            if (!value(v) || (v != "bpf" && v != "strace" && v != "auto"))
                return usage_error(a + " takes bpf, strace or auto");
            o.engine = v == "bpf" ? Engine::Bpf : v == "strace" ? Engine::Strace : Engine::Auto;
        } else if (a == "--comm" || a == "--cgroup" || a == "--netns") {
            std::string v;
            if (!value(v) || v.empty()) return usage_error(a + " needs a value");
            if (a == "--comm" && v.size() > 15) return usage_error("--comm: command names have 15 characters at most");
            (a == "--comm" ? o.comm : a == "--cgroup" ? o.cgroup : o.netns) = v;
        } else if (a == "--ring-log") {
            std::string v;
            if (!value(v)) return usage_error(a + " needs a file name");
            o.ring_log = v;
        } else if (a == "--buffer-size") {
            std::string v;
            char* end = nullptr;
            long n = value(v) ? std::strtol(v.c_str(), &end, 10) : 0;
            if (!end || *end || n < 1 || n > 4096 || (n & (n - 1)))
                return usage_error(a + " takes a power of two of MiB, 1 to 4096");
            o.ring_mib = uint32_t(n);
        } else if (a == "--read-write") {
            o.read_write = true;
        } else if (a == "-q" || a == "--quiet") {
            o.quiet = true;
        } else if (!a.empty() && a[0] == '-' && a != "-") {
            return usage_error("unknown option " + a);
        } else {
            o.command.assign(args.begin() + long(i), args.end());
            break;
        }
    }
    int modes = int(o.from_strace.has_value()) + int(o.from_rtmon.has_value()) + int(!o.command.empty()) +
                int(!o.pids.empty());
    if (o.out.empty()) return usage_error("no output file (-w FILE, or -w - for standard output)");
    if (modes > 1) return usage_error("give one of -- COMMAND, -p PID, --from-strace LOG, --from-rtmon FILE");
    // no mode: the whole machine (bpf engine)
    const bool converting = o.from_strace || o.from_rtmon;
    if (converting && (o.strace_log || o.read_write))
        return usage_error(std::string(o.strace_log ? "--strace-log" : "--read-write") +
                           " is for recording (-- COMMAND or -p PID)");
    bool bpf_filters = o.comm || o.cgroup || o.netns;
    if (o.engine == Engine::Strace && (bpf_filters || modes == 0))
        return usage_error(std::string(modes == 0 ? "recording the whole machine" : "--comm, --cgroup and --netns") +
                           " needs the bpf engine");
    if (converting && bpf_filters) return usage_error("--comm, --cgroup and --netns are for recording");
    if (!o.pcapng) o.pcapng = o.out.size() > 7 && o.out.compare(o.out.size() - 7, 7, ".pcapng") == 0;
    return std::nullopt;
}

// The output file and the writer on it.
struct Output {
    std::FILE* file = nullptr;
    bool to_stdout = false;
    std::unique_ptr<PacketWriter> writer;
    bool ok = true;
    bool broken = false;  // a write failed (reader gone): stop recording
    uint64_t written = 0;
    uint64_t filtered = 0;

    bool open(const Options& o) {
        to_stdout = o.out == "-";
        if (to_stdout) {
            if (::isatty(1)) {
                std::cerr << "rtnl-record: not writing a binary capture to a terminal (pipe it into "
                             "'tshark -i -' or give -w FILE)\n";
                return false;
            }
            file = stdout;
        } else {
            file = std::fopen(o.out.c_str(), "wb");
            if (!file) {
                std::cerr << "rtnl-record: cannot create " << o.out << ": " << std::strerror(errno) << "\n";
                return false;
            }
        }
        if (*o.pcapng) writer = std::make_unique<PcapngWriter>(file);
        else writer = std::make_unique<PcapWriter>(file);
        ok = writer->begin() && std::fflush(file) == 0;
        if (!ok) broken = true;
        return true;
    }
    // Writes and flushes one packet (a live reader sees it at once).
    bool put(const NetlinkPacket& p, const std::set<uint16_t>& families) {
        if (broken) return false;
        if (!families.empty() && !families.count(p.family)) {
            ++filtered;
            return true;
        }
        if (!writer->write(p) || std::fflush(file) != 0) {
            ok = false;
            broken = true;
            return false;
        }
        ++written;
        return true;
    }
    bool close(const Options& o) {
        if (!broken) ok = writer->finish() && ok;
        if (!to_stdout) ok = (std::fclose(file) == 0) && ok;
        if (!ok) {
            if (errno == EPIPE) std::cerr << "rtnl-record: the reader of the capture went away\n";
            else std::cerr << "rtnl-record: error writing " << o.out << ": " << std::strerror(errno) << "\n";
        }
        return ok;
    }
};

void summary(const Options& o, const Output& out, const StraceConverter& conv) {
    if (o.quiet) return;
    const auto& s = conv.stats();
    std::cerr << "rtnl-record: wrote " << out.written << " packet" << (out.written == 1 ? "" : "s") << " to "
              << (out.to_stdout ? std::string("stdout") : o.out);
    if (!o.families.empty()) std::cerr << " (" << out.filtered << " of other families left out)";
    std::cerr << " (" << s.peeks_skipped << " MSG_PEEK probes skipped, " << s.failed_calls << " failed calls, ";
    if (s.interrupted_calls) std::cerr << s.interrupted_calls << " ended by a signal, ";
    if (s.rebuilt_whole + s.rebuilt_partial)
        std::cerr << s.rebuilt_whole + s.rebuilt_partial << " messages rebuilt from strace's decoding, "
                  << s.rebuilt_whole << " of them whole, ";
    std::cerr << s.diagnostics << " problems reported)\n";
}

int convert_log(const Options& o) {
    std::istream* in = &std::cin;
    std::ifstream file;
    const std::string& path = *o.from_strace;
    if (path != "-") {
        file.open(path, std::ios::binary);
        if (!file) {
            std::cerr << "rtnl-record: cannot open " << path << ": " << std::strerror(errno) << "\n";
            return 1;
        }
        in = &file;
    }
    std::signal(SIGPIPE, SIG_IGN);
    Output out;
    if (!out.open(o)) return 1;
    StraceConverter conv([&](NetlinkPacket&& p) { out.put(p, o.families); },
                         [&](size_t line, const std::string& msg) {
                             std::cerr << (path == "-" ? "<stdin>" : path) << ":" << line << ": " << msg << "\n";
                         });
    std::string line;
    while (!out.broken && !conv.stats().not_strace && std::getline(*in, line)) conv.feed_line(line);
    if (!conv.stats().not_strace) conv.finish();
    if (conv.stats().not_strace) {
        out.close(o);
        std::cerr << "rtnl-record: " << (path == "-" ? "standard input" : path)
                  << " is not an strace log (none of its first lines is strace's";
        if (line.find('\0') != std::string::npos) std::cerr << "; it is binary: an rtmon file? try --from-rtmon";
        std::cerr << ")\n";
        return 1;
    }
    bool ok = out.close(o);
    if (ok) summary(o, out, conv);
    // netlink calls seen, none of them turned into a packet: nothing useful came of it
    const bool nothing = out.written == 0 && conv.stats().diagnostics > 0;
    return ok && !nothing ? 0 : 1;
}

int convert_rtmon(const Options& o) {
    const std::string& path = *o.from_rtmon;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "rtnl-record: cannot open " << path << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    RtmonFile f = read_rtmon(data);
    if (!f.looks_like_rtmon) {
        std::cerr << "rtnl-record: " << path << " is not an rtmon file (it does not begin with rtmon's time stamp)\n";
        return 1;
    }
    std::signal(SIGPIPE, SIG_IGN);
    Output out;
    if (!out.open(o)) return 1;
    for (auto& m : f.messages) {
        NetlinkPacket p;
        p.ts_nsec = m.ts_nsec;
        p.pkttype = kPacketHost;  // rtmon only receives
        p.family = 0;             // NETLINK_ROUTE
        p.orig_len = std::uint32_t(m.bytes.size());
        p.payload = std::move(m.bytes);
        p.syscall = "recvmsg";
        p.comm = "rtmon";
        if (!out.put(p, o.families)) break;
    }
    for (auto& pr : f.problems) std::cerr << path << ": offset " << pr.offset << ": " << pr.what << "\n";
    bool ok = out.close(o);
    if (ok && !o.quiet)
        std::cerr << "rtnl-record: wrote " << out.written << " packet" << (out.written == 1 ? "" : "s") << " to "
                  << (out.to_stdout ? std::string("stdout") : o.out) << " from rtmon file " << path << " ("
                  << f.problems.size() << " problems reported)\n";
    return ok && out.written > 0 ? 0 : 1;
}

// A command that cannot run: one line, before the engine starts (127, the shell's status for it).
bool command_missing(const Options& o) {
    if (o.command.empty() || find_on_path(o.command[0])) return false;
    std::cerr << "rtnl-record: cannot run " << o.command[0] << ": "
              << (o.command[0].find('/') == std::string::npos ? "no such command on PATH" : "no such executable file")
              << "\n";
    return true;
}

int record(const Options& o) {
    auto strace = find_on_path("strace");
    if (!strace) {
        std::cerr << "rtnl-record: strace not found on PATH: rtnl-record records through strace; install it "
                     "(Debian/Ubuntu: apt-get install strace; Fedora: dnf install strace) or convert a log made "
                     "elsewhere with --from-strace\n";
        return 1;
    }
    const bool attach = !o.pids.empty();
    LiveRun run;
    run.strace_argv = {*strace};
    for (auto& opt : strace_options({attach, o.read_write})) run.strace_argv.push_back(opt);
    run.attach = attach;
    run.stdout_to_stderr = o.out == "-";

    // Netlink sockets from before the attach: what /proc says now.
    struct Preload {
        int pid;
        std::vector<int> threads;
        std::map<int, uint16_t> fds;
    };
    std::vector<Preload> preloads;
    if (attach) {
        std::set<int> targets;
        const std::vector<int> ours = proc_ancestors(int(::getpid()));
        for (int pid : o.pids) {
            if (!proc_exists(pid)) {
                std::cerr << "rtnl-record: no process with pid " << pid << "\n";
                return 1;
            }
            if (pid == int(::getpid()) || std::find(ours.begin(), ours.end(), pid) != ours.end()) {
                std::cerr << "rtnl-record: pid " << pid << " (" << proc_comm(pid)
                          << ") is an ancestor of rtnl-record itself: attaching would trace rtnl-record and "
                             "strace too (and stop them). Give the pids of the programs to record, e.g. "
                             "-p \"$(pidof NAME)\"\n";
                return 1;
            }
            targets.insert(pid);
            for (int c : proc_descendants(pid)) targets.insert(c);
        }
        for (int pid : targets) {
            run.target.insert(run.target.end(), {"-p", std::to_string(pid)});
            preloads.push_back({pid, proc_tasks(pid), proc_netlink_fds(pid)});
        }
    } else {
        if (command_missing(o)) return 127;
        run.target.push_back("--");
        run.target.insert(run.target.end(), o.command.begin(), o.command.end());
    }

    Output out;
    if (!out.open(o)) return 1;
    std::ofstream keep;
    if (o.strace_log) {
        keep.open(*o.strace_log, std::ios::binary);
        if (!keep) {
            std::cerr << "rtnl-record: cannot create " << *o.strace_log << ": " << std::strerror(errno) << "\n";
            return 1;
        }
    }
    StraceConverter conv([&](NetlinkPacket&& p) { out.put(p, o.families); },
                         [&](size_t line, const std::string& msg) {
                             std::cerr << "rtnl-record: strace log line " << line << ": " << msg << "\n";
                         });
    for (auto& p : preloads) conv.preload(p.pid, p.threads, p.fds);
    conv.set_resolvers(
        [](int pid, int fd) { return proc_fd_netlink_family(pid, fd); },
        [](int pid) { return proc_comm(pid); }, [](int tid) { return proc_tgid(tid); });

    run.on_line = [&](std::string_view line) {
        if (keep.is_open()) keep << line << '\n';
        conv.feed_line(line);
        return !out.broken;
    };
    run.on_idle = [&] {
        conv.flush();
        if (keep.is_open()) keep.flush();
    };
    LiveResult res = run_strace_live(run);
    if (!res.started) {
        std::cerr << "rtnl-record: " << res.error << "\n";
        out.close(o);
        return 1;
    }
    conv.finish();
    bool ok = out.close(o);
    if (keep.is_open()) keep.close();

    if (!res.attach_failed.empty()) {
        std::cerr << "rtnl-record: strace could not attach to pid";
        if (res.attach_failed.size() > 1) std::cerr << "s";
        for (std::size_t i = 0; i < res.attach_failed.size(); ++i)
            std::cerr << (i ? ", " : " ") << res.attach_failed[i];
        std::cerr << ": recording stopped (the capture holds only what came before)\n" << ptrace_help() << "\n";
        return 1;
    }
    bool ptrace_refused = res.strace_stderr.find("Operation not permitted") != std::string::npos ||
                          res.strace_stderr.find("ptrace") != std::string::npos;
    if (attach && res.lines == 0 && (res.exit_status != 0 || ptrace_refused)) {
        std::cerr << "rtnl-record: strace could not attach (exit status " << res.exit_status << ")\n"
                  << ptrace_help() << "\n";
        return 1;
    }
    if (!attach && res.lines == 0 && res.exit_status != 0) {
        std::cerr << "rtnl-record: strace did not trace the command (exit status " << res.exit_status
                  << "). If it said 'Operation not permitted', ptrace is not allowed here: in a container it "
                     "may need CAP_SYS_PTRACE and a seccomp profile that allows ptrace.\n";
        return 1;
    }
    if (!o.quiet) {
        if (!attach && res.exit_status != 0)
            std::cerr << "rtnl-record: note: the traced command exited with status " << res.exit_status << "\n";
        if (res.interrupted) std::cerr << "rtnl-record: interrupted: the capture holds what was seen until then\n";
    }
    if (ok) summary(o, out, conv);
    if (!ok || (res.stopped && out.broken)) return 1;
    return attach ? 0 : res.exit_status;  // the command's status, for scripts that wrap it
}

int record_bpf_engine(const Options& o) {
    std::signal(SIGPIPE, SIG_IGN);
    Output out;
    if (!out.open(o)) return 1;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> ring_log(nullptr, std::fclose);
    if (o.ring_log) {
        ring_log.reset(std::fopen(o.ring_log->c_str(), "wb"));
        if (!ring_log) {
            std::cerr << "rtnl-record: cannot create " << *o.ring_log << ": " << std::strerror(errno) << "\n";
            return 1;
        }
    }
    BpfRecording r;
    r.ring_log = ring_log.get();
    r.pids = o.pids;
    r.command = o.command;
    r.comm = o.comm;
    r.cgroup = o.cgroup;
    r.netns = o.netns;
    r.ring_mib = o.ring_mib;
    r.command_stdout_to_stderr = o.out == "-";
    r.put = [&](NetlinkPacket&& p) { return out.put(p, o.families); };
    r.mark_drops = [&](uint64_t netns, uint64_t lost, int64_t ts) {
        if (!out.broken) out.writer->mark_drops(netns, lost, ts);
    };
    r.on_ready = [&] {
        if (o.quiet || !o.command.empty()) return;
        std::cerr << "rtnl-record: recording "
                  << (o.pids.empty() ? "every process" : "the processes given") << " (bpf engine); stop with Ctrl-C"
                  << std::endl;
    };
    BpfOutcome res = record_bpf(r);
    bool ok = out.close(o);
    if (res.error) {
        std::cerr << "rtnl-record: bpf engine: " << *res.error << "\n";
        return 1;
    }
    if (!o.quiet) {
        if (res.interrupted) std::cerr << "rtnl-record: interrupted: the capture holds what was seen until then\n";
        std::cerr << "rtnl-record: wrote " << out.written << " packet" << (out.written == 1 ? "" : "s") << " to "
                  << (out.to_stdout ? std::string("stdout") : o.out) << " (bpf engine";
        if (!o.families.empty()) std::cerr << "; " << out.filtered << " of other families left out";
        std::cerr << "; " << res.ring.truncated << " truncated)\n";
    }
    // never silent: losses are reported even with -q
    if (res.lost || res.ring.orphans || res.untracked || res.ring.malformed)
        std::cerr << "rtnl-record: LOST: " << res.lost << " ring buffer records (the ring was full; "
                  << res.ring.orphans << " pieces of messages whose start was lost), " << res.untracked
                  << " calls not followed (too many at once), " << res.ring.malformed
                  << " malformed records; try --buffer-size" << (*o.pcapng ? "; marked in the file" : "")
                  << "\n";
    if (!ok) return 1;
    if (res.command_status && *res.command_status != 0) return *res.command_status;
    return 0;
}

// --engine auto: bpf as root where it loads, strace otherwise (and always
// strace for what only it can do).
bool use_bpf(const Options& o) {
    if (o.engine != Engine::Auto) return o.engine == Engine::Bpf;
    bool whole_machine = o.command.empty() && o.pids.empty();
    if (whole_machine || o.comm || o.cgroup || o.netns) return true;  // only bpf does these
    if (o.strace_log) return false;                                   // only strace does this
    return ::geteuid() == 0 && !bpf_engine_unavailable();
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (auto st = parse_args(argc, argv, o)) return *st;
    if (o.from_strace) return convert_log(o);
    if (o.from_rtmon) return convert_rtmon(o);
    const bool bpf = use_bpf(o);
    if (bpf && o.strace_log) return usage_error("--strace-log is for the strace engine (--engine strace)");
    if (!bpf && o.ring_log) return usage_error("--ring-log is for the bpf engine (--engine bpf)");
    if (bpf) return command_missing(o) ? 127 : record_bpf_engine(o);
    return record(o);
}
