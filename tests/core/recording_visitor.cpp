#include "recording_visitor.hpp"

#include <algorithm>

#include "rtnl/summary.hpp"
#include "rtnl/walker.hpp"

namespace rtnl::test {

std::vector<std::uint8_t> from_hex(const std::string& hex) {
    std::vector<std::uint8_t> out;
    std::string digits;
    for (char c : hex)
        if (std::isxdigit(static_cast<unsigned char>(c))) digits += c;
    for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
    return out;
}

bool Recorded::has(const std::string& event) const {
    return std::find(events.begin(), events.end(), event) != events.end();
}
bool Recorded::has_value(const std::string& v) const { return std::find(values.begin(), values.end(), v) != values.end(); }
std::size_t Recorded::count(ProblemCode code) const {
    return static_cast<std::size_t>(
        std::count_if(problems.begin(), problems.end(), [&](const Problem& p) { return p.code == code; }));
}

static std::string range(std::size_t off, std::size_t len) { return "@" + std::to_string(off) + "+" + std::to_string(len); }

void RecordingVisitor::message_begin(const MessageView& m) {
    rec.events.push_back(std::string(m.echoed ? "echoed " : "message ") + std::to_string(m.header.type) + " " +
                         range(m.offset, m.length));
}
void RecordingVisitor::message_end(const MessageView& m) { rec.events.push_back("end " + std::to_string(m.header.type)); }
void RecordingVisitor::struct_begin(const StructView& s) {
    rec.events.push_back(std::string("struct ") + s.spec->name + " " + range(s.offset, s.length));
    s.for_each_member([&](const Member& m) {
        const std::string v = format_value(m.value());
        rec.values.push_back(std::string(m.field->abbrev) + "=" + v);
        rec.events.push_back("member " + std::string(m.field->abbrev) + "=" + v + " " + range(m.offset, m.length));
    });
}
void RecordingVisitor::attr_begin(const AttrEvent& ev) {
    std::string name = ev.field ? ev.field->abbrev
                       : ev.spec ? std::string(ev.spec->field->abbrev) + "(raw)"
                                 : (ev.array_entry ? "entry:" : "unknown:") + std::to_string(ev.type);
    rec.values.push_back(name + "=" + format_value(ev.value()));
    rec.events.push_back("attr " + name + "=" + format_value(ev.value()) + " " + range(ev.offset, ev.length) + " d" +
                         std::to_string(ev.depth));
}
void RecordingVisitor::attr_end(const AttrEvent&) {}
void RecordingVisitor::error_code(std::int32_t error, std::size_t offset) {
    rec.events.push_back("error " + std::to_string(error) + " @" + std::to_string(offset));
}
void RecordingVisitor::extack_target(std::size_t offset, const AttrSpace*, const AttrSpec* spec, std::uint16_t) {
    rec.events.push_back(std::string("extack_target ") + (spec ? spec->field->constant : "none") + " @" +
                         std::to_string(offset));
}
void RecordingVisitor::problem(const Problem& p) {
    rec.problems.push_back(p);
    rec.events.push_back("problem " + std::to_string(static_cast<int>(p.code)) + " " + range(p.offset, p.length));
}

Recorded walk(const std::vector<std::uint8_t>& payload) {
    RecordingVisitor v;
    walk_messages(payload, 0, v);
    return v.rec;
}

}  // namespace rtnl::test
