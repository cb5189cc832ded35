// Parsing of single strace output lines.
//
// Knows the shapes strace prints with -f / -o / -ttt / -tt / -t / -r,
// -e write=all / -e read=all (hexdumps) and -y / -yy (fd decorations).
// It does not know what the calls mean: see strace_converter.hpp for that.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtnl::record {

enum class LineKind {
    Empty,         // blank line
    Syscall,       // name(args) = ret              (complete call)
    Unfinished,    // name(args... <unfinished ...>
    Resumed,       // <... name resumed>args) = ret
    HexDump,       //  | 00000  30 00 00 00 ...  0...
    BufferHeader,  //  * 52 bytes in buffer 0
    Ignorable,     // --- SIGCHLD ... ---, +++ exited ... +++, strace: ..., other notes
    Garbage,       // anything else
};

struct StraceLine {
    LineKind kind = LineKind::Garbage;
    std::optional<int> pid;          // from "[pid 123] " or "123 " prefixes
    std::optional<int64_t> ts_usec;  // from -ttt / -tt / -t / -r timestamps
    bool ts_clock = false;           // ts_usec is a time of day (-tt / -t: "16:03:02.123456")
    bool ts_padded = false;          // "     0.000123": right-aligned seconds, as -r prints them
    std::string name;                // syscall name (Syscall, Unfinished, Resumed)
    // Syscall:    the text after "name(" : "args) = ret ..."
    // Unfinished: the text after "name(" up to " <unfinished ...>"
    // Resumed:    the text after "resumed>" : "...args) = ret ..."
    std::string text;
    // HexDump
    uint64_t dump_offset = 0;
    std::vector<uint8_t> dump_bytes;
    // BufferHeader
    uint64_t buffer_bytes = 0;
    unsigned buffer_index = 0;
    // Garbage: why
    std::string error;
};

StraceLine parse_strace_line(std::string_view line);

// The result of a call whose full text ("args) = ret ...") is known.
struct CallResult {
    bool ok = false;                  // the text could be split into args and result
    std::vector<std::string> args;    // top-level arguments, trimmed
    std::optional<int64_t> ret;       // absent for "= ?"
    std::string err_name;             // "EAGAIN" for "= -1 EAGAIN (...)"
    std::optional<int64_t> duration_usec;  // strace -T: " <0.000123>" after the result
    std::string error;                // why !ok
};

CallResult parse_call_text(std::string_view text);

// "3", "3<NETLINK:[ROUTE:4129]>", "3<socket:[1234]>" -> 3
std::optional<int> parse_fd_arg(std::string_view arg);
// The netlink family named by a -yy decoration ("3<NETLINK:[ROUTE:4129]>" -> 0).
std::optional<uint16_t> parse_fd_netlink_family(std::string_view arg);
// The socket's port id in a -yy decoration ("3<NETLINK:[ROUTE:4129]>" -> 4129).
std::optional<uint32_t> parse_fd_netlink_port(std::string_view arg);

// NETLINK_ROUTE -> 0, "0x17 /* NETLINK_??? */" -> 23, "16" -> 16; names without
// the NETLINK_ prefix ("ROUTE") are accepted too.
std::optional<uint16_t> netlink_family_from_name(std::string_view s);
const char* netlink_family_name(uint16_t family);  // nullptr if unknown

std::string_view trim(std::string_view s);

}  // namespace rtnl::record
