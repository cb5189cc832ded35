// rtnl-bench-core: the decoding core alone, over the netlink payloads of a
// capture (Google Benchmark). Reports messages/s and bytes/s of netlink
// payload (the 16-byte nlmon header of each packet is not counted).
//
//   rtnl-bench-core CAPTURE... [--iterations=N] [google benchmark options]
//
// --iterations=N runs each benchmark exactly N times over the corpus (a
// fixed workload: for instruction counts under callgrind, whose count of
// BM_<name> is then N walks of the capture).
//
// Benchmarks:
//   HeaderWalk   lower bound: every nlmsghdr and every top-level nlattr
//                header, summed (the cost of touching the bytes)
//   Walker       walk_messages with a visitor that does nothing: schema
//                lookups, value decoding, problem checks, every event
//                through the vtable (how the tools' visitors are called)
//   WalkerStatic walk_messages_static with a final visitor that decodes
//                every member's and attribute's value and folds it into a
//                checksum (so no decoding can be optimised away): the core as
//                the plugin calls it, every value read
//   WalkerFilter the same walk with a final visitor that reads what a
//                filter such as `rtnl.rtm.table == 254 && rtnl.oif == 2`
//                needs: each message's header, the rtmsg table member and
//                the RTA_OIF value (lower bound: HeaderWalk)
//   WalkerSummary  the same plus SummaryBuilder (the Info line of every
//                message, as rtnl-decode and the plugin's column build it)
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "capture_reader.hpp"
#include "rtnl/netlink.hpp"
#include "rtnl/schema.hpp"
#include "rtnl/summary.hpp"
#include "rtnl/walker.hpp"
#include "rtnl/walker_impl.hpp"

namespace {

struct Corpus {
    std::vector<std::vector<std::uint8_t>> packets;  // whole nlmon packets (NETLINK_ROUTE)
    std::size_t payload_bytes = 0;
    std::size_t messages = 0;
};
Corpus g_corpus;

// Count the messages once with the header walk (the walker's count agrees).
std::uint64_t header_walk(std::span<const std::uint8_t> p, std::size_t* messages) {
    std::uint64_t sum = 0;
    std::size_t off = rtnl::nl::COOKED_HEADER_LEN;
    while (off + 16 <= p.size()) {
        std::uint32_t len;
        std::uint16_t type;
        std::memcpy(&len, p.data() + off, 4);
        std::memcpy(&type, p.data() + off + 4, 2);
        if (len < 16 || len > p.size() - off) break;
        if (messages) ++*messages;
        sum += len + type;
        std::size_t hdr = 0;
        if (const rtnl::MessageTypeSpec* t = rtnl::schema::find_message_type(type); t && t->header)
            hdr = (t->header->size + 3u) & ~3u;
        std::size_t a = off + 16 + hdr;
        const std::size_t end = off + len;
        while (a + 4 <= end) {
            std::uint16_t alen, atype;
            std::memcpy(&alen, p.data() + a, 2);
            std::memcpy(&atype, p.data() + a + 2, 2);
            if (alen < 4 || alen > end - a) break;
            sum += alen ^ atype;
            a += (alen + 3u) & ~3u;
        }
        off += (len + 3u) & ~3u;
    }
    return sum;
}

struct NullVisitor : rtnl::Visitor {};

// Folds what every event carries into one number: the cheapest visitor that
// still uses everything the walker decodes.
struct ChecksumVisitor final : rtnl::Visitor {
    // 32 bits: the walker's own stores (size_t, pointers) cannot alias it, so
    // the compiler need not reload it after each of them.
    std::uint32_t sum = 0;

    static std::uint64_t digest(const rtnl::Value& v) {
        switch (v.tag) {
        case rtnl::Value::Tag::Unsigned: return v.u;
        case rtnl::Value::Tag::Signed: return static_cast<std::uint64_t>(v.s);
        case rtnl::Value::Tag::String: return v.str.size();
        case rtnl::Value::Tag::None: return 0;
        default: return v.bytes.size() + (v.bytes.empty() ? 0 : v.bytes[0]);
        }
    }
    void message_begin(const rtnl::MessageView& m) override { sum += m.header.type + m.header.seq + m.family; }
    void struct_begin(const rtnl::StructView& s) override {
        s.for_each_member([&](const rtnl::Member& m) {
            sum += digest(m.value()) + m.offset + static_cast<unsigned>(m.field->kind);
        });
    }
    void attr_begin(const rtnl::AttrEvent& ev) override {
        sum += digest(ev.value()) + ev.type + ev.payload_length + (ev.field ? static_cast<unsigned>(ev.field->kind) : 1);
    }
    void error_code(std::int32_t error, std::size_t) override { sum += static_cast<std::uint32_t>(error); }
    void problem(const rtnl::Problem& p) override { sum += static_cast<unsigned>(p.code) + p.offset; }
};

// The filter case: the header of every message, one header member and one attribute's value.
struct FilterVisitor final : rtnl::Visitor {
    std::uint32_t sum = 0;
    void message_begin(const rtnl::MessageView& m) override { sum += m.header.type + m.header.seq; }
    void struct_begin(const rtnl::StructView& s) override {
        if (s.spec == &rtnl::schema::struct_rtmsg)
            if (const auto m = s.member_at(rtnl::schema::member::rtmsg::rtm_table))
                sum += static_cast<std::uint32_t>(m->value().u);
    }
    void attr_begin(const rtnl::AttrEvent& ev) override {
        if (ev.depth == 0 && ev.space == &rtnl::schema::space_route && ev.type == rtnl::schema::attr::route::OIF)
            sum += static_cast<std::uint32_t>(ev.value().u);
    }
};

void set_counters(benchmark::State& state) {
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_corpus.payload_bytes));
    state.counters["msgs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * g_corpus.messages),
                                                  benchmark::Counter::kIsRate);
    state.counters["messages"] = static_cast<double>(g_corpus.messages);
}

