// Payload bytes from the text strace prints for a send or receive, for logs
// without hexdumps (no -e write=all / -e read=all).
//
// Shapes understood:
//  - plain escaped strings: write(3, "\x20\x00...", 32), sendto(3, "\x20...", ...)
//    (strace -e verbose=none, write()/read() on a netlink fd, strace < 4.13 in
//    general), also with -x / no -x escapes ("\n", "\0", "\177", printable text);
//  - the old msghdr shape  msg_iov(1)=[{"\x34\x00...", 52}]  and the new one
//    msg_iov=[{iov_base="...", iov_len=52}];
//  - netlink headers decoded by strace, the rest left as a string, as strace
//    prints when it cannot tell the socket's protocol (e.g. a process in another
//    network namespace):  [{nlmsg_len=52, nlmsg_type=0x19 /* NLMSG_??? */,
//    nlmsg_flags=NLM_F_REQUEST|NLM_F_ACK, nlmsg_seq=1, nlmsg_pid=0}, "\x02..."],
//    arrays of such messages, NLMSG_ERROR  {error=-ESRCH, msg=[...]}  and
//    NLMSG_DONE  [{...}, 0];
//  - a netlink header alone where the buffer holds more (tc's tcmsg in an
//    iovec of its own, printed as a header): its 16 bytes, marked truncated;
//  - strings cut by strace's -s limit ("..."...): the bytes seen, marked truncated.
// Message bodies strace decoded into structures ({ifi_family=AF_UNSPEC, ...})
// are rebuilt from the schema (netlink_rebuild.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strace_syntax.hpp"

namespace rtnl::record {

struct TextPayload {
    std::vector<uint8_t> bytes;
    bool truncated = false;  // strace printed fewer bytes than were transferred
    bool header_alone = false;  // ... because it read a buffer as a netlink header and stopped there
    // message bodies rebuilt from strace's decoding, whole or with gaps
    uint32_t messages_whole = 0, messages_partial = 0;
    std::string partial_why;  // the first gap's reason
    std::string error;       // set when the bytes cannot be recovered
    bool ok() const { return error.empty(); }
};

// name: the syscall (sendmsg, recvmsg, sendto, recvfrom, write, read);
// args: its top-level arguments as split by parse_call_text; transferred: the
// call's result (bytes sent or received).
TextPayload payload_from_call_text(std::string_view name, const std::vector<std::string>& args,
                                   uint64_t transferred);


// Values of symbolic constants strace prints in netlink headers
// (NLMSG_ERROR, RTM_NEWLINK, NLM_F_ACK, ENODEV, ...).
std::optional<int64_t> nlmsg_type_value(std::string_view name);
std::optional<int64_t> nlm_flag_value(std::string_view name);
std::optional<int64_t> errno_value(std::string_view name);

}  // namespace rtnl::record
