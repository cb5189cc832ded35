// strace's value syntax: the text of one argument as strace prints it -
// strings, [arrays], {structures, name=value}, and atoms (numbers, flag sets,
// inet_addr("..."), calls, "...") - parsed into a tree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtnl::record {

struct Value {
    enum class Kind { String, Array, Struct, Atom } kind = Kind::Atom;
    std::vector<uint8_t> str;  // String
    bool str_truncated = false;
    std::vector<std::pair<std::string, Value>> items;  // Array (names empty), Struct
    std::string atom;                                   // Atom, comments removed

    const Value* field(std::string_view name) const;  // a Struct's member by name

    // Out of line: the members hold Values, complete only after this class
    Value();
    Value(const Value&);
    Value(Value&&) noexcept;
    Value& operator=(const Value&);
    Value& operator=(Value&&) noexcept;
    ~Value();
};

// The whole of text as one value; nullopt when it is not strace's syntax or
// something follows it.
std::optional<Value> parse_strace_value(std::string_view text);

// Decodes one C-style string literal as strace prints it (text starts at the
// opening quote). Returns the bytes and sets consumed; nullopt if malformed.
std::optional<std::vector<std::uint8_t>> decode_strace_string(std::string_view text, std::size_t& consumed);

}  // namespace rtnl::record