void BM_HeaderWalk(benchmark::State& state) {
    for (auto _ : state) {
        std::uint64_t sum = 0;
        for (const auto& p : g_corpus.packets) sum += header_walk(p, nullptr);
        benchmark::DoNotOptimize(sum);
    }
    set_counters(state);
}

// Every packet of the corpus through `walk` once per iteration.
template <class Walk>
void walk_corpus(benchmark::State& state, Walk&& walk) {
    for (auto _ : state) {
        std::size_t n = 0;
        for (const auto& p : g_corpus.packets) n += walk(std::span<const std::uint8_t>(p));
        benchmark::DoNotOptimize(n);
    }
    set_counters(state);
}

void BM_Walker(benchmark::State& state) {
    NullVisitor v;
    walk_corpus(state, [&](std::span<const std::uint8_t> p) {
        return rtnl::walk_messages(p, rtnl::nl::COOKED_HEADER_LEN, v);
    });
}

void BM_WalkerStatic(benchmark::State& state) {
    ChecksumVisitor v;
    walk_corpus(state, [&](std::span<const std::uint8_t> p) {
        return rtnl::walk_messages_static(p, rtnl::nl::COOKED_HEADER_LEN, v);
    });
    benchmark::DoNotOptimize(v.sum);
}

void BM_WalkerFilter(benchmark::State& state) {
    FilterVisitor v;
    walk_corpus(state, [&](std::span<const std::uint8_t> p) {
        return rtnl::walk_messages_static(p, rtnl::nl::COOKED_HEADER_LEN, v);
    });
    benchmark::DoNotOptimize(v.sum);
}

void BM_WalkerSummary(benchmark::State& state) {
    for (auto _ : state) {
        std::size_t chars = 0;
        for (const auto& p : g_corpus.packets) {
            rtnl::SummaryBuilder s;
            rtnl::walk_messages(p, rtnl::nl::COOKED_HEADER_LEN, s);
            chars += s.packet_line().size();
        }
        benchmark::DoNotOptimize(chars);
    }
    set_counters(state);
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    long iterations = 0;  // 0: as many as Google Benchmark decides
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--iterations=", 13) == 0) {
            iterations = std::strtol(argv[i] + 13, nullptr, 10);
            if (iterations <= 0) {
                std::fprintf(stderr, "rtnl-bench-core: --iterations wants a positive count\n");
                return 2;
            }
        } else {
            argv[kept++] = argv[i];
        }
    }
    argc = kept;
    const std::pair<const char*, void (*)(benchmark::State&)> benchmarks[] = {
        {"BM_HeaderWalk", BM_HeaderWalk},     {"BM_Walker", BM_Walker},
        {"BM_WalkerStatic", BM_WalkerStatic}, {"BM_WalkerFilter", BM_WalkerFilter},
        {"BM_WalkerSummary", BM_WalkerSummary},
    };
    for (const auto& [name, fn] : benchmarks) {
        benchmark::internal::Benchmark* b = benchmark::RegisterBenchmark(name, fn)->Unit(benchmark::kMillisecond);
        if (iterations) b->Iterations(iterations);
    }
    if (argc < 2) {
        std::fprintf(stderr, "usage: rtnl-bench-core CAPTURE... [--benchmark_* options]\n");
        return 2;
    }
    for (int i = 1; i < argc; ++i) {
        rtnl::decode::CaptureReader r;
        if (!r.open(argv[i])) {  // e.g. Linux cooked captures: the corpus is nlmon's packets
            std::fprintf(stderr, "rtnl-bench-core: skipped %s: %s\n", argv[i], r.error().c_str());
            continue;
        }
        rtnl::decode::CapturedPacket pkt;
        while (r.next(pkt)) {
            if (pkt.linktype != 253 || pkt.data.size() < rtnl::nl::COOKED_HEADER_LEN) continue;
            if (((pkt.data[14] << 8) | pkt.data[15]) != rtnl::nl::NETLINK_ROUTE) continue;
            g_corpus.payload_bytes += pkt.data.size() - rtnl::nl::COOKED_HEADER_LEN;
            header_walk(pkt.data, &g_corpus.messages);
            g_corpus.packets.push_back(std::move(pkt.data));
            pkt.data.clear();
        }
        if (!r.error().empty()) {
            std::fprintf(stderr, "rtnl-bench-core: %s: %s\n", argv[i], r.error().c_str());
            return 1;
        }
    }
    if (g_corpus.packets.empty()) {
        std::fprintf(stderr, "rtnl-bench-core: no NETLINK_ROUTE packets to measure\n");
        return 1;
    }
    std::fprintf(stderr, "rtnl-bench-core: %zu packets, %zu messages, %zu bytes of netlink payload\n",
                 g_corpus.packets.size(), g_corpus.messages, g_corpus.payload_bytes);
    benchmark::AddCustomContext("capture", argc == 2 ? argv[1] : std::to_string(argc - 1) + " files");
    benchmark::AddCustomContext("packets", std::to_string(g_corpus.packets.size()));
    benchmark::AddCustomContext("messages", std::to_string(g_corpus.messages));
    benchmark::AddCustomContext("payload_bytes", std::to_string(g_corpus.payload_bytes));
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
