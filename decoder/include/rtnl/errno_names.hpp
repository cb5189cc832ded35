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
std::span<const ErrnoName> all_errnos();

}  // namespace rtnl
