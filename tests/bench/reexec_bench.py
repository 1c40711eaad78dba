"""reexec_bench.py -- what an upgrade of the supervisor costs (make bench
--only reexec): procctl reexec, from the command to the new image
answering status, at N programs; beside it, in the same run, the upgrade
without it -- procd stopped and started again until all N programs are
back -- and supervisord's restart, the same way.

Registered in run.py by two calls: run(B, m) in Bench.run and rows(B) in
Report.rows; M is run.py's own module (its Sup classes and helpers).
"""
import subprocess
import time


def sizes(B):
    return [100] if B.quick else [1000]


def rows(B):
    """Report rows: label, metric, n, conversion, higher is better, target."""
    ms = lambda ns: ns / 1e6
    r = []
    for n in sizes(B):
        r.append(("upgrade: procctl reexec -> status answered, ms", "reexec",
                  n, ms, False, "<=50 ms"))
        r.append(("upgrade by restart: stop -> all back, ms",
                  "upgrade_restart", n, ms, False, ""))
    return r


def run(B, m):
    for n in sizes(B):
        for key in ("procd", "supervisord"):
            if key not in B.keys:
                continue
            s = m.SUPS[key](B, n)
            s.t_run = time.monotonic()
            m.log("bench: N=%-5d %-12s upgrade" % (n, key))
            try:
                if not B.guard(B.begin, s, False):
                    continue
                if key == "procd":
                    B.guard(reexec, B, m, s, n)
                B.guard(restart, B, m, s, n)
            finally:
                B.teardown(s, [])


def reexec(B, m, s, n):
    """procctl reexec returns once the new image answered it; then status,
    answered by the new image too.  No program may have started again."""
    for _ in range(B.inner):
        s.stamps.poll()
        before = dict(s.stamps.last)
        t0 = m.now()
        r = subprocess.run(s.ctl("reexec"), stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError("reexec: %s" % (r.stdout + r.stderr)
                               .decode(errors="replace").strip()[-80:])
        subprocess.run(s.status_argv(), stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, timeout=60)
        t1 = m.now()
        s.stamps.poll()
        if s.stamps.last != before:
            raise RuntimeError("programs started again across reexec")
        B.R.add("reexec", n, "procd", t1 - t0)
    return True


def restart(B, m, s, n):
    """The upgrade without reexec: stop the supervisor (and so every
    program), start it again, until every program runs anew."""
    s.stamps.poll()
    before = {k: v[1] for k, v in s.stamps.last.items()}
    t0 = m.now()
    s.shutdown()
    if m.wait_gone([s.pid], 120) is None:
        raise RuntimeError("did not stop in 120 s")
    s.launch()
    fresh = lambda: all(s.stamps.last.get(k, (0, 0))[1] != before.get(k)
                        for k in s.names)
    if not s.stamps.wait(fresh, 600, 0.005):
        raise RuntimeError("not all back in 600 s")
    B.R.add("upgrade_restart", n, s.key, max(v[0] for v in
                                             s.stamps.last.values()) - t0)
    return True
