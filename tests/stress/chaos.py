#!/usr/bin/env python3
"""chaos.py -- a randomized concurrent-client stress test for procd.

Starts one procd on a random small configuration (made from --seed), then
lets --clients threads issue random procctl commands at it at the same
time for --duration seconds: start/stop/restart/signal of processes,
groups and `all`, status, update/reread after rewriting the configuration
(sometimes with errors), tail, tail -f and watch cut short, raw clients
that vanish mid-request, and the crossing pattern of issue 12 section 1.
The invariants are described in tests/stress/README.md.

Python 3 standard library only.  Exit status 0 when every invariant held.
The last line printed is "chaos: N passed, M failed".
"""

import argparse
import collections
import copy
import json
import os
import random
import re
import resource
import shlex
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

STATES = ("STOPPED", "STARTING", "RUNNING", "BACKOFF", "STOPPING",
          "EXITED", "FATAL", "UNKNOWN")
DOWN = ("STOPPED", "EXITED", "FATAL")

# Exit statuses procctl(1) documents, per command.
RCS = {
    "status": {0, 3, 4}, "start": {0, 1, 7}, "stop": {0, 1},
    "restart": {0, 1, 7}, "signal": {0, 1, 7}, "pid": {0, 1},
    "tail": {0, 1}, "maintail": {0, 1}, "clear": {0, 1},
    "reread": {0, 1}, "update": {0, 1}, "reload": {0, 1},
    "avail": {0, 1}, "version": {0}, "watch": set(),
}

# Signs of a client that lost procd instead of getting an answer.
LOST = ("cannot reach procd", "closed the connection", "Connection reset",
        "Broken pipe", "timed out")


def now():
    return time.monotonic()


# ---------------------------------------------------------------- config

class Cfg:
    """A configuration: programs in creation order (a program depends only
    on earlier ones, so the graph stays acyclic) and maybe one [group:]."""

    def __init__(self):
        self.progs = []         # dicts, see gen_prog
        self.bundle = None      # (group name, [program names]) or None

    def prog(self, name):
        for p in self.progs:
            if p["name"] == name:
                return p
        return None

    def addresses(self):
        """Process addresses as procctl takes them, and group names."""
        names, groups = [], []
        bundled = set(self.bundle[1]) if self.bundle else set()
        if self.bundle:
            groups.append(self.bundle[0])
        for p in self.progs:
            procs = ([p["name"]] if p["numprocs"] == 1 else
                     ["%s_%02d" % (p["name"], i)
                      for i in range(p["numprocs"])])
            if p["name"] in bundled:
                grp = self.bundle[0]
            else:
                grp = p["name"]
                groups.append(grp)
            for q in procs:
                names.append(q if q == grp else "%s:%s" % (grp, q))
        return names, groups


KINDS = ("forever", "forever", "ticker", "slow", "slow", "exit0", "exit3",
         "crash", "crashlate", "deaf", "ready")
SIGS = ("SEGV", "KILL", "ABRT", "TERM", "BUS")


AVOID = set()       # kinds left out (--avoid), to get past a known bug


def gen_prog(rng, name, cfg, allow_deaf=True):
    kinds = [k for k in KINDS if (allow_deaf or k != "deaf") and
             k not in AVOID] or ["forever"]
    kind = rng.choice(kinds)
    p = {"name": name, "kind": kind, "bad": None}
    multi = kind in ("forever", "ticker", "slow", "crashlate", "deaf")
    p["numprocs"] = rng.choice((1, 1, 1, 2, 3)) if multi else 1
    p["priority"] = rng.choice((1, 5, 10, 100, 500, 999))
    if "priority" in AVOID:
        p["priority"] = 999
    p["autostart"] = rng.random() < 0.6
    p["autorestart"] = rng.choice(("true", "false", "unexpected"))
    p["startretries"] = rng.choice((0, 1, 2, 3))
    p["startsecs"] = rng.choice((0, 0, 1))
    p["stopwaitsecs"] = rng.choice((1, 2))
    p["exitcodes"] = rng.choice(("0", "0", "0,3"))
    p["sig"] = rng.choice(SIGS)
    p["redirect_stderr"] = rng.random() < 0.3
    p["small_log"] = rng.random() < 0.3
    p["stopasgroup"] = rng.random() < 0.2
    if kind == "slow":
        # Long STARTING windows: where a start waits while others act
        # (issue 12 section 1 had startsecs=10).
        p["startsecs"] = rng.choice((1, 2, 2, 3, 5))
    elif kind in ("crash", "exit0"):
        p["startsecs"] = rng.choice((0, 1))
    elif kind == "crashlate":
        p["startsecs"] = 1
    elif kind == "deaf":
        p["stopwaitsecs"] = 1
    p["depends"] = []
    earlier = [q["name"] for q in cfg.progs if dependable(q)]
    if earlier and rng.random() < 0.4:
        p["depends"] = rng.sample(earlier, min(len(earlier),
                                               rng.choice((1, 1, 2))))
    return p


# What others may depend on: programs that run until stopped and come back
# when they die.  A start waits for a dependency that is down (procd.ini(5),
# depends_on) -- forever if nothing will start it again, such as one that
# exited by design or was killed with autorestart=false.
LONG = ("forever", "slow", "ticker", "ready", "deaf")


def dependable(p):
    return p["kind"] in LONG and p["autorestart"] == "true"


def depended(cfg, name):
    return any(name in q["depends"] for q in cfg.progs)


