# The web dashboard (issue 17 section 1) in a real browser: Debian's
# chromium and chromium-driver driven by python3-selenium
# (dash_browser.py), behind basic auth on [inet_http_server]; and the
# same checks a browser makes, by hand: the CSRF refusals, the page
# without JavaScript, escaping of what a config names.

DASHPY=/usr/bin/python3

dash_needs_browser() {
	[ -x /usr/bin/chromium ] || skip "chromium is not installed"
	[ -x /usr/bin/chromedriver ] || skip "chromium-driver is not installed"
	"$DASHPY" -c 'import selenium' 2>/dev/null ||
	    skip "python3-selenium is not installed"
}

dash_port() {
	"$DASHPY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# dash_conf: [inet_http_server] with credentials, and three programs.
dash_conf() {
	PORT=$(dash_port)
	URL="http://127.0.0.1:$PORT/"
	cat >> "$CONF" <<CONF
[inet_http_server]
port = 127.0.0.1:$PORT
username = admin
password = s3cret

CONF
	program web "sleep 3600" "startsecs = 0"
	program other "sleep 3600" "startsecs = 0"
	program talker "sh -c 'trap \"echo poked\" USR1; echo talker is up; while :; do sleep 3600 & wait; done'" \
	    "startsecs = 0"
	start_procd
	for p in web other talker; do
		wait_for 5 "$p running" is_state "$p" RUNNING
	done
}

# gateway_crashes: how often procd saw its gateway die.  A crash under
# SAN=1 shows only here: the gateway runs with an empty environment, so
# its sanitizer report goes nowhere the test can read.
gateway_crashes() {
	grep -c 'HTTP gateway (pid [0-9]*) exited' "$T/procd.log"
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

# http METHOD PATH [curl args...]: the status code, the body in $T/body.
http() {
	m=$1 path=$2
	shift 2
	curl -s -o "$T/body" -w '%{http_code}' -X "$m" -u admin:s3cret \
	    "$@" "http://127.0.0.1:$PORT$path"
}

dash_token() {
	http GET / >/dev/null
	sed -n 's/.*name="procd-token" content="\([0-9a-f]*\)".*/\1/p' \
	    "$T/body"
}

test_dashboard_in_a_real_browser() {
	dash_needs_browser
	dash_conf
	T="$T" "$DASHPY" "$ROOT/tests/integration/dash_browser.py" "$URL" \
	    admin s3cret "$PROCCTL" "$SOCK" "$(procd_pid)" ||
	    fail "the browser test failed (above)"
	alive "$(procd_pid)" || fail "procd died"
	log_shows 5 "HTTP gateway (pid [0-9]*) exited" "the gateway's death logged"
	expect_eq "$(gateway_crashes)" 1 "gateway deaths (the one kill -9)"
}

test_dashboard_post_needs_token_and_same_origin() {
	command -v curl >/dev/null || skip "curl is not installed"
	dash_conf
	tok=$(dash_token)
	[ ${#tok} -eq 32 ] || fail "no token in the page: '$tok'"
	expect_eq "$(http POST /dash/act/stop/web)" 403 "no token"
	expect_eq "$(http POST /dash/act/stop/web -H 'X-Procd-Token: 0123')" \
	    403 "a wrong token"
	expect_eq "$(http POST /dash/act/stop/web -H "X-Procd-Token: $tok" \
	    -H 'Origin: http://evil.example')" 403 "a foreign Origin"
	expect_eq "$(http POST /dash/act/stop/web -H "X-Procd-Token: $tok" \
	    -H 'Sec-Fetch-Site: cross-site')" 403 "Sec-Fetch-Site cross-site"
	expect_eq "$(curl -s -o /dev/null -w '%{http_code}' -X POST \
	    -H "X-Procd-Token: $tok" "${URL}dash/act/stop/web")" 401 \
	    "no credentials"
	expect_eq "$(http GET /dash/act/stop/web)" 405 "GET of an action"
	is_state web RUNNING || fail "a refused POST stopped web"
	expect_eq "$(http POST /dash/act/stop/web -H "X-Procd-Token: $tok" \
	    -H "Origin: http://127.0.0.1:$PORT" -H 'Sec-Fetch-Site: same-origin')" \
	    200 "the page's own POST"
	grep -q '"ok":true' "$T/body" || fail "reply: $(cat "$T/body")"
	is_state web STOPPED || fail "web not stopped"
	expect_eq "$(http POST /dash/act/start/nosuch -H "X-Procd-Token: $tok")" \
	    200 "an unknown name"
	grep -q '"ok":false' "$T/body" || fail "reply: $(cat "$T/body")"
	expect_eq "$(http POST /dash/act/kill/web -H "X-Procd-Token: $tok")" \
	    404 "an unknown action"
	expect_eq "$(http POST /dash/act/stop/-x -H "X-Procd-Token: $tok")" \
	    404 "an option as the name"
	expect_eq "$(gateway_crashes)" 0 "gateway deaths"
}

test_dashboard_page_reads_without_javascript_and_escapes_names() {
	command -v curl >/dev/null || skip "curl is not installed"
	cat >> "$CONF" <<CONF
[group:g<i>]
programs = x

CONF
	program x "sleep 3600" "startsecs = 0" "autostart = false"
	dash_conf
	expect_eq "$(http GET /)" 200 "the page"
	grep -q 'data-name="web" data-group="web" data-state="RUNNING"' \
	    "$T/body" || fail "web's row: $(grep -n web "$T/body")"
	grep -q 'data-name="g&lt;i&gt;:x".*data-state="STOPPED"' "$T/body" ||
	    fail "the group's row is not escaped: $(grep -n 'g.i' "$T/body")"
	! grep -q '<i>' "$T/body" || fail "a name became markup"
	grep -q '^<p id="summary"[^>]*>3 RUNNING, 1 STOPPED</p>' "$T/body" ||
	    fail "summary: $(grep summary "$T/body")"
	curl -s -D "$T/hdr" -o /dev/null -u admin:s3cret "$URL"
	grep -qi "^Content-Security-Policy: default-src 'none'" "$T/hdr" ||
	    fail "no CSP: $(cat "$T/hdr")"
	grep -qi '^X-Frame-Options: DENY' "$T/hdr" || fail "framable"
	expect_eq "$(http GET /dash/dash.js)" 200 "the script"
	expect_eq "$(http GET /dash/dash.css)" 200 "the style"
	expect_eq "$(http GET /dash/nosuch)" 404 "an unknown file"
	expect_eq "$(curl -s -o /dev/null -w '%{http_code}' -I -m 5 \
	    -u admin:s3cret "${URL}dash/events")" 405 "HEAD of the stream"
	expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "$URL")" 401 \
	    "no credentials"
	# The control socket serves the same page (its peer check instead
	# of a password here).
	expect_eq "$(curl -s -o "$T/body" -w '%{http_code}' \
	    --unix-socket "$SOCK" http://localhost/)" 200 "the page on the socket"
	grep -q 'data-name="web"' "$T/body" || fail "no web on the socket's page"
	expect_eq "$(gateway_crashes)" 0 "gateway deaths"
}

# Two streams: each starts with a snapshot, then carries the change
# (and only it); a stream open with nothing changing sends nothing.
test_dashboard_stream_sends_snapshot_then_changes() {
	command -v curl >/dev/null || skip "curl is not installed"
	dash_conf
	curl -sN -u admin:s3cret "${URL}dash/events" > "$T/s1" &
	c1=$!
	curl -sN -u admin:s3cret "${URL}dash/events" > "$T/s2" &
	c2=$!
	wait_for 5 "two snapshots" sh -c "grep -q '^event: snapshot' '$T/s1' &&
	    grep -q '^event: snapshot' '$T/s2'"
	n1=$(wc -c < "$T/s1")
	# Two streams open, nothing changing: the gateway sleeps (no
	# heartbeat, no poll loop).
	g=$(gateway_pid) || fail "no gateway process"
	wait_for 20 "the gateway idle with two streams open" quiet "$g" 100
	expect_eq "$(wc -c < "$T/s1")" "$n1" "bytes sent while nothing changed"
	ctl stop other >/dev/null
	wait_for 5 "other STOPPED on both streams" sh -c "
	    grep -q '\"name\":\"other\",\"group\":\"other\",\"state\":\"STOPPED\"' '$T/s1' &&
	    grep -q '\"name\":\"other\",\"group\":\"other\",\"state\":\"STOPPED\"' '$T/s2'"
	kill "$c1" "$c2"
	grep -c '^event: snapshot' "$T/s1" | grep -qx 1 || fail "two snapshots"
	tail -c +$((n1 + 1)) "$T/s1" | grep -q '"name":"web"' &&
	    fail "an unchanged program was sent again"
	expect_eq "$(gateway_crashes)" 0 "gateway deaths"
}

# A burst bigger than one request to procd (300 programs stopped at once):
# every change reaches the stream, none is lost between batches.
test_dashboard_stream_keeps_every_change_of_a_burst() {
	command -v curl >/dev/null || skip "curl is not installed"
	i=0
	while [ $i -lt 300 ]; do
		program "p$i" "sleep 3600" "startsecs = 0"
		i=$((i + 1))
	done
	dash_conf
	wait_for 30 "all RUNNING" sh -c "'$PROCCTL' -s '$SOCK' status >/dev/null"
	curl -sN -u admin:s3cret "${URL}dash/events" > "$T/s" &
	c=$!
	wait_for 5 "the snapshot" grep -q '^event: snapshot' "$T/s"
	ctl stop all >/dev/null
	# The last row the stream gave for each program says STOPPED.
	last_states() {
		"$DASHPY" - "$T/s" <<'PY'
import json, sys
last = {}
ev = None
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("event: "):
        ev = line[7:]
    elif line.startswith("data: ") and ev in ("snapshot", "rows"):
        d = json.loads(line[6:])
        for r in d["rows"] if ev == "snapshot" else d:
            last[r["name"]] = r["state"]
bad = [n for n, s in last.items() if s != "STOPPED"]
print(len(last), len(bad))
sys.exit(0 if len(last) == 303 and not bad else 1)
PY
	}
	wait_for 30 "every program STOPPED on the stream" last_states
	kill "$c"
	expect_eq "$(gateway_crashes)" 0 "gateway deaths"
}

# At most DASHHUB_SUBS_MAX (32) streams: the next browser is told 503 (its
# page tries again later), the gateway and procd carry on.
test_dashboard_streams_are_bounded() {
	command -v curl >/dev/null || skip "curl is not installed"
	dash_conf
	pids=
	i=0
	while [ $i -lt 32 ]; do
		curl -sN -u admin:s3cret "${URL}dash/events" > "$T/s$i" &
		pids="$pids $!"
		i=$((i + 1))
	done
	all_snapped() {
		[ "$(grep -l '^event: snapshot' "$T"/s[0-9]* | wc -l)" -eq 32 ]
	}
	wait_for 20 "32 streams with their snapshot" all_snapped
	expect_eq "$(curl -s -o "$T/body" -w '%{http_code}' -m 5 \
	    -u admin:s3cret "${URL}dash/events")" 503 "the 33rd stream"
	expect_eq "$(http GET /)" 200 "the page meanwhile"
	kill $pids
	wait_for 10 "a stream again" sh -c "curl -sN -m $((2 * SLOW)) -u admin:s3cret \
	    '${URL}dash/events' | grep -q '^event: snapshot'"
	expect_eq "$(gateway_crashes)" 0 "gateway deaths"
}

# Without a password, only a request for an address is answered: a web
# site whose name was made to point at 127.0.0.1 (DNS rebinding) is
# same-origin for the browser, but not for the dashboard.
test_dashboard_without_password_refuses_names() {
	command -v curl >/dev/null || skip "curl is not installed"
	PORT=$(dash_port)
	cat >> "$CONF" <<CONF
[inet_http_server]
port = 127.0.0.1:$PORT

CONF
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "web running" is_state web RUNNING
	u="http://127.0.0.1:$PORT"
	expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "$u/")" 200 \
	    "the page for 127.0.0.1"
	expect_eq "$(curl -s -o /dev/null -w '%{http_code}' \
	    -H "Host: localhost:$PORT" "$u/")" 200 "the page for localhost"
	expect_eq "$(curl -s -o "$T/body" -w '%{http_code}' \
	    -H "Host: rebound.example:$PORT" "$u/")" 403 "the page for a name"
	grep -q 'username and password' "$T/body" || fail "$(cat "$T/body")"
	tok=$(curl -s "$u/" | sed -n \
	    's/.*name="procd-token" content="\([0-9a-f]*\)".*/\1/p')
	expect_eq "$(curl -s -o /dev/null -w '%{http_code}' -X POST \
	    -H "Host: rebound.example:$PORT" \
	    -H "Origin: http://rebound.example:$PORT" \
	    -H "X-Procd-Token: $tok" "$u/dash/act/stop/web")" 403 \
	    "a rebound POST with the token"
	is_state web RUNNING || fail "web was stopped"
	expect_eq "$(curl -s -o /dev/null -w '%{http_code}' -X POST \
	    -H "X-Procd-Token: $tok" "$u/dash/act/stop/web")" 200 \
	    "a POST for the address"
	is_state web STOPPED || fail "web not stopped"
}
