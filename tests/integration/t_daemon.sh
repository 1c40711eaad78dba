# Daemonizing, the pidfile lock, stale files, start-up errors, check.

test_start_detaches_and_answers_at_once() {
	program sleeper "sleep 3600"
	start_procd
	# No sleep: the socket answers as soon as `start` returns.
	ctl status >/dev/null || [ $? -eq 3 ] || fail "status right after start"
	pid=$(procd_pid)
	alive "$pid" || fail "procd not running"
	# Double fork + setsid: not a session leader, not in our session.
	sid=$(awk '{print $6}' /proc/$pid/stat)
	[ "$sid" != "$pid" ] || fail "procd is a session leader"
	[ "$sid" != "$(awk '{print $6}' /proc/$$/stat)" ] ||
	    fail "procd still in the test's session"
	expect_eq "$(readlink /proc/$pid/cwd)" / "daemon cwd"
	expect_eq "$(readlink /proc/$pid/fd/0)" /dev/null "daemon stdin"
	expect_eq "$(ctl pid)" "$pid" "procctl pid"
}

test_second_procd_refused() {
	program sleeper "sleep 3600"
	start_procd
	out=$("$PROCD" start -c "$CONF" 2>&1) && fail "second start succeeded"
	echo "$out" | grep -q "already running (pid $(procd_pid)" ||
	    fail "unclear message: $out"
}

test_stale_pidfile_and_socket_replaced() {
	program sleeper "sleep 3600"
	start_procd
	old=$(procd_pid)
	child=$(pid_of sleeper)
	kill -9 "$old"
	wait_for 5 "procd gone" gone "$old"
	[ -S "$SOCK" ] || fail "socket should be left behind by kill -9"
	kill "$child" 2>/dev/null
	start_procd
	[ "$(procd_pid)" != "$old" ] || fail "pidfile not rewritten"
	wait_for 5 "sleeper running" is_state sleeper RUNNING
}

test_live_socket_never_unlinked() {
	program sleeper "sleep 3600"
	start_procd
	# Another config, same socket, different pidfile.
	sed "s|$T/procd.pid|$T/other.pid|" "$CONF" > "$T/other.ini"
	out=$("$PROCD" start -c "$T/other.ini" 2>&1) && fail "started twice"
	echo "$out" | grep -q "busy" || fail "unclear message: $out"
	ctl status sleeper >/dev/null || fail "first procd lost its socket"
}

test_bad_config_fails_before_detaching() {
	program broken "sleep 1" "startsecs = abc"
	out=$("$PROCD" start -c "$CONF" 2>&1)
	code=$?
	expect_eq "$code" 2 "exit code"
	echo "$out" | grep -q "^$CONF:[0-9]*: error: .*startsecs" ||
	    fail "no FILE:LINE error: $out"
	[ ! -e "$T/procd.pid" ] || [ ! -s "$T/procd.pid" ] ||
	    fail "pidfile written for a bad config"
}

test_check_reports_every_error() {
	program a "sleep 1" "startsecs = abc"
	program b "sleep 1" "autorestart = maybe"
	out=$("$PROCD" check -c "$CONF" 2>&1)
	expect_eq "$?" 2 "check exit code"
	n=$(echo "$out" | grep -c ": error: ")
	expect_eq "$n" 2 "errors reported"
	sed -i '/startsecs = abc/d; /autorestart = maybe/d' "$CONF"
	"$PROCD" check -c "$CONF" >/dev/null 2>&1 || fail "valid config rejected"
}

test_unreadable_log_reports_reason() {
	program sleeper "sleep 3600"
	sed -i "s|^logfile = .*|logfile = $T/no/such/dir/x.log|" "$CONF"
	out=$("$PROCD" start -c "$CONF" 2>&1) && fail "started"
	# Found as the file is read (issue 14): the directory is named.
	echo "$out" | grep -q "logfile: directory $T/no/such/dir does not exist" ||
	    fail "reason missing: $out"
}

test_foreground_logs_to_stderr() {
	program sleeper "sleep 3600"
	"$PROCD" start --foreground -c "$CONF" 2>"$T/stderr" &
	wait_for 5 "socket" ctl status sleeper
	grep -q "spawned: sleeper" "$T/stderr" || fail "no log on stderr"
	ctl shutdown >/dev/null
	wait $! || fail "foreground procd exit status $?"
}

test_kill9_takes_programs_down_and_restart_is_clean() {
	program web "sleep 3600" "startsecs = 0"
	program fam "$HELPERS/stubborn" "startsecs = 0"
	start_procd
	wait_for 5 "running" is_state web RUNNING
	pid=$(procd_pid) web=$(pid_of web)
	kill -9 "$pid"
	# PR_SET_PDEATHSIG: the program is told to go (SIGTERM).
	wait_for 5 "program gone after procd was killed" gone "$web"
	# stubborn ignores SIGTERM: the documented exception; clean it up.
	stub=$(pgrep -f "$HELPERS/stubborn" | head -1)
	[ -n "$stub" ] && kill -9 $stub
	start_procd
	wait_for 5 "running again" is_state web RUNNING
}

