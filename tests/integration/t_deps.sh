# depends_on: start after the dependencies are RUNNING (ready), stop
# before them, config errors with FILE:LINE, live reload.  Start and stop
# times are the programs' own, written to files in $T.

# stamped NAME: a command that records its start in $T/NAME.start and,
# on SIGTERM, its stop in $T/NAME.stop before exiting.  The trap comes
# first: once the start stamp is there, a stop is recorded (started).
stamped() {
	echo "sh -c 'trap \"date +%%s%%N > $T/$1.stop; exit 0\" TERM; date +%%s%%N > $T/$1.start; while :; do sleep 0.05; done'"
}

# ready_stamped NAME: the same, for ready = fd:3: ready once the start is
# recorded, so that a dependent's start stamp comes after it.
ready_stamped() {
	echo "sh -c 'trap \"date +%%s%%N > $T/$1.stop; exit 0\" TERM; date +%%s%%N > $T/$1.start; echo >&3; while :; do sleep 0.05; done'"
}

# started NAME...: each has written its start stamp, so its stop will be.
started() {
	for n in "$@"; do stamp "$n.start" >/dev/null; done
}

# stamp FILE: the time a program wrote to $T/FILE.  A program that is
# RUNNING at once (startsecs = 0) may not have written it yet: wait.
stamp() {
	wait_for 5 "$1 written" test -s "$T/$1"
	cat "$T/$1"
}

# earlier FILE1 FILE2: the stamp in $T/FILE1 is before the one in $T/FILE2.
earlier() {
	[ "$(stamp "$1")" -lt "$(stamp "$2")" ] ||
	    fail "$1 ($(stamp "$1")) not before $2 ($(stamp "$2"))"
}

# logline PATTERN: the line number of the first procd log line matching.
logline() {
	grep -n "$1" "$T/procd.log" | head -1 | cut -d: -f1
}

test_deps_dependent_waits_until_ready() {
	# db is ready once the test creates the flag; web would start first
	# by priority.
	program db "sh -c 'date +%%s%%N > $T/db.start; exec sleep 3600'" \
	    "ready = exec:test -e $T/db.flag" "priority = 900"
	program web "$(stamped web)" "depends_on = db" "startsecs = 0" \
	    "priority = 100"
	start_procd
	wait_for 5 "db starting" sh -c "[ -e $T/db.start ] &&
	    [ \$('$PROCCTL' -s '$SOCK' status db | awk '{print \$2}') = STARTING ]"
	expect_eq "$(ctl status web)" "$(status_line web STARTING 'waiting for db')" \
	    "status while waiting"
	expect_eq "$(json_field web waiting_for)" '["db"]' "JSON waiting_for"
	expect_eq "$(json_field web state)" '"STARTING"' "JSON state"
	expect_eq "$(json_field db waiting_for)" '[]' "db's JSON waiting_for"
	[ ! -e "$T/web.start" ] || fail "web started while db is STARTING"
	is_state db STARTING || fail "db: $(ctl status db)"
	t0=$(date +%s%N)
	touch "$T/db.flag"
	wait_for 5 "web running" is_state web RUNNING
	is_state db RUNNING || fail "db: $(ctl status db)"
	[ "$(stamp web.start)" -gt "$t0" ] || fail "web started before db was ready"
	# The writer thread writes in order: web's spawn there, db's line too.
	log_shows 5 "spawned: web " "web's spawn logged"
	a=$(logline "success: db entered RUNNING") b=$(logline "spawned: web ")
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] ||
	    fail "log order: db RUNNING at line $a, web spawned at line $b"
	expect_eq "$(json_field web waiting_for)" '[]' "JSON waiting_for once running"
}

test_deps_start_starts_dependencies_first() {
	# web -> db -> vol, none autostarted; db is ready 0.5 s after start.
	program vol "$(ready_stamped vol)" "autostart = false" "ready = fd:3"
	program db "sh -c 'date +%%s%%N > $T/db.start; sleep 0.5; date +%%s%%N > $T/db.ready; echo >&3; exec sleep 3600'" \
	    "autostart = false" "ready = fd:3" "depends_on = vol"
	program web "$(stamped web)" "autostart = false" "startsecs = 0" \
	    "depends_on = db"
	start_procd
	expect_eq "$(state_of vol)$(state_of db)$(state_of web)" \
	    STOPPEDSTOPPEDSTOPPED "states before start"
	ctl start web >/dev/null
	expect_eq "$?" 0 "start exit code"
	wait_for 5 "all running" all_running vol db web
	earlier vol.start db.start
	earlier db.ready web.start
	# The writer thread writes in order: web's spawn there, db's line too.
	log_shows 5 "spawned: web " "web's spawn logged"
	a=$(logline "success: db entered RUNNING") b=$(logline "spawned: web ")
	[ "$a" -lt "$b" ] || fail "log order: db RUNNING at line $a, web spawned at line $b"
}

