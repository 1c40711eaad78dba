# procctl -s http:// (issue 14): procctl's own protocol through the
# gateway's POST /procd/ctl, so that its output and exit codes over
# [inet_http_server] are those of the unix socket; the login refused or
# missing, a server that is not procd and a closed port each told as
# such; [supervisorctl] serverurl=http:// in a config; the route beside
# XML-RPC on the same port.

SCTL=/usr/bin/supervisorctl

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# hc_conf PASSWORD_LINE: [inet_http_server] on a free port ($PORT) for
# admin, two programs: web, and talk, which says a line when $T/go appears
# and another on SIGUSR1.
hc_conf() {
	PORT=$(free_port)
	URL=http://127.0.0.1:$PORT
	cat >> "$CONF" <<CONF
[inet_http_server]
port = 127.0.0.1:$PORT
username = admin
$1

CONF
	program web "sh -c 'echo web says hi; exec sleep 3600'" "startsecs = 0"
	program talk "sh -c 'trap \"echo got usr1\" USR1; echo talk ready; \
while :; do if [ -e $T/go ]; then rm -f $T/go; echo after go; fi; \
sleep 0.05; done'" "startsecs = 0"
	start_procd
	wait_for 5 "web running" is_state web RUNNING
	wait_for 5 "talk running" is_state talk RUNNING
}

hctl() {
	"$PROCCTL" -s "$URL" -u admin -p s3cret "$@"
}

# Do procctl over HTTP and over the socket print the same, with the same
# exit code?  (Retried by wait_for: an uptime may tick between the two.)
same_answer() {
	a=$(hctl "$@" 2>&1; echo "rc=$?")
	b=$(ctl "$@" 2>&1; echo "rc=$?")
	[ "$a" = "$b" ] || { echo "http: $a"; echo "unix: $b"; return 1; }
}

test_procctl_http_status_json_control_tail_signal() {
	hc_conf "password = {SHA}$(printf s3cret | sha1sum | cut -d' ' -f1)"
	wait_for 5 "status over HTTP as over the socket" same_answer status
	hctl status | grep -q "^web  *RUNNING   pid $(pid_of web)," ||
	    fail "status: $(hctl status 2>&1)"
	wait_for 5 "--json status the same" same_answer --json status
	wait_for 5 "status NAME the same" same_answer status web talk
	same_answer status nosuch || fail "unknown name differs"
	expect_eq "$(hctl stop web)" "web: stopped" "stop"
	is_state web STOPPED || fail "the socket does not see web stopped"
	expect_eq "$(hctl start web)" "web: started" "start"
	is_state web RUNNING || fail "the socket does not see web running"
	old=$(pid_of web)
	expect_eq "$(hctl restart web | tr '\n' ' ')" \
	    "web: stopped web: started " "restart"
	[ "$(pid_of web)" != "$old" ] || fail "restart kept the pid"
	is_state web RUNNING || fail "not running after restart"
	hctl wait web --timeout 10 >/dev/null || fail "wait over HTTP"
	expect_eq "$(hctl pid web)" "$(pid_of web)" "pid NAME"
	wait_for 5 "web's line logged" grep -q "web says hi" "$T/web-stdout.log"
	hctl tail web | grep -q "web says hi" || fail "tail: $(hctl tail web)"
	wait_for 5 "tail the same" same_answer tail web
	expect_eq "$(hctl signal USR1 talk)" "talk: signalled" "signal"
	wait_for 5 "talk got SIGUSR1" sh -c \
	    "'$PROCCTL' -s '$SOCK' tail talk | grep -q 'got usr1'"
	hctl maintail | grep -q "INFO" || fail "maintail"
	# reexec stays with whoever is on the host.
	out=$(hctl reexec 2>&1)
	rc=$?
	expect_eq "$rc" 1 "reexec over HTTP"
	echo "$out" | grep -q "reexec is not served over HTTP" ||
	    fail "reexec: $out"
	# The real supervisorctl on the same port: XML-RPC is untouched.
	"$SCTL" -s "$URL" -u admin -p s3cret status web 2>&1 |
	    grep -q "^web  *RUNNING" || fail "supervisorctl on the same port"
}

