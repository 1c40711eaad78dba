# Held sockets (issue 18 §1, §2): [fcgi-program:x] -- one socket per pool,
# every process's fd 0, kept across restarts, closed with the group --
# and sockets= (systemd's socket activation), whose restarts refuse no
# connection.  The servers are tests/integration/sockserve.py; the client
# loop is sockclient.py.

SERVE="python3 $ROOT/tests/integration/sockserve.py"
CLIENT="python3 $ROOT/tests/integration/sockclient.py"

# free_port: a TCP port nothing listens on now.
free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# port_free PORT: nothing listens on 127.0.0.1:PORT (a bind succeeds).
port_free() {
	python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))' "$1"
}

# ask ADDR: connect (ADDR a port, or a unix socket's path) and print the
# answer ("pid N fd N").
ask() {
	python3 -c 'import socket, sys
a = sys.argv[1]
if a.startswith("/"):
    s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(a)
else:
    s = socket.create_connection(("127.0.0.1", int(a)), timeout=10)
print(s.makefile().readline().strip())' "$1"
}

# answered_by ADDR PID: a connection to ADDR is answered by process PID.
answered_by() {
	[ "$(ask "$1" 2>/dev/null | cut -d' ' -f2)" = "$2" ]
}

# fd_of PID N: what descriptor N of PID is ("socket:[INODE]").
fd_of() {
	readlink "/proc/$1/fd/$2"
}

# fcgi NAME SOCKET NUMPROCS [key=value ...]: an [fcgi-program:] pool.
fcgi() {
	name=$1 sock=$2 n=$3
	shift 3
	{
		echo "[fcgi-program:$name]"
		echo "command = $SERVE fcgi"
		echo "socket = $sock"
		echo "numprocs = $n"
		echo "process_name = %(program_name)s_%(process_num)d"
		echo "startsecs = 0"
		for kv in "$@"; do echo "$kv"; done
		echo
	} >> "$CONF"
}

# pool_pids NAME N: the pids of NAME:NAME_0 .. NAME_{N-1}.
pool_pids() {
	i=0
	while [ $i -lt "$2" ]; do
		pid_of "$1:$1_$i"
		i=$((i + 1))
	done
}

# same_fd0 INODE PID...: every PID's stdin is the socket INODE.
same_fd0() {
	want=$1
	shift
	for p in "$@"; do
		wait_for 5 "pid $p: fd 0 is '$want'" \
		    sh -c "[ \"\$(readlink /proc/$p/fd/0)\" = '$want' ]"
	done
}

# fd0_socket PID: wait until PID's fd 0 is a socket.  RUNNING (startsecs
# = 0) can come before the child has its descriptors in place: under
# valgrind procd forks rather than vforks.
fd0_socket() {
	wait_for 5 "fd 0 of $1 a socket" sh -c \
	    "readlink /proc/$1/fd/0 | grep -q '^socket:'"
}

