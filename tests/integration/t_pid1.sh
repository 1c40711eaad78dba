# Container init (issue 5, item 6): procd --foreground as PID 1 of a PID
# namespace (unshare --pid --fork --mount-proc, needs root).  It reaps every
# orphan, turns SIGTERM and SIGINT into a clean shutdown within the
# programs' stopwaitsecs, and exits 0 -- which unshare passes on.
#
# Pids: procd's pidfile would say "1" (its pid inside the namespace), so
# these tests move the pidfile out of teardown's way and find procd's pid
# in our namespace as the child of the unshare process.

# pid1_setup: skip the test when PID namespaces are not available.
pid1_setup() {
	if [ "$(id -u)" != 0 ] ||
	    ! unshare --pid --fork --mount-proc true 2>/dev/null; then
		skip "unshare --pid --fork --mount-proc not available" \
		    "(needs root and CAP_SYS_ADMIN)"
	fi
	mkdir "$T/ns"
	sed -i "s|^pidfile = .*|pidfile = $T/ns/procd.pid|" "$CONF"
	return 0
}

pid1_cleanup() {
	# Killing the init of a PID namespace kills everything in it.
	[ -z "${NSP:-}" ] || kill -KILL "$NSP" 2>/dev/null
	[ -z "${U:-}" ] || kill -KILL "$U" 2>/dev/null
	[ -z "${U:-}" ] || wait "$U" 2>/dev/null
}

ns_child() {
	NSP=$(echo $(cat /proc/"$U"/task/*/children 2>/dev/null))
	[ -n "$NSP" ]
}

answers() {
	ctl status >/dev/null 2>&1
	r=$?
	[ $r -eq 0 ] || [ $r -eq 3 ]
}

# Our own child stays a zombie until we wait for it.
exited() {
	! alive "$1"
}

# pid1_start: run procd as PID 1 of a new namespace; sets U (unshare's
# pid) and NSP (procd's pid, as seen from here).
pid1_start() {
	NSP= U=
	unshare --pid --fork --mount-proc \
	    "$PROCD" start --foreground -c "$CONF" > "$T/fg.out" 2>&1 &
	U=$!
	trap 'pid1_cleanup; teardown' EXIT
	wait_for 10 "procd forked by unshare" ns_child
	wait_for 10 "procd answers" answers
	ns=$(awk '/^NSpid:/ {print $NF}' "/proc/$NSP/status")
	expect_eq "$ns" 1 "procd's pid in its namespace"
	expect_eq "$(tr '\0' ' ' < "/proc/$NSP/cmdline" | cut -d' ' -f1)" \
	    "$PROCD" "PID 1 of the namespace"
}

# States of every process of the namespace, from inside it.  -r: procd's
# root too, for a chroot (entering a mount namespace resets the root to
# that namespace's, where /proc is not the namespace's procfs).
ns_states() {
	nsenter -t "$NSP" -p -m -r ps -eo stat= 2>/dev/null
}

ns_no_zombies() {
	s=$(ns_states) || return 1
	[ -n "$s" ] && ! echo "$s" | grep -q '^Z'
}

reaped_count() {
	grep -c "reaped orphan pid" "$T/procd.log"
}

reaped_at_least() {
	[ "$(reaped_count)" -ge "$1" ]
}

test_pid1_reaps_orphans() {
	pid1_setup
	program orph "$HELPERS/orphans 50 300" "startsecs = 0"
	program web "sleep 3600" "startsecs = 0"
	pid1_start
	wait_for 10 "orphans spawned" grep -q "spawned 50" "$T/orph-stdout.log"
	wait_for 10 "50 orphans reaped (got $(reaped_count))" reaped_at_least 50
	# Again, while procd is busy restarting the program.
	out=$(ctl restart orph)
	expect_eq "$out" "$(printf 'orph: stopped\norph: started')" "restart"
	wait_for 10 "orphans spawned again" \
	    sh -c "[ \$(grep -c 'spawned 50' '$T/orph-stdout.log') -ge 2 ]"
	wait_for 10 "100 orphans reaped (got $(reaped_count))" \
	    reaped_at_least 100
	wait_for 5 "no zombie in the namespace" ns_no_zombies
	echo "pid1: $(reaped_count) orphans reaped; namespace:" \
	    "$(ns_states | sort | uniq -c | tr -s ' \n' ' ')"
	is_state web RUNNING || fail "web: $(ctl status web)"
}

# pid1_shutdown SIG: the clean shutdown on SIG, within stopwaitsecs.
pid1_shutdown() {
	sig=$1
	program web "sleep 3600" "startsecs = 0" "priority = 100"
	program deaf "$HELPERS/sigignore" "startsecs = 0" "stopwaitsecs = 2" \
	    "priority = 200"
	# Its 5 orphans live in its process group, with procd as parent.
	program orph "$HELPERS/orphans 5 60000" "startsecs = 0" \
	    "stopasgroup = true" "priority = 300"
	program esc "$HELPERS/escape" "startsecs = 0" "priority = 400"
	pid1_start
	wait_for 10 "deaf ready" grep -q ready "$T/deaf-stdout.log"
	wait_for 10 "orphans" grep -q "spawned 5" "$T/orph-stdout.log"
	wait_for 10 "escaped" grep -q ready "$T/esc-stdout.log"
	all=$(tree_pids "$NSP")
	[ "$(echo "$all" | wc -w)" -ge 10 ] || fail "too few processes: $all"
	t0=$(( $(date +%s%N) / 1000000 ))
	kill -"$sig" "$NSP"
	wait_for 10 "unshare exits" exited "$U"
	el=$(( $(date +%s%N) / 1000000 - t0 ))
	wait "$U"
	rc=$?
	U= NSP=
	echo "pid1: SIG$sig -> exit status $rc after $el ms" \
	    "(largest stopwaitsecs 2)"
	expect_eq "$rc" 0 "exit status of procd (through unshare)"
	# Within the largest stopwaitsecs (2 s), by procd's own log: the
	# test's clock would count a loaded machine's delays too.
	d=$(log_gap "received SIG$sig: shutting down" "procd exiting")
	echo "pid1: ${d} ms from SIG$sig to exit in procd's log"
	[ "$d" -le $((2000 + 1000 * SLOW)) ] || fail "shutdown took $d ms"
	for p in $all; do
		gone "$p" || fail "process $p of the namespace left"
	done
	log_shows 5 "received SIG$sig: shutting down" \
	    "SIG$sig not logged"
	log_shows 5 "killing deaf (pid [0-9]*) with SIGKILL" \
	    "deaf not killed after stopwaitsecs"
	for p in web deaf orph esc; do
		log_shows 5 "stopped: $p " "$p: not stopped"
	done
	log_shows 5 "procd exiting" "no clean exit logged"
	# Stopped in decreasing priority order.
	expect_eq "$(sed -n 's/.*stopped: \([a-z]*\) .*/\1/p' "$T/procd.log" |
	    tr '\n' ' ')" "esc orph deaf web " "stop order"
}

test_pid1_sigterm_clean_shutdown() {
	pid1_setup
	pid1_shutdown TERM
}

test_pid1_sigint_clean_shutdown() {
	pid1_setup
	pid1_shutdown INT
}
