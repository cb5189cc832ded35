/* Minimal eBPF programs for the tc / lwt / xdp captures (make.sh compiles them
 * with clang -target bpf when clang is present). They pass everything. */
#include <linux/bpf.h>
#define SEC(n) __attribute__((section(n), used))

SEC("classifier") int cls_pass(struct __sk_buff *skb) { return -1; /* TC_ACT_UNSPEC */ }
SEC("lwt_in") int lwt_pass(struct __sk_buff *skb) { return BPF_OK; }
SEC("xdp") int xdp_pass(struct xdp_md *ctx) { return XDP_PASS; }

char _license[] SEC("license") = "GPL";
