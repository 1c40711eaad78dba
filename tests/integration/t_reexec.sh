# procctl reexec: procd runs its (upgraded) binary again while every
# program runs on -- same pids, pipes, logs, timers -- and falls back to
# the old image, saying why, when the new one cannot take over.

# reexec_binary: procd runs from a copy in $T/bin, which an "upgrade"
# replaces (a new file: the running one shows as "(deleted)"), with the
# gateway beside it.
reexec_binary() {
	# The image procd execs is not valgrind's (valgrind would have to
	# trace children), and the descriptor counts would differ by
	# valgrind's own: make check and make check SAN=1 run these.
	skip_under_valgrind "the re-exec'd image runs outside valgrind"
	mkdir -p "$T/bin" || fail "mkdir"
	cp "$PROCD" "$T/bin/procd" || fail "copy procd"
	# The HTTP gateway is run from procd's own directory.
	cp "$(dirname "$PROCD")/procd-gateway" "$T/bin/" || fail "copy gateway"
	PROCD=$T/bin/procd
}

reexec_upgrade() {
	cp "$ROOT/${PROCD_BUILD:-build}/procd" "$T/bin/procd.new" &&
	    mv -f "$T/bin/procd.new" "$T/bin/procd" || fail "upgrade"
}

# A writer of numbered lines, long enough that a torn one shows.
writer() {
	[ -f "$T/writer.py" ] || cat > "$T/writer.py" <<'PY'
import itertools, time
for i in itertools.count(1):
    print(i, "x" * 200)
    time.sleep(0.002)
PY
	program "$1" "python3 -u $T/writer.py" "stdout_logfile = $T/$1.log" \
	    "startsecs = 0"
}

# numbered_ok FILE [FIRST|any]: lines "N xxx..." with N from FIRST on, none missing,
# none torn.  (The last line may still be coming: it is left out.)
numbered_ok() {
	python3 - "$1" "${2:-1}" <<'PY'
import sys
lines = open(sys.argv[1], "rb").read().split(b"\n")[:-1]
want = None if sys.argv[2] == "any" else int(sys.argv[2])
pad = b"x" * 200
if not lines:
    sys.exit("%s: empty" % sys.argv[1])
for i, l in enumerate(lines):
    n, _, rest = l.partition(b" ")
    if rest != pad or not n.isdigit():
        sys.exit("%s:%d: torn line %r" % (sys.argv[1], i + 1, l[:40]))
    if want is not None and int(n) != want:
        sys.exit("%s:%d: expected %d, got %s" % (sys.argv[1], i + 1, want, n.decode()))
    want = int(n) + 1
print(len(lines))
PY
}

# reexec_now: procctl reexec, asked again while a listener is in the
# middle of an event or a program is being spawned (a moment's business,
# longer on a slow or sanitized build); prints its answer.
reexec_now() {
	for i in $(seq 1 50); do
		out=$(ctl reexec 2>&1) && { echo "$out"; return 0; }
		case $out in
		*"in the middle of an event"*|*"has events queued"*|\
		*"is being spawned"*)
			sleep 0.05 ;;	# asked again, not a wait for an outcome
		*) echo "$out"; return 1 ;;
		esac
	done
	echo "$out"
	return 1
}

# recorder NAME EVENTS: an event listener pool of two, written with
# supervisor.childutils as real listeners are, recording what it gets.
recorder() {
	{
		echo "[eventlistener:$1]"
		echo "command = /usr/bin/python3 $ROOT/tests/integration/evrecord.py $T/$1.events"
		echo "events = $2"
		echo "numprocs = 2"
		echo "process_name = %(program_name)s_%(process_num)d"
		echo "startsecs = 0"
		echo
	} >> "$CONF"
}

# serials FILE: "SERIAL EVENTNAME" of each event a recorder got.
serials() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    print(e["headers"]["serial"], e["headers"]["eventname"])' "$1"
}

