// libFuzzer target over the decoding core: one input is one captured packet
// (the 16-byte nlmon header, then netlink messages), as the plugin gets it.
// Every event is touched (every byte of every value, every name), checked
// against the walker's contract (ranges inside the packet, begin/end events
// balanced, depth bounded), and fed to what the plugin feeds: the summary
// line builder, the link-name learner and the request tracker.
//
// Built two ways (tests/fuzz/CMakeLists.txt): with clang and
// -fsanitize=fuzzer,address,undefined for fuzzing (tests/fuzz/run-fuzz.sh),
// and with replay_main.cpp and the normal compiler for the regression test.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "rtnl/netlink.hpp"
#include "rtnl/problems.hpp"
#include "rtnl/summary.hpp"
#include "rtnl/tracker.hpp"
#include "rtnl/walker.hpp"

namespace {

using namespace rtnl;

[[noreturn]] void contract_broken(const char* what, std::size_t a, std::size_t b) {
    std::fprintf(stderr, "rtnl fuzz: walker contract broken: %s (%zu, %zu)\n", what, a, b);
    std::abort();
}

// Touches everything an event carries, checks the walker's promises, and
// forwards every event to the plugin's own consumers.
class Toucher : public Visitor {
public:
    Toucher(std::span<const std::uint8_t> packet, unsigned max_depth, std::vector<Visitor*> also)
        : packet_(packet), max_depth_(max_depth), also_(std::move(also)) {}

    std::uint64_t sum = 0;
    std::vector<NetlinkHeader> top_messages;
    std::vector<std::int32_t> top_errors;
    std::vector<std::string> top_extacks;

    void finish() const {
        if (messages_open_ || structs_open_ || attrs_open_) contract_broken("unbalanced begin/end", messages_open_, attrs_open_);
    }

    void message_begin(const MessageView& m) override {
        range(m.offset, m.length, "message");
        if (m.length < 16) contract_broken("message shorter than its header", m.offset, m.length);
        if (m.spec) touch(m.spec->name);
        touch(nl::message_type_name(m.header.type));
        sum += m.header.len + m.header.type + m.header.flags + m.header.seq + m.header.pid + m.family;
        if (!m.echoed) {
            if (messages_open_) contract_broken("top-level message inside a message", m.offset, messages_open_);
            top_messages.push_back(m.header);
            top_errors.push_back(0);
            top_extacks.emplace_back();
        }
        ++messages_open_;
        if (m.echoed) ++echo_depth_;
        for (auto* v : also_) v->message_begin(m);
    }
    void message_end(const MessageView& m) override {
        if (!messages_open_) contract_broken("message_end without begin", m.offset, 0);
        --messages_open_;
        if (m.echoed && echo_depth_) --echo_depth_;
        for (auto* v : also_) v->message_end(m);
    }
    void struct_begin(const StructView& s) override {
        range(s.offset, s.length, "struct");
        touch(s.spec->name);
        ++structs_open_;
        s.for_each_member([&](const Member& m) {
            range(m.offset, m.length, "struct member");
            field(*m.field);
            value(m.value(), m.field);
        });
        for (auto* v : also_) v->struct_begin(s);
    }
    void struct_end(const StructSpec& s) override {
        if (!structs_open_) contract_broken("struct_end without begin", 0, 0);
        --structs_open_;
        touch(s.name);
        for (auto* v : also_) v->struct_end(s);
    }
    void attr_begin(const AttrEvent& ev) override {
        range(ev.offset, ev.length, "attribute");
        range(ev.payload_offset, ev.payload_length, "attribute payload");
        if (ev.payload_length && ev.payload_offset + ev.payload_length > ev.offset + ev.length)
            contract_broken("payload past its attribute", ev.payload_offset, ev.payload_length);
        if (ev.depth >= max_depth_) contract_broken("depth past the limit", ev.depth, max_depth_);
        if (ev.space) {
            touch(ev.space->name);
            touch(ev.space->prefix);
        }
        if (ev.spec && ev.spec->structure) touch(ev.spec->structure->name);
        if (ev.field) field(*ev.field);
        value(ev.value(), ev.field);
        sum += ev.type + ev.flag_nested + ev.flag_net_byteorder + ev.array_entry + ev.has_children + ev.depth;
        if (ev.has_children) ++attrs_open_;
        // NLMSGERR_ATTR_MSG of a top-level error reply: the tracker's extack text
        if (!echo_depth_ && ev.space == &schema::space_extack && ev.type == nl::NLMSGERR_ATTR_MSG &&
            ev.raw.tag == Value::Tag::String && !top_extacks.empty())
            top_extacks.back() = std::string(ev.value().str);
        for (auto* v : also_) v->attr_begin(ev);
    }
    void attr_end(const AttrEvent& ev) override {
        if (ev.has_children) {
            if (!attrs_open_) contract_broken("attr_end without begin", ev.offset, 0);
            --attrs_open_;
        }
        for (auto* v : also_) v->attr_end(ev);
    }
    void error_code(std::int32_t error, std::size_t offset) override {
        range(offset, 4, "error code");
        sum += static_cast<std::uint32_t>(error);
        if (!echo_depth_ && !top_errors.empty()) top_errors.back() = error;
        for (auto* v : also_) v->error_code(error, offset);
    }
    void extack_target(std::size_t offset, const AttrSpace* space, const AttrSpec* spec, std::uint16_t type) override {
        if (space) {
            touch(space->name);
            range(offset, 4, "extack target");
        }
        if (spec && spec->field) field(*spec->field);
        sum += offset + type;
        for (auto* v : also_) v->extack_target(offset, space, spec, type);
    }
    void problem(const Problem& p) override {
        range(p.offset, p.length, "problem");
        const ProblemInfo& info = problem_info(p.code);
        if (info.code != p.code) contract_broken("problem catalogue out of order", std::size_t(p.code), 0);
        touch(info.name);
        touch(info.summary);
        ++problems;
        for (auto* v : also_) v->problem(p);
    }
    void trailing_padding(std::size_t offset, std::size_t length) override {
        range(offset, length, "trailing padding");
        for (std::size_t i = offset; i < offset + length; ++i)
            if (packet_[i]) contract_broken("padding that is not zero", i, packet_[i]);
        for (auto* v : also_) v->trailing_padding(offset, length);
    }