test_procctl_http_tail_f_streams_and_lets_go() {
	hc_conf "password = s3cret"
	base=$(stable_fd_count "$(procd_pid)")
	"$PROCCTL" -s "$URL" -u admin -p s3cret tail -f talk > "$T/tailf.out" \
	    2>&1 &
	client=$!
	wait_for 5 "tail -f started" grep -q "talk ready" "$T/tailf.out"
	touch "$T/go"
	wait_for 5 "a line written after tail -f began, streamed" \
	    grep -q "after go" "$T/tailf.out"
	alive "$client" || fail "tail -f ended by itself"
	[ "$(fd_count "$(procd_pid)")" -gt "$base" ] ||
	    fail "no channel held while following"
	kill "$client"
	wait "$client" 2>/dev/null
	wait_for 5 "procd's descriptors back to $base" \
	    fd_count_is "$(procd_pid)" "$base"
}

test_procctl_http_refused_login_and_unreachable_servers() {
	hc_conf "password = s3cret"
	# Wrong password, no credentials: exit 2, said, nothing done.
	out=$("$PROCCTL" -s "$URL" -u admin -p wrong stop web 2>&1)
	rc=$?
	expect_eq "$rc" 2 "wrong password"
	echo "$out" | grep -q "^procctl: $URL: Server requires authentication" ||
	    fail "wrong password: $out"
	out=$("$PROCCTL" -s "$URL" stop web 2>&1)
	rc=$?
	expect_eq "$rc" 2 "no credentials"
	echo "$out" | grep -q "Server requires authentication" ||
	    fail "no credentials: $out"
	is_state web RUNNING || fail "a refused login stopped web"
	# Credentials in the URL serve; they are never shown.
	out=$("$PROCCTL" -s "http://admin:s3cret@127.0.0.1:$PORT" status web)
	echo "$out" | grep -q "^web  *RUNNING" || fail "URL login: $out"
	out=$("$PROCCTL" -s "http://admin:nope@127.0.0.1:$PORT" status 2>&1)
	echo "$out" | grep -q nope && fail "password shown: $out"
	# A web server that is not procd.
	other=$(free_port)
	(cd "$T" && exec timeout 60 python3 -m http.server --bind 127.0.0.1 \
	    "$other" >/dev/null 2>&1) &
	web=$!
	wait_for 10 "python's http.server up" python3 -c "
import socket; socket.create_connection(('127.0.0.1', $other), 1)"
	out=$("$PROCCTL" -s "http://127.0.0.1:$other" status 2>&1)
	rc=$?
	expect_eq "$rc" 4 "status on a server that is not procd"
	expect_eq "$out" "procctl: the server at http://127.0.0.1:$other is \
not procd (or an older one): use supervisorctl" "not procd"
	"$PROCCTL" -s "http://127.0.0.1:$other" stop web >/dev/null 2>&1
	expect_eq "$?" 7 "stop on a server that is not procd"
	kill "$web"
	wait "$web" 2>/dev/null
	# A closed port: as an absent unix socket (status 4, other 7).
	closed=$(free_port)
	out=$("$PROCCTL" -s "http://127.0.0.1:$closed" status 2>&1)
	rc=$?
	expect_eq "$rc" 4 "status on a closed port"
	expect_eq "$out" "procctl: cannot reach procd at \
http://127.0.0.1:$closed: Connection refused" "closed port"
	"$PROCCTL" -s "http://127.0.0.1:$closed" stop web >/dev/null 2>&1
	expect_eq "$?" 7 "stop on a closed port"
	out=$("$PROCCTL" -s "$T/none.sock" status 2>&1)
	expect_eq "$?" 4 "status on an absent socket (the same code)"
	# https:// is refused, with what to do instead.
	out=$("$PROCCTL" -s "https://127.0.0.1:$PORT" status 2>&1)
	rc=$?
	expect_eq "$rc" 4 "https"
	echo "$out" | grep -q "https:// is not supported: use http:// on a" ||
	    fail "https: $out"
}