# Every program's name, start time and pid; bad's change as it retries.
starts() {
	ctl --json status | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    if p["name"] != "bad":
        print(p["name"], p["start"], p["pid"])'
}

test_reexec_keeps_programs_logs_and_timers() {
	skip_under_valgrind "100 programs and writers at full speed"
	/usr/bin/python3 -c 'import supervisor.childutils' 2>/dev/null ||
	    skip "python3 supervisor.childutils not installed (Debian's supervisor)"
	reexec_binary
	for i in 1 2 3 4 5; do writer "w$i"; done
	program bad "sh -c 'exit 1'" "startretries = infinite" \
	    "backoff = exponential" "backoff_max = 2" "startsecs = 1"
	program slow "sleep 3600" "ready = exec:test -f $T/go" \
	    "ready_timeout = 0"
	program waiter "sleep 3600" "depends_on = slow"
	recorder rec PROCESS_STATE
	for i in $(seq 1 90); do
		program "s$i" "sleep 3600" "startsecs = 0"
	done
	start_procd
	wait_for 60 "everything up" all_running w1 w5 s1 s90 rec:rec_0 rec:rec_1
	# bad: retried every 2 s from its third try on.
	wait_for 20 "bad at 2 s retries" sh -c \
	    "[ \$(grep -c 'spawned: bad' '$T/procd.log') -ge 3 ]"
	is_state waiter STARTING || fail "waiter not held: $(ctl status waiter)"
	"$PROCCTL" -s "$SOCK" tail -f w1 > "$T/follow.out" 2>&1 &
	follower=$!
	wait_for 10 "the follower receives" test -s "$T/follow.out"
	pid=$(procd_pid)
	fds=$(stable_fd_count "$pid")
	starts > "$T/starts.before"
	up_before=$(json_field s1 uptime)
	reexec_upgrade
	readlink "/proc/$pid/exe" | grep -q deleted ||
	    fail "the upgrade did not replace the running binary"
	wait_for 10 "bad in BACKOFF" is_state bad BACKOFF
	out=$(reexec_now) || fail "reexec: $out"
	echo "$out" | grep -q "re-executed: 100 programs carried" ||
	    fail "reexec said: $out"
	expect_eq "$(procd_pid)" "$pid" "procd's pid"
	readlink "/proc/$pid/exe" | grep -q deleted &&
	    fail "still the old binary: $(readlink /proc/$pid/exe)"
	starts > "$T/starts.after"
	cmp -s "$T/starts.before" "$T/starts.after" ||
	    fail "pids or start times changed: $(diff "$T/starts.before" "$T/starts.after")"
	up_after=$(json_field s1 uptime)
	[ "$up_after" -ge "$up_before" ] || fail "uptime $up_before -> $up_after"
	is_state waiter STARTING || fail "waiter let go: $(ctl status waiter)"
	fds_after=$(stable_fd_count "$pid")
	expect_eq "$fds_after" "$fds" "procd's descriptors"
	# The retry that spans the re-exec comes on time (2 s after the exit).
	n=$(grep -c 'spawned: bad' "$T/procd.log")
	wait_for 10 "bad retried" sh -c \
	    "[ \$(grep -c 'spawned: bad' '$T/procd.log') -gt $n ]"
	gap=$(python3 - "$T/procd.log" <<'PY'
import sys, datetime
t = lambda l: datetime.datetime.strptime(l[:23], "%Y-%m-%d %H:%M:%S.%f")
lines = open(sys.argv[1]).read().splitlines()
rx = max(i for i, l in enumerate(lines) if "reexec: handing over" in l)
ex = max(i for i, l in enumerate(lines[:rx]) if "exited: bad" in l)
sp = next(i for i, l in enumerate(lines) if i > rx and "spawned: bad" in l)
print(int((t(lines[sp]) - t(lines[ex])).total_seconds() * 1000))
PY
)
	[ "$gap" -ge 1900 ] && [ "$gap" -le $((2600 * SLOW)) ] ||
	    fail "the retry across the re-exec came after $gap ms, not 2000"
	# The listeners, the same processes, hear of bad's retries on.
	n=$(wc -l < "$T/rec.events")
	wait_for 10 "events after the re-exec" sh -c \
	    "[ \$(wc -l < '$T/rec.events') -gt $n ]"
	# The held start goes on in the new image.
	touch "$T/go"
	wait_for 20 "waiter started" all_running slow waiter
	# Enough after the re-exec, then every line must be there, whole.
	sleep 0.5	# more output after the re-exec, not a wait for an outcome
	ctl stop w1 w2 w3 w4 w5 >/dev/null || fail "stop writers"
	for i in 1 2 3 4 5; do
		numbered_ok "$T/w$i.log" >/dev/null || fail "w$i's log"
	done
	kill "$follower" 2>/dev/null
	wait "$follower" 2>/dev/null
	first=$(head -c 20 "$T/follow.out" | cut -d' ' -f1)
	# The follower's first line may be a part: start from the second.
	tail -n +2 "$T/follow.out" > "$T/follow.cut"
	numbered_ok "$T/follow.cut" any >/dev/null ||
	    fail "tail -f lost or tore lines across the re-exec (from $first)"
	last=$(tail -n 1 "$T/w1.log" | cut -d' ' -f1)
	grep -q "^$last x" "$T/follow.out" ||
	    fail "tail -f did not follow to the end ($last)"
	true
}