    std::size_t problems = 0;

private:
    void range(std::size_t offset, std::size_t length, const char* what) const {
        if (offset > packet_.size() || length > packet_.size() - offset) contract_broken(what, offset, length);
    }
    void touch(const char* s) {
        if (s) sum += std::strlen(s);
    }
    void field(const FieldSpec& f) {
        touch(f.abbrev);
        touch(f.label);
        touch(f.constant);
        if (f.enums) touch(f.enums->name);
    }
    void value(const Value& v, const FieldSpec* f) {
        switch (v.tag) {
        case Value::Tag::String:
            for (char c : v.str) sum += static_cast<unsigned char>(c);
            if (v.str.data() && !within(reinterpret_cast<const std::uint8_t*>(v.str.data()), v.str.size()))
                contract_broken("string outside the packet", v.str.size(), 0);
            break;
        case Value::Tag::Ipv4:
            if (v.bytes.size() != 4) contract_broken("IPv4 value not 4 bytes", v.bytes.size(), 0);
            break;
        case Value::Tag::Ipv6:
            if (v.bytes.size() != 16) contract_broken("IPv6 value not 16 bytes", v.bytes.size(), 0);
            break;
        case Value::Tag::Mac:
            if (v.bytes.size() != 6) contract_broken("MAC value not 6 bytes", v.bytes.size(), 0);
            break;
        default:
            break;
        }
        if (!v.bytes.empty() && !within(v.bytes.data(), v.bytes.size()))
            contract_broken("bytes outside the packet", v.bytes.size(), 0);
        for (std::uint8_t b : v.bytes) sum += b;
        sum += format_value(v).size();
        if (f && f->enums && v.tag == Value::Tag::Unsigned) sum += enum_name(f->enums, v.u).size();
    }
    bool within(const std::uint8_t* p, std::size_t n) const {
        const auto* b = packet_.data();
        return p >= b && p <= b + packet_.size() && n <= static_cast<std::size_t>(b + packet_.size() - p);
    }

    std::span<const std::uint8_t> packet_;
    unsigned max_depth_;
    std::vector<Visitor*> also_;
    std::size_t messages_open_ = 0, structs_open_ = 0, attrs_open_ = 0;
    unsigned echo_depth_ = 0;
};

volatile std::uint64_t g_sink;

}  // namespace

// One packet, decoded as the plugin does: as sent by the process (frame 1),
// then the same bytes as the kernel's answer (frame 2), so the tracker links
// the packet's requests to its own replies and names are learned and used.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> packet(data, size);
    std::size_t start = 0;
    bool from_user = false;
    if (const auto hdr = parse_cooked_header(packet)) {
        start = nl::COOKED_HEADER_LEN;
        from_user = hdr->pkttype == 4;
        g_sink = g_sink + hdr->hatype + hdr->halen + hdr->protocol;
    }
    (void)guess_byte_order(packet, start);

    LinkNames names;
    Tracker tracker;
    const WalkLimits limits{};
    for (std::uint32_t frame = 1; frame <= 2; ++frame) {
        const bool user = frame == 1 ? from_user : !from_user;
        const PacketOrigin origin{user ? PacketOrigin::Direction::ToKernel : PacketOrigin::Direction::FromKernel};
        SummaryBuilder summary;
        summary.set_names(&names);
        if (frame == 2) summary.set_role(MessageRole::Reply);
        LinkNameLearner learner(names, origin);
        Toucher toucher(packet, limits.max_depth, {&summary, &learner});
        const std::size_t count = walk_messages(packet, start, toucher, limits);
        toucher.finish();
        if (count != toucher.top_messages.size())
            contract_broken("message count differs from message events", count, toucher.top_messages.size());
        std::uint16_t index = 0;
        for (std::size_t i = 0; i < toucher.top_messages.size(); ++i) {
            const MessageRef ref{frame, index++};
            tracker.observe(ref, frame * 1000, toucher.top_messages[i], origin, toucher.top_errors[i], toucher.top_extacks[i]);
            if (const RequestOutcome* o = tracker.outcome(ref)) g_sink = g_sink + o->response_count + o->extack.size();
            if (const ReplyLink* l = tracker.reply_link(ref)) g_sink = g_sink + l->request.frame;
        }
        std::uint64_t s = toucher.sum + toucher.problems + summary.packet_line().size() + summary.types().size();
        for (const auto& line : summary.lines()) s += line.size();
        g_sink = g_sink + s;
    }
    for (std::int64_t i = -1; i < 4; ++i)
        if (const LinkName* n = names.find(0, i)) g_sink = g_sink + n->shown.size();
    g_sink = g_sink + tracker.pending() + tracker.remembered();
    return 0;
}
