"""dash_bench.py -- the web dashboard at N programs (issue 17,
Performance), a module of run.py (make bench; alone: make bench
BENCH_ARGS="--only dash --sups procd,supervisord").

Measured, for procd and, in the same run, supervisord's own web page:
  - the first load: the page's bytes and time (procd: also its script and
    style, and the live stream's first event, the snapshot);
  - bytes per state change: procd's stream carries only changed rows, so
    this is the stream's bytes over the state changes procctl watch saw;
    supervisord's page has no stream, so a client must fetch the whole
    page again for each change;
  - the gateway's memory (PSS) idle and with 20 live streams open.
N is 1,000 (100 with --quick).
"""
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from netutil import free_port

STREAMS = 20
LOADS = 5           # page loads timed, the median reported
CHANGES = 20        # stop+start pairs of one program on the stream
IDLE_S = 10         # seconds of nothing changing, 20 streams open


def log(msg):
    print(msg, file=sys.stderr, flush=True)




def wait_until(what, secs, cond):
    end = time.monotonic() + secs
    while not cond():
        if time.monotonic() > end:
            raise RuntimeError("timed out waiting for " + what)
        time.sleep(0.05)


def get(port, path):
    """(bytes of the body, ms) of one GET on a fresh connection."""
    t = time.monotonic()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    if r.status != 200:
        raise RuntimeError("GET %s: %d" % (path, r.status))
    return len(body), (time.monotonic() - t) * 1000


