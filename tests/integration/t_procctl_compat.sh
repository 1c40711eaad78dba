# procctl as supervisorctl: its options, its command lines, its exit
# codes; procctl's own options before or after the command; wait,
# add/remove, the config search, and a broken config that must not lock
# the operator out.  Where the real supervisorctl (Debian's supervisor) is
# installed, it is the reference: both are run and compared.

REAL_SCTL=/usr/bin/supervisorctl

# sctl ARGS...: procctl under the name supervisorctl.
sctl() {
	"$T/supervisorctl" "$@"
}

compat_setup() {
	ln -s "$PROCCTL" "$T/supervisorctl" || fail "symlink"
}

# expect_out_rc EXPECTED_RC EXPECTED_OUTPUT WHAT COMMAND...: stdout and
# stderr together, and the exit code.
expect_out_rc() {
	want_rc=$1 want=$2 what=$3
	shift 3
	got=$("$@" 2>&1 </dev/null)
	rc=$?
	expect_eq "$rc" "$want_rc" "$what: exit code"
	expect_eq "$got" "$want" "$what: output"
}

test_supervisorctl_name_takes_its_options() {
	compat_setup
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "web running" is_state web RUNNING
	# -c: the socket from the config; --configuration=
	sctl -c "$CONF" status web >/dev/null || fail "-c FILE status"
	sctl --configuration="$CONF" status web >/dev/null ||
	    fail "--configuration=FILE"
	# -s takes URLs only, as supervisorctl's does
	sctl -s "unix://$SOCK" status web >/dev/null || fail "-s unix://"
	sctl --serverurl "unix://$SOCK" status web >/dev/null ||
	    fail "--serverurl"
	expect_out_rc 2 "Error: invalid value for -s '$SOCK': value '$SOCK' is not a URL
For help, use $T/supervisorctl -h" "-s PATH" sctl -s "$SOCK" status
	# http:// is procd's [inet_http_server] (t_procctl_http.sh); a closed
	# port is told in supervisorctl's words.
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	expect_out_rc 4 "http://127.0.0.1:$port refused connection" \
	    "-s http:// status" sctl -s "http://127.0.0.1:$port" status
	# -u/-p: accepted, warned about on a unix socket
	out=$(sctl -u bob -p secret -s "unix://$SOCK" status web 2>&1 >/dev/null)
	expect_eq "$?" 0 "-u -p"
	echo "$out" | grep -q "warning: -u/-p are not used" ||
	    fail "-u/-p warning: $out"
	out=$(sctl --username=bob --password=x -s "unix://$SOCK" status web \
	    2>/dev/null)
	expect_eq "$?" 0 "--username --password"
	# -r: accepted without a word
	out=$(sctl -r "$T/hist" -s "unix://$SOCK" status web 2>&1)
	expect_eq "$?" 0 "-r"
	echo "$out" | grep -q warning && fail "-r warned: $out"
	sctl --history-file="$T/hist" -s "unix://$SOCK" status web >/dev/null ||
	    fail "--history-file"
	# -v/--version, -h/--help
	expect_out_rc 0 "$("$PROCCTL" --version | sed 's/^procctl //')" "-v" \
	    sctl -v
	sctl --version >/dev/null || fail "--version"
	sctl -h | grep -q '^Usage: supervisorctl \[options\] \[action' ||
	    fail "-h"
	sctl --help >/dev/null || fail "--help"
	# -i: the shell; status first, then a prompt per line
	out=$(printf 'status web\nhelp wait\nquit\n' |
	    sctl -i -s "unix://$SOCK")
	expect_eq "$?" 0 "-i"
	expect_eq "$(echo "$out" | grep -c '^supervisor> ')" 3 "prompts: $out"
	echo "$out" | grep -q '^supervisor> web  *RUNNING' ||
	    fail "shell status: $out"
	# no action: the shell too (as supervisorctl), until EOF
	out=$(printf 'status web\n' | sctl -s "unix://$SOCK")
	expect_eq "$?" 0 "no action"
	echo "$out" | grep -q '^supervisor> web  *RUNNING' ||
	    fail "shell without -i: $out"
	# bad options: Python getopt's words, exit 2
	expect_out_rc 2 "Error: option -x not recognized
For help, use $T/supervisorctl -h" "-x" sctl -x
	expect_out_rc 2 "Error: could not find config file $T/nosuch
For help, use $T/supervisorctl -h" "-c missing" sctl -c "$T/nosuch" status
	expect_out_rc 2 "Error: option -c requires argument
For help, use $T/supervisorctl -h" "-c" sctl -c
	expect_out_rc 2 "Error: option --json not recognized
For help, use $T/supervisorctl -h" "--json is procctl's" sctl --json
}

