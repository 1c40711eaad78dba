# Concurrent clients against one procd (issue 12, section 1).
#
#  - test_chaos_crossing_clients: the exact crossing of issue 12 §1, made
#    deterministic: one client waits in `start p2` while p2 is STARTING
#    (startsecs = 10), another stops q and p2.  Both must get an answer
#    and procd must live (under SAN=1 this was a heap-use-after-free in
#    cmdjob_observe).
#  - test_chaos_short: the randomized concurrent-client stress test
#    (tests/stress/chaos.py) for a short while, with a fixed seed and a
#    seed from the date.  `make soak` runs it for minutes; see
#    tests/stress/README.md.

test_chaos_crossing_clients() {
	program q "sleep 1000" "priority = 999" "startsecs = 0"
	program p2 "sleep 1000" "priority = 1" "startsecs = 10" \
	    "autostart = false"
	start_procd
	pid=$(procd_pid)
	wait_for 5 "q RUNNING" is_state q RUNNING
	"$PROCCTL" -s "$SOCK" start p2 > "$T/start.out" 2>&1 &
	starter=$!
	wait_for 5 "p2 STARTING" is_state p2 STARTING
	ctl stop q p2 > "$T/stop.out" 2>&1
	src=$?
	# start p2 ends when p2 leaves STARTING (stopped before it was up).
	wait_for 15 "start p2 answered" gone "$starter"
	wait "$starter"
	arc=$?
	echo "start p2 -> $arc: $(cat "$T/start.out")"
	echo "stop q p2 -> $src: $(cat "$T/stop.out")"
	alive "$pid" || { san_report; fail "procd died"; }
	[ -s "$T/start.out" ] || fail "start p2: no answer (exit $arc)"
	[ -s "$T/stop.out" ] || fail "stop q p2: no answer (exit $src)"
	grep -q 'cannot reach procd\|closed the connection' \
	    "$T/start.out" "$T/stop.out" && fail "a client lost procd"
	expect_eq "$src" 0 "stop q p2 exit status"
	grep -q '^q: stopped$' "$T/stop.out" || fail "q not stopped"
	grep -q '^p2: stopped$' "$T/stop.out" || fail "p2 not stopped"
	grep -q '^p2: ' "$T/start.out" || fail "start p2: no line for p2"
	is_state q STOPPED || fail "q: $(ctl status q)"
	is_state p2 STOPPED || fail "p2: $(ctl status p2)"
	# procd still answers, and ends cleanly (sanitizer logs: teardown).
	ctl start q >/dev/null || fail "start q afterwards"
	out=$(ctl shutdown)
	expect_eq "$out" "Shut down" "shutdown"
	wait_for 15 "procd gone" gone_or_zombie "$pid"
	san_report && fail "sanitizer report (above)"
	return 0
}

gone_or_zombie() {
	! alive "$1"
}

# san_report: print any sanitizer log of this test; true if there is one.
# (Checked here too: teardown looks for them with one `ls` of both
# patterns, which fails unless both an asan.* and a ubsan.* file exist.)
san_report() {
	found=1
	for f in "$T"/asan.* "$T"/ubsan.*; do
		[ -e "$f" ] || continue
		found=0
		echo "== $f"
		grep -m1 'ERROR:' "$f"
		grep -E '^    #[0-9]+ ' "$f" | head -8
		grep '^SUMMARY' "$f"
	done
	return $found
}

# Found by chaos.py (seed 1, in its set-up): a stop of several processes
# of different priorities, where one that stops in a later wave comes
# first in argument order (`stop all` sorts by name), never answered: the
# stop lines wait for the first unsignalled target in argument order,
# and the next wave waits for those lines.
test_chaos_stop_waves_in_argument_order() {
	program a "sleep 1000" "priority = 10" "startsecs = 0"
	program b "sleep 1000" "priority = 999" "startsecs = 0"
	start_procd
	pid=$(procd_pid)
	wait_for 5 "a and b RUNNING" all_running a b
	out=$(timeout $((10 * SLOW)) "$PROCCTL" -s "$SOCK" stop all)
	expect_eq "$?" 0 "stop all: exit status (124: no answer)"
	expect_eq "$(echo "$out" | sort)" "$(printf 'a: stopped\nb: stopped')" \
	    "stop all"
	ctl start all >/dev/null || fail "start all"
	out=$(timeout $((10 * SLOW)) "$PROCCTL" -s "$SOCK" stop a b)
	expect_eq "$?" 0 "stop a b: exit status (124: no answer)"
	expect_eq "$(echo "$out" | sort)" "$(printf 'a: stopped\nb: stopped')" \
	    "stop a b"
	alive "$pid" || fail "procd died"
}

