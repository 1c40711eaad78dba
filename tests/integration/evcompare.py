#!/usr/bin/env python3
"""evcompare.py -- compare two evrecord.py logs (t_events.sh): the events
supervisord sent and the ones procd sent for the same config.

    evcompare.py SUPERVISORD.jsonl PROCD.jsonl

Headers must have the same keys and values but for serials, which must
count up from 0 in each, and len, which must be the payload's length
(pids differ in length); payloads must be equal once pids are masked.
Events about one process must come in the same order; how the events of
different processes interleave depends on timing, so only each one's own
sequence is compared, and the others (groups, supervisor state) in their
own order.  Prints the differences and exits 1 if there are any.
"""
import json
import re
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def check_serials(events, who):
    bad = []
    for i, e in enumerate(events):
        h = e['headers']
        if h['serial'] != str(i) or h['poolserial'] != str(i):
            bad.append('%s: event %d has serial %s poolserial %s' % (
                who, i, h['serial'], h['poolserial']))
        if h['len'] != str(len(e['payload'])):
            bad.append('%s: event %d has len %s for %d characters' % (
                who, i, h['len'], len(e['payload'])))
    return bad


def key(e):
    m = re.match(r'processname:(\S+)', e['payload'])
    return m.group(1) if m else '(supervisor)'


def norm(e):
    h = dict(e['headers'])
    del h['serial'], h['poolserial'], h['len']
    return (json.dumps(h, sort_keys=True),
            re.sub(r'pid:\d+', 'pid:N', e['payload']))


def streams(events):
    out = {}
    for e in events:
        out.setdefault(key(e), []).append(norm(e))
    return out


def main():
    sv, pd = load(sys.argv[1]), load(sys.argv[2])
    bad = check_serials(sv, 'supervisord') + check_serials(pd, 'procd')
    a, b = streams(sv), streams(pd)
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            bad.append('%s:\n  supervisord: %s\n  procd:       %s' % (
                k, a.get(k), b.get(k)))
    for line in bad:
        print(line)
    print('%d events from supervisord, %d from procd, %d differences' % (
        len(sv), len(pd), len(bad)))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
