"""httpctl_bench.py -- procctl -s http:// (issue 14) side by side with its
references in the same run: `procctl status` of N programs over procd's
unix socket (the floor: the same request and reader, no HTTP), over
[inet_http_server] (POST /procd/ctl through the gateway), and Debian's
supervisorctl over the same port (XML-RPC, what an operator used before).

run.py registers this module (MODULES) and calls run(B, rep) once per
round and report(B) after its table; the scenario's --only name is
"httpctl".  Each figure is the median wall time of a whole command, from
exec to exit, output discarded; every answer's exit code is checked.
"""
import statistics
import subprocess

import __main__ as bench    # run.py: Procd, PROCS, helpers
from netutil import free_port

SCENARIO = "httpctl"


def sizes(B):
    return [100] if B.quick else [100, 1000]




def timed(B, argv, res):
    for _ in range(B.inner):
        t0 = bench.now()
        r = subprocess.run(argv, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=120)
        if r.returncode not in (0, 3):
            raise RuntimeError("%s: exit %d" % (" ".join(argv[:3]),
                                               r.returncode))
        res.append(bench.now() - t0)


def one_run(B, n):
    s = bench.Procd(B, n)
    res = B.httpctl.setdefault(n, {"unix": [], "http": [], "xmlrpc": []})
    try:
        s.prepare()
        port = free_port()
        with open(s.conf, "a") as f:
            f.write("\n[inet_http_server]\nport = 127.0.0.1:%d\n"
                    "username = admin\npassword = s3cret\n" % port)
        s.launch()
        if not s.stamps.wait(lambda: len(s.stamps.first) >= n, 120):
            raise RuntimeError("%d of %d programs started" %
                               (len(s.stamps.first), n))
        url = "http://127.0.0.1:%d" % port
        login = ["-u", "admin", "-p", "s3cret"]
        procctl = s.bin("procctl")
        # Interleaved, so that a change in the machine's load falls on
        # all three alike.
        for _ in range(3):
            timed(B, [procctl, "-s", s.sock, "status"], res["unix"])
            timed(B, [procctl, "-s", url] + login + ["status"], res["http"])
            if "supervisorctl" in B.tools:
                timed(B, [B.tools["supervisorctl"], "-s", url] + login +
                      ["status"], res["xmlrpc"])
    finally:
        s.stop()
        bench.PROCS.kill_all()
        s.cleanup()


def run(B, rep):
    if not hasattr(B, "httpctl"):
        B.httpctl = {}
    if "procd" not in B.keys:
        return
    for n in sizes(B):
        bench.log("bench: round %d/%d, httpctl N=%d" % (rep + 1, B.reps, n))
        try:
            one_run(B, n)
        except (OSError, RuntimeError, ValueError,
                subprocess.SubprocessError) as e:
            B.R.note("error", n, "httpctl", str(e)[:100])
            bench.log("bench: httpctl N=%d: %s" % (n, e))


def med(v):
    return statistics.median(v) if v else None


def fmt_ms(ns):
    return "-" if ns is None else "%.2f" % (ns / 1e6)


def report(B):
    if not getattr(B, "httpctl", None):
        return ""
    rows = [["status, whole command (ms)", "N", "procctl unix",
             "procctl http", "supervisorctl http", "http/unix"]]
    for n in sizes(B):
        r = B.httpctl.get(n, {})
        u, h, x = med(r.get("unix")), med(r.get("http")), med(r.get("xmlrpc"))
        rows.append(["procd", str(n), fmt_ms(u), fmt_ms(h), fmt_ms(x),
                     "%.2fx" % (h / u) if u and h else "-"])
    return bench.render(rows)
