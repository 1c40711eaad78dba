# Process hygiene under stress (issue 5, item 5): mass restarts, start/stop
# cycles, and programs that misbehave with their children, their stdio or
# their signals.  Each test prints the figures it measured.
#
# Documented behaviour, as these tests pin it down:
#  - procd marks itself a child subreaper: orphans of its programs (a
#    double fork, an escaped child whose parent died) are reparented to it
#    and reaped ("reaped orphan pid N" at debug level); no zombie stays.
#  - stopasgroup/killasgroup signal the program's process group, so a
#    daemonized grandchild that stayed in the group is stopped with it;
#    without them only the program's own pid is signalled, and the
#    grandchild lives on as procd's (reaped) orphan.
#  - a child that leaves the group with setsid() is out of reach of the
#    group signal: it survives the stop of its program (procd adopts and
#    reaps it when it exits); at shutdown procd stops such adopted
#    leftovers too (SIGTERM, a grace period, SIGKILL).
#  - a program that closes its stdout/stderr keeps RUNNING; procd sees EOF
#    on the log pipes and does not spin on them.
#  - a program that ignores every catchable signal is SIGKILLed after
#    stopwaitsecs.

# utime + stime of PID, in clock ticks.
# Pids of the zombie children of PID (State Z, PPid = PID).
zombies_of() {
	cat /proc/[0-9]*/stat 2>/dev/null |
	    sed 's/^\([0-9]*\) (.*) /\1 /' |
	    awk -v p="$1" '$2 == "Z" && $3 == p {print $1}'
}

no_zombies_of() {
	[ -z "$(zombies_of "$1")" ]
}

n_running() {
	ctl status 2>/dev/null | awk '$2 == "RUNNING"' | wc -l
}

running_count_is() {
	[ "$(n_running)" -eq "$1" ]
}

total_restarts() {
	ctl --json status | grep -o '"restarts":[0-9]*' |
	    awk -F: '{s += $2} END {print s + 0}'
}

field_of() {	# field_of FILE WORD: the number after WORD in FILE
	awk -v w="$2" '$1 == w {print $2; exit}' "$1"
}

ppid_of() {
	awk '/^PPid:/ {print $2}' "/proc/$1/status" 2>/dev/null
}

pgrp_of() {
	sed 's/^.*) //' "/proc/$1/stat" | awk '{print $3}'
}

# procctl with a deadline, for moments procd may be too busy to answer.
qctl() {
	timeout 5 "$PROCCTL" -s "$SOCK" "$@"
}

q_all_running() {
	[ "$(qctl status 2>/dev/null | awk '$2 == "RUNNING"' | wc -l)" -eq "$1" ]
}

