"""mcast-acast.pcapng, the recorded part: a pyroute2 IPRoute socket that
listens to the multicast and anycast address groups (RTNLGRP_IPV4_MCADDR 37,
RTNLGRP_IPV6_MCADDR 38, RTNLGRP_IPV6_ACADDR 39: above 31, so joined with
NETLINK_ADD_MEMBERSHIP), while iproute2 and sysctl make the kernel join and
leave groups and add and remove subnet-router anycast addresses; then
pyroute2's dumps of both tables (RTM_GETMULTICAST for IPv6 and IPv4,
RTM_GETANYCAST for IPv6). Run in a namespace with lo up and a veth pair
veth0 - veth1 that is down."""
import select
import socket
import subprocess
import time

from pyroute2 import IPRoute
from pyroute2.netlink import NLM_F_DUMP, NLM_F_REQUEST
from pyroute2.netlink.rtnl import RTM_GETANYCAST, RTM_GETMULTICAST
from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg

GROUPS = (37, 38, 39)


def run(*cmd):
    subprocess.run(cmd, check=True)


def drain(ipr, seconds=0.5):
    """Read the notifications queued on the listener."""
    n = 0
    while select.select([ipr], [], [], seconds)[0]:
        n += len(ipr.get())
    return n


def dump(ipr, msg_type, family):
    msg = ifaddrmsg()
    msg['family'] = family
    return len(ipr.nlm_request(msg, msg_type=msg_type, msg_flags=NLM_F_REQUEST | NLM_F_DUMP))


with IPRoute() as listener:
    listener.bind(groups=0)  # no RTMGRP_* bits: only the groups joined below
    for g in GROUPS:
        listener.add_membership(g)
    run('ip', 'link', 'set', 'veth0', 'up')  # joins ff02::1, ff01::1, 224.0.0.1, ...
    run('ip', 'addr', 'add', '10.40.0.1/24', 'dev', 'veth0')
    run('ip', '-6', 'addr', 'add', '2001:db8:40::1/64', 'dev', 'veth0', 'nodad')  # solicited-node group
    run('ip', 'addr', 'add', '239.1.2.3/32', 'dev', 'veth0', 'autojoin')
    run('ip', '-6', 'addr', 'add', 'ff05::4242/128', 'dev', 'veth0', 'autojoin')
    run('sysctl', '-q', '-w', 'net.ipv6.conf.veth0.forwarding=1')  # subnet-router anycast addresses
    time.sleep(0.2)
    print('notifications:', drain(listener))
    with IPRoute() as ipr:
        print('multicast6:', dump(ipr, RTM_GETMULTICAST, socket.AF_INET6))
        print('multicast4:', dump(ipr, RTM_GETMULTICAST, socket.AF_INET))
        print('anycast6:', dump(ipr, RTM_GETANYCAST, socket.AF_INET6))
    run('sysctl', '-q', '-w', 'net.ipv6.conf.veth0.forwarding=0')
    run('ip', 'addr', 'del', '239.1.2.3/32', 'dev', 'veth0')
    run('ip', '-6', 'addr', 'del', 'ff05::4242/128', 'dev', 'veth0')
    run('ip', 'link', 'set', 'veth0', 'down')
    time.sleep(0.2)
    print('notifications:', drain(listener))
