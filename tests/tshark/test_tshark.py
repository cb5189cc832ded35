"""The plugin through the real tshark, on the real captures in captures/.

Every assertion names exact values; each fails with the plugin absent
(see PluginPresence, which checks that too).
"""
import json
import os
import re
import struct
import subprocess
import tempfile
import unittest

import tshark_harness
from tshark_harness import capture, fields, frames, new_file, tshark

SEED = 'route-oif-zero.pcap'


class PluginPresence(unittest.TestCase):
    def test_plugin_is_loaded(self):
        if tshark_harness.PRELOAD:
            # With ASan's runtime preloaded, Debian 12's tshark 4.0.17 hangs on
            # -G plugins (as on -i -); every other test shows the plugin loaded.
            self.skipTest('tshark -G plugins with the ASan runtime preloaded (normal pass only)')
        out = tshark('-G', 'plugins').stdout
        # From 4.4 the type comes from plugin_describe() ("unknown" without it); tshark
        # names the first of its flags (dissector), Wireshark's About box all of them.
        self.assertRegex(out, r'rtnl\.so\s+%s\s+dissector\s+\S+/rtnl\.so' % re.escape(os.environ['RTNL_VERSION']))

    def test_without_the_plugin_the_fields_do_not_exist(self):
        res = tshark('-r', capture(SEED), '-Y', 'rtnl.oif == 0', plugin=False, check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn('rtnl.oif', res.stderr)

    def test_protocol_column_is_rtnl(self):
        rows = fields(SEED, '', '_ws.col.Protocol')
        self.assertEqual({r[0] for r in rows}, {'rtnl'})


class SeedStory(unittest.TestCase):
    """The RTA_OIF = 0 story, end to end."""

    def test_oif_zero_finds_the_request_and_the_kernel_answer(self):
        # Frame 11 is the crafted request; frame 12 the error reply echoing it.
        self.assertEqual(frames(SEED, 'rtnl.oif == 0'), [11, 12])

    def test_oif_zero_request_only(self):
        # The error reply's echo is under rtnl.echoed; the request itself is not.
        self.assertEqual(frames(SEED, 'rtnl.oif == 0 && !rtnl.echoed'), [11])
        self.assertEqual(frames(SEED, 'rtnl.oif == 0 && rtnl.flags.request == 1 && rtnl.type == 25'), [11, 12])

    def test_addresses_are_addresses(self):
        rows = fields(SEED, 'frame.number == 11', 'rtnl.rta.dst', 'rtnl.rta.gateway', 'rtnl.oif')
        self.assertEqual(rows, [['10.9.1.0', '10.9.0.1', '0']])
        rows = fields(SEED, 'frame.number == 9', 'rtnl.rta.dst', 'rtnl.rta.gateway', 'rtnl.oif', 'rtnl.rtm.dst_len')
        self.assertEqual(rows, [['10.9.0.0', '127.0.0.1', '1', '24']])

    def test_prefix_filter(self):
        self.assertEqual(frames(SEED, 'rtnl.rta.dst == 10.9.0.0/24'), [9, 15, 19, 20])
        self.assertEqual(frames(SEED, 'rtnl.rta.dst == 10.9.0.0/16 && !rtnl.echoed'), [9, 11, 15, 19])
        self.assertEqual(frames(SEED, 'rtnl.rta.dst == 10.9.1.0'), [11, 12])

    def test_errno(self):
        self.assertEqual(frames(SEED, 'rtnl.errno == 3'), [12, 20])
        rows = fields(SEED, 'frame.number == 12', 'rtnl.error', 'rtnl.errno', extra=['-E', 'separator=|'])
        self.assertEqual(rows, [['-3|3']])

    def test_error_reply_shows_errno_name_and_decoded_request(self):
        out = tshark('-r', capture(SEED), '-V', '-Y', 'frame.number == 12').stdout
        self.assertIn('Errno: ESRCH, No such process (3)', out)
        self.assertIn('Original request: RTM_DELROUTE, seq 1795483983', out)
        self.assertIn('Destination (RTA_DST): 10.9.1.0', out)
        self.assertIn('Output interface (RTA_OIF): 0', out)
        self.assertIn('Routing table: RT_TABLE_MAIN (254)', out)

    def test_info_column(self):
        rows = fields(SEED, 'frame.number >= 11 && frame.number <= 12', '_ws.col.Info')
        self.assertEqual(rows, [
            ['RTM_DELROUTE del 10.9.1.0/24 via 10.9.0.1 dev 0 table main scope nowhere'],
            ['NLMSG_ERROR ESRCH (No such process) for RTM_DELROUTE seq 1795483983'],
        ])
        self.assertEqual(fields(SEED, 'frame.number == 10', '_ws.col.Info'),
                         [['NLMSG_ERROR ACK for RTM_NEWROUTE seq 1795486631']])

    def test_expert_infos(self):
        self.assertEqual(frames(SEED, 'rtnl.expert.oif_zero'), [11, 12])
        self.assertEqual(frames(SEED, 'rtnl.expert.error_reply'), [2, 12, 20])
        out = tshark('-r', capture(SEED), '-z', 'expert,note', '-q').stdout
        self.assertIn('Output interface index 0: no interface has index 0', out)
        self.assertIn('Error reply: ESRCH (No such process)', out)

    def test_ack_and_flags(self):
        # an ACK is rtnl.ack with its 0 under rtnl.error; `rtnl.errno` alone means an error reply
        self.assertEqual(frames(SEED, 'rtnl.ack'), [6, 10, 16])
        self.assertEqual(frames(SEED, 'rtnl.errno'), [2, 12, 20])
        self.assertEqual(frames(SEED, 'rtnl.error == 0'), [6, 10, 16])
        self.assertEqual(frames(SEED, 'rtnl.errno == 0'), [])
        self.assertEqual(frames(SEED, 'rtnl.flags.create == 1 && rtnl.flags.excl == 1'), [9, 10])
        self.assertEqual(frames(SEED, 'rtnl.flags.capped == 1'), [6, 10, 16])
        self.assertEqual(fields(SEED, 'frame.number == 10', 'rtnl.flags'), [['0x0100,0x0605']])

    def test_json(self):
        out = tshark('-r', capture(SEED), '-T', 'json', '-Y', 'frame.number == 11').stdout
        text = json.dumps(json.loads(out))
        self.assertIn('"rtnl.rta.oif": "0"', text)
        self.assertIn('"rtnl.rta.dst": "10.9.1.0"', text)


class Tracking(unittest.TestCase):
    """Requests linked to the kernel's answers; interface names from the capture."""

    def test_failed_requests_two_pass(self):
        rows = fields(SEED, 'rtnl.failed', 'frame.number', 'rtnl.failed', 'rtnl.response_in', 'rtnl.request_in',
                      extra=['-2'])
        self.assertEqual(rows, [['1', '19', '2', ''], ['2', '19', '', '1'], ['11', '3', '12', ''],
                                ['12', '3', '', '11'], ['19', '3', '20', ''], ['20', '3', '', '19']])

    def test_interleaved_sockets_with_one_sequence_number(self):
        # captures/analysis/interleaved.pcap: three sockets, seq 4242 on all,
        # answered out of order (captures/README.md has the frame table).
        rows = fields('analysis/interleaved.pcap', '', 'frame.number', 'rtnl.response_in', 'rtnl.request_in',
                      extra=['-2'])
        self.assertEqual([r[:2] for r in rows[:4]], [['1', '7,9,10'], ['2', '5'], ['3', '6'], ['4', '8']])
        self.assertEqual([(r[0], r[2].split(',')[0]) for r in rows[4:]],
                         [('5', '2'), ('6', '3'), ('7', '1'), ('8', '4'), ('9', '1'), ('10', '1')])

    def test_failing_route_del(self):
        # The story: tshark -2 -Y rtnl.failed shows the request with
        # its errno and the frame of the kernel's answer.
        rows = fields('analysis/failing-route-del.pcap', 'rtnl.failed && rtnl.type == 25', 'frame.number',
                      'rtnl.failed', 'rtnl.response_in', 'rtnl.request_in', '_ws.col.Info', extra=['-2'])
        self.assertEqual(rows, [['8', '3', '9', '', 'RTM_DELROUTE del 10.77.0.0/24 dev lo table main scope nowhere'],
                                ['9', '3', '', '8',
                                 'NLMSG_ERROR ESRCH (No such process) for RTM_DELROUTE seq 1795488726']])

    def test_failed_single_pass_finds_the_error_replies(self):
        self.assertEqual(frames(SEED, 'rtnl.failed'), [2, 12, 20])

    def test_failed_request_says_why(self):
        out = tshark('-2', '-r', capture(SEED), '-V', '-Y', 'frame.number == 11').stdout
        self.assertIn('Request failed: ESRCH (No such process)]', out)  # no frame number: one line in -z expert
        self.assertIn('[Response in: 12]', out)

    def test_request_in_and_response_in(self):
        self.assertEqual(fields(SEED, 'frame.number == 10', 'rtnl.request_in'), [['9']])
        self.assertEqual(fields(SEED, 'frame.number == 9', 'rtnl.response_in', extra=['-2']), [['10']])
        rows = fields('link-addr-dump.pcap', 'frame.number == 6', 'rtnl.response_in', extra=['-2'])
        self.assertEqual(rows, [['7,8,9']])  # a dump in two packets and its DONE

    def test_response_time(self):
        rows = fields(SEED, 'frame.number == 12', 'rtnl.response_time')
        self.assertEqual(len(rows), 1)
        self.assertAlmostEqual(float(rows[0][0]), 0.000149, places=6)

    def test_interface_names_from_the_capture(self):
        self.assertEqual(frames(SEED, 'rtnl.oif.name == "lo"'), [9, 15, 19, 20])
        self.assertEqual(fields(SEED, 'frame.number == 9', '_ws.col.Info'),
                         [['RTM_NEWROUTE add 10.9.0.0/24 via 127.0.0.1 dev lo table main proto boot']])
        out = tshark('-r', capture(SEED), '-V', '-Y', 'frame.number == 9').stdout
        self.assertIn('Output interface (RTA_OIF): 1 (lo)', out)
        self.assertEqual(frames(SEED, 'rtnl.ifname == "lo" && rtnl.type == 24'), [9])

    def test_names_learned_later_apply_in_the_second_pass(self):
        # interleaved.pcap: frame 2 adds an address on ifindex 1; the link dump
        # naming it "lo" only arrives in frame 7.
        self.assertEqual(fields('analysis/interleaved.pcap', 'frame.number == 2', 'rtnl.ifindex.name',
                                '_ws.col.Info'), [['', 'RTM_NEWADDR add 1: inet 10.50.0.1/32 scope global']])
        self.assertEqual(fields('analysis/interleaved.pcap', 'frame.number == 2', 'rtnl.ifindex.name',
                                '_ws.col.Info', extra=['-2']),
                         [['lo', 'RTM_NEWADDR add 1: lo inet 10.50.0.1/32 scope global']])

    def test_names_can_be_turned_off(self):
        rows = fields(SEED, 'frame.number == 9', '_ws.col.Info', extra=['-o', 'rtnl.resolve_ifnames:FALSE'])
        self.assertEqual(rows, [['RTM_NEWROUTE add 10.9.0.0/24 via 127.0.0.1 dev 1 table main proto boot']])

    def test_replies_and_notifications_are_marked(self):
        self.assertEqual(fields(SEED, 'frame.number == 8', '_ws.col.Info')[0][0][:26], 'RTM_NEWLINK reply 1: lo: <')


class Statistics(unittest.TestCase):
    def tree(self, name):
        return tshark('-r', capture(name), '-q', '-z', 'rtnl,tree').stdout

    def test_rtnl_tree(self):
        out = self.tree(SEED)
        lines = [l.rstrip() for l in out.splitlines()]

        def count(label, indent):
            for l in lines:
                if l.startswith(' ' * indent + label) and not l.startswith(' ' * (indent + 1)):
                    return int(l[len(' ' * indent + label):].split()[0])
            return None
        self.assertEqual(count('Messages by type', 0), 20)
        self.assertEqual(count('NLMSG_ERROR', 1), 6)
        self.assertEqual(count('Request outcomes', 0), 6)
        self.assertEqual(count('ESRCH (No such process)', 2), 2)
        self.assertEqual(count('Errors by errno', 0), 3)
        self.assertEqual(count('1 (lo)', 1), 4)
        self.assertIn('Interfaces named in requests', out)


class Profile(unittest.TestCase):
    """The shipped configuration profile: columns, coloring rules, buttons."""

    def test_profile_columns(self):
        import os
        import shutil
        from tshark_harness import stage
        src = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'plugin', 'profile')
        dst = os.path.join(stage(), 'home', '.config', 'wireshark', 'profiles', 'rtnl')
        if not os.path.isdir(dst):
            shutil.copytree(src, dst)
            for d, _, files in os.walk(os.path.join(stage(), 'home')):
                os.chmod(d, 0o755)
                for f in files:
                    os.chmod(os.path.join(d, f), 0o644)
        # The summary line, tab-separated (-T tabs): the profile's columns on every series
        # (from 4.4, -e _ws.col.<title> no longer names custom columns; the arrow between From and To is a column of its own).
        out = tshark('-r', capture(SEED), '-C', 'rtnl', '-T', 'tabs', '-Y', 'frame.number == 11 || frame.number == 9')
        rows = [[c.strip() for c in line.split('\t')][5:9] for line in out.stdout.splitlines()]
        self.assertEqual(rows, [['RTM_NEWROUTE', '1795486631', '0', 'lo'], ['RTM_DELROUTE', '1795483983', '0', '']])
        rows = fields(SEED, 'frame.number >= 9 && frame.number <= 12', 'frame.coloring_rule.name',
                      extra=['-C', 'rtnl', '--color', '-2'])
        self.assertEqual(rows, [['rtnl: request'], [''], ['rtnl: failed request or error reply'],
                                ['rtnl: failed request or error reply']])


    def test_filter_buttons(self):
        # every button's filter runs; the error buttons find the seed's refusals, ACKs not among them
        import csv
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'plugin', 'profile',
                            'dfilter_buttons')
        with open(path) as f:
            buttons = {row[1]: row[2] for row in csv.reader(f)}
        for label, filter_ in buttons.items():
            with self.subTest(button=label):
                tshark('-r', capture(SEED), '-2', '-Y', filter_)
        self.assertEqual(frames(SEED, buttons['Errors']), [2, 12, 20])
        self.assertEqual(frames(SEED, 'rtnl.ack'), [6, 10, 16])


