# t_trust_bytes.sh -- bytes a program chose, and config files that are not
# files (issue 13, sections 4 and 5).
#
# A program running as nobody sends STATUS= with a byte that is not UTF-8,
# a terminal escape sequence, C1 CSI and a bidi override: `procctl --json
# status` must still parse (strict UTF-8, strict JSON) and `procctl
# status` must carry none of them raw.  A spawn error quoting a path full
# of escapes is escaped the same way.  A FIFO as the config must not hang
# `procd check` or `procctl -c`, nor freeze a running procd on SIGHUP or
# `procctl reread`.

# No raw ESC, C1 CSI (0x9b, alone or as U+009B), U+202E or byte that is
# not UTF-8 in FILE.
inert() {
	python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
text = data.decode("utf-8")          # strict: raises on bytes not UTF-8
bad = [c for c in text if ord(c) < 0x20 and c != "\n" or
       0x7f <= ord(c) <= 0x9f or c in "\u202a\u202b\u202c\u202d\u202e"
       "\u2066\u2067\u2068\u2069\u200e\u200f\u061c"]
sys.exit(1 if bad or b"\x1b" in data or b"\x9b" in data else 0)
PY
}

# FILE holds strict JSON whose first status_text is $2 (a Python literal).
json_status_text_is() {
	python3 - "$1" "$2" <<'PY'
import ast, json, sys
text = open(sys.argv[1], "rb").read().decode("utf-8")
doc = json.loads(text, parse_constant=lambda c: sys.exit("constant " + c))
want = ast.literal_eval(sys.argv[2])
got = doc[0]["status_text"]
sys.exit(0 if got == want else "status_text %r, expected %r" % (got, want))
PY
}

# Run as nobody: the helper and a wrapper script where nobody can reach.
nobody_program() {
	[ "$(id -u)" = 0 ] || skip "needs root (the program runs as nobody)"
	binaries_for_nobody
	cp "$HELPERS/notifier" "$T/bin/" || fail "copying notifier"
	cat > "$T/bin/hostile" <<SH
#!/bin/sh
exec $T/bin/notifier -s "\$(printf 'x\\377y\\033[2Jz\\342\\200\\256w\\302\\233v')" -r 0
SH
	chmod 0755 "$T/bin/hostile" "$T/bin/notifier"
	program n "$T/bin/hostile" "user = nobody" "ready = notify"
}

test_trust_bytes_status_from_nobody_is_escaped() {
	nobody_program
	start_procd
	wait_for 10 "n running" is_state n RUNNING
	ctl --json status n > "$T/status.json"
	json_status_text_is "$T/status.json" \
	    "'x\\ufffdy\\x1b[2Jz\\u202ew\\x9bv'" ||
	    fail "JSON: $(od -c "$T/status.json" | head -20)"
	inert "$T/status.json" || fail "raw bytes in --json status"
	ctl status n > "$T/status.txt"
	inert "$T/status.txt" ||
	    fail "raw bytes in status: $(od -c "$T/status.txt" | head -8)"
	grep -qF 'x\xffy\x1b[2Jz\u202ew\u009bv' "$T/status.txt" ||
	    fail "status: $(cat "$T/status.txt")"
}

test_trust_bytes_spawn_error_is_escaped() {
	bad="$T/no$(printf '\033[31m')where$(printf '\342\200\256')/x"
	program n "$bad" "startretries = 0"
	start_procd
	wait_for 10 "n FATAL" is_state n FATAL
	ctl status n > "$T/status.txt"
	inert "$T/status.txt" ||
	    fail "raw bytes in status: $(od -c "$T/status.txt" | head -8)"
	grep -qF 'no\x1b[31mwhere\u202e/x' "$T/status.txt" ||
	    fail "status: $(cat "$T/status.txt")"
	ctl --json status n > "$T/status.json"
	inert "$T/status.json" || fail "raw bytes in --json status"
	python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode())' \
	    "$T/status.json" || fail "--json status does not parse"
	# procd's own log quotes the spawn error too: maintail prints it to
	# a terminal, so it is escaped there as well.
	log_shows 5 "spawn error: .*where" "the spawn error logged"
	ctl maintail -100000 > "$T/maintail.txt"
	grep -qF 'no\x1b[31mwhere\u202e/x' "$T/maintail.txt" ||
	    fail "maintail: $(grep 'spawn' "$T/maintail.txt" | head -2)"
	inert "$T/maintail.txt" ||
	    fail "raw bytes in maintail: $(od -c "$T/maintail.txt" | head -8)"
}

test_trust_bytes_check_refuses_a_fifo_at_once() {
	mkfifo "$T/fifo.ini" || fail "mkfifo"
	timeout 10 "$PROCD" check -c "$T/fifo.ini" > "$T/check.out" 2>&1
	rc=$?
	[ $rc -ne 124 ] || fail "procd check hung on a FIFO"
	[ $rc -ne 0 ] || fail "procd check accepted a FIFO"
	grep -q "fifo.ini: error: cannot read: not a regular file (a FIFO)" \
	    "$T/check.out" || fail "check said: $(cat "$T/check.out")"
	timeout 10 "$PROCCTL" -c "$T/fifo.ini" status > "$T/ctl.out" 2>&1
	rc=$?
	[ $rc -ne 124 ] || fail "procctl -c hung on a FIFO"
	expect_eq "$rc" 2 "procctl -c FIFO exit status"
	grep -q "not a regular file (a FIFO)" "$T/ctl.out" ||
	    fail "procctl said: $(cat "$T/ctl.out")"
}

# The config replaced by a FIFO under a running procd.  On failure the
# FIFO is opened for writing once, so that a procd stuck in open() can be
# stopped.
fifo_release() {
	timeout 2 sh -c ": > '$CONF'" 2>/dev/null
}

test_trust_bytes_reload_of_a_fifo_keeps_procd_answering() {
	program n "sleep 1000"
	start_procd
	wait_for 10 "n running" is_state n RUNNING
	mv "$CONF" "$T/procd.ini.real" && mkfifo "$CONF" || fail "mkfifo"
	kill -HUP "$(procd_pid)"
	wait_for 10 "the error logged" grep -q \
	    "procd.ini.*error: cannot read: not a regular file (a FIFO)" \
	    "$T/procd.log" || { fifo_release; fail "no error logged"; }
	timeout 10 "$PROCCTL" -s "$SOCK" status n > "$T/status.txt" 2>&1
	rc=$?
	[ $rc -ne 124 ] || { fifo_release; fail "status hung after SIGHUP"; }
	grep -q "RUNNING" "$T/status.txt" || fail "status: $(cat "$T/status.txt")"
	timeout 10 "$PROCCTL" -s "$SOCK" reread > "$T/reread.out" 2>&1
	rc=$?
	[ $rc -ne 124 ] || { fifo_release; fail "reread hung"; }
	[ $rc -ne 0 ] || fail "reread of a FIFO succeeded"
	grep -q "not a regular file (a FIFO)" "$T/reread.out" ||
	    fail "reread said: $(cat "$T/reread.out")"
	timeout 10 "$PROCCTL" -s "$SOCK" status n >/dev/null 2>&1 ||
	    { fifo_release; fail "status after reread"; }
	is_state n RUNNING || fail "n: $(ctl status n)"
}
