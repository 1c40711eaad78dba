# Boot and shell integration: the sysvinit script against a real procd, the
# OpenRC service file, the systemd units (systemd-analyze verify, where it is
# installed), bash completion, and make install/uninstall into a DESTDIR.

# initd ACTION: run conf/procd.init on this test's config and pidfile
# ($INIT_PROCD, $INIT_CONF and $INIT_DEFAULTS, when set, replace procd, the
# config and the defaults file).
initd() {
	env PROCD="${INIT_PROCD:-$PROCD}" PROCCTL="$PROCCTL" \
	    CONFIG="${INIT_CONF:-$CONF}" PIDFILE="$T/procd.pid" \
	    PROCD_DEFAULTS="${INIT_DEFAULTS:-$T/no-defaults}" STOP_TIMEOUT=$((15 * SLOW)) \
	    sh "$ROOT/conf/procd.init" "$@"
}

# expect_rc WHAT EXPECTED COMMAND...: COMMAND (its output to $T/out) exits
# EXPECTED.
expect_rc() {
	what=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>&1
	rc=$?
	[ "$rc" -eq "$want" ] ||
	    fail "$what: exit $rc, expected $want; output: $(cat "$T/out")"
}

not_alive() {
	! alive "$1"
}

test_boot_init_start_status_stop() {
	program web "sleep 3600" "startsecs = 0"
	expect_rc "status before start" 3 initd status
	expect_rc "stop when not running" 0 initd stop
	expect_rc "start" 0 initd start
	pid=$(procd_pid)
	alive "$pid" || fail "no procd after start"
	# start returns once the socket answers: no wait needed.
	expect_rc "status while running" 0 initd status
	grep -q "is running (pid $pid)" "$T/out" || fail "status: $(cat "$T/out")"
	wait_for 5 "web running" is_state web RUNNING
	child=$(pid_of web)
	expect_rc "start when running" 0 initd start
	grep -q "already running" "$T/out" || fail "start twice: $(cat "$T/out")"
	expect_eq "$(procd_pid)" "$pid" "pid after a second start"
	expect_rc "stop" 0 initd stop
	# stop returns only once procd (and so its programs) are gone.
	alive "$pid" && fail "procd still running after stop"
	alive "$child" && fail "program still running after stop"
	expect_rc "status after stop" 3 initd status
	expect_rc "stop again" 0 initd stop
}

test_boot_init_restart() {
	program web "sleep 3600" "startsecs = 0"
	expect_rc "restart when stopped starts" 0 initd restart
	old=$(procd_pid)
	alive "$old" || fail "no procd after restart"
	wait_for 5 "web running" is_state web RUNNING
	expect_rc "restart" 0 initd restart
	new=$(procd_pid)
	[ -n "$new" ] && [ "$new" != "$old" ] || fail "same procd after restart"
	alive "$old" && fail "old procd still running"
	wait_for 5 "web running again" is_state web RUNNING
	expect_rc "try-restart when running" 0 initd try-restart
	[ "$(procd_pid)" != "$new" ] || fail "try-restart did not restart"
	expect_rc "stop" 0 initd stop
	expect_rc "try-restart when stopped" 0 initd try-restart
	expect_rc "status after try-restart when stopped" 3 initd status
}

test_boot_init_reload() {
	program web "sleep 3600" "startsecs = 0"
	expect_rc "reload when not running" 7 initd reload
	expect_rc "start" 0 initd start
	pid=$(procd_pid)
	wait_for 5 "web running" is_state web RUNNING
	program extra "sleep 3600" "startsecs = 0"
	expect_rc "reload" 0 initd reload
	# SIGHUP: procd rereads the config and starts the added program.
	wait_for 10 "extra started by reload" is_state extra RUNNING
	expect_eq "$(procd_pid)" "$pid" "procd pid after reload"
	program extra2 "sleep 3600" "startsecs = 0"
	expect_rc "force-reload" 0 initd force-reload
	wait_for 10 "extra2 started by force-reload" is_state extra2 RUNNING
}

