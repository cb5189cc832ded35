// rtnl-record: record a process's netlink traffic into an nlmon-format pcap,
// using strace instead of an nlmon device.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

#include "pcap_writer.hpp"
#include "strace_converter.hpp"
#include "strace_runner.hpp"

using namespace rtnl::record;

namespace {

const char* const kUsage = R"(Usage:
  rtnl-record -w OUT.pcap [--strace-log FILE] [-q] -- COMMAND [ARGS...]
  rtnl-record --from-strace LOG -w OUT.pcap [-q]

Records the netlink traffic of a command (every send and receive on its netlink
sockets) into a pcap file in the format of the Linux nlmon device (LINKTYPE_NETLINK,
253), for machines without nlmon. Wireshark/tshark read it directly.

The first form runs COMMAND under strace (found on $PATH) and converts its log;
the second converts a log written earlier by a run like
  strace -f -qq -ttt -xx -s 65536 -e trace=socket,sendmsg,recvmsg,sendto,recvfrom \
         -e write=all -e read=all -o LOG COMMAND
(the hexdumps of -e write=all / -e read=all are where the bytes come from; -f pid
prefixes, -ttt/-tt/-t timestamps and <unfinished ...> splits are understood).

Options:
  -w, --write FILE       write the capture to FILE ('-' = standard output; the
                         command's own standard output then goes to stderr)
      --from-strace LOG  convert an existing strace log instead of running a command
      --strace-log FILE  keep the strace log of the run in FILE (default: a
                         temporary file, deleted afterwards)
  -q, --quiet            no summary line on stderr
  -h, --help             this text

Packets: one per send (pkttype 4, outgoing) or receive (pkttype 0) on a netlink
socket, timestamped with strace's -ttt times (without timestamps: 1 ms apart from
0). MSG_PEEK probes and failed calls are not packets. Lines that cannot be
understood are reported on stderr as LOG:LINE: message and skipped.
Exit status: 0 when the capture was written, 1 on errors, 2 on usage errors.
)";

struct Options {
    std::string out;
    std::optional<std::string> from_strace;
    std::optional<std::string> strace_log;
    std::vector<std::string> command;
    bool quiet = false;
};

int usage_error(const std::string& msg) {
    std::cerr << "rtnl-record: " << msg << "\nTry 'rtnl-record --help'.\n";
    return 2;
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
        } else if (a == "--from-strace") {
            std::string v;
            if (!value(v)) return usage_error(a + " needs a file name");
            o.from_strace = v;
        } else if (a == "--strace-log") {
            std::string v;
            if (!value(v)) return usage_error(a + " needs a file name");
            o.strace_log = v;
        } else if (a == "-q" || a == "--quiet") {
            o.quiet = true;
        } else if (!a.empty() && a[0] == '-' && a != "-") {
            return usage_error("unknown option " + a);
        } else {
            o.command.assign(args.begin() + long(i), args.end());
            break;
        }
    }
    if (o.out.empty()) return usage_error("no output file (-w FILE)");
    if (o.from_strace && !o.command.empty()) return usage_error("--from-strace and a COMMAND exclude each other");
    if (o.from_strace && o.strace_log) return usage_error("--strace-log is for recording a COMMAND");
    if (!o.from_strace && o.command.empty()) return usage_error("nothing to do: give --from-strace LOG or -- COMMAND");
    return std::nullopt;
}

// Converts the strace log at log_path into the capture o.out. Returns the exit status.
int convert(const std::string& log_path, const Options& o) {
    std::ifstream in(log_path, std::ios::binary);
    if (!in) {
        std::cerr << "rtnl-record: cannot open " << log_path << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    std::FILE* out = nullptr;
    bool to_stdout = o.out == "-";
    if (to_stdout) {
        if (::isatty(1)) {
            std::cerr << "rtnl-record: not writing a binary capture to a terminal\n";
            return 1;
        }
        out = stdout;
    } else {
        out = std::fopen(o.out.c_str(), "wb");
        if (!out) {
            std::cerr << "rtnl-record: cannot create " << o.out << ": " << std::strerror(errno) << "\n";
            return 1;
        }
    }
    PcapWriter writer(out);
    bool ok = writer.begin();
    StraceConverter conv(
        [&](NetlinkPacket&& p) { ok = writer.write(p) && ok; },
        [&](size_t line, const std::string& msg) { std::cerr << log_path << ":" << line << ": " << msg << "\n"; });
    std::string line;
    while (std::getline(in, line)) conv.feed_line(line);
    conv.finish();
    ok = writer.finish() && ok;
    if (!to_stdout) ok = (std::fclose(out) == 0) && ok;
    if (!ok) {
        std::cerr << "rtnl-record: error writing " << o.out << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    if (!o.quiet) {
        const auto& s = conv.stats();
        std::cerr << "rtnl-record: wrote " << s.packets << " packet" << (s.packets == 1 ? "" : "s") << " to "
                  << (to_stdout ? std::string("stdout") : o.out) << " (" << s.peeks_skipped
                  << " MSG_PEEK probes skipped, " << s.failed_calls << " failed calls, " << s.diagnostics
                  << " problems reported)\n";
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (auto st = parse_args(argc, argv, o)) return *st;
    if (o.from_strace) return convert(*o.from_strace, o);

    auto strace = find_on_path("strace");
    if (!strace) {
        std::cerr << "rtnl-record: strace not found on PATH; install it (e.g. apt-get install strace) "
                     "or use --from-strace with a log made elsewhere\n";
        return 1;
    }
    std::string log = o.strace_log.value_or("");
    bool temp_log = !o.strace_log;
    if (temp_log) {
        const char* tmpdir = std::getenv("TMPDIR");
        std::string tmpl = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/rtnl-record-XXXXXX";
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        int fd = ::mkstemp(buf.data());
        if (fd < 0) {
            std::cerr << "rtnl-record: cannot create a temporary file in " << tmpl << ": " << std::strerror(errno)
                      << "\n";
            return 1;
        }
        ::close(fd);
        log = buf.data();
    }
    RunResult run = run_and_wait(strace_command(*strace, log, o.command), o.out == "-");
    if (!run.started) {
        std::cerr << "rtnl-record: " << run.error << "\n";
        if (temp_log) ::unlink(log.c_str());
        return 1;
    }
    if (run.exit_status != 0 && !o.quiet)
        std::cerr << "rtnl-record: note: the traced command exited with status " << run.exit_status << "\n";
    int st = convert(log, o);
    if (temp_log) ::unlink(log.c_str());
    return st;
}
