#pragma once

#include <cstdint>
#include <span>

namespace rtnl {

struct ErrnoName {
    std::uint32_t number;  // positive, as in errno.h
    const char* name;      // "ESRCH"
    const char* text;      // "No such process"
};

const ErrnoName* find_errno(std::uint32_t number);
// The errno of a netlink error field, which carries it negated (0: an ACK;
// positive values carry none): 0 when there is none.
inline std::uint32_t errno_of(std::int32_t error) {
    return error < 0 ? static_cast<std::uint32_t>(-static_cast<std::int64_t>(error)) : 0;
}
inline const ErrnoName* find_error(std::int32_t error) { return find_errno(errno_of(error)); }
std::span<const ErrnoName> all_errnos();

}  // namespace rtnl
