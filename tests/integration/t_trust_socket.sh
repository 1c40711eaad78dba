# The control socket under a hostile local peer (issue 13 §2), and a big
# host's autostart (§6).  Each attack ran against procd before its fix and
# broke it: root locked out by dribbling clients, procd's memory grown by
# clients that never read, its log filled by refused connections.  The
# attackers are python3 (stdlib only) running as user nobody.

# The attacker: python3 $T/bin/hostile.py MODE SOCKET ARGS...
hostile_script() {
	cat > "$T/bin/hostile.py" <<'PY'
import os, socket, struct, sys, time

def request(*argv, rid=1):
    p = b"".join(a.encode() + b"\0" for a in argv)
    return struct.pack(">IHBBI", len(p), 1, 1, 0, rid) + p

def conn(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(2)
    s.connect(path)
    return s

def alive(s):
    """Still connected: no EOF or error after what was sent to us."""
    s.setblocking(False)
    try:
        while True:
            if s.recv(65536) == b"":
                return False
    except BlockingIOError:
        return True
    except OSError:
        return False

mode, path = sys.argv[1], sys.argv[2]
done = sys.argv[-1]
if mode == "dribble":
    # N connections, each sends one byte of a header now and then.
    msg = request("status")
    socks = []
    for i in range(int(sys.argv[3])):
        try:
            s = conn(path)
            s.send(msg[:1])	# a request begun: not idle
            socks.append(s)
        except OSError:
            pass
    sent = 1
    open(done + ".ready", "w").close()
    while not os.path.exists(done):
        for s in socks:
            try:
                s.send(msg[sent % 11:sent % 11 + 1])
            except OSError:
                pass
        sent += 1
        time.sleep(0.5)
    print("held %d of %d" % (sum(alive(s) for s in socks), len(socks)))
elif mode == "noread":
    # N connections, each pipelines K requests and never reads.
    n, k = int(sys.argv[3]), int(sys.argv[4])
    socks = []
    for i in range(n):
        try:
            s = conn(path)
            s.setblocking(False)
            data = b"".join(request("status", rid=j) for j in range(k))
            try:
                s.send(data)
            except OSError:
                pass
            socks.append(s)
        except OSError:
            pass
    open(done + ".ready", "w").close()
    while not os.path.exists(done):
        time.sleep(0.1)
elif mode == "knock":
    # Connect and hang up as fast as possible for SECS seconds.
    end, n = time.time() + float(sys.argv[3]), 0
    while time.time() < end and n < 500000:
        try:
            conn(path).close()
            n += 1
        except OSError:
            pass
    print("knocked %d times" % n)
PY
	chmod 0755 "$T/bin/hostile.py"
}

as_nobody() {
	setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups "$@"
}

hostile_setup() {
	[ "$(id -u)" = 0 ] || skip "needs root (the attacker is nobody)"
	id nobody >/dev/null 2>&1 || skip "no user nobody"
	command -v setpriv >/dev/null || skip "no setpriv"
	skip_under_valgrind "fd and memory limits, rates"
	binaries_for_nobody
	hostile_script
	# where nobody leaves word that it is ready
	mkdir -m 0777 "$T/x" || fail "mkdir $T/x"
	BG=
	trap '[ -n "$BG" ] && kill $BG 2>/dev/null; teardown' EXIT
}

# ROOT_STATUS WHAT: root's status answers, and quickly, during an attack.
root_status() {
	t0=$(now_ms)
	out=$(timeout $((5 * SLOW)) "$PROCCTL" -s "$SOCK" status 2>&1)
	echo "  root's status during $1: $(( $(now_ms) - t0 )) ms"
	echo "$out" | grep -q RUNNING ||
	    fail "root's status during $1: $(echo "$out" | head -3)"
}

peak_kb() {
	awk '/^VmHWM/ { print $2 }' "/proc/$1/status"
}

# A group member dribbling bytes on every slot it can get: root still
# gets in, at once, and the member gets no more than its share.
test_trust_dribbling_clients_cannot_lock_out_root() {
	hostile_setup
	cat >> "$CONF" <<EOF
socket_mode = 0660
socket_owner = root:$(id -gn nobody)

EOF
	program a "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 10 "a RUNNING" sh -c "'$PROCCTL' -s '$SOCK' status a | grep -q RUNNING"
	as_nobody /usr/bin/python3 "$T/bin/hostile.py" dribble "$SOCK" 400 "$T/x/done" \
	    > "$T/bg.out" 2>&1 &
	BG=$!
	wait_for 20 "attacker connected" test -e "$T/x/done.ready"
	for i in 1 2 3 4 5; do
		root_status "400 dribbling connections"
	done
	touch "$T/x/done"
	wait_for 20 "attacker gone" sh -c "! kill -0 $BG 2>/dev/null"
	BG=
	cat "$T/bg.out"
	held=$(sed -n 's/^held \([0-9]*\) of .*/\1/p' "$T/bg.out")
	[ -n "$held" ] && [ "$held" -le 64 ] ||
	    fail "one uid held ${held:-?} connections (at most 64)"
	log_shows 5 "refused uid $(id -u nobody) .*too many clients of this user" \
	    "the refusals were not logged"
}

# Clients that pipeline requests and never read: one reply each is
# queued, no more; procd's peak memory stays small.
test_trust_non_reading_clients_cannot_grow_procd() {
	hostile_setup
	cat >> "$CONF" <<EOF
socket_mode = 0660
socket_owner = root:$(id -gn nobody)

EOF
	i=0
	while [ $i -lt 200 ]; do
		# long names: a status reply of ~25 kB
		program "p$(printf '%0100d' $i)" "sleep 3600" "startsecs = 0"
		i=$((i + 1))
	done
	start_procd
	PID=$(procd_pid)
	wait_for 20 "200 RUNNING" sh -c "[ \$('$PROCCTL' -s '$SOCK' status | grep -c RUNNING) -eq 200 ]"
	before=$(peak_kb "$PID")
	as_nobody /usr/bin/python3 "$T/bin/hostile.py" noread "$SOCK" 60 50 "$T/x/done" \
	    > "$T/bg.out" 2>&1 &
	BG=$!
	wait_for 30 "attacker connected" test -e "$T/x/done.ready"
	root_status "60 clients not reading 50 replies each"
	root_status "60 clients not reading 50 replies each"
	after=$(peak_kb "$PID")
	echo "  procd peak RSS: $before kB before, $after kB during"
	# 60 x 50 status replies of ~25 kB would be ~75 MB.  (Not under
	# ASan, whose quarantine keeps every freed reply buffer a while.)
	[ "${PROCD_BUILD:-build}" = build-san ] ||
	    [ $((after - before)) -lt $((24 * 1024)) ] ||
	    fail "procd grew from $before kB to $after kB"
	touch "$T/x/done"
	wait_for 20 "attacker gone" sh -c "! kill -0 $BG 2>/dev/null"
	BG=
	root_status "the non-readers left"
}

# Someone the socket refuses knocks as fast as it can: procd's log says
# so once, then sums it up, instead of a line per knock.
test_trust_refused_flood_is_summed_up_in_the_log() {
	hostile_setup
	cat >> "$CONF" <<EOF
socket_mode = 0666

EOF
	program a "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 10 "a RUNNING" sh -c "'$PROCCTL' -s '$SOCK' status a | grep -q RUNNING"
	size0=$(wc -c < "$T/procd.log")
	as_nobody /usr/bin/python3 "$T/bin/hostile.py" knock "$SOCK" 5 "$T/x/done" \
	    > "$T/bg.out" 2>&1 &
	BG=$!
	root_status "a refused flood"
	wait_for 30 "flood over" sh -c "! kill -0 $BG 2>/dev/null"
	BG=
	cat "$T/bg.out"
	wait_for 15 "the summary" grep -q \
	    "refused uid $(id -u nobody) [0-9]* more times in the last 10 s" \
	    "$T/procd.log"
	grown=$(( $(wc -c < "$T/procd.log") - size0 ))
	echo "  procd.log grew by $grown bytes"
	[ "$grown" -lt 16384 ] || fail "procd.log grew by $grown bytes"
	root_status "the flood"
}

# 3,000 programs: status answers while autostart is still spawning them
# (some RUNNING, some not yet started), not only once it is over.
test_trust_status_answers_during_a_big_autostart() {
	skip_under_valgrind "3,000 spawns"
	cat >> "$CONF" <<EOF
minfds = 16384

EOF
	cat >> "$CONF" <<EOF
[program:many]
command = sleep 3600
numprocs = 3000
process_name = %(program_name)s_%(process_num)d
startsecs = 0
stdout_logfile = NONE
stderr_logfile = NONE
EOF
	start_procd
	seen=
	deadline=$(( $(now_ms) + 60000 * SLOW ))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		# exit 3 while some are not running, as supervisorctl's
		out=$("$PROCCTL" -s "$SOCK" status 2>&1)
		echo "$out" | grep -q "^many:many_" ||
		    fail "status: $(echo "$out" | head -3)"
		run=$(echo "$out" | grep -c RUNNING)
		down=$(echo "$out" | grep -c STOPPED)
		[ "$run" -gt 0 ] && [ "$down" -gt 0 ] && seen=1
		[ "$run" -eq 3000 ] && break
	done
	echo "  RUNNING $run, STOPPED $down at the last sample"
	[ "$run" -eq 3000 ] || fail "only $run of 3000 RUNNING"
	[ -n "$seen" ] || fail "status never answered during autostart"
}

# The fd budget counts what each program holds: 400 programs logging
# nothing fit in 1024 descriptors (no warning, which 3 a program assumed),
# 400 logging stdout and stderr to files (4 each) do not, and procd says so
# with the number to raise minfds to.
test_trust_fd_budget_counts_what_programs_hold() {
	i=0
	while [ $i -lt 500 ]; do
		program "q$i" "sleep 3600" "autostart = false" \
		    "stdout_logfile = NONE" "stderr_logfile = NONE"
		i=$((i + 1))
	done
	sed -i "/^\[procd\]\$/a minfds = 1024" "$CONF"
	prlimit --nofile=1024:1024 "$PROCD" start -c "$CONF" ||
	    fail "procd start: $(tail -3 "$T/procd.log")"
	ctl shutdown >/dev/null
	# The pidfile (and its lock) goes last: then a new procd may start.
	wait_for 10 "procd gone" sh -c "! test -e '$T/procd.pid'"
	! grep -q "file descriptors" "$T/procd.log" ||
	    fail "needless warning: $(grep 'file descriptors' "$T/procd.log")"
	sed -i 's/^stdout_logfile = NONE$/stdout_logfile = AUTO/; s/^stderr_logfile = NONE$/stderr_logfile = AUTO/' "$CONF"
	prlimit --nofile=1024:1024 "$PROCD" start -c "$CONF" ||
	    fail "procd start: $(tail -3 "$T/procd.log")"
	# 500 programs, two streams to files and a stdin pipe: 1500 pipes in the loop's
	# table, 1000 files in the writers', each table under the limit.
	log_shows 5 "500 programs hold 1500 pipes in procd's loop .* and 1000 log files .* the limit, 1024, .* raise minfds to at least 1596" \
	    "no precise warning: $(grep 'file descriptors' "$T/procd.log")"
}
