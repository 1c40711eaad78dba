# procd under the name supervisord (issue 14 §1): supervisord's command
# line, each option's effect on a running procd; and the config semantics
# of §2 that need a running daemon (what a program runs, who owns the
# socket, what check and start refuse).

# svd_link: a symlink named supervisord to the built procd.
svd_link() {
	[ -e "$T/supervisord" ] || ln -s "$PROCD" "$T/supervisord" ||
	    fail "symlink"
}

# svd ARGS...: procd run as supervisord.
svd() {
	svd_link
	${PROCD_WRAPPER:-} "$T/supervisord" "$@"
}

# svd_bg ARGS...: the same in the background (foreground mode); SVD_PID
# is procd's own pid (a simple command: no subshell in between).
svd_bg() {
	svd_link
	${PROCD_WRAPPER:-} "$T/supervisord" "$@" 2>"$T/svd.err" &
	SVD_PID=$!
}

# svd_stop: SIGTERM to the foreground supervisord; it must exit 0.
svd_stop() {
	kill -TERM "$SVD_PID"
	wait "$SVD_PID"
	rc=$?
	expect_eq "$rc" 0 "exit status after SIGTERM"
}

ready() {
	ctl status >/dev/null 2>&1 || [ $? -eq 3 ]
}

test_nodaemon_runs_in_the_foreground() {
	program web "sleep 3600" "startsecs = 0"
	program worker "sleep 3600" "startsecs = 0"
	svd_bg -n -c "$CONF"
	wait_for 5 "programs running" all_running web worker
	expect_eq "$(procd_pid)" "$SVD_PID" "the foreground process is procd"
	kids=$(tree_pids "$SVD_PID")
	svd_stop
	for k in $kids; do gone "$k" || fail "child $k left behind"; done
	[ ! -e "$T/procd.pid" ] || fail "pidfile left"
	# Its own log also goes to stderr in the foreground; no warnings.
	grep -q "procd .* started" "$T/svd.err" || fail "no log on stderr"
	! grep -qi "warning" "$T/svd.err" || fail "$(cat "$T/svd.err")"
}

test_long_options_and_bundles() {
	program web "sleep 3600" "startsecs = 0"
	svd_bg --nodaemon --configuration="$CONF"
	wait_for 5 "web running" is_state web RUNNING
	svd_stop
	svd_bg -nc "$CONF"
	wait_for 5 "web running" is_state web RUNNING
	svd_stop
}

test_without_n_daemonizes() {
	program web "sleep 3600" "startsecs = 0"
	svd -c "$CONF" || fail "supervisord -c failed"
	# Like procd start: it returns once the socket answers.
	ready || fail "not answering right after start"
	pid=$(procd_pid)
	alive "$pid" || fail "procd not running"
	sid=$(awk '{print $6}' /proc/$pid/stat)
	[ "$sid" != "$(awk '{print $6}' /proc/$$/stat)" ] ||
	    fail "still in the test's session"
	expect_eq "$(readlink /proc/$pid/cwd)" / "daemon cwd"
	wait_for 5 "web running" is_state web RUNNING
}

test_nodaemon_in_config_stays_in_foreground() {
	sed -i "s|^\[procd\]\$|[procd]\nnodaemon = true|" "$CONF"
	program web "sleep 3600" "startsecs = 0"
	svd_bg -c "$CONF"
	wait_for 5 "web running" is_state web RUNNING
	expect_eq "$(procd_pid)" "$SVD_PID" "nodaemon=true: not detached"
	svd_stop
}

test_version_help_and_usage_errors() {
	expect_eq "$(svd -v)" "$("$PROCD" --version | awk '{print $2}')" "-v"
	expect_eq "$(svd --version)" "$(svd -v)" "--version"
	svd -h | grep -q -- "-c/--configuration" || fail "-h"
	svd -h | grep -q -- "-n/--nodaemon" || fail "-h lists -n"
	out=$(svd -x 2>&1) && fail "-x accepted"
	expect_eq "$?" 2 "usage error status"
	expect_eq "$out" "Error: option -x not recognized
For help, use $T/supervisord -h" "usage error text"
	out=$(svd -n -c "$CONF" extra 2>&1)
	expect_eq "$?" 2 "positional argument"
	echo "$out" | grep -q "positional arguments are not supported" ||
	    fail "positional: $out"
	out=$(svd -n -c "$CONF" -e loud 2>&1)
	expect_eq "$?" 2 "bad level"
}