test_procctl_options_before_or_after_command() {
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "web running" is_state web RUNNING
	"$PROCCTL" status web -s "$SOCK" >/dev/null || fail "-s after"
	"$PROCCTL" status -s "unix://$SOCK" web >/dev/null ||
	    fail "-s unix:// in the middle"
	out=$("$PROCCTL" status --json -s "$SOCK")
	echo "$out" | python3 -c 'import json,sys; json.load(sys.stdin)' ||
	    fail "--json after: $out"
	"$PROCCTL" status web -c "$CONF" >/dev/null || fail "-c after"
	"$PROCCTL" --socket="$SOCK" status web >/dev/null || fail "--socket="
	# the command's own options stay the command's
	"$PROCCTL" -s "$SOCK" tail -f web >/dev/null 2>&1 &
	tpid=$!
	wait_for 5 "tail -f following" alive "$tpid"
	kill "$tpid"
	# words re-joined and split again, as supervisorctl does
	old=$(pid_of web)
	out=$("$PROCCTL" -s "$SOCK" "signal TERM" web)
	expect_eq "$out" "web: signalled" "\"signal TERM\" web"
	wait_for 5 "web restarted" sh -c "[ \"\$($PROCCTL -s $SOCK pid web)\" != $old ] && [ \"\$($PROCCTL -s $SOCK pid web)\" != 0 ]"
	out=$("$PROCCTL" -s "$SOCK" "status   web")
	expect_eq "$?" 0 "\"status   web\""
	# -v, --version, -h, help, help TOPIC
	"$PROCCTL" -v | grep -q '^procctl ' || fail "-v"
	"$PROCCTL" -h | grep -q '^usage: procctl' || fail "-h"
	"$PROCCTL" help | grep -q '^default commands (type help <topic>):' ||
	    fail "help"
	"$PROCCTL" help wait | grep -q 'RUNNING' || fail "help wait"
	"$PROCCTL" wait -h | grep -q 'RUNNING' || fail "wait -h"
	expect_out_rc 0 "*** No help on nosuch" "help nosuch" \
	    "$PROCCTL" help nosuch
	out=$(printf 'status web\n' | "$PROCCTL" -i -s "$SOCK")
	echo "$out" | grep -q '^procctl> web  *RUNNING' || fail "-i: $out"
}

# Answered by procctl itself: the socket named does not exist.
test_errors_found_without_a_daemon() {
	compat_setup
	S="$T/none.sock"
	for c in "$PROCCTL" "$T/supervisorctl"; do
		expect_out_rc 1 "*** Unknown syntax: foo bar" "unknown" \
		    "$c" -s "unix://$S" foo bar
		out=$("$c" -s "unix://$S" start 2>&1 | head -1)
		expect_eq "$out" "Error: start requires a process name" "start"
		"$c" -s "unix://$S" start >/dev/null 2>&1
		expect_eq "$?" 2 "start without a name"
		for cmd in stop restart clear "signal HUP" tail "avail x" \
		    "reread x" "reload x" "shutdown x" "version x"; do
			out=$("$c" -s "unix://$S" $cmd 2>&1)
			expect_eq "$?" 1 "$cmd"
			echo "$out" | grep -q "no such file\|cannot reach" &&
			    fail "$cmd contacted procd: $out"
		done
		expect_out_rc 0 "" "add" "$c" -s "unix://$S" add
		expect_out_rc 0 "" "remove" "$c" -s "unix://$S" remove
	done
	# the message goes where supervisorctl puts it (stdout) under its
	# name; procctl keeps stdout for answers
	out=$(sctl -s "unix://$S" stop 2>/dev/null | head -1)
	expect_eq "$out" "Error: stop requires a process name" "stop's stream"
	out=$("$PROCCTL" -s "unix://$S" stop 2>&1 >/dev/null | head -1)
	expect_eq "$out" "Error: stop requires a process name" "procctl stream"
	# unreachable: supervisorctl's words and codes
	expect_out_rc 4 "unix://$S no such file" "status" \
	    sctl -s "unix://$S" status
	expect_out_rc 7 "unix://$S no such file" "start x" \
	    sctl -s "unix://$S" start x
}

