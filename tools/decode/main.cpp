// rtnl-decode: print the rtnetlink messages of a capture with the same core
// the Wireshark plugin uses: one line per packet, a full tree (-V), JSON, or
// a coverage report of what stayed undecoded.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "capture_reader.hpp"
#include "packet_printer.hpp"
#include "rtnl/netlink.hpp"
#include "rtnl/problems.hpp"
#include "rtnl/tracker.hpp"
#include "rtnl/walker_impl.hpp"

namespace {

constexpr const char* kUsage = R"(usage: rtnl-decode [-V | --json | --coverage] [--strict] FILE...

Decode the NETLINK_ROUTE messages of captures: pcap or pcapng of link type
253, as nlmon and rtnl-record write them, or files of iproute2's
'rtmon file FILE' (their own time stamps; one packet per message). The format
is told by the content, not the name; FILE "-" reads standard input.

  (default)    one line per packet: direction and the iproute2-style summary,
               then any problem found ("! rtnl.expert.<name>")
  -V           every message, header member and attribute, with field names
               (the rtnl.* names of the Wireshark plugin) and constants
  --json       the same as JSON: one object per packet in an array
  --coverage   counts: attributes the schema does not know, attributes left as
               raw bytes, problems by name
  --strict     exit 1 when an unknown attribute or a malformed-input problem
               was seen (with --coverage: for tests)
  --list-problems
               the catalogue of problems (name, group, severity, text), one per
               line, tab-separated: the Wireshark plugin's rtnl.expert.* entries
  -h, --help   this text

Exit status: 0 on success, 1 when a file cannot be read (or --strict found
something), 2 on a usage error.
)";

// A first read of the whole file: requests linked to their answers, names
// learned from the links (as the plugin's first pass does). The routes the
// capture shows are learnt only when needed: when a route request failed in
// a way they explain, the file is read once more with the route book.
void learn(const std::string& file, rtnl::Tracker& tracker, rtnl::LinkNames& names, rtnl::RouteBook& routes) {
    auto read = [&](rtnl::RouteBook* book) {
        rtnl::decode::CaptureReader reader;
        if (!reader.open(file)) return;
        rtnl::decode::CapturedPacket packet;
        while (reader.next(packet)) {
            const auto hdr = rtnl::parse_cooked_header(packet.data);
            if (!hdr || hdr->protocol != rtnl::nl::NETLINK_ROUTE) continue;
            rtnl::CaptureLearner learner(tracker, names, book, static_cast<std::uint32_t>(packet.number),
                                         packet.ts_nsec, rtnl::decode::packet_origin(packet, hdr->pkttype));
            rtnl::walk_messages_static(packet.data, rtnl::nl::COOKED_HEADER_LEN, learner);
        }
    };
    read(nullptr);
    if (tracker.route_refusals() == 0) return;
    tracker.clear();
    names.clear();
    read(&routes);
}

}  // namespace

int main(int argc, char** argv) {
    enum class Mode { Lines, Verbose, Json, Coverage } mode = Mode::Lines;
    bool strict = false;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            std::cout << kUsage;
            return 0;
        } else if (a == "-V") {
            mode = Mode::Verbose;
        } else if (a == "--json") {
            mode = Mode::Json;
        } else if (a == "--coverage") {
            mode = Mode::Coverage;
        } else if (a == "--strict") {
            strict = true;
        } else if (a == "--list-problems") {
            static const char* groups[] = {"malformed", "protocol", "undecoded", "response-code", "sequence"};
            static const char* severities[] = {"note", "warning", "error"};
            for (const rtnl::ProblemInfo& p : rtnl::all_problems())
                std::cout << "rtnl.expert." << p.name << '\t' << groups[static_cast<int>(p.group)] << '\t'
                          << severities[static_cast<int>(p.severity)] << '\t' << p.summary << '\n';
            return 0;
        } else if (a.size() > 1 && a[0] == '-') {
            std::cerr << "rtnl-decode: unknown option " << a << "\n" << kUsage;
            return 2;
        } else {
            files.push_back(a);
        }
    }
    if (files.empty()) {
        std::cerr << kUsage;
        return 2;
    }
    rtnl::decode::Coverage coverage;
    const auto output = mode == Mode::Verbose ? rtnl::decode::Output::Verbose
                        : mode == Mode::Json  ? rtnl::decode::Output::Json
                        : mode == Mode::Lines ? rtnl::decode::Output::Lines
                                              : rtnl::decode::Output::Coverage;
    rtnl::decode::PacketPrinter printer(output, coverage);
    bool failed = false;
    if (mode == Mode::Json) std::cout << "[\n";
    for (const std::string& file : files) {
        rtnl::decode::CaptureReader reader;
        if (!reader.open(file)) {
            std::cerr << "rtnl-decode: " << reader.error() << '\n';
            failed = true;
            continue;
        }
        if (files.size() > 1 && (mode == Mode::Lines || mode == Mode::Verbose)) std::cout << "== " << file << '\n';
        // A first read links requests and answers and learns interface names,
        // so summaries say "dev lo" even before the link dump (not on stdin).
        rtnl::LinkNames names;
        rtnl::Tracker tracker;
        const bool two_pass = file != "-";
        rtnl::RouteBook routes;
        if (two_pass) learn(file, tracker, names, routes);
        printer.set_names(&names);
        printer.set_tracking(two_pass ? &tracker : nullptr);
        // Each packet is printed as soon as it is decoded.
        rtnl::decode::CapturedPacket packet;
        while (reader.next(packet)) printer.print(std::cout, packet);
        if (!reader.error().empty()) {
            std::cerr << "rtnl-decode: " << file << ": " << reader.error() << " (after packet " << coverage.packets
                      << ")\n";
            failed = true;
        }
    }
    printer.finish(std::cout);
    if (mode == Mode::Coverage) print_coverage(std::cout, coverage);
    if (strict) {
        bool bad = !coverage.unknown.empty();
        for (const auto& [name, n] : coverage.problems)
            if (std::strncmp(name.c_str(), "malformed.", 10) == 0 || name == "unknown_msg_type") bad = true;
        if (bad) failed = true;
    }
    return failed ? 1 : 0;
}
