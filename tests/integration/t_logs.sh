# Program output: captured whole, even from a program that exits at once.

test_output_of_quick_exit_is_complete() {
	program burst "sh -c 'seq 1 20000; exit 0'" "startsecs = 0" \
	    "autorestart = false"
	start_procd
	wait_for 5 "exited" is_state burst EXITED
	expect_eq "$(wc -l < "$T/burst-stdout.log")" 20000 "lines logged"
	expect_eq "$(tail -1 "$T/burst-stdout.log")" 20000 "last line"
}

test_long_command_line_exact() {
	arg=$(python3 -c 'print("x" * 4000 + "END")')
	program long "echo $arg" "startsecs = 0" "autorestart = false"
	start_procd
	wait_for 5 "exited" is_state long EXITED
	expect_eq "$(cat "$T/long-stdout.log")" "$arg" "long argument"
}

test_no_injection_from_long_line() {
	pad=$(python3 -c 'print("y" * 190)')
	program inj "echo $pad user=root" "startsecs = 0" "autorestart = false"
	start_procd
	wait_for 5 "exited" is_state inj EXITED
	expect_eq "$(cat "$T/inj-stdout.log")" "$pad user=root" "value"
}

test_rotation_keeps_lines_whole() {
	program chatty "sh -c 'seq -f line%%06g 1 30000'" "startsecs = 0" \
	    "autorestart = false" "stdout_logfile_maxbytes = 20KB" \
	    "stdout_logfile_backups = 50"
	start_procd
	wait_for 10 "exited" is_state chatty EXITED
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