test_reexec_carries_listener_channels() {
	/usr/bin/python3 -c 'import supervisor.childutils' 2>/dev/null ||
	    skip "python3 supervisor.childutils not installed (Debian's supervisor)"
	reexec_binary
	recorder rec "PROCESS_STATE,SUPERVISOR_STATE_CHANGE,PROCESS_GROUP"
	program blip "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 20 "up" all_running blip rec:rec_0 rec:rec_1
	wait_for 10 "the start's events" sh -c \
	    "grep -q PROCESS_STATE_RUNNING '$T/rec.events'"
	l0=$(pid_of rec:rec_0) l1=$(pid_of rec:rec_1)
	ctl restart blip >/dev/null || fail "restart blip"
	wait_for 10 "blip's restart heard" sh -c \
	    "[ \$(grep -c 'processname:blip' '$T/rec.events') -ge 4 ]"
	reexec_upgrade
	out=$(reexec_now) || fail "reexec: $out"
	n=$(wc -l < "$T/rec.events")
	expect_eq "$(pid_of rec:rec_0) $(pid_of rec:rec_1)" "$l0 $l1" \
	    "listener pids"
	ctl status rec:rec_0 | grep -q "listener" ||
	    fail "no listener state: $(ctl status rec:rec_0)"
	ctl restart blip >/dev/null || fail "restart blip after"
	wait_for 10 "blip's restart heard after the re-exec" sh -c \
	    "[ \$(wc -l < '$T/rec.events') -ge $((n + 4)) ]"
	serials "$T/rec.events" > "$T/serials"
	# The new image's start is no news: told once, by the first image.
	expect_eq "$(grep -c SUPERVISOR_STATE_CHANGE_RUNNING "$T/serials")" 1 \
	    "SUPERVISOR_STATE_CHANGE_RUNNING told"
	expect_eq "$(grep -c PROCESS_GROUP_ADDED "$T/serials")" 2 \
	    "PROCESS_GROUP_ADDED told (rec and blip)"
	# Serials go on: one pool, so every serial from the first on, none
	# told twice, none missing (two listeners: not in order).
	python3 - "$T/serials" <<'PY' || fail "serials: $(cat "$T/serials")"
import sys
s = sorted(int(l.split()[0]) for l in open(sys.argv[1]))
assert s == list(range(s[0], s[0] + len(s))), "a serial missing or twice"
PY
	true
}

