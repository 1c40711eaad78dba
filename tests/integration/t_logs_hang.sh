# A log file on storage that hangs (issue 13 §3): supervision goes on.
# tests/helpers/hangfs.py is a FUSE filesystem whose writes block while
# $T/hang exists.  HANG_SECS (default 8) sets how long the hang lasts.

hang_ready() {
	# valgrind runs procd ~20x slower and forks instead of vforking: the
	# restart rates and latencies asserted here are the plain and
	# sanitizer passes' to check.
	skip_under_valgrind "rates: restarts and status latency during a hang"
	[ "$(id -u)" = 0 ] || skip "needs root (FUSE mount)"
	[ -c /dev/fuse ] || skip "no /dev/fuse"
	/usr/bin/python3 -c 'import fusepy' 2>/dev/null ||
	    skip "no python3-fusepy"
	mkdir "$T/mnt" || fail "mkdir"
	/usr/bin/python3 "$ROOT/tests/helpers/hangfs.py" "$T/mnt" "$T/hang" \
	    "$T/slow" >"$T/hangfs.log" 2>&1 &
	HANGFS=$!
	trap 'rm -f "$T/hang"; umount -l "$T/mnt" 2>/dev/null;
	    kill $HANGFS 2>/dev/null; teardown' EXIT
	wait_for 10 "hangfs mounted" mountpoint -q "$T/mnt"
}

json_sum() {	# FIELD: summed over every program
	timeout 5 "$PROCCTL" -s "$SOCK" --json status | /usr/bin/python3 -c \
	    "import json, sys; print(sum(p['$1'] for p in json.load(sys.stdin)))"
}

lost_of_stuck() {
	timeout 5 "$PROCCTL" -s "$SOCK" --json status stuck | /usr/bin/python3 -c \
	    'import json, sys; print(json.load(sys.stdin)[0]["log_lost_bytes"])'
}

lost_positive() {
	[ "$(lost_of_stuck)" -gt 0 ]
}

# Restarts of the flapping programs must go on: at least 20 while the
# disk hangs for HANG_SECS, status sampled all along.
supervise_through_hang() {
	start_ms=$(now_ms)
	before=$(json_sum restarts)
	: > "$T/lat"
	sample_status 50
	while [ $(( $(now_ms) - start_ms )) -lt $(( ${HANG_SECS:-8} * 1000 )) ]
	do
		sample_status 5
	done
	after=$(json_sum restarts)
	sort -n "$T/lat" | awk '{a[NR]=$1} END {print "status latency us:",
	    "median", a[int((NR+1)/2)], "max", a[NR], "of", NR}'
	median=$(sort -n "$T/lat" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	[ "$median" -le $((100000 * SLOW)) ] ||
	    fail "status median ${median} us during the hang"
	slow=$(awk -v lim=$((1000000 * SLOW)) '$1 > lim' "$T/lat" | wc -l)
	[ "$slow" -le 3 ] || fail "$slow status answers over 1 s"
	echo "restarts during ${HANG_SECS:-8} s hang: $((after - before))"
	[ $((after - before)) -ge 20 ] ||
	    fail "only $((after - before)) restarts during the hang"
}

flappers() {	# N programs that exit at once and are restarted
	n=1
	while [ $n -le "$1" ]; do
		program "flap$n" "sh -c 'echo up; sleep 0.2; exit 1'" \
		    "startsecs = 0" "autorestart = true" "startretries = 1000"
		n=$((n + 1))
	done
}

# status SAMPLES times: each must answer within 5 s (the old procd never
# did while the disk hung); latencies (us) appended to $T/lat.
sample_status() {
	i=0
	while [ $i -lt "$1" ]; do
		t0=$(date +%s%N)
		# 3: some program is not RUNNING (the flappers): an answer.
		timeout $((5 * SLOW)) "$PROCCTL" -s "$SOCK" status >/dev/null
		case $? in
		0|3)	;;
		124)	fail "status did not answer within 5 s during the hang" ;;
		*)	fail "status failed during the hang" ;;
		esac
		echo $(( ($(date +%s%N) - t0) / 1000 )) >> "$T/lat"
		i=$((i + 1))
	done
}

new_line_after_recovery() {
	grep -q '^after-[0-9]*$' "$T/mnt/stuck.log"
}

test_logs_hung_disk_does_not_stop_supervision() {
	# The flapping programs are spawned all through the hang: a child
	# that had a copy of the hung file's descriptor would wait for the
	# storage when its exec closes it (FUSE's flush, NFS's the same), and
	# vfork would hold procd meanwhile.  Log files live in the writers'
	# own descriptor table (lwpool.c), so no child has one.
	hang_ready
	# About 1 MB/s: the 1 MiB backlog is full within seconds.
	pad=$(printf '%0990d' 0)
	program stuck "sh -c 'i=0; while :; do i=\$((i+1)); \
	    [ -e $T/recovered ] && echo after-\$i || \
	    for j in 1 2 3 4 5 6 7 8 9 10; do echo line-\$i-$pad; done; \
	    sleep 0.01; done'" "stdout_logfile = $T/mnt/stuck.log"
	flappers 20
	start_procd
	wait_for 10 "stuck logging" grep -q '^line-' "$T/mnt/stuck.log"
	touch "$T/hang"
	wait_for 30 "stuck output counted as lost" lost_positive
	supervise_through_hang
	touch "$T/recovered"
	rm -f "$T/hang"
	wait_for 10 "logging resumes" new_line_after_recovery
	bad=$(grep -cv '^\(line-[0-9]*-0*\|after-[0-9]*\)$' "$T/mnt/stuck.log")
	expect_eq "$bad" 0 "torn lines in the log"
	log_shows 5 "target not accepting writes" \
	    "the loss was not logged"
}

