"""sockserve.py MODE [HOST PORT]: a server for t_sockets.sh.

MODE fcgi: accept on fd 0 (an [fcgi-program:]'s socket).
MODE activated: accept on fd 3 after checking systemd's LISTEN_PID and
LISTEN_FDS (sockets=); with LISTEN_FDS > 1, every socket is served.
MODE self HOST PORT: bind HOST:PORT itself (what a program without
sockets= does), so that while it restarts, connections are refused.

Each connection gets one line, "pid PID fd N\\n", and is closed.  On
SIGTERM it stops between connections, as a server that stops gracefully
does: a connection it has accepted is always answered.
"""
import os
import selectors
import signal
import socket
import sys

stopping = False


def stop(signo, frame):
    global stopping
    stopping = True


def listeners(mode):
    if mode == "fcgi":
        return [socket.socket(fileno=0)]
    if mode == "activated":
        if os.environ.get("LISTEN_PID") != str(os.getpid()):
            sys.exit("LISTEN_PID is %r, not %d" %
                     (os.environ.get("LISTEN_PID"), os.getpid()))
        n = int(os.environ["LISTEN_FDS"])
        return [socket.socket(fileno=3 + i) for i in range(n)]
    if mode == "self":
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((sys.argv[2], int(sys.argv[3])))
        s.listen(128)
        return [s]
    sys.exit("unknown mode " + mode)


def main():
    sel = selectors.DefaultSelector()
    for s in listeners(sys.argv[1]):
        s.setblocking(True)
        sel.register(s, selectors.EVENT_READ)
    signal.signal(signal.SIGTERM, stop)
    print("serving", flush=True)
    while not stopping:
        for key, _ in sel.select(timeout=0.05):
            conn, _ = key.fileobj.accept()
            with conn:
                conn.sendall(b"pid %d fd %d\n" %
                             (os.getpid(), key.fileobj.fileno()))


main()
