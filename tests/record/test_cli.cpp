// End-to-end tests of the rtnl-record command line.
#include "catch.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "strace_runner.hpp"
#include "test_util.hpp"

using namespace rtnl::record;
using namespace rtnl::record::test;

namespace {

struct Tmp {
    std::string dir;
    Tmp() {
        char t[] = "/tmp/rtnl-record-test-XXXXXX";
        REQUIRE(mkdtemp(t));
        dir = t;
    }
    ~Tmp() { std::system(("rm -rf '" + dir + "'").c_str()); }
    std::string path(const std::string& n) const { return dir + "/" + n; }
};

int run(const std::string& cmd) {
    int st = std::system(cmd.c_str());
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

const std::string exe = RTNL_RECORD_EXE;

}  // namespace

TEST_CASE("cli: --from-strace writes the capture and reports bad lines as LOG:LINE:", "[cli]") {
    Tmp t;
    std::string log = data_path("garbage.strace");
    int st = run(exe + " --from-strace '" + log + "' -w '" + t.path("out.pcap") + "' 2>'" + t.path("err") + "'");
    REQUIRE(st == 0);
    std::string err = read_file(t.path("err"));
    CHECK_THAT(err, rtnl::test::contains(log + ":3: not an strace line"));
    CHECK_THAT(err, rtnl::test::contains("wrote 6 packets"));
    std::string pcap = read_file(t.path("out.pcap"));
    // 24-byte file header + 6 records (16 record header + 16 nlmon header + payload)
    CHECK(pcap.size() == 24 + 6 * 32 + (32 + 52 + 48 + 1100 + 32 + 36));

    SECTION("-w - writes the same bytes to stdout") {
        REQUIRE(run(exe + " -q --from-strace '" + log + "' -w - >'" + t.path("stdout.pcap") + "' 2>/dev/null") == 0);
        CHECK(read_file(t.path("stdout.pcap")) == pcap);
    }
}

TEST_CASE("cli: usage", "[cli]") {
    CHECK(run(exe + " --help >/dev/null") == 0);
    CHECK(run(exe + " 2>/dev/null") == 2);
    CHECK(run(exe + " -w /dev/null 2>/dev/null") == 2);
    CHECK(run(exe + " --from-strace x -w /dev/null -- true 2>/dev/null") == 2);
    CHECK(run(exe + " --from-strace /nonexistent/log -w /dev/null 2>/dev/null") == 1);
}

TEST_CASE("cli: a clear error when strace is missing", "[cli]") {
    Tmp t;
    int st = run("env PATH=/nonexistent " + exe + " -w '" + t.path("x.pcap") + "' -- true 2>'" + t.path("err") + "'");
    CHECK(st == 1);
    CHECK_THAT(read_file(t.path("err")), rtnl::test::contains("strace not found"));
}

TEST_CASE("cli: records a command under strace", "[cli][strace]") {
    if (!find_on_path("strace") || !find_on_path("ip")) {
        WARN("strace or ip not installed: not tested");
        return;
    }
    Tmp t;
    // read-only: asks the kernel about the loopback interface
    int st = run(exe + " -w '" + t.path("lo.pcap") + "' --strace-log '" + t.path("lo.strace") +
                 "' -- ip link show lo >/dev/null 2>'" + t.path("err") + "'");
    INFO(read_file(t.path("err")));
    REQUIRE(st == 0);
    CHECK_THAT(read_file(t.path("lo.strace")), rtnl::test::contains("socket(AF_NETLINK"));
    auto c = convert_text(read_file(t.path("lo.strace")));
    REQUIRE(c.packets.size() >= 2);
    CHECK(c.packets[0].pkttype == kPacketOutgoing);
    std::string pcap = read_file(t.path("lo.pcap"));
    size_t expect = 24;
    for (auto& p : c.packets) expect += 32 + p.payload.size();
    CHECK(pcap.size() == expect);
}