class Stream:
    """A raw GET /dash/events; counts the bytes on the wire.  HTTP/1.0,
    so the events come without chunk framing (which could split a marker
    this looks for); the bytes are the same events either way."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.s.sendall(b"GET /dash/events HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                       b"Accept: text/event-stream\r\n\r\n")
        self.data = b""

    def read_until(self, marker, secs=60):
        end = time.monotonic() + secs
        while marker not in self.data:
            self.s.settimeout(max(0.01, end - time.monotonic()))
            b = self.s.recv(1 << 16)
            if not b:
                raise RuntimeError("stream closed")
            self.data += b
            if time.monotonic() > end:
                raise RuntimeError("stream: no %r" % marker)

    def drain(self, quiet=0.3):
        """Read until nothing came for QUIET seconds."""
        self.s.settimeout(quiet)
        try:
            while True:
                b = self.s.recv(1 << 16)
                if not b:
                    return
                self.data += b
        except socket.timeout:
            pass

    def close(self):
        self.s.close()


def pss_kib(pid):
    total = 0
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith("Pss:"):
                total += int(line.split()[1])
    return total


def switches(pid):
    """Context switches of every thread of PID so far."""
    n = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
            for line in f:
                if line.startswith(("voluntary_ctxt_switches",
                                    "nonvoluntary_ctxt_switches")):
                    n += int(line.split()[1])
    return n


def gateway_pid(procd_pid):
    for tid in os.listdir("/proc/%d/task" % procd_pid):
        with open("/proc/%d/task/%s/children" % (procd_pid, tid)) as f:
            for c in f.read().split():
                try:
                    with open("/proc/%s/cmdline" % c, "rb") as g:
                        if b"__gateway" in g.read():
                            return int(c)
                except OSError:
                    pass
    return None


def programs(n):
    out = []
    for i in range(n):
        out += ["[program:p%04d]" % i, "command = sleep 100000",
                "startsecs = 0", "stdout_logfile = NONE",
                "stderr_logfile = NONE", ""]
    return out


def bench_procd(B, n, d, res):
    port = free_port()
    sock = os.path.join(d, "procd.sock")
    conf = os.path.join(d, "procd.ini")
    with open(conf, "w") as f:
        f.write("\n".join(["[procd]", "socket = " + sock,
                           "pidfile = %s/procd.pid" % d,
                           "logfile = %s/procd.log" % d,
                           "minfds = %d" % (4 * n + 256), "",
                           "[inet_http_server]", "port = 127.0.0.1:%d" % port,
                           ""] + programs(n)))
    ctl = [B.procctl, "-s", sock]
    subprocess.run([B.procd, "start", "-c", conf], check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(d, "procd.pid")) as f:
        pid = int(f.read().split()[0])
    try:
        wait_until("every program RUNNING", 300, lambda: subprocess.run(
            ctl + ["status"], stdout=subprocess.DEVNULL).returncode == 0)
        wait_until("the gateway", 30, lambda: gateway_pid(pid) is not None)
        g = gateway_pid(pid)
        get(port, "/")      # the hub and the token, made once
        loads = [get(port, "/") for _ in range(LOADS)]
        res["page_bytes"] = loads[0][0]
        res["page_ms"] = statistics.median(x[1] for x in loads)
        res["assets_bytes"] = get(port, "/dash/dash.js")[0] + \
            get(port, "/dash/dash.css")[0]
        t = time.monotonic()
        s = Stream(port)
        s.read_until(b"event: snapshot")
        s.read_until(b"}]}\n\n", 120)
        res["snap_ms"] = (time.monotonic() - t) * 1000
        res["snap_bytes"] = len(s.data)
        # Bytes per change: what the stream carries while one program is
        # stopped and started CHANGES times, over the transitions watch saw.
        w = subprocess.Popen(ctl + ["--json", "watch"], stdout=subprocess.PIPE)
        time.sleep(0.2)     # watch registered (its first read would block)
        s.drain(0.2)
        before = len(s.data)
        for _ in range(CHANGES):
            subprocess.run(ctl + ["stop", "p0000"], stdout=subprocess.DEVNULL)
            subprocess.run(ctl + ["start", "p0000"], stdout=subprocess.DEVNULL)
        s.drain(0.5)
        w.terminate()
        transitions = w.communicate()[0].count(b"\n")
        res["stream_bytes"] = len(s.data) - before
        res["transitions"] = transitions
        s.close()
        # Memory: idle, then with STREAMS open (each past its snapshot).
        time.sleep(0.3)
        res["pss_idle"] = pss_kib(g)
        ss = []
        for _ in range(STREAMS):
            x = Stream(port)
            x.read_until(b"}]}\n\n", 120)
            ss.append(x)
        time.sleep(0.5)     # steady state: every stream back waiting
        res["pss_streams"] = pss_kib(g)
        res["threads"] = len(os.listdir("/proc/%d/task" % g))
        # Idle: nothing changes; every thread of the gateway should sleep.
        for x in ss:
            x.drain(0.01)
        sent = sum(len(x.data) for x in ss)
        cs0 = switches(g)
        time.sleep(IDLE_S)
        res["idle_cs"] = switches(g) - cs0
        for x in ss:
            x.drain(0.01)
        res["idle_bytes"] = sum(len(x.data) for x in ss) - sent
        for x in ss:
            x.close()
    finally:
        subprocess.run(ctl + ["shutdown"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


def bench_supervisord(B, n, d, res, PROCS):
    port = free_port()
    conf = os.path.join(d, "supervisord.conf")
    with open(conf, "w") as f:
        f.write("\n".join([
            "[unix_http_server]", "file = %s/s.sock" % d, "",
            "[inet_http_server]", "port = 127.0.0.1:%d" % port, "",
            "[supervisord]", "nodaemon = true",
            "logfile = %s/supervisord.log" % d,
            "pidfile = %s/supervisord.pid" % d,
            "minfds = %d" % (4 * n + 256), "",
            "[rpcinterface:supervisor]",
            "supervisor.rpcinterface_factory = "
            "supervisor.rpcinterface:make_main_rpcinterface", "",
            "[supervisorctl]", "serverurl = unix://%s/s.sock" % d, ""]
            + programs(n)))
    p = PROCS.popen([B.tools["supervisord"], "-c", conf])
    ctl = [B.tools["supervisorctl"], "-c", conf]
    try:
        def all_up():
            r = subprocess.run(ctl + ["status"], capture_output=True,
                               text=True, timeout=120)
            return r.stdout.count("RUNNING") == n
        wait_until("supervisord's programs RUNNING", 600, all_up)
        loads = [get(port, "/") for _ in range(LOADS)]
        res["page_bytes"] = loads[0][0]
        res["page_ms"] = statistics.median(x[1] for x in loads)
        res["pss"] = pss_kib(p.pid)
    finally:
        subprocess.run(ctl + ["shutdown"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)


def main(B, PROCS):
    n = 100 if B.quick else 1000
    global IDLE_S
    IDLE_S = 3 if B.quick else IDLE_S
    out = {"procd": {}, "supervisord": {}}
    for key in ("procd", "supervisord"):
        if key not in B.sups_wanted or key in B.missing:
            continue
        d = tempfile.mkdtemp(prefix="procd-bench-dash-%s-" % key, dir=B.tmp)
        log("bench: dashboard at N=%d, %s" % (n, key))
        try:
            if key == "procd":
                bench_procd(B, n, d, out[key])
            else:
                bench_supervisord(B, n, d, out[key], PROCS)
        except (OSError, RuntimeError, ValueError,
                subprocess.SubprocessError) as e:
            log("bench: dashboard %s: %s" % (key, e))
            out[key]["error"] = str(e)[:120]
        PROCS.kill_all()
    report(n, out["procd"], out["supervisord"])


def kib(b):
    return "%.1f KiB" % (b / 1024) if b is not None else "-"


def report(n, p, s):
    def v(d, k, f="%s"):
        return f % d[k] if k in d else "-"
    per = p["stream_bytes"] / p["transitions"] if p.get("transitions") else None
    rows = [
        ("", "procd", "supervisord"),
        ("first load: the page (N=%d)" % n, kib(p.get("page_bytes")),
         kib(s.get("page_bytes"))),
        ("  time to fetch it, median of %d" % LOADS, v(p, "page_ms", "%.1f ms"),
         v(s, "page_ms", "%.1f ms")),
        ("  script + style (procd)", kib(p.get("assets_bytes")), "-"),
        ("  the stream's snapshot (procd)", kib(p.get("snap_bytes")), "-"),
        ("  snapshot's time to arrive", v(p, "snap_ms", "%.1f ms"), "-"),
        ("bytes per state change", "%.0f B" % per if per else "-",
         kib(s.get("page_bytes")) + " (whole page)"
         if "page_bytes" in s else "-"),
        ("  (stream bytes / transitions)", "%s / %s" % (
            p.get("stream_bytes", "-"), p.get("transitions", "-")), ""),
        ("gateway PSS, no stream", v(p, "pss_idle", "%d KiB"), "-"),
        ("gateway PSS, %d streams open" % STREAMS,
         v(p, "pss_streams", "%d KiB"), "-"),
        ("  gateway threads then", v(p, "threads"), "-"),
        ("  idle %d s: context switches, bytes sent" % IDLE_S,
         "%s, %s" % (p.get("idle_cs", "-"), p.get("idle_bytes", "-")), "-"),
        ("supervisord's own PSS", "-", v(s, "pss", "%d KiB")),
    ]
    w = [max(len(r[i]) for r in rows) for i in range(3)]
    print()
    print("Dashboard (issue 17): the page and its live stream at N=%d" % n)
    for j, r in enumerate(rows):
        print("  ".join([r[0].ljust(w[0]), r[1].rjust(w[1]),
                         r[2].rjust(w[2])]).rstrip())
        if j == 0:
            print("  ".join("-" * x for x in w))
    for k, d in (("procd", p), ("supervisord", s)):
        if "error" in d:
            print("note: %s: %s" % (k, d["error"]))
