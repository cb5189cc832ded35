// Catch2 2.13 (Debian 12) and 3.x (Debian 13, sid) behind one include.
// tests/CMakeLists.txt defines RTNL_CATCH2_MAJOR from the Catch2 it found and
// links 3.x's own main(); 2.x builds main() in test_main.cpp.
#pragma once

#include <string>

#if RTNL_CATCH2_MAJOR >= 3
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif

namespace rtnl::test {

// The string matcher "contains this text" (renamed ContainsSubstring in 3.x).
inline auto contains(const std::string& text) {
#if RTNL_CATCH2_MAJOR >= 3
    return Catch::Matchers::ContainsSubstring(text);
#else
    return Catch::Matchers::Contains(text);
#endif
}

}  // namespace rtnl::test
