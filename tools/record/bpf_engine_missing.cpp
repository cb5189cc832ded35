// The bpf engine where the build had no clang, bpftool or libbpf-dev.
#include "bpf_engine.hpp"

#ifndef RTNL_BPF_MISSING
#define RTNL_BPF_MISSING "the build lacked what it needs"
#endif

namespace rtnl::record {

std::optional<std::string> bpf_engine_unavailable() {
    return std::string("this rtnl-record was built without the bpf engine (" RTNL_BPF_MISSING ")");
}

BpfOutcome record_bpf(const BpfRecording&) {
    BpfOutcome o;
    o.error = bpf_engine_unavailable();
    return o;
}

}  // namespace rtnl::record
