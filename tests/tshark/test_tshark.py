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
        self.assertEqual(frames(SEED, 'rtnl.errno == 0'), [6, 10, 16])
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
        self.assertIn('Request failed: ESRCH (No such process) in frame 12', out)
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
                                '_ws.col.Info'), [['', 'RTM_NEWADDR add 1: inet 10.50.0.1/32 scope universe']])
        self.assertEqual(fields('analysis/interleaved.pcap', 'frame.number == 2', 'rtnl.ifindex.name',
                                '_ws.col.Info', extra=['-2']),
                         [['lo', 'RTM_NEWADDR add 1: lo inet 10.50.0.1/32 scope universe']])

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
                                 '<UP,BROADCAST,RUNNING,MULTICAST,LOWER_UP> mtu 1500 state UP link b6:f1:8b:d3:18:2a']])

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


if __name__ == '__main__':
    unittest.main()