def command_of(p):
    k = p["kind"]
    if k in ("forever", "slow"):
        return "/bin/sh -c 'exec sleep 1000'"
    if k == "ticker":
        return ("/bin/sh -c 'while :; do echo tick $$; echo tock >&2; "
                "sleep 0.2; done'")
    if k == "exit0":
        return "/bin/sh -c 'echo bye; exit 0'"
    if k == "exit3":
        return "/bin/sh -c 'echo three; sleep 0.3; exit 3'"
    if k == "crash":
        return "/bin/sh -c 'sleep 0.2; kill -%s $$'" % p["sig"]
    if k == "crashlate":
        return "/bin/sh -c 'echo up; sleep 1.5; kill -%s $$'" % p["sig"]
    if k == "deaf":
        return ("/bin/sh -c \"trap '' TERM; echo deaf; "
                "while :; do sleep 0.2; done\"")
    if k == "ready":
        return "/bin/sh -c 'sleep 0.4; echo >&3; exec sleep 1000'"
    raise ValueError(k)


def gen_config(rng):
    cfg = Cfg()
    n = rng.randint(4, 8)
    deaf = 0
    for i in range(n):
        p = gen_prog(rng, "p%d" % i, cfg, allow_deaf=deaf < 2)
        deaf += p["kind"] == "deaf"
        cfg.progs.append(p)
    # Always one program that takes long to start and is not autostarted,
    # and one quick one of a higher priority value: the pair of issue 12.
    slow = gen_prog(rng, "p%d" % n, cfg, allow_deaf=False)
    slow.update(kind="slow", startsecs=rng.choice((2, 3)), autostart=False,
                numprocs=1, priority=999 if "priority" in AVOID else 1)
    cfg.progs.append(slow)
    if rng.random() < 0.3:
        singles = [p["name"] for p in cfg.progs if p["numprocs"] == 1]
        if len(singles) >= 2:
            cfg.bundle = ("bundle", rng.sample(singles, 2))
    return cfg


def render(cfg, d):
    out = ["[procd]",
           "socket = %s/procd.sock" % d,
           "pidfile = %s/procd.pid" % d,
           "logfile = %s/procd.log" % d,
           "childlogdir = %s" % d,
           "loglevel = debug",
           ""]
    for p in cfg.progs:
        bad = p["bad"]
        out.append("[program:%s]" % p["name"])
        if bad != "nocommand":
            out.append("command = %s" % command_of(p))
        if p["numprocs"] > 1 or bad == "badnum":
            out.append("numprocs = %d" % max(p["numprocs"], 2))
            if bad != "badnum":
                out.append("process_name = %(program_name)s_%(process_num)02d")
        out.append("priority = %d" % p["priority"])
        out.append("autostart = %s" % str(p["autostart"]).lower())
        out.append("autorestart = %s" % p["autorestart"])
        out.append("startsecs = %s" % ("soon" if bad == "badsecs"
                                       else p["startsecs"]))
        out.append("startretries = %d" % p["startretries"])
        out.append("stopwaitsecs = %d" % p["stopwaitsecs"])
        out.append("exitcodes = %s" % p["exitcodes"])
        out.append("backoff_max = 2")
        if p["stopasgroup"] or bad == "badgroup":
            out.append("stopasgroup = true")
            out.append("killasgroup = %s" % ("false" if bad == "badgroup"
                                             else "true"))
        if p["redirect_stderr"]:
            out.append("redirect_stderr = true")
        if p["small_log"]:
            out.append("stdout_logfile_maxbytes = 2KB")
            out.append("stdout_logfile_backups = 1")
        if p["kind"] == "ready":
            out.append("ready = fd:3")
            out.append("ready_timeout = 5")
        deps = list(p["depends"])
        if bad == "nosuchdep":
            deps.append("ghost")
        if deps:
            out.append("depends_on = %s" % ", ".join(deps))
        out.append("")
    if cfg.bundle:
        out.append("[group:%s]" % cfg.bundle[0])
        out.append("programs = %s" % ",".join(cfg.bundle[1]))
        out.append("")
    text = "\n".join(out)
    # A blank before ';' or '#' starts a comment (procd.ini(5)).
    assert " ;" not in text and " #" not in text, text
    return text


def mutate(rng, cfg, tag):
    """A valid variant of cfg: add, remove or change a program."""
    c = copy.deepcopy(cfg)
    for p in c.progs:
        p["bad"] = None
    what = rng.choice(("add", "add", "remove", "change", "change", "change"))
    if what == "remove" and len(c.progs) > 3:
        p = rng.choice(c.progs)
        c.progs.remove(p)
        for q in c.progs:
            if p["name"] in q["depends"]:
                q["depends"].remove(p["name"])
        if c.bundle and p["name"] in c.bundle[1]:
            rest = [n for n in c.bundle[1] if n != p["name"]]
            c.bundle = (c.bundle[0], rest) if rest else None
        return c, "remove %s" % p["name"]
    if what == "add" and len(c.progs) < 10:
        deaf = sum(p["kind"] == "deaf" for p in c.progs)
        p = gen_prog(rng, tag, c, allow_deaf=deaf < 2)
        c.progs.append(p)
        return c, "add %s (%s)" % (tag, p["kind"])
    p = rng.choice(c.progs)
    key = rng.choice(("kind", "startsecs", "priority", "autostart",
                      "numprocs", "depends", "autorestart"))
    if key in ("kind", "autorestart") and depended(c, p["name"]):
        key = "priority"
    if key == "kind":
        p["kind"] = rng.choice([k for k in KINDS if k != "deaf" and
                                k not in AVOID] or ["forever"])
    elif key == "startsecs":
        p["startsecs"] = rng.choice((0, 1, 2, 3))
    elif key == "priority":
        if "priority" not in AVOID:
            p["priority"] = rng.choice((1, 5, 10, 100, 500, 999))
    elif key == "autostart":
        p["autostart"] = not p["autostart"]
    elif key == "numprocs":
        bundled = c.bundle and p["name"] in c.bundle[1]
        if not bundled:
            p["numprocs"] = rng.choice((1, 2, 3))
    elif key == "depends":
        i = c.progs.index(p)
        earlier = [q["name"] for q in c.progs[:i] if dependable(q)]
        p["depends"] = rng.sample(earlier, min(len(earlier), 1))
    elif key == "autorestart":
        p["autorestart"] = rng.choice(("true", "false", "unexpected"))
    return c, "change %s %s" % (p["name"], key)


