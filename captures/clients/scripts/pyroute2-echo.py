"""pyroute2-echo.pcapng, the recorded part: one RTM_NEWROUTE sent by pyroute2's
IPRoute with NLM_F_ECHO (the kernel sends the new route back to the requester
before the ACK), then the same route deleted, in a namespace where lo is up."""
import socket

from pyroute2 import IPRoute
from pyroute2.netlink import NLM_F_ACK, NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REQUEST
from pyroute2.netlink.rtnl import RTM_NEWROUTE
from pyroute2.netlink.rtnl.rtmsg import rtmsg

with IPRoute() as ipr:
    lo = ipr.link_lookup(ifname='lo')[0]
    msg = rtmsg()
    msg['family'] = socket.AF_INET
    msg['dst_len'] = 24
    msg['table'] = 254  # main
    msg['proto'] = 4  # static
    msg['scope'] = 253  # link
    msg['type'] = 1  # unicast
    msg['attrs'] = [('RTA_DST', '10.42.0.0'), ('RTA_OIF', lo)]
    answers = ipr.nlm_request(msg, msg_type=RTM_NEWROUTE,
                              msg_flags=NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO)
    for a in answers:
        print(a['header']['type'], a.get_attr('RTA_DST'))
    ipr.route('del', dst='10.42.0.0/24', oif=lo, scope=253)
