#!/usr/bin/env python3
"""run.py -- procd's benchmark: procd side by side with the supervisors users
would pick instead, in one run, interleaved, with ratios.

    python3 tests/bench/run.py [--quick] [--reps N] [--only a,b] [--sups a,b]
                               [--build-ref DIR]

(make bench / make bench-quick call it after building procd and the helpers.)

Every supervisor runs in its own temp dir with N programs of the stamp helper
(tests/bench/stamp.c), which records its own CLOCK_MONOTONIC start time:
"alive" is the program's word, never the supervisor's.  The floor
(tests/bench/floor.c) is a plain C loop that fork+execs the same helper the
same way and respawns it when it dies.  Python's time.monotonic_ns() reads
the same clock, so a stamp minus a moment taken here is a latency.

Runs are interleaved (every supervisor once per round, the order rotated
each round) so machine drift hits all alike.  Every process this script
starts is stopped by pid at the end, also on error or Ctrl-C: the script
makes itself a child subreaper, so whatever a daemon leaves behind comes
back to it and is killed and reaped.
"""

import argparse
import ctypes
import os
import platform
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import metrics_bench
import reexec_bench

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAME_FMT = "p%05d"          # the same names floor.c gives its children
MiB = 1024 * 1024


# Scenario modules beside this file: each has SCENARIO (its --only name),
# run(B, rep) for one round and report(B), text printed after the table.
MODULES = ["xmlrpc_bench", "httpctl_bench"]


def modules():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    return [__import__(m) for m in MODULES]


def now():
    return time.monotonic_ns()


def ms(ns):
    return ns / 1e6


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Interrupted(Exception):
    pass


# --------------------------------------------------------------------------
# Process hygiene: subreaper, registry of what we started, cleanup by pid.

class Procs:
    """Everything started here, and the means to stop it by pid."""

    def __init__(self):
        self.popens = {}        # pid -> Popen of long-running children

    def subreaper(self):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(36, 1, 0, 0, 0) != 0:      # PR_SET_CHILD_SUBREAPER
            log("bench: warning: cannot become a child subreaper")

    def popen(self, argv, **kw):
        kw.setdefault("stdin", subprocess.DEVNULL)
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.DEVNULL)
        # Its own session: a Ctrl-C at the terminal reaches only this
        # script, which then stops everything by pid.
        kw.setdefault("start_new_session", True)
        p = subprocess.Popen(argv, **kw)
        self.popens[p.pid] = p
        return p

    def reap(self):
        """Reap dead children (orphans of daemons come to us too)."""
        while True:
            try:
                r = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                return
            if r is None or r.si_pid == 0:
                return
            p = self.popens.pop(r.si_pid, None)
            if p is not None:
                p.wait()
            else:
                try:
                    os.waitpid(r.si_pid, 0)
                except ChildProcessError:
                    pass

    @staticmethod
    def table():
        """pid -> (ppid, pgid, state) for every process on the machine."""
        t = {}
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % d, "rb") as f:
                    s = f.read().decode("latin-1")
            except OSError:
                continue
            rest = s[s.rindex(")") + 2:].split()
            t[int(d)] = (int(rest[1]), int(rest[2]), rest[0])
        return t

    def descendants(self, t=None):
        t = t if t is not None else self.table()
        kids = {}
        for pid, (ppid, _, _) in t.items():
            kids.setdefault(ppid, []).append(pid)
        out, todo = [], [os.getpid()]
        while todo:
            for c in kids.get(todo.pop(), []):
                out.append(c)
                todo.append(c)
        return out

    def subtree(self, root, t):
        kids = {}
        for pid, (ppid, _, _) in t.items():
            kids.setdefault(ppid, []).append(pid)
        out, todo = {root}, [root]
        while todo:
            for c in kids.get(todo.pop(), []):
                out.add(c)
                todo.append(c)
        return out

    def kill_all(self, spare=()):
        """SIGKILL every live descendant (by pid, and its own process group
        when it leads one) but the trees under SPARE, then reap.  Returns
        how many were alive."""
        me = os.getpgid(0)
        total = 0
        for _ in range(50):
            t = self.table()
            keep = set()
            for root in spare:
                keep |= self.subtree(root, t)
            live = [p for p in self.descendants(t)
                    if t[p][2] != "Z" and p not in keep]
            if not live:
                break
            total = max(total, len(live))
            for p in live:
                if t[p][1] == p and p != me and p not in keep:
                    try:
                        os.killpg(p, signal.SIGKILL)
                    except OSError:
                        pass
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.05)
            self.reap()
        self.reap()
        return total


PROCS = Procs()


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            s = f.read().decode("latin-1")
        return s[s.rindex(")") + 2] != "Z"
    except OSError:
        return False


def children_of(pid):
    out = []
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def smaps_kib(pid, fields):
    """The sum of FIELDS of /proc/PID/smaps_rollup, in KiB."""
    total = 0
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.split(":")[0] in fields:
                    total += int(line.split()[1])
    except OSError:
        pass
    return total


def pss_kib(pid):
    return smaps_kib(pid, ("Pss",))


def private_kib(pid):
    """What the process alone holds: its heap, stack and written data.
    Shared library pages, whose PSS share moves with whatever else runs,
    are left out, so growth per program is not lost in that noise."""
    return smaps_kib(pid, ("Private_Clean", "Private_Dirty", "Swap"))


def sched_counters(pid):
    """(context switches, cpu ns) of every thread of PID."""
    cs = cpu = 0
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return 0, 0
    for tid in tids:
        base = "/proc/%d/task/%s/" % (pid, tid)
        try:
            with open(base + "status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches",
                                        "nonvoluntary_ctxt_switches")):
                        cs += int(line.split()[1])
            try:
                with open(base + "schedstat") as f:
                    cpu += int(f.read().split()[0])
            except OSError:
                with open(base + "stat") as f:
                    s = f.read()
                rest = s[s.rindex(")") + 2:].split()
                hz = os.sysconf("SC_CLK_TCK")
                cpu += (int(rest[11]) + int(rest[12])) * 1000000000 // hz
        except OSError:
            pass
    return cs, cpu


def wait_gone(pids, timeout_s):
    """Wait until every pid has exited; return ns of the last exit seen, or
    None on timeout.  pidfds make the moment exact without busy polling."""
    fds, poller = {}, select.poll()
    for pid in set(pids):
        try:
            fd = os.pidfd_open(pid)
        except OSError:
            continue
        fds[fd] = pid
        poller.register(fd, select.POLLIN)
    last = now()
    deadline = now() + int(timeout_s * 1e9)
    try:
        while fds:
            left = (deadline - now()) // 1000000
            if left <= 0:
                return None
            for fd, _ in poller.poll(min(left, 200)):
                poller.unregister(fd)
                os.close(fd)
                del fds[fd]
                last = now()
            PROCS.reap()
        return last
    finally:
        for fd in fds:
            os.close(fd)


# --------------------------------------------------------------------------
# The helper's stamps.