test_deps_stop_stops_dependents_first_and_start_brings_them_back() {
	# api -> web -> db; other is unrelated.
	program db "$(ready_stamped db)" "ready = fd:3"
	program web "$(ready_stamped web)" "ready = fd:3" "depends_on = db"
	program api "$(stamped api)" "startsecs = 0" "depends_on = web"
	program other "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "all running" all_running db web api other
	started db web api
	web=$(pid_of web) api=$(pid_of api) other=$(pid_of other)
	rm -f "$T/db.start" "$T/web.start" "$T/api.start"
	ctl stop db >/dev/null
	expect_eq "$?" 0 "stop exit code"
	expect_eq "$(state_of api) $(state_of web) $(state_of db)" \
	    "STOPPED STOPPED STOPPED" "states after stop db"
	earlier api.stop web.stop
	earlier web.stop db.stop
	gone "$web" || fail "web still running"
	expect_eq "$(pid_of other)" "$other" "unrelated program's pid"
	ctl start db >/dev/null
	expect_eq "$?" 0 "start exit code"
	wait_for 5 "all back" all_running db web api
	[ "$(pid_of web)" != "$web" ] && [ "$(pid_of api)" != "$api" ] ||
	    fail "web/api did not restart"
	earlier db.start web.start
	earlier web.start api.start
}

test_deps_shutdown_stops_dependents_before_dependencies() {
	# By priority db (900) would stop first; web depends on it.
	program db "$(stamped db)" "startsecs = 0" "priority = 900"
	program web "$(stamped web)" "startsecs = 0" "priority = 100" \
	    "depends_on = db"
	start_procd
	wait_for 5 "all running" all_running db web
	started db web
	ctl shutdown >/dev/null
	wait_for 10 "procd gone" sh -c "! [ -e $T/procd.pid ]"
	[ -e "$T/web.stop" ] && [ -e "$T/db.stop" ] || fail "no stop stamps"
	earlier web.stop db.stop
}

# check_refused FILE LINE MESSAGE PROGRAM: procd check rejects FILE with
# "FILE:LINE: error: [program:PROGRAM] MESSAGE".
check_refused() {
	out=$("$PROCD" check -c "$1" 2>&1)
	expect_eq "$?" 2 "check exit code"
	echo "$out" | grep -qxF "$1:$2: error: [program:$4] $3" ||
	    fail "expected '$1:$2: error: [program:$4] $3', got: $out"
}

# depends_on_line FILE PROGRAM: the line of PROGRAM's depends_on in FILE.
depends_on_line() {
	awk -v s="[program:$2]" '$0 == s { in_s = 1; next }
	    /^\[/ { in_s = 0 } in_s && /^depends_on/ { print NR; exit }' "$1"
}

test_deps_config_errors_are_refused() {
	program a "sleep 3600" "startsecs = 0"
	program b "sleep 3600" "startsecs = 0"
	cp "$CONF" "$T/good.ini"
	# A cycle a -> b -> a.
	cp "$T/good.ini" "$T/cycle.ini"
	sed -i '/^\[program:a\]/,/^$/ s/^startsecs = 0$/&\ndepends_on = b/;
	    /^\[program:b\]/,/^$/ s/^startsecs = 0$/&\ndepends_on = a/' "$T/cycle.ini"
	la=$(depends_on_line "$T/cycle.ini" a)
	[ -n "$la" ] || fail "test set-up: no depends_on in cycle.ini"
	check_refused "$T/cycle.ini" "$la" "depends_on: dependency cycle: a -> b -> a" a
	# A program depending on itself.
	sed '/^\[program:b\]/,/^$/ s/^startsecs = 0$/&\ndepends_on = b/' \
	    "$T/good.ini" > "$T/self.ini"
	check_refused "$T/self.ini" "$(depends_on_line "$T/self.ini" b)" \
	    "depends_on: dependency cycle: b -> b" b
	# A name that names nothing.
	sed '/^\[program:b\]/,/^$/ s/^startsecs = 0$/&\ndepends_on = a, nosuch/' \
	    "$T/good.ini" > "$T/unknown.ini"
	check_refused "$T/unknown.ini" "$(depends_on_line "$T/unknown.ini" b)" \
	    'depends_on: "nosuch" names no program, group or process' b
	# The same refused by a running procd, which keeps its programs.
	start_procd
	wait_for 5 "all running" all_running a b
	pa=$(pid_of a) pb=$(pid_of b)
	for bad in cycle unknown; do
		cp "$T/$bad.ini" "$CONF"
		case $bad in
		cycle) want="$CONF:$la: error: [program:a] depends_on: dependency cycle: a -> b -> a" ;;
		unknown) want="$CONF:$(depends_on_line "$CONF" b): error: [program:b] depends_on: \"nosuch\" names no program, group or process" ;;
		esac
		for cmd in reread update; do
			out=$(ctl $cmd 2>&1)
			expect_eq "$?" 1 "$cmd of $bad.ini: exit code"
			echo "$out" | grep -qxF "$want" ||
			    fail "$cmd of $bad.ini: expected '$want', got: $out"
			echo "$out" | grep -q "nothing changed" ||
			    fail "$cmd of $bad.ini: $out"
		done
	done
	expect_eq "$(pid_of a) $(pid_of b)" "$pa $pb" "pids after refused reloads"
	all_running a b || fail "programs disturbed: $(ctl status)"
}

