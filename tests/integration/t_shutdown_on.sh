# shutdown_on= (issue 15, "a native way to say it"): a program's FATAL or
# exit shuts procd down -- programs stopped by priority, logs drained --
# and procd exits 69 (EX_UNAVAILABLE) after a failure, 0 after an
# expected exit under shutdown_on=exit, so docker run and Kubernetes see
# it.  Foreground, daemon, and PID 1 of a PID namespace.

# Our own child stays a zombie until we wait for it.
exited() {
	! alive "$1"
}

# fg_start: procd start --foreground in the background; sets FG.
fg_start() {
	"$PROCD" start --foreground -c "$CONF" > "$T/fg.out" 2>&1 &
	FG=$!
	wait_for 10 "procd answers" test -S "$SOCK"
}

# fg_status: wait (bounded) for the foreground procd to exit; its status
# in RC.
fg_status() {
	wait_for 20 "procd exits" exited "$FG"
	wait "$FG"
	RC=$?
}

spawns() {
	grep -c "spawned: $1 " "$T/procd.log"
}

test_shutdown_on_fatal_foreground_exits_69() {
	program broken "sh -c 'exit 1'" "startsecs = 1" "startretries = 1" \
	    "shutdown_on = fatal" "priority = 10"
	program low "sleep 3600" "startsecs = 0" "priority = 100"
	program high "sleep 3600" "startsecs = 0" "priority = 200"
	fg_start
	# From the log: procd may already be shutting down (broken's FATAL
	# comes within seconds), so it is not asked.
	log_shows 10 "spawned: low with pid" "low spawned"
	log_shows 10 "spawned: high with pid" "high spawned"
	low=$(sed -n 's/.*spawned: low with pid \([0-9]*\)$/\1/p' "$T/procd.log")
	high=$(sed -n 's/.*spawned: high with pid \([0-9]*\)$/\1/p' "$T/procd.log")
	fg_status
	expect_eq "$RC" 69 "procd's exit status"
	for p in "$low" "$high"; do
		gone "$p" || fail "program pid $p left behind"
	done
	grep -q "program broken entered FATAL state, and its shutdown_on is fatal: shutting down, procd will exit with status 69" \
	    "$T/procd.log" || fail "not logged: $(tail -5 "$T/procd.log")"
	log_shows 5 "all programs stopped" "no clean stop"
	log_shows 5 "procd exiting with status 69 (shutdown_on)" \
	    "exit not logged"
	# A clean shutdown: by priority, highest first.
	expect_eq "$(sed -n 's/.*stopped: \([a-z]*\) .*/\1/p' "$T/procd.log" |
	    tr '\n' ' ')" "high low " "stop order"
	# Its own log reached stderr as well (foreground).
	grep -q "procd exiting with status 69" "$T/fg.out" ||
	    fail "foreground stderr: $(tail -3 "$T/fg.out")"
	[ ! -e "$T/procd.pid" ] || fail "pidfile left"
}

test_shutdown_on_fatal_not_for_other_failures() {
	# FATAL of a program without the key, and a crash of one with
	# shutdown_on=fatal that is restarted, leave procd up.
	program other "sh -c 'exit 1'" "startsecs = 1" "startretries = 0"
	program crashy "sh -c 'sleep 0.3; exit 2'" "startsecs = 0" \
	    "shutdown_on = fatal" "autorestart = true"
	program ok "sleep 3600" "startsecs = 0" "shutdown_on = unexpected"
	start_procd
	wait_for 10 "other FATAL" is_state other FATAL
	wait_for 10 "crashy restarted twice" sh -c \
	    "[ \$(grep -c 'spawned: crashy ' '$T/procd.log') -ge 3 ]"
	alive "$(procd_pid)" || fail "procd exited"
	is_state ok RUNNING || fail "ok: $(ctl status ok)"
	grep -q "shutdown_on" "$T/procd.log" && fail "shutdown logged"
	return 0
}

