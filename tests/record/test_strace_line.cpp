#include "catch.hpp"

#include "strace_line.hpp"

using namespace rtnl::record;

TEST_CASE("strace line prefixes: pid forms and timestamps", "[strace_line]") {
    SECTION("strace -f -o FILE: '123  ' pid prefix and -ttt") {
        auto l = parse_strace_line("5030  1795486383.417093 socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3");
        REQUIRE(l.kind == LineKind::Syscall);
        REQUIRE(l.pid == 5030);
        REQUIRE(l.ts_usec == 1795486383417093LL);
        REQUIRE(l.name == "socket");
    }
    SECTION("strace -f to stderr: '[pid  123] ' prefix") {
        auto l = parse_strace_line("[pid  5039] 1795486383.497003 recvmsg(3,  <unfinished ...>");
        REQUIRE(l.kind == LineKind::Unfinished);
        REQUIRE(l.pid == 5039);
        REQUIRE(l.ts_usec == 1795486383497003LL);
        REQUIRE(l.name == "recvmsg");
        REQUIRE(l.text == "3, ");
    }
    SECTION("no pid, no timestamp") {
        auto l = parse_strace_line("socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3");
        REQUIRE(l.kind == LineKind::Syscall);
        REQUIRE_FALSE(l.pid.has_value());
        REQUIRE_FALSE(l.ts_usec.has_value());
    }
    SECTION("-tt time of day, short fraction") {
        auto l = parse_strace_line("[pid 7] 01:02:03.5 close(3) = 0");
        REQUIRE(l.pid == 7);
        REQUIRE(l.ts_usec == (3723LL * 1000000 + 500000));
    }
    SECTION("pid and no timestamp") {
        auto l = parse_strace_line("5030  close(3) = 0");
        REQUIRE(l.kind == LineKind::Syscall);
        REQUIRE(l.pid == 5030);
        REQUIRE_FALSE(l.ts_usec.has_value());
    }
    SECTION("resumed") {
        auto l = parse_strace_line("[pid  5039] 1795486383.786999 <... recvmsg resumed>{msg_namelen=12}, 0) = 20");
        REQUIRE(l.kind == LineKind::Resumed);
        REQUIRE(l.name == "recvmsg");
        REQUIRE(l.text == "{msg_namelen=12}, 0) = 20");
    }
    SECTION("signals, exits and strace notes are ignorable") {
        REQUIRE(parse_strace_line("[pid  5039] 1795486384.096090 --- SIGTERM {si_signo=SIGTERM} ---").kind ==
                LineKind::Ignorable);
        REQUIRE(parse_strace_line("[pid  5039] 1795486384.096579 +++ killed by SIGTERM +++").kind ==
                LineKind::Ignorable);
        REQUIRE(parse_strace_line("strace: Process 12 attached").kind == LineKind::Ignorable);
        REQUIRE(parse_strace_line("").kind == LineKind::Empty);
    }
    SECTION("garbage") {
        auto l = parse_strace_line("RTNETLINK answers: No such process");
        REQUIRE(l.kind == LineKind::Garbage);
        REQUIRE_FALSE(l.error.empty());
        REQUIRE(parse_strace_line("1795486383.1 ").kind == LineKind::Garbage);
        REQUIRE(parse_strace_line("<... recvmsg").kind == LineKind::Garbage);
    }
}