test_l_sets_the_logfile() {
	program web "sleep 3600" "startsecs = 0"
	svd_bg -n -c "$CONF" -l "$T/other.log"
	wait_for 5 "web running" is_state web RUNNING
	# procd's log is written by a writer thread: wait for the line.
	wait_for 5 "the start in -l's file" grep -q "procd .* started" \
	    "$T/other.log"
	! grep -q "started" "$T/procd.log" 2>/dev/null ||
	    fail "the config's logfile was used"
	# A reload keeps the command line's value (as supervisord).
	kill -HUP "$SVD_PID"
	wait_for 5 "reload logged" grep -q "reread\|reload" "$T/other.log"
	svd_stop
	grep -q "procd exiting" "$T/other.log" || fail "exit not in -l's file"
	[ ! -e "$T/procd.log" ] || fail "the config's logfile appeared"
}

test_j_sets_the_pidfile() {
	program web "sleep 3600" "startsecs = 0"
	svd_bg -n -c "$CONF" --pidfile "$T/other.pid"
	wait_for 5 "pidfile" test -s "$T/other.pid"
	expect_eq "$(cat "$T/other.pid")" "$SVD_PID" "-j pidfile"
	[ ! -e "$T/procd.pid" ] || fail "the config's pidfile was written"
	svd_stop
	[ ! -e "$T/other.pid" ] || fail "-j pidfile left"
}

test_e_sets_the_loglevel() {
	program web "sleep 3600" "startsecs = 0"
	# The config says debug; -e error wins.
	svd_bg -n -c "$CONF" -e error
	wait_for 5 "web running" is_state web RUNNING
	svd_stop
	! grep -q " INFO \| DEBUG " "$T/procd.log" ||
	    fail "info/debug lines at -e error: $(head -3 "$T/procd.log")"
	sed -i "s|^loglevel = debug|loglevel = error|" "$CONF"
	svd_bg -n -c "$CONF" --loglevel=debug
	wait_for 5 "web running" is_state web RUNNING
	svd_stop
	log_shows 5 " DEBUG " "no debug lines at -e debug"
}

test_q_sets_the_childlogdir() {
	mkdir "$T/children"
	program web "sh -c 'echo hello; exec sleep 3600'" "startsecs = 0"
	svd_bg -n -c "$CONF" -q "$T/children"
	wait_for 5 "AUTO log in -q's dir" grep -q hello \
	    "$T/children/web-stdout.log"
	[ ! -e "$T/web-stdout.log" ] || fail "the config's childlogdir used"
	svd_stop
}

test_a_sets_minfds() {
	program web "sleep 3600" "startsecs = 0"
	svd_link
	sh -c "ulimit -Sn 256; exec \"$T/supervisord\" -n -c \"$CONF\" -a 2000" \
	    2>"$T/svd.err" &
	SVD_PID=$!
	wait_for 5 "web running" is_state web RUNNING
	soft=$(awk '/^Max open files/ {print $4}' "/proc/$SVD_PID/limits")
	[ "$soft" -ge 2000 ] || fail "soft limit $soft after -a 2000"
	svd_stop
}

test_m_sets_the_umask() {
	program web "sleep 3600" "startsecs = 0"
	svd_bg -n -c "$CONF" -m 027
	wait_for 5 "web running" is_state web RUNNING
	expect_eq "$(awk '/^Umask:/ {print $2}' /proc/$(pid_of web)/status)" \
	    0027 "the program's umask"
	svd_stop
}

test_d_sets_the_directory() {
	mkdir "$T/wd"
	program web "sleep 3600" "startsecs = 0"
	svd -c "$CONF" -d "$T/wd" || fail "start"
	expect_eq "$(readlink /proc/$(procd_pid)/cwd)" "$T/wd" "procd's cwd"
	out=$(svd -n -c "$CONF" -d "$T/nowhere" 2>&1)
	expect_eq "$?" 2 "-d to a missing directory"
	echo "$out" | grep -q "is not an existing directory" || fail "$out"
}

test_u_sets_the_user() {
	[ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 ||
	    skip "needs root and nobody"
	binaries_for_nobody
	mkdir "$T/nb" && chown nobody "$T/nb" && chmod 0700 "$T/nb"
	sed -i "s|= $T/|= $T/nb/|; s|^childlogdir = $T\$|childlogdir = $T/nb|" \
	    "$CONF"
	SOCK=$T/nb/procd.sock
	[ -n "${PROCD_WRAPPER:-}" ] && PROCD_WRAPPER="$(echo "$PROCD_WRAPPER" |
	    sed "s|$T/vg|$T/nb/vg|") --vgdb=no"
	program web "sleep 3600" "startsecs = 0"
	svd -c "$CONF" -u nobody || fail "start as nobody"
	ln -s "$T/nb/procd.pid" "$T/procd.pid"	# for teardown
	wait_for 5 "web running" is_state web RUNNING
	u=$(id -u nobody)
	for pid in "$(procd_pid)" "$(pid_of web)"; do
		expect_eq "$(awk '/^Uid:/ { print $2 }' /proc/$pid/status)" \
		    "$u" "uid of $pid"
	done
	ctl shutdown >/dev/null || fail "shutdown"
	wait_for 10 "procd gone" sh -c "! [ -e $T/nb/procd.pid ]"
	mv "$T"/nb/vg.* "$T"/ 2>/dev/null
	out=$(svd -n -c "$CONF" -u no-such-user-for-procd 2>&1)
	expect_eq "$?" 2 "unknown -u"
	echo "$out" | grep -q "Invalid user name no-such-user-for-procd" ||
	    fail "$out"
}

