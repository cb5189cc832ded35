// Visitor::wants_children: a visitor declines what lies inside a nest; the
// walker then walks nothing inside it (no events, no problems) and still
// ends the attribute.
#include "catch.hpp"

#include "message_builder.hpp"
#include "recording_visitor.hpp"
#include "rtnl/fan_out.hpp"
#include "rtnl/walker.hpp"
#include "rtnl/walker_impl.hpp"

#include <string>
#include <string_view>
#include <vector>

using namespace rtnl;
using namespace rtnl::test;
using namespace rtnl::schema::attr;
using namespace rtnl::schema::msg;

namespace {

std::string name_of(const AttrEvent& ev) { return ev.field ? ev.field->abbrev : "type:" + std::to_string(ev.type); }

// Records as RecordingVisitor does, plus each question and each attr_end;
// declines the attribute shown as `declined` (none when empty).
class Declining : public RecordingVisitor {
public:
    explicit Declining(std::string declined) : declined_(std::move(declined)) {}
    bool wants_children(const AttrEvent& ev) override {
        const bool yes = name_of(ev) != declined_;
        rec.events.push_back((yes ? "wants " : "declines ") + name_of(ev));
        return yes;
    }
    void attr_end(const AttrEvent& ev) override {
        rec.events.push_back("attr_end " + name_of(ev) + (ev.has_children ? " children" : ""));
    }

private:
    std::string declined_;
};

std::vector<std::string> walk_declining(const std::vector<std::uint8_t>& bytes, const std::string& declined) {
    Declining v(declined);
    walk_messages(bytes, 0, v);
    return v.rec.events;
}

// IFLA_LINKINFO { IFLA_INFO_KIND "vlan", IFLA_INFO_DATA { IFLA_VLAN_ID 100 } }, then IFLA_MTU 1500.
std::vector<std::uint8_t> vlan_link() {
    return MessageBuilder(RTM_NEWLINK, 0x2)
        .raw(std::vector<std::uint8_t>(16, 0))
        .attr(link::LINKINFO | 0x8000, from_hex("0900 0100 766c616e 00000000"
                                                "0c00 0280 0600 0100 6400 0000"))
        .attr_u32(link::MTU, 1500)
        .bytes();
}

const std::vector<std::string> kLinkHead = {
    "message 16 @0+68",
    "struct ifinfomsg @16+16",
    "member rtnl.ifi.family=0 @16+1",
    "member rtnl.ifi.type=0 @18+2",
    "member rtnl.ifi.index=0 @20+4",
    "member rtnl.ifi.flags=0 @24+4",
    "member rtnl.ifi.change=0 @28+4",
    "attr rtnl.ifla.linkinfo=09:00:01:00:76:6c:61:6e:00:00:00:00:0c:00:02:80:06:00:01:00:64:00:00:00 @32+28 d0",
};
const std::vector<std::string> kLinkTail = {
    "attr_end rtnl.ifla.linkinfo children",
    "attr rtnl.ifla.mtu=1500 @60+8 d0",
    "attr_end rtnl.ifla.mtu",
    "end 16",
};

std::vector<std::string> joined(std::vector<std::string> a, const std::vector<std::string>& mid,
                                const std::vector<std::string>& b) {
    a.insert(a.end(), mid.begin(), mid.end());
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

const std::vector<std::string> kLinkInfoInside = {
    "wants rtnl.ifla.linkinfo",
    "attr rtnl.ifla.info.kind=vlan @36+9 d1",
    "attr_end rtnl.ifla.info.kind",
    "attr rtnl.ifla.info.data=06:00:01:00:64:00:00:00 @48+12 d1",
    "wants rtnl.ifla.info.data",
    "attr rtnl.ifla.vlan.id=100 @52+6 d2",
    "attr_end rtnl.ifla.vlan.id",
    "attr_end rtnl.ifla.info.data children",
};

// A RTM_NEWROUTE of MessageBuilder(...).rtmsg(2, 24), `length` bytes long: its
// header events, up to its first attribute's.
std::vector<std::string> route_head(std::size_t length, const std::string& first_attr) {
    return {"message 24 @0+" + std::to_string(length),
            "struct rtmsg @16+12",
            "member rtnl.rtm.family=2 @16+1",
            "member rtnl.rtm.dst_len=24 @17+1",
            "member rtnl.rtm.src_len=0 @18+1",
            "member rtnl.rtm.tos=0 @19+1",
            "member rtnl.rtm.table=254 @20+1",
            "member rtnl.rtm.protocol=3 @21+1",
            "member rtnl.rtm.scope=0 @22+1",
            "member rtnl.rtm.type=1 @23+1",
            "member rtnl.rtm.flags=0 @24+4",
            first_attr};
}

}  // namespace

TEST_CASE("wants_children: a declined IFLA_LINKINFO is ended without its kind and data") {
    CHECK(walk_declining(vlan_link(), "") == joined(kLinkHead, kLinkInfoInside, kLinkTail));
    CHECK(walk_declining(vlan_link(), "rtnl.ifla.linkinfo") == joined(kLinkHead, {"declines rtnl.ifla.linkinfo"}, kLinkTail));
}

TEST_CASE("wants_children: a declined sub-message (IFLA_INFO_DATA) skips only its own attributes") {
    std::vector<std::string> inside = kLinkInfoInside;
    inside.erase(inside.begin() + 5, inside.begin() + 7);  // IFLA_VLAN_ID and its end
    inside[4] = "declines rtnl.ifla.info.data";
    CHECK(walk_declining(vlan_link(), "rtnl.ifla.info.data") == joined(kLinkHead, inside, kLinkTail));
}

TEST_CASE("wants_children: a declined RTA_MULTIPATH reports nothing from its nexthops") {
    const std::vector<std::uint8_t> mp = from_hex(
        "1000 00 00 00000000"   // rtnexthop len 16, ifindex 0 (NexthopOifZero when walked)
        "0800 0500 0a000001");  //   RTA_GATEWAY 10.0.0.1
    const auto bytes =
        MessageBuilder(RTM_NEWROUTE, 0x605).rtmsg(2, 24).attr(route::MULTIPATH, mp).attr_u32(route::PRIORITY, 100).bytes();
    const std::vector<std::string> head =
        route_head(56, "attr rtnl.rta.multipath=10:00:00:00:00:00:00:00:08:00:05:00:0a:00:00:01 @28+20 d0");
    const std::vector<std::string> tail = {
        "attr_end rtnl.rta.multipath children",
        "attr rtnl.rta.priority=100 @48+8 d0",
        "attr_end rtnl.rta.priority",
        "end 24",
    };
    const std::vector<std::string> inside = {
        "wants rtnl.rta.multipath",
        "struct rtnexthop @32+16",
        "member rtnl.rtnh.len=16 @32+2",
        "member rtnl.rtnh.flags=0 @34+1",
        "member rtnl.rtnh.hops=0 @35+1",
        "member rtnl.rtnh.ifindex=0 @36+4",
        "problem " + std::to_string(static_cast<int>(ProblemCode::NexthopOifZero)) + " @36+4",
        "attr rtnl.rta.gateway=10.0.0.1 @40+8 d1",
        "attr_end rtnl.rta.gateway",
    };
    CHECK(walk_declining(bytes, "") == joined(head, inside, tail));
    CHECK(walk_declining(bytes, "rtnl.rta.multipath") == joined(head, {"declines rtnl.rta.multipath"}, tail));
}

TEST_CASE("wants_children: a malformed attribute inside a declined nest is not reported") {
    // RTA_METRICS { RTAX_MTU 1400, then an attribute with nla_len 2 }
    const auto bytes = MessageBuilder(RTM_NEWROUTE, 5)
                           .rtmsg(2, 24)
                           .attr(route::METRICS | 0x8000, from_hex("0800 0200 78050000 0200 0300"))
                           .bytes();
    const std::vector<std::string> head =
        route_head(44, "attr rtnl.rta.metrics=08:00:02:00:78:05:00:00:02:00:03:00 @28+16 d0");
    const std::vector<std::string> tail = {"attr_end rtnl.rta.metrics children", "end 24"};
    const std::vector<std::string> inside = {
        "wants rtnl.rta.metrics",
        "attr rtnl.rtax.mtu=1400 @32+8 d1",
        "attr_end rtnl.rtax.mtu",
        // nla_len 2: shown as far as it goes (its header), then the level stops.
        "problem " + std::to_string(static_cast<int>(ProblemCode::AttrPayloadSize)) + " @40+4",
        "attr rtnl.rtax.window(raw)= @40+4 d1",
        "attr_end type:3",
        "problem " + std::to_string(static_cast<int>(ProblemCode::AttrTooShort)) + " @40+4",
    };
    CHECK(walk_declining(bytes, "") == joined(head, inside, tail));
    Declining v("rtnl.rta.metrics");
    walk_messages(bytes, 0, v);
    CHECK(v.rec.events == joined(head, {"declines rtnl.rta.metrics"}, tail));
    CHECK(v.rec.problems.empty());
}

namespace {

// A final visitor (walked with direct calls) that counts what it is told.
class Counting final : public Visitor {
public:
    explicit Counting(bool wants) : wants_(wants) {}
    bool wants_children(const AttrEvent&) override {
        ++asked;
        return wants_;
    }
    void attr_begin(const AttrEvent&) override { ++attrs; }
    void attr_end(const AttrEvent&) override { ++ends; }
    int asked = 0, attrs = 0, ends = 0;

private:
    bool wants_;
};

}  // namespace

TEST_CASE("wants_children: FanOut walks the children when any part wants them") {
    Declining wants(""), declines("rtnl.ifla.linkinfo");
    FanOut<Declining, Declining> both(&declines, &wants);
    walk_messages_static(vlan_link(), 0, both);
    // Both parts see everything inside; the parts are asked in order until one wants.
    std::vector<std::string> declined_view = kLinkInfoInside;
    declined_view[0] = "declines rtnl.ifla.linkinfo";
    CHECK(declines.rec.events == joined(kLinkHead, declined_view, kLinkTail));
    std::vector<std::string> wanting_view = kLinkInfoInside;
    wanting_view.erase(wanting_view.begin() + 4);  // IFLA_INFO_DATA: the first part wanted it
    CHECK(wants.rec.events == joined(kLinkHead, wanting_view, kLinkTail));

    // Declining parts alone (a null part is skipped): nothing inside is walked.
    Counting no(false), no_too(false);
    FanOut<Counting, Counting, Counting> none(&no, nullptr, &no_too);
    walk_messages_static(vlan_link(), 0, none);
    CHECK(no.asked == 1);
    CHECK(no_too.asked == 1);
    CHECK(no.attrs == 2);  // IFLA_LINKINFO, IFLA_MTU
    CHECK(no.ends == 2);
}

TEST_CASE("wants_children: a final visitor is asked through walk_messages_static") {
    Counting yes(true), no(false);
    walk_messages_static(vlan_link(), 0, yes);
    walk_messages_static(vlan_link(), 0, no);
    CHECK(yes.asked == 2);  // IFLA_LINKINFO and IFLA_INFO_DATA
    CHECK(yes.attrs == 5);
    CHECK(no.asked == 1);
    CHECK(no.attrs == 2);
}
