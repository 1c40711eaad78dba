#!/usr/bin/python3
"""metrics_check.py -- scrape procd's /metrics, parse it with Prometheus's
own parser (Debian's python3-prometheus-client) and check every figure
against what procctl says (`--json status`, `--json pid`).

    metrics_check.py PROCCTL SOCKET unix
    metrics_check.py PROCCTL SOCKET HOST:PORT USER PASSWORD

Exits non-zero with the first difference.  Runs under Debian's python3.
"""
import base64
import http.client
import json
import socket
import subprocess
import sys
import time

from prometheus_client.parser import text_string_to_metric_families

STATES = ("STOPPED", "STARTING", "RUNNING", "BACKOFF", "STOPPING", "EXITED",
          "FATAL")
SIGNALS = {"SIGKILL": 9, "SIGTERM": 15}


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=30)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(self.path)


def connect(sock, where):
    if where == "unix":
        return UnixHTTPConnection(sock)
    host, port = where.rsplit(":", 1)
    return http.client.HTTPConnection(host, int(port), timeout=30)


def get(conn, path, headers):
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    return r.status, r.getheader("Content-Type"), r.read().decode()


def procctl(ctl, sock, *args):
    out = subprocess.run([ctl, "-s", sock, "--json"] + list(args),
                         stdout=subprocess.PIPE, check=False).stdout
    return json.loads(out)


def samples(text):
    """{(metric, frozenset(labels)): value} and {family: type}."""
    vals, types = {}, {}
    for fam in text_string_to_metric_families(text):
        types[fam.name] = fam.type
        for s in fam.samples:
            key = (s.name, frozenset(s.labels.items()))
            assert key not in vals, "duplicate series %r" % (key,)
            vals[key] = s.value
    return vals, types


def check(cond, what):
    if not cond:
        sys.exit("metrics_check: " + what)


def check_process(vals, row, before, after):
    lab = {"name": row["process"], "group": row["group"]}

    def val(metric, **more):
        return vals.get((metric, frozenset(dict(lab, **more).items())))

    name = row["name"]
    for st in STATES:
        want = 1.0 if st == row["state"] else 0.0
        check(val("procd_process_state", state=st) == want,
              "%s: state %s is %r, status says %s" %
              (name, st, val("procd_process_state", state=st), row["state"]))
    check(val("procd_process_up") == (1.0 if row["pid"] else 0.0),
          "%s: up" % name)
    check(val("procd_process_ready") ==
          (1.0 if row["state"] == "RUNNING" else 0.0), "%s: ready" % name)
    check(val("procd_process_wanted_up") ==
          (1.0 if row["wanted"] == "up" else 0.0), "%s: wanted_up" % name)
    check(val("procd_process_restarts_total") == row["restarts"],
          "%s: restarts %r != %r" % (name, val("procd_process_restarts_total"),
                                     row["restarts"]))
    up = val("procd_process_uptime_seconds")
    check(up is not None and abs(up - row["uptime"]) <= after - before + 1,
          "%s: uptime %r != %r" % (name, up, row["uptime"]))
    start = val("procd_process_start_time_seconds")
    check(start == (row["start"] or None), "%s: start time %r != %r" %
          (name, start, row["start"]))
    check(val("procd_process_last_exit_status") == row["exitstatus"],
          "%s: exit status %r != %r" %
          (name, val("procd_process_last_exit_status"), row["exitstatus"]))
    check(val("procd_process_last_exit_signal") ==
          SIGNALS.get(row["signal"]), "%s: exit signal" % name)
    check(val("procd_process_log_lost_bytes_total") == row["log_lost_bytes"],
          "%s: log lost bytes" % name)


def check_procd(vals, types, me, rows, ctl, sock):
    version = subprocess.run([ctl, "-s", sock, "version"],
                             stdout=subprocess.PIPE).stdout.decode().strip()
    check(vals.get(("procd_build_info",
                    frozenset({"version": version}.items()))) == 1.0,
          "build_info for version %s" % version)
    check(vals.get(("procd_start_time_seconds", frozenset())) == me["start"],
          "procd start time")
    check(0 < me["start"] <= time.time(), "start time in the future")
    check(vals.get(("procd_processes", frozenset())) == len(rows),
          "processes != %d" % len(rows))
    for fam in ("procd_events_emitted", "procd_events_delivered",
                "procd_events_dropped", "procd_control_connections_accepted",
                "procd_control_connections_refused",
                "procd_process_restarts", "procd_process_log_lost_bytes"):
        check(types.get(fam) == "counter", "%s is not a counter" % fam)
    # Every scrape is a control client (the gateway's channel) or more.
    check(vals[("procd_control_connections_accepted_total", frozenset())]
          >= 1, "no accepted connection counted")


def main():
    ctl, sock, where = sys.argv[1:4]
    headers = {}
    if len(sys.argv) > 5:
        cred = ("%s:%s" % (sys.argv[4], sys.argv[5])).encode()
        headers["Authorization"] = "Basic " + base64.b64encode(cred).decode()
    conn = connect(sock, where)
    # Twice on one connection (keep-alive); the rows are compared with
    # the second, whose figures are taken between two status calls.
    for _ in range(2):
        before = time.time()
        status, ctype, text = get(conn, "/metrics", headers)
        rows = procctl(ctl, sock, "status")
        after = time.time()
    check(status == 200, "status %d: %s" % (status, text))
    check(ctype == "text/plain; version=0.0.4; charset=utf-8",
          "content type %r" % ctype)
    vals, types = samples(text)
    check(types.get("procd_process_state") == "gauge", "state type")
    for row in rows:
        check_process(vals, row, before, after)
    check_procd(vals, types, procctl(ctl, sock, "pid"), rows, ctl, sock)
    # HEAD: the headers without the body.
    conn.request("HEAD", "/metrics", headers=headers)
    r = conn.getresponse()
    check(r.status == 200 and r.read() == b"", "HEAD /metrics")
    print("metrics_check: %d processes, %d series" % (len(rows), len(vals)))


main()
