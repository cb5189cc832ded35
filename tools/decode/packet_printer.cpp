#include "packet_printer.hpp"

#include <cstdio>

#include "rtnl/capture_metadata.hpp"
#include "rtnl/errno_names.hpp"
#include "rtnl/fan_out.hpp"
#include "rtnl/netlink.hpp"
#include "rtnl/problems.hpp"
#include "rtnl/walker.hpp"

namespace rtnl::decode {

namespace {

// "2 (AF_INET)", "0x00011043 (UP,BROADCAST,...)", addresses and strings as is.
std::string display(const FieldSpec& f, const Value& v) {
    std::string text = format_value(v);
    if (v.tag != Value::Tag::Unsigned && v.tag != Value::Tag::Signed) return text;
    if (f.base == Base::TcHandle && v.tag == Value::Tag::Unsigned)
        return format_tc_handle(static_cast<std::uint32_t>(v.u));
    if (f.base == Base::Rate && v.tag == Value::Tag::Unsigned) return text + " (" + format_rate(v.u) + ")";
    if (f.base == Base::Msecs && v.tag == Value::Tag::Unsigned) return text + " ms";
    if (f.base == Base::Hex && v.tag == Value::Tag::Unsigned) {
        text.clear();
        append_hex(text, v.u);
    }
    if (!f.enums) return text;
    const std::uint64_t raw = v.tag == Value::Tag::Unsigned ? v.u : static_cast<std::uint64_t>(v.s);
    if (f.bitmask) {
        std::string names;
        for (const auto& e : f.enums->entries)
            if (e.value && (raw & e.value) == e.value) names += (names.empty() ? "" : ",") + std::string(e.name);
        return names.empty() ? text : text + " (" + names + ")";
    }
    const EnumEntry* e = f.enums->find(raw);
    return e ? text + " (" + e->name + ")" : text;
}

std::string json_escape(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out;
}

}  // namespace

void PacketCollector::add(std::string kind, std::string name, std::string constant, std::string value,
                          std::size_t offset, std::size_t length, std::string raw) {
    Node n;
    n.depth = depth_;
    n.kind = std::move(kind);
    n.name = std::move(name);
    n.constant = std::move(constant);
    n.value = std::move(value);
    n.raw = std::move(raw);
    n.offset = offset;
    n.length = length;
    nodes.push_back(std::move(n));
}

void PacketCollector::message_begin(const MessageView& m) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "len %u flags 0x%04x seq %u pid %u", m.header.len, m.header.flags, m.header.seq,
                  m.header.pid);
    add(m.echoed ? "echoed" : "message", nl::message_type_label(m.header.type), "", buf, m.offset,
        m.length);
    if (!m.echoed) in_error_message_ = m.header.type == nl::NLMSG_ERROR;
    ++depth_;
    if (coverage_ && !m.echoed) ++coverage_->messages;
}
void PacketCollector::message_end(const MessageView& m) {
    if (tracker_ && !m.echoed) {
        const MessageRef ref{frame_, index_++};
        const std::string what = nl::message_type_name(m.header.type) ? nl::message_type_name(m.header.type) : "";
        // A request is what the first pass took for one (direction first, NLM_F_REQUEST without it).
        if (const RequestOutcome* o = tracker_->outcome(ref)) {
            std::string s = what + " answered in frame" + (o->response_frames.size() > 1 ? "s" : "");
            for (std::size_t i = 0; i < o->response_frames.size(); ++i)
                s += (i ? "," : " ") + std::to_string(o->response_frames[i]);
            if (o->response_frames.empty()) s = what + (o->wants_answer ? " unanswered" : " (no answer expected)");
            if (o->failed) {
                const ErrnoName* n = find_error(o->error);
                s += std::string(": failed, ") + (n ? n->name : std::to_string(o->error).c_str());
                if (!o->extack.empty()) s += " \"" + o->extack + "\"";
                if (const std::string why = explain_failure(*o); !why.empty()) s += ": " + why;
            }
            links.push_back(s);
        } else if (const ReplyLink* l = tracker_->reply_link(ref)) {
            summary.set_role(MessageRole::Reply);
            links.push_back(what + " answers the request in frame " + std::to_string(l->request.frame));
        } else if (from_kernel_ || !(m.header.flags & nl::F_REQUEST)) {  // a kernel message is never a request
            summary.set_role(MessageRole::Notification);
        }
    }
    --depth_;
}
void PacketCollector::struct_begin(const StructSpec& s, std::size_t offset, std::size_t length) {
    add(&s == &schema::struct_rtnexthop ? "nexthop" : "struct", s.name, "", "", offset, length);
    ++depth_;
}
void PacketCollector::struct_member(const FieldSpec& f, std::size_t offset, std::size_t length, const Value& v) {
    add("member", f.abbrev, f.constant, display(f, v), offset, length, format_value(v));
}
void PacketCollector::struct_end(const StructSpec&) {
    --depth_;
}
void PacketCollector::attr_begin(const AttrEvent& ev) {
    if (coverage_) ++coverage_->attributes;
    std::string name, constant;
    if (ev.field) {
        name = ev.field->abbrev;
        constant = ev.field->constant;
    } else if (ev.spec && ev.spec->field) {
        name = ev.spec->field->abbrev;
        constant = ev.spec->field->constant;
    } else if (ev.array_entry) {
        name = "entry";
        constant = std::to_string(ev.type);
    } else {
        name = "rtnl.attr";
        constant = (ev.space ? std::string(ev.space->prefix) : std::string("?_")) + std::to_string(ev.type);
    }
    std::string value = ev.field ? display(*ev.field, ev.value) : format_value(ev.value);
    std::string raw = format_value(ev.value);
    if (ev.has_children) value.clear(), raw.clear();  // a nest's bytes are its children
    add("attr", name, constant, value, ev.offset, ev.length, raw);
    const bool pad = ev.spec && ev.spec->kind == Kind::Pad;
    nodes.back().opaque = !ev.has_children && !pad && ev.payload_length > 0 && ev.value.tag == Value::Tag::Bytes &&
                          (!ev.field || ev.field->kind == Kind::Binary);
    if (coverage_) {
        if (!ev.spec && !ev.array_entry && ev.space)
            ++coverage_->unknown[constant];
        else if (ev.spec && ev.spec->kind == Kind::SubMessage && !ev.has_children && ev.payload_length)
            ++coverage_->unknown[constant + " (no table for its kind)"];
        else if (ev.spec && !ev.has_children && ev.payload_length &&
                 (!ev.field || ev.field->kind == Kind::Binary || ev.spec->kind == Kind::Nest))
            ++coverage_->opaque[constant];
    }
    ++depth_;
}
void PacketCollector::attr_end(const AttrEvent&) {
    --depth_;
}
// The plugin's fields: rtnl.errno (positive, by name) only for an error, rtnl.ack for an ACK.
void PacketCollector::error_code(std::int32_t error, std::size_t offset) {
    if (error == 0) {
        if (in_error_message_)
            add("error", "rtnl.ack", "", "ACK (error 0)", offset, 4);
        else
            add("error", "rtnl.error", "", "0", offset, 4);  // a dump's NLMSG_DONE
        return;
    }
    std::string text = std::to_string(errno_of(error));
    if (const ErrnoName* n = find_error(error)) text += std::string(" (") + n->name + ", " + n->text + ")";
    add("error", "rtnl.errno", "", text, offset, 4);
}
void PacketCollector::extack_target(std::size_t offset, const AttrSpace* space, const AttrSpec* spec,
                                    std::uint16_t type) {
    std::string what = attr_constant(space, spec, type);
    if (what.empty()) what = "no attribute";
    add("extack_target", "rtnl.extack.target", "", what, offset, 0);
}
void PacketCollector::problem(const Problem& p) {
    const ProblemInfo& info = problem_info(p.code);
    add("problem", std::string("rtnl.expert.") + info.name, "", info.summary, p.offset, p.length);
    if (coverage_) ++coverage_->problems[info.name];
}
void PacketCollector::trailing_padding(std::size_t offset, std::size_t length) {
    add("padding", "padding", "", std::to_string(length) + " zero bytes", offset, length);
}

