# supervisord's XML-RPC methods on logs, stdin and remote events (issue
# 16): the same calls against supervisord 4.2 and procd give the same
# answers; Debian's supervisorctl fg drives a program through its stdin.

PY=/usr/bin/python3
SCTL=/usr/bin/supervisorctl

io_needs() {
	[ -x "$SCTL" ] && [ -x /usr/bin/supervisord ] &&
	    $PY -c 'import supervisor.childutils' 2>/dev/null ||
	    skip "Debian's supervisor package is not installed"
}

# io_sections SOCKET: supervisord's sections for a server on SOCKET.
io_sections() {
	cat <<CONF
[unix_http_server]
file = $1

[supervisorctl]
serverurl = unix://$1

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

CONF
}

# io_programs DIR: what xmlrpc_logs.py expects, logging into DIR.
io_programs() {
	cat <<CONF
[program:logs]
command = sh -c 'printf "0123456789abcdefghij\\\\n"; printf "ERR-0123456789\\\\n" >&2; exec sleep 3600'
startsecs = 0
stdout_logfile = $1/logs.out
stderr_logfile = $1/logs.err

[program:nolog]
command = sleep 3600
startsecs = 0
stdout_logfile = NONE
stderr_logfile = NONE

[program:echo]
command = cat
startsecs = 0
stdout_logfile = $1/echo.out

[program:closer]
command = sh -c 'exec 0<&-; echo closed; exec sleep 3600'
startsecs = 0
stdout_logfile = $1/closer.out

[program:idle]
command = sleep 3600
autostart = false

[eventlistener:rc]
command = $PY $ROOT/tests/integration/evrecord.py $1/rc.events
events = REMOTE_COMMUNICATION
startsecs = 0

CONF
}

test_log_stdin_and_remote_event_methods_match_supervisord() {
	io_needs
	S=$T/sv
	mkdir -p "$S"
	{
		cat <<CONF
[supervisord]
logfile = $S/supervisord.log
pidfile = $S/supervisord.pid
childlogdir = $S
user = root

CONF
		io_sections "$S/sv.sock"
		io_programs "$S"
	} > "$S/supervisord.conf"
	(cd "$S" && /usr/bin/supervisord -c "$S/supervisord.conf") ||
	    fail "supervisord did not start"
	$PY "$ROOT/tests/integration/xmlrpc_logs.py" "unix://$S/sv.sock" "$S" \
	    > "$S/answers" || fail "against supervisord: $(tail -3 "$S/answers")"
	kill -TERM "$(cat "$S/supervisord.pid")"
	wait_for 20 "supervisord to exit" sh -c "! test -e $S/supervisord.pid"

	{ io_sections "$SOCK"; io_programs "$T"; } >> "$CONF"
	start_procd
	$PY "$ROOT/tests/integration/xmlrpc_logs.py" "unix://$SOCK" "$T" \
	    > "$T/answers" || fail "against procd: $(tail -3 "$T/answers")"
	wc -l < "$T/answers" | grep -q '^[1-9][0-9]' || fail "too few answers"
	diff -u "$S/answers" "$T/answers" || fail "procd answers otherwise"
	# The data sent to a stdin is not logged, only its size.
	log_shows 5 "asked: stdin echo (6 bytes)" \
	    "stdin request not logged"
	! grep -q "hello" "$T/procd.log" || fail "stdin data in procd's log"
}

# Every program's stdin is a pipe, as under supervisord: a program that
# reads it waits (rather than seeing end of file at once), and procd's
# end goes with the process, restart after restart.
test_programs_get_a_stdin_pipe_closed_at_exit() {
	program reader "sh -c 'read x; echo got \$x; exec sleep 3600'" \
	    "startsecs = 0"
	start_procd
	wait_for 5 "reader running" is_state reader RUNNING
	pid=$(pid_of reader)
	# (RUNNING may come before the child's descriptors are in place.)
	wait_for 5 "the reader's stdin a pipe" sh -c \
	    "readlink /proc/$pid/fd/0 | grep -q '^pipe:'"
	before=$(stable_fd_count "$(procd_pid)")
	i=0
	while [ $i -lt 20 ]; do
		ctl restart reader >/dev/null || fail "restart"
		i=$((i + 1))
	done
	wait_for 5 "reader running" is_state reader RUNNING
	# The last procctl's connection may still be open in procd for a moment.
	wait_for 5 "procd's descriptors back to $before after 20 restarts" \
	    fd_count_is "$(procd_pid)" "$before"
	[ -z "$(tail -c 100 "$T"/reader-stdout* 2>/dev/null)" ] ||
	    fail "reader saw end of file: $(cat "$T"/reader-stdout*)"
}