class Stamps:
    """Reads the helper's append-only record file incrementally."""

    def __init__(self, path):
        self.path = path
        self.fd = None
        self.buf = b""
        self.first = {}     # name -> (ns, pid) of its first start
        self.last = {}      # name -> (ns, pid) of its latest start
        self.done = {}      # name -> ns it finished writing (log mode)

    def poll(self):
        if self.fd is None:
            try:
                self.fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                return
        while True:
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                break
            self.buf += chunk
        if b"\n" not in self.buf:
            return
        lines, _, self.buf = self.buf.rpartition(b"\n")
        for line in lines.split(b"\n"):
            ns, pid, name = line.split(b" ", 2)
            name = name.decode()
            rec = (int(ns), int(pid))
            if name.endswith(":done"):
                self.done[name[:-5]] = rec[0]
                continue
            self.first.setdefault(name, rec)
            self.last[name] = rec

    def wait(self, cond, timeout_s, interval=0.002):
        deadline = now() + int(timeout_s * 1e9)
        while True:
            self.poll()
            if cond():
                return True
            if now() > deadline:
                return False
            time.sleep(interval)

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


# --------------------------------------------------------------------------
# The supervisors.  Each runs N programs "stamp FILE pNNNNN" in its own dir.

class Sup:
    key = ""

    def __init__(self, bench, n, mode=None):
        self.B = bench
        self.n = n
        self.mode = mode or []      # extra helper arguments
        self.dir = tempfile.mkdtemp(prefix="procd-bench-%s-" % self.key,
                                    dir=bench.tmp)
        self.stampfile = os.path.join(self.dir, "stamps")
        self.stamps = Stamps(self.stampfile)
        self.names = [NAME_FMT % i for i in range(n)]
        self.pid = None

    def argv(self, name):
        return [self.B.stamp, self.stampfile, name] + self.mode

    def command(self, name):
        return " ".join(self.argv(name))

    # What each supervisor implements.
    def prepare(self): pass

    def service_dirs(self, top):
        """runit/s6 style: TOP/NAME/run execs each program; returns TOP."""
        top = os.path.join(self.dir, top)
        os.mkdir(top)
        for name in self.names:
            d = os.path.join(top, name)
            os.mkdir(d)
            with open(os.path.join(d, "run"), "w") as f:
                f.write("#!/bin/sh\nexec %s\n" % self.command(name))
            os.chmod(os.path.join(d, "run"), 0o755)
        return top
    def launch(self): raise NotImplementedError
    def sup_pids(self): return [self.pid] if self.pid else []
    def status_argv(self): return None
    def restart_argv(self, name): return None
    def shutdown(self): raise NotImplementedError

    def stalled(self):
        """Is waiting for more stamps pointless: the supervisor is gone, or
        nothing has started for 30 s?"""
        if self.pid is not None and not alive(self.pid):
            return True
        n = len(self.stamps.first)
        if n != getattr(self, "_seen", -1):
            self._seen, self._seen_at = n, now()
        return now() - self._seen_at > 30 * 10**9

    def program_pids(self):
        return [pid for _, pid in self.stamps.last.values()]

    def stop(self):
        """Stop whatever is left, by pid: the supervisor and its tree."""
        pids = []
        for p in self.sup_pids():
            pids.append(p)
            pids += children_of(p)
        pids += self.program_pids()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            live = [p for p in pids if alive(p)]
            if not live:
                break
            for p in live:
                try:
                    os.kill(p, sig)
                except OSError:
                    pass
            wait_gone(live, 3 if sig == signal.SIGTERM else 5)
        PROCS.reap()
        self.stamps.close()

    def cleanup(self):
        if not self.B.args.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