# Found by chaos.py (seed 101): a stop whose target another stop had
# already taken down (here b's stop takes its dependent a down first, in
# b's wave) changed nothing, so no change came to move the job on, and
# `stop a b` never answered.
test_chaos_stop_of_what_is_already_down_answers() {
	program a "sleep 1000" "priority = 1" "startsecs = 0" "depends_on = b"
	program b "sleep 1000" "priority = 999" "startsecs = 0"
	start_procd
	wait_for 5 "a and b RUNNING" all_running a b
	out=$(timeout $((10 * SLOW)) "$PROCCTL" -s "$SOCK" stop a b)
	expect_eq "$?" 0 "stop a b: exit status (124: no answer)"
	expect_eq "$out" "$(printf 'a: stopped\nb: stopped')" "stop a b"
}

# Found by chaos.py (seed 101): another client starts a process while a
# stop of it is under way; the stop answers once it went down, though it
# is up again by then (it waited for it to be down for good).
test_chaos_stop_answers_when_another_client_starts_it_again() {
	program x "$HELPERS/sigignore" "startsecs = 0" \
	    "stopwaitsecs = $((2 * SLOW))"
	start_procd
	wait_for 5 "x RUNNING" all_running x
	wait_for 5 "x ignoring its signals" grep -q ready "$T/x-stdout.log"
	timeout $((15 * SLOW)) "$PROCCTL" -s "$SOCK" stop x > "$T/stop.out" 2>&1 &
	stopper=$!
	wait_for 5 "x STOPPING" is_state x STOPPING
	ctl start x > "$T/start.out" 2>&1
	wait "$stopper"
	expect_eq "$?" 0 "stop x: exit status (124: no answer)"
	expect_eq "$(cat "$T/stop.out")" "x: stopped" "stop x"
	wait_for 10 "x RUNNING again" all_running x
}

# Found by chaos.py (seed 101, under ASan): a client that hangs up while
# its start waits freed the job list under its own walk.
test_chaos_client_hanging_up_while_waiting() {
	program s "sleep 1000" "startsecs = 30" "autostart = false"
	program t "sleep 1000" "startsecs = 30" "autostart = false"
	start_procd
	pid=$(procd_pid)
	"$PROCCTL" -s "$SOCK" start s > /dev/null 2>&1 &
	c1=$!
	"$PROCCTL" -s "$SOCK" start t > /dev/null 2>&1 &
	c2=$!
	wait_for 5 "s and t STARTING" sh -c "'$PROCCTL' -s '$SOCK' status s t | grep -c STARTING | grep -qx 2"
	kill "$c2" "$c1"
	wait_for 5 "procd saw the hang-ups" \
	    grep -q "asked: start t" "$T/procd.log"
	ctl status > /dev/null
	[ $? -le 3 ] || fail "status after the hang-ups"
	alive "$pid" || { san_report; fail "procd died"; }
	san_report && fail "sanitizer report (above)"
	return 0
}

# The randomized stress test, short: a fixed seed and one from the date,
# ~15 s each.  CHAOS_SEED=N replaces the date's seed (to replay one);
# CHAOS_ARGS adds options (e.g. "--avoid priority").
test_chaos_short() {
	skip_under_valgrind "hundreds of procctl calls against a procd ~20x" \
	    "slower; run make soak instead" && return 0
	fixed=4242
	dated=${CHAOS_SEED:-$(date +%Y%m%d)}
	echo "chaos seeds: $fixed (fixed), $dated (date)"
	for seed in $fixed $dated; do
		python3 "$ROOT/tests/stress/chaos.py" --procd "$PROCD" \
		    --procctl "$PROCCTL" --seed "$seed" --duration 15 \
		    --clients 4 --timeout 10 --slow "$SLOW" \
		    --dir "$T/seed-$seed" ${CHAOS_ARGS:-} \
		    > "$T/chaos-$seed.out" 2>&1
		rc=$?
		if [ $rc -ne 0 ]; then
			# The failures and the replay command come first:
			# run.sh shows only the last lines of a test's output.
			sed -n '/^chaos: FAILED/,/^last commands/p' \
			    "$T/chaos-$seed.out" | grep -v '^last commands' |
			    cut -c1-400 | head -20
			tail -1 "$T/chaos-$seed.out"
			fail "chaos.py, seed $seed: exit $rc"
		fi
		grep '^chaos: ' "$T/chaos-$seed.out" | grep -v config: | tail -2
	done
}
