# lib.sh -- helpers for procd's integration tests (sourced by run.sh).
#
# Every test runs the real binaries in its own temp dir, waits for
# conditions with a deadline (never a bare sleep), and is cleaned up by pid.

ROOT=${ROOT:-$(pwd)}
PROCD="$ROOT/${PROCD_BUILD:-build}/procd"
PROCCTL="$ROOT/${PROCD_BUILD:-build}/procctl"
HELPERS="$ROOT/${PROCD_BUILD:-build}/helpers"
# Scale deadlines for slow builds (valgrind, sanitizers).
SLOW=${PROCD_TEST_SLOW:-1}

fail() {
	echo "FAIL: $*" >&2
	# What procd said last: the one clue a CI log keeps of a failure.
	if [ -n "${T:-}" ] && [ -s "$T/procd.log" ]; then
		echo "--- last lines of procd.log:" >&2
		tail -n 15 "$T/procd.log" >&2
	fi
	exit 1
}

# skip WHY: this test cannot run here; run.sh counts it as skipped (exit
# status 77, as automake's test drivers) and prints WHY.
SKIP_STATUS=77
skip() {
	echo "skip: $*"
	exit $SKIP_STATUS
}

# setup: a fresh directory with the [procd] part of a config.
setup() {
	T=$(mktemp -d /tmp/procd-test.XXXXXX) || fail "mktemp"
	# A daemon's stderr is /dev/null: sanitizer reports go to files,
	# and teardown fails the test if there are any.
	export ASAN_OPTIONS="log_path=$T/asan:detect_leaks=1"
	export UBSAN_OPTIONS="log_path=$T/ubsan:print_stacktrace=1"
	# make check-valgrind: every daemonized procd runs under valgrind.
	if [ -n "${PROCD_VALGRIND:-}" ]; then
		PROCD_WRAPPER="valgrind --quiet --leak-check=full
		    --errors-for-leak-kinds=definite --show-leak-kinds=definite
		    --log-file=$T/vg.%p"
	fi
	CONF="$T/procd.ini"
	SOCK="$T/procd.sock"
	cat > "$CONF" <<CONF
[procd]
socket = $SOCK
pidfile = $T/procd.pid
logfile = $T/procd.log
childlogdir = $T
loglevel = debug

CONF
}

# program NAME COMMAND [key=value ...]: append a [program:NAME] section.
program() {
	name=$1 cmd=$2
	shift 2
	{
		echo "[program:$name]"
		echo "command = $cmd"
		for kv in "$@"; do echo "$kv"; done
		echo
	} >> "$CONF"
}

# skip_under_valgrind WHY: for tests that measure limits or speed, which
# valgrind changes (it reserves descriptors and runs procd ~20x slower).
# They run in the plain and sanitizer passes.
skip_under_valgrind() {
	[ -z "${PROCD_VALGRIND:-}" ] || skip "under valgrind: $*"
}

# binaries_for_nobody: for a test that runs procd or procctl as another
# user.  The checkout may be where that user cannot go (/root is 0700), so
# the binaries are copied into $T/bin and $T is made traversable (not
# listable); PROCD and PROCCTL then name the copies.
binaries_for_nobody() {
	mkdir -p "$T/bin" || fail "mkdir $T/bin"
	# procd-gateway beside procd: procd runs it from its own directory.
	cp "$PROCD" "$PROCCTL" "${PROCD%/*}/procd-gateway" "$T/bin/" ||
	    fail "copying the binaries"
	chmod 0755 "$T/bin" "$T/bin/procd" "$T/bin/procctl" \
	    "$T/bin/procd-gateway"
	chmod 0711 "$T"
	PROCD=$T/bin/procd PROCCTL=$T/bin/procctl
}

ctl() {
	"$PROCCTL" -s "$SOCK" "$@"
}

procd_pid() {
	cat "$T/procd.pid" 2>/dev/null
}

start_procd() {
	${PROCD_WRAPPER:-} "$PROCD" start -c "$CONF" "$@" ||
	    fail "procd start failed (log: $(tail -5 "$T/procd.log" 2>/dev/null))"
}

# wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds.
wait_for() {
	secs=$1 what=$2
	shift 2
	deadline=$(( $(date +%s%N) / 1000000 + secs * 1000 * SLOW ))
	while ! "$@" >/dev/null 2>&1; do
		[ $(( $(date +%s%N) / 1000000 )) -lt $deadline ] ||
		    fail "timed out after ${secs}s waiting for: $what"
		sleep 0.02	# poll interval, not a wait for an outcome
	done
}

# log_shows SECONDS PATTERN DESCRIPTION: wait until procd's log has a line
# matching PATTERN (grep's basic regex).  procd logs after the act a test
# sees (a reap, a state, a child's own output), and a writer thread puts
# the line in the file; under valgrind the gap is long enough to be seen.
log_shows() {
	wait_for "$1" "$3" grep -q -- "$2" "$T/procd.log"
}

