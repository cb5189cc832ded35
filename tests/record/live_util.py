"""What the live tests of rtnl-record share: running a command, and a network
namespace of their own."""
import os
import subprocess
import unittest


def run(cmd, check=True, timeout=120, **kw):
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and res.returncode != 0:
        raise AssertionError('%s failed (%d): %s%s' % (' '.join(cmd), res.returncode, res.stdout, res.stderr))
    return res


class Namespace:
    """A network namespace of our own (<prefix><tag>-<pid>), lo up; deleted on close()."""

    def __init__(self, tag, prefix='rtnlrec-'):
        self.name = '%s%s-%d' % (prefix, tag, os.getpid())
        res = subprocess.run(['ip', 'netns', 'add', self.name], capture_output=True, text=True)
        if res.returncode != 0:
            raise unittest.SkipTest('cannot create a network namespace (needs root / CAP_SYS_ADMIN): %s'
                                    % res.stderr.strip())
        try:
            run(['ip', 'netns', 'exec', self.name, 'ip', 'link', 'set', 'lo', 'up'])
        except Exception:
            self.close()
            raise
        self.inode = os.stat('/run/netns/' + self.name).st_ino

    def exec(self, *cmd):
        return ['ip', 'netns', 'exec', self.name] + list(cmd)

    def close(self):
        subprocess.run(['ip', 'netns', 'del', self.name], capture_output=True)
