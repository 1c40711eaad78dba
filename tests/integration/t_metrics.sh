# Watching procd from a fleet (issue 17 §2): /metrics in Prometheus's
# text format, parsed by Prometheus's own Python parser and checked
# against procctl --json; /healthz and /readyz for Kubernetes probes;
# the same basic auth as XML-RPC on [inet_http_server].

# Debian's python3-prometheus-client is a test dependency; its Python is
# the system one.
MPY=/usr/bin/python3

m_needs() {
	"$MPY" -c 'import prometheus_client.parser' 2>/dev/null ||
	    skip "Debian's python3-prometheus-client is not installed"
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# m_conf PORT: [inet_http_server] with credentials u/p on PORT.
m_conf() {
	cat >> "$CONF" <<CONF
[inet_http_server]
port = 127.0.0.1:$1
username = u
password = p

CONF
}

# http [-u] WHERE PATH: "STATUS" then the body, over the unix socket
# (WHERE = unix) or TCP (WHERE = HOST:PORT, with -u: credentials u/p).
http() {
	auth=
	if [ "$1" = -u ]; then auth=1; shift; fi
	"$MPY" - "$SOCK" "$1" "$2" "$auth" <<'PY'
import base64, http.client, os, socket, sys
sock, where, path, auth = sys.argv[1:5]
if where == "unix":
    c = http.client.HTTPConnection("localhost", timeout=30)
    c.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.sock.settimeout(30)
    c.sock.connect(sock)
else:
    host, port = where.rsplit(":", 1)
    c = http.client.HTTPConnection(host, int(port), timeout=30)
h = {"Authorization": "Basic " + base64.b64encode(b"u:p").decode()} \
    if auth else {}
c.request(os.environ.get("METHOD", "GET"), path, headers=h)
r = c.getresponse()
print(r.status)
sys.stdout.write(r.read().decode())
PY
}

http_status() {
	http "$@" | head -1
}

test_metrics_match_procctl_over_the_socket_and_inet_http_server() {
	m_needs
	port=$(free_port)
	m_conf "$port"
	program web "sleep 3600" "startsecs = 0"
	program crashy "sleep 3600" "startsecs = 0"
	program idle "sleep 3600" "autostart = false"
	program bad "$T/nonexistent" "startretries = 0"
	program job "true" "startsecs = 0" "autorestart = false"
	program dies "sleep 3600" "startsecs = 0" "autorestart = false"
	program grp "sleep 3600" "startsecs = 0" "numprocs = 2" \
	    "process_name = %(program_name)s_%(process_num)d"
	start_procd
	wait_for 10 "web, crashy and grp up, bad FATAL, job EXITED" \
	    all_running web crashy dies grp:grp_0 grp:grp_1
	wait_for 10 "bad FATAL" is_state bad FATAL
	wait_for 10 "job EXITED" is_state job EXITED
	# dies is killed and stays down (autorestart = false): its signal.
	kill -KILL "$(pid_of dies)"
	wait_for 10 "dies EXITED" is_state dies EXITED
	# crashy crashes once and is restarted: a restart.
	old=$(pid_of crashy)
	kill -KILL "$old"
	wait_for 10 "crashy restarted" sh -c \
	    "[ \"\$('$PROCCTL' -s '$SOCK' pid crashy)\" != $old ] &&
	     '$PROCCTL' -s '$SOCK' status crashy | grep -q RUNNING"
	expect_eq "$(json_field crashy restarts)" 1 "crashy's restarts"
	out=$("$MPY" "$ROOT/tests/integration/metrics_check.py" "$PROCCTL" \
	    "$SOCK" unix 2>&1) || fail "over the socket: $out"
	echo "$out"
	out=$("$MPY" "$ROOT/tests/integration/metrics_check.py" "$PROCCTL" \
	    "$SOCK" "127.0.0.1:$port" u p 2>&1) || fail "over TCP: $out"
	echo "$out"
	# The figures themselves, as a reader of the dashboard would see.
	body=$(http -u "127.0.0.1:$port" /metrics)
	for line in \
	    'procd_process_state{name="bad",group="bad",state="FATAL"} 1' \
	    'procd_process_restarts_total{name="crashy",group="crashy"} 1' \
	    'procd_process_last_exit_signal{name="dies",group="dies"} 9' \
	    'procd_process_state{name="dies",group="dies",state="EXITED"} 1' \
	    'procd_process_last_exit_status{name="job",group="job"} 0' \
	    'procd_process_state{name="idle",group="idle",state="STOPPED"} 1' \
	    'procd_process_up{name="grp_1",group="grp"} 1'; do
		echo "$body" | grep -qxF "$line" || fail "missing: $line"
	done
}

test_every_endpoint_needs_the_credentials_on_inet_http_server() {
	m_needs
	port=$(free_port)
	m_conf "$port"
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 10 "web up" is_state web RUNNING
	for p in /metrics /healthz /readyz; do
		expect_eq "$(http_status "127.0.0.1:$port" $p)" 401 "$p unauthenticated"
		expect_eq "$(http_status -u "127.0.0.1:$port" $p)" 200 "$p"
	done
	# Unknown paths stay 404, and these are GET/HEAD only.
	expect_eq "$(http_status -u "127.0.0.1:$port" /metricsx)" 404 "/metricsx"
	code=$(METHOD=POST http_status -u "127.0.0.1:$port" /metrics)
	expect_eq "$code" 405 "POST /metrics"
}

test_readyz_lists_what_is_not_ready_then_passes() {
	m_needs
	program web "sleep 3600" "startsecs = 0"
	program db "sleep 3600" "ready = exec:test -e $T/dbflag"
	program app "sleep 3600" "depends_on = db" "startsecs = 0"
	program flaky "sh -c 'test -e $T/flag && exec sleep 3600; exit 1'" \
	    "startsecs = 1" "startretries = 0"
	program job "true" "startsecs = 0" "autorestart = false"
	program off "sleep 3600" "autostart = false"
	start_procd
	wait_for 10 "flaky FATAL" is_state flaky FATAL
	wait_for 10 "job EXITED" is_state job EXITED
	wait_for 10 "web up" is_state web RUNNING
	out=$(http unix /readyz)
	# Not ready: app waits for db, db for its ready= check, flaky is
	# FATAL.  web runs, job is a one-shot that did its work, off is not
	# meant to run: none of them is listed.
	expect_eq "$(echo "$out" | sed -n 1p)" 503 "readyz status"
	expect_eq "$(echo "$out" | sed -n 2p)" "app: STARTING, waiting for db" \
	    "app's line"
	expect_eq "$(echo "$out" | sed -n 3p)" \
	    "db: STARTING, not ready yet (exec:test -e $T/dbflag)" "db's line"
	echo "$out" | sed -n 4p | grep -q "^flaky: FATAL (" ||
	    fail "flaky's line: $out"
	expect_eq "$(echo "$out" | wc -l)" 4 "lines: $out"
	expect_eq "$(http_status unix /healthz)" 200 "healthz while not ready"
	# What is missing: db's check passes, flaky can start now.
	touch "$T/dbflag" "$T/flag"
	ctl start flaky >/dev/null
	wait_for 15 "readyz answers 200" readyz_ok
	expect_eq "$(http unix /readyz | tr '\n' ' ')" "200 ok " "readyz body"
	# An operator's stop takes a program out of what should run.
	ctl stop web >/dev/null
	expect_eq "$(http_status unix /readyz)" 200 "readyz with web stopped"
	ctl start web >/dev/null
	expect_eq "$(http_status unix /readyz)" 200 "readyz with web back"
}

healthz_ok() {
	[ "$(http_status -u "127.0.0.1:$PORT" /healthz)" = 200 ]
}

readyz_ok() {
	[ "$(http_status unix /readyz)" = 200 ]
}

test_healthz_fails_when_procd_does_not_answer() {
	m_needs
	skip_under_valgrind "timing"
	port=$(free_port)
	m_conf "$port"
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 10 "web up" is_state web RUNNING
	expect_eq "$(http -u "127.0.0.1:$port" /healthz | tr '\n' ' ')" \
	    "200 ok " "healthz"
	# A procd that hangs: the gateway gives it HTTPOBS_ASK_SECS (10 s),
	# then says so, instead of holding the prober forever.
	pid=$(procd_pid)
	kill -STOP "$pid"
	a=$(now_ms)
	out=$(http -u "127.0.0.1:$port" /healthz | tr '\n' ' ')
	took=$(( $(now_ms) - a ))
	kill -CONT "$pid"
	expect_eq "$out" "503 procd did not answer " "healthz of a stopped procd"
	[ "$took" -lt 15000 ] || fail "healthz took $took ms"
	PORT=$port wait_for 10 "healthz 200 again" healthz_ok
}

# json_self FIELD: a field of procd's own figures (procctl --json pid).
json_self() {
	ctl --json pid | python3 -c '
import json, sys
print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

test_event_counters_count_what_listeners_acknowledge() {
	m_needs
	cat > "$T/listener.py" <<'PY'
import sys
while True:
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    header = sys.stdin.readline()
    if not header:
        break
    fields = dict(f.split(":", 1) for f in header.split())
    sys.stdin.read(int(fields["len"]))
    sys.stdout.write("RESULT 2\nOK")
    sys.stdout.flush()
PY
	cat >> "$CONF" <<CONF
[eventlistener:ack]
command = /usr/bin/python3 -u $T/listener.py
events = PROCESS_STATE
startsecs = 0

CONF
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 10 "web up" is_state web RUNNING
	# web's STARTING and RUNNING at least, acknowledged by the listener.
	wait_for 10 "two events delivered" sh -c \
	    "[ \$('$PROCCTL' -s '$SOCK' --json pid | python3 -c \
	    'import json,sys; print(json.load(sys.stdin)[\"events_delivered\"])') -ge 2 ]"
	ctl stop web >/dev/null
	wait_for 10 "web's stop delivered too" sh -c \
	    "[ \$('$PROCCTL' -s '$SOCK' --json pid | python3 -c \
	    'import json,sys; d = json.load(sys.stdin); print(d[\"events_delivered\"] - d[\"events_emitted\"])') -eq 0 ]"
	emitted=$(json_self events_emitted)
	[ "$emitted" -ge 4 ] || fail "events emitted: $emitted"
	body=$(http unix /metrics)
	echo "$body" | grep -qx "procd_events_emitted_total $emitted" ||
	    fail "emitted in /metrics: $(echo "$body" | grep events_)"
	echo "$body" | grep -qx "procd_events_delivered_total $emitted" ||
	    fail "delivered in /metrics: $(echo "$body" | grep events_)"
	echo "$body" | grep -qx "procd_events_dropped_total 0" ||
	    fail "dropped in /metrics: $(echo "$body" | grep events_)"
}

dropped_agree() {
	d=$(json_self events_dropped)
	http unix /metrics | grep -qx "procd_events_dropped_total $d"
}

test_events_a_full_pool_lets_go_are_counted_as_dropped() {
	m_needs
	# A listener that never says READY: its pool of 2 fills, and each
	# event after that pushes out the oldest.
	cat >> "$CONF" <<CONF
[eventlistener:deaf]
command = sleep 3600
events = PROCESS_STATE
buffer_size = 2
startsecs = 0

CONF
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 10 "web up" is_state web RUNNING
	ctl restart web >/dev/null
	ctl restart web >/dev/null
	wait_for 10 "events dropped" sh -c \
	    "[ \$('$PROCCTL' -s '$SOCK' --json pid | python3 -c \
	    'import json,sys; print(json.load(sys.stdin)[\"events_dropped\"])') -ge 1 ]"
	expect_eq "$(json_self events_delivered)" 0 "delivered to a deaf listener"
	# The same count in /metrics (read again should one more be let go
	# between the two questions).
	wait_for 10 "/metrics says as many dropped" dropped_agree
	log_shows 5 "pool deaf event buffer overflowed" \
	    "the overflow is not logged"
}
