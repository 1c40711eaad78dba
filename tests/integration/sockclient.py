"""sockclient.py HOST PORT STOPFILE [INTERVAL]: connect to HOST:PORT
every INTERVAL seconds (0.05) until STOPFILE exists; each connection
must be answered with a line.  Prints "ok N refused N unanswered N
queued N", queued counting the answered connections that waited 0.25 s
or more (made while no process was accepting).
"""
import os
import socket
import sys
import time

host, port, stop = sys.argv[1], int(sys.argv[2]), sys.argv[3]
interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.05
ok = refused = unanswered = queued = 0
while not os.path.exists(stop):
    start = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=10) as s:
            if s.makefile("rb").readline().startswith(b"pid "):
                ok += 1
                if time.monotonic() - start >= 0.25:
                    queued += 1
            else:
                unanswered += 1
    except ConnectionRefusedError:
        refused += 1
    except (OSError, socket.timeout):
        unanswered += 1
    time.sleep(interval)
print("ok %d refused %d unanswered %d queued %d" %
      (ok, refused, unanswered, queued), flush=True)
