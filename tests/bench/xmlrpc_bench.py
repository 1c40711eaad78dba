"""xmlrpc_bench.py -- supervisord's XML-RPC face, procd against supervisord
in the same run (issue 16): getAllProcessInfo at N programs through a
client that keeps its connection, supervisorctl status end to end, and
what procd's gateway costs when idle (wake-ups, memory).

run.py registers this module (MODULES) and calls run(B, rep) once per
round and report(B) after its table; the scenario's --only name is
"xmlrpc".  The client is http.client over the supervisor's unix socket,
one connection for every call: the time is from the request's first byte
to the answer's last, the answer parsed once (outside the timing) to
check it names every program.
"""
import http.client
import os
import socket
import statistics
import subprocess
import time
import xmlrpc.client

import __main__ as bench    # run.py: Procd, Supervisord, PROCS, helpers

SCENARIO = "xmlrpc"
CALLS = 20          # getAllProcessInfo calls per run (the first is warm-up)


class UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=120)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(120)
        self.sock.connect(self.path)


def call(conn, method):
    body = xmlrpc.client.dumps((), method).encode()
    conn.request("POST", "/RPC2", body,
                 {"Content-Type": "text/xml"})
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        raise RuntimeError("%s: HTTP %d" % (method, r.status))
    return data


def gateway_pid(procd_pid):
    for c in bench.children_of(procd_pid):
        try:
            with open("/proc/%d/cmdline" % c, "rb") as f:
                if b"__gateway" in f.read():
                    return c
        except OSError:
            pass
    return None


def sizes(B):
    return [100] if B.quick else [100, 1000]


def sock_of(s):
    if s.key == "procd":
        return s.sock
    return os.path.join(s.dir, "supervisor.sock")


def status_argv(B, s):
    if s.key == "procd":    # Debian's supervisorctl against procd
        return [B.tools["supervisorctl"], "-s", "unix://" + s.sock, "status"]
    return s.status_argv()


def one_run(B, key, n):
    cls = bench.Procd if key == "procd" else bench.Supervisord
    s = cls(B, n)
    res = B.xmlrpc.setdefault((key, n), {"call": [], "status": [],
                                         "gw_cpu": [], "procd_cpu": []})
    try:
        s.prepare()
        s.launch()
        if not s.stamps.wait(lambda: len(s.stamps.first) >= n, 120):
            raise RuntimeError("%d of %d programs started" %
                               (len(s.stamps.first), n))
        conn = UnixHTTP(sock_of(s))
        infos = xmlrpc.client.loads(call(conn, "supervisor.getAllProcessInfo"))
        if len(infos[0][0]) != n:
            raise RuntimeError("getAllProcessInfo: %d entries, not %d" %
                               (len(infos[0][0]), n))
        gw = gateway_pid(s.pid) if key == "procd" else None
        gw0 = bench.sched_counters(gw)[1] if gw else 0
        pd0 = bench.sched_counters(s.pid)[1]
        for _ in range(CALLS - 1):
            t0 = bench.now()
            call(conn, "supervisor.getAllProcessInfo")
            res["call"].append(bench.now() - t0)
        calls = CALLS - 1
        if gw:
            res["gw_cpu"].append((bench.sched_counters(gw)[1] - gw0) / calls)
        res["procd_cpu"].append((bench.sched_counters(s.pid)[1] - pd0) /
                                calls)
        conn.close()
        for _ in range(B.inner):
            t0 = bench.now()
            r = subprocess.run(status_argv(B, s), stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=120)
            if r.returncode not in (0, 3):
                raise RuntimeError("supervisorctl status: exit %d" %
                                   r.returncode)
            res["status"].append(bench.now() - t0)
        if gw and n == max(sizes(B)):
            idle(B, s, gw)
    finally:
        s.stop()
        bench.PROCS.kill_all()
        s.cleanup()


def idle(B, s, gw):
    """The gateway after serving: wake-ups over a quiet window, memory."""
    window = 5 if B.quick else 15
    time.sleep(0.5)     # let the last answer's threads settle
    cs0 = bench.sched_counters(gw)[0]
    time.sleep(window)  # the measurement window itself
    B.xmlrpc_idle.append(((bench.sched_counters(gw)[0] - cs0) / window,
                          bench.pss_kib(gw), bench.private_kib(gw)))


def run(B, rep):
    if not hasattr(B, "xmlrpc"):
        B.xmlrpc = {}
        B.xmlrpc_idle = []
    keys = [k for k in ("procd", "supervisord") if k in B.keys]
    if "supervisord" in keys and "supervisorctl" not in B.tools:
        keys.remove("supervisord")
    keys = keys[rep % len(keys):] + keys[:rep % len(keys)] if keys else []
    for n in sizes(B):
        for key in keys:
            bench.log("bench: round %d/%d, xmlrpc %s N=%d" %
                      (rep + 1, B.reps, key, n))
            try:
                one_run(B, key, n)
            except (OSError, RuntimeError, ValueError, KeyError,
                    http.client.HTTPException, subprocess.SubprocessError,
                    xmlrpc.client.Error) as e:
                B.R.note("error", n, "xmlrpc " + key, str(e)[:100])
                bench.log("bench: xmlrpc %s N=%d: %s" % (key, n, e))


def med(v):
    return statistics.median(v) if v else None


def fmt_ms(ns):
    return "-" if ns is None else "%.2f" % (ns / 1e6)


def report(B):
    if not getattr(B, "xmlrpc", None):
        return ""
    rows = [["XML-RPC (ms)", "N", "procd", "supervisord",
             "supervisord/procd"]]
    out = []
    for n in sizes(B):
        p = B.xmlrpc.get(("procd", n), {})
        s = B.xmlrpc.get(("supervisord", n), {})
        for what, key in (("getAllProcessInfo, kept conn", "call"),
                          ("supervisorctl status", "status")):
            a, b = med(p.get(key, [])), med(s.get(key, []))
            rows.append([what, str(n), fmt_ms(a), fmt_ms(b),
                         "%.1fx" % (b / a) if a and b else "-"])
        rows.append(["  procd's gateway CPU per call", str(n),
                     fmt_ms(med(p.get("gw_cpu", []))), "", ""])
        rows.append(["  procd's own CPU per call", str(n),
                     fmt_ms(med(p.get("procd_cpu", []))),
                     fmt_ms(med(s.get("procd_cpu", []))), ""])
    out.append(bench.render(rows))
    if B.xmlrpc_idle:
        w = max(x[0] for x in B.xmlrpc_idle)
        pss = med([x[1] for x in B.xmlrpc_idle])
        priv = med([x[2] for x in B.xmlrpc_idle])
        out.append("procd's gateway, idle after serving N=%d: %.1f "
                   "wake-ups/s (target 0), PSS %d KiB, private %d KiB" %
                   (max(sizes(B)), w, pss, priv))
    big = B.xmlrpc.get(("procd", 1000), {})
    sv = B.xmlrpc.get(("supervisord", 1000), {})
    if big.get("call"):
        a, b = med(big["call"]), med(sv.get("call", []))
        out.append("target: getAllProcessInfo N=1000 < 10 ms: %s (%s ms); "
                   ">= 50x supervisord: %s" % (
                       "ok" if a < 10e6 else "MISSED", fmt_ms(a),
                       "-" if not b else ("ok" if b / a >= 50 else
                                          "MISSED") + " (%.0fx)" % (b / a)))
    return "\n".join(out)