test_boot_init_errors() {
	program web "sleep 3600" "startsecs = 0"
	expect_rc "unknown action" 2 initd frobnicate
	expect_rc "no action" 2 initd
	INIT_PROCD=$T/no/procd
	expect_rc "start without procd" 5 initd start
	INIT_PROCD= INIT_CONF=$T/missing.ini
	expect_rc "start without config" 6 initd start
	INIT_CONF=
	# The defaults file overrides the environment.
	echo "CONFIG=$T/missing.ini" > "$T/defaults"
	INIT_DEFAULTS=$T/defaults
	expect_rc "start with CONFIG from the defaults file" 6 initd start
	grep -q "missing.ini" "$T/out" || fail "defaults file: $(cat "$T/out")"
	INIT_DEFAULTS=
	cp "$CONF" "$T/good.ini"
	echo "startsecs = abc" >> "$CONF"
	expect_rc "start with a bad config" 6 initd start
	grep -q "$CONF:[0-9]*: error: .*startsecs" "$T/out" ||
	    fail "no FILE:LINE error: $(cat "$T/out")"
	pid=$(procd_pid)
	[ -z "$pid" ] || ! alive "$pid" || fail "procd started on a bad config"
	expect_rc "status after a failed start" 3 initd status

	cp "$T/good.ini" "$CONF"
	expect_rc "start" 0 initd start
	pid=$(procd_pid)
	wait_for 5 "web running" is_state web RUNNING
	echo "startsecs = abc" >> "$CONF"
	expect_rc "reload with a bad config" 6 initd reload
	grep -q "startsecs" "$T/out" || fail "reload hid the error: $(cat "$T/out")"
	expect_rc "status after a refused reload" 0 initd status
	expect_eq "$(procd_pid)" "$pid" "procd after a refused reload"
	cp "$T/good.ini" "$CONF"

	# procd killed: the pidfile stays behind (status 1), and start
	# replaces it.
	child=$(pid_of web)
	kill -9 "$pid"
	wait_for 5 "procd killed" not_alive "$pid"
	kill "$child"
	expect_rc "status with a stale pidfile" 1 initd status
	expect_rc "stop with a stale pidfile" 0 initd stop
	expect_rc "start over a stale pidfile" 0 initd start
	[ "$(procd_pid)" != "$pid" ] || fail "pidfile not rewritten"
	expect_rc "status after start over a stale pidfile" 0 initd status

	# A pidfile naming a live process that is not procd (a reused pid).
	expect_rc "stop" 0 initd stop
	echo $$ > "$T/procd.pid"
	expect_rc "status with a foreign pid" 1 initd status
	echo garbage > "$T/procd.pid"
	expect_rc "status with an unreadable pidfile" 4 initd status
	rm -f "$T/procd.pid"
}

test_boot_init_script_is_lsb_and_posix() {
	f=$ROOT/conf/procd.init
	[ -x "$f" ] || [ -r "$f" ] || fail "no conf/procd.init"
	sed -n '/^### BEGIN INIT INFO$/,/^### END INIT INFO$/p' "$f" > "$T/hdr"
	for k in Provides Required-Start Required-Stop Default-Start \
	    Default-Stop Short-Description; do
		grep -q "^# $k:" "$T/hdr" || fail "LSB header lacks $k"
	done
	grep -q '^# Provides: *procd$' "$T/hdr" || fail "Provides: procd"
	sh -n "$f" || fail "sh -n"
	if command -v dash >/dev/null 2>&1; then
		dash -n "$f" || fail "dash -n"
	fi
	if command -v busybox >/dev/null 2>&1; then
		busybox sh -n "$f" || fail "busybox sh -n"
	fi
}