test_procctl_http_route_refuses_what_is_not_one_request() {
	hc_conf "password = s3cret"
	python3 - "$PORT" <<'PY' || fail "the route's refusals"
import base64, http.client, struct, sys
port = int(sys.argv[1])
auth = {"Authorization": "Basic " + base64.b64encode(b"admin:s3cret").decode()}

def frame(t, payload, version=1):
    return struct.pack(">IHBBI", len(payload), t, version, 0, 1) + payload

def ask(method, body=None, headers=auth):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request(method, "/procd/ctl", body, headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, r.getheader("Content-Type"), data

req = frame(1, b"status\0web\0")
st, ty, data = ask("POST", req)
assert st == 200 and ty == "application/x-procd-frames", (st, ty)
assert data[-13:-1] == frame(4, b"\0")[:12] and data[-1] == 0, data
assert ask("POST", req, {})[0] == 401
for method in ("GET", "HEAD", "PUT"):
    assert ask(method)[0] == 405, method
for body, want, why in (
        (b"", 400, b"less than a frame header"),
        (req + req, 400, b"more than one frame"),
        (req[:-3], 400, b"cut short"),
        (frame(2, b"x"), 400, b"not a REQUEST"),
        (frame(1, b"x", 9), 400, b"bad frame"),
        (frame(1, b"status"), 400, b"bad request"),
        (frame(1, b"reexec\0"), 403, b"reexec is not served over HTTP"),
        (frame(1, b"x\ny\0"), 403, b"that command is not served"),
        (b"\0" * (12 + 65536 + 1), 413, b"at most")):
    st, ty, data = ask("POST", body)
    assert st == want and why in data and data.count(b"\n") == 1, \
        (body[:20], st, data)
PY
	is_state web RUNNING || fail "web disturbed"
	ctl status web >/dev/null || fail "procd disturbed"
}

test_procctl_http_serverurl_from_the_config() {
	hc_conf "password = s3cret"
	cat > "$T/ctl.ini" <<CONF
[supervisorctl]
serverurl = http://127.0.0.1:$PORT
username = admin
password = s3cret
CONF
	out=$(PROCD_SOCKET= "$PROCCTL" -c "$T/ctl.ini" status web)
	echo "$out" | grep -q "^web  *RUNNING   pid $(pid_of web)," ||
	    fail "status by the config's serverurl: $out"
	# -p on the command line wins over the config's password.
	PROCD_SOCKET= "$PROCCTL" -c "$T/ctl.ini" -u admin -p wrong status \
	    >/dev/null 2>&1
	expect_eq "$?" 2 "-p over the config's password"
	# A config that also names a unix socket uses the socket.
	printf '[unix_http_server]\nfile = %s\n' "$SOCK" >> "$T/ctl.ini"
	sed -i "s/^password = .*/password = wrong/" "$T/ctl.ini"
	PROCD_SOCKET= "$PROCCTL" -c "$T/ctl.ini" status web >/dev/null ||
	    fail "the unix socket was not used first"
}

test_procctl_http_cut_stream_ends_the_client() {
	hc_conf "password = s3cret"
	"$PROCCTL" -s "$URL" -u admin -p s3cret tail -f talk > "$T/tailf.out" \
	    2> "$T/tailf.err" &
	client=$!
	wait_for 5 "tail -f started" grep -q "talk ready" "$T/tailf.out"
	# procd goes away mid-stream (its channel fails, and the gateway
	# follows procd): the response ends without END, and procctl says so
	# and exits as for a daemon it cannot reach.
	ctl shutdown >/dev/null || fail "shutdown"
	wait_for 10 "the client ended" gone "$client"
	wait "$client"
	expect_eq "$?" 7 "exit code of a cut tail -f"
	grep -q "procd closed the connection before answering" \
	    "$T/tailf.err" || fail "cut stream: $(cat "$T/tailf.err")"
}