def break_config(rng, cfg):
    """An invalid variant of cfg (the error path of reread/update)."""
    c = copy.deepcopy(cfg)
    how = rng.choice(("cycle", "nosuchdep", "badnum", "badsecs",
                      "nocommand", "badgroup"))
    p = rng.choice(c.progs)
    if how == "cycle":
        withdeps = [q for q in c.progs if q["depends"]]
        if withdeps:
            p = rng.choice(withdeps)
            c.prog(p["depends"][0])["depends"].append(p["name"])
        else:
            p["depends"].append(p["name"])
    else:
        p["bad"] = how
    return c, "break %s (%s)" % (p["name"], how)


# ---------------------------------------------------------------- /proc

def proc_stat(pid):
    """(state, ppid) of pid, or None when there is no such process."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
    except (OSError, ValueError):
        return None
    rest = s[s.rindex(")") + 2:].split()
    return rest[0], int(rest[1])


def alive(pid):
    st = proc_stat(pid)
    return st is not None and st[0] not in ("Z", "X")


def zombies_of(ppid):
    out = []
    for e in os.listdir("/proc"):
        if e.isdigit():
            st = proc_stat(int(e))
            if st and st[0] == "Z" and st[1] == ppid:
                out.append(int(e))
    return out


def tree(pid):
    """The descendants of pid."""
    out = []
    try:
        for t in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, t)) as f:
                for c in f.read().split():
                    out.append(int(c))
                    out += tree(int(c))
    except OSError:
        pass
    return out


def fd_count(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return -1


def cpu_secs(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
        rest = s[s.rindex(")") + 2:].split()
        return (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def poll(deadline_s, cond, interval=0.05):
    """Poll cond() until true or the deadline passes; return its value."""
    end = now() + deadline_s
    while True:
        v = cond()
        if v or now() >= end:
            return v
        time.sleep(interval)    # poll interval, not a wait for an outcome


# ---------------------------------------------------------------- the run

class Chaos:
    def __init__(self, a):
        self.a = a
        self.d = os.path.abspath(a.dir)
        self.conf = os.path.join(self.d, "procd.ini")
        self.sock = os.path.join(self.d, "procd.sock")
        self.slow = max(1.0, a.slow)
        self.tmo = a.timeout * self.slow
        self.grace = 3 * self.slow
        self.lock = threading.Lock()
        self.cfg_lock = threading.Lock()
        self.stop = threading.Event()
        self.mon_stop = threading.Event()
        self.failures = []
        self.passed = 0
        self.ncmds = 0
        self.hist = {}
        self.known = set(["nosuch", "nosuch:*"])
        self.pid = None
        self.t0 = now()
        env = dict(os.environ)
        for var, name in (("ASAN_OPTIONS", "asan"), ("UBSAN_OPTIONS", "ubsan")):
            opts = [o for o in env.get(var, "").split(":")
                    if o and not o.startswith("log_path=")]
            opts.append("log_path=%s/%s" % (self.d, name))
            if var == "UBSAN_OPTIONS":
                opts.append("print_stacktrace=1")
            env[var] = ":".join(opts)
        env.pop("PROCD_SOCKET", None)
        env["NO_COLOR"] = "1"
        self.env = env

    # -- bookkeeping

    def fail(self, who, msg):
        with self.lock:
            self.failures.append("%s: %s" % (who, msg))
        print("chaos: FAIL %s: %s" % (who, msg), flush=True)
        self.stop.set()

    def record(self, who, cmd, rc, dur, out, ok):
        with self.lock:
            self.ncmds += 1
            if ok:
                self.passed += 1
            h = self.hist.setdefault(who, collections.deque(maxlen=50))
            h.append("%7.2f %-5s rc=%-4s %5.2fs %s -> %s" % (
                now() - self.t0, "ok" if ok else "FAIL", rc, dur,
                cmd, out.strip().replace("\n", " | ")[:300]))

    def set_cfg(self, cfg):
        names, groups = cfg.addresses()
        with self.lock:
            self.cfg = cfg
            self.names = names
            self.groups = groups
            self.known.update(names)
            self.known.update(g + ":*" for g in groups)

    def write_cfg(self, cfg):
        tmp = self.conf + ".tmp"
        with open(tmp, "w") as f:
            f.write(render(cfg, self.d))
        os.replace(tmp, self.conf)

    # -- procctl

    def ctl(self, args, json_flag=False, timeout=None):
        argv = [self.a.procctl, "-s", self.sock]
        if json_flag:
            argv.append("--json")
        argv += args
        t = now()
        try:
            r = subprocess.run(argv, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=self.env, timeout=timeout or self.tmo)
            return (r.returncode, r.stdout.decode("utf-8", "replace"),
                    r.stderr.decode("utf-8", "replace"), now() - t)
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode("utf-8", "replace")
            return None, out, "", now() - t

    def check_answer(self, cmd, rc, out, err):
        """Problems with one answer of procctl: a list of strings."""
        bad = []
        name = [w for w in cmd if w != "--json"][0]
        both = out + err
        if rc is None:
            return ["no answer within %.0f s (hang)" % self.tmo]
        if rc < 0:
            return ["procctl died of signal %d" % -rc]
        if rc == 1 and re.match(r"^ERROR: procd is (reloading|shutting "
                                r"down)\n?$", both):
            return []   # any command, while a reload is under way
        if rc not in RCS.get(name, {0, 1}):
            bad.append("exit status %d not documented for %s" % (rc, name))
        if rc != 0 and not both.strip():
            bad.append("exit status %d with an empty answer" % rc)
        for w in LOST:
            if w in both:
                bad.append("lost procd: %r" % err.strip()[:200])
                break
        if "AddressSanitizer" in both or "runtime error" in both:
            bad.append("sanitizer output in the answer")
        lines = [ln for ln in out.splitlines() if ln]
        generic = re.compile(r"^ERROR: procd is (reloading|shutting down)$")
        if name in ("start", "stop", "restart", "signal"):
            word = {"start": "started", "stop": "stopped",
                    "restart": "(started|stopped)",
                    "signal": "signalled"}[name]
            pat = re.compile(r"^\S+: (%s|ERROR \(.+\)|not restarted "
                             r"\(rolling restart halted\))$" % word)
            for ln in lines:
                if not pat.match(ln) and not generic.match(ln) and \
                        not ln.startswith("ERROR: bad signal name"):
                    bad.append("unexpected line %r" % ln)
                    break
        elif name == "status" and "--json" not in cmd:
            pat = re.compile(r"^\S+ +(%s)( |$)|^\S+: ERROR \(no such process\)$"
                             % "|".join(STATES))
            for ln in lines:
                if not pat.match(ln):
                    bad.append("unexpected status line %r" % ln)
                    break
        elif name == "pid" and "--json" not in cmd:
            for ln in lines:
                if not re.match(r"^(\d+|No such process \S+)$", ln) and \
                        not generic.match(ln):
                    bad.append("unexpected pid line %r" % ln)
                    break
        return bad

    def procd_ok(self, who):
        if not alive(self.pid):
            self.fail(who, "procd (pid %d) is gone" % self.pid)
            return False
        return True

    def run_cmd(self, who, args, json_flag=False, check=None):
        rc, out, err, dur = self.ctl(args, json_flag)
        shown = (["--json"] if json_flag else []) + args
        bad = self.check_answer(shown, rc, out, err)
        if not bad and check:
            bad = check(rc, out, err)
        ok = not bad
        self.record(who, " ".join(shown), rc, dur, out + err, ok)
        if bad:
            self.fail(who, "procctl %s -> rc %s: %s; stdout %r stderr %r" % (
                " ".join(shown), rc, "; ".join(bad), out[-400:], err[-400:]))
        self.procd_ok(who)
        return rc, out, err

    # -- invariants on status

    def running_pids_ok(self, out):
        """Every RUNNING pid exists, is not a zombie and is procd's child;
        a failing one is asked about again until the deadline (procd may
        not have reaped it yet)."""
        try:
            doc = json.loads(out)
        except ValueError as e:
            return ["status --json: not JSON (%s): %r" % (e, out[:300])]
        if not isinstance(doc, list):
            return ["status --json: not an array"]
        bad = []
        for ent in doc:
            if ent.get("state") not in STATES:
                bad.append("unknown state %r" % ent.get("state"))
            if ent.get("state") != "RUNNING":
                continue
            pid, name = ent.get("pid", 0), ent.get("name")
            if not isinstance(pid, int) or pid <= 0:
                bad.append("%s RUNNING with pid %r" % (name, pid))
                continue
            if self.child_ok(pid):
                continue

            def settled():
                if self.child_ok(pid):
                    return True
                rc, o, err, _ = self.ctl(["status", name], json_flag=True)
                if "no such process" in o + err:
                    return True     # removed by an update meanwhile
                try:
                    e = json.loads(o)[0]
                except (ValueError, IndexError, KeyError):
                    return rc is None
                return not (e.get("state") == "RUNNING" and
                            e.get("pid") == pid)
            if not poll(self.grace, settled, 0.1):
                st = proc_stat(pid)
                bad.append("%s RUNNING with pid %d, which is %s" % (
                    name, pid, "gone" if st is None else
                    "state %s, ppid %d" % st))
        return bad

    def child_ok(self, pid):
        st = proc_stat(pid)
        return st is not None and st[0] != "Z" and st[1] == self.pid

    # -- the clients

    def targets(self, rng):
        with self.lock:
            names, groups = list(self.names), list(self.groups)
            known = sorted(self.known)
        k = rng.random()
        if k < 0.05:
            return ["all"]
        out = []
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            r = rng.random()
            if r < 0.75 and names:
                out.append(rng.choice(names))
            elif r < 0.9 and groups:
                out.append(rng.choice(groups) + ":*")
            else:
                out.append(rng.choice(known))
        return out

    def one_name(self, rng):
        with self.lock:
            names = list(self.names)
        return rng.choice(names) if names and rng.random() < 0.9 \
            else "nosuch"

    def client(self, i):
        who = "client%d" % i
        rng = random.Random(self.a.seed * 1000 + i)
        self.hist[who] = collections.deque(maxlen=50)
        acts = [
            (10, self.act_start), (10, self.act_stop), (5, self.act_restart),
            (2, self.act_rolling), (4, self.act_signal), (5, self.act_status),
            (6, self.act_status_json), (3, self.act_pid), (2, self.act_avail),
            (2, self.act_reread), (2, self.act_update), (4, self.act_mutate),
            (1, self.act_break), (3, self.act_tail), (2, self.act_follow),
            (2, self.act_watch), (1, self.act_misc), (4, self.act_raw),
            (2, self.act_killed_ctl), (4, self.act_crossing),
            (1, self.act_procd_signal), (0.2, self.act_reload),
        ]
        total = sum(w for w, _ in acts)
        k = 0
        while not self.stop.is_set() and \
                now() - self.t0 < self.a.duration:
            x = rng.random() * total
            for w, f in acts:
                x -= w
                if x < 0:
                    break
            k += 1
            try:
                f(who, rng, k)
            except Exception as e:   # a bug here is a failure too
                import traceback
                self.fail(who, "exception in %s: %s\n%s" % (
                    f.__name__, e, traceback.format_exc()))
            # Load shape between commands, not a wait for anything.
            time.sleep(rng.choice((0, 0, 0, 0.02, 0.05, 0.1, 0.3)))

    def act_start(self, who, rng, k):
        self.run_cmd(who, ["start"] + self.targets(rng))

    def act_stop(self, who, rng, k):
        self.run_cmd(who, ["stop"] + self.targets(rng))

    def act_restart(self, who, rng, k):
        self.run_cmd(who, ["restart"] + self.targets(rng))

    def act_rolling(self, who, rng, k):
        self.run_cmd(who, ["restart", "--rolling"] + self.targets(rng))

    def act_signal(self, who, rng, k):
        sig = rng.choice(("HUP", "USR1", "TERM", "SIGHUP", "INT", "KILL",
                          "15", "BOGUS"))
        self.run_cmd(who, ["signal", sig] + self.targets(rng))

    def act_status(self, who, rng, k):
        self.run_cmd(who, ["status"] + (self.targets(rng)
                                        if rng.random() < 0.5 else []))

    def act_status_json(self, who, rng, k):
        def check(rc, out, err):
            return self.running_pids_ok(out)
        self.run_cmd(who, ["status"], json_flag=True, check=check)

    def act_pid(self, who, rng, k):
        self.run_cmd(who, ["pid"] + (self.targets(rng)
                                     if rng.random() < 0.8 else []),
                     json_flag=rng.random() < 0.2)

    def act_avail(self, who, rng, k):
        self.run_cmd(who, ["avail"], json_flag=rng.random() < 0.3)

    def act_reread(self, who, rng, k):
        self.run_cmd(who, ["reread"], json_flag=rng.random() < 0.3)

    def act_update(self, who, rng, k):
        with self.lock:
            groups = list(self.groups)
        args = ["update"]
        if groups and rng.random() < 0.3:
            args += rng.sample(groups, 1)
        elif rng.random() < 0.2:
            args.append("all")
        self.run_cmd(who, args)

    def act_mutate(self, who, rng, k):
        with self.cfg_lock:
            with self.lock:
                cfg = self.cfg
            c, what = mutate(rng, cfg, "n%dx%d" % (int(who[6:]), k))
            self.write_cfg(c)
            self.set_cfg(c)
            self.record(who, "(config: %s)" % what, 0, 0, "", True)
        self.run_cmd(who, [rng.choice(("update", "update", "reread"))])

    def act_break(self, who, rng, k):
        with self.cfg_lock:
            with self.lock:
                cfg = self.cfg
            c, what = break_config(rng, cfg)
            self.write_cfg(c)
            self.record(who, "(config: %s)" % what, 0, 0, "", True)
            cmd = rng.choice(("reread", "update", "avail"))

            def check(rc, out, err):
                if rc == 1 and "procd is reloading" in out + err:
                    return []   # refused before the file was read
                if rc != 1 or "nothing changed" not in err:
                    return ["a configuration with errors was not refused"]
                return []
            self.run_cmd(who, [cmd], check=check)
            self.write_cfg(cfg)     # the valid one again

    def act_tail(self, who, rng, k):
        args = ["tail"]
        if rng.random() < 0.5:
            args.append("-%d" % rng.choice((1, 10, 100, 5000)))
        args.append(self.one_name(rng))
        if rng.random() < 0.4:
            args.append(rng.choice(("stdout", "stderr")))
        self.run_cmd(who, args)

    def bg(self, who, args, json_flag=False):
        """Run procctl in the background for a random while, then
        interrupt it; it must not have ended by itself with an error."""
        argv = [self.a.procctl, "-s", self.sock] + \
            (["--json"] if json_flag else []) + args
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env)

    def finish_bg(self, who, p, shown, t, ok_rcs, check=None):
        ended = p.poll() is not None
        if not ended:
            p.send_signal(signal.SIGINT)
        try:
            out, err = p.communicate(timeout=self.tmo)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            self.fail(who, "%s: did not end on SIGINT" % shown)
        out = out.decode("utf-8", "replace")
        err = err.decode("utf-8", "replace")
        bad = []
        if ended:
            if p.returncode not in ok_rcs:
                bad.append("ended by itself with exit status %d" %
                           p.returncode)
            if p.returncode != 0 and not (out + err).strip():
                bad.append("ended by itself with an empty answer")
            for w in LOST:
                if w in out + err:
                    bad.append("lost procd: %r" % err.strip()[:200])
                    break
        if check and not bad:
            bad = check(out)
        self.record(who, shown + (" (ended)" if ended else " (^C)"),
                    p.returncode, now() - t, out[-200:] + err, not bad)
        if bad:
            self.fail(who, "%s: %s; stdout %r stderr %r" % (
                shown, "; ".join(bad), out[-300:], err[-300:]))
        self.procd_ok(who)

    def act_follow(self, who, rng, k):
        args = ["tail", "-f", self.one_name(rng)]
        if rng.random() < 0.3:
            args.append("stderr")
        t = now()
        p = self.bg(who, args)
        time.sleep(rng.uniform(0.05, 1.5))     # how long it follows
        # 0: the stream went away (update); 1: unknown name, no log, too
        # many followers, procd reloading.
        self.finish_bg(who, p, "procctl " + " ".join(args), t, {0, 1})

    def act_watch(self, who, rng, k):
        js = rng.random() < 0.3
        t = now()
        p = self.bg(who, ["watch"], js)
        time.sleep(rng.uniform(0.05, 2.0))     # how long it watches

        def check(out):
            for ln in out.splitlines():
                if re.match(r"^ERROR: procd is (reloading|shutting down)$",
                            ln):
                    continue    # refused while reloading: fine
                if js:
                    try:
                        e = json.loads(ln)
                        assert e["from"] in STATES and e["to"] in STATES
                    except (ValueError, KeyError, AssertionError, TypeError):
                        return ["bad watch line %r" % ln]
                elif not re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+ "
                                  r"[A-Z]+ -> [A-Z]+", ln):
                    return ["bad watch line %r" % ln]
            return []
        self.finish_bg(who, p, "procctl %swatch" % ("--json " if js else ""),
                       t, {1}, check)

    def act_misc(self, who, rng, k):
        c = rng.choice((["version"], ["maintail", "-%d" % rng.randint(1, 500)],
                        ["clear"] + self.targets(rng), ["help"]))
        if c == ["help"]:
            self.run_cmd(who, ["version"])
        else:
            self.run_cmd(who, c)

    def act_killed_ctl(self, who, rng, k):
        """A real procctl that is killed while it waits for its answer."""
        verb = rng.choice(("start", "stop", "restart", "update"))
        args = [verb] + (self.targets(rng) if verb != "update" else [])
        t = now()
        p = self.bg(who, args)
        time.sleep(rng.uniform(0, 0.4))        # when it vanishes
        p.send_signal(rng.choice((signal.SIGKILL, signal.SIGINT)))
        try:
            p.communicate(timeout=self.tmo)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
        self.record(who, "procctl %s (killed)" % " ".join(args),
                    p.returncode, now() - t, "", True)
        self.procd_ok(who)

    def act_crossing(self, who, rng, k):
        """Issue 12 section 1: one client waits in start of a process that
        is STARTING, another stops it together with others."""
        with self.lock:
            cfg = self.cfg
            names = list(self.names)
        slow = [n for n in names
                if (cfg.prog(n.split(":")[-1].rsplit("_", 1)[0]) or
                    cfg.prog(n.split(":")[-1]) or {}).get("startsecs", 0) >= 1]
        x = rng.choice(slow or names or ["nosuch"])
        others = self.targets(rng)
        if rng.random() < 0.3:
            self.run_cmd(who, ["stop", x])
        t = now()
        starter = self.bg(who, [rng.choice(("start", "start", "restart")), x])
        time.sleep(rng.choice((0, 0.05, 0.1, 0.2, 0.5, 1.0)))
        order = others + [x] if rng.random() < 0.6 else [x] + others
        self.run_cmd(who, [rng.choice(("stop", "stop", "restart"))] + order)
        try:
            out, err = starter.communicate(timeout=self.tmo)
            rc = starter.returncode
        except subprocess.TimeoutExpired:
            starter.kill()
            out, err = starter.communicate()
            rc = None
        out = out.decode("utf-8", "replace")
        err = err.decode("utf-8", "replace")
        shown = " ".join(starter.args[3:])
        bad = self.check_answer(starter.args[3:], rc, out, err)
        self.record(who, shown + " (crossing)", rc, now() - t, out + err,
                    not bad)
        if bad:
            self.fail(who, "procctl %s (crossing) -> rc %s: %s; stdout %r "
                      "stderr %r" % (shown, rc, "; ".join(bad), out, err))
        self.procd_ok(who)

    def act_procd_signal(self, who, rng, k):
        sig = rng.choice((signal.SIGHUP, signal.SIGUSR2))
        try:
            os.kill(self.pid, sig)
        except OSError as e:
            self.fail(who, "kill -%s procd: %s" % (sig.name, e))
        self.record(who, "kill -%s procd" % sig.name, 0, 0, "", True)
        self.procd_ok(who)

    def act_reload(self, who, rng, k):
        self.run_cmd(who, ["reload"])

    def act_raw(self, who, rng, k):
        """A client of the socket protocol that misbehaves: vanishes
        mid-frame or mid-request, or sends frames procd must refuse."""
        mode = rng.choice(("close", "half", "short-payload", "vanish",
                           "vanish", "read-some", "bad-version", "bad-type",
                           "too-long", "no-nul", "version"))
        words = rng.choice((["start"] + self.targets(rng),
                            ["stop"] + self.targets(rng),
                            ["restart", "all"], ["watch"],
                            ["tail", "-f", self.one_name(rng)],
                            ["status"], ["update"]))
        payload = b"".join(w.encode() + b"\0" for w in words)
        hdr = struct.pack(">IHBBI", len(payload), 1, 1, 0, k)
        t = now()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.tmo)
        bad = []
        got = b""
        try:
            s.connect(self.sock)
            if mode == "half":
                s.sendall(hdr[:rng.randint(1, 11)])
            elif mode == "short-payload":
                s.sendall(hdr + payload[:rng.randint(0, len(payload) - 1)])
            elif mode in ("vanish", "read-some"):
                s.sendall(hdr + payload)
                time.sleep(rng.uniform(0, 0.3))   # when it vanishes
                if mode == "read-some":
                    got = s.recv(rng.randint(1, 40))
            elif mode in ("bad-version", "bad-type", "too-long", "no-nul",
                          "version"):
                if mode == "bad-version":
                    hdr = struct.pack(">IHBBI", len(payload), 1, 9, 0, k)
                elif mode == "bad-type":
                    hdr = struct.pack(">IHBBI", len(payload), 4, 1, 0, k)
                elif mode == "too-long":
                    hdr = struct.pack(">IHBBI", 65537, 1, 1, 0, k)
                    payload = b""
                elif mode == "no-nul":
                    payload = payload[:-1]
                    hdr = struct.pack(">IHBBI", len(payload), 1, 1, 0, k)
                else:
                    payload = b"version\0"
                    hdr = struct.pack(">IHBBI", len(payload), 1, 1, 0, k)
                s.sendall(hdr + payload)
                # procd answers (an END frame) or hangs up; no hang.
                code = None
                while True:
                    b = s.recv(65536)
                    if not b:
                        break
                    got += b
                    code = end_code(got)
                    if code is not None:
                        break
                busy = b"procd is reloading" in got or \
                    b"procd is shutting down" in got
                if mode == "version" and code != 0 and not busy:
                    bad.append("version: no END(0) (got %r)" % got[:200])
        except socket.timeout:
            bad.append("%s: no answer and no hang-up within %.0f s" % (
                mode, self.tmo))
        except OSError as e:
            if mode in ("version",) or not isinstance(
                    e, (ConnectionResetError, BrokenPipeError)):
                bad.append("%s: %s" % (mode, e))
        finally:
            s.close()
        self.record(who, "raw %s %s" % (mode, " ".join(words)),
                    "-", now() - t, repr(got[:80]), not bad)
        if bad:
            self.fail(who, "raw client: " + "; ".join(bad))
        self.procd_ok(who)

    # -- monitor: procd alive, zombies

    def monitor(self):
        seen = {}
        while not self.mon_stop.is_set():
            if not alive(self.pid):
                self.fail("monitor", "procd (pid %d) is gone" % self.pid)
                return
            t = now()
            z = set(zombies_of(self.pid))
            seen = {p: seen.get(p, t) for p in z}
            old = [p for p, t0 in seen.items() if t - t0 > self.grace]
            if old:
                self.fail("monitor", "zombie children of procd for more "
                          "than %.0f s: %s" % (self.grace, old))
                return
            self.mon_stop.wait(0.3)     # sampling interval

    # -- the whole run

    def san_logs(self):
        return sorted(f for f in os.listdir(self.d)
                      if f.startswith(("asan", "ubsan")))

    def main(self):
        a = self.a
        os.makedirs(self.d, exist_ok=True)
        for f in os.listdir(self.d):
            if f.startswith(("asan", "ubsan", "procd.")):
                os.unlink(os.path.join(self.d, f))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        rng = random.Random(a.seed)
        cfg = gen_config(rng)
        self.first_cfg = cfg
        self.write_cfg(cfg)
        self.set_cfg(cfg)
        names, groups = cfg.addresses()
        print("chaos: seed %d, %d clients, %.0f s, config: %s" % (
            a.seed, a.clients, a.duration, ", ".join(
                "%s(%s%s%s)" % (p["name"], p["kind"],
                                "x%d" % p["numprocs"] if p["numprocs"] > 1
                                else "",
                                " <- " + "+".join(p["depends"])
                                if p["depends"] else "")
                for p in cfg.progs)), flush=True)
        r = subprocess.run([a.procd, "start", "-c", self.conf],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, env=self.env,
                           timeout=self.tmo)
        if r.returncode != 0:
            self.fail("setup", "procd start: %d %s" % (
                r.returncode, r.stdout.decode(errors="replace")))
            return self.report()
        with open(os.path.join(self.d, "procd.pid")) as f:
            self.pid = int(f.read().strip())
        self.cpu_ctl0 = os.times()

        # Autostart settles: nothing STARTING any more (BACKOFF may flap).
        def settled():
            rc, out, _, _ = self.ctl(["status"], json_flag=True)
            try:
                return all(e["state"] != "STARTING" for e in json.loads(out))
            except (ValueError, KeyError, TypeError):
                return False
        if not poll(20 * self.slow, settled, 0.1):
            self.fail("setup", "autostart did not settle")
        self.fd_auto = fd_count(self.pid)
        # The fd baseline: every process stopped (each running process
        # holds its output pipes), the count steady for a few readings.
        self.run_cmd("setup", ["stop", "all"])
        self.fd_base = self.steady_fds()
        self.fd_base_list = self.fd_list()
        print("chaos: procd pid %d; fds %d after autostart, %d with all "
              "stopped" % (self.pid, self.fd_auto, self.fd_base), flush=True)
        self.run_cmd("setup", ["start", "all"])
        if self.failures:
            # No point in chaos on top of a broken start: shut down.
            self.shutdown("setup")
            return self.report()

        self.t0 = now()
        threads = [threading.Thread(target=self.client, args=(i,),
                                    daemon=True) for i in range(a.clients)]
        mon = self.mon = threading.Thread(target=self.monitor, daemon=True)
        mon.start()
        for t in threads:
            t.start()
        for t in threads:
            # A client ends its command within the command timeout.
            t.join(a.duration + 4 * self.tmo)
            if t.is_alive():
                self.fail("main", "a client thread did not finish")
        self.elapsed = now() - self.t0
        procd_alive = self.pid and alive(self.pid)
        if procd_alive:
            self.final_checks()
        self.stop.set()
        self.mon_stop.set()
        mon.join(5)
        return self.report()

    def fd_list(self):
        out = []
        try:
            for f in sorted(os.listdir("/proc/%d/fd" % self.pid), key=int):
                try:
                    out.append("%s -> %s" % (f, os.readlink(
                        "/proc/%d/fd/%s" % (self.pid, f))))
                except OSError:
                    pass
        except OSError:
            pass
        return out

    def steady_fds(self):
        """procd's fd count once it has no children left (a descendant
        that outlived its program, such as the `sleep` of a SIGKILLed
        shell, keeps the program's output pipe open) and the count has
        held still for a few readings."""
        if not poll(10 * self.slow, lambda: not tree(self.pid), 0.1):
            self.fail("fds", "procd still has children: %s" %
                      tree(self.pid))
        vals = []

        def steady():
            vals.append(fd_count(self.pid))
            return len(vals) >= 4 and len(set(vals[-4:])) == 1
        poll(10 * self.slow, steady, 0.1)
        return vals[-1]

    def final_checks(self):
        who = "end"
        # Back to the first configuration (procd holds the log files of
        # its programs open, stopped or not), and everything stopped.
        self.write_cfg(self.first_cfg)
        self.run_cmd(who, ["update"], check=lambda rc, o, e:
                     [] if rc == 0 else ["update to the first config failed"])
        self.run_cmd(who, ["stop", "all"])

        def all_down():
            rc, out, _, _ = self.ctl(["status"], json_flag=True)
            try:
                return all(e["state"] in DOWN for e in json.loads(out))
            except (ValueError, KeyError, TypeError):
                return False
        if not poll(10 * self.slow, all_down, 0.1):
            _, out, _, _ = self.ctl(["status"])
            self.fail(who, "not all down after stop all:\n" + out)
            self.shutdown(who)      # the fd count would mean nothing
            return
        rc, out, err = self.run_cmd(who, ["status"], json_flag=True,
                                    check=lambda rc, o, e:
                                    self.running_pids_ok(o))
        if not poll(self.grace, lambda: not zombies_of(self.pid), 0.1):
            self.fail(who, "zombie children of procd: %s" %
                      zombies_of(self.pid))
        self.steady_fds()
        if not poll(10 * self.slow,
                    lambda: fd_count(self.pid) == self.fd_base, 0.1):
            def kinds(lst):
                c = collections.Counter(
                    re.sub(r"\[\d+\]", "", x.split(" -> ")[1])
                    for x in lst)
                return c
            now_l = self.fd_list()
            more = kinds(now_l) - kinds(self.fd_base_list)
            less = kinds(self.fd_base_list) - kinds(now_l)
            self.fail(who, "procd's fd count is %d, was %d at the start; "
                      "now also open: %s; no longer open: %s" % (
                          fd_count(self.pid), self.fd_base,
                          dict(more) or "-", dict(less) or "-"))
        self.shutdown(who)

    def shutdown(self, who):
        self.cpu_procd = cpu_secs(self.pid)
        self.mon_stop.set()
        if getattr(self, "mon", None):
            self.mon.join(5)
        rc, out, err, dur = self.ctl(["shutdown"])
        self.record(who, "shutdown", rc, dur, out + err,
                    rc == 0 and out.strip() == "Shut down")
        if rc != 0 or out.strip() != "Shut down":
            self.fail(who, "shutdown answered %r %r" % (out, err))
        if not poll(15 * self.slow, lambda: not alive(self.pid), 0.05):
            self.fail(who, "procd still there %.0f s after shutdown" %
                      (15 * self.slow))

    def report(self):
        a = self.a
        # Sanitizer reports (leaks are written when procd exits).
        for f in self.san_logs():
            with open(os.path.join(self.d, f), errors="replace") as fh:
                text = fh.read()
            summ = [ln for ln in text.splitlines()
                    if ln.startswith(("SUMMARY", "==")) or
                    re.match(r"^    #[0-9] ", ln)][:25]
            self.fail("sanitizer", "%s:\n    %s" % (f, "\n    ".join(summ)))
        t = getattr(self, "elapsed", now() - self.t0)
        c = os.times()
        c0 = getattr(self, "cpu_ctl0", c)
        ctl_cpu = (c.children_user + c.children_system -
                   c0.children_user - c0.children_system)
        print("chaos: seed %d, %.1f s, %d clients, %d commands; cpu: procd "
              "%.1f s, procctl %.1f s, chaos.py %.1f s" % (
                  a.seed, t, a.clients, self.ncmds,
                  getattr(self, "cpu_procd", 0.0), ctl_cpu,
                  c.user + c.system), flush=True)
        if self.failures:
            print("\nchaos: FAILED, seed %d.  Replay with:" % a.seed)
            print("  python3 %s --procd %s --procctl %s --seed %d "
                  "--duration %g --clients %d --slow %g --timeout %g "
                  "--dir %s%s" % (
                      shlex.quote(sys.argv[0]), shlex.quote(a.procd),
                      shlex.quote(a.procctl), a.seed, a.duration, a.clients,
                      a.slow, a.timeout, shlex.quote(a.dir + ".replay"),
                      " --avoid " + a.avoid if a.avoid else ""))
            print("\nfailures:")
            for f in self.failures:
                print("  " + f)
            for who in sorted(self.hist):
                print("\nlast commands of %s:" % who)
                for ln in self.hist[who]:
                    print("  " + ln)
            log = os.path.join(self.d, "procd.log")
            try:
                with open(log, errors="replace") as f:
                    tail = f.readlines()[-a.log_lines:]
                print("\ntail of %s:" % log)
                for ln in tail:
                    print("  " + ln.rstrip())
            except OSError:
                pass
        nfail = len(self.failures)
        print("chaos: %d passed, %d failed" % (self.passed, nfail),
              flush=True)
        return 1 if nfail else 0


def end_code(buf):
    """The exit code of the END frame in buf, if it holds one."""
    i = 0
    while len(buf) - i >= 12:
        n, typ, _ver, _fl, _id = struct.unpack(">IHBBI", buf[i:i + 12])
        if len(buf) - i - 12 < n:
            return None
        if typ == 4:
            return buf[i + 12] if n else -1
        i += 12 + n
    return None


def main():
    # Started in the background by a shell, SIGINT is ignored, and every
    # procctl would inherit that: watch and tail -f would not end on ^C.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--procd", required=True)
    ap.add_argument("--procctl", required=True)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--duration", type=float, default=30)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--dir", required=True, help="work directory")
    ap.add_argument("--timeout", type=float, default=20,
                    help="per-command deadline in seconds, before --slow")
    ap.add_argument("--slow", type=float,
                    default=float(os.environ.get("PROCD_TEST_SLOW", "1")),
                    help="scale deadlines (sanitizers: 3)")
    ap.add_argument("--log-lines", type=int, default=60)
    ap.add_argument("--avoid", default="",
                    help="program kinds to leave out, comma-separated "
                    "(%s), or 'priority' for one priority for all, to get "
                    "past a known bug" % ", ".join(sorted(set(KINDS))))
    a = ap.parse_args()
    AVOID.update(k for k in a.avoid.split(",") if k)
    if a.seed is None:
        a.seed = random.SystemRandom().randrange(1, 1 << 31)
    a.procd = os.path.abspath(a.procd)
    a.procctl = os.path.abspath(a.procctl)
    ch = Chaos(a)
    try:
        rc = ch.main()
    finally:
        # Never leave a procd, or its programs, behind.
        if ch.pid and alive(ch.pid):
            for p in [ch.pid] + tree(ch.pid):
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
    sys.exit(rc)


if __name__ == "__main__":
    main()
