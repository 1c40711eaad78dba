#!/usr/bin/env python3
"""evrecord.py -- an event listener written with supervisor.childutils, as
real listeners are, for procd's event tests (t_events*.sh).

    evrecord.py OUT [--fail N] [--hold FILE] [--die-busy FILE]

Each event it gets is appended to OUT as one JSON line
{"headers": {...}, "payload": "..."} before it answers.  --fail N: the
first N events are answered FAIL.  --hold FILE: before answering, wait
until FILE exists (the event stays BUSY meanwhile).  --die-busy FILE:
exit without answering on the first event when FILE does not exist
(creating it, so the next instance answers).
"""
import json
import os
import sys
import time

from supervisor import childutils


def main():
    out = sys.argv[1]
    args = sys.argv[2:]
    fails = int(args[args.index('--fail') + 1]) if '--fail' in args else 0
    hold = args[args.index('--hold') + 1] if '--hold' in args else None
    die_busy = args[args.index('--die-busy') + 1] if '--die-busy' in args \
        else None
    deadline = time.time() + 120  # never outlive a failed test
    while time.time() < deadline:
        headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        with open(out, 'a') as f:
            f.write(json.dumps({'headers': headers, 'payload': payload}) +
                    '\n')
        if die_busy is not None and not os.path.exists(die_busy):
            open(die_busy, 'w').close()
            os._exit(3)
        while hold is not None and not os.path.exists(hold):
            time.sleep(0.02)
        if fails > 0:
            fails -= 1
            childutils.listener.fail(sys.stdout)
        else:
            childutils.listener.ok(sys.stdout)


if __name__ == '__main__':
    main()
