# Program output: captured whole, even from a program that exits at once.

test_output_of_quick_exit_is_complete() {
	program burst "sh -c 'seq 1 20000; exit 0'" "startsecs = 0" \
	    "autorestart = false"
	start_procd
	wait_for 5 "exited" is_state burst EXITED
	# The writer thread puts the last lines in the file after the exit.
	wait_for 10 "all 20000 lines logged" sh -c \
	    "[ \"\$(tail -1 '$T/burst-stdout.log')\" = 20000 ]"
	expect_eq "$(wc -l < "$T/burst-stdout.log")" 20000 "lines logged"
	expect_eq "$(tail -1 "$T/burst-stdout.log")" 20000 "last line"
}

test_long_command_line_exact() {
	arg=$(python3 -c 'print("x" * 4000 + "END")')
	program long "echo $arg" "startsecs = 0" "autorestart = false"
	start_procd
	wait_for 5 "exited" is_state long EXITED
	wait_for 5 "the line logged" grep -q END "$T/long-stdout.log"
	expect_eq "$(cat "$T/long-stdout.log")" "$arg" "long argument"
}

test_no_injection_from_long_line() {
	pad=$(python3 -c 'print("y" * 190)')
	program inj "echo $pad user=root" "startsecs = 0" "autorestart = false"
	start_procd
	wait_for 5 "exited" is_state inj EXITED
	# The file is made and written by a writer thread: maybe a moment
	# after the exit (under valgrind, more than the exit waits).
	wait_for 5 "the line logged" grep -q "user=root" "$T/inj-stdout.log"
	expect_eq "$(cat "$T/inj-stdout.log")" "$pad user=root" "value"
}

test_rotation_keeps_lines_whole() {
	program chatty "sh -c 'seq -f line%%06g 1 30000'" "startsecs = 0" \
	    "autorestart = false" "stdout_logfile_maxbytes = 20KB" \
	    "stdout_logfile_backups = 50"
	start_procd
	wait_for 10 "exited" is_state chatty EXITED
	# The exit waits for the writer only so long (a slow one, valgrind,
	# is not waited out): the last line, then the files.
	wait_for 10 "the last line written" sh -c \
	    "tail -1 '$T/chatty-stdout.log' | grep -qx line030000"
	ls "$T"/chatty-stdout.log.* >/dev/null 2>&1 || fail "no rotation"
	n=$(cat $(ls -r "$T"/chatty-stdout.log.*) "$T/chatty-stdout.log" |
	    grep -c '^line[0-9]\{6\}$')
	expect_eq "$n" 30000 "whole lines across files"
	for f in "$T"/chatty-stdout.log*; do
		[ -z "$(tail -c 1 "$f")" ] || fail "$f ends mid-line"
	done
}

test_redirect_stderr_and_tail() {
	program both "sh -c 'echo out; echo err >&2; exec sleep 3600'" \
	    "startsecs = 0" "redirect_stderr = true"
	start_procd
	wait_for 5 "both lines" sh -c "grep -q err $T/both-stdout.log &&
	    grep -q out $T/both-stdout.log"
	[ ! -e "$T/both-stderr.log" ] || fail "stderr log created"
	out=$(ctl tail both)
	echo "$out" | grep -q out || fail "tail: $out"
	out=$(ctl tail -3 both)
	expect_eq "$out" "rr" "tail -3"
}

test_tail_follow_and_hangup() {
	program ticker "sh -c 'i=0; while :; do echo tick\$i; i=\$((i+1)); sleep 0.02; done'" \
	    "startsecs = 0"
	start_procd
	wait_for 5 "ticking" grep -q tick3 "$T/ticker-stdout.log"
	base=$(stable_fd_count "$(procd_pid)")
	"$PROCCTL" -s "$SOCK" tail -f ticker > "$T/follow.out" &
	fpid=$!
	n=$(wc -l < "$T/ticker-stdout.log")
	# Lines written after the follow began reach the follower.
	wait_for 5 "followed output" sh -c "grep -q tick$((n + 20)) $T/follow.out"
	kill "$fpid"
	wait "$fpid" 2>/dev/null
	# procd notices the hangup and keeps serving everyone else.
	wait_for 5 "the follower's connection closed" \
	    fd_count_is "$(procd_pid)" "$base"
	ctl status ticker >/dev/null || fail "status after follower left"
	for i in 1 2 3; do "$PROCCTL" -s "$SOCK" tail -f ticker >/dev/null & kill $! ; done
	wait_for 5 "still answering" ctl status ticker
}

# contiguous FILE: the numbers on FILE's lines follow one another, the
# first line (the backlog may begin in a line) and the last (cut by the
# follower's going) aside; prints the first break.
contiguous() {
	sed '1d;$d' "$1" | awk 'NR > 1 && $1 != prev + 1 {
	    print "after " prev " came " $1; bad = 1; exit }
	    { prev = $1 } END { exit bad }'
}

test_tail_follow_backlog_meets_the_live_part() {
	# A program that writes as fast as it can: whatever was read from
	# it but not yet on disk when tail -f began must still reach the
	# follower, between the backlog and the live lines.
	program counter "sh -c 'i=0; while :; do echo \$i; i=\$((i+1)); done'" \
	    "startsecs = 0" "stdout_logfile_maxbytes = 0"
	start_procd
	wait_for 5 "counting" sh -c "[ \$(wc -l < $T/counter-stdout.log) -ge 1000 ]"
	for k in 1 2 3 4 5 6 7 8 9 10; do
		"$PROCCTL" -s "$SOCK" tail -f -200 counter > "$T/follow.$k" &
		fpid=$!
		wait_for 5 "follow $k under way" sh -c \
		    "[ \$(wc -l < $T/follow.$k) -ge 2000 ]"
		kill "$fpid"
		wait "$fpid" 2>/dev/null
		out=$(contiguous "$T/follow.$k") || fail "follow $k: $out"
	done
}

