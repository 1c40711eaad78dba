"""xmlrpc_logs.py -- the log, stdin and remote-event methods of
supervisord's XML-RPC API, driven the same way against supervisord and
procd (t_xmlrpc_io.sh runs both and compares what this prints).

    /usr/bin/python3 xmlrpc_logs.py unix:///path/to/sock DIR

The config under test (t_xmlrpc_io.sh's io_programs) has: "logs" (wrote
known lines to DIR/logs.out and DIR/logs.err), "nolog" (logs NONE),
"echo" (cat, logged to DIR/echo.out), "closer" (closed its stdin, then
said so), "idle" (not started) and a listener writing the
REMOTE_COMMUNICATION events it gets to DIR/rc.events.  Prints one JSON
line per call: the call and its result, or its fault code.
"""
import json
import os
import sys
import time
import xmlrpc.client

from supervisor import xmlrpc as sx

# Deadlines stretch with the tests' own (lib.sh: valgrind runs slower).
SLOW = int(os.environ.get("PROCD_TEST_SLOW", "1"))

OUT = "0123456789abcdefghij\n"
ERR = "ERR-0123456789\n"


def proxy(url):
    t = sx.SupervisorTransport("", "", url)
    return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=t)


def call(fn, *args):
    try:
        return fn(*args)
    except xmlrpc.client.Fault as f:
        return {"fault": f.faultCode}


def record(what, result):
    print(json.dumps([what, result]))


def until(what, fn, cond, secs=20 * SLOW):
    """Call FN until COND holds of its result (deadline SECS)."""
    deadline = time.time() + secs
    while True:
        r = call(fn)
        if cond(r):
            return r
        if time.time() > deadline:
            sys.exit("FAIL: %s: last answer %r" % (what, r))
        time.sleep(0.05)


def logs_methods(sup):
    until("logs written", lambda: sup.readProcessStdoutLog("logs", 0, 0),
          lambda r: r == OUT)
    until("errors written", lambda: sup.readProcessStderrLog("logs", 0, 0),
          lambda r: r == ERR)
    for off, ln in [(0, 0), (0, 5), (5, 5), (-5, 0), (-100, 0), (100, 0),
                    (21, 0), (20, 0), (-5, 5), (0, -1), (5, -5)]:
        record(["readProcessStdoutLog", off, ln],
               call(sup.readProcessStdoutLog, "logs", off, ln))
        record(["readProcessLog", off, ln],
               call(sup.readProcessLog, "logs", off, ln))
    for off, ln in [(0, 0), (3, 4), (-4, 0)]:
        record(["readProcessStderrLog", off, ln],
               call(sup.readProcessStderrLog, "logs", off, ln))
    for off, ln in [(0, 5), (0, 21), (0, 100), (10, 5), (10, 11), (21, 5),
                    (25, 5), (0, 0), (-5, 10), (3, -2), (20, 1), (20, 0),
                    (16, 5), (1, 1)]:
        record(["tailProcessStdoutLog", off, ln],
               call(sup.tailProcessStdoutLog, "logs", off, ln))
        record(["tailProcessLog", off, ln],
               call(sup.tailProcessLog, "logs", off, ln))
        record(["tailProcessStderrLog", off, ln],
               call(sup.tailProcessStderrLog, "logs", off, ln))
    for m in ("readProcessStdoutLog", "readProcessStderrLog"):
        record([m, "nolog"], call(getattr(sup, m), "nolog", 0, 0))
        record([m, "nosuch"], call(getattr(sup, m), "nosuch", -10, 0))
    for m in ("tailProcessStdoutLog", "tailProcessStderrLog"):
        record([m, "nolog"], call(getattr(sup, m), "nolog", 0, 10))
        record([m, "nosuch"], call(getattr(sup, m), "nosuch", 0, 10))
    # procd's own log: the bytes differ, the rules do not.
    for off, ln in [(-100, 0), (0, 10), (-5, 5), (0, -1)]:
        r = call(sup.readLog, off, ln)
        record(["readLog", off, ln], r if isinstance(r, dict) else len(r))
    record(["clearLog"], call(sup.clearLog))
    record(["readLog after clearLog"],
           isinstance(call(sup.readLog, 0, 0), str))
    record(["clearProcessLogs"], call(sup.clearProcessLogs, "logs"))
    until("logs cleared", lambda: sup.readProcessStdoutLog("logs", 0, 0),
          lambda r: r == "")
    record(["tail after clear"], call(sup.tailProcessStdoutLog, "logs", 0, 10))
    record(["clearAllProcessLogs"],
           sorted((r["name"], r["status"])
                  for r in call(sup.clearAllProcessLogs)))


def stdin_methods(sup):
    record(["sendProcessStdin", "echo"],
           call(sup.sendProcessStdin, "echo", "hello\n"))
    until("echo", lambda: sup.readProcessStdoutLog("echo", 0, 0),
          lambda r: r == "hello\n")
    # More than one of procd's frames (32 KiB), less than a pipe holds.
    big = "".join("%07d\n" % i for i in range(6000))
    record(["sendProcessStdin", "big"],
           call(sup.sendProcessStdin, "echo", big))
    r = until("big echo", lambda: sup.readProcessStdoutLog("echo", 0, 0),
              lambda r: len(r) >= 6 + len(big))
    record(["big echoed intact"], r == "hello\n" + big)
    record(["sendProcessStdin", "unicode"],
           call(sup.sendProcessStdin, "echo", "h\u00e9\u20ac\n"))
    r = until("unicode echo", lambda: sup.readProcessStdoutLog("echo", -7, 0),
              lambda r: r.endswith("\n") and "\u20ac" in r)
    record(["unicode echoed"], r)
    record(["sendProcessStdin", "empty"],
           call(sup.sendProcessStdin, "echo", ""))
    record(["sendProcessStdin", "idle"],
           call(sup.sendProcessStdin, "idle", "x\n"))
    record(["sendProcessStdin", "nosuch"],
           call(sup.sendProcessStdin, "nosuch", "x\n"))
    record(["sendProcessStdin", "int"],
           call(sup.sendProcessStdin, "echo", 5))
    record(["sendProcessStdin", "closer"],
           call(sup.sendProcessStdin, "closer", "x\n"))


def remote_event(sup, d):
    record(["sendRemoteCommEvent"],
           call(sup.sendRemoteCommEvent, "mytype", "some data\nl\u00e9 2"))
    record(["sendRemoteCommEvent", "empty"],
           call(sup.sendRemoteCommEvent, "", ""))
    deadline = time.time() + 20 * SLOW
    while True:
        try:
            with open(d + "/rc.events") as f:
                evs = [json.loads(l) for l in f]
        except OSError:
            evs = []
        if len(evs) >= 2:
            break
        if time.time() > deadline:
            sys.exit("FAIL: the listener got %r" % (evs,))
        time.sleep(0.05)
    for e in evs:
        h = dict(e["headers"])
        del h["serial"]		# counts every event the server made
        record(["REMOTE_COMMUNICATION"], [h, e["payload"]])


def main():
    sup = proxy(sys.argv[1]).supervisor
    for n in ("logs", "nolog", "echo", "closer"):
        until(n + " RUNNING", lambda: sup.getProcessInfo(n)["statename"],
              lambda r: r == "RUNNING")
    # Before clearAllProcessLogs: "closer" has closed its stdin.
    until("closer", lambda: sup.readProcessStdoutLog("closer", 0, 0),
          lambda r: r == "closed\n")
    logs_methods(sup)
    stdin_methods(sup)
    remote_event(sup, sys.argv[2])


if __name__ == "__main__":
    main()
