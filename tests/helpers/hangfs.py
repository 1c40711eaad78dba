#!/usr/bin/python3
# hangfs.py MOUNTPOINT GATE [SLOW] -- a small in-memory FUSE filesystem
# whose write(2) blocks while the file GATE exists: storage that hangs (an
# NFS server gone, a stalled device) on demand; and, while the file SLOW
# exists, writes at SLOW_RATE bytes a second: storage slower than the
# programs writing to it, but not stuck.  Needs python3-fusepy.
import errno
import os
import stat
import sys
import threading
import time

from fusepy import FUSE, FuseOSError, Operations


SLOW_RATE = 8 << 20


class HangFS(Operations):
    def __init__(self, gate, slow):
        self.gate = gate
        self.slow = slow
        self.lock = threading.Lock()
        self.files = {}
        self.now = time.time()

    def _attr(self, mode, size):
        return dict(st_mode=mode, st_nlink=1, st_uid=0, st_gid=0,
                    st_size=size, st_ctime=self.now, st_mtime=self.now,
                    st_atime=self.now)

    def getattr(self, path, fh=None):
        if path == '/':
            return dict(self._attr(stat.S_IFDIR | 0o755, 0), st_nlink=2)
        with self.lock:
            if path not in self.files:
                raise FuseOSError(errno.ENOENT)
            return self._attr(stat.S_IFREG | 0o644, len(self.files[path]))

    def readdir(self, path, fh):
        with self.lock:
            return ['.', '..'] + [p[1:] for p in self.files]

    def create(self, path, mode, fi=None):
        with self.lock:
            self.files.setdefault(path, bytearray())
        return 0

    def open(self, path, flags):
        with self.lock:
            if path not in self.files:
                raise FuseOSError(errno.ENOENT)
        return 0

    def read(self, path, size, offset, fh):
        with self.lock:
            return bytes(self.files[path][offset:offset + size])

    def write(self, path, data, offset, fh):
        while os.path.exists(self.gate):    # the hang
            time.sleep(0.05)
        if self.slow and os.path.exists(self.slow):
            time.sleep(len(data) / SLOW_RATE)
        with self.lock:
            f = self.files[path]
            f[offset:offset + len(data)] = data
        return len(data)

    def truncate(self, path, length, fh=None):
        with self.lock:
            del self.files[path][length:]

    def rename(self, old, new):
        with self.lock:
            self.files[new] = self.files.pop(old)

    def unlink(self, path):
        with self.lock:
            self.files.pop(path, None)

    def chmod(self, path, mode):
        return 0

    def chown(self, path, uid, gid):
        return 0

    def utimens(self, path, times=None):
        return 0


if __name__ == '__main__':
    FUSE(HangFS(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None),
         sys.argv[1], foreground=True, nothreads=False,
         direct_io=True)
