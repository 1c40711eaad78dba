# supervisord's HTTP face (issue 16): Debian's supervisorctl and Python's
# XML-RPC clients against procd's control socket and [inet_http_server];
# the gateway that parses it all runs unprivileged, is restarted when it
# dies, and abusive HTTP clients cost procd nothing.

# Debian's supervisor package is a test dependency; its Python is the
# system one (a python3 earlier in PATH may not have it).
SUPY=/usr/bin/python3
SCTL=/usr/bin/supervisorctl

xr_needs() {
	[ -x "$SCTL" ] && "$SUPY" -c 'import supervisor.xmlrpc' 2>/dev/null ||
	    skip "Debian's supervisor package is not installed"
}

# xr_conf [INET_SECTION_LINES...]: supervisord's sections on top of
# setup's, two programs, and procd started.
xr_conf() {
	xr_needs
	cat >> "$CONF" <<CONF
[unix_http_server]
file = $SOCK

[supervisorctl]
serverurl = unix://$SOCK

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

CONF
	if [ $# -gt 0 ]; then
		echo "[inet_http_server]" >> "$CONF"
		for l in "$@"; do echo "$l" >> "$CONF"; done
		echo >> "$CONF"
	fi
	program web "sh -c 'echo web says hi; exec sleep 3600'" \
	    "startsecs = 0"
	program fail "false" "autostart = false" "startsecs = 1" \
	    "startretries = 0"
	start_procd
	wait_for 5 "web running" is_state web RUNNING
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

sctl() {
	"$SCTL" -c "$CONF" "$@"
}

gateway_pid() {
	for c in $(cat /proc/"$(procd_pid)"/task/*/children 2>/dev/null); do
		if tr '\0' ' ' < /proc/"$c"/cmdline 2>/dev/null |
		    grep -q __gateway; then
			echo "$c"
			return 0
		fi
	done
	return 1
}

test_supervisorctl_status_start_stop_restart_tail_over_the_socket() {
	xr_conf
	out=$(sctl status)
	rc=$?
	expect_eq "$rc" 3 "status exit (fail is STOPPED)"
	echo "$out" | grep -q "^web  *RUNNING   pid [0-9]*, uptime " ||
	    fail "status: $out"
	echo "$out" | grep -q "^fail  *STOPPED   Not started" ||
	    fail "status: $out"
	expect_eq "$(sctl stop web)" "web: stopped" "stop"
	is_state web STOPPED || fail "procctl does not see web stopped"
	expect_eq "$(sctl start web)" "web: started" "start"
	old=$(pid_of web)
	expect_eq "$(sctl restart web | tr '\n' ' ')" \
	    "web: stopped web: started " "restart"
	[ "$(pid_of web)" != "$old" ] || fail "restart kept the pid"
	expect_eq "$(sctl pid web)" "$(pid_of web)" "pid NAME"
	expect_eq "$(sctl pid)" "$(procd_pid)" "pid"
	wait_for 5 "web's line logged" grep -q "web says hi" "$T/web-stdout.log"
	sctl tail web | grep -q "web says hi" || fail "tail: $(sctl tail web)"
	expect_eq "$(sctl start nosuch)" "nosuch: ERROR (no such process)" \
	    "start of an unknown name"
	expect_eq "$(sctl stop all)" "web: stopped" "stop all"
	sctl start all >/dev/null
	is_state web RUNNING || fail "start all"
	expect_eq "$(sctl signal HUP web)" "web: signalled" "signal"
	sctl avail | grep -q "^web  *in use" || fail "avail: $(sctl avail)"
	log_shows 5 "asked: signal HUP web" "the signal logged"
	sctl maintail | grep -q "asked: signal HUP web" || fail "maintail"
	# procctl still works on the very same socket.
	ctl status web >/dev/null || fail "procctl status"
	# Requests from the gateway are logged as asked by its uid.
	log_shows 5 "control: uid 65534 pid [0-9]* asked: stop web" \
	    "no request log line"
}

test_supervisorctl_reread_update_add_remove_clear_reload_version() {
	xr_conf
	cp "$CONF" "$T/base.ini"
	program extra "sleep 3600" "startsecs = 0"
	expect_eq "$(sctl reread)" "extra: available" "reread"
	out=$(sctl update)
	expect_eq "$out" "extra: added process group" "update (added)"
	wait_for 5 "extra running" is_state extra RUNNING
	cp "$T/base.ini" "$CONF"
	out=$(sctl update | tr '\n' ' ')
	expect_eq "$out" "extra: stopped extra: removed process group " \
	    "update (removed)"
	ctl status extra >/dev/null 2>&1
	expect_eq "$?" 4 "extra is gone"
	program extra "sleep 3600" "startsecs = 0"
	expect_eq "$(sctl add extra)" "extra: added process group" "add"
	wait_for 5 "extra running" is_state extra RUNNING
	expect_eq "$(sctl add extra)" "ERROR: process group already active" \
	    "add twice"
	sctl stop extra >/dev/null
	expect_eq "$(sctl remove extra)" "extra: removed process group" \
	    "remove"
	expect_eq "$(sctl clear web)" "web: cleared" "clear"
	expect_eq "$(sctl version)" "$("$PROCD" --version | awk '{print $NF}')" \
	    "version"
	web=$(pid_of web)
	expect_eq "$(sctl reload)" "Restarted supervisord" "reload"
	wait_for 10 "web restarted" sh -c \
	    "[ \"\$(\"$PROCCTL\" -s \"$SOCK\" pid web)\" != $web ]"
	wait_for 5 "web running" is_state web RUNNING
}

test_tail_f_streams_until_the_client_goes() {
	xr_conf
	follow_then_leave "web says hi" tail -f web
	follow_then_leave "INFO" maintail -f
	# The abandoned follows took their threads and channels with them.
	g=$(gateway_pid) || fail "no gateway"
	wait_for 5 "gateway back to its idle threads" \
	    sh -c "[ \$(ls /proc/$g/task | wc -l) -le 3 ]"
	procd_fds=$(stable_fd_count "$(procd_pid)")
	follow_then_leave "web says hi" tail -f web
	wait_for 5 "procd's descriptors back" \
	    sh -c "[ \$(ls /proc/$(procd_pid)/fd | wc -l) -le $procd_fds ]"
}

# follow_then_leave TEXT ARGS...: supervisorctl ARGS (a follow) until
# TEXT comes, then the client goes away as Ctrl-C would take it.
follow_then_leave() {
	what=$1
	shift
	# (timeout: never outlive a failed test)
	timeout $((60 * SLOW)) "$SCTL" -c "$CONF" "$@" > "$T/follow.out" 2>&1 &
	fp=$!
	wait_for 5 "supervisorctl $* showing '$what'" \
	    grep -q "$what" "$T/follow.out"
	kill "$fp"
	wait "$fp" || :
}

test_xmlrpc_methods_and_faults_over_the_socket() {
	xr_conf
	out=$("$SUPY" "$ROOT/tests/integration/xmlrpc_check.py" \
	    "unix://$SOCK" 2>&1) || fail "$out"
}

test_inet_http_server_basic_auth() {
	port=$(free_port)
	# {SHA} of "s3cret", as supervisord's docs show it.
	sha=$(printf s3cret | sha1sum | cut -d' ' -f1)
	xr_conf "port = 127.0.0.1:$port" "username = admin" \
	    "password = {SHA}$sha"
	out=$("$SCTL" -s "http://127.0.0.1:$port" -u admin -p s3cret status)
	echo "$out" | grep -q "^web  *RUNNING" || fail "status: $out"
	out=$("$SCTL" -s "http://127.0.0.1:$port" -u admin -p wrong status \
	    2>&1)
	echo "$out" | grep -q "401 Unauthorized" || fail "wrong password: $out"
	out=$("$SUPY" "$ROOT/tests/integration/xmlrpc_check.py" \
	    "http://127.0.0.1:$port" admin s3cret 2>&1) || fail "$out"
	# Without credentials: 401 with a challenge, nothing else.
	"$SUPY" - "$port" <<'PY' || fail "unauthenticated request"
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
c.request("POST", "/RPC2", "<methodCall/>", {"Content-Type": "text/xml"})
r = c.getresponse()
assert r.status == 401, r.status
assert r.getheader("WWW-Authenticate", "").startswith("Basic"), r.headers
r.read()
# With them, XML-RPC is POST only; GET / answers health checks.
import base64
auth = {"Authorization": "Basic " + base64.b64encode(b"admin:s3cret").decode()}
for method, path, want in (("GET", "/RPC2", 405), ("PUT", "/RPC2", 405),
                           ("GET", "/", 200), ("GET", "/nosuch", 404),
                           ("GET", "/logtail/nosuch", 404)):
    c.request(method, path, headers=auth)
    r = c.getresponse()
    r.read()
    assert r.status == want, (method, path, r.status)
PY
}

test_inet_http_server_plain_password_and_no_auth() {
	port=$(free_port)
	xr_conf "port = :$port" "username = u" "password = p"
	out=$("$SCTL" -s "http://127.0.0.1:$port" -u u -p p stop web)
	expect_eq "$out" "web: stopped" "stop over TCP"
	is_state web STOPPED || fail "not stopped"
	# Listening beyond loopback needs a password, or a warning is logged
	# (this one has one: no warning).
	! grep -q "beyond loopback" "$T/procd.log" || fail "needless warning"
}

test_gateway_runs_unprivileged() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	xr_conf
	sctl status >/dev/null
	g=$(gateway_pid) || fail "no gateway process"
	uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' /proc/"$g"/status)
	expect_eq "$uids" "65534 65534 65534 65534" "gateway uids"
	groups=$(awk '/^Groups:/ {print $2}' /proc/"$g"/status)
	expect_eq "$groups" "" "gateway supplementary groups"
	grep -q "^NoNewPrivs:.*1" /proc/"$g"/status || fail "no_new_privs"
}

test_killed_gateway_comes_back_and_programs_are_untouched() {
	xr_conf
	sctl status >/dev/null
	g=$(gateway_pid) || fail "no gateway process"
	web=$(pid_of web)
	kill -KILL "$g"
	wait_for 5 "gateway death logged" grep -q \
	    "HTTP gateway (pid $g) exited; restarting it in 1 s" "$T/procd.log"
	wait_for 10 "supervisorctl answered again" sctl pid web
	g2=$(gateway_pid) || fail "no gateway after the restart"
	[ "$g2" != "$g" ] || fail "same gateway"
	expect_eq "$(pid_of web)" "$web" "web's pid"
	ctl status web >/dev/null || fail "procctl status"
}

test_gateway_dies_with_procd() {
	xr_conf
	sctl status >/dev/null
	g=$(gateway_pid) || fail "no gateway process"
	kill -KILL "$(procd_pid)"
	wait_for 5 "the gateway gone with procd" gone "$g"
}

# procctl status's latency (ms) while LOAD runs.
status_ms() {
	a=$(now_ms)
	ctl status web >/dev/null || return 1
	echo $(( $(now_ms) - a ))
}

test_abusive_http_clients_cost_procd_nothing() {
	skip_under_valgrind "timing"
	xr_conf
	# Slow clients hold connections, a garbage one and an oversized one
	# are refused; procd itself only ever peeks at one byte of each.
	"$SUPY" - "$SOCK" > "$T/abuse.out" 2>&1 <<'PY' &
import socket, sys, time
path = sys.argv[1]
def conn():
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.settimeout(20)
    return s
slow = [conn() for _ in range(8)]
for s in slow:
    s.send(b"POST /RPC2 HTTP/1.1\r\nHost: x\r\n")
g = conn()
g.send(b"GET \x00\xff garbage garbage\r\n\r\n")
print("garbage:", g.recv(100)[:12])
big = conn()
big.send(b"POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n")
print("big:", big.recv(100)[:12])
time.sleep(3)
PY
	abuser=$!
	worst=0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		ms=$(status_ms) || fail "procctl status failed under abuse"
		[ "$ms" -gt "$worst" ] && worst=$ms
	done
	wait "$abuser"
	grep -q "garbage: b'HTTP/1.1 400" "$T/abuse.out" ||
	    fail "garbage: $(cat "$T/abuse.out")"
	grep -q "big: b'HTTP/1.1 413" "$T/abuse.out" ||
	    fail "oversized: $(cat "$T/abuse.out")"
	[ "$worst" -lt $((500 * SLOW)) ] ||
	    fail "procctl status took ${worst} ms under HTTP abuse"
	sctl status web >/dev/null || fail "supervisorctl after the abuse"
}

test_shutdown_over_xmlrpc() {
	xr_conf
	pid=$(procd_pid)
	out=$(sctl shutdown)
	expect_eq "$out" "Shut down" "shutdown"
	wait_for 10 "procd gone" gone "$pid"
}

# procd-gateway missing beside procd (a broken install): procd still
# starts, supervises and answers procctl, says what is missing, and
# refuses HTTP clients on its socket; a config that asks for a port
# cannot have it, and procd says so instead of starting without it.
test_missing_gateway_costs_only_http() {
	xr_needs
	mkdir "$T/bin" && cp "$PROCD" "$T/bin/procd" || fail "copying procd"
	PROCD="$T/bin/procd"
	xr_conf
	log_shows 5 "HTTP gateway: $T/bin/procd-gateway: No such file or directory: HTTP clients on the control socket" \
	    "the missing gateway logged"
	ctl status web | grep -q RUNNING || fail "procctl: $(ctl status web)"
	out=$(sctl status 2>&1)
	[ $? -ne 0 ] || fail "supervisorctl answered without a gateway: $out"
	ctl status web | grep -q RUNNING || fail "procd after an HTTP client"
	ctl shutdown >/dev/null
	wait_for 10 "procd gone" sh -c "! [ -e $T/procd.pid ]"
	port=$(free_port)
	echo "[inet_http_server]" >> "$CONF"
	echo "port = 127.0.0.1:$port" >> "$CONF"
	out=$("$PROCD" start -c "$CONF" 2>&1)
	[ $? -ne 0 ] || fail "procd started without the port it was asked for"
	echo "$out" | grep -q "procd-gateway: No such file or directory" ||
	    fail "the reason: $out"
}

# A web page the operator visits cannot drive procd: a browser's POST
# (it says where it comes from: Origin, Sec-Fetch-Site) to XML-RPC or to
# procctl's route on a server without a password, from another site, or
# by a name that another site could point at 127.0.0.1 (DNS rebinding),
# is refused and changes nothing; supervisorctl, which sends neither, and
# a same-origin request by address go through.
test_cross_site_posts_cannot_act() {
	port=$(free_port)
	xr_conf "port = 127.0.0.1:$port"
	"$SUPY" - "$port" > "$T/csrf.out" 2>&1 <<'PY'
import http.client, sys
port = int(sys.argv[1])
body = (b"<?xml version='1.0'?><methodCall><methodName>"
        b"supervisor.stopProcess</methodName><params><param><value>"
        b"<string>web</string></value></param></params></methodCall>")
def post(path, headers, host="127.0.0.1:%d" % port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.putrequest("POST", path, skip_host=True)
    c.putheader("Host", host)
    c.putheader("Content-Type", "text/plain")
    c.putheader("Content-Length", str(len(body)))
    for k, v in headers.items():
        c.putheader(k, v)
    c.endheaders()
    c.send(body)
    r = c.getresponse()
    print(path, r.status, r.read().decode(errors="replace").strip())
post("/RPC2", {"Origin": "http://evil.example"})
post("/RPC2", {"Sec-Fetch-Site": "cross-site"})
post("/RPC2", {"Origin": "http://evil.example:%d" % port,
               "Sec-Fetch-Site": "same-origin"},
     host="evil.example:%d" % port)
post("/procd/ctl", {"Origin": "http://evil.example"})
PY
	[ "$(grep -c ' 403 403 Forbidden: ' "$T/csrf.out")" = 4 ] ||
	    fail "not all refused: $(cat "$T/csrf.out")"
	grep -q "DNS rebinding" "$T/csrf.out" || fail "rebinding: $(cat "$T/csrf.out")"
	is_state web RUNNING || fail "a cross-site POST changed web: $(ctl status web)"
	out=$("$SCTL" -s "http://127.0.0.1:$port" stop web)
	expect_eq "$out" "web: stopped" "supervisorctl after the refusals"
}

# wait=false, as supervisord: startProcess answers once the process is
# spawned (still STARTING: startsecs is 30), stopProcess once the stop
# signal is sent (still STOPPING: it ignores SIGTERM for its
# stopwaitsecs); the same through procctl --no-wait.
test_start_and_stop_without_waiting() {
	xr_needs
	program slow "sleep 3600" "startsecs = 30" "autostart = false"
	program deaf "$HELPERS/sigignore TERM" "startsecs = 0" \
	    "stopwaitsecs = 30"
	xr_conf
	wait_for 5 "deaf running" is_state deaf RUNNING
	wait_for 5 "deaf ignoring its signals" grep -q ready "$T/deaf-stdout.log"
	out=$("$SUPY" - "$SOCK" <<'PY'
import sys
from supervisor.xmlrpc import SupervisorTransport
import xmlrpc.client
t = SupervisorTransport(None, None, "unix://" + sys.argv[1])
s = xmlrpc.client.ServerProxy("http://127.0.0.1", transport=t).supervisor
print(s.startProcess("slow", False), s.getProcessInfo("slow")["statename"])
print(s.stopProcess("deaf", False), s.getProcessInfo("deaf")["statename"])
PY
)
	expect_eq "$out" "True STARTING
True STOPPING" "wait=false answers"
	ctl stop slow >/dev/null
	wait_for 10 "slow stopped" is_state slow STOPPED
	out=$(ctl start --no-wait slow)
	expect_eq "$out" "slow: started" "procctl start --no-wait"
	is_state slow STARTING || fail "slow: $(ctl status slow)"
}

# getProcessInfo names the log files, as supervisord does: the path
# given, AUTO's made-up name (the file procctl tail reads), "" for NONE.
test_process_info_names_the_log_files() {
	xr_needs
	program named "sh -c 'echo hello; exec sleep 3600'" "startsecs = 0" \
	    "stdout_logfile = $T/named.out" "stderr_logfile = NONE"
	program auto "sh -c 'echo hi >&2; exec sleep 3600'" "startsecs = 0" \
	    "stdout_logfile = NONE" "stderr_logfile = AUTO"
	xr_conf
	wait_for 5 "auto running" is_state auto RUNNING
	out=$("$SUPY" - "$SOCK" <<'PY'
import sys
from supervisor.xmlrpc import SupervisorTransport
import xmlrpc.client
t = SupervisorTransport(None, None, "unix://" + sys.argv[1])
s = xmlrpc.client.ServerProxy("http://127.0.0.1", transport=t).supervisor
for n in ("named", "auto"):
    i = s.getProcessInfo(n)
    print(n, repr(i["logfile"]), repr(i["stdout_logfile"]),
          repr(i["stderr_logfile"]))
PY
)
	echo "$out" | grep -qx "named '$T/named.out' '$T/named.out' ''" ||
	    fail "named: $out"
	auto=$(echo "$out" | sed -n "s/^auto '' '' '\(.*\)'\$/\1/p")
	[ -n "$auto" ] || fail "auto: $out"
	wait_for 5 "auto's stderr in the file named" grep -q hi "$auto"
}
