# health= (issue 15, "health that acts"; supervisor #584, superlance's
# httpok): periodic liveness checks of RUNNING programs, tcp:, http:// and
# exec:, with health_interval, health_timeout and health_retries; after
# health_retries failures in a row the program is restarted, the reason
# logged; status and --json show the last result.  No check anywhere: no
# timer, no wake-up.

# free_port: a TCP port nothing listens on now.
free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# health_field NAME FIELD: a field of NAME's "health" object, as JSON.
health_field() {
	ctl --json status "$1" | python3 -c '
import json, sys
print(json.dumps(json.load(sys.stdin)[0]["health"][sys.argv[1]]))' "$2"
}

last_ok_is() {
	[ "$(health_field "$1" last_ok)" = "$2" ]
}

restarts() {
	json_field "$1" restarts
}

at_least_restarts() {
	[ "$(restarts "$1")" -ge "$2" ]
}

checks_at_least() {
	[ "$(health_field "$1" checks)" -ge "$2" ]
}

# A tiny HTTP server: /healthz answers 200, or 500 while FLAG exists.
write_server() {
	cat > "$T/srv.py" <<'PY'
import http.server, os, sys
port, flag = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        bad = os.path.exists(flag) or self.path != "/healthz"
        self.send_response(500 if bad else 200)
        self.end_headers()
        self.wfile.write(b"sick\n" if bad else b"ok\n")
    def log_message(self, *a):
        pass
print("listening", flush=True)
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
PY
}

test_health_http_500_restarts() {
	port=$(free_port)
	write_server
	program web "python3 $T/srv.py $port $T/sick" "startsecs = 0" \
	    "ready = tcp:127.0.0.1:$port" \
	    "health = http://127.0.0.1:$port/healthz" \
	    "health_interval = 1" "health_timeout = 2" "health_retries = 2"
	start_procd
	wait_for 10 "three passing checks" checks_at_least web 3
	expect_eq "$(restarts web)" 0 "restarts while healthy"
	expect_eq "$(health_field web last_ok)" true "last_ok"
	expect_eq "$(health_field web last_result)" '"HTTP status 200"' \
	    "last_result"
	expect_eq "$(health_field web check)" \
	    "\"http://127.0.0.1:$port/healthz\"" "check"
	ctl status web | grep -q "RUNNING   pid [0-9]*, uptime [0-9:]*, health ok$" ||
	    fail "status: $(ctl status web)"
	pid=$(pid_of web)
	touch "$T/sick"
	wait_for 10 "a failing check" grep -q \
	    "program web: health check failed (1 of 2 in a row): HTTP status 500" \
	    "$T/procd.log"
	# Seen as 1 of 2 -- or, on a slow machine, already past it.
	wait_for 5 "1/2 shown, or restarted" sh -c "
	    '$PROCCTL' -s '$SOCK' status web |
		grep -q 'health failing 1/2: HTTP status 500' ||
	    '$PROCCTL' -s '$SOCK' --json status web | grep -q '\"restarts\":[1-9]'"
	wait_for 10 "restarted" at_least_restarts web 1
	rm -f "$T/sick"
	log_shows 5 "program web: health check failed 2 times in a row: HTTP status 500: restarting it" \
	    "reason not logged"
	gone "$pid" || fail "old instance $pid still there"
	wait_for 10 "healthy again" last_ok_is web true
	is_state web RUNNING || fail "web: $(ctl status web)"
}

test_health_passing_does_nothing() {
	program calm "sleep 3600" "startsecs = 0" "health = exec:true" \
	    "health_interval = 1"
	start_procd
	pid=$(pid_of calm)
	wait_for 10 "three passing checks" checks_at_least calm 3
	expect_eq "$(pid_of calm)" "$pid" "pid"
	expect_eq "$(restarts calm)" 0 "restarts"
	expect_eq "$(health_field calm failures)" 0 "failures"
	grep -q "health check failed" "$T/procd.log" && fail "a failure logged"
	return 0
}

test_health_tcp_refused_restarts() {
	port=$(free_port)
	program deaf "sleep 3600" "startsecs = 0" \
	    "health = tcp:127.0.0.1:$port" "health_interval = 1" \
	    "health_retries = 2"
	start_procd
	wait_for 10 "restarted" at_least_restarts deaf 1
	log_shows 5 "program deaf: health check failed 2 times in a row: connect to 127.0.0.1:$port: Connection refused: restarting it" \
	    "reason: $(grep health "$T/procd.log")"
	# Counted as a restart, through the normal path: EXITED, then spawned.
	# (It goes on restarting: the two counts are read until they meet.)
	wait_for 5 "one spawn per restart, plus the first" sh -c "
	    [ \$(grep -c 'spawned: deaf ' '$T/procd.log') -eq \$((\$('$PROCCTL' -s '$SOCK' --json status deaf |
	        python3 -c 'import json, sys; print(json.load(sys.stdin)[0][\"restarts\"])') + 1)) ]"
	log_shows 5 "waiting for deaf to stop" "not stopped"
}

