# procctl status: supervisorctl's format, LSB exit codes, JSON.

test_status_format_and_codes() {
	program web "sleep 3600" "startsecs = 0"
	program idle "sleep 3600" "autostart = false"
	start_procd
	wait_for 5 "web running" is_state web RUNNING
	line=$(ctl status web)
	expect_eq "$?" 0 "status of a running process"
	pid=$(pid_of web)
	echo "$line" | grep -Eq "^web {30}RUNNING   pid $pid, uptime 0:00:0[0-9]$" ||
	    fail "bad line: '$line'"
	line=$(ctl status idle)
	expect_eq "$?" 3 "status of a stopped process"
	expect_eq "$line" "$(printf '%-33s%-10s%s' idle STOPPED 'Not started')" \
	    "stopped line"
	ctl status >/dev/null
	expect_eq "$?" 3 "status all with one stopped"
	out=$(ctl status nosuch)
	expect_eq "$?" 4 "unknown name"
	expect_eq "$out" "nosuch: ERROR (no such process)" "unknown line"
}

test_status_unreachable_is_4() {
	"$PROCCTL" -s "$T/nothing.sock" status 2>/dev/null
	expect_eq "$?" 4 "status without procd"
	"$PROCCTL" -s "$T/nothing.sock" start x 2>/dev/null
	expect_eq "$?" 7 "action without procd"
}

test_status_json() {
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "web running" is_state web RUNNING
	out=$("$PROCCTL" -s "$SOCK" --json status)
	echo "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d, list) and len(d) == 1, d
p = d[0]
for k in ("name", "group", "state", "pid", "uptime", "exitstatus",
          "restarts", "description"):
    assert k in p, k
assert p["name"] == "web" and p["state"] == "RUNNING" and p["pid"] > 0, p
' || fail "bad json: $out"
}

test_socket_mode_0600() {
	program web "sleep 3600"
	start_procd
	expect_eq "$(stat -c %a "$SOCK")" 600 "socket mode"
}

test_procctl_finds_socket_from_config() {
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "web running" is_state web RUNNING
	"$PROCCTL" -c "$CONF" status web >/dev/null ||
	    fail "procctl -c did not find the socket"
	PROCD_SOCKET="$SOCK" "$PROCCTL" status web >/dev/null ||
	    fail "PROCD_SOCKET not used"
}

test_watch_streams_state_changes() {
	program web "sleep 3600" "startsecs = 0" "autostart = false"
	start_procd
	"$PROCCTL" -s "$SOCK" watch > "$T/watch.txt" &
	w1=$!
	"$PROCCTL" -s "$SOCK" --json watch > "$T/watch.json" &
	w2=$!
	# Both watchers are registered once a no-op request round-trips.
	wait_for 5 "watchers connected" sh -c "ls -l /proc/$(procd_pid)/fd | grep -c socket | awk '\$1 >= 3 {exit 0} {exit 1}'"
	ctl start web >/dev/null
	ctl stop web >/dev/null
	wait_for 5 "text events" grep -q "web RUNNING -> STOPPING" "$T/watch.txt"
	grep -q "web STOPPED -> STARTING (pid [0-9]*)" "$T/watch.txt" ||
	    fail "text: $(cat "$T/watch.txt")"
	wait_for 5 "json events" grep -q '"to":"STOPPED"' "$T/watch.json"
	python3 -c '
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
seq = [(e["from"], e["to"]) for e in evs]
assert ("STOPPED", "STARTING") in seq and ("STARTING", "RUNNING") in seq, seq
assert all(e["name"] == "web" for e in evs), evs' "$T/watch.json" ||
	    fail "json: $(cat "$T/watch.json")"
	kill "$w1" "$w2"
	wait_for 5 "still answering" ctl pid
}

test_json_read_commands_schema() {
	program web "sleep 3600" "startsecs = 0"
	program idle "sleep 3600" "autostart = false"
	start_procd
	wait_for 5 "running" is_state web RUNNING
	j() { "$PROCCTL" -s "$SOCK" --json "$@"; }
	j pid | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["pid"] > 1, d' ||
	    fail "pid --json: $(j pid)"
	j pid web nosuch | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d[0]["name"] == "web" and d[0]["pid"] > 0, d
assert d[1] == {"name": "nosuch", "error": "no such process"}, d' ||
	    fail "pid NAME --json: $(j pid web nosuch)"
	j avail | python3 -c '
import json, sys
d = {e["name"]: e for e in json.load(sys.stdin)}
assert d["web"]["in_use"] and d["web"]["autostart"] and d["web"]["priority"] == 999, d
assert d["idle"]["autostart"] is False, d' || fail "avail --json: $(j avail)"
	sed -i 's/^command = sleep 3600$/command = sleep 3601/' "$CONF"
	j reread | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert {(e["name"], e["change"], e["keys"]) for e in d} == {
    ("web", "restart", "command"), ("idle", "restart", "command")}, d' ||
	    fail "reread --json: $(j reread)"
}

test_status_colour_only_on_a_tty() {
	command -v script >/dev/null || skip "no script(1)"
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "running" is_state web RUNNING
	out=$(script -qec "'$PROCCTL' -s '$SOCK' status web" /dev/null)
	echo "$out" | grep -q "$(printf '\033\\[32mRUNNING\033\\[0m')" ||
	    fail "no colour on a tty: $out"
	out=$(NO_COLOR=1 script -qec "'$PROCCTL' -s '$SOCK' status web" /dev/null)
	echo "$out" | grep -q "$(printf '\033')" && fail "colour despite NO_COLOR"
	ctl status web | grep -q "$(printf '\033')" && fail "colour into a pipe"
	true
}