test_shutdown_on_unexpected_daemon() {
	program job "sh -c 'sleep 0.5; exit 3'" "startsecs = 0" \
	    "autorestart = true" "shutdown_on = unexpected"
	program web "sleep 3600" "startsecs = 0"
	start_procd
	pid=$(procd_pid)
	wait_for 10 "daemon gone" gone "$pid"
	grep -q "program job exited (exit status 3; not expected), and its shutdown_on is unexpected: shutting down, procd will exit with status 69" \
	    "$T/procd.log" || fail "not logged: $(tail -5 "$T/procd.log")"
	expect_eq "$(spawns job)" 1 "job spawns (no restart before shutdown)"
	log_shows 5 "stopped: web " "web not stopped"
	log_shows 5 "procd exiting with status 69" "exit"
}

test_shutdown_on_unexpected_ignores_expected_exit() {
	program job "sh -c 'sleep 0.3; exit 0'" "startsecs = 0" \
	    "autorestart = true" "shutdown_on = unexpected"
	start_procd
	wait_for 10 "job restarted" sh -c \
	    "[ \$(grep -c 'spawned: job ' '$T/procd.log') -ge 2 ]"
	alive "$(procd_pid)" || fail "procd exited"
}

test_shutdown_on_exit_expected_exits_0() {
	# A job container: procd ends with its main program, successfully.
	program main "sh -c 'sleep 0.3; exit 0'" "startsecs = 0" \
	    "shutdown_on = exit"
	program side "sleep 3600" "startsecs = 0"
	fg_start
	fg_status
	expect_eq "$RC" 0 "procd's exit status"
	grep -q "program main exited (exit status 0; expected), and its shutdown_on is exit: shutting down, procd will exit with status 0" \
	    "$T/procd.log" || fail "not logged: $(tail -5 "$T/procd.log")"
	log_shows 5 "stopped: side " "side not stopped"
}

test_shutdown_on_health_failure() {
	# A failed health check is an unexpected exit: with
	# shutdown_on=unexpected the container ends instead of restarting.
	program web "sleep 3600" "startsecs = 0" "health = exec:false" \
	    "health_interval = 1" "health_retries = 1" \
	    "shutdown_on = unexpected"
	fg_start
	fg_status
	expect_eq "$RC" 69 "procd's exit status"
	expect_eq "$(spawns web)" 1 "web spawns"
	grep -q "health check failed 1 time in a row: check command exited 1" \
	    "$T/procd.log" || fail "reason not logged"
}

test_shutdown_on_sigterm_first_exits_0() {
	# Shut down by a signal: a program dying meanwhile changes nothing.
	program web "sh -c 'trap \"exit 7\" TERM; while :; do sleep 0.1; done'" \
	    "startsecs = 0" "shutdown_on = unexpected"
	fg_start
	wait_for 10 "web running" is_state web RUNNING
	kill -TERM "$FG"
	fg_status
	expect_eq "$RC" 0 "procd's exit status"
}

test_shutdown_on_pid1() {
	if [ "$(id -u)" != 0 ] ||
	    ! unshare --pid --fork --mount-proc true 2>/dev/null; then
		skip "unshare --pid --fork --mount-proc not available" \
		    "(needs root and CAP_SYS_ADMIN)"
	fi
	mkdir "$T/ns"
	sed -i "s|^pidfile = .*|pidfile = $T/ns/procd.pid|" "$CONF"
	program broken "sh -c 'exit 1'" "startsecs = 1" "startretries = 0" \
	    "shutdown_on = fatal"
	program web "sleep 3600" "startsecs = 0"
	unshare --pid --fork --mount-proc \
	    "$PROCD" start --foreground -c "$CONF" > "$T/fg.out" 2>&1 &
	U=$!
	trap '[ -z "${U:-}" ] || kill -KILL "$U" 2>/dev/null; teardown' EXIT
	wait_for 20 "unshare exits" exited "$U"
	wait "$U"
	rc=$?
	U=
	expect_eq "$rc" 69 "exit status of procd as PID 1 (through unshare)"
	log_shows 5 "procd exiting with status 69" \
	    "exit not logged"
}

test_shutdown_on_config_errors() {
	program a "sleep 1" "shutdown_on = sometimes"
	out=$("$PROCD" check -c "$CONF" 2>&1)
	expect_eq "$?" 2 "procd check's exit status"
	echo "$out" | grep -q "procd.ini:[0-9]*: error: \[program:a\] shutdown_on: \"sometimes\" is not one of never, fatal, unexpected, exit" ||
	    fail "message: $out"
}
