# `cpack -G DEB` in a build configured with -DRTNL_PACKAGE=ON: one .deb per
# Wireshark series, named for it, holding the plugin in that series' global
# plugin folder, the rtnl profile, rtnl-record, rtnl-decode and their manuals.
# Its Depends pin the libwireshark it was built against (a 4.4 package does not
# install next to Wireshark 4.0).

# The Debian package that ships the libwireshark we link (libwireshark16 for
# 4.0, libwireshark18 for 4.4, ...).
find_library(RTNL_LIBWIRESHARK NAMES wireshark HINTS ${WIRESHARK_LIBRARY_DIRS} REQUIRED)
get_filename_component(_libwireshark_real "${RTNL_LIBWIRESHARK}" REALPATH)
execute_process(COMMAND dpkg-query -S "${_libwireshark_real}"
                OUTPUT_VARIABLE _owner OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
string(REGEX MATCH "^[^:]+" RTNL_LIBWIRESHARK_PACKAGE "${_owner}")
if(NOT _rc EQUAL 0 OR NOT RTNL_LIBWIRESHARK_PACKAGE)
  message(FATAL_ERROR "rtnl: no Debian package owns ${_libwireshark_real}: packaging needs Debian's libwireshark-dev")
endif()
# The next series bounds the dependency: 4.4.19 gives (>= 4.4.0) and (<< 4.5~).
string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" _series "${WIRESHARK_VERSION}")
math(EXPR _next_minor "${CMAKE_MATCH_2} + 1")
set(_next_series "${CMAKE_MATCH_1}.${_next_minor}")

install(FILES ${PROJECT_SOURCE_DIR}/docs/rtnl-record.md ${PROJECT_SOURCE_DIR}/docs/rtnl-decode.md
              ${PROJECT_SOURCE_DIR}/docs/fields.md ${PROJECT_SOURCE_DIR}/docs/expert.md ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION share/doc/wireshark-plugin-rtnl)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wireshark-plugin-rtnl)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "rtnl maintainers <rtnl@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Wireshark ${RTNL_WIRESHARK_SERIES} plugin for Linux rtnetlink (NETLINK_ROUTE)")
set(CPACK_PACKAGE_DESCRIPTION
    "The rtnl dissector decodes routes, links, addresses, neighbours, rules, nexthops and tc messages with rtnl.* fields and links requests to the kernel's answers. With the rtnl configuration profile, rtnl-record (records a program's netlink traffic through strace) and rtnl-decode.")
execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE _arch OUTPUT_STRIP_TRAILING_WHITESPACE)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "${_arch}")
set(CPACK_PACKAGE_FILE_NAME "wireshark-plugin-rtnl_${PROJECT_VERSION}_wireshark${RTNL_WIRESHARK_SERIES}_${_arch}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # libc6, libstdc++6, libglib2.0-0, libwireshark (>= built version)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "${RTNL_LIBWIRESHARK_PACKAGE} (>= ${_series}.0), ${RTNL_LIBWIRESHARK_PACKAGE} (<< ${_next_series}~)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "tshark | wireshark, strace")
include(CPack)
