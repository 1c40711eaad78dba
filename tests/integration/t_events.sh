# Event listeners with real clients: supervisor.childutils (Debian's
# supervisor package), as real listeners are written, and supervisord
# itself for what it sends.

PY=/usr/bin/python3
EVREC="$ROOT/tests/integration/evrecord.py"

need_childutils() {
	$PY -c 'import supervisor.childutils' 2>/dev/null ||
	    skip "python3 supervisor.childutils not installed (Debian's supervisor)"
}

# listener NAME EVENTS [evrecord args] -- [key=value ...]: a pool recording
# what it gets into $T/NAME.events.
listener() {
	lname=$1 levents=$2
	shift 2
	largs=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		largs="$largs $1"
		shift
	done
	[ $# -gt 0 ] && shift
	{
		echo "[eventlistener:$lname]"
		echo "command = $PY $EVREC $T/$lname.events$largs"
		echo "events = $levents"
		for kv in "$@"; do echo "$kv"; done
		echo
	} >> "$CONF"
}

# events_of NAME: the recorded events as "EVENTNAME payload" lines.
events_of() {
	$PY -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    print(e["headers"]["eventname"], e["payload"].replace("\n", "|"))' \
	    "$T/$1.events" 2>/dev/null
}

# got NAME PATTERN: some recorded event line matches PATTERN (grep -E).
got() {
	events_of "$1" | grep -qE -- "$2"
}

count_of() {
	events_of "$1" | grep -cE -- "$2"
}

# compare_programs DIR: the programs and the listener of the comparison,
# recording into DIR/rec.events.
compare_programs() {
	cat <<EOF2
[program:quick]
command = sh -c 'sleep 0.3; echo hello; sleep 0.2; echo oops >&2; sleep 0.5; exit 3'
startsecs = 0
autorestart = false
stdout_events_enabled = true
stderr_events_enabled = true

[program:broken]
command = $1/no-such-program
startretries = 0

[program:stopme]
command = sleep 3600
startsecs = 0

[eventlistener:rec]
command = $PY $EVREC $1/rec.events
events = PROCESS_STATE, PROCESS_LOG, PROCESS_GROUP, SUPERVISOR_STATE_CHANGE
buffer_size = 100
EOF2
}

# rec_has DIR PATTERN
rec_has() {
	grep -qE -- "$2" "$1/rec.events"
}

# drive_compare DIR STOP...: wait for quick's exit and broken's FATAL,
# stop stopme with STOP..., wait for its STOPPED.
drive_compare() {
	d=$1
	shift
	wait_for 20 "quick EXITED" rec_has "$d" 'PROCESS_STATE_EXITED.*quick'
	wait_for 20 "broken FATAL" rec_has "$d" 'PROCESS_STATE_FATAL.*broken'
	wait_for 20 "stopme RUNNING" rec_has "$d" \
	    'PROCESS_STATE_RUNNING.*processname:stopme'
	"$@" stop stopme >/dev/null || fail "$* stop stopme"
	wait_for 20 "stopme STOPPED" rec_has "$d" \
	    'PROCESS_STATE_STOPPED.*processname:stopme'
}

# The same config under supervisord 4.2 and procd: the same events, with
# the same headers and payloads, each process's in the same order.
test_events_match_supervisord() {
	need_childutils
	[ -x /usr/bin/supervisord ] || skip "no /usr/bin/supervisord"
	S=$T/sv
	mkdir -p "$S"
	cat > "$S/supervisord.conf" <<EOF2
[supervisord]
logfile = $S/supervisord.log
pidfile = $S/supervisord.pid
childlogdir = $S
user = root

[unix_http_server]
file = $S/supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl = unix://$S/supervisor.sock

EOF2
	compare_programs "$S" >> "$S/supervisord.conf"
	(cd "$S" && /usr/bin/supervisord -c "$S/supervisord.conf") ||
	    fail "supervisord did not start"
	drive_compare "$S" /usr/bin/supervisorctl -c "$S/supervisord.conf"
	# What follows a shutdown depends on the timing of its waves.
	cp "$S/rec.events" "$S/compared.events"
	kill -TERM "$(cat "$S/supervisord.pid")"
	wait_for 20 "supervisord to exit" sh -c "! test -e $S/supervisord.pid"

	compare_programs "$T" >> "$CONF"
	start_procd
	drive_compare "$T" ctl
	$PY "$ROOT/tests/integration/evcompare.py" "$S/compared.events" \
	    "$T/rec.events" || fail "procd's events differ from supervisord's"
}