PacketOrigin packet_origin(const CapturedPacket& p, std::uint16_t pkttype) {
    PacketOrigin origin;
    origin.direction = pkttype == 4 ? PacketOrigin::Direction::ToKernel : PacketOrigin::Direction::FromKernel;
    if (p.has_interface) {
        origin.netns = PacketOrigin::namespace_key(p.section, p.interface_id);
        origin.port = parse_packet_comment(p.comment).port;
    }
    return origin;
}

void decode_packet(const CapturedPacket& p, DecodedPacket& out) {
    out.packet = &p;
    const auto hdr = parse_cooked_header(p.data);
    if (!hdr) {
        out.collector.problem({ProblemCode::PacketTooShort, 0, p.data.size()});
        return;
    }
    out.pkttype = hdr->pkttype;
    out.collector.set_from_kernel(hdr->pkttype != nl::PKTTYPE_OUTGOING);
    out.family = hdr->protocol;
    out.route = hdr->protocol == nl::NETLINK_ROUTE;
    if (!out.route) return;
    // The collector first: it tells the summary each message's role before the summary ends it.
    FanOut<PacketCollector, SummaryBuilder> parts(&out.collector, &out.collector.summary);
    walk_messages(p.data, nl::COOKED_HEADER_LEN, parts);
}