# The real supervisorctl, where installed, prints the same for the cases
# that need no daemon.
test_real_supervisorctl_agrees_offline() {
	[ -x "$REAL_SCTL" ] || skip "no $REAL_SCTL (Debian's supervisor)"
	compat_setup
	ln -s "$PROCCTL" "$T/bin-supervisorctl" 2>/dev/null
	mkdir -p "$T/b" && ln -s "$PROCCTL" "$T/b/supervisorctl"
	S="$T/none.sock"
	for args in "-x" "--bogus" "-c" "--configuration" \
	    "-c $T/nosuch status" "-s $S status" "-s foo status" \
	    "-c a -c b status" "--interactive=1" \
	    "-s unix://$S foo bar" "-s unix://$S help nosuch" \
	    "-s unix://$S status" "-s unix://$S start x" \
	    "-s unix://$S stop x" "-s unix://$S quit"; do
		want=$(cd "$T" && "$REAL_SCTL" $args 2>&1 </dev/null)
		want_rc=$?
		got=$(cd "$T" && "$T/b/supervisorctl" $args 2>&1 </dev/null)
		got_rc=$?
		want=$(echo "$want" | sed "s|$REAL_SCTL|SCTL|")
		got=$(echo "$got" | sed "s|$T/b/supervisorctl|SCTL|")
		expect_eq "$got_rc" "$want_rc" "supervisorctl $args: exit code"
		expect_eq "$got" "$want" "supervisorctl $args: output"
	done
}

# ... and against a real supervisord, for the argument errors it checks
# only once it has reached the daemon.
test_real_supervisorctl_agrees_online() {
	[ -x "$REAL_SCTL" ] && command -v supervisord >/dev/null ||
	    skip "no supervisord/supervisorctl (Debian's supervisor)"
	[ "$(id -u)" = 0 ] || skip "supervisord's test config is root's"
	compat_setup
	cat > "$T/sv.conf" <<EOF
[unix_http_server]
file=$T/sv.sock
[supervisord]
pidfile=$T/sv.pid
logfile=$T/sv.log
nodaemon=false
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://$T/sv.sock
[program:web]
command=sleep 3600
autostart=false
EOF
	trap 'kill $(cat "$T/sv.pid" 2>/dev/null) 2>/dev/null; teardown' EXIT
	supervisord -c "$T/sv.conf" || fail "supervisord"
	wait_for 10 "supervisord answers" "$REAL_SCTL" -c "$T/sv.conf" pid
	program web "sleep 3600" "autostart = false"
	start_procd
	for args in "start" "stop" "restart" "signal" "signal HUP" "clear" \
	    "tail" "avail x" "reread x" "version x" "add" "remove" \
	    "add nosuch" "remove nosuch" "status nosuch" "start nosuch" \
	    "pid nosuch"; do
		want=$("$REAL_SCTL" -c "$T/sv.conf" $args 2>&1 </dev/null)
		want_rc=$?
		got=$(sctl -s "unix://$SOCK" $args 2>&1 </dev/null)
		got_rc=$?
		expect_eq "$got_rc" "$want_rc" "supervisorctl $args: exit code"
		# the first line: the help texts after it are procctl's own
		expect_eq "$(echo "$got" | head -1)" \
		    "$(echo "$want" | head -1)" "supervisorctl $args: output"
	done
	kill "$(cat "$T/sv.pid")"
	wait_for 10 "supervisord gone" sh -c "! kill -0 $(cat "$T/sv.pid")"
}