TEST_CASE("hexdump and buffer header lines", "[strace_line]") {
    SECTION("full line; the ASCII column is not read as bytes") {
        auto l = parse_strace_line(
            " | 00010  fd ff ff ff 34 00 00 00  19 00 05 00 4f e9 04 6b  ....4.......O..k |");
        REQUIRE(l.kind == LineKind::HexDump);
        REQUIRE(l.dump_offset == 0x10);
        REQUIRE(l.dump_bytes == std::vector<uint8_t>{0xfd, 0xff, 0xff, 0xff, 0x34, 0, 0, 0, 0x19, 0, 5, 0, 0x4f,
                                                     0xe9, 0x04, 0x6b});
    }
    SECTION("short last line whose ASCII column looks like hex") {
        auto l = parse_strace_line(" | 00030  34 00 00 00                                       4...             |");
        REQUIRE(l.kind == LineKind::HexDump);
        REQUIRE(l.dump_offset == 0x30);
        REQUIRE(l.dump_bytes == std::vector<uint8_t>{0x34, 0, 0, 0});
        auto m = parse_strace_line(" | 00000  ab cd                                             ab               |");
        REQUIRE(m.dump_bytes == std::vector<uint8_t>{0xab, 0xcd});
    }
    SECTION("line cut in the middle keeps the complete bytes") {
        auto l = parse_strace_line(" | 00000  34 00 0");
        REQUIRE(l.kind == LineKind::HexDump);
        REQUIRE(l.dump_bytes.size() == 2);
    }
    SECTION("broken hexdump lines") {
        REQUIRE(parse_strace_line(" | zz").kind == LineKind::Garbage);
        REQUIRE(parse_strace_line(" | 00000  zz").kind == LineKind::Garbage);
    }
    SECTION("buffer header") {
        auto l = parse_strace_line(" * 24 bytes in buffer 1");
        REQUIRE(l.kind == LineKind::BufferHeader);
        REQUIRE(l.buffer_bytes == 24);
        REQUIRE(l.buffer_index == 1);
        REQUIRE(parse_strace_line(" * 24 bytes in").kind == LineKind::Garbage);
    }
}

TEST_CASE("call text: arguments and result", "[strace_line]") {
    SECTION("nested structures, strings with commas and brackets, comments") {
        auto r = parse_call_text(
            R"x(3, [{nlmsg_len=24, nlmsg_type=0x16 /* NLMSG_??? (, */, nlmsg_flags=NLM_F_REQUEST|0x300}, "\x2c\x29\",)"], 24, 0, NULL, 0) = 24)x");
        REQUIRE(r.ok);
        REQUIRE(r.args.size() == 6);
        REQUIRE(r.args[0] == "3");
        REQUIRE(r.args[2] == "24");
        REQUIRE(r.args[3] == "0");
        REQUIRE(r.ret == 24);
    }
    SECTION("failure with errno name") {
        auto r = parse_call_text("3, 0x55a3482cb760, 65536, 0, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)");
        REQUIRE(r.ok);
        REQUIRE(r.ret == -1);
        REQUIRE(r.err_name == "EAGAIN");
        REQUIRE(r.args[3] == "0");
    }
    SECTION("unknown result") {
        auto r = parse_call_text("3, {msg_namelen=12}, 0) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
        REQUIRE(r.ok);
        REQUIRE_FALSE(r.ret.has_value());
        REQUIRE(r.err_name == "ERESTARTSYS");
    }
    SECTION("-yy decorations and hex results") {
        auto r = parse_call_text("AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3<NETLINK:[8625]>");
        REQUIRE(r.ret == 3);
        REQUIRE(parse_call_text("NULL, 4096) = 0x7f00") .ret == 0x7f00);
        REQUIRE(parse_fd_arg("3<NETLINK:[ROUTE:4129]>") == 3);
        REQUIRE(parse_fd_netlink_family("3<NETLINK:[ROUTE:4129]>") == 0);
        REQUIRE(parse_fd_netlink_family("5<NETLINK:[GENERIC:4129]>") == 16);
        REQUIRE_FALSE(parse_fd_netlink_family("3<NETLINK:[8625]>").has_value());
        REQUIRE_FALSE(parse_fd_arg("AT_FDCWD").has_value());
    }
    SECTION("truncated line") {
        auto r = parse_call_text("3, [{nlmsg_len=24, nlmsg_ty");
        REQUIRE_FALSE(r.ok);
        REQUIRE_FALSE(parse_call_text("3) = ").ok);
        REQUIRE_FALSE(parse_call_text("3)").ok);
    }
}

TEST_CASE("netlink family names", "[strace_line]") {
    REQUIRE(netlink_family_from_name("NETLINK_ROUTE") == 0);
    REQUIRE(netlink_family_from_name("NETLINK_GENERIC") == 16);
    REQUIRE(netlink_family_from_name("NETLINK_INET_DIAG") == 4);
    REQUIRE(netlink_family_from_name("AUDIT") == 9);
    REQUIRE(netlink_family_from_name("0x17 /* NETLINK_??? */") == 23);
    REQUIRE(netlink_family_from_name("12") == 12);
    REQUIRE_FALSE(netlink_family_from_name("NETLINK_BOGUS").has_value());
    REQUIRE(std::string(netlink_family_name(16)) == "NETLINK_GENERIC");
}
