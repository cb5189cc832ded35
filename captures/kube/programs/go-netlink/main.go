// vishvananda/netlink as Kubernetes network daemons use it: a RouteSubscribe
// socket beside the request sockets, LinkByName, AddrList and RouteList (their
// legacy 16-byte dump headers), RouteAdd of a link-scope route, and RouteDel
// with a Route filled as Kubernetes code fills it (no Scope: universe), which
// the kernel refuses with ESRCH, then with the right scope; AddrAdd, a RouteAdd
// with a gateway and no LinkIndex (RTA_OIF 0, accepted), and the same RouteAdd
// again (EEXIST).
package main

import (
	"fmt"
	"net"
	"os"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

func must(err error) {
	if err != nil {
		fmt.Println("error:", err)
	}
}

func main() {
	updates := make(chan netlink.RouteUpdate, 64)
	done := make(chan struct{})
	must(netlink.RouteSubscribe(updates, done))
	lo, err := netlink.LinkByName("lo")
	must(err)
	must(netlink.LinkSetUp(lo))
	addrs, err := netlink.AddrList(lo, netlink.FAMILY_V4)
	must(err)
	fmt.Println("addrs", len(addrs))
	_, dst, _ := net.ParseCIDR("10.5.0.0/24")
	r := netlink.Route{LinkIndex: lo.Attrs().Index, Dst: dst, Scope: netlink.SCOPE_LINK}
	must(netlink.RouteAdd(&r))
	routes, err := netlink.RouteList(nil, netlink.FAMILY_V4)
	must(err)
	fmt.Println("routes", len(routes))
	// as Kubernetes code fills it: no scope, so universe (0)
	del := netlink.Route{LinkIndex: lo.Attrs().Index, Dst: dst}
	fmt.Println("del:", netlink.RouteDel(&del))
	del.Scope = unix.RT_SCOPE_LINK
	fmt.Println("del2:", netlink.RouteDel(&del))
	addr, _ := netlink.ParseAddr("10.6.0.1/24")
	must(netlink.AddrAdd(lo, addr))
	// a gateway and no LinkIndex: the library still sends RTA_OIF, 0, and the kernel accepts it
	_, dst7, _ := net.ParseCIDR("10.7.0.0/24")
	gw := netlink.Route{Dst: dst7, Gw: net.ParseIP("10.6.0.2")}
	must(netlink.RouteAdd(&gw))
	// RouteAdd sends NLM_F_EXCL: the same route again fails with EEXIST
	fmt.Println("add again:", netlink.RouteAdd(&gw))
	time.Sleep(100 * time.Millisecond)
	close(done)
	os.Exit(0)
}
