"""sockets.py: what a client sees while a server restarts, with procd
holding its socket (sockets=) and without (the server binds it itself).

    python3 tests/bench/sockets.py [--build build] [--reps 20]

One procd runs two copies of the same small server
(tests/integration/sockserve.py): "held" takes 127.0.0.1:A through
sockets=, "self" binds 127.0.0.1:B itself.  In interleaved rounds, the
driver starts `procctl restart NAME` and at once connects, as a client
would that arrives during the restart: with the socket held, the
connection is queued and answered by the new process; without, it is
refused and the client retries every 10 ms.  Reported per server: the
time from the restart command to the first answer (median, range) and
the refused attempts per restart.  Standard library only.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from netutil import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SERVE = os.path.join(ROOT, "tests", "integration", "sockserve.py")




def first_answer(port, deadline):
    """Connect until answered: (seconds, refused attempts, pid)."""
    refused = 0
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port),
                                          timeout=10) as s:
                line = s.makefile("rb").readline()
                if line.startswith(b"pid "):
                    return refused, int(line.split()[1])
        except ConnectionRefusedError:
            refused += 1
        except OSError:
            pass
        time.sleep(0.01)
    sys.exit("bench sockets: no answer on port %d" % port)


class Procd:
    def __init__(self, build, tmp, ports):
        self.tmp = tmp
        self.procd = os.path.join(ROOT, build, "procd")
        self.procctl = os.path.join(ROOT, build, "procctl")
        self.sock = os.path.join(tmp, "procd.sock")
        self.conf = os.path.join(tmp, "procd.ini")
        with open(self.conf, "w") as f:
            f.write("[procd]\nsocket = %s\npidfile = %s/procd.pid\n"
                    "logfile = %s/procd.log\nchildlogdir = %s\n\n"
                    % (self.sock, tmp, tmp, tmp))
            f.write("[program:held]\ncommand = python3 %s activated\n"
                    "sockets = tcp://127.0.0.1:%d\nstartsecs = 0\n\n"
                    % (SERVE, ports["held"]))
            f.write("[program:self]\ncommand = python3 %s self 127.0.0.1 "
                    "%d\nstartsecs = 0\n\n" % (SERVE, ports["self"]))

    def ctl(self, *args):
        return subprocess.run([self.procctl, "-s", self.sock] + list(args),
                              stdout=subprocess.PIPE, check=False).stdout

    def start(self):
        subprocess.run([self.procd, "start", "-c", self.conf], check=True)

    def stop(self):
        self.ctl("shutdown")


def one_restart(p, name, port):
    """Restart NAME while a client connects: (ms to answer, refused)."""
    old = int(p.ctl("pid", name))
    t0 = time.monotonic()
    cmd = subprocess.Popen([p.procctl, "-s", p.sock, "restart", name],
                           stdout=subprocess.DEVNULL)
    # Until the old process is gone, a connection may be answered by it:
    # that is not a connection made during the restart.
    while os.path.exists("/proc/%d" % old):
        time.sleep(0.0005)
    refused, pid = first_answer(port, t0 + 30)
    took = time.monotonic() - t0
    cmd.wait()
    if pid == old:
        sys.exit("bench sockets: answered by the old process")
    return took * 1000, refused


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--reps", type=int, default=20)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="procd-bench-sockets.")
    ports = {"held": free_port(), "self": free_port()}
    p = Procd(args.build, tmp, ports)
    res = {"held": [], "self": []}
    try:
        p.start()
        for name in res:
            first_answer(ports[name], time.monotonic() + 30)
        for _ in range(args.reps):
            for name in res:        # interleaved
                res[name].append(one_restart(p, name, ports[name]))
    finally:
        p.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("restart -> first answer to a client arriving during it "
          "(%d rounds, interleaved)" % args.reps)
    print("%-28s %10s %18s %16s" % ("", "median ms", "range ms",
                                    "refused/restart"))
    for name, label in (("held", "procd holds it (sockets=)"),
                        ("self", "server binds it itself")):
        ms = [r[0] for r in res[name]]
        refused = [r[1] for r in res[name]]
        print("%-28s %10.1f %18s %16.1f" % (
            label, statistics.median(ms),
            "%.1f-%.1f" % (min(ms), max(ms)), statistics.mean(refused)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
