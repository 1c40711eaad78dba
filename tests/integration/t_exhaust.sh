# Resource exhaustion (issue 5, item 8): the fd limit, the control socket
# at the fd limit, fork failing with EAGAIN, a full disk under the pidfile.
# procd never exits for it: it says what failed (log and status), backs
# off, and recovers when the resource returns.  (A full disk under the
# program logs is t_logs' test_full_disk_costs_lines_not_procd.)

states() {
	ctl status 2>/dev/null | awk '{print $2}' | sort | uniq -c |
	    awk '{printf "%s %s, ", $1, $2}'
}

# Every process RUNNING or FATAL: nothing in flight any more.
settled() {
	s=$(ctl status 2>/dev/null) || [ $? -eq 3 ] || return 1
	[ -n "$s" ] && ! echo "$s" | awk '{print $2}' |
	    grep -qv '^\(RUNNING\|FATAL\)$'
}

names_in() {	# names_in STATE: the names of processes in STATE
	ctl status 2>/dev/null | awk -v s="$1" '$2 == s {print $1}'
}

# procd under an fd limit it may not raise (minfds = the limit).
start_procd_nofile() {
	sed -i "/^\[procd\]\$/a minfds = $1" "$CONF"
	prlimit --nofile="$1:$1" ${PROCD_WRAPPER:-} "$PROCD" start -c "$CONF" ||
	    fail "procd start failed: $(tail -5 "$T/procd.log")"
	PID=$(procd_pid)
	lim=$(awk '/^Max open files/ {print $4}' "/proc/$PID/limits")
	expect_eq "$lim" "$1" "procd's fd limit"
}

# (a) More programs than fds: spawn errors "Too many open files" in
# status and log, procd keeps answering, and a program starts again once
# others are stopped.
test_exhaust_fd_limit_spawn_errors_and_recovery() {
	skip_under_valgrind "fd and process limits, cycle rates"
	# 70 programs with stdout to a file: 140 pipes in procd's loop (its
	# stdout, its stdin; the files are in the log writers' own table),
	# past a limit of 64.
	i=1
	while [ $i -le 70 ]; do
		program "p$i" "sleep 3600" "startsecs = 0" \
		    "redirect_stderr = true" "startretries = 1"
		i=$((i + 1))
	done
	start_procd_nofile 64
	wait_for 30 "every program RUNNING or FATAL ($(states))" settled
	echo "fd limit 64, 70 programs: $(states)procd holds" \
	    "$(fd_count "$PID") fds"
	ctl status >/dev/null
	expect_eq "$?" 3 "status exit code (some FATAL)"
	nrun=$(names_in RUNNING | wc -l)
	nfat=$(names_in FATAL | wc -l)
	[ "$nrun" -ge 5 ] || fail "only $nrun RUNNING"
	[ "$nfat" -ge 1 ] || fail "no FATAL: the limit did not bite"
	ctl status | grep FATAL | head -1
	ctl status | awk '$2 == "FATAL"' | grep -q "Too many open files" ||
	    fail "no 'Too many open files' in status: $(ctl status | grep FATAL | head -3)"
	# ... and procd said so at start-up, before the first spawn failed.
	grep -q "70 programs hold 140 pipes in procd's loop .* 70 log files .* the limit, 64, .* raise minfds to at least 236" \
	    "$T/procd.log" || fail "no fd-budget warning at start-up"
	log_shows 5 "spawn error: .*Too many open files" \
	    "no spawn error logged"
	[ "$(fd_count "$PID")" -le 64 ] || fail "over the limit?"
	# Recovery: stop five running programs, start a failed one.
	stop=$(names_in RUNNING | head -5)
	out=$(ctl stop $stop)
	expect_eq "$?" 0 "stop: $out"
	victim=$(names_in FATAL | head -1)
	out=$(ctl start "$victim")
	rc=$?
	echo "after stopping 5: ctl start $victim -> $out (exit $rc)"
	expect_eq "$rc" 0 "start of $victim after fds were freed"
	expect_eq "$out" "$victim: started" "start output"
	is_state "$victim" RUNNING || fail "$(ctl status "$victim")"
	alive "$PID" || fail "procd died"
}