test_deps_failed_dependency_fails_the_dependent() {
	program db "sh -c 'exit 1'" "startsecs = 1" "startretries = 0"
	program web "$(stamped web)" "startsecs = 0" "depends_on = db"
	start_procd
	wait_for 10 "web fatal" is_state web FATAL
	is_state db FATAL || fail "db: $(ctl status db)"
	expect_eq "$(ctl status web)" \
	    "$(status_line web FATAL 'dependency db failed (FATAL)')" "status"
	[ ! -e "$T/web.start" ] || fail "web was started"
	# Started by hand: db is tried again, fails again, and says so.
	out=$(ctl start web)
	expect_eq "$?:$out" "7:web: ERROR (dependency db failed (FATAL))" \
	    "procctl start web"
}

test_deps_on_a_group() {
	cat >> "$CONF" <<CONF
[program:a]
command = sleep 3600
ready = exec:test -e $T/a.flag

[program:b]
command = sleep 3600
ready = exec:test -e $T/b.flag

[group:g]
programs = a, b

CONF
	program web "$(stamped web)" "startsecs = 0" "depends_on = g:*"
	# A bare group name means its members too.
	program web2 "$(stamped web2)" "startsecs = 0" "depends_on = g"
	start_procd
	wait_for 5 "members starting" sh -c "
	    '$PROCCTL' -s '$SOCK' status g:a | grep -q STARTING &&
	    '$PROCCTL' -s '$SOCK' status g:b | grep -q STARTING"
	for w in web web2; do
		expect_eq "$(json_field $w waiting_for)" '["g:a","g:b"]' \
		    "$w: JSON waiting_for"
		expect_eq "$(ctl status $w)" \
		    "$(status_line $w STARTING 'waiting for g:a, g:b')" "$w: status"
	done
	touch "$T/a.flag"
	wait_for 5 "g:a running" is_state g:a RUNNING
	is_state g:b STARTING || fail "g:b: $(ctl status g:b)"
	for w in web web2; do
		expect_eq "$(ctl status $w)" \
		    "$(status_line $w STARTING 'waiting for g:b')" "$w: status"
		[ ! -e "$T/$w.start" ] || fail "$w started with g:b not running"
	done
	t0=$(date +%s%N)
	touch "$T/b.flag"
	wait_for 5 "dependents running" all_running web web2
	[ "$(stamp web.start)" -gt "$t0" ] && [ "$(stamp web2.start)" -gt "$t0" ] ||
	    fail "a dependent started before g:b was ready"
}

test_deps_change_applies_live() {
	program db "$(stamped db)" "startsecs = 0"
	program web "$(stamped web)" "startsecs = 0"
	start_procd
	wait_for 5 "all running" all_running db web
	started db web
	web=$(pid_of web)
	echo "depends_on = db" >> "$CONF"	# web is the last section
	out=$(ctl reread)
	expect_eq "$out" "web: changed (live web [depends_on])" "reread"
	out=$(ctl update)
	expect_eq "$out" "web: updated process group (applied live)" "update"
	expect_eq "$(pid_of web)" "$web" "pid after a live change"
	# In effect: stopping db now stops web first.
	ctl stop db >/dev/null
	expect_eq "$(state_of web) $(state_of db)" "STOPPED STOPPED" \
	    "states after stop db"
	earlier web.stop db.stop
}

test_deps_dependency_restart_leaves_dependents_running() {
	program db "sleep 3600" "startsecs = 0" "autorestart = true"
	program web "sleep 3600" "startsecs = 0" "depends_on = db"
	start_procd
	wait_for 5 "all running" all_running db web
	db=$(pid_of db) web=$(pid_of web)
	kill "$db"
	wait_for 5 "db restarted" sh -c "p=\$('$PROCCTL' -s '$SOCK' pid db);
	    [ \"\$p\" != 0 ] && [ \"\$p\" != $db ]"
	wait_for 5 "db running" is_state db RUNNING
	expect_eq "$(pid_of web)" "$web" "web's pid across db's restart"
	is_state web RUNNING || fail "web: $(ctl status web)"
}

test_deps_update_adds_a_program_before_its_dependency() {
	program other "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "other running" is_state other RUNNING
	# aaa comes first in the file and in the diff; what it depends on is
	# added by the same update.
	cat >> "$CONF" <<CONF
[program:aaa]
command = sleep 3600
startsecs = 0
depends_on = zzz

[program:zzz]
command = sleep 3600
ready = exec:test -e $T/zzz.flag
CONF
	ctl update >/dev/null || fail "update"
	wait_for 5 "zzz starting" is_state zzz STARTING
	expect_eq "$(ctl status aaa)" \
	    "$(status_line aaa STARTING 'waiting for zzz')" "aaa while zzz starts"
	touch "$T/zzz.flag"
	wait_for 5 "both running" all_running aaa zzz
}