lost_of_burst() {
	timeout 5 "$PROCCTL" -s "$SOCK" --json status burst | /usr/bin/python3 -c \
	    'import json, sys; print(json.load(sys.stdin)[0]["log_lost_bytes"])'
}

# A disk slower than the program (8 MB/s against a burst of 21 MB, each of
# the writer's turns well under the 250 ms that make a target stuck): the
# program is held back while its backlog is full, and every line reaches
# the file, in order.  (Before, the 1 MiB backlog overflowed and lines were
# lost -- as they were on a loaded machine, or under valgrind.)
test_logs_slow_disk_holds_the_program_back_and_loses_nothing() {
	hang_ready
	touch "$T/slow"
	program burst "sh -c 'seq 1 3000000; echo done; exec sleep 3600'" \
	    "stdout_logfile = $T/mnt/burst.log" "startsecs = 0"
	program other "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 10 "burst logging" test -s "$T/mnt/burst.log"
	# procd answers while burst is held back.
	timeout $((5 * SLOW)) "$PROCCTL" -s "$SOCK" status other >/dev/null ||
	    fail "status did not answer while a program was held back"
	wait_for 60 "the whole burst in the file" sh -c \
	    "tail -c 5 '$T/mnt/burst.log' | grep -q '^done\$'"
	expect_eq "$(lost_of_burst)" 0 "log_lost_bytes"
	{ seq 1 3000000; echo done; } | cmp -s - "$T/mnt/burst.log" ||
	    fail "the file is not the program's output: $(wc -c < "$T/mnt/burst.log") bytes"
	! grep -q "target not accepting writes" "$T/procd.log" ||
	    fail "a slow target was taken for a stuck one"
}

test_logs_hung_disk_under_procds_own_log() {
	# procd's own log on the hung storage: it is written by a writer
	# like a program's log, so its lines wait (then are lost, counted),
	# while procd supervises and answers; maintail does not hang.
	hang_ready
	sed -i "s|^logfile = .*|logfile = $T/mnt/procd.log|" "$CONF"
	flappers 20
	start_procd
	wait_for 10 "procd logging to the mount" \
	    grep -q 'flap1.*RUNNING\|flap1.*spawned' "$T/mnt/procd.log"
	touch "$T/hang"
	supervise_through_hang
	timeout $((5 * SLOW)) "$PROCCTL" -s "$SOCK" maintail >/dev/null ||
	    fail "maintail hung on procd's hung log"
	rm -f "$T/hang"
	pid=$(procd_pid)
	ctl shutdown >/dev/null || fail "shutdown"
	wait_for 20 "procd gone" sh -c "! kill -0 $pid 2>/dev/null"
	# What was queued during the hang, and the last line, reached it.
	grep -q 'procd exiting' "$T/mnt/procd.log" ||
	    fail "procd's last line: $(tail -3 "$T/mnt/procd.log")"
}

test_logs_stalled_journal_socket_does_not_hold_procd() {
	# procd in the foreground with stdout and stderr on a socket (as
	# under systemd, to its journal) whose reader stops reading: a
	# program logging to /dev/stdout is slowed (back-pressure), procd's
	# own lines to it are dropped, but procd answers and supervises.
	touch "$T/stall"
	program chatty "sh -c 'while :; do echo chatty-line-padded-to-be-long; done'" \
	    "stdout_logfile = /dev/stdout"
	flappers 5
	sed -i "s|^logfile = .*|logfile = /dev/stderr|" "$CONF"
	/usr/bin/python3 "$ROOT/tests/helpers/stallsock.py" "$T/stall" \
	    "$PROCD" start --foreground -c "$CONF" &
	WRAP=$!
	wait_for 10 "procd up" ctl status flap1
	start_ms=$(now_ms)
	before=$(json_sum restarts)
	: > "$T/lat"
	while [ $(( $(now_ms) - start_ms )) -lt $((4000 * SLOW)) ]; do
		sample_status 5
	done
	after=$(json_sum restarts)
	[ $((after - before)) -ge 5 ] ||
	    fail "only $((after - before)) restarts while the socket stalled"
	rm -f "$T/stall"
	ctl shutdown >/dev/null || fail "shutdown"
	wait_for 20 "procd gone" sh -c "! kill -0 $WRAP 2>/dev/null"
}

# A program held back by a slow disk (its backlog full) whose disk then
# hangs: within a moment (a write stuck 250 ms) procd lets it go on, and
# what it writes from then on is lost, counted -- a hung disk must not
# stop a program even when it was already waiting on that disk.
test_logs_held_program_goes_on_when_its_disk_hangs() {
	hang_ready
	touch "$T/slow"
	program burst "sh -c 'seq 1 3000000; touch $T/wrote-all; exec sleep 3600'" \
	    "stdout_logfile = $T/mnt/burst.log" "startsecs = 0"
	start_procd
	wait_for 10 "burst logging" test -s "$T/mnt/burst.log"
	touch "$T/hang"
	wait_for 20 "burst goes on past its held-back output" \
	    test -e "$T/wrote-all"
	[ "$(lost_of_burst)" -gt 0 ] || fail "nothing counted as lost"
	rm -f "$T/hang" "$T/slow"
}