class Procd(Sup):
    key = "procd"

    def bin(self, name):
        return getattr(self.B, name)

    def prepare(self, logcfg=None):
        if logcfg is None and self.n >= 10000 and not self.B.big_logs:
            logcfg = ["stdout_logfile = NONE", "stderr_logfile = NONE"]
        self.sock = os.path.join(self.dir, "procd.sock")
        self.conf = os.path.join(self.dir, "procd.ini")
        os.mkdir(os.path.join(self.dir, "logs"))
        out = ["[procd]",
               "socket = %s" % self.sock,
               "pidfile = %s/procd.pid" % self.dir,
               "logfile = %s/procd.log" % self.dir,
               "childlogdir = %s/logs" % self.dir,
               "minfds = %d" % (6 * self.n + 256), ""]
        for name in self.names:
            out += ["[program:%s]" % name,
                    "command = %s" % self.command(name),
                    "startsecs = 0",
                    "autorestart = true"]
            out += logcfg or []
            out.append("")
        with open(self.conf, "w") as f:
            f.write("\n".join(out))

    def launch(self):
        r = subprocess.run([self.bin("procd"), "start", "-c", self.conf],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        try:
            with open(os.path.join(self.dir, "procd.pid")) as f:
                self.pid = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
        if r.returncode != 0:
            raise RuntimeError("procd start failed: %s" %
                               r.stderr.decode(errors="replace").strip())

    def ctl(self, *a):
        return [self.bin("procctl"), "-s", self.sock] + list(a)

    def status_argv(self):
        return self.ctl("status")

    def restart_argv(self, name):
        return self.ctl("restart", name)

    def shutdown(self):
        subprocess.run(self.ctl("shutdown"), stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class ProcdRef(Procd):
    """Another build of procd (--build-ref DIR, e.g. an older commit's),
    run as one more supervisor in the same rounds: a same-run comparison."""
    key = "procd-ref"

    def bin(self, name):
        return os.path.join(self.B.ref_dir, name)


class Supervisord(Sup):
    key = "supervisord"

    def prepare(self, logcfg=None):
        self.conf = os.path.join(self.dir, "supervisord.conf")
        os.mkdir(os.path.join(self.dir, "logs"))
        out = ["[unix_http_server]",
               "file = %s/supervisor.sock" % self.dir, "",
               "[supervisord]",
               "nodaemon = true",
               "logfile = %s/supervisord.log" % self.dir,
               "pidfile = %s/supervisord.pid" % self.dir,
               "childlogdir = %s/logs" % self.dir,
               "minfds = %d" % (6 * self.n + 256), "",
               "[rpcinterface:supervisor]",
               "supervisor.rpcinterface_factory = "
               "supervisor.rpcinterface:make_main_rpcinterface", "",
               "[supervisorctl]",
               "serverurl = unix://%s/supervisor.sock" % self.dir, ""]
        for name in self.names:
            out += ["[program:%s]" % name,
                    "command = %s" % self.command(name),
                    "startsecs = 0",
                    "autorestart = true"]
            out += logcfg or []
            out.append("")
        with open(self.conf, "w") as f:
            f.write("\n".join(out))

    def launch(self):
        self.proc = PROCS.popen([self.B.tools["supervisord"], "-c", self.conf])
        self.pid = self.proc.pid

    def ctl(self, *a):
        return [self.B.tools["supervisorctl"], "-c", self.conf] + list(a)

    def status_argv(self):
        return self.ctl("status")

    def restart_argv(self, name):
        return self.ctl("restart", name)

    def shutdown(self):
        subprocess.run(self.ctl("shutdown"), stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=60)


class Runit(Sup):
    key = "runit"

    def prepare(self):
        self.sv = self.service_dirs("sv")

    def launch(self):
        self.proc = PROCS.popen([self.B.tools["runsvdir"], "-P", self.sv])
        self.pid = self.proc.pid

    def sup_pids(self):
        return [self.pid] + children_of(self.pid) if self.pid else []

    def status_argv(self):
        return [self.B.tools["sv"], "status"] + \
            [os.path.join(self.sv, n) for n in self.names]

    def restart_argv(self, name):
        return [self.B.tools["sv"], "restart", os.path.join(self.sv, name)]

    def shutdown(self):
        os.kill(self.pid, signal.SIGHUP)   # TERM to every runsv, then exit


class S6(Sup):
    key = "s6"

    def prepare(self):
        self.scan = self.service_dirs("scan")

    def launch(self):
        self.proc = PROCS.popen([self.B.tools["s6-svscan"], "-c",
                                 str(max(self.n + 16, 500)), self.scan])
        self.pid = self.proc.pid

    def sup_pids(self):
        return [self.pid] + children_of(self.pid) if self.pid else []

    def status_argv(self):
        return ["/bin/sh", "-c", 'for d in "$0"/p*; do "$1" "$d"; done',
                self.scan, self.B.tools["s6-svstat"]]

    def restart_argv(self, name):
        return [self.B.tools["s6-svc"], "-r", os.path.join(self.scan, name)]

    def shutdown(self):
        subprocess.run([self.B.tools["s6-svscanctl"], "-t", self.scan],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


class Floor(Sup):
    key = "floor"

    def launch(self):
        nopipes = ["-n"] if self.n >= 10000 and not self.B.big_logs else []
        self.proc = PROCS.popen([self.B.floor] + nopipes +
                                [self.B.stamp, self.stampfile, str(self.n)] +
                                self.mode)
        self.pid = self.proc.pid

    def shutdown(self):
        os.kill(self.pid, signal.SIGTERM)


SUPS = {c.key: c for c in (Procd, ProcdRef, Floor, Supervisord, Runit, S6)}
PEERS = ("supervisord", "runit", "s6")
PEER_TOOLS = {
    "supervisord": ("supervisor", ["supervisord", "supervisorctl"]),
    "runit": ("runit", ["runsvdir", "runsv", "sv"]),
    "s6": ("s6", ["s6-svscan", "s6-supervise", "s6-svscanctl", "s6-svc",
                  "s6-svstat"]),
}


# --------------------------------------------------------------------------
# Results.

class Results:
    def __init__(self):
        self.v = {}         # (metric, n, sup) -> [values]
        self.notes = {}     # (metric, n, sup) -> short text instead of a value

    def add(self, metric, n, sup, value):
        self.v.setdefault((metric, n, sup), []).append(value)

    def note(self, metric, n, sup, text):
        self.notes[(metric, n, sup)] = text

    def get(self, metric, n, sup):
        return self.v.get((metric, n, sup), [])


# --------------------------------------------------------------------------
# Scenarios.

class Bench:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        b = os.path.join(ROOT, args.build)
        self.procd = os.path.join(b, "procd")
        self.procctl = os.path.join(b, "procctl")
        self.stamp = os.path.join(b, "bench", "stamp")
        self.evack = os.path.join(b, "bench", "evack")
        self.evfloor = os.path.join(b, "bench", "evfloor")
        self.floor = os.path.join(b, "bench", "floor")
        self.ref_dir = os.path.abspath(args.build_ref) if args.build_ref \
            else None
        self.tools = {}
        self.missing = {}       # peer -> why it is not in the run
        self.R = Results()
        self.tmp = None
        q = self.quick
        self.reps = args.reps or (1 if q else 3)
        self.inner = 2 if q else 3          # samples per run (status, restart, kill)
        self.idle_s = args.idle or (5 if q else 30)
        self.log_bytes = (32 if q else 256) * MiB
        self.ev_window = 2 if q else 5     # seconds of event throughput
        # --quick: N=10 for procd and the floor only, everything else at
        # N=100 (mass death: 50 of 100); no N=10,000.
        self.sizes = [10, 100] if q else [10, 100, 1000]
        self.solo_sizes = [10] if q else []
        self.idle_n = 100
        self.zombie_s = 5
        self.shutdown_timeout = 10 if q else 30
        self.big = 0 if (q or args.no_big) else 10000
        self.big_logs = True        # see fd_budget()
        self.in_big = False
        self.only = set(args.only.split(",")) if args.only else None

    def want(self, scenario):
        return self.only is None or scenario in self.only or \
            (self.in_big and "big" in self.only)

    def fd_budget(self):
        """N=10,000 with AUTO logs needs ~4 descriptors per program (two
        pipes, two log files).  Where the hard RLIMIT_NOFILE is lower and
        cannot be raised (a container without CAP_SYS_RESOURCE), that run
        goes without logs (NONE; the floor without pipes) and says so."""
        import resource
        need = 4 * self.big + 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        try:
            if hard < need:
                resource.setrlimit(resource.RLIMIT_NOFILE, (need, need))
            elif soft < need:
                resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
        except (ValueError, OSError):
            self.big_logs = False
            self.big_note = ("N=%d ran with program logs off (NONE; the floor "
                             "without pipes): the hard RLIMIT_NOFILE is %d "
                             "here and cannot be raised to %d" %
                             (self.big, hard, need))
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    # ---- set-up ------------------------------------------------------

    def find_peers(self):
        wanted = [p for p in PEERS if p in self.sups_wanted]
        missing_pkgs = [PEER_TOOLS[p][0] for p in wanted
                        if not all(shutil.which(t) for t in PEER_TOOLS[p][1])]
        if missing_pkgs and not self.args.no_install:
            self.install(missing_pkgs)
        for p in wanted:
            paths = {t: shutil.which(t) for t in PEER_TOOLS[p][1]}
            if all(paths.values()):
                self.tools.update(paths)
            elif p not in self.missing:
                self.missing[p] = "not installed"

    def install(self, pkgs):
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            for p in PEERS:
                if PEER_TOOLS[p][0] in pkgs:
                    self.missing[p] = "not installed (not root: apt-get " \
                        "install %s)" % PEER_TOOLS[p][0]
            return
        log("bench: installing %s" % " ".join(pkgs))
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        # Keep the packages' own services (e.g. supervisor's) from starting.
        policy = "/usr/sbin/policy-rc.d"
        made_policy = not os.path.exists(policy)
        if made_policy:
            with open(policy, "w") as f:
                f.write("#!/bin/sh\nexit 101\n")
            os.chmod(policy, 0o755)
        try:
            subprocess.run(["apt-get", "update", "-qq"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for pkg in pkgs:
                r = subprocess.run(["apt-get", "install", "-y", "-qq",
                                    "--no-install-recommends", pkg], env=env,
                                   stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
                if r.returncode != 0:
                    for p in PEERS:
                        if PEER_TOOLS[p][0] == pkg:
                            self.missing[p] = "apt-get install %s failed" % pkg
        finally:
            if made_policy:
                os.unlink(policy)

    # ---- one supervisor's life at N programs -------------------------
    #
    # begin(): launch -> all N alive (the start figure).  finish(): control
    # latency, memory, kill -9 restart latency, mass death, shutdown; then
    # everything left is killed by pid.  At the idle N every supervisor is
    # begun first, all are watched over one idle window together (idle
    # programs cost the others nothing), then each is finished in turn.

    def round(self, keys, n, big=False):
        group = n == self.idle_n and self.want("idle") and not big
        live = []
        try:
            for key in keys:
                s = SUPS[key](self, n)
                s.t_run = time.monotonic()
                live.append(s)
                log("bench: N=%-5d %-12s start" % (n, key))
                if not self.guard(self.begin, s, big) or not group:
                    live.remove(s)
                    self.end(s, big, live)
            if group and live:
                log("bench: N=%-5d idle window %d s, %s" %
                    (n, self.idle_s, " ".join(x.key for x in live)))
                self.idle(live, n)
            while live:
                s = live.pop(0)
                self.end(s, big, live)
        finally:
            for s in live:
                self.teardown(s, live)

    def guard(self, fn, *a):
        """Run one step; an error is noted in the table, not fatal."""
        s = a[0]
        try:
            return fn(*a)
        except subprocess.TimeoutExpired as e:
            self.R.note("error", s.n, s.key, "timeout: %s" % " ".join(e.cmd[:2]))
        except (OSError, RuntimeError, ValueError, KeyError) as e:
            self.R.note("error", s.n, s.key, str(e)[:100])
        log("bench: %s N=%d: %s" % (s.key, s.n,
                                     self.R.notes[("error", s.n, s.key)]))
        return False

    def end(self, s, big, others):
        try:
            if getattr(s, "alive_at", None) is not None:
                self.guard(self.finish, s, big)
        finally:
            self.teardown(s, others)

    def teardown(self, s, others):
        """Stop S by pid; anything else still under us that is not another
        live supervisor's is a leftover: noted, and killed."""
        s.stop()
        left = PROCS.kill_all([o.pid for o in others if o is not s and o.pid])
        if left and getattr(s, "shut_ok", False):
            # Its own shutdown had finished: these escaped it.
            self.R.note("leftover", s.n, s.key,
                        "%d processes left after its shutdown" % left)
            log("bench: %s N=%d: %d processes left after its shutdown" %
                (s.key, s.n, left))
        s.cleanup()
        log("bench: N=%-5d %-12s done in %.1f s" %
            (s.n, s.key, time.monotonic() - s.t_run))

    def begin(self, s, big):
        s.alive_at = None
        s.prepare()
        t0 = now()
        s.launch()
        limit = 600 if big else (60 if self.quick else 120)
        if not s.stamps.wait(lambda: len(s.stamps.first) >= s.n or
                             s.stalled(), limit, 0.005) or s.stalled():
            why = "stalled" if s.stalled() else "in %d s" % limit
            self.R.note("start", s.n, s.key, "%d/%d %s" %
                        (len(s.stamps.first), s.n, why))
            return False
        self.R.add("start", s.n, s.key,
                   max(v[0] for v in s.stamps.first.values()) - t0)
        s.alive_at = now()
        return True

    def finish(self, s, big):
        R, n, key = self.R, s.n, s.key
        if self.want("control"):
            self.control(s, key, n)
        if self.want("memory"):
            R.add("pss", n, key, sum(pss_kib(p) for p in s.sup_pids()))
            R.add("private", n, key,
                  sum(private_kib(p) for p in s.sup_pids()))
        # restart latency: kill -9 of a program that has run > 2 s.
        if self.want("restart") and not big:
            rest = s.alive_at + 2 * 10**9 - now()
            if rest > 0:
                time.sleep(rest / 1e9 + 0.01)
            self.kill_restart(s, key, n)
        if n == self.sizes[-1] and not big and self.want("massdeath"):
            self.mass_death(s, key, n, n // 2)
        if self.want("shutdown"):
            self.shutdown(s, key, n, big)
        return True

    def idle(self, sups, n):
        time.sleep(0.5 if self.quick else 1.0)    # let start-up settle
        pids = [s.sup_pids() for s in sups]
        a = [[sched_counters(p) for p in ps] for ps in pids]
        time.sleep(self.idle_s)
        b = [[sched_counters(p) for p in ps] for ps in pids]
        for s, x, y in zip(sups, a, b):
            self.R.add("idle_cs", n, s.key,
                       sum(j[0] - i[0] for i, j in zip(x, y)))
            self.R.add("idle_cpu", n, s.key,
                       sum(j[1] - i[1] for i, j in zip(x, y)))

    def timed(self, argv, timeout=60):
        t0 = now()
        subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=timeout)
        return t0, now()

    def control(self, s, key, n):
        argv = s.status_argv()
        if key == "floor":
            self.control_floor(s, n)
            return
        if argv is None:
            return
        for _ in range(self.inner):
            t0, t1 = self.timed(argv)
            self.R.add("status", n, key, t1 - t0)
            if t1 - t0 > 2 * 10**9:
                break
        for i in range(self.inner):
            name = s.names[(i * 7 + 3) % n]
            t0, t1 = self.timed(s.restart_argv(name))
            ok = s.stamps.wait(lambda: s.stamps.last[name][0] > t0, 15)
            if not ok:
                self.R.note("restart_cmd", n, key, "no restart in 15 s")
                break
            self.R.add("restart_cmd", n, key,
                       max(t1, s.stamps.last[name][0]) - t0)

    def control_floor(self, s, n):
        """The floor under a control command: exec of the client alone
        (procctl --version), and that exec followed by kill -> respawn."""
        version = [self.procctl, "--version"]
        for _ in range(self.inner):
            t0, t1 = self.timed(version)
            self.R.add("status", n, "floor", t1 - t0)
        s.stamps.poll()
        for i in range(self.inner):
            name = s.names[(i * 7 + 3) % n]
            t0, _ = self.timed(version)
            os.kill(s.stamps.last[name][1], signal.SIGKILL)
            if not s.stamps.wait(lambda: s.stamps.last[name][0] > t0, 10, 0.001):
                break
            self.R.add("restart_cmd", n, "floor", s.stamps.last[name][0] - t0)

    def kill_restart(self, s, key, n):
        s.stamps.poll()
        for i in range(self.inner):
            old = now() - 2 * 10**9
            cands = [nm for nm in s.names if s.stamps.last[nm][0] < old]
            if not cands:
                break
            name = cands[(i * 13 + 5) % len(cands)]
            pid = s.stamps.last[name][1]
            t0 = now()
            os.kill(pid, signal.SIGKILL)
            if not s.stamps.wait(lambda: s.stamps.last[name][0] > t0, 10, 0.001):
                self.R.note("kill_restart", n, key, "no respawn in 10 s")
                return
            self.R.add("kill_restart", n, key, s.stamps.last[name][0] - t0)
            time.sleep(0.05)

    def mass_death(self, s, key, n, k):
        s.stamps.poll()
        victims = s.names[:k]
        pids = [s.stamps.last[nm][1] for nm in victims]
        t0 = now()
        for p in pids:
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        back = lambda: all(s.stamps.last[nm][0] > t0 for nm in victims)
        ok = s.stamps.wait(back, self.zombie_s, 0.005)
        t_back = now()
        # Zombies 5 s after the kill: dead children nobody has reaped.  Only
        # our kills make children die here, so once all are back with no
        # zombie, none can appear by the 5 s mark: no need to wait for it.
        z = self.zombies(s)
        if not (ok and z == 0):
            rest = t0 + int(self.zombie_s * 1e9) - now()
            if rest > 0:
                time.sleep(rest / 1e9)
            z = self.zombies(s)
        self.R.add("zombies", n, key, z)
        if not ok:
            ok = s.stamps.wait(back, 10 if self.quick else 40, 0.005)
        if not ok:
            got = sum(1 for nm in victims if s.stamps.last[nm][0] > t0)
            self.R.note("massdeath", n, key, "%d/%d back" % (got, k))
            return
        self.R.add("massdeath", n, key,
                   max(s.stamps.last[nm][0] for nm in victims) - t0)

    def zombies(self, s):
        sup = set(s.sup_pids())
        return sum(1 for ppid, _, st in Procs.table().values()
                   if st == "Z" and ppid in sup)

    def shutdown(self, s, key, n, big):
        s.stamps.poll()
        pids = set(s.program_pids())
        for p in s.sup_pids():
            pids.add(p)
            pids.update(children_of(p))
        limit = 60 if big else self.shutdown_timeout
        fds = {}
        for p in pids:
            try:
                fds[p] = os.pidfd_open(p)
            except OSError:
                pass
        try:
            t0 = now()
            s.shutdown()
            end = wait_gone(list(fds), limit)
        finally:
            for fd in fds.values():
                os.close(fd)
        s.shut_ok = end is not None
        if end is None:
            self.R.note("shutdown", n, key, "> %d s" % limit)
        else:
            self.R.add("shutdown", n, key, end - t0)

    # ---- log throughput -----------------------------------------------

    def log_run(self, key):
        nbytes = self.log_bytes
        mode = ["log", str(nbytes)]
        R = self.R
        if key in ("procd", "supervisord"):
            s = SUPS[key](self, 1, mode)
            logpath = os.path.join(s.dir, "out.log")
            s.prepare(["autorestart = false",
                       "stdout_logfile = %s" % logpath,
                       "stdout_logfile_maxbytes = 0",
                       "stderr_logfile = NONE"])
        else:
            s = Floor(self, 1, mode)
            logpath = os.path.join(s.dir, "out.log")
        procs = []
        try:
            if key == "file":
                with open(logpath, "wb") as f:
                    procs.append(PROCS.popen(s.argv(s.names[0]), stdout=f))
            elif key == "pipe":
                with open(logpath, "wb") as f:
                    w = PROCS.popen(s.argv(s.names[0]), stdout=subprocess.PIPE)
                    procs.append(w)
                    procs.append(PROCS.popen(["cat"], stdin=w.stdout, stdout=f))
                    w.stdout.close()
            else:
                s.launch()
            name = s.names[0]
            if not s.stamps.wait(lambda: name in s.stamps.first, 20):
                R.note("log", 1, key, "did not start")
                return

            def size():
                try:
                    return os.stat(logpath).st_size
                except OSError:
                    return 0
            deadline = now() + 120 * 10**9
            while size() < nbytes and now() < deadline:
                time.sleep(0.001)
            t1 = now()
            if size() < nbytes:
                R.note("log", 1, key, "%d MiB in 120 s" % (size() // MiB))
                return
            dt = t1 - s.stamps.first[name][0]
            R.add("log", 1, key, nbytes / MiB / (dt / 1e9))
            R.add("log_whole", 1, key, 1 if lines_whole(logpath, nbytes) else 0)
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
            s.stop()
            PROCS.kill_all()
            s.cleanup()

    # ---- events (procd and supervisord only) ---------------------------

    def ev_setup(self, key, mode, logcfg, events, buffer_size=10):
        """One program (MODE) and one listener (evack) on EVENTS."""
        s = SUPS[key](self, 1, mode)
        s.prepare(logcfg)
        s.evfile = os.path.join(s.dir, "events")
        with open(s.conf, "a") as f:
            f.write("\n[eventlistener:ack]\ncommand = %s %s\n"
                    "events = %s\nstartsecs = 0\nstderr_logfile = NONE\n"
                    "buffer_size = %d\n"
                    % (self.evack, s.evfile, events, buffer_size))
        return s

    def ev_records(self, s, what):
        """The listener's records of WHAT: [(ns, rest)]."""
        out = []
        try:
            with open(s.evfile) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) >= 2 and parts[1] == what:
                        out.append((int(parts[0]), parts[2:]))
        except OSError:
            pass
        return out

    def ev_wait(self, s, what, count, timeout_s):
        deadline = now() + timeout_s * 10**9
        while now() < deadline and not s.stalled():
            recs = self.ev_records(s, what)
            if len(recs) >= count:
                return recs
            time.sleep(0.002)
        return None

    def ev_throughput(self, key):
        """Events/s to a listener that acks at once: a program writing
        64-byte lines with stdout_events_enabled, PROCESS_LOG_STDOUT
        counted by the listener over its first EV_WINDOW seconds."""
        self.ev_count(key, "ev_tput", ["log", str(self.log_bytes)],
                      ["stdout_events_enabled = true"], "PROCESS_LOG_STDOUT")

    def ev_throughput_comm(self, key):
        """The same with a source of small events whose number does not
        depend on how the supervisor reads: capture-mode blocks, one
        PROCESS_COMMUNICATION_STDOUT each, written without end (the pool's
        buffer stays full: what is counted is what the supervisor can
        deliver)."""
        self.ev_count(key, "ev_tput_comm", ["comm"],
                      ["stdout_capture_maxbytes = 1MB"],
                      "PROCESS_COMMUNICATION_STDOUT")

    EV_DRAIN = 10000

    def ev_drain(self, key):
        """Events/s to a listener that acks at once, with nothing dropped
        and nothing waited for: the program writes EV_DRAIN capture-mode
        blocks at once, the pool holds them all (buffer_size), and the
        listener's clock runs from the first event it reads to the
        last (or to what it read in 30 s, for a supervisor that slow)."""
        R, n = self.R, self.EV_DRAIN
        s = self.ev_setup(key, ["comm", str(n)],
                          ["autorestart = false",
                           "stdout_logfile = %s/out.log" % "%(here)s",
                           "stdout_logfile_maxbytes = 0",
                           "stderr_logfile = NONE",
                           "stdout_capture_maxbytes = 1MB"],
                          "PROCESS_COMMUNICATION_STDOUT", buffer_size=n)
        try:
            s.launch()
            # A slow supervisor is measured on what it delivered in 30 s.
            if self.ev_wait(s, "COUNT", 1, 30) is not None:
                self.ev_wait(s, "COUNT", n // 100 + 1, 30)
            recs = self.ev_records(s, "COUNT")
            if len(recs) < 2:
                R.note("ev_drain", 1, key, "< 100 events in 30 s")
                return
            (t0, c0), (t1, c1) = recs[0], recs[-1]
            if int(c1[0]) < n:	# not all: over the whole wait
                t1 = now()
                R.note("ev_drain", 1, key, "%s of %d in %.0f s" %
                       (c1[0], n, (t1 - t0) / 1e9))
            R.add("ev_drain", 1, key,
                  (int(c1[0]) - int(c0[0])) / ((t1 - t0) / 1e9))
        finally:
            s.stop()
            PROCS.kill_all()
            s.cleanup()

    def ev_drain_floor(self):
        """The same EV_DRAIN events handed to evack by evfloor: a blocking
        loop with no supervisor in it, the round trip alone."""
        n = self.EV_DRAIN
        d = tempfile.mkdtemp(prefix="procd-bench-evfloor-", dir=self.tmp)
        f = os.path.join(d, "events")
        try:
            subprocess.run([self.evfloor, self.evack, f, str(n)],
                           check=True, timeout=120)
            recs = []
            with open(f) as fh:
                for line in fh:
                    parts = line.split()
                    if len(parts) == 3 and parts[1] == "COUNT":
                        recs.append((int(parts[0]), int(parts[2])))
            (t0, c0), (t1, c1) = recs[0], recs[-1]
            self.R.add("ev_drain", 1, "floor", (c1 - c0) / ((t1 - t0) / 1e9))
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def ev_count(self, key, row, mode, keys, events):
        R = self.R
        s = self.ev_setup(key, mode,
                          ["autorestart = false",
                           "stdout_logfile = %s/out.log" % "%(here)s",
                           "stdout_logfile_maxbytes = 0",
                           "stderr_logfile = NONE"] + keys, events)
        try:
            s.launch()
            first = self.ev_wait(s, "COUNT", 1, 30)
            if first is None:
                R.note(row, 1, key, "no event in 30 s")
                return
            t0, n0 = first[0][0], int(first[0][1][0])
            deadline = t0 + self.ev_window * 10**9
            while now() < deadline and not s.stalled():
                time.sleep(0.05)
            recs = [r for r in self.ev_records(s, "COUNT") if r[0] <= deadline]
            t1, n1 = recs[-1][0], int(recs[-1][1][0])
            if n1 <= n0:
                R.note(row, 1, key, "< 100 events in %d s" %
                       self.ev_window)
                return
            R.add(row, 1, key, (n1 - n0) / ((t1 - t0) / 1e9))
        finally:
            s.stop()
            PROCS.kill_all()
            s.cleanup()

    def ev_latency(self, key, kills=5):
        """kill -9 of a program -> its PROCESS_STATE_EXITED read by the
        listener, KILLS times."""
        R = self.R
        s = self.ev_setup(key, None, ["autorestart = true"],
                          "PROCESS_STATE")
        name = s.names[0]
        try:
            s.launch()
            if self.ev_wait(s, "COUNT", 1, 30) is None:
                R.note("ev_latency", 1, key, "listener not up in 30 s")
                return
            for i in range(kills):
                if not s.stamps.wait(lambda: name in s.stamps.last, 20):
                    R.note("ev_latency", 1, key, "program did not start")
                    return
                pid = s.stamps.last[name][1]
                start = s.stamps.last[name][0]
                while now() - start < 1.5 * 10**9:   # past startsecs
                    time.sleep(0.01)
                t0 = now()
                os.kill(pid, signal.SIGKILL)
                recs = self.ev_wait(s, "EXITED", i + 1, 20)
                if recs is None:
                    R.note("ev_latency", 1, key, "no EXITED in 20 s")
                    return
                R.add("ev_latency", 1, key, recs[i][0] - t0)
                s.stamps.wait(lambda: s.stamps.last[name][1] != pid, 20)
        finally:
            s.stop()
            PROCS.kill_all()
            s.cleanup()

    # ---- the whole run -------------------------------------------------

    def run(self):
        keys = [k for k in ("procd", "procd-ref", "floor") + PEERS
                if k in self.sups_wanted and k not in self.missing]
        self.keys = keys
        t_begin = self.t_begin = time.monotonic()
        lifecycle = any(self.want(x) for x in ("start", "memory", "control",
                        "idle", "restart", "massdeath", "shutdown"))
        for rep in range(self.reps):
            for n in self.sizes if lifecycle else []:
                ks = [k for k in keys if k in ("procd", "procd-ref", "floor") or
                      n not in self.solo_sizes]
                ks = ks[rep % len(ks):] + ks[:rep % len(ks)]
                log("bench: round %d/%d, N=%d" % (rep + 1, self.reps, n))
                self.round(ks, n)
            if self.want("log"):
                lk = [k for k in ("procd", "supervisord", "file", "pipe")
                      if k in keys or k in ("file", "pipe")]
                lk = lk[rep % len(lk):] + lk[:rep % len(lk)]
                for key in lk:
                    log("bench: round %d/%d, log throughput %s" %
                        (rep + 1, self.reps, key))
                    self.log_run(key)
            if self.want("events"):
                ek = [k for k in ("procd", "supervisord") if k in keys]
                ek = ek[rep % len(ek):] + ek[:rep % len(ek)]
                if "floor" in keys:
                    log("bench: round %d/%d, events floor" %
                        (rep + 1, self.reps))
                    self.ev_drain_floor()
                for key in ek:
                    log("bench: round %d/%d, events %s" %
                        (rep + 1, self.reps, key))
                    for fn in (self.ev_drain, self.ev_throughput,
                               self.ev_throughput_comm, self.ev_latency):
                        try:
                            fn(key)
                        except (OSError, RuntimeError, ValueError,
                                KeyError, IndexError) as e:
                            self.R.note("error", 1, key, str(e)[:100])
                            log("bench: events %s: %s" % (key, e))
            if self.want("metrics"):
                metrics_bench.run(self, keys, rep, SUPS, log)
            for m in modules():
                if self.want(m.SCENARIO):
                    m.run(self, rep)
        if self.want("reexec"):
            reexec_bench.run(self, sys.modules[__name__])
        if self.big and self.want("big"):
            self.in_big = True
            for key in ("procd", "procd-ref", "floor"):
                if key in keys:
                    log("bench: N=%d %s" % (self.big, key))
                    self.round([key], self.big, big=True)
            self.in_big = False
        self.elapsed = time.monotonic() - t_begin


def lines_whole(path, nbytes):
    """Every line of the log is one of the helper's 64-byte lines."""
    if os.stat(path).st_size != nbytes:
        return False
    with open(path, "rb") as f:
        while True:
            b = f.read(64 * 65536)
            if not b:
                return True
            if len(b) % 64 or b[63::64].count(b"\n") != len(b) // 64 \
                    or b.count(b"\n") != len(b) // 64:
                return False


# --------------------------------------------------------------------------
# The report.

def fmt_num(x):
    if x is None:
        return "-"
    a = abs(x)
    if a == 0:
        return "0"
    if a >= 100:
        return "%.0f" % x
    if a >= 10:
        return "%.1f" % x
    if a >= 1:
        return "%.2f" % x
    return "%.3f" % x


def fmt_ratio(r):
    if r is None:
        return "-"
    if r >= 100:
        return "%.0fx" % r
    if r >= 10:
        return "%.1fx" % r
    return "%.2fx" % r


class Report:
    def __init__(self, bench):
        self.B = bench
        self.R = bench.R

    def cell(self, metric, n, key, conv):
        vals = [conv(v) for v in self.R.get(metric, n, key)]
        note = self.R.notes.get((metric, n, key)) or \
            self.R.notes.get(("*", n, key))
        if key in self.B.missing:
            return "n/a"
        if not vals:
            return note or "-"
        med = statistics.median(vals)
        s = fmt_num(med)
        if len(vals) > 1 and min(vals) != max(vals):
            s += " [%s-%s]" % (fmt_num(min(vals)), fmt_num(max(vals)))
        if note:
            s += " (" + note + ")"
        return s

    def med(self, metric, n, key, conv):
        vals = [conv(v) for v in self.R.get(metric, n, key)]
        return statistics.median(vals) if vals else None

    def rows(self):
        """label, metric, n, conversion, higher is better, target."""
        B = self.B
        top = B.sizes[-1]
        mib = lambda v: v / 1024
        r = []
        for n in B.sizes:
            r.append(("start: launch -> all alive, ms", "start", n, ms, False,
                      "<=1.3x floor"))
        for n in B.sizes:
            r.append(("memory: PSS of the supervisor, MiB", "pss", n, mib,
                      False, "<=3 MiB" if n == 1000 else ""))
        for n in B.sizes:
            r.append(("memory: private of the supervisor, MiB", "private", n,
                      mib, False, ""))
        r.append(("idle: context switches in %d s" % B.idle_s, "idle_cs",
                  B.idle_n, float, False, "0"))
        r.append(("idle: CPU ms in %d s" % B.idle_s, "idle_cpu", B.idle_n, ms,
                  False, "0"))
        r.append(("restart latency: kill -9 -> new, ms", "kill_restart",
                  B.idle_n, ms, False, "<=1.5x floor"))
        for n in [x for x in B.sizes if x >= 100]:
            r.append(("status of all, ms", "status", n, ms, False,
                      "<=10 ms" if n == top else ""))
        for n in [x for x in B.sizes if x >= 100]:
            r.append(("restart NAME -> new alive, ms", "restart_cmd", n, ms,
                      False, "<=10 ms" if n == top else ""))
        r.append(("log throughput %d MiB, MiB/s" % (B.log_bytes // MiB), "log",
                  1, float, True, ">=supervisord"))
        r.append(("events to one listener (acks at once), %d queued, /s"
                  % self.B.EV_DRAIN, "ev_drain", 1, float, True,
                  ">=10x supervisord"))
        r.append(("  PROCESS_LOG of a 32 MiB write (an event a read), /s",
                  "ev_tput", 1, float, True, ""))
        r.append(("  capture blocks without end (pool overflowing), /s",
                  "ev_tput_comm", 1, float, True, ""))
        r.append(("event latency: kill -9 -> EXITED read, ms", "ev_latency",
                  1, ms, False, "<=supervisord/10"))
        r += metrics_bench.rows(ms)
        r.append(("mass death: %d of %d back, ms" % (top // 2, top),
                  "massdeath", top, ms, False, "<=1.3x floor"))
        r.append(("mass death: zombies %d s after" % B.zombie_s, "zombies",
                  top, float, False, "0"))
        r.append(("shutdown: all gone, ms", "shutdown", top, ms, False,
                  "<=runit"))
        return r + reexec_bench.rows(B)

    def table(self):
        B = self.B
        keys = ["procd"] + (["procd-ref"] if B.ref_dir else []) + \
            ["floor"] + [p for p in PEERS if p in B.sups_wanted]
        refcol = ["procd/ref"] if B.ref_dir else []
        head = ["", "N"] + keys + ["procd/best peer", "procd/floor"] + \
            refcol + ["target"]
        rows = [head]
        for label, metric, n, conv, higher, target in self.rows():
            if not any(self.R.get(metric, n, k) or (metric, n, k) in self.R.notes
                       for k in keys):
                continue
            cells = []
            for k in keys:
                if metric == "log" and k == "floor":
                    cells.append(self.cell(metric, n, "file", conv) + " (file)")
                else:
                    cells.append(self.cell(metric, n, k, conv))
            p = self.med(metric, n, "procd", conv)
            peers = [self.med(metric, n, k, conv) for k in PEERS
                     if k in keys]
            peers = [x for x in peers if x is not None]
            best = (max(peers) if higher else min(peers)) if peers else None
            flo = self.med(metric, n, "file" if metric == "log" else "floor", conv)
            ref = [ratio(p, self.med(metric, n, "procd-ref", conv))] \
                if refcol else []
            rows.append([label, str(n) if n > 1 else ""] + cells +
                        [ratio(p, best), ratio(p, flo)] + ref + [target])
            if metric == "log":
                pc = self.cell("log", 1, "pipe", conv)
                whole = self.R.get("log_whole", 1, "procd")
                rows.append(["  pipe + cat reference", ""] +
                            [("lines whole" if whole and all(whole) else
                              "LINES BROKEN" if whole else "-")] +
                            [pc + " (pipe)"] + [""] * (len(keys) - 2) +
                            [""] * (3 + len(refcol)))
        # Show a repeated label only once.
        prev = None
        for r in rows[1:]:
            if r[0] == prev:
                r[0] = ""
            else:
                prev = r[0]
        return render(rows)

    def growth(self, key="procd"):
        B = self.B
        ns = [n for n in B.sizes + [B.big] if self.R.get("start", n, key)]
        if not ns:
            return ""
        rows = [["N", "start ms", "floor ms", "start/floor", "PSS KiB",
                 "private KiB", "KiB/program+", "status ms", "us/program*",
                 "shutdown ms"]]
        prev = None
        for n in ns:
            st = self.med("start", n, key, ms)
            fl = self.med("start", n, "floor", ms)
            pss = self.med("pss", n, key, float)
            priv = self.med("private", n, key, float)
            stat = self.med("status", n, key, ms)
            sd = self.med("shutdown", n, key, ms)
            per = None
            if prev is not None and priv is not None and prev[1] is not None:
                per = (priv - prev[1]) / (n - prev[0])
            # Per program: what status costs beyond the client's own exec.
            exe = self.med("status", n, "floor", ms)
            each = (stat - exe) * 1000 / n if stat and exe is not None else None
            if each is not None and each < 0:
                each = 0        # within the noise of the client's exec
            rows.append([str(n), fmt_num(st), fmt_num(fl), ratio(st, fl),
                         fmt_num(pss), fmt_num(priv), fmt_num(per),
                         fmt_num(stat), fmt_num(each), fmt_num(sd)])
            prev = (n, priv)
        return render(rows)

    def targets(self):
        """One line per target of issue 6: met or missed, by how much."""
        out = []
        m = lambda metric, n, key, conv=ms: self.med(metric, n, key, conv)

        def check(what, val, limit, unit, ok_if_le=True):
            if val is None or limit is None:
                out.append("  ?    %-46s not measured" % what)
                return
            ok = val <= limit if ok_if_le else val >= limit
            u = " " + unit if unit else ""
            out.append("  %-4s %-46s %s%s vs %s%s" % (
                "ok" if ok else "MISS", what, fmt_num(val), u,
                fmt_num(limit), u))

        B = self.B
        top = B.sizes[-1]
        for n in B.sizes:
            fl = m("start", n, "floor")
            check("start N=%d <= 1.3x floor" % n, m("start", n, "procd"),
                  fl * 1.3 if fl else None, "ms")
        check("memory N=%d <= 3 MiB" % top, m("pss", top, "procd", float),
              3072, "KiB")
        lo = B.sizes[0]
        a, b = (m("private", lo, "procd", float),
                m("private", top, "procd", float))
        check("memory <= 2 KiB per extra program (private, %d->%d)" %
              (lo, top),
              (b - a) / (top - lo) if a is not None and b is not None else None,
              2, "KiB")
        check("idle context switches = 0", m("idle_cs", B.idle_n, "procd", float),
              0, "")
        check("idle CPU = 0", m("idle_cpu", B.idle_n, "procd"), 0, "ms")
        fl = m("kill_restart", B.idle_n, "floor")
        check("restart latency <= 1.5x floor",
              m("kill_restart", B.idle_n, "procd"),
              fl * 1.5 if fl else None, "ms")
        check("status N=%d <= 10 ms" % top, m("status", top, "procd"), 10, "ms")
        check("restart NAME N=%d <= 10 ms" % top, m("restart_cmd", top, "procd"),
              10, "ms")
        check("log throughput >= supervisord", m("log", 1, "procd", float),
              m("log", 1, "supervisord", float), "MiB/s", ok_if_le=False)
        whole = self.R.get("log_whole", 1, "procd")
        if whole:
            out.append("  %-4s %s" % ("ok" if all(whole) else "MISS",
                                      "log lines kept whole"))
        fl = m("massdeath", top, "floor")
        check("mass death %d of %d <= 1.3x floor" % (top // 2, top),
              m("massdeath", top, "procd"), fl * 1.3 if fl else None, "ms")
        check("zombies %d s after mass death = 0" % B.zombie_s,
              m("zombies", top, "procd", float), 0, "")
        check("shutdown N=%d <= runit" % top, m("shutdown", top, "procd"),
              m("shutdown", top, "runit"), "ms")
        return "\n".join(out)


def ratio(a, b):
    if a is None or b is None:
        return "-"
    if b == 0:
        return "=" if a == 0 else "inf"
    return fmt_ratio(a / b)


def render(rows):
    w = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for j, r in enumerate(rows):
        cells = [r[0].ljust(w[0])] + [c.rjust(w[i]) for i, c in
                                       enumerate(r[1:], 1)]
        out.append("  ".join(cells).rstrip())
        if j == 0:
            out.append("  ".join("-" * x for x in w))
    return "\n".join(out)


def versions(B):
    v = []
    try:
        r = subprocess.run([B.procd, "--version"], capture_output=True, text=True)
        v.append(r.stdout.strip().splitlines()[0] if r.stdout.strip() else "procd")
    except OSError:
        pass
    for pkg in ("supervisor", "runit", "s6"):
        r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg],
                           capture_output=True, text=True)
        if r.returncode == 0 and r.stdout:
            v.append("%s %s" % (pkg, r.stdout))
    return ", ".join(v)


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def report(B):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    rep = Report(B)
    print()
    print("procd benchmark%s: %d round(s), interleaved; medians [min-max]" %
          (" (--quick)" if B.quick else "", B.reps))
    print("machine: %d cpu (%s), Linux %s; %s" % (
        os.cpu_count(), cpu, platform.release(), versions(B)))
    print("load average: %s at the start, %s at the end (anything else "
          "running skews the figures)" % (B.load0, loadavg()))
    if getattr(B, "big_note", None):
        print(B.big_note)
    for p, why in B.missing.items():
        print("not in this run: %s (%s)" % (p, why))
    print()
    print(rep.table())
    print()
    print("ratios: procd / best peer and procd / floor (lower is better, "
          "except throughput).")
    print("Programs: the stamp helper, startsecs=0 and autorestart=true for "
          "procd and supervisord")
    print("(peers do not wait either); procd and supervisord log each "
          "program's stdout/stderr to")
    print("AUTO files (their default), runit/s6 run scripts are '#!/bin/sh "
          "exec stamp ...' and their")
    print("output goes nowhere; floor = fork+exec in a C loop with procd's "
          "pipes/pgrp/fd set-up.")
    print("Memory: procd's own PSS; runit/s6: runsvdir/s6-svscan plus one "
          "runsv/s6-supervise per program.")
    print("Status: procctl status, supervisorctl status, sv status DIR..., "
          "s6-svstat run once per service;")
    print("  its floor is 'procctl --version' (the client's exec, no daemon "
          "work).")
    print("Restart NAME: procctl/supervisorctl/sv restart, s6-svc -r, until "
          "the new instance has stamped;")
    print("  its floor is 'procctl --version' followed by kill -9 and the "
          "floor's respawn.")
    print("Log: one program writes %d MiB of 64-byte lines; procd/supervisord "
          "log with maxbytes=0." % (B.log_bytes // MiB))
    g = rep.growth()
    if g:
        print()
        print("How procd's cost grows (floor = the same N in the C loop):")
        print(g)
        print("* status time beyond the client's exec (procctl --version), "
              "per program")
        print("+ growth of procd's private memory (heap, stack, written "
              "pages) per program\n  since the row above; PSS also moves "
              "with how many others share its libraries")
    g = rep.growth("procd-ref") if B.ref_dir else ""
    if g:
        print()
        print("The same for procd-ref (%s), measured in the same rounds:" %
              B.ref_dir)
        print(g)
    for m in modules():
        text = m.report(B)
        if text:
            print()
            print(text)
    print()
    print("Targets (issue 6):")
    print(rep.targets())
    errs = [(k, v) for k, v in B.R.notes.items() if k[0] in ("error", "leftover")]
    for (what, n, key), text in errs:
        print("note: %s N=%d: %s" % (key, n, text))
    print()
    print("total time: %.0f s" % B.elapsed)


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--quick", action="store_true",
                    help="one round, short windows (under 2 minutes)")
    ap.add_argument("--reps", type=int, default=0, help="rounds (default 3, quick 1)")
    ap.add_argument("--idle", type=int, default=0, help="idle window, seconds")
    ap.add_argument("--only", default="",
                    help="scenarios: start,memory,idle,control,restart,"
                         "massdeath,shutdown,log,events,metrics,reexec,big,dash, "
                         "and the modules' (xmlrpc)")
    ap.add_argument("--sups", default="procd,floor,supervisord,runit,s6")
    ap.add_argument("--no-install", action="store_true",
                    help="do not apt-get install missing peers")
    ap.add_argument("--no-big", action="store_true", help="skip N=10000")
    ap.add_argument("--keep", action="store_true", help="keep temp dirs")
    ap.add_argument("--build-ref", default="", metavar="DIR",
                    help="another procd build (DIR/procd, DIR/procctl, e.g. "
                         "an older commit's) measured as column procd-ref "
                         "in the same rounds")
    args = ap.parse_args()

    B = Bench(args)
    B.sups_wanted = [s for s in args.sups.split(",") if s]
    refs = []
    if B.ref_dir:
        B.sups_wanted.append("procd-ref")
        refs = [os.path.join(B.ref_dir, x) for x in ("procd", "procctl")]
    for f in [B.procd, B.procctl, B.stamp, B.floor, B.evack,
              B.evfloor] + refs:
        if not os.access(f, os.X_OK):
            sys.exit("bench: %s missing: run make bench" % f)

    def on_signal(signo, frame):
        raise Interrupted("signal %d" % signo)
    signal.signal(signal.SIGINT, on_signal)     # even if started with it ignored
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    PROCS.subreaper()
    if B.big:
        B.fd_budget()
    B.tmp = tempfile.mkdtemp(prefix="procd-bench.")
    B.load0 = loadavg()
    code = 0
    try:
        B.find_peers()
        B.run()
        report(B)
        # Scenarios in modules of their own, each printing its own table.
        if B.want("dash"):
            import dash_bench
            dash_bench.main(B, PROCS)
    except (KeyboardInterrupt, Interrupted) as e:
        log("bench: interrupted (%s): stopping everything" % (e or "Ctrl-C"))
        code = 130
        if B.R.v:
            B.elapsed = time.monotonic() - B.t_begin
            print("\n(interrupted: what was measured so far)")
            report(B)
    finally:
        left = PROCS.kill_all()
        if left:
            log("bench: killed %d leftover processes" % left)
        if not args.keep:
            shutil.rmtree(B.tmp, ignore_errors=True)
        else:
            log("bench: kept %s" % B.tmp)
    return code


if __name__ == "__main__":
    sys.exit(main())