test_health_exec_hang_killed_at_timeout() {
	# The check records its pid, then hangs; it runs in directory=.
	mkdir "$T/d"
	program hang "sleep 3600" "startsecs = 0" "directory = $T/d" \
	    'health = exec:pwd > where; echo $$ >> pids; exec sleep 3600' \
	    "health_interval = 1" "health_timeout = 1" "health_retries = 100"
	start_procd
	wait_for 10 "a check killed" grep -q \
	    "program hang: health check failed (1 of 100 in a row): check command still running after 1 s (health_timeout): killed" \
	    "$T/procd.log"
	wait_for 5 "the check's directory" grep -qx "$T/d" "$T/d/where"
	first=$(head -1 "$T/d/pids")
	wait_for 5 "the hung check gone (no zombie)" gone "$first"
	wait_for 10 "a second check killed" sh -c \
	    "[ \$(wc -l < '$T/d/pids') -ge 2 ]"
	expect_eq "$(restarts hang)" 0 "restarts"
	# No zombie among procd's children (a check is killed every ~2 s:
	# one may be between its kill and its reap, so this is waited for).
	wait_for 5 "no zombie among procd's children" no_zombie_kids
}

no_zombie_kids() {
	for k in $(cat /proc/"$(procd_pid)"/task/*/children); do
		grep -q '^State:.*Z' /proc/"$k"/status 2>/dev/null && return 1
	done
	return 0
}

test_health_exec_runs_as_the_programs_user() {
	[ "$(id -u)" = 0 ] || skip "needs root to switch users"
	id nobody >/dev/null 2>&1 || skip "no user nobody"
	chmod 0711 "$T"
	mkdir "$T/d" && chmod 0777 "$T/d"
	program n "sleep 3600" "startsecs = 0" "user = nobody" \
	    "directory = $T/d" "health = exec:id -un > who" \
	    "health_interval = 1"
	start_procd
	# Each check truncates the file first: waited for, not read once.
	wait_for 10 "a check ran as nobody" grep -qx nobody "$T/d/who"
}

test_health_not_http_is_escaped() {
	# Something that answers, but not HTTP, with an ESC in it: the
	# reason is logged escaped.
	port=$(free_port)
	cat > "$T/junk.py" <<'PY'
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5)
while True:
    c, _ = s.accept(); c.recv(1024); c.sendall(b"\x1b[31mEVIL 200\r\n"); c.close()
PY
	program junk "python3 $T/junk.py $port" "startsecs = 0" \
	    "ready = tcp:127.0.0.1:$port" \
	    "health = http://127.0.0.1:$port/" "health_interval = 1" \
	    "health_retries = 100"
	start_procd
	wait_for 10 "a failed check" grep -q "health check failed" \
	    "$T/procd.log"
	log_shows 5 'not an HTTP response: "\\x1b\[31mEVIL 200"' \
	    "reason: $(grep 'health check' "$T/procd.log" | head -2)"
	grep -q "$(printf '\033')" "$T/procd.log" && fail "raw ESC in the log"
	return 0
}

# Context switches of PID so far.
ctxt() {
	awk '/ctxt_switches/ { n += $2 } END { print n }' "/proc/$1/status"
}

test_health_no_timers_without_checks() {
	skip_under_valgrind "counts wake-ups"
	program a "sleep 3600" "startsecs = 0"
	program b "sleep 3600" "startsecs = 0" "ready = exec:true"
	start_procd
	wait_for 10 "running" all_running a b
	pid=$(procd_pid)
	QUIET_SEEN=0
	wait_for 10 "procd idle" quiet "$pid" 10
	c0=$(ctxt "$pid")
	# A window, not a wait for an outcome: nothing may happen in it.
	sleep 3
	c1=$(ctxt "$pid")
	expect_eq "$c1" "$c0" "procd's context switches over 3 s idle"
}

test_health_timer_only_while_running() {
	# The same with a check: procd wakes up for it; stopped: no more.
	skip_under_valgrind "counts wake-ups"
	program c "sleep 3600" "startsecs = 0" "health = exec:true" \
	    "health_interval = 1"
	start_procd
	wait_for 10 "a check" checks_at_least c 1
	pid=$(procd_pid)
	c0=$(ctxt "$pid")
	wait_for 10 "more checks" checks_at_least c 3
	[ "$(ctxt "$pid")" -gt "$c0" ] || fail "no wake-ups with a check"
	ctl stop c >/dev/null
	QUIET_SEEN=0
	wait_for 10 "procd idle" quiet "$pid" 10
	c0=$(ctxt "$pid")
	sleep 2		# a window in which nothing may happen
	expect_eq "$(ctxt "$pid")" "$c0" "context switches with c stopped"
}

test_health_config_errors() {
	program a "sleep 1" "health = https://x/"
	program b "sleep 1" "health = http://127.0.0.1:99999/"
	program c "sleep 1" "health = ping"
	program d "sleep 1" "health_interval = 0" "health = tcp:127.0.0.1:1"
	program e "sleep 1" "health_retries = 2"
	out=$("$PROCD" check -c "$CONF" 2>&1)
	expect_eq "$?" 2 "procd check's exit status"
	for want in \
	    'program:a\] health: "https://x/": https is not supported' \
	    'program:b\] health: "http://127.0.0.1:99999/" is not http://HOST\[:PORT\]\[/PATH\]' \
	    'program:c\] health: "ping" is not a health check' \
	    'program:d\] health_interval: "0" is out of range (1 to 86400)' \
	    'warning: \[program:e\] health_retries: does nothing without health='
	do
		echo "$out" | grep -q "$want" || fail "no '$want' in: $out"
	done
}

test_health_http_silent_server_times_out() {
	# Accepts, reads, never answers: the check fails at health_timeout.
	port=$(free_port)
	cat > "$T/mute.py" <<'PY'
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5)
held = []
while True:
    c, _ = s.accept(); held.append(c)
PY
	program mute "python3 $T/mute.py $port" "startsecs = 0" \
	    "ready = tcp:127.0.0.1:$port" \
	    "health = http://127.0.0.1:$port/healthz" "health_interval = 1" \
	    "health_timeout = 1" "health_retries = 2"
	start_procd
	wait_for 15 "restarted" at_least_restarts mute 1
	log_shows 5 "program mute: health check failed 2 times in a row: no answer from 127.0.0.1:$port within 1 s (health_timeout): restarting it" \
	    "reason: $(grep 'health' "$T/procd.log" | head -3)"
	# Each check took its full timeout: about 1 s after the one before
	# ended (interval 1) -- never sooner.
	d=$(log_gap "health check failed (1 of 2" "health check failed 2 times")
	[ "$d" -ge 1900 ] || fail "second failure after only $d ms"
}

no_health() {
	[ "$(json_field "$1" health)" = null ]
}

test_health_update_applies_live() {
	# An update adds a check to a running program, then takes it away:
	# the program keeps its pid, checks start and stop.
	program calm "sleep 3600" "startsecs = 0"
	# A witness whose checks count procd's seconds, untouched by the
	# updates: the window below is measured in its checks.
	program witness "sleep 3601" "startsecs = 0" \
	    "health = exec:true" "health_interval = 1"
	start_procd
	wait_for 10 "running" is_state calm RUNNING
	pid=$(pid_of calm)
	expect_eq "$(json_field calm health)" null "health before"
	sed -i 's/^command = sleep 3600$/&\nhealth = exec:echo x >> '"$(echo "$T" | sed 's/[\/&]/\\&/g')"'\/runs\nhealth_interval = 1/' "$CONF"
	ctl update >/dev/null || fail "update"
	wait_for 10 "two checks" checks_at_least calm 2
	expect_eq "$(pid_of calm)" "$pid" "pid after adding the check"
	# calm's two lines (the witness keeps its own).
	sed -i '/^health = exec:echo/,+1d' "$CONF"
	ctl update >/dev/null || fail "update"
	wait_for 5 "no health" no_health calm
	# A check already under way may still finish: one interval later,
	# none can be.
	k=$(health_field witness checks)
	wait_for 10 "an interval" checks_at_least witness $((k + 1))
	n=$(wc -l < "$T/runs")
	expect_eq "$(pid_of calm)" "$pid" "pid after removing the check"
	# A window in which no check may run any more: two more intervals.
	k=$(health_field witness checks)
	wait_for 10 "two intervals" checks_at_least witness $((k + 2))
	expect_eq "$(wc -l < "$T/runs")" "$n" "checks after removing it"
}
