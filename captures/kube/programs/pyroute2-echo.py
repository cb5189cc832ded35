# pyroute2 IPRoute as scripts use it: a monitor socket bound to the multicast
# groups, a second socket for requests (its port id is not the process id,
# which pyroute2 still puts in nlmsg_pid), and requests with NLM_F_ECHO.
from pyroute2 import IPRoute
from pyroute2.netlink import NLM_F_REQUEST, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_ECHO
from pyroute2.netlink.rtnl import RTM_NEWROUTE, RTM_NEWADDR
from pyroute2.netlink.rtnl.rtmsg import rtmsg
from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg

monitor = IPRoute()
monitor.bind()
ipr = IPRoute()
lo = ipr.link_lookup(ifname='lo')[0]
ipr.link('set', index=lo, state='up')
ipr.addr('add', index=lo, address='10.7.0.1', mask=24)
ipr.route('add', dst='10.8.0.0/24', gateway='10.7.0.2')
echo = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO
msg = rtmsg()
msg['family'] = 2; msg['dst_len'] = 24; msg['table'] = 254; msg['proto'] = 4; msg['type'] = 1
msg['attrs'] = [('RTA_DST', '10.9.0.0'), ('RTA_GATEWAY', '10.7.0.2')]
ipr.nlm_request(msg, msg_type=RTM_NEWROUTE, msg_flags=echo)
msg = ifaddrmsg()
msg['family'] = 2; msg['prefixlen'] = 24; msg['index'] = lo
msg['attrs'] = [('IFA_LOCAL', '10.6.0.1'), ('IFA_ADDRESS', '10.6.0.1')]
ipr.nlm_request(msg, msg_type=RTM_NEWADDR, msg_flags=echo)
ipr.get_routes()
for m in monitor.get():
    pass
ipr.close()
monitor.close()
