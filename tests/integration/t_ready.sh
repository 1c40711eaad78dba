# ready=: RUNNING means ready (notify, fd:N, tcp:, exec:), ready_timeout,
# watchdog, and rolling restarts that wait for readiness.  Timings are
# checked as lower bounds from procd's own log timestamps.

# at_least MS WHAT GAP: GAP >= MS.
at_least() {
	[ "$3" -ge "$1" ] || fail "$2: ${3} ms, expected at least $1 ms"
}

# pid_changed NAME OLDPID: NAME has a new, non-zero pid.
pid_changed() {
	p=$(pid_of "$1")
	[ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$2" ]
}

test_ready_notify_status_then_ready() {
	# READY=1 late enough for the checks in between, however slow the
	# machine (PROCD_TEST_SLOW).
	program n "$HELPERS/notifier -s 'warming up' -r $((3000 * SLOW))" \
	    "ready = notify"
	start_procd
	wait_for 5 "status text" sh -c "'$PROCCTL' -s '$SOCK' status n | grep -q 'warming up'"
	expect_eq "$(ctl status n)" "$(status_line n STARTING 'warming up')" \
	    "status before READY=1"
	expect_eq "$(json_field n status_text)" '"warming up"' "JSON status_text"
	expect_eq "$(json_field n state)" '"STARTING"' "JSON state"
	pid=$(pid_of n)
	tr '\0' '\n' < "/proc/$pid/environ" | grep -q '^NOTIFY_SOCKET=@procd-' ||
	    fail "no abstract NOTIFY_SOCKET in the environment"
	wait_for 5 "running" is_state n RUNNING
	line=$(ctl status n)
	echo "$line" | grep -Eq "^n {32}RUNNING   pid $pid, uptime 0:00:[0-5][0-9], warming up$" ||
	    fail "bad line: '$line'"
	expect_eq "$(json_field n status_text)" '"warming up"' "JSON status_text running"
	log_shows 5 "success: n entered RUNNING state, process is ready (ready=notify)" \
	    "RUNNING not logged as ready=notify"
	at_least $((3000 * SLOW - 100)) "spawn to RUNNING" \
	    "$(log_gap "spawned: n " "success: n entered RUNNING")"
}

test_ready_notify_from_another_pid_is_ignored() {
	# The shell's child sends READY=1; the main pid (sleep) never does.
	# startretries = 0: the state it ends in (FATAL) holds still for
	# the checks; ready_timeout long enough to look at the process.
	to=$((2 * SLOW))
	program o "sh -c '$HELPERS/notifier -r 0 & exec sleep 3600'" \
	    "ready = notify" "ready_timeout = $to" "stopasgroup = true" \
	    "killasgroup = true" "startretries = 0"
	start_procd
	wait_for 5 "READY=1 sent" grep -q "sent READY=1" "$T/o-stdout.log"
	pid=$(pid_of o)
	helper=$(cat /proc/$pid/task/*/children)
	[ -n "$helper" ] || fail "no notifier child"
	# Not RUNNING on the child's READY=1: STARTING until ready_timeout
	# (the log below says it never was RUNNING, and when it gave up).
	case $(state_of o) in
	STARTING|FATAL) ;;
	*) fail "not STARTING: $(ctl status o)" ;;
	esac
	wait_for 8 "gave up" is_state o FATAL
	ctl status o | grep -q "not ready after $to s (ready_timeout)" ||
	    fail "description: $(ctl status o)"
	log_shows 5 "program o: not ready after $to s (ready_timeout)" \
	    "the timeout logged"
	grep -q "success: o entered RUNNING" "$T/procd.log" && fail "o became RUNNING"
	at_least $((1000 * to - 100)) "spawn to timeout" \
	    "$(log_gap "spawned: o " "program o: not ready after $to s (ready_timeout)")"
	wait_for 5 "notifier stopped with its group" gone "$helper"
}

test_ready_watchdog_restarts_a_hung_program() {
	# Pings every 200 ms for 1 s, then hangs; the watchdog is 1 s (times
	# SLOW: a ping that late would be a false timeout).
	program w "$HELPERS/notifier -r 0 -w 200 -n 5" "ready = notify" \
	    "watchdog = $SLOW"
	start_procd
	wait_for 5 "running" is_state w RUNNING
	pid=$(pid_of w)
	tr '\0' '\n' < "/proc/$pid/environ" | grep -qx "WATCHDOG_USEC=${SLOW}000000" ||
	    fail "no WATCHDOG_USEC=${SLOW}000000 in the environment"
	wait_for 10 "restarted" pid_changed w "$pid"
	log_shows 5 "program w: watchdog timeout (no WATCHDOG=1 for $SLOW s)" \
	    "watchdog timeout not logged"
	gone "$pid" || fail "hung process still there"
	# The pings kept it alive: 1 s of pings + the watchdog's silence.
	at_least $((800 + 1000 * SLOW)) "RUNNING to watchdog timeout" \
	    "$(log_gap "success: w entered RUNNING" "watchdog timeout")"
	wait_for 5 "running again" is_state w RUNNING
}

test_ready_watchdog_without_autorestart_ends_exited() {
	program w "$HELPERS/notifier -r 0 -w 200 -n 5" "watchdog = $SLOW" \
	    "startsecs = 0" "autorestart = false"
	start_procd
	wait_for 5 "running" is_state w RUNNING
	pid=$(pid_of w)
	wait_for 10 "exited" is_state w EXITED
	ctl status w | grep -q "EXITED    watchdog timeout (no WATCHDOG=1 for $SLOW s)" ||
	    fail "description: $(ctl status w)"
	log_shows 5 "watchdog timeout" "the watchdog timeout logged"
	gone "$pid" || fail "hung process still there"
	expect_eq "$(grep -c "spawned: w " "$T/procd.log")" 1 "spawns"
	at_least $((800 + 1000 * SLOW)) "RUNNING to watchdog timeout" \
	    "$(log_gap "success: w entered RUNNING" "watchdog timeout")"
}

test_ready_fd_newline_and_timeout() {
	program quick "sh -c 'while ! [ -e $T/go ]; do sleep 0.05; done; echo >&3; exec sleep 3600'" \
	    "ready = fd:3"
	to=$((2 * SLOW))
	program mute "sleep 3600" "ready = fd:3" "ready_timeout = $to" \
	    "startretries = 0"
	start_procd
	wait_for 5 "both starting" sh -c "
	    '$PROCCTL' -s '$SOCK' status quick | grep -q 'STARTING  not ready yet (fd:3)\$' &&
	    '$PROCCTL' -s '$SOCK' status mute | grep -q 'STARTING  not ready yet (fd:3)\$'"
	# (Under valgrind procd forks rather than vforks: the child may
	# not have its descriptors in place yet when it is STARTING.)
	for n in quick mute; do
		p=$(pid_of $n)
		wait_for 5 "$n: fd 3 a pipe" sh -c \
		    "readlink /proc/$p/fd/3 | grep -q '^pipe:'"
	done
	touch "$T/go"
	wait_for 5 "quick running" is_state quick RUNNING
	log_shows 5 "success: quick entered RUNNING state, process is ready (ready=fd)" \
	    "not logged as ready=fd"
	# quick's readiness is not mute's: mute stays STARTING (never
	# RUNNING) until its own ready_timeout, measured below.
	grep -q "success: mute entered RUNNING" "$T/procd.log" &&
	    fail "mute: $(ctl status mute)"
	wait_for 8 "mute gave up" is_state mute FATAL
	ctl status mute | grep -q "not ready after $to s (ready_timeout)" ||
	    fail "description: $(ctl status mute)"
	log_shows 5 "program mute: not ready after" "the timeout logged"
	at_least $((1000 * to - 100)) "mute: spawn to timeout" \
	    "$(log_gap "spawned: mute " "program mute: not ready after")"
}

# free_port: a TCP port nothing listens on now.
free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

test_ready_tcp_waits_for_the_listener() {
	port=$(free_port)
	# Listening after a delay the checks can see, however slow.
	delay=$((1000 * SLOW))
	program srv "$HELPERS/listener $delay $port" \
	    "ready = tcp:127.0.0.1:$port"
	start_procd
	wait_for 5 "starting" is_state srv STARTING
	wait_for 5 "running" is_state srv RUNNING
	# The listener says so once listening; procd's log writer may be a
	# moment behind its check.
	wait_for 5 "listening logged" grep -q listening "$T/srv-stdout.log"
	log_shows 5 "success: srv entered RUNNING state, process is ready (ready=tcp)" \
	    "not logged as ready=tcp"
	at_least $((delay - 50)) "spawn to RUNNING" \
	    "$(log_gap "spawned: srv " "success: srv entered RUNNING")"
}

test_ready_http_waits_for_a_2xx() {
	# python3's http.server answers 404 for /ok until the file is there.
	port=$(free_port)
	mkdir "$T/www"
	program web "python3 -m http.server $port --bind 127.0.0.1 --directory $T/www" \
	    "ready = http://127.0.0.1:$port/ok" "ready_timeout = 60"
	start_procd
	wait_for 10 "a check answered 404" \
	    grep -q '"GET /ok HTTP/1.[01]" 404' "$T/web-stderr.log"
	expect_eq "$(ctl status web)" \
	    "$(status_line web STARTING "not ready yet (http://127.0.0.1:$port/ok)")" \
	    "status while the check gets 404"
	touch "$T/www/ok"
	wait_for 5 "running" is_state web RUNNING
	# http.server logs a request after answering it.
	wait_for 5 "the 200 logged" \
	    grep -q '"GET /ok HTTP/1.[01]" 200' "$T/web-stderr.log"
	log_shows 5 "success: web entered RUNNING state, process is ready (ready=http)" \
	    "not logged as ready=http"
}

test_ready_exec_runs_in_the_programs_directory() {
	# Relative paths: the check runs in directory=, with environment=.
	program e "sleep 3600" "directory = $T" "environment = FLAG=ready.flag" \
	    'ready = exec:echo try >> tries && test -e "$FLAG"'
	start_procd
	wait_for 5 "two failed checks" sh -c "[ \$(wc -l < $T/tries) -ge 2 ]"
	expect_eq "$(ctl status e)" \
	    "$(status_line e STARTING 'not ready yet (exec:echo try >> tries && test -e "$FLAG")')" \
	    "status with the check failing"
	touch "$T/ready.flag"
	wait_for 5 "running" is_state e RUNNING
	log_shows 5 "success: e entered RUNNING state, process is ready (ready=exec)" \
	    "not logged as ready=exec"
}

test_ready_timeout_exhausts_retries() {
	program slow "sh -c 'date +%%s%%N >> $T/starts; exec sleep 3600'" \
	    "ready = fd:3" "ready_timeout = 1" "startretries = 1"
	start_procd
	wait_for 10 "fatal" is_state slow FATAL
	expect_eq "$(wc -l < "$T/starts")" 2 "starts"
	ctl status slow | grep -q "FATAL     not ready after 1 s (ready_timeout)" ||
	    fail "description: $(ctl status slow)"
	log_shows 5 "gave up: slow entered FATAL state" \
	    "not logged"
	expect_eq "$(grep -c "program slow: not ready after 1 s (ready_timeout)" \
	    "$T/procd.log")" 2 "timeouts logged"
}

test_ready_rolling_restart_waits_for_notify() {
	cat >> "$CONF" <<CONF
[program:w]
command = $HELPERS/notifier -r 500
process_name = w_%(process_num)d
numprocs = 3
ready = notify
startretries = 0

CONF
	start_procd
	wait_for 10 "group running" all_running w:w_0 w:w_1 w:w_2
	wait_for 5 "start-up logged" sh -c \
	    "[ \$(grep -c 'success: w:w_[0-9] entered RUNNING' '$T/procd.log') -eq 3 ]"
	n0=$(wc -l < "$T/procd.log")
	out=$(ctl restart --rolling 'w:*')
	expect_eq "$?" 0 "exit code"
	expect_eq "$out" "$(printf 'w:w_%s: stopped\nw:w_%s: started\n' 0 0 1 1 2 2 | head -c -1)" \
	    "output"
	wait_for 5 "the rolling restart logged" sh -c \
	    "[ \$(grep -c 'success: w:w_[0-9] entered RUNNING' '$T/procd.log') -ge 6 ]"
	tail -n +$((n0 + 1)) "$T/procd.log" > "$T/rolling.log"
	# Each one is ready (READY=1) again before the next is stopped.
	seq=$(grep -E "waiting for w:w_[0-9] to stop|spawned: w:w_[0-9] |success: w:w_[0-9] entered RUNNING state, process is ready \(ready=notify\)" \
	    "$T/rolling.log" | sed -E 's/.*(waiting|spawned|success).*(w_[0-9]).*/\1 \2/' |
	    tr '\n' ',')
	expect_eq "$seq" "waiting w_0,spawned w_0,success w_0,waiting w_1,spawned w_1,success w_1,waiting w_2,spawned w_2,success w_2," \
	    "order of stops, spawns and readiness"
	for i in 0 1 2; do
		at_least 450 "w_$i: spawn to READY=1" "$(log_gap \
		    "spawned: w:w_$i " "success: w:w_$i " "$T/rolling.log")"
	done
}

test_ready_notify_abuse_costs_nothing() {
	# 2,000 datagrams, each carrying a descriptor (SCM_RIGHTS), then
	# READY=1: procd keeps none of the descriptors and stays responsive.
	program n "sh -c 'while ! [ -e $T/go ]; do sleep 0.05; done; exec $HELPERS/notifier -f -x 2000 -s done -r 0'" \
	    "ready = notify"
	start_procd
	wait_for 5 "waiting to flood" is_state n STARTING
	pid=$(procd_pid)
	# A status check's connection may still be closing: count when still.
	before=$(stable_fd_count "$pid")
	touch "$T/go"
	wait_for 20 "flood over and ready" sh -c "
	    '$PROCCTL' -s '$SOCK' status n | grep -q 'RUNNING .*, done\$'"
	wait_for 10 "2000 datagrams sent, logged" \
	    sh -c "[ \$(grep -c 'sent STATUS=flood' '$T/n-stdout.log') -eq 2000 ]"
	wait_for 10 "procd's descriptors back to $before (now $(fd_count "$pid"))" \
	    fd_count_is "$pid" "$before"
	is_state n RUNNING || fail "n: $(ctl status n)"
}

test_ready_status_text_has_no_control_characters() {
	# A tab and an escape in STATUS= must not reach a terminal or the
	# one-line-per-process status format: procd keeps the text as sent
	# and escapes it on the way out (JSON's \uNNNN, the text's \xNN).
	esc=$(printf '\033')
	program n "$HELPERS/notifier -s 'a	b${esc}[31mc' -r 0" "ready = notify"
	start_procd
	wait_for 5 "running" is_state n RUNNING
	expect_eq "$(json_field n status_text)" '"a\tb\u001b[31mc"' "status_text"
	ctl status n | grep -qF ', a\x09b\x1b[31mc' || fail "status: $(ctl status n | od -c | head -3)"
}