# (b) The control socket when procd has no fd left: connections are
# opened until procd cannot accept any more; a new procctl must still get
# an answer, or a clear refusal (not a silent hang-up), and procd must
# not spin on the listening socket.
test_exhaust_control_socket_at_fd_limit() {
	skip_under_valgrind "fd and process limits, cycle rates"
	program web "sleep 3600" "startsecs = 0"
	start_procd_nofile 64
	wait_for 10 "web RUNNING" is_state web RUNNING
	base=$(stable_fd_count "$PID")
	cat > "$T/hold.py" <<'PY'
import os, socket, sys, time
path, n, ready, done = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
connected, go = sys.argv[5], sys.argv[6]
socks = []
for i in range(n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
    except OSError as e:
        print("connect %d: %s" % (i, e), flush=True)
        break
    socks.append(s)
with open(connected, "w") as f:
    f.write("%d\n" % len(socks))
# The test says when procd has accepted or shed them (go).
end = time.time() + 60
while not os.path.exists(go) and time.time() < end:
    time.sleep(0.02)	# poll interval
closed = 0
for s in socks:
    s.setblocking(False)
    try:
        if s.recv(1) == b"":
            closed += 1
    except BlockingIOError:
        pass
    except OSError:
        closed += 1
with open(ready, "w") as f:
    f.write("%d connected, %d hung up by procd\n" % (len(socks), closed))
end = time.time() + 60
while not os.path.exists(done) and time.time() < end:
    time.sleep(0.05)	# poll interval
PY
	timeout $((90 * SLOW)) python3 "$T/hold.py" "$SOCK" 100 "$T/ready" \
	    "$T/done" "$T/connected" "$T/go" > "$T/hold.out" 2>&1 &
	BG=$!
	trap 'touch "$T/done" "$T/go"; kill -KILL $BG 2>/dev/null; teardown' EXIT
	wait_for 20 "attacker connected" test -s "$T/connected"
	# procd has taken what it can: its fds are at the limit, it said so,
	# and it holds still (it is not accepting or shedding any more).
	wait_for 20 "EMFILE on accept logged" \
	    grep -q "out of file descriptors" "$T/procd.log"
	wait_for 20 "procd at its fd limit ($(fd_count "$PID") fds)" \
	    sh -c "[ \$(ls /proc/$PID/fd | wc -l) -ge 60 ]"
	wait_for 20 "procd idle with the attacker connected" quiet "$PID" 10
	touch "$T/go"
	wait_for 20 "attacker counted" test -s "$T/ready"
	held=$(fd_count "$PID")
	echo "fd limit 64: attacker $(cat "$T/ready"); procd holds $held" \
	    "fds (base $base)"
	[ "$held" -ge 60 ] || fail "procd holds only $held fds: limit not hit"
	log_shows 5 "out of file descriptors" \
	    "EMFILE on accept not logged"
	c0=$(cpu_ticks "$PID")
	t0=$(now_ms)
	out=$(timeout $((5 * SLOW)) "$PROCCTL" -s "$SOCK" status 2>&1)
	rc=$?
	el=$(( $(now_ms) - t0 ))
	# A procd that spins on the listening socket is never asleep with
	# its CPU time standing still for half a second.
	QUIET_SEEN=0
	wait_for 10 "procd idle after the status request (it spins?)" \
	    quiet "$PID" 25
	c1=$(cpu_ticks "$PID")
	echo "procctl status at the fd limit: exit $rc after $el ms: $out"
	echo "procd CPU: $((c1 - c0)) ticks in $(( $(now_ms) - t0 )) ms"
	alive "$PID" || fail "procd died"
	[ $rc -ne 124 ] || fail "procctl hung at the fd limit"
	if [ $rc -ne 0 ]; then
		echo "$out" | grep -qi "procd: .*\(too many\|descriptor\|refus\|busy\)" ||
		    fail "at the fd limit, status got neither an answer nor a" \
		    "clear refusal: exit $rc: $out"
	fi
	touch "$T/done"
	wait_for 10 "attacker gone" sh -c "! kill -0 $BG 2>/dev/null"
	wait_for 5 "fd count back to $base (now $(fd_count "$PID"))" \
	    fd_count_is "$PID" "$base"
	out=$(timeout $((5 * SLOW)) "$PROCCTL" -s "$SOCK" status) ||
	    fail "status after the attacker left: $out"
}

# (c) fork() failing with EAGAIN: procd runs as nobody with
# RLIMIT_NPROC = (nobody's processes) + 4, so it can fork three programs
# and no more.  The others show "fork: Resource temporarily unavailable"
# in BACKOFF and start once two programs are stopped.
test_exhaust_fork_fails_eagain() {
	skip_under_valgrind "fd and process limits, cycle rates"
	if [ "$(id -u)" != 0 ] || ! id nobody >/dev/null 2>&1 ||
	    ! command -v setpriv >/dev/null; then
		skip "needs root, setpriv and a user nobody"
	fi
	binaries_for_nobody
	ng=$(id -gn nobody)
	# Not world-writable (procd refuses an unsafe socket directory):
	# a directory of nobody's own inside $T.
	chmod 0711 "$T"
	mkdir "$T/nb" && chown nobody:"$ng" "$T/nb" && chmod 0700 "$T/nb"
	sed -i "s|= $T/|= $T/nb/|; s|^childlogdir = $T\$|childlogdir = $T/nb|" \
	    "$CONF"
	SOCK=$T/nb/procd.sock
	i=1
	while [ $i -le 5 ]; do
		program "a$i" "sleep 3600" "startsecs = 0" "startretries = 20"
		i=$((i + 1))
	done
	chmod 0644 "$CONF"
	# procd, the log writers' mother thread and one writer (lwpool.c),
	# and 3 programs, beyond the tasks nobody has already (RLIMIT_NPROC
	# counts threads: -L)
	k=$(( $(ps -L -u nobody --no-headers 2>/dev/null | wc -l) + 6 ))
	prlimit --nproc="$k:$k" setpriv --reuid=nobody --regid="$ng" \
	    --clear-groups ${PROCD_WRAPPER:-} "$PROCD" start --foreground \
	    -c "$CONF" > "$T/fg.out" 2>&1 &
	P=$!
	trap 'kill -KILL $P $(cat /proc/$P/task/*/children 2>/dev/null) \
	    2>/dev/null; teardown' EXIT
	wait_for 10 "procd answers" sh -c "'$PROCCTL' -s '$SOCK' status \
	    >/dev/null 2>&1; [ \$? -le 3 ]"
	wait_for 10 "three RUNNING ($(states))" \
	    sh -c "[ \$('$PROCCTL' -s '$SOCK' status | grep -c RUNNING) -eq 3 ]"
	wait_for 10 "fork failures logged" \
	    grep -q "spawn error: fork: Resource temporarily unavailable" \
	    "$T/nb/procd.log"
	# Both of the others are retried in turn: waited for, not caught.
	wait_for 10 "two BACKOFF with the fork error" sh -c \
	    "[ \$('$PROCCTL' -s '$SOCK' status | grep BACKOFF |
		grep -c 'fork: Resource temporarily unavailable') -eq 2 ]"
	st=$(ctl status)
	echo "nproc $k as nobody: $(states)"
	echo "$st" | grep BACKOFF | head -1
	stop=$(names_in RUNNING | head -2)
	out=$(ctl stop $stop) || fail "stop: $out"
	t0=$(now_ms)
	# Retried after 1 s, 2 s, 3 s...: within the next few seconds.
	wait_for 20 "the others RUNNING ($(states))" \
	    sh -c "[ \$('$PROCCTL' -s '$SOCK' status | grep -c RUNNING) -eq 3 ]"
	echo "recovered $(( $(now_ms) - t0 )) ms after two were stopped:" \
	    "$(states)"
	alive "$P" || fail "procd died"
}

