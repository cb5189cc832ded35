// netlink-client: calls of Debian's github.com/vishvananda/netlink as a
// Kubernetes network backend makes them, one scenario per run, for the
// captures in captures/clients/ (recorded by make.sh in a fresh namespace).
// Every call goes through the package-level functions, so each opens a new
// netlink socket, as flannel, kube-router and the CNI plugins do.
//
//	netlink-client link-addr     LinkAdd dummy (may fail: a kernel without the
//	                             driver), bridge, veth; LinkSetUp; AddrAdd; AddrList
//	netlink-client route-del     RouteAdd (gateway route, link-scope route);
//	                             RouteList; RouteDel filled as Kubernetes fills it
//	                             (LinkIndex + Dst, Scope 0) -> ESRCH; RouteDel
//	                             with the route's scope -> success
//	netlink-client subscribe     RouteSubscribe on one socket, RouteAdd/RouteDel
//	                             through others; prints the notifications
//	netlink-client link-by-name  LinkByName (RTM_GETLINK with NLM_F_ACK; the
//	                             library closes the socket without reading the ACK)
//
// Exit status 0 when every call gave the expected answer (the expected
// failures included), 1 otherwise.
package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

func check(what string, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "netlink-client: %s: %v\n", what, err)
		os.Exit(1)
	}
	fmt.Printf("%s: ok\n", what)
}

func expectErrno(what string, err error, want unix.Errno) {
	if !errors.Is(err, want) {
		fmt.Fprintf(os.Stderr, "netlink-client: %s: got %v, expected %v\n", what, err, want)
		os.Exit(1)
	}
	fmt.Printf("%s: %v (expected)\n", what, err)
}

func cidr(s string) *net.IPNet {
	_, n, err := net.ParseCIDR(s)
	check("parse "+s, err)
	return n
}

func link(name string) netlink.Link {
	l, err := netlink.LinkByName(name)
	check("LinkByName "+name, err)
	return l
}

func linkAddr() {
	// the kernel may lack the dummy driver: then EOPNOTSUPP, a real answer too
	err := netlink.LinkAdd(&netlink.Dummy{LinkAttrs: netlink.LinkAttrs{Name: "dummy0"}})
	if err != nil {
		expectErrno("LinkAdd dummy0", err, unix.EOPNOTSUPP)
	} else {
		fmt.Println("LinkAdd dummy0: ok")
	}
	check("LinkAdd br0", netlink.LinkAdd(&netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: "br0"}}))
	check("LinkAdd veth0", netlink.LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "veth0"}, PeerName: "veth1"}))
	veth0 := link("veth0")
	check("LinkSetUp veth0", netlink.LinkSetUp(veth0))
	check("LinkSetMaster veth1 br0", netlink.LinkSetMaster(link("veth1"), link("br0")))
	addr, err := netlink.ParseAddr("10.30.0.1/24")
	check("ParseAddr", err)
	check("AddrAdd 10.30.0.1/24 veth0", netlink.AddrAdd(veth0, addr))
	addrs, err := netlink.AddrList(veth0, netlink.FAMILY_V4)
	check("AddrList veth0", err)
	for _, a := range addrs {
		fmt.Printf("  %s\n", a.IPNet)
	}
}

func routeDel() {
	veth0 := link("veth0")
	gw := &netlink.Route{LinkIndex: veth0.Attrs().Index, Dst: cidr("10.31.0.0/24"), Gw: net.ParseIP("10.30.0.2")}
	check("RouteAdd 10.31.0.0/24 via 10.30.0.2", netlink.RouteAdd(gw))
	onlink := &netlink.Route{LinkIndex: veth0.Attrs().Index, Dst: cidr("10.32.0.0/24"), Scope: netlink.SCOPE_LINK}
	check("RouteAdd 10.32.0.0/24 scope link", netlink.RouteAdd(onlink))
	routes, err := netlink.RouteList(veth0, netlink.FAMILY_V4)
	check("RouteList veth0", err)
	for _, r := range routes {
		fmt.Printf("  %s\n", r)
	}
	// as Kubernetes code fills it: interface and destination, Scope left 0 (universe)
	k8s := &netlink.Route{LinkIndex: veth0.Attrs().Index, Dst: cidr("10.32.0.0/24")}
	expectErrno("RouteDel 10.32.0.0/24 (scope universe)", netlink.RouteDel(k8s), unix.ESRCH)
	k8s.Scope = netlink.SCOPE_LINK
	check("RouteDel 10.32.0.0/24 scope link", netlink.RouteDel(k8s))
}

func subscribe() {
	updates := make(chan netlink.RouteUpdate)
	done := make(chan struct{})
	check("RouteSubscribe", netlink.RouteSubscribe(updates, done))
	veth0 := link("veth0")
	r := &netlink.Route{LinkIndex: veth0.Attrs().Index, Dst: cidr("10.33.0.0/24"), Gw: net.ParseIP("10.30.0.2")}
	check("RouteAdd 10.33.0.0/24", netlink.RouteAdd(r))
	check("RouteDel 10.33.0.0/24", netlink.RouteDel(r))
	// the two notifications (RTM_NEWROUTE, RTM_DELROUTE) of the two changes
	for want := []uint16{unix.RTM_NEWROUTE, unix.RTM_DELROUTE}; len(want) > 0; {
		select {
		case u := <-updates:
			fmt.Printf("notification type %d: %s\n", u.Type, u.Route)
			if u.Type == want[0] && u.Dst != nil && u.Dst.String() == "10.33.0.0/24" {
				want = want[1:]
			}
		case <-time.After(5 * time.Second):
			fmt.Fprintln(os.Stderr, "netlink-client: notifications missing")
			os.Exit(1)
		}
	}
	close(done)
}

func linkByName() {
	l := link("veth0")
	fmt.Printf("  veth0 is index %d\n", l.Attrs().Index)
}

func main() {
	scenarios := map[string]func(){
		"link-addr": linkAddr, "route-del": routeDel, "subscribe": subscribe, "link-by-name": linkByName,
	}
	if len(os.Args) != 2 || scenarios[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: netlink-client link-addr|route-del|subscribe|link-by-name")
		os.Exit(2)
	}
	scenarios[os.Args[1]]()
}
