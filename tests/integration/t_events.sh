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

# listener_is NAME STATE: status shows NAME's listener in STATE.
listener_is() {
	ctl status "$1" | grep -q "listener $2"
}

# on_signal FILE: a program command that exits 0 once FILE exists.
on_signal() {
	echo "sh -c 'while ! test -e $1; do sleep 0.02; done'"
}

# at_least NAME PATTERN N: N recorded events match (for wait_for).
at_least() {
	[ "$(count_of "$1" "$2")" -ge "$3" ]
}

# compare_programs DIR: the programs and the listener of the comparison,
# recording into DIR/rec.events.
compare_programs() {
	cat <<EOF2
[program:quick]
command = sh -c 'sleep 1.5; echo hello; sleep 0.2; echo oops >&2; sleep 0.5; exit 3'
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

[program:comm]
command = $PY -c 'import sys, time; from supervisor import childutils; time.sleep(1.5); print("before", flush=True); childutils.pcomm.send(b"a message", sys.stdout.buffer); sys.stdout.buffer.flush(); print("after", flush=True); time.sleep(3600)'
startsecs = 0
stdout_capture_maxbytes = 1MB

[eventlistener:rec]
command = $PY $EVREC $1/rec.events
events = PROCESS_STATE, PROCESS_LOG, PROCESS_GROUP, SUPERVISOR_STATE_CHANGE,
    PROCESS_COMMUNICATION
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
	wait_for 20 "comm's message" rec_has "$d" \
	    'PROCESS_COMMUNICATION_STDOUT.*a message'
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
	wait_for 5 "comm's 'after' logged" grep -qx after "$T/comm-stdout.log"
	expect_eq "$(cat "$T/comm-stdout.log")" "before
after" "the log around a captured message"
	$PY "$ROOT/tests/integration/evcompare.py" "$S/compared.events" \
	    "$T/rec.events" || fail "procd's events differ from supervisord's"
}

# FAIL puts the event back in front: the same event (same serials) comes
# again, and is logged as rejected.
test_events_fail_rebuffers() {
	need_childutils
	program once "sh -c 'exit 0'" "startsecs = 0" "autorestart = false"
	listener rec PROCESS_STATE_EXITED --fail 1 -- "startsecs = 0"
	start_procd
	wait_for 10 "the event twice" at_least rec EXITED 2
	expect_eq "$(count_of rec EXITED)" 2 "EXITED deliveries"
	$PY - "$T/rec.events" <<'PYEOF' || fail "not the same event twice"
import json, sys
a, b = [json.loads(l)["headers"] for l in open(sys.argv[1])][:2]
sys.exit(0 if a == b else 1)
PYEOF
	log_shows 5 "listener rec: event 0 was rejected" \
	    "rejection not logged"
}

# A full pool drops its oldest event, logged as supervisord logs it; the
# listener gets the newest once it answers.
test_events_buffer_overflow() {
	need_childutils
	listener rec PROCESS_STATE_EXITED --hold "$T/go" -- "startsecs = 0" \
	    "buffer_size = 2"
	for i in 1 2 3 4 5; do
		program "p$i" "$(on_signal "$T/exit$i")" "startsecs = 0" \
		    "autorestart = false"
	done
	start_procd
	wait_for 10 "rec READY" listener_is rec READY
	touch "$T/exit1"
	wait_for 10 "rec BUSY" listener_is rec BUSY
	for i in 2 3 4 5; do
		touch "$T/exit$i"
		wait_for 10 "p$i EXITED" is_state "p$i" EXITED
	done
	# the first event is held by the listener (BUSY); 2 wait; 2 drop
	wait_for 10 "overflow" grep -q \
	    "pool rec event buffer overflowed, discarding event 2" \
	    "$T/procd.log"
	log_shows 5 "discarding event 1$" \
	    "event 1 not discarded first"
	touch "$T/go"
	wait_for 10 "three events" at_least rec EXITED 3
	expect_eq "$(count_of rec EXITED)" 3 "events after the overflow"
	events_of rec | grep -q "processname:p1 " || fail "p1's (held) event"
	events_of rec | grep -q "processname:p4 " || fail "p4's event"
	events_of rec | grep -q "processname:p5 " || fail "p5's event"
	# The recorder writes an event down before it answers: READY
	# follows its last answer.
	wait_for 10 "rec READY after its last answer" listener_is rec READY
}