test_maintail() {
	program web "sleep 3600" "startsecs = 0"
	start_procd
	wait_for 5 "running" is_state web RUNNING
	log_shows 5 "spawned: web" "the spawn logged"
	ctl maintail | grep -q "spawned: web" || fail "maintail: $(ctl maintail)"
	expect_eq "$(ctl maintail -5 | wc -c)" 5 "maintail -5 bytes"
	"$PROCCTL" -s "$SOCK" maintail -f > "$T/main.out" &
	fpid=$!
	ctl restart web >/dev/null
	wait_for 5 "restart seen by maintail -f" grep -q "asked: restart web" "$T/main.out"
	kill "$fpid"
}

test_sigusr2_reopens_without_loss() {
	program counter "sh -c 'i=0; while [ \$i -lt 300 ]; do echo \$i; i=\$((i+1)); sleep 0.005; done'" \
	    "startsecs = 0" "autorestart = false"
	start_procd
	wait_for 5 "some output" sh -c "[ \$(wc -l < $T/counter-stdout.log) -ge 50 ]"
	mv "$T/counter-stdout.log" "$T/counter-stdout.log.old"
	kill -USR2 "$(procd_pid)"
	wait_for 5 "new file" test -e "$T/counter-stdout.log"
	wait_for 10 "exited" is_state counter EXITED
	wait_for 10 "the last line written" grep -qx 299 "$T/counter-stdout.log"
	expect_eq "$(cat "$T/counter-stdout.log.old" "$T/counter-stdout.log" |
	    tr '\n' ' ')" "$(seq 0 299 | tr '\n' ' ')" "lines across reopen"
}

test_full_disk_costs_lines_not_procd() {
	mkdir "$T/small"
	mount -t tmpfs -o size=64k tmpfs "$T/small" 2>/dev/null ||
	    skip "cannot mount a tmpfs here"
	trap 'teardown; umount "$T/small" 2>/dev/null' EXIT
	program filler "sh -c 'i=0; while :; do echo line-\$i-padding-padding-padding; i=\$((i+1)); done'" \
	    "startsecs = 0" "stdout_logfile = $T/small/filler.log" \
	    "stdout_logfile_maxbytes = 0"
	start_procd
	wait_for 10 "bytes lost" sh -c "'$PROCCTL' -s '$SOCK' --json status filler |
	    grep -q '\"log_lost_bytes\":[1-9]'"
	is_state filler RUNNING || fail "program hurt by the full disk"
	ctl status >/dev/null || [ $? -eq 3 ] || fail "procd not answering"
	# Judge the file once nothing writes to it (a cut-back is not atomic
	# with the write it mends).
	# (The writer may still be mending a write the stop came after.)
	ctl stop filler >/dev/null
	wait_for 5 "only whole lines in the log" sh -c \
	    "! grep -vq '^line-[0-9]*-padding-padding-padding\$' '$T/small/filler.log'"
	log_shows 5 "writing log $T/small/filler.log" \
	    "loss not logged"
	# Room again: logging resumes.
	ctl clear filler >/dev/null
	ctl start filler >/dev/null
	wait_for 5 "logging again" sh -c "[ -s $T/small/filler.log ]"
	umount -l "$T/small" 2>/dev/null
}

# stdout_backpressure [reopen]: 200,000 lines to /dev/stdout, a FIFO
# that nobody reads at first; with "reopen", procd gets SIGUSR2 while it
# holds the backlog, which must then go to the reopened descriptor.
stdout_backpressure() {
	program gush "sh -c 'seq -f n%%07g 1 200000'" "startsecs = 0" \
	    "autorestart = false" "stdout_logfile = /dev/stdout"
	mkfifo "$T/out.fifo"
	# A reader that opens the FIFO but reads nothing until told to.
	python3 -c '
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
while not os.path.exists(sys.argv[2]):
    time.sleep(0.01)
with open(sys.argv[3], "wb", buffering=0) as out:
    while True:
        b = os.read(fd, 65536)
        if not b:
            break
        out.write(b)' "$T/out.fifo" "$T/go" "$T/got" &
	reader=$!
	"$PROCD" start --foreground -c "$CONF" > "$T/out.fifo" 2>/dev/null &
	wait_for 5 "socket" ctl pid
	# The FIFO is full and procd holds the rest: it still answers.
	wait_for 5 "program blocked, procd answering" sh -c \
	    "'$PROCCTL' -s '$SOCK' status gush | grep -q RUNNING"
	if [ "${1:-}" = reopen ]; then
		kill -USR2 "$(ctl pid)"
		wait_for 5 "reopened" grep -q "SIGUSR2: reopening" "$T/procd.log"
	fi
	touch "$T/go"
	wait_for 20 "gush exited" is_state gush EXITED
	# What procd holds for the FIFO goes out as the reader takes it:
	# all of it before the shutdown.
	wait_for 20 "every line through the FIFO" sh -c \
	    "[ \$(wc -l < '$T/got') -ge 200000 ]"
	ctl shutdown >/dev/null
	wait "$reader"
	expect_eq "$(wc -l < "$T/got")" 200000 "lines through /dev/stdout"
	[ "$(grep -vc '^n[0-9]\{7\}$' "$T/got")" = 0 ] || fail "torn lines"
}

test_stdout_backpressure_no_loss() {
	stdout_backpressure
}

test_stdout_backlog_survives_a_reopen() {
	stdout_backpressure reopen
}