class ExtendedAck(unittest.TestCase):
    CAP = 'route-extack.pcap'

    def test_extack_messages(self):
        rows = fields(self.CAP, 'rtnl.extack.msg', 'frame.number', 'rtnl.errno', 'rtnl.extack.msg')
        self.assertIn(['10', '22', 'Invalid prefix for given prefix length'], rows)
        self.assertIn(['12', '22', 'Nexthop id does not exist'], rows)
        self.assertIn(['18', '34', 'Attribute failed policy validation'], rows)

    def test_offset_points_at_the_attribute(self):
        rows = fields(self.CAP, 'rtnl.extack.target', 'frame.number', 'rtnl.extack.offs', 'rtnl.extack.target')
        self.assertIn(['18', '36', 'RTA_OIF'], rows)

    def test_info_carries_the_kernel_message(self):
        rows = fields(self.CAP, 'frame.number == 10', '_ws.col.Info')
        self.assertEqual(rows, [['NLMSG_ERROR EINVAL (Invalid argument) for RTM_NEWROUTE seq 1795486631: '
                                 '"Invalid prefix for given prefix length"']])


class Dumps(unittest.TestCase):
    def test_link_dump(self):
        names = fields('link-addr-dump.pcap', 'frame.number == 4', 'rtnl.ifla.ifname')
        self.assertEqual(names, [['lo,veth1,veth0,br0']])
        self.assertTrue(frames('link-addr-dump.pcap', 'rtnl.ifla.ifname == "veth0" && rtnl.ifla.mtu == 1500'))
        self.assertTrue(frames('link-addr-dump.pcap', 'rtnl.ifi.flags.up && rtnl.ifla.info.kind == "veth"'))

    def test_addr_dump(self):
        rows = fields('link-addr-dump.pcap', 'rtnl.ifa.local == 10.0.0.1', 'rtnl.ifa.prefixlen')
        self.assertEqual(len(rows), 1)
        self.assertIn('24', rows[0][0].split(','))
        self.assertTrue(frames('link-addr-dump.pcap', 'rtnl.addr == 127.0.0.1'))
        self.assertTrue(frames('link-addr-dump.pcap', 'rtnl.ifa.address6'))

    def test_padding_after_dump_request_is_not_malformed(self):
        self.assertEqual(frames('link-addr-dump.pcap', '_ws.expert.group == 0x07000000'), [])  # PI_MALFORMED

    def test_multipath_and_ipv6(self):
        cap = 'route-multipath-v6.pcap'
        self.assertEqual(fields(cap, 'frame.number == 5', 'rtnl.rtnh.ifindex', 'rtnl.rta.gateway', 'rtnl.oif'),
                         [['3,5', '10.1.0.2,10.2.0.2', '3,5']])
        self.assertEqual(frames(cap, 'rtnl.rta.dst6 == 2001:db8:1::/64 && rtnl.flags.request == 1'), [13])
        self.assertTrue(frames(cap, 'rtnl.addr6 == 2001:db8:a::2'))

    def test_info_names_a_veth_peer_as_ip_link_does(self):
        # IFLA_LINK comes after hundreds of statistics and devconf values.
        info = fields('link-addr-dump.pcap', 'frame.number == 7', '_ws.col.Info')
        self.assertEqual(info, [['RTM_NEWLINK reply 1: lo: <UP,LOOPBACK,RUNNING,LOWER_UP> mtu 65536 state UNKNOWN '
                                 'link 00:00:00:00:00:00 | RTM_NEWLINK reply 2: veth1@veth0: '
                                 '<UP,BROADCAST,RUNNING,MULTICAST,LOWER_UP> mtu 1500 state UP link b6:f1:8b:d3:18:2a '
                                 'type veth']])

    def test_members_of_struct_attributes_filter_in_one_pass(self):
        # Link statistics and devconf are decoded only when something names
        # them (no tree, or a filter about something else, skips them):
        # naming one in a filter or -T fields must still find every value.
        cap = 'link-addr-dump.pcap'
        self.assertEqual(frames(cap, 'rtnl.ifla.inet6.cacheinfo.reachable_time == 40268'), [4, 7])
        self.assertEqual(frames(cap, 'rtnl.ifla.inet6.conf.mtu6 == 65536 && rtnl.ifla.ifname == "lo"'), [4, 7])
        self.assertEqual(fields(cap, 'frame.number == 4', 'rtnl.ifla.inet6.conf.mtu6',
                                'rtnl.ifla.inet6.cacheinfo.reachable_time'),
                         [['65536,1500,1500,1500', '40268,24736,20480,32756']])
        # A filter on something else, then the same members in the output.
        self.assertEqual(fields(cap, 'rtnl.ifla.ifname == "br0"', 'frame.number', 'rtnl.ifla.inet6.conf.mtu6'),
                         [['4', '65536,1500,1500,1500'], ['8', '1500,1500']])

    def test_neighbours(self):
        self.assertEqual(fields('neigh.pcap', 'frame.number == 5', 'rtnl.nda.dst', 'rtnl.nda.lladdr', 'rtnl.ndm.state.permanent'),
                         [['10.0.0.2', 'aa:bb:cc:dd:ee:ff', '1']])


def _packets(path):
    with open(path, 'rb') as f:
        data = f.read()
    header, off, out = data[:24], 24, []
    while off < len(data):
        ts, tu, cl, ol = struct.unpack('<IIII', data[off:off + 16])
        out.append((data[off:off + 16], data[off + 16:off + 16 + cl]))
        off += 16 + cl
    return header, out