void print_text(std::ostream& os, const DecodedPacket& d, bool verbose) {
    const CapturedPacket& p = *d.packet;
    os << "frame " << p.number << ' ' << (d.pkttype == 4 ? "user->kernel" : "kernel->user") << ' ';
    if (!d.route) {
        os << "netlink family " << d.family << ", " << p.data.size() << " bytes (not NETLINK_ROUTE)\n";
        return;
    }
    os << d.collector.summary.packet_line() << '\n';
    // Links once per distinct text (a dump's parts all answer one request).
    std::string last;
    for (const std::string& l : d.collector.links)
        if (l != last) os << "  = " << (last = l) << '\n';
    if (!verbose) {
        for (const Node& n : d.collector.nodes)
            if (n.kind == "problem") os << "  ! " << n.name << ": " << n.value << " @" << n.offset << '\n';
        return;
    }
    for (const Node& n : d.collector.nodes) {
        os << std::string(2 * (n.depth + 1), ' ');
        if (n.kind == "problem") {
            os << "! " << n.name << ": " << n.value;
        } else if (n.kind == "message" || n.kind == "echoed") {
            os << (n.kind == "echoed" ? "echoed " : "") << n.name << ' ' << n.value;
        } else if (n.kind == "struct" || n.kind == "nexthop") {
            os << "struct " << n.name;
        } else {
            os << n.name;
            if (!n.value.empty()) os << " = " << n.value;
            if (!n.constant.empty() && n.kind == "attr") os << "  [" << n.constant << ']';
        }
        os << '\n';
    }
}

void print_json(std::ostream& os, const DecodedPacket& d, bool first) {
    const CapturedPacket& p = *d.packet;
    char time[32];
    std::snprintf(time, sizeof time, "%lld.%09lld", static_cast<long long>(p.ts_nsec / 1000000000),
                  static_cast<long long>(p.ts_nsec % 1000000000));
    os << (first ? "" : ",\n") << "{\"frame\": " << p.number << ", \"time\": " << time << ", \"direction\": \""
       << (d.pkttype == 4 ? "user->kernel" : "kernel->user") << "\", \"family\": " << d.family
       << ", \"length\": " << p.data.size();
    if (d.route) os << ", \"summary\": \"" << json_escape(d.collector.summary.packet_line()) << "\"";
    os << ", \"links\": [";
    for (std::size_t i = 0; i < d.collector.links.size(); ++i)
        os << (i ? ", " : "") << '"' << json_escape(d.collector.links[i]) << '"';
    os << "]";
    os << ", \"nodes\": [";
    bool comma = false;
    for (const Node& n : d.collector.nodes) {
        os << (comma ? ", " : "") << "{\"depth\": " << n.depth << ", \"kind\": \"" << n.kind << "\", \"name\": \""
           << json_escape(n.name) << "\", \"constant\": \"" << json_escape(n.constant) << "\", \"value\": \""
           << json_escape(n.value) << "\", \"raw\": \"" << json_escape(n.raw) << "\", \"opaque\": "
           << (n.opaque ? "true" : "false") << ", \"offset\": " << n.offset << ", \"length\": " << n.length << "}";
        comma = true;
    }
    os << "]}";
}

void print_coverage(std::ostream& os, const Coverage& c) {
    os << "packets " << c.packets << ", messages " << c.messages << ", attributes " << c.attributes << '\n';
    os << "unknown attributes or kinds: " << c.unknown.size() << '\n';
    for (const auto& [k, n] : c.unknown) os << "  " << k << '\n';
    os << "attributes left as bytes: " << c.opaque.size() << " kinds\n";
    for (const auto& [k, n] : c.opaque) os << "  " << k << " x" << n << '\n';
    for (const auto& [k, n] : c.problems) os << "problem " << k << " x" << n << '\n';
}

}  // namespace rtnl::decode