# supervisorctl fg NAME: what is typed goes to the program's stdin, what
# it writes comes back; Ctrl-C leaves it running.
test_supervisorctl_fg_over_a_pty() {
	io_needs
	io_sections "$SOCK" >> "$CONF"
	program upper "sed -u s/^/got:/" "startsecs = 0"
	start_procd
	wait_for 5 "upper running" is_state upper RUNNING
	$PY - "$SCTL" "$CONF" <<'PYEOF' || fail "fg did not work"
import os, pty, select, sys, time

pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "-c", sys.argv[2], "fg", "upper"])
seen = b""

def expect(what, secs=20 * int(os.environ.get("PROCD_TEST_SLOW", "1"))):
    global seen
    deadline = time.time() + secs
    while what not in seen:
        left = deadline - time.time()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            sys.exit("FAIL: no %r in %r" % (what, seen))
        try:
            seen += os.read(fd, 4096)
        except OSError:
            sys.exit("FAIL: fg ended before %r: %r" % (what, seen))

expect(b"Press Ctrl-C to exit")
# supervisorctl prints that line before its thread asks for the log, so
# a first line's answer can come before the follow: type until one shows.
for i in range(10):
    os.write(fd, b"ping%d\n" % i)
    try:
        expect(b"got:ping", 2)
        break
    except SystemExit:
        pass
expect(b"got:ping")
os.write(fd, b"pong\n")
expect(b"got:pong")
os.write(fd, b"\x03")
_, st = os.waitpid(pid, 0)
print(seen.decode(errors="replace"))
PYEOF
	is_state upper RUNNING || fail "upper is $(state_of upper)"
	wait_for 5 "got:pong in upper's log" sh -c "grep -q got:pong '$T'/upper-stdout*"
}

# A program that does not read its stdin costs procd at most 1 MiB kept
# for it: beyond, sendProcessStdin fails (FAILED) at once, and procd
# answers everyone meanwhile.
test_stdin_of_a_program_that_does_not_read_is_bounded() {
	io_needs
	io_sections "$SOCK" >> "$CONF"
	program deaf "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "deaf running" is_state deaf RUNNING
	$PY - "unix://$SOCK" <<'PYEOF' || fail "bounded stdin"
import sys, xmlrpc.client
from supervisor import xmlrpc as sx
s = xmlrpc.client.ServerProxy("http://127.0.0.1",
    transport=sx.SupervisorTransport("", "", sys.argv[1])).supervisor
chunk = "x" * 600000
assert s.sendProcessStdin("deaf", chunk) is True   # the pipe, then kept
try:
    s.sendProcessStdin("deaf", chunk)               # past 1 MiB kept
    sys.exit("FAIL: no fault past 1 MiB")
except xmlrpc.client.Fault as f:
    assert f.faultCode == sx.Faults.FAILED, f
    print(f.faultString)
assert s.getProcessInfo("deaf")["statename"] == "RUNNING"
PYEOF
	ctl status deaf >/dev/null || fail "procd does not answer"
	ctl stop deaf >/dev/null || fail "stop"
	ctl start deaf >/dev/null || fail "start again"
}

# getProcessInfo is made from procd's rpcinfo lines: text that holds the
# line's own separators (a backslash here, in a spawn error) comes back
# as status --json has it.
test_process_info_text_survives_the_lines() {
	io_needs
	io_sections "$SOCK" >> "$CONF"
	program odd "'/nonexistent/a\\\\tb\\\\c'" "startretries = 0" \
	    "autostart = false"
	start_procd
	ctl start odd >/dev/null 2>&1
	wait_for 10 "odd FATAL" is_state odd FATAL
	want=$(ctl --json status odd | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["spawnerr"])')
	case "$want" in *'\'*) ;; *) fail "no backslash in the test: $want" ;; esac
	got=$($PY - "unix://$SOCK" <<'PYEOF'
import sys, xmlrpc.client
from supervisor import xmlrpc as sx
s = xmlrpc.client.ServerProxy("http://127.0.0.1",
    transport=sx.SupervisorTransport("", "", sys.argv[1])).supervisor
i = s.getProcessInfo("odd")
a = [x for x in s.getAllProcessInfo() if x["name"] == "odd"][0]
assert i == dict(a, now=i["now"]), (i, a)
assert i["statename"] == "FATAL" and i["state"] == 200, i
print(i["spawnerr"])
PYEOF
)
	expect_eq "$got" "$want" "spawnerr over XML-RPC"
}