def _pcapng(packets):
    """A pcapng as docs/capture-metadata.md lays it out: one IDB per namespace,
    each packet (interface id, pkttype-bearing nlmon bytes, comment)."""
    def block(kind, body):
        body += b'\0' * (-len(body) % 4)
        return struct.pack('<II', kind, len(body) + 12) + body + struct.pack('<I', len(body) + 12)

    def option(code, value):
        return struct.pack('<HH', code, len(value)) + value + b'\0' * (-len(value) % 4)
    out = block(0x0a0d0d0a, struct.pack('<IHHq', 0x1a2b3c4d, 1, 0, -1) + option(0, b''))
    for name in (b'rtnl13-host', b'rtnl13-container'):
        out += block(1, struct.pack('<HHI', 253, 0, 0) + option(2, name) + option(9, b'\x09') + option(0, b''))
    for i, (iface, pkt, comment) in enumerate(packets):
        ts = 1000000 * (i + 1)
        out += block(6, struct.pack('<IIIII', iface, ts >> 32, ts & 0xffffffff, len(pkt), len(pkt)) + pkt +
                     b'\0' * (-len(pkt) % 4) + option(1, comment.encode()) + option(0, b''))
    return out


def _pcap(header, packets):
    body = b''
    for rec, pkt in packets:
        ts, tu, _, _ = struct.unpack('<IIII', rec)
        body += struct.pack('<IIII', ts, tu, len(pkt), len(pkt)) + pkt
    return header + body


class Malformed(unittest.TestCase):
    """Corrupted copies of the seed capture: shown as far as they decode."""

    def variant(self, name, mutate):
        header, pkts = _packets(capture(SEED))
        rec, pkt = pkts[10]  # frame 11, the crafted request
        pkts[10] = (rec, mutate(bytearray(pkt)))
        return new_file(name, _pcap(header, pkts))

    def run_variant(self, path, *args):
        return tshark('-r', path, *args).stdout

    def test_attribute_length_past_parent(self):
        def mutate(p):
            p[16 + 44] = 0x40  # RTA_OIF nla_len 64
            return bytes(p)
        path = self.variant('bad-attr-len.pcap', mutate)
        rows = tshark('-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'rtnl.rta.gateway',
                      '-Y', 'rtnl.expert.malformed.attr_len_past_parent').stdout.split()
        self.assertEqual(rows, ['11', '10.9.0.1'])

    def test_message_length_zero(self):
        def mutate(p):
            p[16:20] = b'\0\0\0\0'
            return bytes(p)
        path = self.variant('len-zero.pcap', mutate)
        self.assertEqual(tshark('-r', path, '-T', 'fields', '-e', 'frame.number',
                                '-Y', 'rtnl.expert.malformed.msg_len_short').stdout.split(), ['11'])

    def test_address_length_wrong_for_family(self):
        def mutate(p):
            # RTA_DST of 5 bytes: nla_len 9; it then overlaps the next attribute
            p[16 + 28] = 9
            return bytes(p)
        path = self.variant('dst-5.pcap', mutate)
        self.assertEqual(tshark('-r', path, '-T', 'fields', '-e', 'frame.number',
                                '-Y', 'rtnl.expert.malformed.addr_len').stdout.split(), ['11'])

    def test_truncated_packet(self):
        def mutate(p):
            return bytes(p[:16 + 40])
        path = self.variant('cut.pcap', mutate)
        out = tshark('-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'rtnl.rta.dst',
                     '-Y', 'rtnl.expert.malformed.msg_len_past_packet').stdout.split()
        self.assertEqual(out, ['11', '10.9.1.0'])

    def test_packet_shorter_than_the_nlmon_header(self):
        path = self.variant('tiny.pcap', lambda p: bytes(p[:10]))
        self.assertEqual(tshark('-r', path, '-T', 'fields', '-e', 'frame.number',
                                '-Y', 'rtnl.expert.malformed.packet_short').stdout.split(), ['11'])
        # the other frames of the capture are untouched
        self.assertEqual(len(tshark('-r', path, '-Y', 'rtnl.type').stdout.splitlines()), 19)

    def test_prefix_length(self):
        def mutate(p):
            p[16 + 17] = 33  # rtm_dst_len 33 for AF_INET
            return bytes(p)
        path = self.variant('plen.pcap', mutate)
        self.assertEqual(tshark('-r', path, '-T', 'fields', '-e', 'frame.number',
                                '-Y', 'rtnl.expert.malformed.prefix_len').stdout.split(), ['11'])

    def test_capture_cut_by_a_snaplen(self):
        """editcap -s 40: every frame keeps its nlmon header and 24 netlink bytes.
        Each shows the truncation as rtnl's own expert, with the header fields it
        still has, and no dissector exception (Malformed Packet / Dissector bug)."""
        with tempfile.TemporaryDirectory() as tmp:
            cut = os.path.join(tmp, 'snap40.pcap')
            subprocess.run(['editcap', '-s', '40', capture(SEED), cut], check=True, capture_output=True)
            with open(cut, 'rb') as f:
                path = new_file('snap40.pcap', f.read())
        everything = [str(n) for n in range(1, 21)]
        out = tshark('-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.cap_len', '-e', 'rtnl.seq',
                     '-Y', 'rtnl.expert.malformed.msg_len_past_packet').stdout
        rows = [line.split('\t') for line in out.splitlines()]
        self.assertEqual([r[0] for r in rows], everything)
        self.assertEqual({r[1] for r in rows}, {'40'})
        self.assertEqual(rows[10], ['11', '40', '1795483983'])  # the RTA_OIF = 0 request, cut after its rtmsg
        for extra in ((), ('-2',)):
            out = tshark('-r', path, '-V', *extra).stdout
            self.assertNotIn('Malformed Packet', out)
            self.assertNotIn('Dissector bug', out)
            self.assertEqual(out.count('[Expert Info (Error/Malformed): Message length runs past the end of the packet]'),
                             20, out[:2000])


COOKED = {'sll': 'cooked/route-oif-zero.sll.pcap', 'sll2': 'cooked/route-oif-zero.sll2.pcap'}
# Every field of the seed story: the frames, the messages, the error reply and
# its echoed request, the request-answer links and the Info line.
STORY_FIELDS = ('frame.number', 'rtnl.cooked.pkttype', 'rtnl.cooked.protocol', 'rtnl.type', 'rtnl.seq',
                'rtnl.rta.dst', 'rtnl.oif', 'rtnl.errno', 'rtnl.request_in', 'rtnl.response_in', 'rtnl.failed',
                '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Info')


class LinuxCookedCapture(unittest.TestCase):
    """tcpdump -i any shapes: the seed converted to SLL (linktype 113) and SLL2
    (276) decodes exactly as the nlmon original, error reply and tracking included."""

    def test_committed_copies_are_the_converters_output(self):
        import importlib.util
        here = os.path.dirname(os.path.abspath(__file__))
        script = os.path.join(here, '..', '..', 'captures', 'cooked', 'nlmon_to_cooked.py')
        spec = importlib.util.spec_from_file_location('nlmon_to_cooked', script)
        converter = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(converter)
        with open(capture(SEED), 'rb') as f:
            nlmon = f.read()
        for shape, name in COOKED.items():
            with open(capture(name), 'rb') as f:
                self.assertEqual(f.read(), converter.convert(nlmon, shape), name)
            (linktype,) = struct.unpack_from('<I', converter.convert(nlmon, shape), 20)
            self.assertEqual(linktype, {'sll': 113, 'sll2': 276}[shape])

    def test_seed_filter_gives_frames_11_and_12(self):
        for name in COOKED.values():
            self.assertEqual(frames(name, 'rtnl.oif == 0'), [11, 12], name)

    def test_every_frame_and_field_as_nlmon(self):
        for two_pass in ((), ('-2',)):
            nlmon = fields(SEED, '', *STORY_FIELDS, extra=two_pass)
            self.assertEqual(len(nlmon), 20)
            self.assertEqual(nlmon[11][7], '3')  # frame 12, the ESRCH reply, is rtnl's
            for name in COOKED.values():
                self.assertEqual(fields(name, '', *STORY_FIELDS, extra=two_pass), nlmon, name)

    def test_error_reply_and_tracking(self):
        for name in COOKED.values():
            rows = fields(name, 'rtnl.failed', 'frame.number', 'rtnl.failed', 'rtnl.request_in', 'rtnl.response_in',
                          extra=('-2',))
            self.assertEqual(rows, [['1', '19', '', '2'], ['2', '19', '1', ''], ['11', '3', '', '12'],
                                    ['12', '3', '11', ''], ['19', '3', '', '20'], ['20', '3', '19', '']], name)

    def test_cooked_header_fields_at_their_offsets(self):
        rows = fields(COOKED['sll2'], 'frame.number == 11', 'rtnl.cooked.pkttype', 'rtnl.cooked.hatype',
                      'rtnl.cooked.protocol', '_ws.col.Source')
        self.assertEqual(rows, [['4', '824', '0', 'user']])

    def test_other_traffic_stays_with_wiresharks_sll_dissector(self):
        ip = bytes.fromhex('4500001c00004000401100007f0000017f000001') + struct.pack('>HHHH', 1234, 53, 8, 0)
        sll = struct.pack('>HHH', 0, 772, 6) + bytes(8) + struct.pack('>H', 0x0800) + ip
        header = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 113)
        path = new_file('ip.sll.pcap', header + struct.pack('<IIII', 1, 0, len(sll), len(sll)) + sll)
        out = tshark('-r', path, '-T', 'fields', '-e', 'frame.protocols', '-e', 'udp.dstport').stdout
        self.assertEqual(out.split(), ['sll:ethertype:ip:udp', '53'])


