# Log files in a directory the program's user can write (issue 13 §1): a
# root procd, a program running as nobody that owns its log directory,
# and a root-owned 0600 file it must never reach through procd.  Each
# attack is done as nobody; each test fails on procd before logfile.c.

as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# The stage: $T/app owned by nobody, $T/victim root's secret.
trust_setup() {
	[ "$(id -u)" = 0 ] || skip "needs root (a root procd, a nobody program)"
	id nobody >/dev/null 2>&1 || skip "no user nobody"
	command -v setpriv >/dev/null 2>&1 || skip "no setpriv"
	chmod 0711 "$T"
	mkdir "$T/app" && chown nobody "$T/app" && chmod 0755 "$T/app" ||
	    fail "making $T/app"
	printf 'SECRET\n' > "$T/victim" && chmod 0600 "$T/victim" ||
	    fail "making the victim"
}

victim_intact() {
	[ "$(cat "$T/victim")" = SECRET ] || fail "victim changed: $(head -c 200 "$T/victim")"
}

victim_touched() {
	[ "$(cat "$T/victim")" != SECRET ]
}

# A program as nobody writing a line every 10 ms to $T/app/out.log.
ticker() {
	program tick "sh -c 'while :; do echo tick-line; sleep 0.01; done'" \
	    "user = nobody" "stdout_logfile = $T/app/out.log" "$@"
}

# As nobody: move the log aside, put a symlink to the victim in its place.
plant_link() {
	as_nobody sh -c "mv '$T/app/out.log' '$T/app/out.log.old'; \
	    ln -s '$T/victim' '$T/app/out.log'" || fail "planting the link"
}

lost_bytes() {
	ctl --json status tick | python3 -c \
	    'import json, sys; print(json.load(sys.stdin)[0]["log_lost_bytes"])'
}

lost_more_than() {
	[ "$(lost_bytes)" -gt "$1" ]
}

refused_or_touched() {
	grep -q "refused" "$T/procd.log" || victim_touched
}

test_trust_reopen_does_not_follow_a_planted_symlink() {
	trust_setup
	ticker
	start_procd
	wait_for 5 "ticks logged" grep -q tick-line "$T/app/out.log"
	plant_link
	kill -USR2 "$(procd_pid)"
	wait_for 5 "reopen refused (or the victim written)" refused_or_touched
	victim_intact
	log_shows 5 "out.log: .*symlink: refused" \
	    "no precise refusal: $(grep refused "$T/procd.log")"
	# Nothing lost: output goes on into the file opened (and checked)
	# before, which nobody moved aside.
	n=$(grep -c tick-line "$T/app/out.log.old")
	wait_for 5 "output still in the file opened before" sh -c \
	    "[ \$(grep -c tick-line '$T/app/out.log.old') -gt $n ]"
	expect_eq "$(lost_bytes)" 0 "lost bytes"
	victim_intact
}

test_trust_rotation_race_does_not_reach_the_victim() {
	trust_setup
	ticker "stdout_logfile_maxbytes = 200" "stdout_logfile_backups = 2"
	start_procd
	wait_for 5 "a rotation" test -f "$T/app/out.log.1"
	# nobody puts the link back as soon as each rotation moves the log.
	as_nobody sh -c "i=0; while [ \$i -lt 20000 ]; do \
	    ln -s '$T/victim' '$T/app/out.log' 2>/dev/null && exit 0; \
	    i=\$((i + 1)); done; exit 1" || fail "never won the race"
	wait_for 10 "the link refused (or the victim written)" \
	    refused_or_touched
	victim_intact
}

test_trust_truncation_without_backups_spares_the_victim() {
	trust_setup
	ticker "stdout_logfile_maxbytes = 200" "stdout_logfile_backups = 0"
	start_procd
	# Not "a line in it": each write of 200 bytes or more is truncated
	# at once, and a busy procd reads the pipe in such batches.
	wait_for 5 "the log opened" test -f "$T/app/out.log"
	wait_for 5 "tick running" is_state tick RUNNING
	plant_link
	kill -USR2 "$(procd_pid)"
	wait_for 5 "reopen refused (or the victim touched)" refused_or_touched
	victim_intact
	[ "$(stat -c %s "$T/victim")" -eq 7 ] || fail "victim truncated"
}

test_trust_tail_and_clear_do_not_reach_the_victim() {
	trust_setup
	ticker
	start_procd
	wait_for 5 "ticks logged" grep -q tick-line "$T/app/out.log"
	plant_link
	kill -USR2 "$(procd_pid)"
	wait_for 5 "reopen refused (or the victim touched)" refused_or_touched
	ctl tail tick | grep -q SECRET && fail "tail printed the victim"
	ctl clear tick >/dev/null
	[ "$(stat -c %s "$T/victim")" -ge 7 ] || fail "clear truncated the victim"
}