# A flood into a deaf pool: supervisord's line for the first drops of a
# second, then one line that sums up the rest -- not a line per event
# (which, at a million events a second, rotated procd's log away).
test_events_overflow_flood_is_summed_up() {
	cat >> "$CONF" <<CONF
[eventlistener:deaf]
command = sleep 3600
events = PROCESS_COMMUNICATION
buffer_size = 1
startsecs = 0

CONF
	program chatty "sh -c 'i=0; while [ \$i -lt 5000 ]; do printf \"<!--XSUPERVISOR:BEGIN-->%%d<!--XSUPERVISOR:END-->\" \$i; i=\$((i+1)); done; exec sleep 3600'" \
	    "startsecs = 0" "stdout_capture_maxbytes = 1MB"
	start_procd
	wait_for 20 "the rest summed up" grep -q \
	    "pool deaf event buffer overflowed, discarding [0-9]* more events (serials [0-9]* to [0-9]*) in a second" \
	    "$T/procd.log"
	# 4999 dropped in all: each one by one or in a sum, none twice.
	wait_for 20 "every drop accounted for" sh -c "[ \$(awk '
	    /discarding event [0-9]+\$/ { n++ }
	    /more events/ { for (i = 1; i <= NF; i++) if (\$i == \"more\") n += \$(i - 1) }
	    END { print n + 0 }' '$T/procd.log') -eq 4999 ]"
	one=$(grep -c "discarding event [0-9]*$" "$T/procd.log")
	[ "$one" -le 50 ] || fail "$one drops logged one by one"
}

# A listener that dies while busy: its event goes back and the next
# instance gets it, with the same serial.
test_events_dying_busy_listener() {
	need_childutils
	program once "sh -c 'exit 0'" "startsecs = 0" "autorestart = false"
	listener rec PROCESS_STATE_EXITED --die-busy "$T/died" -- \
	    "startsecs = 0" "autorestart = true"
	start_procd
	wait_for 10 "the event twice" at_least rec EXITED 2
	test -e "$T/died" || fail "the first instance did not die"
	log_shows 5 "rebuffering event 0 for pool rec" \
	    "not rebuffered"
	$PY - "$T/rec.events" <<'PYEOF' || fail "not the same event twice"
import json, sys
a, b = [json.loads(l)["headers"] for l in open(sys.argv[1])][:2]
sys.exit(0 if a == b else 1)
PYEOF
}

# Garbage from a listener is logged escaped and the listener restarted;
# procd and the other pools go on.
test_events_garbage_restarts_listener() {
	need_childutils
	program once "sh -c 'sleep 0.5; exit 0'" "startsecs = 0" \
	    "autorestart = false"
	cat >> "$CONF" <<EOF2
[eventlistener:bad]
command = sh -c 'printf "READY\\\\n"; read line; printf "garbage\\\\033[31m\\\\n"; exec sleep 3600'
events = PROCESS_STATE
startsecs = 0

EOF2
	listener good PROCESS_STATE_EXITED -- "startsecs = 0"
	start_procd
	wait_for 10 "garbage logged" grep -qF \
	    'listener bad: broke the event protocol (got "garbage\x1b[31m\x0a"): restarting it' \
	    "$T/procd.log"
	wait_for 10 "bad restarted" sh -c "[ \$(grep -c 'spawned: bad' \
	    '$T/procd.log') -ge 2 ]"
	wait_for 10 "good got its event" got good "EXITED.*processname:once"
	ctl status >/dev/null
	[ $? -ne 4 ] || fail "procd not answering"
}

# A listener that breaks the protocol and then ends procd itself, as
# scripts written for supervisord do (corpus 018): it has a second to do
# so before procd would stop it.  Here it takes 0.3 s.
test_events_garbage_then_ending_procd_is_let_finish() {
	program broken "$T/no-such-program" "startretries = 0"
	cat >> "$CONF" <<EOF2
[eventlistener:quitter]
command = sh -c 'printf "READY\\n"; read line; printf "not a result\\n"; sleep 0.3; kill -QUIT \$(cat $T/procd.pid); exec sleep 3600'
events = PROCESS_STATE_FATAL

EOF2
	start_procd
	pid=$(procd_pid)
	wait_for 15 "procd ended by the listener" sh -c "! kill -0 $pid"
	log_shows 5 "listener quitter: broke the event protocol (got \"not a result\\\\x0a\"): restarting it in 1 s" \
	    "the garbage logged"
	log_shows 5 "received SIGQUIT" "ended by the listener's SIGQUIT"
	# Not stopped for its garbage before its own signal came.
	first_stop=$(grep -n "waiting for quitter to stop" "$T/procd.log" |
	    head -1 | cut -d: -f1)
	quit=$(grep -n "received SIGQUIT" "$T/procd.log" | head -1 | cut -d: -f1)
	[ -z "$first_stop" ] || [ "$first_stop" -gt "$quit" ] ||
	    fail "quitter stopped (line $first_stop) before its SIGQUIT (line $quit)"
}

# The READY -> BUSY -> READY states are in status, text and JSON.
test_events_status_shows_listener_state() {
	need_childutils
	program once "$(on_signal "$T/exit")" "startsecs = 0" \
	    "autorestart = false"
	listener rec PROCESS_STATE_EXITED --hold "$T/go" -- "startsecs = 0"
	start_procd
	wait_for 10 "READY" listener_is rec READY
	touch "$T/exit"
	wait_for 10 "BUSY" listener_is rec BUSY
	expect_eq "$(json_field rec listener_state)" '"BUSY"' "JSON state"
	expect_eq "$(json_field once listener_state)" 'null' "a program's"
	touch "$T/go"
	wait_for 10 "READY again" listener_is rec READY
}

# Children see supervisord's environment, SUPERVISOR_SERVER_URL included
# (childutils.getRPCInterface needs it).
test_events_supervisor_env() {
	program env "sh -c 'env | grep ^SUPERVISOR_ | sort; exec sleep 3600'" \
	    "startsecs = 0"
	start_procd
	wait_for 5 "output" grep -q SUPERVISOR_SERVER_URL "$T/env-stdout.log"
	expect_eq "$(cat "$T/env-stdout.log")" "SUPERVISOR_ENABLED=1
SUPERVISOR_GROUP_NAME=env
SUPERVISOR_PROCESS_NAME=env
SUPERVISOR_SERVER_URL=unix://$SOCK" "SUPERVISOR_* environment"
}

# TICK_5 at each 5-second boundary of the wall clock, with that boundary
# as when:, like supervisord's.
test_events_tick() {
	need_childutils
	listener rec TICK_5 -- "startsecs = 0"
	start_procd
	wait_for 12 "a TICK_5" got rec '^TICK_5 when:[0-9]+$'
	when=$(events_of rec | sed -n '1s/^TICK_5 when://p')
	expect_eq "$((when % 5))" 0 "when: on a 5 s boundary"
	now=$(date +%s)
	[ $((now - when)) -lt 10 ] || fail "when:$when is not now ($now)"
}

# Without a TICK subscriber procd sets no timer for ticks: a listener of
# other events leaves it asleep, as with no listener at all.
test_events_no_tick_no_wakeups() {
	need_childutils
	skip_under_valgrind "CPU time"
	listener rec PROCESS_STATE -- "startsecs = 0"
	start_procd
	wait_for 10 "rec READY" listener_is rec READY
	wait_for 10 "rec's own RUNNING" got rec 'RUNNING processname:rec '
	pid=$(procd_pid)
	wait_for 10 "procd settled" ctxt_still "$pid"
	before=$(ctxt_switches "$pid")
	sleep 6		# a measurement over a period: longer than a TICK_5
	expect_eq "$(ctxt_switches "$pid")" "$before" "procd's wake-ups in 6 s"
}

# ctxt_still PID: no context switch in half a second.
ctxt_still() {
	c=$(ctxt_switches "$1")
	sleep 0.5	# sampling interval
	[ "$(ctxt_switches "$1")" = "$c" ]
}

ctxt_switches() {
	awk '/^voluntary_ctxt_switches:/ {print $2}' "/proc/$1/status"
}

# update: PROCESS_GROUP_ADDED and _REMOVED, as supervisorctl update makes
# supervisord send them.
test_events_group_added_removed() {
	need_childutils
	listener rec PROCESS_GROUP -- "startsecs = 0"
	program old "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 10 "the groups at start" got rec \
	    '^PROCESS_GROUP_ADDED groupname:old\|$'
	expect_eq "$(events_of rec | head -2)" "PROCESS_GROUP_ADDED groupname:rec|
PROCESS_GROUP_ADDED groupname:old|" "groups at start"
	sed -i 's/^\[program:old\]/[program:new]/' "$CONF"
	ctl update >/dev/null || fail "update"
	wait_for 10 "new added" got rec '^PROCESS_GROUP_ADDED groupname:new\|$'
	wait_for 10 "old removed" got rec \
	    '^PROCESS_GROUP_REMOVED groupname:old\|$'
}

# PROCESS_LOG_STDOUT/STDERR carry each chunk a program writes, when its
# *_events_enabled is on, and nothing when it is off.
test_events_process_log() {
	need_childutils
	listener rec PROCESS_LOG -- "startsecs = 0"
	program talk "sh -c 'sleep 0.5; echo out; echo err >&2; exec sleep 3600'" \
	    "startsecs = 0" "stdout_events_enabled = true" \
	    "stderr_events_enabled = true"
	program quiet "sh -c 'echo nothing; exec sleep 3600'" "startsecs = 0"
	start_procd
	wait_for 10 "stdout event" got rec \
	    '^PROCESS_LOG_STDOUT processname:talk groupname:talk pid:[0-9]+ channel:stdout\|out\|$'
	wait_for 10 "stderr event" got rec \
	    '^PROCESS_LOG_STDERR processname:talk groupname:talk pid:[0-9]+ channel:stderr\|err\|$'
	pid=$(pid_of talk)
	got rec "pid:$pid " || fail "the pid in PROCESS_LOG is not talk's ($pid)"
	! got rec quiet || fail "events from a program without them"
}

# SUPERVISOR_STATE_CHANGE_STOPPING reaches a listener while the programs
# stopped before it (priority) are stopping.
test_events_supervisor_stopping() {
	need_childutils
	listener rec SUPERVISOR_STATE_CHANGE -- "startsecs = 0"
	program slow "sh -c 'trap \"sleep 1; exit 0\" TERM; while :; do sleep 0.1; done'" \
	    "startsecs = 0"
	start_procd
	wait_for 10 "RUNNING event" got rec '^SUPERVISOR_STATE_CHANGE_RUNNING $'
	wait_for 10 "rec READY" listener_is rec READY
	ctl shutdown >/dev/null
	wait_for 10 "STOPPING event" got rec \
	    '^SUPERVISOR_STATE_CHANGE_STOPPING $'
}

# A listener in the first shutdown wave (its priority as high as the
# programs') is stopped after them all the same: it hears them stop.
test_events_listener_stopped_after_the_programs() {
	need_childutils
	listener rec PROCESS_STATE,SUPERVISOR_STATE_CHANGE -- \
	    "startsecs = 0" "priority = 999"
	program slow "sh -c 'trap \"sleep 0.3; exit 0\" TERM; while :; do sleep 0.1; done'" \
	    "startsecs = 0" "priority = 10"
	start_procd
	wait_for 10 "slow RUNNING event" got rec \
	    '^PROCESS_STATE_RUNNING processname:slow '
	wait_for 10 "rec READY" listener_is rec READY
	pid=$(procd_pid)
	ctl shutdown >/dev/null
	wait_for 20 "procd to exit" sh -c "! kill -0 $pid"
	got rec '^SUPERVISOR_STATE_CHANGE_STOPPING $' ||
	    fail "no SUPERVISOR_STATE_CHANGE_STOPPING: $(events_of rec)"
	got rec '^PROCESS_STATE_STOPPING processname:slow groupname:slow from_state:RUNNING' ||
	    fail "no STOPPING of slow: $(events_of rec)"
	got rec '^PROCESS_STATE_STOPPED processname:slow groupname:slow from_state:STOPPING' ||
	    fail "no STOPPED of slow: $(events_of rec)"
}

# A failing health check is seen by listeners as supervisord's events of
# a crash: STOPPING, EXITED with expected:0, STARTING again.
test_events_health_failure_is_an_unexpected_exit() {
	need_childutils
	listener rec PROCESS_STATE -- "startsecs = 0"
	program sick "sleep 3600" "startsecs = 0" "health = exec:false" \
	    "health_interval = 1" "health_retries = 1"
	start_procd
	wait_for 20 "sick's first restart" got rec \
	    '^PROCESS_STATE_STARTING processname:sick .*from_state:EXITED'
	got rec \
	    '^PROCESS_STATE_EXITED processname:sick groupname:sick from_state:STOPPING expected:0 pid:[0-9]+$' ||
	    fail "no unexpected EXITED"
	got rec '^PROCESS_STATE_STOPPING processname:sick groupname:sick from_state:RUNNING' ||
	    fail "no STOPPING: $(events_of rec)"
	wait_for 20 "sick RUNNING again after the failure" sick_ran_twice
}

sick_ran_twice() {
	[ "$(count_of rec '^PROCESS_STATE_RUNNING processname:sick ')" -ge 2 ]
}

# A listener that does not answer holds a shutdown a few seconds at most.
test_events_deaf_listener_does_not_hold_shutdown() {
	cat >> "$CONF" <<EOF2
[eventlistener:deaf]
command = sh -c 'printf "READY\\\\n"; exec sleep 3600'
events = PROCESS_STATE

EOF2
	program p "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 10 "deaf BUSY" listener_is deaf BUSY
	pid=$(procd_pid)
	ctl shutdown >/dev/null
	wait_for 15 "procd to exit" sh -c "! kill -0 $pid"
	# Measured between procd's own lines (the test's clock would
	# count a loaded machine's delays too).
	log_shows 5 "procd exiting" "exit not logged"
	took=$(log_gap "asked: shutdown" "procd exiting")
	echo "shutdown with a deaf listener took ${took} ms"
	[ "$took" -le $((3000 + 3000 * SLOW)) ] ||
	    fail "shutdown took ${took} ms"
}

# A listener that never reads its stdin holds only its own event: procd
# answers, logs and delivers to other pools as before.
test_events_listener_not_reading_blocks_nothing() {
	need_childutils
	cat >> "$CONF" <<EOF2
[eventlistener:deaf]
command = sh -c 'printf "READY\\\\n"; exec sleep 3600'
events = PROCESS_LOG
startsecs = 0

EOF2
	listener rec PROCESS_STATE_EXITED -- "startsecs = 0"
	program loud "sh -c 'head -c 4000000 /dev/zero | tr \"\\\\0\" x; echo; sleep 1; exit 0'" \
	    "startsecs = 0" "autorestart = false" "stdout_events_enabled = true"
	start_procd
	wait_for 60 "loud's output logged" sh -c \
	    "[ \$(stat -c %s '$T/loud-stdout.log' 2>/dev/null || echo 0) -ge 4000001 ]"
	wait_for 20 "rec got loud's exit" got rec 'EXITED processname:loud '
	ctl status deaf | grep -q "listener BUSY" || fail "deaf is not BUSY"
	log_shows 5 "pool deaf event buffer overflowed" \
	    "deaf's pool did not overflow"
}