class FieldReference(unittest.TestCase):
    """docs/fields.md is what the built plugin registers; names are unique."""

    def registered(self):
        return tshark('-G', 'fields').stdout.splitlines()

    def test_docs_fields_md_matches_the_plugin(self):
        import os
        import sys
        root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
        sys.path.insert(0, os.path.join(root, 'tools', 'docs'))
        import fields_md
        with open(os.path.join(root, 'docs', 'fields.md')) as f:
            committed = f.read()
        generated = fields_md.render(self.registered())
        self.assertTrue(generated == committed,
                        'docs/fields.md is out of date: regenerate it with '
                        '`tshark -G fields | tools/docs/fields_md.py > docs/fields.md`')
        # The README's feature table and count line are the same as the doc's.
        import re
        with open(os.path.join(root, 'README.md')) as f:
            readme = f.read()
        table = re.compile(r'\| Family \| Fields \|\n(?:\|.*\|\n)+')
        count = re.compile(r'^\d+ fields: .*$', re.M)
        self.assertEqual(table.search(readme).group(0), table.search(generated).group(0))
        self.assertEqual(count.search(readme).group(0), count.search(generated).group(0))

    def test_abbreviations_unique_and_names_non_empty(self):
        rows = [l.split('\t') for l in self.registered() if l.startswith('F\t')]
        rtnl = [r for r in rows if r[4] == 'rtnl']
        abbrevs = [r[2] for r in rtnl]
        self.assertGreater(len(abbrevs), 2000)
        self.assertEqual(len(abbrevs), len(set(abbrevs)))
        self.assertEqual([r[2] for r in rtnl if not r[1].strip()], [])
        # the docs/design.md examples exist with their types
        types = {r[2]: r[3] for r in rtnl}
        for abbrev, ftype in [('rtnl.rta.oif', 'FT_UINT32'), ('rtnl.rta.dst', 'FT_IPv4'), ('rtnl.rta.dst6', 'FT_IPv6'),
                              ('rtnl.ifla.ifname', 'FT_STRING'), ('rtnl.ifa.local', 'FT_IPv4'),
                              ('rtnl.nda.lladdr', 'FT_ETHER'), ('rtnl.rtax.mtu', 'FT_UINT32'),
                              ('rtnl.ifla.info.kind', 'FT_STRING'), ('rtnl.ifla.vxlan.id', 'FT_UINT32'),
                              ('rtnl.ifla.br.forward_delay', 'FT_UINT32'), ('rtnl.ifi.flags.up', 'FT_BOOLEAN'),
                              ('rtnl.rtm.table', 'FT_UINT8'), ('rtnl.frh.action', 'FT_UINT8'),
                              ('rtnl.tcm.handle', 'FT_UINT32'), ('rtnl.nhm.family', 'FT_UINT8'),
                              ('rtnl.errno', 'FT_UINT32'), ('rtnl.extack.msg', 'FT_STRING'),
                              ('rtnl.oif', 'FT_UINT32'), ('rtnl.ifindex', 'FT_UINT32'), ('rtnl.addr', 'FT_IPv4'),
                              ('rtnl.addr6', 'FT_IPv6'), ('rtnl.ifname', 'FT_STRING')]:
            self.assertEqual(types.get(abbrev), ftype, abbrev)


def _nest_40_deep(p):
    # RTA_OIF (8 bytes at message offset 44) replaced by unknown nests 40 deep
    inner = b''
    for _ in range(40):
        inner = struct.pack('<HH', 4 + len(inner), 0x8000 | 99) + inner
    msg = bytes(p[16:16 + 44]) + inner
    msg = struct.pack('<I', len(msg)) + msg[4:]
    return bytes(p[:16]) + msg


def _encap_type_9(p):
    i = bytes(p).find(struct.pack('<HHH', 6, 21, 2))  # RTA_ENCAP_TYPE = LWTUNNEL_ENCAP_IP
    assert i > 0
    p[i + 4] = 9
    return bytes(p)


def _set(offset, value, fmt='<B'):
    def mutate(p):
        p[offset:offset + struct.calcsize(fmt)] = struct.pack(fmt, value)
        return bytes(p)
    return mutate


MUTATIONS = {
    'cut to 10 bytes': lambda p: bytes(p[:10]),
    'nlmsg_len set to 0': _set(16, 0, '<I'),
    'cut after 40 bytes of message': lambda p: bytes(p[:16 + 40]),
    'nlmsg_len 20 and cut there': lambda p: bytes(_set(16, 20, '<I')(p)[:16 + 20]),
    'RTA_DST nla_len set to 2': _set(16 + 28, 2),
    'RTA_OIF nla_len set to 64': _set(16 + 44, 64),
    'RTA_OIF type set to 99': _set(16 + 46, 99),
    'nlmsg_type set to 52 (RTM_NEWPREFIX)': _set(16 + 4, 52, '<H'),
    'RTA_ENCAP_TYPE 2 (ip) set to 9 (ioam6)': _encap_type_9,
    'RTA_OIF replaced by unknown nests 40 deep': _nest_40_deep,
    'NLM_F_DUMP_INTR set on the dump part': _set(16 + 6, 0x12, '<H'),
}


