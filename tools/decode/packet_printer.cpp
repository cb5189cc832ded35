#include "packet_printer.hpp"

#include <cstdio>
#include <string>

#include "rtnl/capture_metadata.hpp"
#include "rtnl/errno_names.hpp"
#include "rtnl/fan_out.hpp"
#include "rtnl/netlink.hpp"
#include "rtnl/problems.hpp"
#include "rtnl/walker_impl.hpp"

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

void append_json(std::string& out, std::string_view s) {
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
}

std::string json_escape(std::string_view s) {
    std::string out;
    append_json(out, s);
    return out;
}

}  // namespace

PacketPrinter::PacketPrinter(Output output, Coverage& coverage) : output_(output), coverage_(coverage) {
    // The packet line shows the first messages and counts the rest by type.
    summary_.set_max_lines(3);
}

void PacketPrinter::add(const Item& it) {
    switch (output_) {
    case Output::Coverage: return;
    case Output::Lines:
        if (it.kind == "problem")
            ((((body_ += "  ! ") += it.name) += ": ") += it.value) += " @" + std::to_string(it.offset) + '\n';
        return;
    case Output::Verbose:
        body_.append(2 * (depth_ + 1), ' ');
        if (it.kind == "problem") {
            ((body_ += "! ") += it.name) += ": ";
            body_ += it.value;
        } else if (it.kind == "message" || it.kind == "echoed") {
            if (it.kind == "echoed") body_ += "echoed ";
            ((body_ += it.name) += ' ') += it.value;
        } else if (it.kind == "struct" || it.kind == "nexthop") {
            (body_ += "struct ") += it.name;
        } else {
            body_ += it.name;
            if (!it.value.empty()) (body_ += " = ") += it.value;
            if (!it.constant.empty() && it.kind == "attr") ((body_ += "  [") += it.constant) += ']';
        }
        body_ += '\n';
        return;
    case Output::Json:
        if (!first_item_) body_ += ", ";
        first_item_ = false;
        ((body_ += "{\"depth\": ") += std::to_string(depth_)) += ", \"kind\": \"";
        (body_ += it.kind) += "\", \"name\": \"";
        append_json(body_, it.name);
        body_ += "\", \"constant\": \"";
        append_json(body_, it.constant);
        body_ += "\", \"value\": \"";
        append_json(body_, it.value);
        body_ += "\", \"raw\": \"";
        append_json(body_, it.raw);
        ((body_ += "\", \"opaque\": ") += it.opaque ? "true" : "false") += ", \"offset\": ";
        ((body_ += std::to_string(it.offset)) += ", \"length\": ") += std::to_string(it.length);
        body_ += '}';
        return;
    }
}