# A program STARTING with ready=fd:3: the pipe it will say it on is
# carried, and the new image hears it.
test_reexec_carries_a_readiness_pipe() {
	reexec_binary
	program rdy "sh -c 'while [ ! -f $T/go ]; do sleep 0.05; done; echo ok >&3; exec sleep 3600'" \
	    "ready = fd:3" "ready_timeout = 0"
	start_procd
	wait_for 10 "rdy starting" is_state rdy STARTING
	rdy=$(pid_of rdy)
	pid=$(procd_pid)
	fds=$(stable_fd_count "$pid")
	reexec_upgrade
	out=$(reexec_now) || fail "reexec: $out"
	is_state rdy STARTING || fail "rdy: $(ctl status rdy)"
	expect_eq "$(stable_fd_count "$pid")" "$fds" "procd's descriptors"
	touch "$T/go"
	wait_for 10 "rdy ready, heard by the new image" is_state rdy RUNNING
	expect_eq "$(pid_of rdy)" "$rdy" "rdy's pid"
	true
}

# [inet_http_server]'s port stays bound (procd may no longer be able
# to bind it); the gateway is started anew from the new binary, the old
# one exits and is reaped.
test_reexec_keeps_the_http_port() {
	command -v supervisorctl >/dev/null ||
	    skip "supervisorctl not installed (Debian's supervisor)"
	reexec_binary
	port=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	printf '[inet_http_server]\nport = 127.0.0.1:%s\n\n' "$port" >> "$CONF"
	program a "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 10 "up over HTTP" sh -c \
	    "supervisorctl -s http://127.0.0.1:$port status a | grep -q RUNNING"
	pid=$(procd_pid)
	old=$(ps --ppid "$pid" -o pid=,args= | awk '/__gateway/ {print $1}')
	[ -n "$old" ] || fail "no gateway"
	out=$(reexec_now) || fail "reexec: $out"
	wait_for 10 "up over HTTP after the re-exec" sh -c \
	    "supervisorctl -s http://127.0.0.1:$port status a | grep -q RUNNING"
	wait_for 10 "the old gateway gone" gone "$old"
	true
}

# Held sockets (sockets=, [fcgi-program:]) stay the same sockets: a
# process started after the re-exec gets the very socket (same inode)
# the one before had, and procd holds it meanwhile.
test_reexec_keeps_held_sockets() {
	reexec_binary
	port=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	program act "sleep 3600" "sockets = tcp://127.0.0.1:$port, unix://$T/act.sock" \
	    "startsecs = 0"
	start_procd
	wait_for 10 "act up" is_state act RUNNING
	pid=$(procd_pid) act=$(pid_of act)
	tcp=$(readlink "/proc/$act/fd/3") unix=$(readlink "/proc/$act/fd/4")
	case $tcp$unix in socket:*socket:*) ;; *) fail "fds 3, 4: $tcp $unix" ;; esac
	fds=$(stable_fd_count "$pid")
	reexec_upgrade
	out=$(reexec_now) || fail "reexec: $out"
	expect_eq "$(stable_fd_count "$pid")" "$fds" "procd's descriptors"
	expect_eq "$(pid_of act)" "$act" "act's pid"
	ctl restart act >/dev/null || fail "restart act"
	new=$(pid_of act)
	[ "$new" != "$act" ] || fail "act not restarted"
	expect_eq "$(readlink "/proc/$new/fd/3") $(readlink "/proc/$new/fd/4")" \
	    "$tcp $unix" "the sockets of act's next process"
	test -S "$T/act.sock" || fail "the unix socket's file is gone"
	true
}

