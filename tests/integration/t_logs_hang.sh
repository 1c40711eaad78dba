# A log file on storage that hangs (issue 13 §3): supervision goes on.
# tests/helpers/hangfs.py is a FUSE filesystem whose writes block while
# $T/hang exists.  HANG_SECS (default 8) sets how long the hang lasts.

hang_ready() {
	[ "$(id -u)" = 0 ] || skip "needs root (FUSE mount)"
	[ -c /dev/fuse ] || skip "no /dev/fuse"
	/usr/bin/python3 -c 'import fusepy' 2>/dev/null ||
	    skip "no python3-fusepy"
	mkdir "$T/mnt" || fail "mkdir"
	/usr/bin/python3 "$ROOT/tests/helpers/hangfs.py" "$T/mnt" "$T/hang" \
	    >"$T/hangfs.log" 2>&1 &
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

# status SAMPLES times: each must answer within 5 s (the old procd never
# did while the disk hung); latencies (us) appended to $T/lat.
sample_status() {
	i=0
	while [ $i -lt "$1" ]; do
		t0=$(date +%s%N)
		timeout $((5 * SLOW)) "$PROCCTL" -s "$SOCK" status >/dev/null ||
		    fail "status did not answer within 5 s during the hang"
		echo $(( ($(date +%s%N) - t0) / 1000 )) >> "$T/lat"
		i=$((i + 1))
	done
}

new_line_after_recovery() {
	grep -q '^after-[0-9]*$' "$T/mnt/stuck.log"
}

test_logs_hung_disk_does_not_stop_supervision() {
	# Known, and why issue 13 stays open: a program spawned while its or
	# another program's log file hangs is a vfork child whose exec closes
	# its copy of that file's descriptor, which waits on the hung storage
	# (FUSE here; NFS's flush on close the same), and vfork holds procd
	# until the exec is done.  fork instead was tried and stalled too.
	[ -n "${PROCD_TEST_KNOWN_BUGS:-}" ] ||
	    skip "known: a spawn while a log file hangs can stall procd (BUGS in procd(8)); PROCD_TEST_KNOWN_BUGS=1 runs it"
	hang_ready
	# About 1 MB/s: the 1 MiB backlog is full within seconds.
	pad=$(printf '%0990d' 0)
	program stuck "sh -c 'i=0; while :; do i=\$((i+1)); \
	    [ -e $T/recovered ] && echo after-\$i || \
	    for j in 1 2 3 4 5 6 7 8 9 10; do echo line-\$i-$pad; done; \
	    sleep 0.01; done'" "stdout_logfile = $T/mnt/stuck.log"
	n=1
	while [ $n -le 20 ]; do
		program "flap$n" "sh -c 'echo up; sleep 0.2; exit 1'" \
		    "startsecs = 0" "autorestart = true" "startretries = 1000"
		n=$((n + 1))
	done
	start_procd
	wait_for 10 "stuck logging" grep -q '^line-' "$T/mnt/stuck.log"
	touch "$T/hang"
	start_ms=$(now_ms)
	before=$(json_sum restarts)
	wait_for 30 "stuck output counted as lost" lost_positive
	: > "$T/lat"
	sample_status 50
	# Hold the hang for HANG_SECS, sampling status all along.
	while [ $(( $(now_ms) - start_ms )) -lt $(( ${HANG_SECS:-8} * 1000 )) ]
	do
		sample_status 5
	done
	after=$(json_sum restarts)
	sort -n "$T/lat" | awk '{a[NR]=$1} END {print "status latency us:",
	    "median", a[int((NR+1)/2)], "max", a[NR], "of", NR}'
	# Milliseconds as a rule.  (Stalls of a second or two are still seen
	# now and then under this FUSE harness: see BUGS in procd(8).)
	median=$(sort -n "$T/lat" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	[ "$median" -le $((100000 * SLOW)) ] ||
	    fail "status median ${median} us during the hang"
	slow=$(awk '$1 > 1000000' "$T/lat" | wc -l)
	[ "$slow" -le 3 ] || fail "$slow status answers over 1 s"

	echo "restarts during ${HANG_SECS:-8} s hang: $((after - before))"
	[ $((after - before)) -ge 20 ] ||
	    fail "only $((after - before)) restarts during the hang"
	touch "$T/recovered"
	rm -f "$T/hang"
	wait_for 10 "logging resumes" new_line_after_recovery
	bad=$(grep -cv '^\(line-[0-9]*-0*\|after-[0-9]*\)$' "$T/mnt/stuck.log")
	expect_eq "$bad" 0 "torn lines in the log"
	grep -q "target not accepting writes" "$T/procd.log" ||
	    fail "the loss was not logged"
}
