# Shutdown: reverse priority order, nothing left behind.

test_priority_order_start_and_stop() {
	for p in 300:c 100:a 200:b; do
		prio=${p%%:*} name=${p#*:}
		# The trap first: once "start" is written, a stop is too.
		program "$name" "sh -c 'trap \"echo stop $name >> $T/order; exit 0\" TERM; echo start $name >> $T/order; while :; do sleep 0.05; done'" \
		    "priority = $prio" "startsecs = 0"
	done
	start_procd
	wait_for 5 "all started" sh -c "[ \$(grep -c start $T/order) = 3 ]"
	wait_for 5 "three spawns logged" sh -c \
	    "[ \$(grep -c 'spawned: [abc] ' $T/procd.log) = 3 ]"
	# Spawn order is procd's; the children's own writes may race.
	expect_eq "$(sed -n 's/.*spawned: \([abc]\) .*/\1/p' "$T/procd.log" |
	    tr '\n' ' ')" "a b c " "start order"
	ctl shutdown >/dev/null
	wait_for 10 "procd gone" sh -c "! [ -e $T/procd.pid ]"
	expect_eq "$(grep stop "$T/order" | tr '\n' ' ')" \
	    "stop c stop b stop a " "stop order"
}

test_shutdown_leaves_nothing() {
	program web "sleep 3600" "startsecs = 0"
	program fam "$HELPERS/stubborn fork" "startsecs = 0" \
	    "stopwaitsecs = 1" "stopasgroup = true"
	start_procd
	wait_for 5 "grandchild" grep -q grandchild "$T/fam-stdout.log"
	pid=$(procd_pid)
	kids="$(tree_pids "$pid")"
	[ -n "$kids" ] || fail "no children"
	out=$(ctl shutdown)
	expect_eq "$out" "Shut down" "shutdown output"
	wait_for 10 "procd gone" gone "$pid"
	for k in $kids; do
		gone "$k" || fail "process $k left behind"
	done
	[ ! -e "$SOCK" ] || fail "socket left behind"
	[ ! -e "$T/procd.pid" ] || fail "pidfile left behind"
}

test_sigterm_is_clean_shutdown() {
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "running" is_state web RUNNING
	pid=$(procd_pid)
	child=$(pid_of web)
	kill -TERM "$pid"
	wait_for 10 "procd gone" gone "$pid"
	gone "$child" || fail "child left behind"
	log_shows 5 "received SIGTERM" "not logged"
}