state_of() {
	ctl status "$1" 2>/dev/null | awk '{print $2}'
}

is_state() {
	[ "$(state_of "$1")" = "$2" ]
}

pid_of() {
	ctl pid "$1"
}

alive() {
	[ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

gone() {
	! [ -d "/proc/$1" ]
}

# Probes of a process through /proc, for the stress and flood tests.
now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

fd_count() {
	ls "/proc/$1/fd" 2>/dev/null | wc -l
}

fd_count_is() {
	[ "$(fd_count "$1")" -eq "$2" ]
}

# Wait until PID's fd count holds still for a few readings; print it.
stable_fd_count() {
	prev=-1 same=0 i=0
	while [ $same -lt 3 ] && [ $i -lt 250 ]; do
		n=$(fd_count "$1")
		if [ "$n" -eq "$prev" ]; then
			same=$((same + 1))
		else
			same=0
		fi
		prev=$n
		i=$((i + 1))
		sleep 0.1	# sampling interval
	done
	echo "$prev"
}

cpu_ticks() {
	sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

# quiet PID N: true once PID has been seen asleep (state S) with its CPU
# time unchanged in N polls in a row (wait_for's polls are 20 ms apart).
# A process that spins never is; one that only wakes for its timers is
# soon.  Counts in QUIET_SEEN across wait_for's calls.
quiet() {
	q_st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	q_c=$(cpu_ticks "$1")
	if [ "$q_st" = S ] && [ "$q_c" = "${QUIET_TICKS:-}" ]; then
		QUIET_SEEN=$((${QUIET_SEEN:-0} + 1))
	else
		QUIET_SEEN=0
	fi
	QUIET_TICKS=$q_c
	[ "$QUIET_SEEN" -ge "$2" ]
}

rss_kb() {
	awk '/^VmRSS:/ {print $2}' "/proc/$1/status"
}

# log_ms PATTERN [FILE]: the time of the first line of procd's log (or of
# FILE, a part of it) matching PATTERN, in ms.  Timings taken from procd's
# own log leave out the delays a loaded machine adds to the test's polls.
log_ms() {
	line=$(grep -m1 -- "$1" "${2:-$T/procd.log}")
	[ -n "$line" ] || fail "not in procd's log: $1"
	date -d "$(echo "$line" | cut -c1-23)" +%s%3N
}

# log_gap FROM TO [FILE]: ms between the first log lines matching FROM
# and TO.
log_gap() {
	echo $(( $(log_ms "$2" "${3:-}") - $(log_ms "$1" "${3:-}") ))
}

# expect_eq ACTUAL EXPECTED WHAT
# all_running NAME...: every one of them is RUNNING.
all_running() {
	for n in "$@"; do is_state "$n" RUNNING || return 1; done
}

# status_line NAME STATE DESCRIPTION: procctl status's line.
status_line() {
	printf '%-33s%-10s%s' "$1" "$2" "$3"
}

# json_field NAME FIELD: a field of NAME's JSON status, as JSON.
json_field() {
	ctl --json status "$1" | python3 -c '
import json, sys
print(json.dumps(json.load(sys.stdin)[0][sys.argv[1]], separators=(",", ":")))' "$2"
}

expect_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# The pids in procd's process tree (children and theirs), for cleanup.
tree_pids() {
	p=$1
	for c in $(cat /proc/$p/task/*/children 2>/dev/null); do
		echo "$c"
		tree_pids "$c"
	done
}

teardown() {
	pid=$(procd_pid)
	if [ -n "$pid" ] && alive "$pid"; then
		kids=$(tree_pids "$pid")
		kill -TERM "$pid" 2>/dev/null
		i=0
		while alive "$pid" && [ $i -lt 500 ]; do
			sleep 0.02
			i=$((i + 1))
		done
		kill -KILL "$pid" $kids 2>/dev/null
	fi
	# --quiet: valgrind writes only what it found, so any line counts.
	# Lines "--PID-- ..." are valgrind's own notes, not findings: this
	# valgrind (3.19) does not know openat2(2) and says so; procd then
	# falls back to O_NOFOLLOW (logfile.c).  Errors are "==PID==" lines.
	if grep -lv '^--[0-9]*-- ' "$T"/vg.* >/dev/null 2>&1; then
		grep -lv '^--[0-9]*-- ' "$T"/vg.* | xargs cat | head -80
		rm -rf "$T"
		echo "FAIL: valgrind found errors (above)" >&2
		exit 1
	fi
	# Either kind alone fails the test (ls of both fails unless both).
	if ls "$T"/asan.* >/dev/null 2>&1 || ls "$T"/ubsan.* >/dev/null 2>&1
	then
		cat "$T"/asan.* "$T"/ubsan.* 2>/dev/null | head -60
		rm -rf "$T"
		echo "FAIL: sanitizer report (above)" >&2
		exit 1
	fi
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