test_ignored_options_warn() {
	program web "sleep 3600" "startsecs = 0"
	svd_bg -n -c "$CONF" -i web1 -k -t --minprocs 300 -y 1MB -z 2
	wait_for 5 "web running" is_state web RUNNING
	svd_stop
	for o in -i -k -t --minprocs -y -z; do
		grep -q "^supervisord: warning: $o is accepted and ignored" \
		    "$T/svd.err" || fail "no warning for $o: $(cat "$T/svd.err")"
	done
}

# §2 ------------------------------------------------------------------

test_program_env_expands_in_its_own_keys() {
	h=$(uname -n)
	mkdir "$T/conf.d"
	cat > "$T/conf.d/$h.conf" <<EOF
[program:inc]
command = sleep 3600
startsecs = 0
EOF
	cat >> "$CONF" <<EOF
[supervisord]
environment = FOO=global

[include]
files = conf.d/%(host_node_name)s.conf

[program:e]
command = sh -c "echo %(ENV_FOO)s; exec sleep 3600"
environment = FOO=own
stdout_logfile = $T/e-%(ENV_FOO)s.log
startsecs = 0
EOF
	svd_bg -n -c "$CONF"
	wait_for 5 "both running" all_running e inc
	wait_for 5 "e's output" grep -qx own "$T/e-own.log"
	svd_stop
}

# The same config under Debian's supervisord, when installed: the two
# agree (supervisord >= 4.2.0).
test_program_env_agrees_with_supervisord() {
	command -v /usr/bin/supervisord >/dev/null || skip "no supervisord"
	h=$(uname -n)
	mkdir "$T/conf.d" "$T/real"
	printf '[program:inc]\ncommand = sleep 3600\n' > "$T/conf.d/$h.conf"
	cat > "$T/real.conf" <<EOF
[supervisord]
logfile = $T/real/sd.log
pidfile = $T/real/sd.pid
childlogdir = $T/real
environment = FOO=global
[unix_http_server]
file = $T/real/s.sock
[include]
files = conf.d/%(host_node_name)s.conf
[program:e]
command = sh -c "echo %(ENV_FOO)s; exec sleep 3600"
environment = FOO=own
stdout_logfile = $T/real/e-%(ENV_FOO)s.log
EOF
	/usr/bin/supervisord -n -c "$T/real.conf" >/dev/null 2>&1 &
	real=$!
	wait_for 10 "supervisord's e output" grep -qx own "$T/real/e-own.log"
	grep -q "Included extra file \"$T/conf.d/$h.conf\"" "$T/real/sd.log" ||
	    { kill -TERM $real; fail "supervisord did not include it"; }
	kill -TERM $real
	wait $real
	sed -e "s|$T/real/sd|$T/procd|; s|$T/real/s.sock|$SOCK|" \
	    -e "s|$T/real/e-|$T/e-|" "$T/real.conf" > "$CONF"
	sed -i "s|^childlogdir = .*|childlogdir = $T|" "$CONF"
	svd_bg -n -c "$CONF"
	wait_for 5 "procd's e output" grep -qx own "$T/e-own.log"
	wait_for 5 "inc running" is_state inc RUNNING
	svd_stop
}

test_chown_user_only_leaves_the_group() {
	[ "$(id -u)" = 0 ] && id daemon >/dev/null 2>&1 ||
	    skip "needs root and the daemon user"
	printf '[unix_http_server]\nchown = daemon\n' >> "$CONF"
	program web "sleep 3600" "startsecs = 0"
	start_procd
	expect_eq "$(stat -c %U:%G "$SOCK")" "daemon:$(id -gn)" \
	    "chown=daemon: owner and group"
}

test_chown_numbers() {
	[ "$(id -u)" = 0 ] && getent passwd 65534 >/dev/null &&
	    getent group 65534 >/dev/null || skip "needs root and id 65534"
	printf '[unix_http_server]\nchown = nobody:65534\n' >> "$CONF"
	program web "sleep 3600" "startsecs = 0"
	start_procd
	expect_eq "$(stat -c %u:%g "$SOCK")" "65534:65534" "chown=nobody:65534"
	ctl shutdown >/dev/null
	wait_for 10 "procd gone" sh -c "! [ -e $T/procd.pid ]"
	sed -i "s|^chown = .*|chown = 65534|" "$CONF"
	start_procd
	expect_eq "$(stat -c %u:%g "$SOCK")" "65534:$(id -g)" "chown=65534"
}