test_unsafe_socket_directory_refused() {
	program web "sleep 3600"
	mkdir -m 0777 "$T/open"
	sed -i "s|^socket = .*|socket = $T/open/procd.sock|" "$CONF"
	out=$("$PROCD" start -c "$CONF" 2>&1) && fail "started"
	echo "$out" | grep -q "unsafe socket directory $T/open: writable by others" ||
	    fail "message: $out"
	ln -s "$T" "$T/link"
	sed -i "s|^socket = .*|socket = $T/link/procd.sock|" "$CONF"
	out=$("$PROCD" start -c "$CONF" 2>&1) && fail "started via symlink"
	echo "$out" | grep -q "not a directory" || fail "symlink: $out"
	true
}

test_peer_of_another_user_refused() {
	id nobody >/dev/null 2>&1 || skip "no user nobody"
	command -v setpriv >/dev/null || skip "no setpriv"
	binaries_for_nobody
	program web "sleep 3600"
	sed -i "s|^socket = .*|socket = $T/s/procd.sock\nsocket_mode = 0666|" "$CONF"
	mkdir -m 0755 "$T/s"
	start_procd
	chmod 0755 "$T"
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$PROCCTL" -s "$T/s/procd.sock" status 2>&1)
	expect_eq "$?" 2 "exit code for a refused peer"
	echo "$out" | grep -q "permission denied" || fail "message: $out"
	log_shows 5 "refused uid $(id -u nobody)" "the refusal logged"
}

# Every example config checks without a warning; the packaged one
# (procd-package.ini) may only say that /etc/procd/conf.d/ is empty, and
# the examples of conf/examples/ that their application's directory (on
# the host they are for) does not exist here.
test_example_configs_are_valid() {
	for f in "$ROOT"/conf/*.ini "$ROOT"/conf/*/*.ini; do
		out=$("$PROCD" check -c "$f" 2>&1) || fail "$f: $out"
		echo "$out" |
		    grep -v 'no file matches "/etc/procd/conf.d/\*.ini"' |
		    grep -v 'directory: /srv/app is not an existing directory' |
		    grep -q "warning" && fail "$f warns: $out"
	done
	true
}

# [procd] user=: as supervisord, procd becomes that user before it
# creates anything, so its pidfile, log, socket and programs are the
# user's; without root, or for an unknown user, it refuses to start.
as_nobody_possible() {
	[ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 &&
	    command -v setpriv >/dev/null
}

test_procd_user_is_switched_to_before_any_file() {
	as_nobody_possible || skip "needs root, setpriv, nobody"
	binaries_for_nobody
	ng=$(id -gn nobody)
	chmod 0711 "$T"
	mkdir "$T/nb" && chown nobody:"$ng" "$T/nb" && chmod 0700 "$T/nb"
	sed -i "s|= $T/|= $T/nb/|; s|^childlogdir = $T\$|childlogdir = $T/nb|" \
	    "$CONF"
	sed -i "s|^\[procd\]\$|[procd]\nuser = nobody|" "$CONF"
	SOCK=$T/nb/procd.sock
	# Under valgrind, its log files (one per pid) must be where nobody
	# may write, and no vgdb pipes of root's be left to unlink.
	[ -n "${PROCD_WRAPPER:-}" ] && PROCD_WRAPPER="$(echo "$PROCD_WRAPPER" |
	    sed "s|$T/vg|$T/nb/vg|") --vgdb=no"
	# A log file is made by the first output (procd.ini(5), LOG FILES).
	program web "sh -c 'echo up; exec sleep 3600'" "startsecs = 0"
	start_procd
	ln -s "$T/nb/procd.pid" "$T/procd.pid"	# for teardown
	wait_for 5 "web running" is_state web RUNNING
	wait_for 5 "web's first output logged" test -s "$T/nb/web-stdout.log"
	u=$(id -u nobody)
	for pid in "$(procd_pid)" "$(pid_of web)"; do
		expect_eq "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' \
		    "/proc/$pid/status")" "$u $u $u $u" "uids of $pid"
		expect_eq "$(awk '/^Gid:/ { print $2 }' "/proc/$pid/status")" \
		    "$(id -g nobody)" "gid of $pid"
	done
	for f in procd.pid procd.log procd.sock web-stdout.log; do
		expect_eq "$(stat -c %U "$T/nb/$f")" nobody "owner of $f"
	done
	# root may still talk to it (CONTRACT: root, and procd's own user).
	ctl shutdown >/dev/null || fail "shutdown refused"
	wait_for 10 "procd gone" sh -c "! [ -e $T/nb/procd.pid ]"
	mv "$T"/nb/vg.* "$T"/ 2>/dev/null	# for teardown to read
	true
}

test_procd_user_refused_without_root_or_unknown() {
	as_nobody_possible || skip "needs root, setpriv, nobody"
	binaries_for_nobody
	sed -i "s|^\[procd\]\$|[procd]\nuser = root|" "$CONF"
	chmod 0711 "$T"
	chmod 0644 "$CONF"
	out=$(setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups \
	    "$PROCD" start -c "$CONF" 2>&1) && fail "started: $out"
	expect_eq "$out" "procd: [procd] user: cannot switch to user 'root': procd is not running as root" \
	    "not root"
	[ ! -e "$T/procd.pid" ] || fail "a pidfile was left"
	sed -i "s|^user = root\$|user = no-such-user-for-procd|" "$CONF"
	out=$("$PROCD" start -c "$CONF" 2>&1) && fail "started: $out"
	# An error of the file now (issue 14: check finds it too).
	expect_eq "$out" "$CONF:2: error: [procd] user: no such user 'no-such-user-for-procd'
procd: $CONF: 1 error" "unknown user"
}