test_reexec_fifty_times() {
	reexec_binary
	for i in $(seq 1 20); do
		program "s$i" "sleep 3600" "startsecs = 0"
	done
	# Dies now and then, in the middle of handovers too.
	program flap "sh -c 'sleep 0.05; exit 3'" "startsecs = 0" \
	    "autorestart = true"
	start_procd
	wait_for 30 "up" all_running s1 s20
	pid=$(procd_pid)
	ctl pid s1 s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 s12 s13 s14 s15 s16 s17 \
	    s18 s19 s20 > "$T/pids.before"
	# Counted with flap down, whose pipes come and go.
	ctl stop flap >/dev/null || fail "stop flap"
	fds=$(stable_fd_count "$pid")
	ctl start flap >/dev/null || fail "start flap"
	for i in $(seq 1 50); do
		out=$(reexec_now)
		case $out in
		*"re-executed"*) ;;
		*) fail "reexec $i: $out" ;;
		esac
	done
	# procd's log is written by a writer thread: its last line may lag.
	wait_for 10 "50 re-execs in procd's log" sh -c \
	    "[ \$(grep -c 'reexec: procd .* resumed' '$T/procd.log') -eq 50 ]"
	expect_eq "$(procd_pid)" "$pid" "procd's pid"
	ctl pid s1 s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 s12 s13 s14 s15 s16 s17 \
	    s18 s19 s20 > "$T/pids.after"
	cmp -s "$T/pids.before" "$T/pids.after" || fail "pids changed"
	# flap is still restarted, and nothing is left a zombie.
	n=$(grep -c "spawned: flap" "$T/procd.log")
	wait_for 10 "flap restarted: $(ctl status flap; grep flap $T/procd.log | tail -5)" sh -c \
	    "[ \$(grep -c 'spawned: flap' '$T/procd.log') -gt $n ]"
	ctl stop flap >/dev/null || fail "stop flap"
	fds_after=$(stable_fd_count "$pid")
	expect_eq "$fds_after" "$fds" "procd's descriptors after 50 re-execs"
	zombies=$(for c in $(cat /proc/$pid/task/*/children); do
		grep -l '^State:.*Z' /proc/$c/status 2>/dev/null; done)
	[ -z "$zombies" ] || fail "zombies: $zombies"
	true
}

test_reexec_missing_binary_keeps_the_old_image() {
	reexec_binary
	program s1 "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 10 "up" is_state s1 RUNNING
	pid=$(procd_pid) s1=$(pid_of s1)
	rm "$T/bin/procd"
	out=$(ctl reexec 2>&1)
	expect_eq "$?" 1 "reexec's exit status"
	echo "$out" | grep -q "reexec not done, procd carries on: cannot execute $T/bin/procd" ||
	    fail "reexec said: $out"
	expect_eq "$(procd_pid)" "$pid" "procd's pid"
	expect_eq "$(pid_of s1)" "$s1" "s1's pid"
	ctl restart s1 >/dev/null || fail "the old image does not work"
	log_shows 5 "reexec: not done" "not logged"
	true
}

test_reexec_unreadable_state_keeps_the_old_image() {
	reexec_binary
	program s1 "sleep 3600" "startsecs = 0"
	PROCD_TEST_REEXEC_CORRUPT=1 start_procd
	wait_for 10 "up" is_state s1 RUNNING
	pid=$(procd_pid) s1=$(pid_of s1)
	out=$(ctl reexec 2>&1)
	expect_eq "$?" 1 "reexec's exit status"
	echo "$out" | grep -q "cannot take over: its state: " ||
	    fail "reexec said: $out"
	expect_eq "$(procd_pid)" "$pid" "procd's pid"
	expect_eq "$(pid_of s1)" "$s1" "s1's pid"
	ctl restart s1 >/dev/null || fail "the old image does not work"
	true
}

# The new binary reads the state, execs, then exits before taking over
# (a test seam makes it): the old binary -- deleted by the upgrade, kept
# open -- is run again with the same state and says why.
test_reexec_failing_new_image_goes_back_to_the_old() {
	reexec_binary
	program s1 "sleep 3600" "startsecs = 0"
	writer w1
	PROCD_TEST_REEXEC_FAIL=1 start_procd
	wait_for 10 "up" all_running s1 w1
	pid=$(procd_pid) s1=$(pid_of s1)
	fds=$(stable_fd_count "$pid")
	reexec_upgrade
	out=$(ctl reexec 2>&1)
	expect_eq "$?" 1 "reexec's exit status"
	echo "$out" | grep -q "reexec not done, procd carries on: the new binary exited before it took over" ||
	    fail "reexec said: $out"
	log_shows 5 "failing on purpose" "no failure logged"
	expect_eq "$(procd_pid)" "$pid" "procd's pid"
	expect_eq "$(pid_of s1)" "$s1" "s1's pid"
	readlink "/proc/$pid/exe" | grep -q deleted ||
	    fail "not the old binary: $(readlink /proc/$pid/exe)"
	expect_eq "$(stable_fd_count "$pid")" "$fds" "procd's descriptors"
	ctl restart s1 >/dev/null || fail "the old image does not work"
	ctl stop w1 >/dev/null || fail "stop w1"
	numbered_ok "$T/w1.log" >/dev/null || fail "w1's log"
	true
}

test_reexec_refuses_a_changed_config() {
	reexec_binary
	program s1 "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 10 "up" is_state s1 RUNNING
	sed -i 's/sleep 3600/sleep 3601/' "$CONF"
	out=$(ctl reexec 2>&1)
	expect_eq "$?" 1 "reexec's exit status"
	echo "$out" | grep -q "differs from what runs (s1: changed); apply it first" ||
	    fail "reexec said: $out"
	ctl update >/dev/null
	out=$(reexec_now) || fail "after update: $out"
	true
}

# A program's stdin pipe (sendProcessStdin, supervisorctl fg) is carried:
# what is sent after the re-exec reaches the same process through the
# pipe it has read since it started.
test_reexec_carries_a_stdin_pipe() {
	/usr/bin/python3 -c 'import supervisor.xmlrpc' 2>/dev/null ||
	    skip "Debian's supervisor package is not installed"
	reexec_binary
	program upper "sh -c 'while read l; do echo got:\$l; done'" \
	    "startsecs = 0" "stdout_logfile = $T/upper.log"
	start_procd
	wait_for 10 "upper running" is_state upper RUNNING
	upper=$(pid_of upper)
	send_stdin upper one
	wait_for 10 "one read" grep -q "got:one" "$T/upper.log"
	reexec_upgrade
	out=$(reexec_now) || fail "reexec: $out"
	send_stdin upper two
	wait_for 10 "two read after the re-exec" grep -q "got:two" \
	    "$T/upper.log"
	expect_eq "$(pid_of upper)" "$upper" "upper's pid"
}

# send_stdin NAME TEXT: a line to NAME's stdin, as supervisorctl fg does.
send_stdin() {
	/usr/bin/python3 - "unix://$SOCK" "$1" "$2" <<'PYEOF' || fail "send $2"
import sys, xmlrpc.client
from supervisor import xmlrpc as sx
s = xmlrpc.client.ServerProxy("http://127.0.0.1",
    transport=sx.SupervisorTransport("", "", sys.argv[1])).supervisor
assert s.sendProcessStdin(sys.argv[2], sys.argv[3] + "\n") is True
PYEOF
}

# procd started with a relative -c (and daemonized into "/"): the new
# image is given the config's absolute path, so it finds it; before, it
# could not, nor could the old binary it fell back to, and procd died.
test_reexec_after_a_relative_config_path() {
	reexec_binary
	program a "sleep 3600" "startsecs = 0"
	(cd "$T" && ${PROCD_WRAPPER:-} "$PROCD" start -c procd.ini) ||
	    fail "procd start"
	wait_for 10 "a running" is_state a RUNNING
	a=$(pid_of a) pid=$(procd_pid)
	reexec_upgrade
	out=$(reexec_now) || fail "reexec: $out"
	expect_eq "$(procd_pid)" "$pid" "procd's pid"
	expect_eq "$(pid_of a)" "$a" "a's pid"
	out=$(reexec_now) || fail "second reexec: $out"
	is_state a RUNNING || fail "a: $(ctl status a)"
}
