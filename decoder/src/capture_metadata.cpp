#include "rtnl/capture_metadata.hpp"

#include <charconv>

namespace rtnl {

namespace {

template <typename T>
bool number(std::string_view token, T& out) {
    T value{};
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (ec != std::errc() || end != token.data() + token.size()) return false;
    out = value;
    return true;
}

}  // namespace

CommentTokens parse_packet_comment(std::string_view comment) {
    CommentTokens t;
    if (const auto comma = comment.find(','); comma != std::string_view::npos) comment = comment.substr(0, comma);
    if (!comment.starts_with("pid ")) return t;
    std::string_view key;
    bool in_comm = false;
    while (!comment.empty()) {
        const auto space = comment.find(' ');
        const std::string_view token = comment.substr(0, space);
        comment = space == std::string_view::npos ? std::string_view() : comment.substr(space + 1);
        if (in_comm || token.starts_with('(')) {  // "(<comm>)" may hold spaces
            in_comm = !token.ends_with(')');
            key = {};
            continue;
        }
        if (key.empty()) {
            key = token;
            continue;
        }
        if (key == "pid") number(token, t.pid);
        else if (key == "port") number(token, t.port);
        else if (key == "netns") number(token, t.netns);
        else if (key != "tid" && key != "fd") {  // a syscall name, or a token we do not know: no value follows
            key = token;
            continue;
        }
        key = {};
    }
    return t;
}

}  // namespace rtnl