void PacketPrinter::message_begin(const MessageView& m) {
    if (output_ == Output::Verbose || output_ == Output::Json) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "len %u flags 0x%04x seq %u pid %u", m.header.len, m.header.flags, m.header.seq,
                      m.header.pid);
        add({m.echoed ? "echoed" : "message", nl::message_type_label(m.header.type), "", buf, {}, m.offset, m.length});
    }
    ++depth_;
    if (!m.echoed) {
        ++coverage_.messages;
        in_error_message_ = m.header.type == nl::NLMSG_ERROR;
    }
}
void PacketPrinter::message_end(const MessageView& m) {
    if (tracker_ && !m.echoed) {
        const MessageRef ref{frame_, index_++};
        const char* name = nl::message_type_name(m.header.type);
        const std::string_view what = name ? name : "";
        // A request is what the first pass took for one (direction first, NLM_F_REQUEST without it):
        // never a message of the kernel's.
        if (const RequestOutcome* o = from_kernel_ ? nullptr : tracker_->outcome(ref)) {
            std::string s = std::string(what) + " answered in frame" + (o->response_frames.size() > 1 ? "s" : "");
            for (std::size_t i = 0; i < o->response_frames.size(); ++i)
                s += (i ? "," : " ") + std::to_string(o->response_frames[i]);
            if (o->response_frames.empty())
                s = std::string(what) + (o->wants_answer ? " unanswered" : " (no answer expected)");
            if (o->failed) {
                const ErrnoName* n = find_error(o->error);
                s += std::string(": failed, ") + (n ? n->name : std::to_string(o->error).c_str());
                if (!o->extack.empty()) s += " \"" + o->extack + "\"";
                if (const std::string why = explain_failure(*o); !why.empty()) s += ": " + why;
            }
            links_.push_back(s);
            last_link_ = {};
        } else if (const ReplyLink* l = tracker_->reply_link(ref)) {
            summary_.set_role(MessageRole::Reply);
            // A dump's parts all say the same: the lines keep it once (JSON lists
            // every message's), and its text is built once.
            const LastLink now{true, m.header.type, l->request.frame};
            if (output_ == Output::Json || !(now == last_link_)) {
                ((link_ = what) += " answers the request in frame ") += std::to_string(now.frame);
                if (output_ == Output::Json || links_.empty() || links_.back() != link_) links_.push_back(link_);
                last_link_ = now;
            }
        } else if (from_kernel_ || !(m.header.flags & nl::F_REQUEST)) {  // a kernel message is never a request
            summary_.set_role(MessageRole::Notification);
        }
    }
    --depth_;
}
void PacketPrinter::struct_begin(const StructView& s) {
    if (output_ != Output::Verbose && output_ != Output::Json) return;  // members are shown, never counted
    add({s.spec == &schema::struct_rtnexthop ? "nexthop" : "struct", s.spec->name, "", "", {}, s.offset, s.length});
    ++depth_;
    s.for_each_member([&](const Member& m) { member(m); });
}
void PacketPrinter::member(const Member& m) {
    const Value v = m.value();
    add({"member", m.field->abbrev, m.field->constant, display(*m.field, v), format_value(v), m.offset, m.length});
}
void PacketPrinter::struct_end(const StructSpec&) {
    if (output_ == Output::Verbose || output_ == Output::Json) --depth_;
}
void PacketPrinter::attr_begin(const AttrEvent& ev) {
    ++coverage_.attributes;
    attribute(ev);
    ++depth_;
}
void PacketPrinter::attribute(const AttrEvent& ev) {
    const bool shown = output_ == Output::Verbose || output_ == Output::Json;
    const bool pad = ev.spec && ev.spec->kind == Kind::Pad;
    const bool unknown = !ev.spec && !ev.array_entry && ev.space;
    const bool no_table = ev.spec && ev.spec->kind == Kind::SubMessage && !ev.has_children && ev.payload_length;
    // Attributes left as bytes are counted for --coverage only (the unknown ones also for --strict).
    const bool opaque = output_ == Output::Coverage && ev.spec && !ev.has_children && ev.payload_length &&
                        (!ev.field || ev.field->kind == Kind::Binary || ev.spec->kind == Kind::Nest);
    if (!shown && !unknown && !no_table && !opaque) return;  // nothing to write or count
    // The schema's names as they are; a text of its own only for what the schema does not name.
    std::string_view name, constant;
    std::string own;
    if (ev.field) {
        name = ev.field->abbrev;
        constant = ev.field->constant;
    } else if (ev.spec && ev.spec->field) {
        name = ev.spec->field->abbrev;
        constant = ev.spec->field->constant;
    } else if (ev.array_entry) {
        name = "entry";
        constant = own = std::to_string(ev.type);
    } else {
        name = "rtnl.attr";
        constant = own = (ev.space ? std::string(ev.space->prefix) : std::string("?_")) + std::to_string(ev.type);
    }
    if (unknown)
        ++coverage_.unknown[std::string(constant)];
    else if (no_table)
        ++coverage_.unknown[std::string(constant) + " (no table for its kind)"];
    else if (opaque)
        ++coverage_.opaque[std::string(constant)];
    if (!shown) return;
    const Value v = ev.value();
    std::string value, raw;
    if (!ev.has_children) {  // a nest's bytes are its children
        value = ev.field ? display(*ev.field, v) : format_value(v);
        raw = format_value(v);
    }
    add({"attr", name, constant, value, raw, ev.offset, ev.length,
         !ev.has_children && !pad && ev.payload_length > 0 && v.tag == Value::Tag::Bytes &&
             (!ev.field || ev.field->kind == Kind::Binary)});
}
void PacketPrinter::attr_end(const AttrEvent&) {
    --depth_;
}
// The plugin's fields: rtnl.errno (positive, by name) only for an error, rtnl.ack for an ACK.
void PacketPrinter::error_code(std::int32_t error, std::size_t offset) {
    if (output_ != Output::Verbose && output_ != Output::Json) return;
    if (error == 0) {
        if (in_error_message_)
            add({"error", "rtnl.ack", "", "ACK (error 0)", {}, offset, 4});
        else
            add({"error", "rtnl.error", "", "0", {}, offset, 4});  // a dump's NLMSG_DONE
        return;
    }
    std::string text = std::to_string(errno_of(error));
    if (const ErrnoName* n = find_error(error)) text += std::string(" (") + n->name + ", " + n->text + ")";
    add({"error", "rtnl.errno", "", text, {}, offset, 4});
}
void PacketPrinter::extack_target(std::size_t offset, const AttrSpace* space, const AttrSpec* spec,
                                  std::uint16_t type) {
    if (output_ != Output::Verbose && output_ != Output::Json) return;
    std::string what = attr_constant(space, spec, type);
    if (what.empty()) what = "no attribute";
    add({"extack_target", "rtnl.extack.target", "", what, {}, offset, 0});
}
void PacketPrinter::problem(const Problem& p) {
    const ProblemInfo& info = problem_info(p.code);
    ++coverage_.problems[info.name];
    if (output_ == Output::Coverage) return;
    add({"problem", std::string("rtnl.expert.") + info.name, "", info.summary, {}, p.offset, p.length});
}
void PacketPrinter::trailing_padding(std::size_t offset, std::size_t length) {
    if (output_ != Output::Verbose && output_ != Output::Json) return;
    add({"padding", "padding", "", std::to_string(length) + " zero bytes", {}, offset, length});
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

void PacketPrinter::print(std::ostream& os, const CapturedPacket& p) {
    ++coverage_.packets;
    body_.clear();
    links_.clear();
    last_link_ = {};
    summary_.clear();
    first_item_ = true;
    depth_ = 0;
    index_ = 0;
    frame_ = static_cast<std::uint32_t>(p.number);
    bool route = false;
    std::uint16_t pkttype = 0, family = 0;
    if (const auto hdr = parse_cooked_header(p.data)) {
        pkttype = hdr->pkttype;
        from_kernel_ = pkttype != nl::PKTTYPE_OUTGOING;
        family = hdr->protocol;
        route = hdr->protocol == nl::NETLINK_ROUTE;
        summary_.set_names(names_, packet_origin(p, pkttype).netns);
        // The printer first: it tells the summary each message's role before the summary ends it.
        if (route) {
            FanOut<PacketPrinter, SummaryBuilder> parts(this, &summary_);
            walk_messages_static(p.data, nl::COOKED_HEADER_LEN, parts);
        }
    } else {
        problem({ProblemCode::PacketTooShort, 0, p.data.size()});
    }
    if (output_ == Output::Coverage) return;
    write_head(os, p, route, pkttype, family);
}

void PacketPrinter::write_head(std::ostream& os, const CapturedPacket& p, bool route, std::uint16_t pkttype,
                               std::uint16_t family) {
    const char* direction = pkttype == 4 ? "user->kernel" : "kernel->user";
    if (output_ == Output::Json) {
        char time[32];
        std::snprintf(time, sizeof time, "%lld.%09lld", static_cast<long long>(p.ts_nsec / 1000000000),
                      static_cast<long long>(p.ts_nsec % 1000000000));
        os << (first_json_ ? "" : ",\n") << "{\"frame\": " << p.number << ", \"time\": " << time
           << ", \"direction\": \"" << direction << "\", \"family\": " << family << ", \"length\": " << p.data.size();
        first_json_ = false;
        if (route) os << ", \"summary\": \"" << json_escape(summary_.packet_line()) << "\"";
        os << ", \"links\": [";
        for (std::size_t i = 0; i < links_.size(); ++i) os << (i ? ", " : "") << '"' << json_escape(links_[i]) << '"';
        os << "], \"nodes\": [" << body_ << "]}";
        return;
    }
    os << "frame " << p.number << ' ' << direction << ' ';
    if (!route) {
        os << "netlink family " << family << ", " << p.data.size() << " bytes (not NETLINK_ROUTE)\n";
        return;
    }
    os << summary_.packet_line() << '\n';
    // Links once per distinct text (a dump's parts all answer one request).
    std::string last;
    for (const std::string& l : links_)
        if (l != last) os << "  = " << (last = l) << '\n';
    os << body_;
}

void PacketPrinter::finish(std::ostream& os) {
    if (output_ == Output::Json) os << "\n]\n";
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
