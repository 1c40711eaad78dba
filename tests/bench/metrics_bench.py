"""metrics_bench.py -- the "metrics" scenario of tests/bench/run.py:
GET /metrics at N = 1,000 programs on procd, beside supervisord's nearest
equivalent, an XML-RPC supervisor.getAllProcessInfo at the same N
(supervisord has no metrics: this is what its watchers scrape).

Both are asked over their unix socket, on one kept-alive connection (as a
Prometheus server keeps its own), WARM times first and then TIMES timed
requests, each the whole exchange: request sent, body read.
"""

import http.client
import socket
import subprocess
import time

N = 1000
WARM = 3
TIMES = 20
QUICK_TIMES = 5
GET_ALL = (b"<?xml version='1.0'?><methodCall><methodName>"
           b"supervisor.getAllProcessInfo</methodName><params/></methodCall>")


class UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=120)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(120)
        self.sock.connect(self.path)


def procd_ask(conn):
    conn.request("GET", "/metrics")
    r = conn.getresponse()
    body = r.read()
    if r.status != 200 or b"procd_process_state{" not in body:
        raise RuntimeError("/metrics: HTTP %d" % r.status)
    return len(body)


def supervisord_ask(conn):
    conn.request("POST", "/RPC2", GET_ALL, {"Content-Type": "text/xml"})
    r = conn.getresponse()
    body = r.read()
    if r.status != 200 or b"<name>statename</name>" not in body:
        raise RuntimeError("getAllProcessInfo: HTTP %d" % r.status)
    return len(body)


# What each supervisor is asked, and where its socket is.
ASK = {
    "procd": (procd_ask, lambda s: s.sock),
    "supervisord": (supervisord_ask,
                    lambda s: "%s/supervisor.sock" % s.dir),
}


def all_running(s):
    """Every program is up and its supervisor has seen it (startsecs=0:
    RUNNING as soon as it is spawned); stamps are the programs' word."""
    return s.stamps.wait(lambda: len(s.stamps.first) >= s.n or s.stalled(),
                         300, 0.01) and not s.stalled()


def measure(B, sup_class):
    """One supervisor at N: start it, time the scrapes, stop it."""
    s = sup_class(B, N)
    key = s.key
    s.t_run = time.monotonic()
    try:
        s.prepare()
        s.launch()
        if not all_running(s):
            B.R.note("metrics", N, key, "not all %d up" % N)
            return
        ask, where = ASK[key]
        conn = UnixHTTP(where(s))
        # supervisord answers before its socket exists: wait for it.
        deadline = time.monotonic() + 60
        while True:
            try:
                size = ask(conn)
                break
            except (OSError, http.client.HTTPException):
                conn.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        for _ in range(WARM - 1):
            ask(conn)
        for _ in range(QUICK_TIMES if B.quick else TIMES):
            t0 = time.monotonic_ns()
            ask(conn)
            B.R.add("metrics", N, key, time.monotonic_ns() - t0)
        B.R.add("metrics_bytes", N, key, size)
        conn.close()
        if key == "procd":
            status_json(B, s)
    finally:
        B.teardown(s, [])


def status_json(B, s):
    """What /metrics is made from: procd's answer to status --json, asked
    by procctl (its exec included), to tell procd's part from the
    gateway's."""
    for _ in range(QUICK_TIMES if B.quick else TIMES):
        t0 = time.monotonic_ns()
        subprocess.run([B.procctl, "-s", s.sock, "--json", "status"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       timeout=60)
        B.R.add("metrics_status", N, "procd", time.monotonic_ns() - t0)


def run(B, keys, rep, sups, log):
    """A round: procd and supervisord (classes in SUPS), in an order that
    turns each round; LOG says what is going on."""
    mk = [k for k in ("procd", "supervisord") if k in keys]
    mk = mk[rep % len(mk):] + mk[:rep % len(mk)] if mk else []
    for key in mk:
        log("bench: round %d/%d, metrics %s" % (rep + 1, B.reps, key))
        try:
            measure(B, sups[key])
        except (OSError, RuntimeError, ValueError, KeyError,
                http.client.HTTPException) as e:
            B.R.note("error", N, key, str(e)[:100])
            log("bench: metrics %s: %s" % (key, e))


def rows(ms):
    """The report's rows (label, metric, n, conversion, higher is better,
    target)."""
    return [("/metrics (supervisord: XML-RPC getAllProcessInfo), ms",
             "metrics", N, ms, False, "<=20 ms"),
            ("  its body, KiB", "metrics_bytes", N, lambda v: v / 1024,
             False, ""),
            ("  procctl --json status (what it is made from), ms",
             "metrics_status", N, ms, False, "")]
