// One visitor made of several: every event goes to each part in the order
// given, so a consumer built from parts (the plugin's first-pass learner,
// tree and summary) is walked once and none of them forwards events to the
// others. A null part is skipped (the learner runs in the first pass only).
// With `final` parts the calls are direct (walk_messages_static).
#pragma once

#include <tuple>

#include "rtnl/events.hpp"

namespace rtnl {

template <class... Parts>
class FanOut final : public Visitor {
public:
    explicit FanOut(Parts*... parts) : parts_(parts...) {}

    void message_begin(const MessageView& m) override { each([&](auto& p) { p.message_begin(m); }); }
    void message_end(const MessageView& m) override { each([&](auto& p) { p.message_end(m); }); }
    // The body is walked when any part wants it (a part may then see what it declined).
    bool wants_body(const MessageView& m) override { return any([&](auto& p) { return p.wants_body(m); }); }
    void struct_begin(const StructView& s) override { each([&](auto& p) { p.struct_begin(s); }); }
    void struct_end(const StructSpec& s) override { each([&](auto& p) { p.struct_end(s); }); }
    void attr_begin(const AttrEvent& ev) override { each([&](auto& p) { p.attr_begin(ev); }); }
    // The children are walked when any part wants them, so a part may see
    // children it declined (and may not be asked when an earlier part wants them).
    bool wants_children(const AttrEvent& ev) override {
        return any([&](auto& p) { return p.wants_children(ev); });
    }
    void attr_end(const AttrEvent& ev) override { each([&](auto& p) { p.attr_end(ev); }); }
    void error_code(std::int32_t error, std::size_t offset) override {
        each([&](auto& p) { p.error_code(error, offset); });
    }
    void extack_target(std::size_t offset, const AttrSpace* space, const AttrSpec* spec, std::uint16_t type) override {
        each([&](auto& p) { p.extack_target(offset, space, spec, type); });
    }
    void problem(const Problem& pr) override { each([&](auto& p) { p.problem(pr); }); }
    void trailing_padding(std::size_t offset, std::size_t length) override {
        each([&](auto& p) { p.trailing_padding(offset, length); });
    }

private:
    template <class F>
    void each(F&& f) {
        std::apply([&](auto*... p) { ((p ? f(*p) : void()), ...); }, parts_);
    }
    // Whether some part answers yes; parts after the first that does are not asked.
    template <class F>
    bool any(F&& f) {
        bool yes = false;
        each([&](auto& p) { yes = yes || f(p); });
        return yes;
    }
    std::tuple<Parts*...> parts_;
};

}  // namespace rtnl