class KubeClients(unittest.TestCase):
    """Real clients of Kubernetes network backends (captures/kube/)."""
    GO = 'kube/go-netlink.pcap'
    PYR = 'kube/pyroute2-echo.pcap'

    def links(self, cap):
        return fields(cap, '', 'frame.number', 'rtnl.request_in', 'rtnl.response_in', extra=['-2'])

    def test_legacy_dump_header_is_a_note_not_an_error(self):
        # AddrList / RouteList send a zeroed 16-byte ifinfomsg as the header of their dumps
        self.assertEqual(frames(self.GO, 'rtnl.expert.legacy_dump_header'), [8, 15])
        # warnings and errors: the ESRCH and the EEXIST only (the failed requests, the error replies)
        self.assertEqual(fields(self.GO, '_ws.expert.severity >= 0x00600000', 'frame.number', extra=['-2']),
                         [['18'], ['19'], ['31'], ['32']])
        self.assertEqual(fields(self.GO, '_ws.expert.severity >= 0x00800000', 'frame.number', extra=['-2']), [])
        self.assertEqual(frames(self.GO, 'rtnl.expert.malformed.attr_len_short || rtnl.expert.unknown_attr'), [])
        self.assertEqual(fields(self.GO, 'frame.number == 8', 'rtnl.ifa.family', 'rtnl.ifa.prefixlen',
                                '_ws.col.Info'), [['2', '0', 'RTM_GETADDR dump inet']])
        self.assertEqual(fields(self.GO, 'frame.number == 15', 'rtnl.rtm.flags', 'rtnl.attr.type'), [['0x00000000', '']])

    def test_go_requests_linked_to_exactly_their_answers(self):
        self.assertEqual(self.links(self.GO), [
            ['1', '', '2'], ['2', '1', ''], ['3', '', '6'],
            ['4', '', ''], ['5', '', ''],  # notifications (RouteSubscribe socket)
            ['6', '3', ''], ['7', '', ''], ['8', '', '10,11'], ['9', '', ''], ['10', '8', ''], ['11', '8', ''],
            ['12', '', '14'],
            ['13', '', ''],  # the RouteAdd's notification: its seq and port, on the subscribing socket
            ['14', '12', ''], ['15', '', '16,17'], ['16', '15,15,15,15', ''], ['17', '15', ''],
            ['18', '', '19'], ['19', '18', ''], ['20', '', '22'], ['21', '', ''], ['22', '20', ''],
            ['23', '', '26'], ['24', '', ''], ['25', '', ''], ['26', '23', ''], ['27', '', ''],
            ['28', '', '30'], ['29', '', ''], ['30', '28', ''], ['31', '', '32'], ['32', '31', '']])
        self.assertEqual(fields(self.GO, 'frame.number == 13 || frame.number == 21', '_ws.col.Info', extra=['-2']), [
            ['RTM_NEWROUTE notify 10.5.0.0/24 dev lo table main proto boot scope link'],
            ['RTM_DELROUTE deleted 10.5.0.0/24 dev lo table main proto boot scope link']])

    def test_linkbyname_reply_without_its_ack_is_not_unanswered(self):
        # RTM_GETLINK with NLM_F_ACK: the reply is read, the ACK never (socket closed)
        self.assertEqual(fields(self.GO, 'frame.number == 1', 'rtnl.flags.ack', 'rtnl.response_in',
                                'rtnl.unanswered', extra=['-2']), [['1', '2', '']])
        self.assertEqual(frames(self.GO, 'rtnl.unanswered'), [])
        out = tshark('-2', '-q', '-z', 'expert', '-r', capture(self.GO)).stdout
        self.assertNotIn('none is in the capture', out)

    def test_pyroute2_pid_in_requests_and_echo(self):
        # pyroute2 writes its process id in nlmsg_pid; the kernel answers to the socket's port id
        self.assertEqual(fields(self.PYR, 'frame.number <= 2', 'rtnl.pid', extra=['-2']),
                         [['14210'], ['2983186182']])
        self.assertEqual(self.links(self.PYR), [
            ['1', '', '2'], ['2', '1', ''], ['3', '', '4'], ['4', '3', ''], ['5', '', '6'], ['6', '5', ''],
            ['7', '', '8'], ['8', '7', ''],
            ['9', '', '10,12'], ['10', '9', ''],  # NLM_F_ECHO: the echo answers the request
            ['11', '', '13,15'], ['12', '9', ''], ['13', '11', ''], ['14', '', '16,17'], ['15', '11', ''],
            ['16', ','.join(['14'] * 12), ''], ['17', '14', ''],
            ['18', '', '']])  # a notification on the monitor socket
        self.assertEqual(fields(self.PYR, 'frame.number == 10', '_ws.col.Info', extra=['-2']),
                         [['RTM_NEWROUTE reply 10.9.0.0/24 via 10.7.0.2 dev lo table main proto static']])

    def test_failed_routedel_says_the_scope_differs(self):
        # Route.Scope left 0 (universe) by Kubernetes code; the route is scope link (RouteList's dump, frame 16)
        self.assertEqual(fields(self.GO, 'rtnl.expert.failure_reason', 'frame.number', extra=['-2']),
                         [['18'], ['31']])
        out = tshark('-2', '-r', capture(self.GO), '-V', '-Y', 'frame.number == 18').stdout
        self.assertIn('[no route matched: the request asks for scope universe; 10.5.0.0/24 dev lo exists with '
                      'scope link (frame 16)]', out)
        out = tshark('-2', '-r', capture(self.GO), '-V', '-Y', 'frame.number == 31').stdout
        self.assertIn('[the route exists: 10.7.0.0/24 via 10.6.0.2 dev lo (frame 29) has this prefix, table, TOS '
                      'and metric; NLM_F_REPLACE (ip route replace) would replace it]', out)
        # without a route of the capture to compare: the kernel's rule in plain words
        out = tshark('-2', '-r', capture(SEED), '-V', '-Y', 'frame.number == 11').stdout
        self.assertIn('no route matched: a delete matches the prefix and table, then type, scope (unless rtm_scope '
                      'is RT_SCOPE_NOWHERE)', out)

    def test_oif_zero_severity_follows_the_outcome(self):
        # RouteAdd with a gateway and no LinkIndex: RTA_OIF 0, accepted (28), then refused as a duplicate (31)
        self.assertEqual(fields(self.GO, 'rtnl.oif == 0', 'frame.number', extra=['-2']), [['28'], ['31'], ['32']])
        self.assertEqual(fields(self.GO, 'rtnl.expert.oif_zero_accepted', 'frame.number', extra=['-2']), [['28']])
        self.assertEqual(fields(self.GO, 'rtnl.expert.oif_zero', 'frame.number', extra=['-2']), [['31'], ['32']])
        # one pass cannot know the outcome yet: the warning
        self.assertEqual(frames(self.GO, 'rtnl.expert.oif_zero'), [28, 31, 32])

    def test_clients_names_per_namespace(self):
        # CNI ADD (bpf engine): one pcapng interface per namespace; index 2 is cni0 on the host (interface 0) and
        # eth0 in the container (interface 1), each named in its own namespace, nothing ambiguous
        cap = 'clients/cni-bridge.pcapng'
        # a frame naming several indexes lists their names in tree order on 4.0 and in the order the items
        # were added on 4.4+ (a link's own name comes last): compared as a sorted list
        rows = [[num, iface, ','.join(sorted(names.split(','))), info]
                for num, iface, names, info in fields(cap, 'frame.number in {4,12,16,27,34,38}', 'frame.number',
                                                      'frame.interface_id', 'rtnl.ifindex.name', '_ws.col.Info',
                                                      extra=['-2'])]
        self.assertEqual(rows, [
            ['4', '0', 'cni0', 'RTM_NEWLINK reply 2: cni0: <BROADCAST,MULTICAST> mtu 1500 state DOWN '
                               'link f2:76:1f:26:e9:27 type bridge'],
            # a veth's IFLA_LINK with IFLA_LINK_NETNSID is an index of the peer's namespace: not named from this one
            ['12', '1', 'eth0', 'RTM_NEWLINK reply 2: eth0@if3: <BROADCAST,MULTICAST> mtu 1500 state DOWN '
                                'link c2:6a:3e:9b:20:4b type veth'],
            ['16', '0', 'veth87236b61', 'RTM_NEWLINK reply 3: veth87236b61@if2: <BROADCAST,MULTICAST> mtu 1500 '
                                        'state DOWN link 1a:2b:8f:62:a3:08 type veth'],
            ['27', '1', 'eth0', 'RTM_NEWADDR add 2: eth0 inet 10.22.0.2/24 scope global'],
            ['34', '0', 'cni0,veth87236b61', 'RTM_NEWLINK reply 3: veth87236b61@if2: <UP,BROADCAST,RUNNING,'
                                             'MULTICAST,LOWER_UP> mtu 1500 master cni0 state UP link 1a:2b:8f:62:a3:08 '
                                             'type veth'],
            ['38', '0', 'cni0', 'RTM_NEWADDR add 2: cni0 inet 10.22.0.1/24 scope global']])
        self.assertEqual(frames(cap, 'rtnl.expert.ifname_ambiguous'), [])

    def test_clients_names_own_name_wins_and_ambiguity_is_shown(self):
        # the same CNI ADD recorded with the strace engine: one interface, no namespace, so nothing tells the
        # namespaces apart: a link message names its own index, others show both names with a note
        cap = 'clients/cni-bridge-one-interface.pcapng'
        self.assertEqual(fields(cap, 'frame.number in {4,12,27}', 'frame.number', 'rtnl.ifi.index',
                                'rtnl.ifindex.name', 'rtnl.expert.ifname_ambiguous', extra=['-2']), [
            ['4', '2', 'cni0', ''], ['12', '2', 'eth0', ''], ['27', '', 'cni0,eth0', '1']])
        self.assertEqual(fields(cap, 'frame.number == 27', '_ws.col.Info', extra=['-2']),
                         [['RTM_NEWADDR add 2: cni0|eth0 inet 10.22.0.2/24 scope global']])
        self.assertEqual(frames(cap, 'rtnl.expert.ifname_ambiguous && rtnl.ifi.index == 2 && rtnl.type == 16 '
                                     '&& rtnl.flags.request == 0'), [])

    def test_clients_links_and_diagnosis(self):
        sub = 'clients/go-route-subscribe.pcapng'
        self.assertEqual(fields(sub, '', 'frame.number', 'rtnl.request_in', 'rtnl.response_in', extra=['-2']), [
            ['1', '', '2'], ['2', '1', ''], ['3', '', '4'], ['4', '3', ''], ['5', '', '6'], ['6', '5', ''],
            ['7', '', ''], ['8', '', '']])  # 7 and 8: the subscription socket's notifications (seq and port of 3, 5)
        self.assertEqual(fields('clients/go-link-by-name.pcapng', '', 'rtnl.unanswered', extra=['-2']), [[''], ['']])
        out = tshark('-2', '-q', '-z', 'expert', '-r', capture('clients/go-route-del.pcapng')).stdout
        self.assertIn('no route matched: the request asks for scope universe; 10.32.0.0/24 dev veth0 exists with '
                      'scope link (frame 8)', out)
        for cap in ('cni-bridge', 'cni-bridge-one-interface', 'go-link-addr', 'go-route-del', 'go-route-subscribe', 'go-link-by-name',
                    'pyroute2-echo', 'pyroute2-iproute'):
            with self.subTest(capture=cap):  # no Error-severity expert anywhere
                self.assertEqual(fields('clients/%s.pcapng' % cap, '_ws.expert.severity >= 0x00800000',
                                        'frame.number', extra=['-2']), [])

    def test_metadata_socket_and_namespace(self):
        # pyroute2-echo frames 9 (RTM_NEWROUTE with NLM_F_ECHO), 10 (its echo), 12 (ACK), 1-2 (GETLINK lo, reply);
        # a copy of the echo arrives first on a monitor socket (port 999); the same reply names index 1 "xx" in a
        # second namespace
        _, pkts = _packets(capture(self.PYR))
        p = {n: pkts[n - 1][1] for n in (1, 2, 9, 10, 12)}
        port = struct.unpack('<I', p[10][16 + 12:16 + 16])[0]
        other = bytearray(p[2])
        at = bytes(other).index(b'lo\0')
        other[at:at + 2] = b'xx'
        c = lambda sock: 'pid 14210 tid 14210 (python3) recvmsg fd 3 port %d netns 4026532000' % sock
        path = new_file('metadata.pcapng', _pcapng([
            (0, p[1], c(port).replace('recvmsg', 'sendmsg')), (0, p[2], c(port)),   # 1, 2: lo in namespace 0
            (1, bytes(other), c(port)),                                             # 3: index 1 "xx" in namespace 1
            (0, p[9], c(port).replace('recvmsg', 'sendmsg')),                       # 4: the request
            (0, p[10], c(999)),                                                     # 5: the monitor's copy
            (0, p[10], c(port)), (0, p[12], c(port))]))                             # 6, 7: echo, ACK
        out = tshark('-2', '-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'rtnl.request_in',
                     '-e', 'rtnl.response_in', '-e', 'rtnl.ifindex.name').stdout.splitlines()
        self.assertEqual([l.split('\t') for l in out], [
            ['1', '', '2', ''], ['2', '1', '', 'lo'], ['3', '', '', 'xx'], ['4', '', '6,7', ''],
            ['5', '', '', 'lo'], ['6', '4', '', 'lo'], ['7', '4', '', '']])

    def test_one_pass_and_two_give_the_same_answer_where_the_data_allows(self):
        # docs/design.md, "One pass and two": a single pass cannot know what comes later in the capture: a
        # request's answers (rtnl.response_in, and the experts that need the outcome: the failure, its
        # diagnosis, the severity of RTA_OIF 0) and names learnt from later link messages. Everything else is
        # the same, frame by frame.
        names_later = {  # (capture, frame): (names in one pass, in two)
            ('clients/cni-bridge-one-interface.pcapng', 7): ('cni0', 'cni0^eth0'),  # eth0: frame 12, no netns info
            ('clients/go-link-addr.pcapng', 10): ('veth0', 'veth0^veth1'),  # the veth's peer index 3: frame 16
            ('clients/go-link-addr.pcapng', 12): ('veth0', 'veth0^veth1'),
        }
        ambiguous_later = {('clients/cni-bridge-one-interface.pcapng', 7):
                           ['Interface index 2 has more than one name in this capture: cni0|eth0']}
        oif = ('Output interface index 0: no interface has index 0; the kernel reads it as no interface given (a '
               'new route then needs a gateway, a delete matches any interface)')
        severity_later = {('kube/go-netlink.pcap', 28): (
            [oif], ['Output interface index 0 in a request the kernel accepted: it read RTA_OIF 0 as no interface '
                    'given'])}
        caps = ['clients/%s.pcapng' % c for c in ('cni-bridge', 'cni-bridge-one-interface', 'go-link-addr',
                                                    'go-link-by-name', 'go-route-del', 'go-route-subscribe',
                                                    'pyroute2-echo', 'pyroute2-iproute')]
        caps += ['kube/go-netlink.pcap', 'kube/pyroute2-echo.pcap']
        seen = set()
        for cap in caps:
            runs = [fields(cap, '', 'frame.number', 'rtnl.ifindex.name', 'rtnl.request_in', 'rtnl.response_in',
                           '_ws.expert.message', extra=['-E', 'occurrence=a', '-E', 'aggregator=^'] + passes)
                    for passes in ([], ['-2'])]
            self.assertEqual(len(runs[0]), len(runs[1]))
            for one, two in zip(*runs):
                key = (cap, int(one[0]))
                with self.subTest(capture=cap, frame=one[0]):
                    self.assertEqual(one[2], two[2])  # rtnl.request_in: an answer knows its request at once
                    self.assertEqual(one[3], '')      # a request's answers: only with -2
                    n1, n2 = ('^'.join(sorted(n.split('^'))) if n else '' for n in (one[1], two[1]))
                    if key in names_later:
                        seen.add(key)
                        self.assertEqual((n1, n2), names_later[key])
                    else:
                        self.assertEqual(n1, n2)
                    e1 = one[4].split('^') if one[4] else []
                    e2 = two[4].split('^') if two[4] else []
                    removed = [e for e in e1 if e not in e2]
                    added = [e for e in e2 if e not in e1]
                    if key in severity_later:
                        seen.add(key)
                        self.assertEqual((removed, added), severity_later[key])
                    elif key in ambiguous_later:
                        self.assertEqual((removed, added), ([], ambiguous_later[key]))
                    elif added:  # a request whose answer is an error: the failure and its diagnosis
                        self.assertEqual(removed, [])
                        self.assertNotEqual(two[3], '')
                        self.assertTrue(added[0].startswith('Request failed: '), added)
                        self.assertLessEqual(len(added), 2)
                    else:
                        self.assertEqual(removed, [])
        self.assertEqual(seen, set(names_later) | set(severity_later))

    CLIENT_CAPTURES = ['clients/%s.pcapng' % c for c in (
        'cni-bridge', 'cni-bridge-one-interface', 'go-link-addr', 'go-link-by-name', 'go-route-del',
        'go-route-subscribe', 'pyroute2-echo', 'pyroute2-iproute')] + ['kube/go-netlink.pcap', 'kube/pyroute2-echo.pcap']

    def rows(self, cap, *names):
        out = fields(cap, '', *names, extra=['-2', '-E', 'occurrence=a', '-E', 'aggregator=^'])
        return [{n: (v.split('^') if v else []) for n, v in zip(names, row)} for row in out]

    def test_every_request_linked_to_exactly_its_answers_on_its_socket(self):
        # issue 13's Done-when on every client capture: each answer names one request, sent before it, with its
        # sequence number and (pcapng comments) on its socket, and that request lists it; every request is answered
        for cap in self.CLIENT_CAPTURES:
            rows = self.rows(cap, 'frame.number', 'rtnl.cooked.pkttype', 'rtnl.seq', 'rtnl.request_in',
                             'rtnl.response_in', 'frame.comment')
            by = {int(r['frame.number'][0]): r for r in rows}
            port = lambda r: re.findall(r' port (\d+)', ' '.join(r['frame.comment']))
            answers = 0
            for r in rows:
                with self.subTest(capture=cap, frame=r['frame.number'][0]):
                    if r['rtnl.cooked.pkttype'] == ['4']:
                        self.assertNotEqual(r['rtnl.response_in'], [])
                        for a in r['rtnl.response_in']:
                            self.assertIn(r['frame.number'][0], by[int(a)]['rtnl.request_in'])
                    requests = set(r['rtnl.request_in'])
                    if not requests:
                        continue
                    answers += 1
                    self.assertEqual(len(requests), 1)
                    req = by[int(requests.pop())]
                    self.assertEqual(req['rtnl.cooked.pkttype'], ['4'])
                    self.assertEqual(r['rtnl.seq'][0], req['rtnl.seq'][0])
                    self.assertEqual(port(r), port(req))  # a notification on another socket is never linked
                    self.assertIn(r['frame.number'][0], req['rtnl.response_in'])
            self.assertGreater(answers, 0)

    def test_every_index_named_as_in_its_own_namespace_or_ambiguous(self):
        # the names the kernel's own link messages give each index, per namespace (pcapng interface): every frame
        # names its indexes with exactly those of its namespace (an IFLA_LINK with IFLA_LINK_NETNSID is an index of
        # another namespace: not named). Without namespace information (the strace engine's capture) a link
        # message names its own index by its own name, other messages show both names with the ambiguity note.
        for cap in self.CLIENT_CAPTURES[:8]:
            rows = self.rows(cap, 'frame.number', 'frame.interface_id', 'rtnl.cooked.pkttype', 'rtnl.type',
                             'rtnl.ifi.index', 'rtnl.ifla.ifname', 'rtnl.ifindex', 'rtnl.ifindex.name',
                             'rtnl.ifla.link', 'rtnl.ifla.link_netnsid', 'rtnl.expert.ifname_ambiguous',
                             'rtnl.echoed')
            own = lambda r: r['rtnl.cooked.pkttype'] != ['4'] and set(r['rtnl.type']) == {'16'} and not r['rtnl.echoed']
            truth = {}
            for r in rows:
                if own(r):
                    for i, n in zip(r['rtnl.ifi.index'], r['rtnl.ifla.ifname']):
                        truth.setdefault((r['frame.interface_id'][0], i), set()).add(n)
            for r in rows:
                with self.subTest(capture=cap, frame=r['frame.number'][0]):
                    ns = r['frame.interface_id'][0]
                    indexes = list(r['rtnl.ifindex'])
                    if r['rtnl.ifla.link_netnsid']:
                        for l in r['rtnl.ifla.link']:
                            indexes.remove(l)
                    expected = set()
                    if own(r):  # its own index by its own name
                        expected = set(r['rtnl.ifla.ifname'])
                        indexes = [i for i in indexes if i not in r['rtnl.ifi.index']]
                    expected |= set().union(*(truth.get((ns, i), set()) for i in indexes))
                    self.assertEqual(set(r['rtnl.ifindex.name']), expected)
                    ambiguous = any(len(truth.get((ns, i), ())) > 1 for i in indexes)
                    self.assertEqual(bool(r['rtnl.expert.ifname_ambiguous']), ambiguous)
            if cap.endswith('one-interface.pcapng'):
                self.assertEqual(truth[('0', '2')], {'cni0', 'eth0'})
            if cap == 'clients/cni-bridge.pcapng':
                self.assertEqual((truth[('0', '2')], truth[('1', '2')]), ({'cni0'}, {'eth0'}))

    def test_tracking_experts_in_expert_summary(self):
        # -2 -q -z expert builds no tree: the tracking experts still count, one line per kind
        out = tshark('-2', '-q', '-z', 'expert', '-r', capture(self.GO)).stdout
        self.assertRegex(out, r'\n +1 +Response +rtnl +Request failed: ESRCH \(No such process\)\n')
        out = tshark('-2', '-q', '-z', 'expert', '-r', capture('analysis/experts.pcap')).stdout
        self.assertIn('Request asked for an answer (NLM_F_ACK or a GET) and none is in the capture', out)
        self.assertIn('Interface index 77 is not among the links', out)


