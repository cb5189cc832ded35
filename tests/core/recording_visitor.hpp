// A visitor that writes every event down as text, so tests can assert the
// exact decode: "attr rtnl.rta.oif=0 @36+8 d0".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rtnl/events.hpp"

namespace rtnl::test {

std::vector<std::uint8_t> from_hex(const std::string& hex);

struct Recorded {
    std::vector<std::string> events;      // every event, in order
    std::vector<Problem> problems;
    std::vector<std::string> values;      // "abbrev=value" for members and attributes
    bool has(const std::string& event) const;
    bool has_value(const std::string& abbrev_eq_value) const;
    std::size_t count(ProblemCode code) const;
};

class RecordingVisitor : public Visitor {
public:
    Recorded rec;
    void message_begin(const MessageView& m) override;
    void message_end(const MessageView& m) override;
    void struct_begin(const StructView& s) override;
    void attr_begin(const AttrEvent& ev) override;
    void attr_end(const AttrEvent& ev) override;
    void error_code(std::int32_t error, std::size_t offset) override;
    void extack_target(std::size_t offset, const AttrSpace* space, const AttrSpec* spec, std::uint16_t type) override;
    void problem(const Problem& p) override;
};

// Walk `payload` (netlink messages, no cooked header) and record it.
Recorded walk(const std::vector<std::uint8_t>& payload);

}  // namespace rtnl::test