test_broken_config_does_not_lock_out() {
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "web running" is_state web RUNNING
	# an error far below the socket setting
	i=0
	while [ $i -lt 40 ]; do
		program "p$i" "sleep 3600" "autostart = false"
		i=$((i + 1))
	done
	program broken "sleep 3600" "startsecs = soon"
	line=$(grep -n 'startsecs = soon' "$CONF" | cut -d: -f1)
	[ "$line" -gt 150 ] || fail "the error is at line $line only"
	out=$("$PROCCTL" -c "$CONF" status web 2>"$T/err")
	expect_eq "$?" 0 "status with a broken config"
	echo "$out" | grep -q '^web  *RUNNING' || fail "status: $out"
	grep -q "^procctl: warning: $CONF:$line: " "$T/err" ||
	    fail "no FILE:LINE warning: $(cat "$T/err")"
	# the same through [unix_http_server] file= and under supervisorctl
	compat_setup
	sed -i "s|^socket = .*||" "$CONF"
	sed -i "1i [unix_http_server]\nfile = $SOCK\n" "$CONF"
	out=$(sctl -c "$CONF" status web 2>"$T/err")
	expect_eq "$?" 0 "supervisorctl with a broken config"
	grep -q "$CONF:$((line + 3)): " "$T/err" ||
	    fail "no FILE:LINE warning: $(cat "$T/err")"
}

test_config_search_finds_supervisord_conf() {
	[ ! -e /etc/procd.ini ] && [ ! -e /etc/procd/procd.ini ] ||
	    skip "a procd config in /etc comes first"
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "web running" is_state web RUNNING
	mkdir -p "$T/cwd" "$T/cwd2/etc" "$T/inst/bin" "$T/inst/etc"
	printf '[unix_http_server]\nfile = %s\n' "$SOCK" \
	    > "$T/cwd/supervisord.conf"
	out=$(cd "$T/cwd" && env -u PROCD_CONFIG -u PROCD_SOCKET \
	    "$PROCCTL" status web)
	expect_eq "$?" 0 "./supervisord.conf"
	printf '[supervisorctl]\nserverurl = unix://%s\n' "$SOCK" \
	    > "$T/cwd2/etc/supervisord.conf"
	(cd "$T/cwd2" && env -u PROCD_CONFIG -u PROCD_SOCKET \
	    "$PROCCTL" status web >/dev/null) || fail "./etc/supervisord.conf"
	# EXE/../etc/supervisord.conf, from anywhere
	cp "$PROCCTL" "$T/inst/bin/procctl"
	printf '[supervisord]\nsocket = %s\n' "$SOCK" \
	    > "$T/inst/etc/supervisord.conf"
	(cd / && env -u PROCD_CONFIG -u PROCD_SOCKET \
	    "$T/inst/bin/procctl" status web >/dev/null) ||
	    fail "EXE/../etc/supervisord.conf"
	# procd's own name comes first
	printf '[procd]\nsocket = %s/other.sock\n' "$T" > "$T/cwd/procd.ini"
	(cd "$T/cwd" && env -u PROCD_CONFIG -u PROCD_SOCKET \
	    "$PROCCTL" status web >/dev/null 2>&1)
	expect_eq "$?" 4 "./procd.ini before ./supervisord.conf"
}

test_wait_running_fatal_timeout() {
	program web "sleep 3600" "startsecs = 1"
	program bad "false" "startsecs = 1" "startretries = 0"
	program idle "sleep 3600" "autostart = false"
	start_procd
	ctl wait --timeout 20 web
	expect_eq "$?" 0 "wait web"
	expect_eq "$(state_of web)" RUNNING "web after wait"
	out=$(ctl wait bad)
	expect_eq "$?" 1 "wait for a FATAL one"
	echo "$out" | grep -q '^bad: FATAL' || fail "FATAL reason: $out"
	out=$(ctl wait --timeout 1 idle)
	expect_eq "$?" 3 "wait times out"
	expect_eq "$out" "idle: not RUNNING after 1 s (STOPPED: Not started)" \
	    "timeout reason"
	out=$(ctl wait --timeout=0.5 web idle)
	expect_eq "$?" 3 "wait times out (--timeout=)"
	echo "$out" | grep -q '^web' && fail "a RUNNING one named: $out"
	out=$(ctl wait nosuch 2>&1)
	expect_eq "$?" 4 "wait for an unknown name"
	expect_eq "$out" "nosuch: ERROR (no such process)" "unknown line"
	ctl wait --timeout x web 2>/dev/null
	expect_eq "$?" 2 "bad --timeout"
	# no name: every autostart process (bad is FATAL)
	ctl wait --timeout 5 >/dev/null
	expect_eq "$?" 1 "wait for all autostart ones"
	# a start while waiting: answered as the process gets there
	"$PROCCTL" -s "$SOCK" wait --timeout 20 idle > "$T/out" &
	wpid=$!
	ctl start idle >/dev/null
	wait "$wpid"
	expect_eq "$?" 0 "wait answered by a start"
	# unreachable: as status
	"$PROCCTL" -s "$T/none.sock" wait 2>/dev/null
	expect_eq "$?" 4 "wait without procd"
}