class EveryCapture(unittest.TestCase):
    """Every capture of captures/ (pcap, pcapng, the cooked copies) through the plugin, both passes."""
    # frames made malformed on purpose (captures/README.md), the only Error-severity experts
    CRAFTED = {'analysis/experts.pcap': [30, 31, 32, 33, 34], 'route-extack.pcap': [17, 18]}

    def test_no_error_expert_and_nothing_unknown_outside_the_crafted_frames(self):
        root = os.path.join(tshark_harness.stage(), 'captures')
        caps = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files
                      if f.endswith(('.pcap', '.pcapng')))
        self.assertIn('clients/cni-bridge.pcapng', caps)
        self.assertIn('kube/go-netlink.pcap', caps)
        self.assertIn('cooked/route-oif-zero.sll2.pcap', caps)
        for cap in caps:
            with self.subTest(capture=cap):
                rows = fields(cap, '_ws.expert.severity >= 0x00800000 || rtnl.expert.unknown_attr || '
                                   'rtnl.expert.unknown_kind || rtnl.expert.unknown_msg_type', 'frame.number',
                              extra=['-2'])
                self.assertEqual([int(r[0]) for r in rows], self.CRAFTED.get(cap, []))


class InfoWording(unittest.TestCase):
    """Info lines in the words an iproute2 user expects (docs/rtnl-decode.md, "The summary line")."""
    CNI = 'clients/cni-bridge.pcapng'

    def info(self, cap, numbers, *extra):
        return fields(cap, 'frame.number in {%s}' % ','.join(map(str, numbers)), 'frame.number',
                      'rtnl.flags.create', '_ws.col.Info', extra=list(extra))

    def test_newlink_without_create_is_a_set_and_links_carry_names_and_kind(self):
        # CNI bridge: ip link add cni0 type bridge (CREATE), ip link set cni0 up (no CREATE, index only),
        # veth with its peer, ip link set veth... master cni0 (RTM_SETLINK), ip link del (index only)
        self.assertEqual(self.info(self.CNI, [1, 7, 9, 17, 21, 29, 59], '-2'), [
            ['1', '1', 'RTM_NEWLINK add cni0: type bridge'],
            ['7', '0', 'RTM_NEWLINK set 2: cni0: <UP>'],
            ['9', '1', 'RTM_NEWLINK add eth0: type veth peer veth87236b61'],
            ['17', '0', 'RTM_NEWLINK set 3: veth87236b61: <UP>'],
            ['21', '0', 'RTM_SETLINK set 3: veth87236b61: master cni0'],
            ['29', '0', 'RTM_NEWLINK set 2: eth0: <UP>'],  # index 2 of the container's namespace
            ['59', '', 'RTM_DELLINK del 2: eth0']])
        # one pass: index 3 is known from the reply of frame 16 already
        self.assertEqual(self.info(self.CNI, [17]), [['17', '0', 'RTM_NEWLINK set 3: veth87236b61: <UP>']])
        self.assertEqual(self.info(self.CNI, [4], '-2'), [
            ['4', '', 'RTM_NEWLINK reply 2: cni0: <BROADCAST,MULTICAST> mtu 1500 state DOWN link f2:76:1f:26:e9:27 '
                      'type bridge']])

    def test_nexthop_notifications_are_notifications(self):
        # the kernel copies the request's flags (NLM_F_REQUEST too) into nexthop notifications: the direction
        # says they come from the kernel, so ip monitor's words, not the request's verb
        cap = 'families/monitor.pcap'
        for extra in ([], ['-2']):
            with self.subTest(passes=extra):
                self.assertEqual(fields(cap, 'frame.number in {86,170}', 'frame.number', 'rtnl.flags.request',
                                        'rtnl.cooked.pkttype', '_ws.col.Info', extra=extra), [
                    ['86', '1', '0', 'RTM_NEWNEXTHOP notify id 1 via 10.0.0.2 dev veth0'],
                    ['170', '1', '0', 'RTM_DELNEXTHOP deleted id 10 group']])

    def test_scope_names_as_iproute2_prints_them(self):
        # Info says ip's "scope global"; the field keeps the kernel's name for rtm_scope/ifa_scope 0
        self.assertEqual(fields(self.CNI, 'frame.number == 27', 'rtnl.ifa.scope', '_ws.col.Info'),
                         [['0', 'RTM_NEWADDR add 2: eth0 inet 10.22.0.2/24 scope global']])
        out = tshark('-r', capture(self.CNI), '-V', '-Y', 'frame.number == 27').stdout
        self.assertIn('Scope: RT_SCOPE_UNIVERSE (0)', out)

    def test_mdb_router_ports(self):
        # bridge -d mdb show with veth1 (index 2) and veth3 (4) set to mcast_router 2, then veth3 set back to 0:
        # each MDBA_ROUTER_PORT is the port's ifindex with no attribute header of its own, then its
        # MDBA_ROUTER_PATTR_* attributes; the kernel's dump is decoded without an error expert
        cap = 'families/mdb-router.pcap'
        two = ['4,2', '2,2', 'br0,veth3,veth1']
        self.assertEqual(fields(cap, 'rtnl.mdba.router', 'frame.number', 'rtnl.mdba.router.port.ifindex',
                                'rtnl.mdba.router.pattr.type', 'rtnl.ifname'),
                         [[n] + two for n in ('66', '69', '77', '80')] + [[n, '2', '2', 'br0,veth1'] for n in ('95', '98')])
        self.assertEqual(frames(cap, 'rtnl.mdba.router && _ws.expert.severity >= 0x00600000'), [])
        out = tshark('-r', capture(cap), '-V', '-Y', 'frame.number == 66').stdout
        self.assertIn('Router port: 4 (veth3)', out)
        self.assertIn('Router type (MDBA_ROUTER_PATTR_TYPE): MDB_RTR_TYPE_PERM (2)', out)

    def test_route_get_fibmatch(self):
        # ip route get fibmatch 10.27.0.1: RTM_F_FIB_MATCH; RTM_F_LOOKUP_TABLE, on every ip route get, says nothing
        cap = 'families/route-encap.pcap'
        self.assertEqual(fields(cap, 'frame.number in {120,128}', 'rtnl.rtm.flags', '_ws.col.Info'), [
            ['0x00001000', 'RTM_GETROUTE get 10.20.0.1'], ['0x00003000', 'RTM_GETROUTE get 10.27.0.1 fibmatch']])

    def test_rates_and_times_with_units(self):
        # tc class add ... htb rate 100mbit: the kernel keeps bytes per second; the label says it as tc does
        cap = 'families/tc-qdisc-class-filter.pcap'
        out = tshark('-r', capture(cap), '-V').stdout
        self.assertIn('Rate: 100Mbit (12500000 bytes/s)', out)
        self.assertIn('Rate: 30Mbit (3750000 bytes/s)', out)
        self.assertEqual(fields(cap, 'rtnl.tca.htb.parms.rate.rate == 12500000', 'rtnl.tca.htb.parms.rate.rate')[0],
                         ['12500000'])
        out = tshark('-r', capture('families/neigh-ntable.pcap'), '-V').stdout
        self.assertIn('Base reachable time (NDTPA_BASE_REACHABLE_TIME): 30000 ms', out)
        self.assertIn('Gc interval (NDTA_GC_INTERVAL): 30000 ms', out)

    def test_errno_means_an_error_ack_has_its_own_field(self):
        # the manual's example (docs/rtnl-record.md): a process's error replies, not its ACKs
        cap = 'clients/go-route-del.pcapng'
        self.assertEqual(frames(cap, 'frame.comment contains "pid 30318 " && rtnl.errno'), [11])
        self.assertEqual(frames(cap, 'frame.comment contains "pid 30318 " && rtnl.ack'), [4, 6, 13])
        # the raw nlmsgerr.error stays under rtnl.error; a dump's NLMSG_DONE with status 0 (9) is neither
        self.assertEqual(fields(cap, 'rtnl.error', 'frame.number', 'rtnl.error', 'rtnl.errno', 'rtnl.ack'), [
            ['4', '0', '', '1'], ['6', '0', '', '1'], ['9', '0', '', ''], ['11', '-3', '3', ''], ['13', '0', '', '1']])