test_trust_auto_log_names_cannot_be_planted() {
	trust_setup
	sed -i "s|^childlogdir = .*|childlogdir = $T/app|" "$CONF"
	program tick "sh -c 'while :; do echo tick-line; sleep 0.01; done'" \
	    "user = nobody"
	# The names procd used to pick, planted before it starts.
	as_nobody ln -s "$T/victim" "$T/app/tick-stdout.log" ||
	    fail "planting"
	as_nobody ln -s "$T/victim" "$T/app/tick-stderr.log" ||
	    fail "planting"
	start_procd
	wait_for 5 "ticks logged somewhere" sh -c \
	    "cat '$T'/app/tick-stdout*.log '$T/victim' 2>/dev/null | grep -q tick-line"
	victim_intact
	f=$(ls "$T"/app/tick-stdout---procd-*.log) || fail "no AUTO log"
	[ ! -L "$f" ] || fail "$f is a link"
	ctl tail tick | grep -q tick-line || fail "tail does not find $f"
}

# procd's own log, in a directory nobody may write (a misconfiguration
# procd warns about), swapped for a link before SIGUSR2.
own_log_written_somewhere() {
	ctl stop tick >/dev/null 2>&1
	ctl start tick >/dev/null 2>&1
	grep -q "reopen" "$T/logs/procd.log.old" 2>/dev/null || victim_touched
}

test_trust_own_log_reopen_does_not_follow_a_symlink() {
	trust_setup
	mkdir "$T/logs" && chown nobody "$T/logs" || fail "mkdir"
	sed -i "s|^logfile = .*|logfile = $T/logs/procd.log|" "$CONF"
	program tick "sleep 3600" "startsecs = 0"
	start_procd
	# The attack is on a log procd's writer has open: a line only the
	# running loop logs (a request) says so.  Before, the writer's first
	# open could come after the move and make the file again (valgrind).
	wait_for 10 "tick running" is_state tick RUNNING
	ctl restart tick >/dev/null || fail "restart"
	wait_for 5 "a line from procd's writer" \
	    grep -q "asked: restart tick" "$T/logs/procd.log"
	as_nobody sh -c "mv '$T/logs/procd.log' '$T/logs/procd.log.old' && \
	    ln -s '$T/victim' '$T/logs/procd.log'" || fail "planting"
	kill -USR2 "$(procd_pid)"
	wait_for 15 "reopen refused (or the victim written)" \
	    own_log_written_somewhere
	victim_intact
	refusal_in_old_log() { grep -q "symlink: refused" "$T/logs/procd.log.old"; }
	wait_for 15 "the refusal logged" refusal_in_old_log
}

test_trust_symlinked_subdirectory_is_not_followed() {
	# The log sits in a subdirectory of nobody's directory; nobody swaps
	# the subdirectory for a link to a root-only directory.  A reopen
	# (and a restart) must not create or write a file there.
	trust_setup
	mkdir "$T/rootonly" && chmod 0700 "$T/rootonly" || fail "rootonly"
	as_nobody mkdir "$T/app/sub" || fail "mkdir sub as nobody"
	program tick "sh -c 'while :; do echo tick-line; sleep 0.01; done'" \
	    "user = nobody" "stdout_logfile = $T/app/sub/out.log"
	start_procd
	wait_for 5 "ticks logged" grep -q tick-line "$T/app/sub/out.log"
	as_nobody sh -c "mv '$T/app/sub' '$T/app/sub.old'; \
	    ln -s '$T/rootonly' '$T/app/sub'" || fail "planting the link"
	kill -USR2 "$(procd_pid)"
	wait_for 5 "reopen refused" grep -q "sub.*symlink in a directory others can write" "$T/procd.log"
	ctl restart tick >/dev/null
	[ ! -e "$T/rootonly/out.log" ] || fail "procd wrote through the link"
}

# A log directory that a user other than the program's may write is
# warned about at start-up, with why; the program's own, root's, and a
# sticky /tmp-like one are not.
test_trust_log_directory_writable_by_others_is_warned_about() {
	trust_setup
	mkdir "$T/open" "$T/sticky" && chmod 0777 "$T/open" &&
	    chmod 1777 "$T/sticky" || fail "making the directories"
	program wide "sleep 3600" "startsecs = 0" \
	    "stdout_logfile = $T/open/wide.log"
	program theirs "sleep 3600" "startsecs = 0" \
	    "stdout_logfile = $T/app/theirs.log"
	ticker "startsecs = 0"
	program st "sleep 3600" "startsecs = 0" \
	    "stdout_logfile = $T/sticky/st.log"
	start_procd
	wait_for 10 "all running" all_running wide theirs tick st
	log_shows 5 "program wide stdout: log $T/open/wide.log: its directory is writable by others (mode 0777)" \
	    "a warning for a mode 0777 directory"
	log_shows 5 "program theirs stdout: log $T/app/theirs.log: its directory is owned by uid $(id -u nobody)" \
	    "a warning for a directory nobody owns (root's program)"
	# The warnings come as the streams are set up, before the spawns:
	# once st's start is in the log, none is still to come.
	log_shows 5 "success: st entered RUNNING" "st's start logged"
	! grep -q "program tick stdout: log" "$T/procd.log" ||
	    fail "warned about the program's own directory"
	! grep -q "program st stdout: log" "$T/procd.log" ||
	    fail "warned about a sticky directory"
}
