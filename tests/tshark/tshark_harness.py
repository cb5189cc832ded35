"""Run the real tshark with the freshly built rtnl.so, isolated.

The plugin is staged in a private folder passed as WIRESHARK_PLUGIN_DIR (it
replaces the global plugin folder, so an rtnl.so installed system-wide or in
a personal folder is never the one under test) with an empty HOME. tshark
ignores plugin folders when run as root, so as root it runs as nobody
(docs/design.md). Captures are copied into the stage so nobody can read them.

Sanitizer builds (RTNL_SANITIZE=ON): rtnl.so carries AddressSanitizer, whose
runtime must be the first library of the process, so CTest passes its path
as RTNL_TSHARK_PRELOAD and it becomes tshark's LD_PRELOAD (only tshark's:
not this Python's). ASAN_OPTIONS / UBSAN_OPTIONS pass through to tshark, and
any sanitizer report on tshark's stderr fails the test, whatever the exit
status.
"""
import atexit
import os
import re
import shutil
import subprocess
import tempfile

PLUGIN = os.environ.get('RTNL_PLUGIN', '')
CAPTURES = os.environ.get('RTNL_CAPTURES', '')
TSHARK = os.environ.get('RTNL_TSHARK', 'tshark')
PRELOAD = os.environ.get('RTNL_TSHARK_PRELOAD', '')
SANITIZER_OPTIONS = ('ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS')
SANITIZER_REPORT = re.compile(r'ERROR: \w+Sanitizer|runtime error: |SUMMARY: \w+Sanitizer')

_stage = None


def series():
    out = subprocess.run([TSHARK, '--version'], capture_output=True, text=True, check=True).stdout
    m = re.search(r'(\d+)\.(\d+)\.\d+', out)
    return '%s.%s' % (m.group(1), m.group(2))


def stage():
    """The staged folder: plugins/<series>/epan/rtnl.so, home/, captures/."""
    global _stage
    if _stage:
        return _stage
    root = tempfile.mkdtemp(prefix='rtnl-tshark-')
    os.chmod(root, 0o755)
    epan = os.path.join(root, 'plugins', series(), 'epan')
    os.makedirs(epan)
    if PLUGIN:
        shutil.copy(PLUGIN, os.path.join(epan, 'rtnl.so'))
    os.makedirs(os.path.join(root, 'home'))
    shutil.copytree(CAPTURES, os.path.join(root, 'captures'))
    for dirpath, dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), 0o644)
    _stage = root
    atexit.register(shutil.rmtree, root, True)
    return root


def capture(name):
    return os.path.join(stage(), 'captures', name)


def new_file(name, data):
    """Write a capture of our own (a corrupted variant) into the stage."""
    path = os.path.join(stage(), name)
    with open(path, 'wb') as f:
        f.write(data)
    os.chmod(path, 0o644)
    return path


def sanitizer_env():
    """What a tshark loading a sanitized rtnl.so needs in its environment (empty otherwise)."""
    env = {k: os.environ[k] for k in SANITIZER_OPTIONS if k in os.environ}
    if PRELOAD:
        env['LD_PRELOAD'] = PRELOAD
    return env


def tshark(*args, plugin=True, check=True, timeout=120):
    root = stage()
    env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'LANG': 'C.UTF-8',
           'HOME': os.path.join(root, 'home'),
           'WIRESHARK_PLUGIN_DIR': os.path.join(root, 'plugins') if plugin else os.path.join(root, 'no-plugins')}
    env.update(sanitizer_env())
    cmd = [TSHARK] + list(args)
    if os.geteuid() == 0:
        cmd = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', 'env'] + \
              ['%s=%s' % kv for kv in env.items()] + cmd
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root, timeout=timeout)
    if SANITIZER_REPORT.search(res.stderr):
        raise AssertionError('tshark %s: sanitizer report:\n%s' % (' '.join(args), res.stderr))
    if check and res.returncode != 0:
        raise AssertionError('tshark %s failed (%d): %s' % (' '.join(args), res.returncode, res.stderr))
    return res


# -T fields prints a boolean as 1/0 up to 4.2 and as True/False from 4.4.
_BOOLEANS = {'True': '1', 'False': '0'}


def split_fields(line):
    """One line of -T fields output as its column strings, booleans as 1/0 on every series."""
    return [_BOOLEANS.get(v, v) for v in line.split('\t')]


def fields(capture_name, filter_, *names, extra=()):
    """Rows of -T fields output, each a list of column strings (split_fields)."""
    args = ['-r', capture(capture_name), '-T', 'fields']
    for n in names:
        args += ['-e', n]
    if filter_:
        args += ['-Y', filter_]
    args += list(extra)
    out = tshark(*args).stdout
    return [split_fields(line) for line in out.splitlines()]


def frames(capture_name, filter_):
    return [int(r[0]) for r in fields(capture_name, filter_, 'frame.number')]