test_boot_openrc_service() {
	f=$ROOT/conf/procd.openrc
	head -1 "$f" | grep -qx '#!/sbin/openrc-run' || fail "shebang"
	sh -n "$f" || fail "sh -n"
	# Load it as openrc-run would, with its helpers stubbed, and run the
	# functions that are procd's own.
	mkdir "$T/bin"
	printf '#!/bin/sh\necho "$*" > "%s"\n' "$T/ssd.args" \
	    > "$T/bin/start-stop-daemon"
	chmod +x "$T/bin/start-stop-daemon"
	(
		ebegin() { :; }
		eend() { return "${1:-0}"; }
		PATH=$T/bin:$PATH
		procd_config=$CONF
		. "$f"
		expect_eq "$pidfile" /run/procd.pid "pidfile"
		expect_eq "$command" /usr/sbin/procd "command"
		case $command_args in
		"start -c $CONF --pidfile /run/procd.pid"*) ;;
		*) fail "command_args: $command_args" ;;
		esac
		echo " $extra_started_commands " | grep -q " reload " ||
		    fail "reload not in extra_started_commands"
		command -v depend >/dev/null || fail "no depend()"
		command=$PROCD	# the built one, not /usr/sbin/procd
		checkconfig || fail "checkconfig on a good config"
		reload || fail "reload"
		grep -q -- "--signal HUP --pidfile /run/procd.pid" \
		    "$T/ssd.args" || fail "reload ran: $(cat "$T/ssd.args")"
		rm -f "$T/ssd.args"
		echo "startsecs = abc" >> "$CONF"
		reload 2>/dev/null && fail "reload accepted a bad config"
		[ ! -e "$T/ssd.args" ] || fail "bad config still signalled"
	) || fail "openrc service file"
}

test_boot_systemd_units() {
	for u in procd.service procd-forking.service; do
		[ -r "$ROOT/conf/$u" ] || fail "no conf/$u"
	done
	s=$ROOT/conf/procd.service
	for l in 'Type=notify' \
	    'ExecStart=/usr/sbin/procd start --foreground -c /etc/procd.ini' \
	    'ExecReload=/bin/kill -HUP $MAINPID' 'KillMode=mixed' \
	    'Restart=on-failure'; do
		grep -qxF "$l" "$s" || fail "procd.service lacks $l"
	done
	grep -q '^TimeoutStopSec=[1-9]' "$s" || fail "no TimeoutStopSec"
	s=$ROOT/conf/procd-forking.service
	for l in 'Type=forking' 'PIDFile=/run/procd.pid' 'KillMode=mixed'; do
		grep -qxF "$l" "$s" || fail "procd-forking.service lacks $l"
	done
	command -v systemd-analyze >/dev/null 2>&1 ||
	    skip "systemd-analyze not installed, units not verified"
	# verify wants the ExecStart= programs to exist and the man: pages of
	# Documentation= to be found: point them at the build and the tree.
	mkdir -p "$T/units" "$T/man/man1" "$T/man/man5" "$T/man/man8"
	cp "$ROOT/man/procctl.1" "$T/man/man1/"
	cp "$ROOT/man/procd.ini.5" "$T/man/man5/"
	cp "$ROOT/man/procd.8" "$T/man/man8/"
	for u in procd.service procd-forking.service; do
		sed "s|/usr/sbin/procd|$PROCD|g; s|/etc/procd.ini|$CONF|g" \
		    "$ROOT/conf/$u" > "$T/units/$u"
	done
	MANPATH=$T/man systemd-analyze verify "$T/units/procd.service" \
	    "$T/units/procd-forking.service" > "$T/verify" 2>&1 ||
	    fail "systemd-analyze verify: $(cat "$T/verify")"
	# It only warns (exit 0) about unknown keys and the like.
	! grep procd "$T/verify" || fail "systemd-analyze verify warned"
}