# RUNNING is ready: a process up but not ready is still waited for, and
# the timeout says what it waits for.
test_wait_means_ready() {
	program mute "sleep 3600" "ready = fd:3" "ready_timeout = 0"
	start_procd
	wait_for 5 "mute started" is_state mute STARTING
	out=$(ctl wait --timeout 1 mute)
	expect_eq "$?" 3 "wait for a process that is not ready"
	expect_eq "$out" "mute: not RUNNING after 1 s (STARTING: not ready yet (fd:3))" \
	    "reason"
	# Removed while waited for: the wait has to be in procd first (its
	# connection held open; procctl sends the request as it connects).
	pid=$(procd_pid)
	base=$(stable_fd_count "$pid")
	"$PROCCTL" -s "$SOCK" wait --timeout 0 mute >/dev/null &
	wpid=$!
	wait_for 5 "the wait's connection" sh -c \
	    "[ \$(ls /proc/$pid/fd | wc -l) -gt $base ]"
	ctl stop mute >/dev/null
	ctl remove mute >/dev/null
	wait "$wpid"
	expect_eq "$?" 1 "wait for a removed process"
}

test_add_remove() {
	compat_setup
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "web running" is_state web RUNNING
	program extra "sleep 3600" "startsecs = 0"
	expect_out_rc 0 "extra: added process group" "add" ctl add extra
	wait_for 5 "extra running" is_state extra RUNNING
	expect_out_rc 0 "ERROR: process group already active" "add again" \
	    ctl add extra
	expect_out_rc 1 "ERROR: no such process/group: nosuch" "add nosuch" \
	    ctl add nosuch
	expect_out_rc 1 "ERROR: process/group still running: extra" \
	    "remove running" ctl remove extra
	ctl stop extra >/dev/null
	expect_out_rc 0 "extra: removed process group" "remove" \
	    sctl -s "unix://$SOCK" remove extra
	ctl status extra >/dev/null
	expect_eq "$?" 4 "status after remove"
	expect_out_rc 1 "ERROR: no such process/group: extra" "remove again" \
	    ctl remove extra
	# still in the file: add brings it back
	expect_out_rc 0 "extra: added process group" "add after remove" \
	    ctl add extra
	wait_for 5 "extra running again" is_state extra RUNNING
}

# One command table: what `help` lists is in procctl(1) and completed.
test_help_man_and_completion_agree() {
	names=$("$PROCCTL" help | sed -n '/^=/,$p' | sed 1d | tr -s ' ' '\n' |
	    grep .)
	[ "$(echo "$names" | wc -l)" -ge 20 ] || fail "help lists: $names"
	comp=$(sed -n '/^_procctl_commands="/,/"$/p' \
	    "$ROOT/conf/procctl.bash-completion")
	for n in $names; do
		grep -q "^\.It Cm $n\b" "$ROOT/man/procctl.1" ||
		    grep -q "^\.It Cm [a-z]* , Cm $n\$" "$ROOT/man/procctl.1" ||
		    fail "$n is not in procctl(1)"
		"$PROCCTL" help "$n" | grep -q . || fail "no help for $n"
		case $n in quit|exit) continue ;; esac
		echo "$comp" | grep -qw "$n" || fail "$n is not completed"
	done
}
