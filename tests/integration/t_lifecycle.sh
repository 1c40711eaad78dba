# The state machine with real processes: restarts, backoff, FATAL, spawn
# errors, stop escalation, process groups.

test_crash_is_restarted() {
	program web "sleep 3600" "startsecs = 0" "autorestart = true"
	start_procd
	wait_for 5 "web running" is_state web RUNNING
	old=$(pid_of web)
	kill -9 "$old"
	wait_for 5 "new pid" sh -c "p=\$('$PROCCTL' -s '$SOCK' pid web);
	    [ \"\$p\" != 0 ] && [ \"\$p\" != $old ]"
	wait_for 5 "running again" is_state web RUNNING
	log_shows 5 "exited: web (terminated by SIGKILL; not expected)" \
	    "exit not logged"
}

test_autorestart_unexpected_respects_exitcodes() {
	program ok "sh -c 'sleep 0.3; exit 2'" "startsecs = 0" \
	    "autorestart = unexpected" "exitcodes = 0,2"
	program bad "sh -c 'echo x >> $T/bad.count; sleep 0.3; exit 3'" \
	    "startsecs = 0" "autorestart = unexpected" "exitcodes = 0,2"
	start_procd
	wait_for 5 "ok exited" is_state ok EXITED
	line=$(ctl status ok)
	echo "$line" | grep -q "exit status 2; expected" || fail "$line"
	wait_for 5 "bad restarted" sh -c "[ \$(wc -l < $T/bad.count) -ge 2 ]"
}

test_autorestart_false_stays_exited() {
	program once "sh -c 'exit 1'" "startsecs = 0" "autorestart = false"
	start_procd
	wait_for 5 "exited" is_state once EXITED
	ctl status once | grep -q "exit status 1; not expected" ||
	    fail "description"
	ctl status once >/dev/null
	expect_eq "$?" 3 "exit code for EXITED"
}

test_backoff_then_fatal_after_startretries() {
	program flaky "sh -c 'echo x >> $T/attempts; exit 1'" \
	    "startretries = 2" "startsecs = 1"
	start_procd
	# 3 attempts (startretries + 1), waits 1 s then 2 s between them.
	wait_for 10 "fatal" is_state flaky FATAL
	expect_eq "$(wc -l < "$T/attempts")" 3 "attempts"
	ctl status flaky | grep -q "Exited too quickly" || fail "description"
	log_shows 5 "gave up: flaky entered FATAL state" \
	    "not logged"
}

test_spawn_error_is_reported() {
	program ghost "/nonexistent/bin/thing" "autostart = false"
	program nodir "sleep 3600" "autostart = false" \
	    "directory = $T/no/such/dir"
	start_procd
	out=$(ctl start ghost)
	expect_eq "$?" 7 "start exit code"
	expect_eq "$out" "ghost: ERROR (spawn error)" "start output"
	ctl status ghost | grep -q "can't find command '/nonexistent/bin/thing'" ||
	    fail "status: $(ctl status ghost)"
	out=$(ctl start nodir)
	expect_eq "$?" 7 "chdir failure exit code"
	wait_for 10 "nodir fatal" is_state nodir FATAL
	ctl status nodir | grep -q "spawn failed at chdir $T/no/such/dir: No such file" ||
	    fail "status: $(ctl status nodir)"
}

test_start_stop_restart_output() {
	program web "sleep 3600" "autostart = false" "startsecs = 1"
	start_procd
	out=$(ctl start web)
	expect_eq "$?" 0 "start"
	expect_eq "$out" "web: started" "start output"
	is_state web RUNNING || fail "start returned before RUNNING"
	out=$(ctl start web)
	expect_eq "$?" 0 "start again"
	expect_eq "$out" "web: ERROR (already started)" "already started"
	old=$(pid_of web)
	out=$(ctl restart web)
	expect_eq "$out" "$(printf 'web: stopped\nweb: started')" "restart"
	[ "$(pid_of web)" != "$old" ] || fail "restart kept the pid"
	out=$(ctl stop web)
	expect_eq "$out" "web: stopped" "stop"
	gone "$old" || fail "old pid still there"
	out=$(ctl stop web)
	expect_eq "$?" 0 "stop of a stopped process"
	expect_eq "$out" "web: ERROR (not running)" "not running"
	out=$(ctl start nosuch)
	expect_eq "$?" 1 "start unknown"
	expect_eq "$out" "nosuch: ERROR (no such process)" "unknown"
}

test_abnormal_termination() {
	program dies "sh -c 'sleep 0.2; exit 1'" "autostart = false" \
	    "startsecs = 2" "startretries = 0"
	start_procd
	out=$(ctl start dies)
	expect_eq "$?" 7 "exit code"
	expect_eq "$out" "dies: ERROR (abnormal termination)" "output"
}

test_stop_escalates_to_sigkill() {
	program stubborn "$HELPERS/stubborn" "startsecs = 0" "stopwaitsecs = 1"
	start_procd
	wait_for 5 "running" is_state stubborn RUNNING
	wait_for 5 "ready" grep -q ready "$T/stubborn-stdout.log"
	pid=$(pid_of stubborn)
	ctl stop stubborn >/dev/null
	alive "$pid" && fail "still alive after stop returned"
	log_shows 5 "killing stubborn (pid $pid) with SIGKILL" \
	    "no SIGKILL logged"
	ctl status stubborn | grep -q STOPPED || fail "not STOPPED"
}

test_killasgroup_takes_grandchildren() {
	program fam "$HELPERS/stubborn fork" "startsecs = 0" \
	    "stopwaitsecs = 1" "stopasgroup = true"
	start_procd
	wait_for 5 "grandchild" grep -q grandchild "$T/fam-stdout.log"
	gc=$(awk '/grandchild/ {print $2}' "$T/fam-stdout.log")
	alive "$gc" || fail "grandchild not running"
	ctl stop fam >/dev/null
	wait_for 5 "grandchild gone" gone "$gc"
}

test_signal_command() {
	program web "sleep 3600" "startsecs = 0" "autorestart = false"
	program idle "sleep 3600" "autostart = false"
	start_procd
	wait_for 5 "running" is_state web RUNNING
	# The names stopsignal= takes: Python's second names too.
	out=$(ctl signal cld web)
	expect_eq "$out" "web: signalled" "signal by a second name"
	out=$(ctl signal KILL web)
	expect_eq "$out" "web: signalled" "signal output"
	wait_for 5 "exited" is_state web EXITED
	out=$(ctl signal TERM idle)
	expect_eq "$?" 7 "signal not running"
	expect_eq "$out" "idle: ERROR (not running)" "signal not running"
	ctl signal BOGUS web >/dev/null
	expect_eq "$?" 1 "bad signal"
}

test_child_gets_clean_state() {
	program probe "$HELPERS/probe" "startsecs = 0"
	start_procd
	wait_for 5 "probe reported" grep -q pgrp "$T/probe-stdout.log"
	grep -qx "fds:" "$T/probe-stdout.log" ||
	    fail "leaked fds: $(grep fds "$T/probe-stdout.log")"
	grep -qx "sigmask: 0" "$T/probe-stdout.log" || fail "signal mask"
	grep -qx "ignored:" "$T/probe-stdout.log" || fail "ignored signals"
	grep -qx "pgrp: own" "$T/probe-stdout.log" || fail "process group"
}

test_inherited_sigchld_ignore_is_reset() {
	program quick "sh -c 'exit 0'" "startsecs = 0" "autorestart = false"
	# Start procd with SIGCHLD ignored: it must still see exit statuses.
	python3 -c '
import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execv(sys.argv[1], sys.argv[1:])' "$PROCD" start -c "$CONF" ||
	    fail "start"
	wait_for 5 "exited with status" sh -c "'$PROCCTL' -s '$SOCK' status quick |
	    grep -q 'exit status 0; expected'"
}