test_boot_bash_completion() {
	command -v bash >/dev/null 2>&1 || skip "no bash"
	program web "sleep 3600" "startsecs = 0"
	program worker "sleep 3600" "startsecs = 0" \
	    "process_name = %(program_name)s_%(process_num)d" "numprocs = 2"
	start_procd
	cat > "$T/comp.bash" <<'EOF'
root=$1 sock=$2 conf=$3
. "$root/conf/procctl.bash-completion" || exit 1
spec=$(complete -p procctl) || { echo "no completion for procctl"; exit 1; }
fn=$(sed -n 's/.* -F \([^ ]*\) .*/\1/p' <<<"$spec")
[[ -n $fn ]] || { echo "no -F function in: $spec"; exit 1; }
# comp WORD...: complete the last WORD as bash would, print the sorted
# replies on one line.
comp() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	"$fn" procctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd' '
}
echo "cmd=$(comp procctl sta)"
echo "opt=$(comp procctl --j)"
echo "names=$(comp procctl -s "$sock" stop w)"
# "worker:w" comes split at the ':' (COMP_WORDBREAKS); bash replaces
# only what follows it.
echo "group=$(comp procctl -c "$conf" restart worker : w)"
echo "env=$(PROCD_SOCKET=$sock comp procctl status we)"
echo "tail=$(comp procctl -s "$sock" tail web '')"
echo "tailname=$(comp procctl -s "$sock" tail -f wor)"
echo "signal=$(comp procctl -s "$sock" signal K)"
echo "signame=$(comp procctl -s "$sock" signal KILL we)"
echo "none=$(comp procctl -s "$root/no.sock" stop '')"
EOF
	PATH="$(dirname "$PROCCTL"):$PATH" bash "$T/comp.bash" "$ROOT" "$SOCK" \
	    "$CONF" > "$T/comp.out" 2>&1 || fail "$(cat "$T/comp.out")"
	got() { sed -n "s/^$1=//p" "$T/comp.out"; }
	expect_eq "$(got cmd)" "start status" "command names"
	expect_eq "$(got opt)" "--json" "option"
	expect_eq "$(got names)" "web worker:* worker:worker_0 worker:worker_1" \
	    "process names"
	expect_eq "$(got group)" "worker_0 worker_1" "names in a group"
	expect_eq "$(got env)" "web" "names via PROCD_SOCKET"
	expect_eq "$(got tail)" "stderr stdout" "tail channel"
	expect_eq "$(got tailname)" "worker:worker_0 worker:worker_1" "tail name"
	expect_eq "$(got signal)" "KILL" "signal name"
	expect_eq "$(got signame)" "web" "name after a signal"
	expect_eq "$(got none)" "all" "no procd: no names, no error"
}

# mk ARGS...: make in the source tree, on its own (not a sub-make of
# `make check`, whose variables, SAN=1 included, must not leak in).
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$ROOT" "$@" \
	    >> "$T/make.log" 2>&1 ||
	    fail "make $*: $(tail -20 "$T/make.log")"
}

test_boot_make_install_destdir() {
	D=$T/root
	mk install DESTDIR="$D" PREFIX=/usr
	for f in usr/sbin/procd usr/bin/procctl; do
		[ -x "$D/$f" ] || fail "$f not installed"
	done
	"$D/usr/sbin/procd" --version | grep -q '^procd ' ||
	    fail "installed procd does not run"
	for f in man1/procctl.1 man5/procd.ini.5 man8/procd.8; do
		[ -f "$D/usr/share/man/$f" ] || fail "man page $f not installed"
	done
	[ -f "$D/etc/procd.ini" ] || fail "example config not installed"
	"$D/usr/sbin/procd" check -c "$D/etc/procd.ini" >/dev/null ||
	    fail "the installed example config does not check"
	unit=$(find "$D" -path '*/systemd/system/procd.service')
	case $unit in
	"$D/usr/lib/systemd/system/procd.service" | \
	"$D/lib/systemd/system/procd.service") ;;
	*) fail "systemd unit not installed in the unit dir: '$unit'" ;;
	esac
	grep -qx 'ExecStart=/usr/sbin/procd start --foreground -c /etc/procd.ini' \
	    "$unit" || fail "installed unit: $(grep ExecStart "$unit")"
	[ -f "$D/usr/share/bash-completion/completions/procctl" ] ||
	    fail "bash completion not installed"

	# The example config is installed only if absent.
	echo "; edited by hand" >> "$D/etc/procd.ini"
	mk install DESTDIR="$D" PREFIX=/usr
	grep -q "edited by hand" "$D/etc/procd.ini" ||
	    fail "make install overwrote the config"

	# uninstall removes everything but the config.
	mk uninstall DESTDIR="$D" PREFIX=/usr
	left=$(cd "$D" && find . ! -type d | sort | paste -sd' ')
	expect_eq "$left" "./etc/procd.ini" "files left after uninstall"

	# Another prefix: the unit runs the procd that was installed.
	D=$T/root2
	mk install DESTDIR="$D" PREFIX=/opt/procd
	[ -x "$D/opt/procd/sbin/procd" ] || fail "sbin under PREFIX"
	unit=$(find "$D" -path '*/systemd/system/procd.service')
	[ -n "$unit" ] || fail "no unit with PREFIX=/opt/procd"
	grep -qx 'ExecStart=/opt/procd/sbin/procd start --foreground -c /etc/procd.ini' \
	    "$unit" || fail "unit with PREFIX=/opt/procd: $(grep ExecStart "$unit")"
}