class Experts(unittest.TestCase):
    """Every entry of docs/expert.md shows on its example."""

    @classmethod
    def setUpClass(cls):
        import os
        import sys
        root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
        sys.path.insert(0, os.path.join(root, 'tools', 'docs'))
        import expert_examples
        import expert_md
        cls.examples = expert_examples.EXAMPLES
        cls.render = staticmethod(expert_md.render)
        cls.root = root

    def example_frames(self, name):
        cap, frame, two_pass, mutation, _ = self.examples[name]
        path = capture(cap)
        if frame is None:  # the first frame the mutation applies to
            frame = frames(cap, 'rtnl.rta.encap_type == 2 && rtnl.flags.request == 1')[0]
        if mutation:
            header, pkts = _packets(path)
            rec, pkt = pkts[frame - 1]
            pkts[frame - 1] = (rec, MUTATIONS[mutation](bytearray(pkt)))
            path = new_file('expert-%s.pcap' % name, _pcap(header, pkts))
        args = ['-r', path, '-T', 'fields', '-e', 'frame.number', '-Y', 'rtnl.expert.' + name]
        if two_pass:
            args.insert(0, '-2')
        return frame, [int(x) for x in tshark(*args).stdout.split()]

    def test_every_example(self):
        for name in self.examples:
            with self.subTest(expert=name):
                frame, found = self.example_frames(name)
                self.assertIn(frame, found)

    def test_docs_expert_md_matches_the_catalogue(self):
        import os
        import subprocess
        decode = os.environ['RTNL_DECODE']
        catalogue = subprocess.run([decode, '--list-problems'], capture_output=True, text=True,
                                   check=True).stdout.splitlines()
        self.assertEqual({l.split('\t')[0][len('rtnl.expert.'):] for l in catalogue}, set(self.examples))
        with open(os.path.join(self.root, 'docs', 'expert.md')) as f:
            self.assertTrue(f.read() == self.render(catalogue),
                            'docs/expert.md is out of date: rtnl-decode --list-problems | '
                            'tools/docs/expert_md.py > docs/expert.md')

    def test_every_expert_is_registered(self):
        names = {l.split('\t')[2] for l in tshark('-G', 'fields').stdout.splitlines()
                 if l.startswith('F\t') and l.split('\t')[2].startswith('rtnl.expert.')}
        self.assertEqual(names, {'rtnl.expert.' + n for n in self.examples})