# check FILE says it, start refuses it the same way, before detaching.
check_and_start_refuse() {
	out=$("$PROCD" check -c "$CONF" 2>&1)
	expect_eq "$?" 2 "check's status ($out)"
	echo "$out" | grep -qF -- "$1" || fail "check did not say: $1 ($out)"
	out=$("$PROCD" start -c "$CONF" 2>&1) && fail "start succeeded"
	echo "$out" | grep -qF -- "$1" || fail "start did not say: $1 ($out)"
	[ ! -e "$T/procd.pid" ] || fail "a pidfile was left"
}

test_check_refuses_what_start_would() {
	program web "sleep 3600"
	cp "$CONF" "$T/good.ini"
	sed -i "s|^logfile = .*|logfile = $T/no/such/procd.log|" "$CONF"
	check_and_start_refuse "procd.ini:4: error: [procd] logfile: directory $T/no/such does not exist"
	cp "$T/good.ini" "$CONF"
	: > "$T/afile"
	sed -i "s|^pidfile = .*|pidfile = $T/afile/procd.pid|" "$CONF"
	check_and_start_refuse "procd.ini:3: error: [procd] pidfile: $T/afile is not a directory"
	cp "$T/good.ini" "$CONF"
	sed -i "s|^\[procd\]\$|[procd]\ndirectory = $T/afile|" "$CONF"
	check_and_start_refuse "procd.ini:2: error: [procd] directory: $T/afile is not an existing directory"
	cp "$T/good.ini" "$CONF"
	printf '[unix_http_server]\nchown = nobody:no-such-group-for-procd\n' \
	    >> "$CONF"
	check_and_start_refuse "no such group 'no-such-group-for-procd'"
	cp "$T/good.ini" "$CONF"
	printf '[unix_http_server]\nchown = no-such-user-for-procd\n' >> "$CONF"
	check_and_start_refuse "no such user 'no-such-user-for-procd'"
	# One missing level is fine: procd makes it.
	cp "$T/good.ini" "$CONF"
	sed -i "s|^logfile = .*|logfile = $T/logs/procd.log|" "$CONF"
	"$PROCD" check -c "$CONF" >/dev/null || fail "check refused logs/"
	start_procd
	# Written by a log writer thread: waited for, not read at once.
	wait_for 5 "a log in the made directory" test -s "$T/logs/procd.log"
}

# make install-compat puts the two names where Debian's supervisor puts
# them (/usr/bin); make uninstall removes our links, never a real one.
test_make_install_compat_and_uninstall() {
	command -v make >/dev/null || skip "no make"
	san=; [ "${PROCD_BUILD:-build}" = build-san ] && san=SAN=1
	d=$T/root
	make -s -C "$ROOT" $san install-compat DESTDIR="$d" PREFIX=/usr \
	    >"$T/make.out" 2>&1 || fail "install-compat: $(cat "$T/make.out")"
	expect_eq "$(readlink "$d/usr/bin/supervisord")" /usr/sbin/procd \
	    "supervisord link"
	expect_eq "$(readlink "$d/usr/bin/supervisorctl")" procctl \
	    "supervisorctl link"
	# as supervisorctl, the version number alone (procctl's)
	expect_eq "$("$d/usr/bin/supervisorctl" --version 2>&1 | head -1)" \
	    "$("$PROCCTL" --version | awk '{ print $2 }')" \
	    "supervisorctl is procctl"
	make -s -C "$ROOT" $san uninstall DESTDIR="$d" PREFIX=/usr \
	    >"$T/make.out" 2>&1 || fail "uninstall: $(cat "$T/make.out")"
	[ ! -e "$d/usr/bin/supervisord" ] && [ ! -L "$d/usr/bin/supervisord" ] ||
	    fail "supervisord link left"
	[ ! -L "$d/usr/bin/supervisorctl" ] || fail "supervisorctl link left"
	# A real supervisord is neither replaced nor removed.
	echo '#!/bin/sh' > "$d/usr/bin/supervisord"
	make -s -C "$ROOT" $san install-compat DESTDIR="$d" PREFIX=/usr \
	    >"$T/make.out" 2>&1 && fail "replaced a real supervisord"
	grep -q "exists and is not a link" "$T/make.out" ||
	    fail "unclear refusal: $(cat "$T/make.out")"
	make -s -C "$ROOT" $san uninstall DESTDIR="$d" PREFIX=/usr \
	    >/dev/null 2>&1
	[ -f "$d/usr/bin/supervisord" ] || fail "uninstall removed a real one"
}
