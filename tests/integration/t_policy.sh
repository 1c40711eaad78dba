# procd's restart policy beyond supervisord: backoff, infinite retries,
# restart_limit.  Waits are measured in procd's own log, from an exit to
# the next spawn, so the time a loaded machine takes to run the program is
# not part of them.

# log_clock_ms: the time of day of each log line on stdin, in ms, then
# the rest of the line.
log_clock_ms() {
	awk '{ split($2, t, /[:.]/)
	       $1 = ((t[1] * 60 + t[2]) * 60 + t[3]) * 1000 + t[4]; $2 = ""
	       print }'
}

# backoff_gaps NAME: procd's waits between NAME's exits and its next
# spawns, in ms.
backoff_gaps() {
	grep -E " (exited|spawned): $1 " "$T/procd.log" | log_clock_ms |
	    awk '/ exited: / { ex = $1; next }
		 ex != "" { g = $1 - ex; if (g < 0) g += 86400000
			    printf "%d ", g; ex = "" }'
}

# spawns_before PATTERN NAME: how many times NAME was spawned before the
# first line of procd's log matching PATTERN.
spawns_before() {
	awk -v p="$1" -v s="spawned: $2 " '$0 ~ p { exit } index($0, s) { n++ }
	    END { print n + 0 }' "$T/procd.log"
}

test_infinite_retries_capped_exponential_spacing() {
	program flaky "sh -c 'date +%%s%%N >> $T/starts; exit 1'" \
	    "startretries = infinite" "backoff = exponential" \
	    "backoff_max = 2" "startsecs = 1"
	start_procd
	wait_for 15 "6 attempts" sh -c "[ \$(wc -l < $T/starts) -ge 6 ]"
	# BACKOFF comes and goes: its line is waited for, not caught once.
	wait_for 5 "BACKOFF, described" sh -c "'$PROCCTL' -s '$SOCK' status flaky |
	    grep -q 'BACKOFF   Exited too quickly (process log may have details); retrying in [12] s'"
	wait_for 5 "5 waits logged" sh -c "[ \$(grep -c 'spawned: flaky ' '$T/procd.log') -ge 6 ]"
	# Waits 1, 2, 2, 2, 2 s (capped).  Never early; late only by procd's
	# own latency, which a slow build stretches -- but never as far as
	# the next step of the sequence (2 s for the first, 4 s uncapped).
	set -- $(backoff_gaps flaky)
	[ $# -ge 5 ] || fail "only $# waits: $(backoff_gaps flaky)"
	for want in 1000 2000 2000 2000 2000; do
		late=$((500 * SLOW))
		[ $late -lt $((want - 100)) ] || late=$((want - 100))
		[ "$1" -ge $((want - 10)) ] && [ "$1" -le $((want + late)) ] ||
		    fail "waits $(backoff_gaps flaky): expected $want (+$late), got $1"
		shift
	done
	# next_start is set in BACKOFF only, which comes and goes.
	wait_for 5 "next_start in JSON (BACKOFF)" sh -c \
	    "'$PROCCTL' -s '$SOCK' --json status flaky | grep -q '\"next_start\":[0-9]'"
}

test_restart_limit_stops_a_crash_loop() {
	program crashy "sh -c 'date +%%s%%N >> $T/starts; sleep 0.2; exit 1'" \
	    "startsecs = 0" "autorestart = true" "restart_limit = 3/60" \
	    "backoff_max = 3"
	start_procd
	wait_for 10 "backoff after 3 restarts, described" sh -c "
	    '$PROCCTL' -s '$SOCK' status crashy | grep -q 'BACKOFF   restarting too often (more than 3 in 60 s: restart_limit); retrying in'"
	expect_eq "$(spawns_before "crashy: [A-Z]* -> BACKOFF" crashy)" 4 \
	    "runs before the guard"
	wait_for 5 "retried after the wait" sh -c "[ \$(wc -l < $T/starts) -ge 5 ]"
}

test_policy_change_is_applied_live() {
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "running" is_state web RUNNING
	pid=$(pid_of web)
	printf 'backoff = exponential\nrestart_limit = 5/60\n' >> "$CONF"
	out=$(ctl reread)
	expect_eq "$out" "web: changed (live web [backoff, restart_limit])" "reread"
	ctl update >/dev/null
	expect_eq "$(pid_of web)" "$pid" "pid after a live change"
}

rolling_group() {
	cat >> "$CONF" <<CONF
[program:w]
command = sh -c '[ -e $T/broken ] && exit 1; exec sleep 3600'
process_name = w_%(process_num)d
numprocs = 3
startsecs = 1
startretries = 0

CONF
}

test_rolling_restart_one_at_a_time() {
	rolling_group
	start_procd
	wait_for 10 "group running" sh -c "[ \$('$PROCCTL' -s '$SOCK' status 'w:*' | grep -c RUNNING) = 3 ]"
	out=$(ctl restart --rolling 'w:*')
	expect_eq "$?" 0 "exit code"
	expect_eq "$out" "$(printf 'w:w_%s: stopped\nw:w_%s: started\n' 0 0 1 1 2 2 | head -c -1)" \
	    "output"
	# In procd's log: each one is RUNNING again before the next is stopped.
	wait_for 5 "the rolling restart logged" sh -c \
	    "[ \$(grep -c 'success: w:w_[0-9] entered RUNNING' '$T/procd.log') -ge 6 ]"
	seq=$(grep -E "waiting for w:w_[0-9] to stop|success: w:w_[0-9] entered RUNNING" \
	    "$T/procd.log" | tail -6 | sed -E 's/.*(waiting|success).*(w_[0-9]).*/\1 \2/' |
	    tr '\n' ',')
	expect_eq "$seq" "waiting w_0,success w_0,waiting w_1,success w_1,waiting w_2,success w_2," \
	    "order of stops and starts"
}

test_rolling_restart_halts_on_failure() {
	rolling_group
	start_procd
	wait_for 10 "group running" sh -c "[ \$('$PROCCTL' -s '$SOCK' status 'w:*' | grep -c RUNNING) = 3 ]"
	p1=$(pid_of w:w_1) p2=$(pid_of w:w_2)
	touch "$T/broken"
	out=$(ctl restart --rolling 'w:*')
	expect_eq "$?" 7 "exit code"
	expect_eq "$out" "$(printf '%s\n' 'w:w_0: stopped' \
	    'w:w_0: ERROR (abnormal termination)' \
	    'w:w_1: not restarted (rolling restart halted)' \
	    'w:w_2: not restarted (rolling restart halted)' | head -c -1)" "output"
	expect_eq "$(pid_of w:w_1) $(pid_of w:w_2)" "$p1 $p2" "untouched pids"
}