# Signal every child of PID directly (not through procd, which may be busy).
kill_children() {
	kill -"$2" $(cat /proc/"$1"/task/*/children) 2>/dev/null
}

# (a) 200 programs that die every ~0.5 s, 10 s long.  The storm is started
# by killing the programs directly and ended by the calm file, so it does
# not depend on procd answering; whether it does answer meanwhile is
# measured too (probes of `procctl status` with a 3 s deadline).
test_stress_200_flapping_programs() {
	n=200
	# Info level: thousands of restarts at debug level are mostly log I/O.
	sed -i 's/^loglevel = debug/loglevel = info/' "$CONF"
	echo "minfds = 4096" >> "$CONF"
	i=1
	while [ $i -le $n ]; do
		program "f$i" "$HELPERS/flap $T/calm 500" "startsecs = 0" \
		    "autorestart = true" "redirect_stderr = true"
		i=$((i + 1))
	done
	touch "$T/calm"
	start_procd
	pid=$(procd_pid)
	wait_for 60 "$n programs RUNNING" q_all_running $n

	# Warm-up round: every program restarted twice or more, so that
	# whatever procd allocates once (buffers, tables) is there before the
	# measurement.
	r=$(total_restarts)
	rm -f "$T/calm"
	kill_children "$pid" TERM
	wait_for 30 "warm-up: $((2 * n)) restarts" \
	    sh -c "[ \$('$PROCCTL' -s '$SOCK' --json status |
		grep -o '\"restarts\":[0-9]*' | awk -F: '{s += \$2} END {print s}') \
		-ge $((r + 2 * n)) ]"
	touch "$T/calm"
	wait_for 60 "$n RUNNING after warm-up" q_all_running $n
	wait_for 10 "no zombies after warm-up" no_zombies_of "$pid"
	fd0=$(stable_fd_count "$pid")
	rss0=$(rss_kb "$pid")
	r0=$(total_restarts)

	# The round that counts: every program dies every ~0.5 s for 10 s.
	rm -f "$T/calm"
	kill_children "$pid" TERM
	t0=$(now_ms) probes=0 answered=0 worst=0
	while [ $(( $(now_ms) - t0 )) -lt 10000 ]; do
		t1=$(now_ms)
		if timeout $((3 * SLOW)) "$PROCCTL" -s "$SOCK" status >/dev/null 2>&1 ||
		    [ $? -eq 3 ]; then
			answered=$((answered + 1))
		fi
		probes=$((probes + 1))
		l=$(( $(now_ms) - t1 ))
		[ $l -le $worst ] || worst=$l
		sleep 0.5	# probe interval
	done
	touch "$T/calm"
	t0=$(now_ms)
	wait_for 60 "all $n RUNNING again" q_all_running $n
	settle=$(( $(now_ms) - t0 ))
	r1=$(total_restarts)
	z=$(zombies_of "$pid" | wc -l)
	wait_for 10 "no zombies" no_zombies_of "$pid"
	wait_for 10 "fd count back to $fd0 (now $(fd_count "$pid"))" \
	    fd_count_is "$pid" "$fd0"
	fd1=$(fd_count "$pid")
	rss1=$(rss_kb "$pid")
	slack=$((rss0 / 10))
	[ $slack -ge 512 ] || slack=512
	echo "stress: $n programs, $((r1 - r0)) restarts in the 10 s storm;" \
	    "all RUNNING ${settle} ms after it ended"
	echo "stress: zombies right after: $z (then 0);" \
	    "fds $fd0 -> $fd1; RSS ${rss0} KiB -> ${rss1} KiB" \
	    "(drift $((rss1 - rss0)) KiB, allowed $slack)"
	echo "stress: status during the storm: $answered of $probes probes" \
	    "answered within 3 s, slowest $worst ms"
	[ $((r1 - r0)) -ge $n ] || fail "only $((r1 - r0)) restarts"
	# ASan's quarantine and valgrind keep freed memory: RSS says nothing
	# about leaks there (those builds check leaks themselves).
	[ "$rss1" -le $((rss0 + slack)) ] || [ "$SLOW" -gt 1 ] ||
	    fail "RSS grew from $rss0 KiB to $rss1 KiB"
	alive "$pid" || fail "procd died"
	[ $answered -eq $probes ] ||
	    fail "procd did not answer status within $((3 * SLOW)) s during the" \
	    "restart storm ($((probes - answered)) of $probes probes)"
}

# (b) start/stop cycles with a constant fd count.  One procctl call starts
# or stops 100 programs; the test does 10,000 cycles when the machine is
# fast enough, else as many as fit in ~60 s but at least 2,000.
test_stress_start_stop_cycles() {
	skip_under_valgrind "fd and process limits, cycle rates"
	n=100
	sed -i 's/^loglevel = debug/loglevel = info/' "$CONF"
	i=1
	while [ $i -le $n ]; do
		program "c$i" "sleep 3600" "startsecs = 0" \
		    "redirect_stderr = true"
		i=$((i + 1))
	done
	start_procd
	pid=$(procd_pid)
	wait_for 60 "$n programs RUNNING" running_count_is $n
	# One round to warm up; the fd count is taken with all stopped.
	ctl stop all >/dev/null || fail "stop all"
	ctl start all >/dev/null || fail "start all"
	ctl stop all >/dev/null || fail "stop all"
	base=$(stable_fd_count "$pid")
	rss0=$(rss_kb "$pid")
	cycles=0 rounds=0 t0=$(now_ms) max=$base
	while :; do
		el=$(( $(now_ms) - t0 ))
		[ $cycles -lt 10000 ] || break
		[ $el -lt 60000 ] || [ $cycles -lt 2000 ] || break
		# Fail cleanly rather than be killed by run.sh's timeout.
		[ $el -lt $((95000 * SLOW)) ] ||
		    fail "only $cycles cycles in $el ms"
		out=$(ctl start all) ||
		    fail "start all, round $rounds: $(echo "$out" | grep -v started | head -3)"
		[ "$(echo "$out" | grep -c ': started$')" -eq $n ] ||
		    fail "round $rounds: not all started: $out"
		out=$(ctl stop all) || fail "stop all, round $rounds"
		[ "$(echo "$out" | grep -c ': stopped$')" -eq $n ] ||
		    fail "round $rounds: not all stopped: $out"
		cycles=$((cycles + n))
		rounds=$((rounds + 1))
		# procd may not have seen procctl hang up yet: a deadline.
		c=$(fd_count "$pid")
		[ "$c" -gt $max ] && max=$c
		fd_count_is "$pid" "$base" ||
		    wait_for 5 "fd count $base after round $rounds (now $c)" \
		    fd_count_is "$pid" "$base"
	done
	el=$(( $(now_ms) - t0 ))
	rss1=$(rss_kb "$pid")
	echo "cycles: $cycles start/stop cycles ($rounds rounds of $n) in" \
	    "$el ms = $((cycles * 1000 / (el + 1))) cycles/s;" \
	    "fds $base (max seen right after a round: $max);" \
	    "RSS $rss0 -> $rss1 KiB"
	fd_count_is "$pid" "$base" || fail "fd count $(fd_count "$pid") != $base"
	no_zombies_of "$pid" || fail "zombies: $(zombies_of "$pid")"
}

# (c) A program that daemonizes a grandchild (double fork) and stays up:
# the orphan is adopted by procd (subreaper) and reaped when it exits --
# whether it exits by itself or is killed -- and the program is unaffected.
test_doublefork_orphan_is_reaped() {
	program df "$HELPERS/doublefork" "startsecs = 0"
	program dfq "$HELPERS/doublefork 300" "startsecs = 0"
	start_procd
	pid=$(procd_pid)
	wait_for 5 "df ready" grep -q ready "$T/df-stdout.log"
	wait_for 5 "dfq ready" grep -q ready "$T/dfq-stdout.log"
	orphan=$(field_of "$T/df-stdout.log" orphan)
	quick=$(field_of "$T/dfq-stdout.log" orphan)
	expect_eq "$(ppid_of "$orphan")" "$pid" "parent of the orphan"
	expect_eq "$(pgrp_of "$orphan")" "$(pid_of df)" "orphan's group"
	# dfq's orphan exits by itself after 0.3 s.
	wait_for 5 "quick orphan reaped" gone "$quick"
	kill -TERM "$orphan"
	wait_for 5 "killed orphan reaped" gone "$orphan"
	for o in $orphan $quick; do
		log_shows 5 "reaped orphan pid $o\$" \
		    "orphan $o: not logged as reaped"
	done
	no_zombies_of "$pid" || fail "zombies: $(zombies_of "$pid")"
	is_state df RUNNING || fail "df: $(ctl status df)"
	is_state dfq RUNNING || fail "dfq: $(ctl status dfq)"
	echo "doublefork: orphans $orphan, $quick adopted by procd $pid and reaped"
}

# (c) stopasgroup reaches the daemonized grandchild (it stayed in the
# group); without it, the grandchild outlives the stop as procd's orphan.
test_doublefork_stopasgroup_catches_orphan() {
	program grp "$HELPERS/doublefork" "startsecs = 0" \
	    "stopasgroup = true" "stopwaitsecs = 2"
	program plain "$HELPERS/doublefork" "startsecs = 0" "stopwaitsecs = 2"
	start_procd
	pid=$(procd_pid)
	wait_for 5 "grp ready" grep -q ready "$T/grp-stdout.log"
	wait_for 5 "plain ready" grep -q ready "$T/plain-stdout.log"
	og=$(field_of "$T/grp-stdout.log" orphan)
	op=$(field_of "$T/plain-stdout.log" orphan)
	out=$(ctl stop grp)
	expect_eq "$out" "grp: stopped" "stop grp"
	wait_for 5 "grp's orphan gone with the group" gone "$og"
	out=$(ctl stop plain)
	expect_eq "$out" "plain: stopped" "stop plain"
	# Documented: only the program's pid got the signal.
	alive "$op" || fail "plain's orphan was stopped without stopasgroup"
	expect_eq "$(ppid_of "$op")" "$pid" "plain's orphan adopted"
	kill -TERM "$op"
	wait_for 5 "plain's orphan reaped" gone "$op"
	no_zombies_of "$pid" || fail "zombies: $(zombies_of "$pid")"
}

# (d) A program that closes stdin/stdout/stderr at once and keeps running.
test_closed_stdout_keeps_running_no_spin() {
	program co "$HELPERS/closeout" "startsecs = 1"
	program cor "$HELPERS/closeout" "startsecs = 1" "redirect_stderr = true"
	start_procd
	pid=$(procd_pid)
	wait_for 5 "co RUNNING" is_state co RUNNING
	wait_for 5 "cor RUNNING" is_state cor RUNNING
	c=$(pid_of co)
	for f in 0 1 2; do
		[ ! -e "/proc/$c/fd/$f" ] || fail "fd $f of co still open"
	done
	# procd has seen EOF on the pipes by now; it must not busy-loop: a
	# spinning procd is never asleep with its CPU time standing still
	# for half a second.
	t0=$(cpu_ticks "$pid") ms0=$(now_ms)
	wait_for 10 "procd idle after the pipes closed (it spins?)" \
	    quiet "$pid" 25
	t1=$(cpu_ticks "$pid")
	hz=$(getconf CLK_TCK)
	echo "closed stdout: procd used $((t1 - t0)) ticks (1/$hz s) of CPU" \
	    "before $(( $(now_ms) - ms0 )) ms of idleness"
	is_state co RUNNING || fail "co: $(ctl status co)"
	is_state cor RUNNING || fail "cor: $(ctl status cor)"
	expect_eq "$(pid_of co)" "$c" "co pid"
	ctl stop co cor >/dev/null || fail "stop"
}

# (e) A program that ignores every catchable signal: stop sends
# stopsignal, waits stopwaitsecs, then SIGKILL.
test_ignores_all_signals_is_killed_after_stopwaitsecs() {
	program deaf "$HELPERS/sigignore" "startsecs = 0" "stopwaitsecs = 2" \
	    "stopasgroup = true" "killasgroup = true"
	start_procd
	wait_for 5 "ready" grep -q ready "$T/deaf-stdout.log"
	c=$(pid_of deaf)
	ign=$(field_of "$T/deaf-stdout.log" ignored)
	[ "$ign" -ge 60 ] || fail "helper ignores only $ign signals"
	# Signals from procctl do nothing to it either.
	for s in HUP INT QUIT USR1 USR2 TERM; do
		ctl signal $s deaf >/dev/null || fail "signal $s"
	done
	alive "$c" || fail "died of a signal it ignores"
	t0=$(now_ms)
	out=$(ctl stop deaf)
	el=$(( $(now_ms) - t0 ))
	expect_eq "$out" "deaf: stopped" "stop output"
	echo "ignores all signals: stopped after $el ms (stopwaitsecs = 2)"
	[ $el -ge 1900 ] || fail "stopped after $el ms, before stopwaitsecs"
	# Not much later either: procd's own log, request to SIGKILL (the
	# test's clock would count a loaded machine's delays too).
	log_shows 5 "killing deaf (pid $c) with SIGKILL" \
	    "no SIGKILL logged"
	k=$(log_gap "asked: stop deaf" "killing deaf (pid $c) with SIGKILL")
	[ "$k" -ge 1990 ] && [ "$k" -le $((2000 + 500 * SLOW)) ] ||
	    fail "SIGKILL $k ms after the stop request (stopwaitsecs = 2)"
	gone "$c" || fail "pid $c still there"
	log_shows 5 "stopped: deaf (terminated by SIGKILL)" \
	    "stop not logged"
	is_state deaf STOPPED || fail "$(ctl status deaf)"
}

# (f) A child that escapes the program's process group with setsid():
# the group signal misses it.  When its program is stopped it survives,
# procd adopts it (subreaper) and reaps it when it exits.
test_setsid_escape_survives_group_stop() {
	program esc "$HELPERS/escape" "startsecs = 0" "stopasgroup = true" \
	    "killasgroup = true" "stopwaitsecs = 2"
	start_procd
	pid=$(procd_pid)
	wait_for 5 "ready" grep -q ready "$T/esc-stdout.log"
	c=$(pid_of esc)
	e=$(field_of "$T/esc-stdout.log" escaped)
	trap 'kill -KILL $e 2>/dev/null; teardown' EXIT
	[ "$(pgrp_of "$e")" = "$e" ] || fail "child did not escape"
	[ "$(pgrp_of "$c")" = "$c" ] || fail "program not in its own group"
	out=$(ctl stop esc)
	expect_eq "$out" "esc: stopped" "stop"
	gone "$c" || fail "program still there"
	# Documented: out of the group, out of reach.
	alive "$e" || fail "escaped child was stopped (behaviour changed?)"
	expect_eq "$(ppid_of "$e")" "$pid" "escaped child adopted by procd"
	kill -TERM "$e"
	wait_for 5 "escaped child reaped" gone "$e"
	log_shows 5 "reaped orphan pid $e\$" "the orphan's reaping logged"
	no_zombies_of "$pid" || fail "zombies: $(zombies_of "$pid")"
}

# (f) On shutdown procd stops its programs (by group), then the escaped
# child it adopted as subreaper: SIGTERM, a grace period, SIGKILL.
# Nothing is left behind (CONTRACT §3).
test_setsid_escape_stopped_on_shutdown() {
	program esc "$HELPERS/escape" "startsecs = 0" "stopasgroup = true" \
	    "killasgroup = true" "stopwaitsecs = 2"
	start_procd
	pid=$(procd_pid)
	wait_for 5 "ready" grep -q ready "$T/esc-stdout.log"
	c=$(pid_of esc)
	e=$(field_of "$T/esc-stdout.log" escaped)
	trap 'kill -KILL $e 2>/dev/null; teardown' EXIT
	out=$(ctl shutdown)
	expect_eq "$out" "Shut down" "shutdown"
	wait_for 15 "procd gone" gone "$pid"
	gone "$c" || fail "program left behind"
	gone "$e" || fail "escaped child $e left running after shutdown"
	log_shows 5 "stopping 1 leftover process" "not logged"
}