# (d) The pidfile on a full disk: procd still starts and says so.
test_exhaust_pidfile_on_full_disk() {
	mkdir "$T/small"
	mount -t tmpfs -o size=16k tmpfs "$T/small" 2>/dev/null ||
	    skip "cannot mount a tmpfs here"
	trap 'teardown_full' EXIT
	dd if=/dev/zero of="$T/small/fill" bs=4k count=100 2>/dev/null
	df "$T/small" | tail -1
	sed -i "s|^pidfile = .*|pidfile = $T/small/procd.pid|" "$CONF"
	program web "sleep 3600" "startsecs = 0"
	out=$("$PROCD" start -c "$CONF" 2>&1)
	rc=$?
	echo "procd start with the pidfile on a full disk: exit $rc: $out"
	PID=$(ctl pid 2>/dev/null)
	if [ $rc -ne 0 ]; then
		echo "$out" | grep -qi "pidfile.*\(no space\|write\)" ||
		    fail "refused without a clear reason: $out"
		return 0
	fi
	[ -n "$PID" ] && alive "$PID" || fail "procd not running"
	wait_for 5 "web RUNNING" is_state web RUNNING
	grep -i "pidfile" "$T/procd.log" | head -2
	grep -qi "pidfile.*No space left on device" "$T/procd.log" ||
	    fail "pidfile write error not logged"
}

teardown_full() {
	[ -z "${PID:-}" ] || kill -TERM "$PID" 2>/dev/null
	i=0
	while [ -n "${PID:-}" ] && alive "$PID" && [ $i -lt 250 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	[ -z "${PID:-}" ] || kill -KILL "$PID" 2>/dev/null
	umount "$T/small" 2>/dev/null
	teardown
}