class Kinds(unittest.TestCase):
    """Bridge VLAN database, port kinds, multicast and anycast addresses (captures/kinds/)."""
    VLAN = 'kinds/bridge-vlan.pcapng'
    MCAST = 'kinds/mcast-acast.pcapng'
    UNDECODED = ('rtnl.expert.unknown_attr || rtnl.expert.unknown_kind || rtnl.expert.unknown_msg_type '
                 '|| rtnl.attr.data || _ws.expert.severity >= 0x00800000')

    def info(self, cap, numbers):
        filter_ = ' || '.join('frame.number == %d' % n for n in numbers)
        return [r[0] for r in fields(cap, filter_, '_ws.col.Info', extra=['-2'])]

    def test_nothing_unknown(self):
        for cap in (self.VLAN, self.MCAST):
            with self.subTest(capture=cap):
                self.assertEqual(frames(cap, self.UNDECODED), [])
                self.assertEqual(len(frames(cap, '')), {self.VLAN: 58, self.MCAST: 65}[cap])

    def test_vlan_entry_request(self):
        self.assertEqual(fields(self.VLAN, 'frame.number == 11', 'rtnl.type', 'rtnl.bvm.family', 'rtnl.bvm.ifindex',
                                'rtnl.bridge.vlandb.entry.info.vid', 'rtnl.bridge.vlandb.entry.info.flags.only_opts',
                                'rtnl.bridge.vlandb.entry.range', 'rtnl.bridge.vlandb.entry.state',
                                'rtnl.bridge.vlandb.entry.mcast_router'),
                         [['112', '7', '4', '20', '1', '30', '4', '2']])
        self.assertEqual(frames(self.VLAN, 'rtnl.bridge.vlandb.entry.state == 3'), [5, 6])  # and in the echo
        self.assertEqual(frames(self.VLAN, 'rtnl.ifla.brport.state == 3 && rtnl.flags.request == 1'), [41])

    def test_vlan_global_options_and_dumps(self):
        self.assertEqual(fields(self.VLAN, 'frame.number == 17', 'rtnl.bridge.vlandb.gopts.id',
                                'rtnl.bridge.vlandb.gopts.mcast_snooping', 'rtnl.bridge.vlandb.gopts.mcast_igmp_version',
                                'rtnl.bridge.vlandb.gopts.mcast_query_intvl', 'rtnl.bridge.vlandb.gopts.msti'),
                         [['10', '1', '3', '12500', '']])  # iproute2 6.1 takes `msti 3` and sends no MSTI
        # the requests and their echoes in the error replies
        self.assertEqual(fields(self.VLAN, 'rtnl.type == 114', 'frame.number', 'rtnl.bridge.vlandb.dump.flags',
                                'rtnl.bridge.vlandb.dump.flags.stats', 'rtnl.bridge.vlandb.dump.flags.global'),
                         [['23', '0x00000000', '0', '0'], ['24', '0x00000000', '0', '0'],
                          ['29', '0x00000001', '1', '0'], ['30', '0x00000001', '1', '0'],
                          ['35', '0x00000002', '0', '1'], ['36', '0x00000002', '0', '1']])

    def test_vlan_info_lines_and_the_missing_kernel_feature(self):
        self.assertEqual(self.info(self.VLAN, [5, 11, 17, 23, 29, 35]), [
            'RTM_NEWVLAN add vlan 10 dev veth0 only_opts state forwarding',
            'RTM_NEWVLAN add vlan 20-30 dev veth0 only_opts state blocking mcast_router perm',
            'RTM_NEWVLAN add vlan 10 dev br0 global',
            'RTM_GETVLAN dump',
            'RTM_GETVLAN dump stats',
            'RTM_GETVLAN dump global'])
        # and iproute2's ifindex-0 probes (ENODEV) and the bond_slave request (EOPNOTSUPP)
        self.assertEqual(fields(self.VLAN, 'rtnl.expert.failure_reason', 'frame.number', extra=['-2']),
                         [['5'], ['11'], ['17'], ['23'], ['29'], ['35'], ['37'], ['43'], ['53'], ['57']])
        out = tshark('-2', '-r', capture(self.VLAN), '-V', '-Y', 'frame.number == 5').stdout
        self.assertIn('this kernel has no bridge VLAN database: RTM_NEWVLAN/DELVLAN/GETVLAN are handled only by '
                      'a bridge built with CONFIG_BRIDGE_VLAN_FILTERING', out)

    def test_port_kind_in_requests_and_replies(self):
        self.assertEqual(fields(self.VLAN, 'frame.number == 41', 'rtnl.ifla.info.kind', 'rtnl.ifla.brport.cost',
                                'rtnl.ifla.brport.priority', 'rtnl.ifla.brport.learning', 'rtnl.ifla.brport.state'),
                         [['bridge_slave', '5', '7', '0', '3']])
        self.assertEqual(fields(self.VLAN, 'frame.number == 46', 'rtnl.ifla.info.kind', 'rtnl.ifla.info.slave_kind',
                                'rtnl.ifla.brport.cost', 'rtnl.ifla.brport.learning'),
                         [['veth', 'bridge', '5', '0']])
        self.assertEqual(fields(self.VLAN, 'rtnl.ifla.bond.slave.queue_id', 'frame.number', 'rtnl.ifla.info.kind',
                                'rtnl.ifla.bond.slave.queue_id', 'rtnl.errno'),
                         [['57', 'bond_slave', '2', ''], ['58', 'bond_slave', '2', '95']])

    def test_multicast_and_anycast_notifications(self):
        self.assertEqual(self.info(self.MCAST, [23, 27, 28, 34, 59, 60]), [
            'RTM_NEWMULTICAST notify inet mcast 224.0.0.1 dev veth0',
            'RTM_NEWMULTICAST notify inet mcast 239.1.2.3 dev veth0',
            'RTM_NEWMULTICAST notify inet6 mcast ff05::4242 dev veth0',
            'RTM_NEWANYCAST notify inet6 anycast 2001:db8:40:: dev veth0',
            'RTM_DELANYCAST deleted inet6 anycast 2001:db8:40:: dev veth0',
            'RTM_DELMULTICAST deleted inet mcast 239.1.2.3 dev veth0'])
        self.assertEqual(frames(self.MCAST, 'rtnl.ifa.multicast6 == ff05::4242'), [28, 36, 62])
        self.assertEqual(frames(self.MCAST, 'rtnl.addr == 239.1.2.3 && rtnl.type == 56'), [27])
        self.assertEqual(frames(self.MCAST, 'rtnl.ifa.anycast6 == 2001:db8:40::'), [34, 40, 59])
        # notifications: answers to no request
        notes = frames(self.MCAST, '(rtnl.type == 56 || rtnl.type == 57 || rtnl.type == 60 || rtnl.type == 61)')
        self.assertEqual(notes, list(range(23, 35)) + list(range(55, 66)))
        linked = fields(self.MCAST, 'rtnl.request_in && (rtnl.type == 56 || rtnl.type == 57 || rtnl.type == 60 '
                        '|| rtnl.type == 61)', 'frame.number', extra=['-2'])
        self.assertEqual(linked, [])

    def test_multicast_and_anycast_dumps(self):
        self.assertEqual(fields(self.MCAST, 'frame.number >= 35 && frame.number <= 40', 'frame.number',
                                'rtnl.request_in', 'rtnl.response_in', extra=['-2']),
                         [['35', '', '36'], ['36', ','.join(['35'] * 16), ''], ['37', '', '38'],
                          ['38', '37,37,37,37,37', ''], ['39', '', '40'], ['40', '39,39', '']])
        self.assertEqual(self.info(self.MCAST, [35, 37, 39, 40]), [
            'RTM_GETMULTICAST dump inet6', 'RTM_GETMULTICAST dump inet', 'RTM_GETANYCAST dump inet6',
            'RTM_GETANYCAST reply inet6 anycast 2001:db8:40:: dev veth0 | NLMSG_DONE'])
        self.assertEqual(fields(self.MCAST, 'frame.number == 38', 'rtnl.ifa.multicast'),
                         [['224.0.0.1,224.0.0.1,239.1.2.3,224.0.0.1']])


class OtherFamilies(unittest.TestCase):
    def test_other_netlink_families_go_to_wiresharks_dissector(self):
        header, pkts = _packets(capture(SEED))
        rec, pkt = pkts[0]
        other = bytearray(pkt)
        other[14:16] = b'\x00\x10'  # NETLINK_GENERIC
        path = new_file('generic.pcap', _pcap(header, [(rec, bytes(other))]))
        out = tshark('-r', path, '-T', 'fields', '-e', '_ws.col.Protocol', '-e', 'rtnl.type').stdout
        self.assertNotIn('rtnl', out)
        self.assertTrue(out.strip())


# Frame numbers and each frame's highest expert severity as columns: a plain
# read with these prints them without building a tree (-T fields would build
# a visible one on Wireshark 4.0, where nothing is skipped).
NUMBER_AND_EXPERT = 'gui.column.format:"No.","%m","Expert","%a"'


class UnseenNests(unittest.TestCase):
    """A run that shows no tree skips the nests nothing reads (link statistics,
    IFLA_AF_SPEC, link-info, multipath); everything a filter, a column or the
    expert statistics can see inside one is still there, in one pass and in two."""

    EXPERTS = 'analysis/experts.pcap'
    NEXTHOPS = [25, 27]  # RTM_NEWROUTEs whose only expert is inside RTA_MULTIPATH (a nexthop with ifindex 0)

    def numbers(self, cap, filter_, *extra):
        out = tshark('-r', capture(cap), '-o', 'gui.column.format:"No.","%m"', '-Y', filter_, *extra).stdout
        return [int(x) for x in out.split()]

    def test_filters_on_fields_inside_nests(self):
        for extra in ((), ('-2',)):
            with self.subTest(passes=extra):
                self.assertEqual(self.numbers('link-addr-dump.pcap', 'rtnl.ifla.info.kind == "veth"', *extra), [4, 7, 8])
                self.assertEqual(self.numbers('link-addr-dump.pcap', 'rtnl.ifla.inet6.conf.disable_ipv6 == 0',
                                              *extra), [4, 7, 8])
                self.assertEqual(self.numbers(self.EXPERTS, 'rtnl.rta.gateway == 10.0.0.2 && rtnl.rta.multipath',
                                              *extra), self.NEXTHOPS)
                # the hidden twin of a nexthop's interface
                self.assertEqual(self.numbers(self.EXPERTS, 'rtnl.oif == 0', *extra), [23, 24] + self.NEXTHOPS)
                # inside an indexed array's entries (a filter's TCA_*_ACT): the entries have no row of their own
                self.assertEqual(self.numbers('families/tc-actions.pcap', 'rtnl.tca.act.kind == "mirred"', *extra),
                                 [6, 13, 20, 34, 41, 43, 44, 52, 53, 61, 62, 65, 66, 75, 84, 93, 95])

    def test_filters_on_experts_inside_nests(self):
        for extra in ((), ('-2',)):
            with self.subTest(passes=extra):
                self.assertEqual(self.numbers(self.EXPERTS, 'rtnl.expert.nexthop_oif_zero', *extra), self.NEXTHOPS)
                self.assertEqual(self.numbers(self.EXPERTS, '_ws.expert.severity == note && rtnl.rta.multipath',
                                              *extra), self.NEXTHOPS)

    def test_expert_statistics_count_experts_inside_nests(self):
        for extra in ((), ('-2',)):
            with self.subTest(passes=extra):
                out = tshark('-r', capture(self.EXPERTS), '-q', '-z', 'expert,note', *extra).stdout
                lines = [l for l in out.splitlines() if 'Multipath nexthop without an interface' in l]
                self.assertEqual(len(lines), 1, out)
                self.assertEqual(lines[0].split()[0], '2', lines[0])

    def test_expert_column_sees_experts_inside_nests(self):
        rows = dict(line.split(None, 1) for line in
                    tshark('-r', capture(self.EXPERTS), '-o', NUMBER_AND_EXPERT).stdout.splitlines() if ' ' in line.strip())
        for frame in self.NEXTHOPS:
            self.assertEqual(rows[str(frame)].strip(), 'Note')


if __name__ == '__main__':
    unittest.main()
