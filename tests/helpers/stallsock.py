#!/usr/bin/python3
# stallsock.py GATE CMD... -- run CMD with its stdout and stderr on a unix
# stream socket (as systemd gives a service: its journal), whose reader
# reads nothing while the file GATE exists, then drains it.  Exits with
# CMD's status.
import os
import socket
import subprocess
import sys
import time

gate, cmd = sys.argv[1], sys.argv[2:]
ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
child = subprocess.Popen(cmd, stdout=theirs, stderr=theirs,
                         stdin=subprocess.DEVNULL)
theirs.close()
ours.setblocking(False)
while child.poll() is None:
    if os.path.exists(gate):
        time.sleep(0.05)
        continue
    try:
        if not ours.recv(65536):
            time.sleep(0.05)
    except BlockingIOError:
        time.sleep(0.02)
sys.exit(child.returncode)
