#pragma once

namespace rtnl::plugin {
void register_protocol();
void register_handoff();
}  // namespace rtnl::plugin