test_fcgi_pool_shares_one_socket_as_stdin() {
	fcgi web 'unix://%(here)s/%(program_name)s.sock' 3 'socket_mode = 0660'
	start_procd
	wait_for 10 "pool running" all_running web:web_0 web:web_1 web:web_2
	pids=$(pool_pids web 3)
	first=$(echo "$pids" | head -1)
	fd0_socket "$first"
	inode=$(fd_of "$first" 0)
	case $inode in socket:\[*\]) ;; *) fail "fd 0 is '$inode'" ;; esac
	same_fd0 "$inode" $pids
	[ -S "$T/web.sock" ] || fail "no socket file $T/web.sock"
	expect_eq "$(stat -c %a "$T/web.sock")" 660 "socket_mode"
	answer=$(ask "$T/web.sock") || fail "connecting to web.sock"
	case $answer in
	"pid "*" fd 0") ;;
	*) fail "answer: '$answer'" ;;
	esac
	echo "$pids" | grep -qx "$(echo "$answer" | cut -d' ' -f2)" ||
	    fail "answered by $answer, not a process of the pool ($pids)"
	log_shows 5 "socket unix://$T/web.sock: listening for web" \
	    "bind not logged"
	# procd holds the socket: the only copies are procd's and the pool's.
	ppid=$(procd_pid)
	n=0
	for fd in /proc/$ppid/fd/*; do
		[ "$(readlink "$fd")" = "$inode" ] && n=$((n + 1))
	done
	expect_eq "$n" 1 "copies of the socket in procd"
}

test_fcgi_socket_survives_restarts() {
	port=$(free_port)
	fcgi app "tcp://127.0.0.1:$port" 2
	start_procd
	wait_for 10 "pool running" all_running app:app_0 app:app_1
	old=$(pool_pids app 2)
	fd0_socket "$(echo "$old" | head -1)"
	inode=$(fd_of "$(echo "$old" | head -1)" 0)
	same_fd0 "$inode" $old
	ask "$port" >/dev/null || fail "no answer before the restarts"
	for round in 1 2 3; do
		ctl restart 'app:*' >/dev/null || fail "restart round $round"
		wait_for 10 "pool running again" all_running app:app_0 app:app_1
	done
	new=$(pool_pids app 2)
	for p in $new; do
		echo "$old" | grep -qx "$p" && fail "pid $p did not change"
	done
	same_fd0 "$inode" $new
	ask "$port" | grep -q '^pid .* fd 0$' || fail "no answer after restarts"
	ctl stop 'app:*' >/dev/null
	# Stopped, the socket stays held: clients queue, the port is taken.
	port_free "$port" && fail "port $port released while the group exists"
	ctl start 'app:*' >/dev/null
	wait_for 10 "running after stop/start" all_running app:app_0 app:app_1
	same_fd0 "$inode" $(pool_pids app 2)
}

test_fcgi_group_removal_closes_and_unlinks() {
	port=$(free_port)
	fcgi keep "tcp://127.0.0.1:$port" 1
	fcgi gone 'unix://%(here)s/gone.sock' 1
	start_procd
	wait_for 10 "running" all_running keep:keep_0 gone:gone_0
	[ -S "$T/gone.sock" ] || fail "no gone.sock"
	# update removes [fcgi-program:gone]: its socket file goes with it.
	python3 - "$CONF" <<'EOF'
import re, sys
p = sys.argv[1]
text = open(p).read()
open(p, "w").write(re.sub(r"\[fcgi-program:gone\][^[]*", "", text))
EOF
	ctl update >/dev/null || fail "update"
	wait_for 10 "gone.sock unlinked" sh -c "! [ -e '$T/gone.sock' ]"
	log_shows 5 "socket unix://$T/gone.sock: closed (gone)" \
	    "close not logged"
	ask "$port" >/dev/null || fail "keep lost its socket"
	# remove (supervisorctl's, on a stopped group) frees the port.
	ctl stop 'keep:*' >/dev/null
	ctl remove keep >/dev/null || fail "remove keep"
	wait_for 10 "port $port free" port_free "$port"
}

test_fcgi_sockets_closed_at_shutdown() {
	port=$(free_port)
	fcgi u 'unix://%(here)s/u.sock' 1
	fcgi t "tcp://127.0.0.1:$port" 1
	start_procd
	wait_for 10 "running" all_running u:u_0 t:t_0
	pid=$(procd_pid)
	ctl shutdown >/dev/null
	wait_for 15 "procd gone" gone "$pid"
	[ -e "$T/u.sock" ] && fail "u.sock left behind"
	port_free "$port" || fail "port $port still taken"
}

test_fcgi_bind_failure_costs_that_program_only() {
	port=$(free_port)
	# Something else holds the port; a plain file sits where a socket goes.
	python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
open(sys.argv[2], "w").close(); time.sleep(600)' "$port" "$T/held" &
	holder=$!
	wait_for 5 "the port is held" test -e "$T/held"
	: > "$T/file.sock"
	# A socket file nothing listens on any more (its server died) is stale.
	python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/stale.sock"
	[ -S "$T/stale.sock" ] || fail "no stale socket made"
	fcgi busy "tcp://127.0.0.1:$port" 1 'startretries = 0'
	fcgi notasock 'unix://%(here)s/file.sock' 1 'startretries = 0'
	fcgi stale 'unix://%(here)s/stale.sock' 1
	program fine "sleep 600" "startsecs = 0"
	start_procd
	wait_for 10 "fine running" is_state fine RUNNING
	wait_for 10 "stale replaced" is_state stale:stale_0 RUNNING
	ask "$T/stale.sock" | grep -q '^pid ' || fail "stale.sock not replaced"
	wait_for 10 "busy FATAL" is_state busy:busy_0 FATAL
	wait_for 10 "notasock FATAL" is_state notasock:notasock_0 FATAL
	ctl status busy:busy_0 | grep -q "socket tcp://127.0.0.1:$port: bind: Address already in use" ||
	    fail "busy: $(ctl status busy:busy_0)"
	ctl status notasock:notasock_0 | grep -q "$T/file.sock exists and is not a socket" ||
	    fail "notasock: $(ctl status notasock:notasock_0)"
	[ -f "$T/file.sock" ] || fail "the plain file was replaced"
	# Once the port is free, a start binds it.
	kill "$holder"
	wait_for 5 "holder gone" gone "$holder"
	ctl start busy:busy_0 >/dev/null
	wait_for 10 "busy running" is_state busy:busy_0 RUNNING
	ask "$port" | grep -q '^pid ' || fail "busy answers no connection"
}

test_fcgi_corpus_configs_load_with_no_warning_about_it() {
	dir=${PROCD_CORPUS:-$ROOT/../shared/corpus/supervisord}
	for n in 037 043 044; do
		f=$(ls "$dir"/$n-*.conf 2>/dev/null | head -1)
		[ -n "$f" ] || skip "no corpus config $n beside the checkout"
		grep -q '^\[fcgi-program:' "$f" || fail "$f has no fcgi-program"
		out=$(NUMPROCS=2 SMOKESCREEN_OPTS=x "$PROCD" check -c "$f" 2>&1) ||
		    fail "$f: $out"
		# Warnings about this host (a directory that is not there)
		# may come; none that the section is not run, or its keys.
		echo "$out" | grep -q 'not supported\|not implemented\|unknown key\|error' &&
		    fail "$f: $out"
		echo "$out" | grep -q ': ok (' || fail "$f: $out"
	done
}

# activated NAME PORT [key=value ...]: a program that takes PORT through
# sockets= and starts slowly (0.3 s before it accepts).
activated() {
	name=$1 port=$2
	shift 2
	program "$name" "sh -c 'sleep 0.3; exec $SERVE activated'" \
	    "sockets = tcp://127.0.0.1:$port" "startsecs = 0" "$@"
}

# restart_loop NAME ADDR N: restart NAME N times, each time until the
# new process answers on ADDR; prints the client loop's counts, which
# ran throughout.
restart_loop() {
	rm -f "$T/stop"
	$CLIENT 127.0.0.1 "$2" "$T/stop" 0.05 > "$T/client.out" &
	client=$!
	i=0
	while [ $i -lt "$3" ]; do
		old=$(pid_of "$1")
		ctl restart "$1" >/dev/null || fail "restart $i"
		wait_for 10 "a new pid" sh -c "[ \"\$('$PROCCTL' -s '$SOCK' pid $1)\" != '$old' ]"
		new=$(pid_of "$1")
		wait_for 10 "pid $new answers" answered_by "$2" "$new"
		i=$((i + 1))
	done
	touch "$T/stop"
	wait_for 15 "the client's counts" test -s "$T/client.out"
	wait "$client" 2>/dev/null
	cat "$T/client.out"
}

test_activation_restarts_refuse_no_connection() {
	skip_under_valgrind "a timing demonstration"
	port=$(free_port)
	activated act "$port"
	start_procd
	wait_for 10 "running" is_state act RUNNING
	wait_for 10 "answers" answered_by "$port" "$(pid_of act)"
	counts=$(restart_loop act "$port" 20)
	echo "with sockets=: $counts"
	set -- $counts
	[ "$2" -gt 20 ] || fail "too few connections to mean anything: $counts"
	expect_eq "$4" 0 "refused connections across 20 restarts ($counts)"
	expect_eq "$6" 0 "unanswered connections across 20 restarts ($counts)"
	# Connections were made while no process accepted, and waited.
	[ "$8" -ge 5 ] || fail "too few connections across restarts: $counts"
}

test_activation_demo_without_sockets_refuses() {
	skip_under_valgrind "a timing demonstration"
	port=$(free_port)
	# The same server, binding the port itself after the same 0.3 s:
	# each restart leaves the port closed for at least that long, and the
	# client tries every 50 ms, so every restart costs refusals.
	program self "sh -c 'sleep 0.3; exec $SERVE self 127.0.0.1 $port'" \
	    "startsecs = 0"
	start_procd
	wait_for 10 "running" is_state self RUNNING
	wait_for 10 "answers" answered_by "$port" "$(pid_of self)"
	counts=$(restart_loop self "$port" 20)
	echo "without sockets=: $counts"
	set -- $counts
	[ "$4" -gt 0 ] || fail "no connection refused without sockets=: $counts"
}

test_activation_protocol() {
	port=$(free_port)
	program api "$SERVE activated" \
	    "sockets = tcp://127.0.0.1:$port name=http, unix://%(here)s/api.sock mode=0600" \
	    "numprocs = 2" "process_name = api_%(process_num)d" "startsecs = 0"
	start_procd
	wait_for 10 "running" all_running api:api_0 api:api_1
	p0=$(pid_of api:api_0) p1=$(pid_of api:api_1)
	for p in $p0 $p1; do
		# RUNNING at once (startsecs = 0): the exec may not be seen
		# yet, and a read of /proc/PID/environ made while an exec
		# is under way comes back empty; so one read that holds
		# the whole environment is waited for, and checked.
		wait_for 10 "pid $p's own environment" sh -c \
		    "tr '\\0' '\\n' < /proc/$p/environ > '$T/env.$p' &&
		     grep -q '^LISTEN_FDS=' '$T/env.$p' &&
		     grep -q '^LISTEN_PID=' '$T/env.$p'"
		env=$(cat "$T/env.$p")
		echo "$env" | grep -qx "LISTEN_PID=$p" || fail "pid $p: LISTEN_PID: $(echo "$env" | grep LISTEN_PID)"
		echo "$env" | grep -qx "LISTEN_FDS=2" || fail "pid $p: LISTEN_FDS"
		echo "$env" | grep -qx "LISTEN_FDNAMES=http:api" ||
		    fail "pid $p: $(echo "$env" | grep LISTEN_FDNAMES)"
	done
	# numprocs share the sockets, in order, from fd 3.
	expect_eq "$(fd_of "$p0" 3)" "$(fd_of "$p1" 3)" "fd 3 shared"
	expect_eq "$(fd_of "$p0" 4)" "$(fd_of "$p1" 4)" "fd 4 shared"
	[ "$(fd_of "$p0" 3)" != "$(fd_of "$p0" 4)" ] || fail "fd 3 is fd 4"
	# stdin is the pipe every program gets (sendProcessStdin), not a socket.
	case "$(fd_of "$p0" 0)" in pipe:*) ;;
	*) fail "stdin: $(fd_of "$p0" 0)" ;; esac
	ask "$port" | grep -q ' fd 3$' || fail "tcp socket not at fd 3"
	ask "$T/api.sock" | grep -q ' fd 4$' || fail "unix socket not at fd 4"
	expect_eq "$(stat -c %a "$T/api.sock")" 600 "mode="
	# Nothing else is passed: 0-2, the two sockets, and python's own.
	ls /proc/$p0/fd | sort -n | head -5 | tr '\n' ' ' |
	    grep -q '^0 1 2 3 4 ' || fail "fds: $(ls /proc/$p0/fd | tr '\n' ' ')"
}

test_activation_update_rebinds_a_changed_socket() {
	old=$(free_port)
	new=$(free_port)
	[ "$old" != "$new" ] || new=$((old + 1))
	program w "$SERVE activated" "sockets = tcp://127.0.0.1:$old" \
	    "startsecs = 0"
	start_procd
	wait_for 10 "running" is_state w RUNNING
	ask "$old" >/dev/null || fail "no answer on $old"
	sed -i "s/127.0.0.1:$old/127.0.0.1:$new/" "$CONF"
	ctl reread | grep -q 'w: changed' || fail "reread: $(ctl reread)"
	ctl update >/dev/null || fail "update"
	wait_for 10 "answers on $new" sh -c "python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", $new), timeout=5)'"
	wait_for 10 "port $old released" port_free "$old"
	log_shows 5 "updated: w" "the update logged"
}

test_fcgi_reload_keeps_the_socket() {
	fcgi r 'unix://%(here)s/r.sock' 1
	start_procd
	wait_for 10 "running" is_state r:r_0 RUNNING
	old=$(pid_of r:r_0)
	fd0_socket "$old"
	inode=$(fd_of "$old" 0)
	ctl reload >/dev/null || fail "reload"
	wait_for 10 "a new process" sh -c "p=\$('$PROCCTL' -s '$SOCK' pid r:r_0); [ -n \"\$p\" ] && [ \"\$p\" != 0 ] && [ \"\$p\" != $old ]"
	wait_for 10 "running" is_state r:r_0 RUNNING
	same_fd0 "$inode" "$(pid_of r:r_0)"
	ask "$T/r.sock" | grep -q '^pid ' || fail "no answer after reload"
}

# low_free_port: a free TCP port below 1024, or nothing.
low_free_port() {
	python3 -c 'import socket
for p in range(1000, 600, -1):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    print(p)
    break'
}

test_fcgi_bound_before_procd_drops_privileges() {
	[ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 ||
	    skip "needs root and user nobody"
	port=$(low_free_port)
	[ -n "$port" ] || skip "no free port below 1024"
	binaries_for_nobody
	ng=$(id -gn nobody)
	mkdir "$T/nb" && chown nobody:"$ng" "$T/nb" && chmod 0700 "$T/nb"
	cp "$ROOT/tests/integration/sockserve.py" "$T/nb/" &&
	    chmod 0644 "$T/nb/sockserve.py"
	sed -i "s|= $T/|= $T/nb/|; s|^childlogdir = $T\$|childlogdir = $T/nb|" \
	    "$CONF"
	sed -i "s|^\[procd\]\$|[procd]\nuser = nobody|" "$CONF"
	SOCK=$T/nb/procd.sock
	SERVE="python3 $T/nb/sockserve.py"
	[ -n "${PROCD_WRAPPER:-}" ] && PROCD_WRAPPER="$(echo "$PROCD_WRAPPER" |
	    sed "s|$T/vg|$T/nb/vg|") --vgdb=no"
	fcgi low "tcp://127.0.0.1:$port" 1
	fcgi sock "unix://$T/nb/s.sock" 1
	start_procd
	ln -s "$T/nb/procd.pid" "$T/procd.pid"	# for teardown
	wait_for 10 "running" all_running low:low_0 sock:sock_0
	u=$(id -u nobody)
	expect_eq "$(awk '/^Uid:/ { print $2 }' /proc/$(procd_pid)/status)" \
	    "$u" "procd's uid"
	ask "$port" | grep -q '^pid .* fd 0$' || fail "no answer on port $port"
	# Made as root, given to the user procd became (as supervisord,
	# which binds after becoming it, would have it).
	expect_eq "$(stat -c %U "$T/nb/s.sock")" nobody "owner of s.sock"
	ctl shutdown >/dev/null || fail "shutdown refused"
	wait_for 10 "procd gone" sh -c "! [ -e $T/nb/procd.pid ]"
	[ -e "$T/nb/s.sock" ] && fail "s.sock left behind"
	port_free "$port" || fail "port $port still taken"
	mv "$T"/nb/vg.* "$T"/ 2>/dev/null	# for teardown to read
	true
}

test_activation_with_ready_fd() {
	port=$(free_port)
	# ready=fd:5 beside two sockets at 3 and 4: each where it belongs.
	program rd "sh -c 'echo >&5; exec 5>&-; exec $SERVE activated'" \
	    "sockets = tcp://127.0.0.1:$port, unix://%(here)s/rd.sock" \
	    "ready = fd:5"
	start_procd
	wait_for 10 "ready" is_state rd RUNNING
	log_shows 5 "success: rd entered RUNNING state, process is ready (ready=fd)" \
	    "not ready through fd 5"
	ask "$port" | grep -q ' fd 3$' || fail "tcp socket not at fd 3"
	ask "$T/rd.sock" | grep -q ' fd 4$' || fail "unix socket not at fd 4"
}
