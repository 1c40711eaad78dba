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

# status SAMPLES times: each must answer within 2 s; latencies to $T/lat.
sample_status() {
	: > "$T/lat"
	i=0
	while [ $i -lt "$1" ]; do
		t0=$(date +%s%N)
		timeout 2 "$PROCCTL" -s "$SOCK" status >/dev/null ||
		    fail "status did not answer within 2 s during the hang"
		echo $(( ($(date +%s%N) - t0) / 1000 )) >> "$T/lat"
		i=$((i + 1))
	done
}

new_line_after_recovery() {
	grep -q '^after-[0-9]*$' "$T/mnt/stuck.log"
}

test_logs_hung_disk_does_not_stop_supervision() {
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
	sample_status 50
	# Hold the hang for HANG_SECS, sampling status all along.
	while [ $(( $(now_ms) - start_ms )) -lt $(( ${HANG_SECS:-8} * 1000 )) ]
	do
		sample_status 5
	done
	after=$(json_sum restarts)
	sort -n "$T/lat" | awk '{a[NR]=$1} END {print "status latency us:",
	    "median", a[int((NR+1)/2)], "max", a[NR]}'
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
