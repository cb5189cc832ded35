"""pyroute2-iproute.pcapng, the recorded part: pyroute2's IPRoute making link,
address and route changes in a fresh namespace (lo is up, nothing else), each
undone at the end. Two IPRoute objects, as a program with one per thread has:
the first (used once, kept open) binds the process id as its port id, so the
second gets a port id the kernel chooses - while pyroute2 still writes the
process id into nlmsg_pid of that socket's requests."""
from pyroute2 import IPRoute

with IPRoute() as first, IPRoute() as ipr:
    lo = first.link_lookup(ifname='lo')[0]
    ipr.link('add', ifname='pr0', kind='veth', peer='pr1')
    pr0 = ipr.link_lookup(ifname='pr0')[0]
    ipr.link('set', index=pr0, state='up')
    ipr.addr('add', index=pr0, address='10.40.0.1', prefixlen=24)
    ipr.route('add', dst='10.41.0.0/24', gateway='10.40.0.2', oif=pr0)
    print([r.get_attr('RTA_DST') for r in ipr.route('dump', oif=pr0)])
    ipr.route('del', dst='10.41.0.0/24', gateway='10.40.0.2', oif=pr0)
    ipr.addr('del', index=pr0, address='10.40.0.1', prefixlen=24)
    ipr.link('del', index=pr0)
