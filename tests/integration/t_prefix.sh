# stdout_prefix=, stderr_prefix= and log_timestamps= (issue 14 §6): a
# head before each line of a program's output, whole lines only, in every
# target of the stream.

# global KEY=VALUE...: add lines to [procd].
global() {
	for kv in "$@"; do
		sed -i "/^\[procd\]\$/a $kv" "$CONF"
	done
}

# file_is FILE EXPECTED: FILE holds exactly EXPECTED (printf's format),
# within a few seconds (log files are written by procd's writer threads,
# which may still be at it when the program's state has moved).
file_is() {
	printf "$2" > "$T/want"
	(wait_for 5 "$1" cmp -s "$1" "$T/want") >/dev/null 2>&1 || fail "$1:
$(cat -A "$1")
expected:
$(cat -A "$T/want")"
}

test_prefix_stdout_and_stderr_to_files() {
	program web "sh -c 'echo one; echo two; echo; echo oops >&2; echo again >&2'" \
	    "startsecs = 0" "autorestart = false" \
	    'stdout_prefix = "[%(process_name)s] "' \
	    "stderr_prefix = '%(group_name)s/%(program_name)s!err: '" \
	    "stdout_logfile = $T/web.out" "stderr_logfile = $T/web.err"
	start_procd
	wait_for 10 "web exited" is_state web EXITED
	file_is "$T/web.out" '[web] one\n[web] two\n[web] \n'
	file_is "$T/web.err" 'web/web!err: oops\nweb/web!err: again\n'
	# tail reads the file: the same lines.
	ctl tail web | grep -qx '\[web\] two' || fail "tail: $(ctl tail web)"
}

test_prefix_partial_line_gets_one_prefix() {
	# A line in two writes, half a second apart: two reads for procd.
	program slow "sh -c 'printf ab; sleep 0.5; printf \"c\\\\nd\"; sleep 0.5; echo e'" \
	    "startsecs = 0" "autorestart = false" "stdout_prefix = '> '" \
	    "stdout_logfile = $T/slow.out"
	start_procd
	wait_for 10 "slow exited" is_state slow EXITED
	file_is "$T/slow.out" '> abc\n> de\n'
}

test_prefix_long_line_gets_one_prefix() {
	# 300,000 bytes with no newline but the last: many reads, one line.
	program long "sh -c 'head -c 300000 /dev/zero | tr \"\\\\\\\\0\" x; echo; echo short'" \
	    "startsecs = 0" "autorestart = false" "stdout_prefix = '[long] '" \
	    "stdout_logfile = $T/long.out"
	start_procd
	wait_for 10 "long exited" is_state long EXITED
	wait_for 5 "both lines written" sh -c "[ \$(wc -l < $T/long.out) -ge 2 ]"
	expect_eq "$(wc -l < "$T/long.out")" 2 "lines"
	expect_eq "$(grep -o '\[long\]' "$T/long.out" | wc -l)" 2 "prefixes"
	expect_eq "$(head -1 "$T/long.out" | wc -c)" 300008 "first line bytes"
	tail -1 "$T/long.out" | grep -qx '\[long\] short' || fail "second line"
}

test_prefix_to_dev_stdout_in_foreground() {
	# b begins a line, and while it is unended a writes whole lines to
	# the same /dev/stdout: procd holds b's line back until its end, so
	# none of a's lands in the middle of it.
	program a "sh -c 'touch $T/a.up; sleep 0.1; for i in 1 2 3; do echo a\$i; done; echo aerr >&2'" \
	    "startsecs = 0" "autorestart = false" \
	    "stdout_logfile = /dev/stdout" "stderr_logfile = /dev/stdout" \
	    "stdout_prefix = '[%(program_name)s] '" "stderr_prefix = '[%(program_name)s:err] '"
	program b "sh -c 'until [ -e $T/a.up ]; do sleep 0.02; done; printf b1; sleep 0.3; echo; echo b2'" \
	    "startsecs = 0" "autorestart = false" \
	    "stdout_logfile = /dev/stdout" "stdout_prefix = '[%(program_name)s] '"
	"$PROCD" start --foreground -c "$CONF" > "$T/fg.out" 2>/dev/null &
	wait_for 5 "socket" ctl pid
	wait_for 10 "both exited" sh -c "[ \"\$('$PROCCTL' -s '$SOCK' status | grep -c EXITED)\" = 2 ]"
	ctl shutdown >/dev/null
	wait
	sort "$T/fg.out" > "$T/fg.sorted"
	file_is "$T/fg.sorted" '[a:err] aerr\n[a] a1\n[a] a2\n[a] a3\n[b] b1\n[b] b2\n'
}

test_prefix_unended_line_on_stdout_shows_after_a_moment() {
	# A prompt with no newline is held for its end, but not for ever.
	program p "sh -c 'printf \"name? \"; exec sleep 3600'" "startsecs = 0" \
	    "stdout_logfile = /dev/stdout" "stdout_prefix = '[p] '"
	"$PROCD" start --foreground -c "$CONF" > "$T/fg.out" 2>/dev/null &
	wait_for 5 "socket" ctl pid
	wait_for 10 "the prompt" grep -qx '\[p\] name? ' "$T/fg.out"
	ctl shutdown >/dev/null
	wait
}

test_prefix_timestamps_formats() {
	program local "sh -c 'echo x; printf y; sleep 0.3; echo z'" \
	    "startsecs = 0" "autorestart = false" "log_timestamps = true" \
	    "stdout_prefix = '[%(program_name)s] '" "stdout_logfile = $T/local.out"
	program iso "sh -c 'echo x'" "startsecs = 0" "autorestart = false" \
	    "log_timestamps = iso8601" "stdout_logfile = $T/iso.out"
	start_procd
	wait_for 10 "local exited" is_state local EXITED
	wait_for 10 "iso exited" is_state iso EXITED
	d='[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]' t='[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]\{3\}'
	wait_for 5 "local.out written" grep -q z "$T/local.out"
	wait_for 5 "iso.out written" grep -q x "$T/iso.out"
	expect_eq "$(wc -l < "$T/local.out")" 2 "local lines"
	expect_eq "$(grep -c "^$d $t \[local\] [xy]z*\$" "$T/local.out")" 2 \
	    "local lines in procd's log format: $(cat "$T/local.out")"
	grep -q "^$d $t \[local\] yz\$" "$T/local.out" || fail "split line"
	grep -qx "${d}T$t[+-][0-9][0-9]:[0-9][0-9] x" "$T/iso.out" ||
	    fail "iso8601: $(cat "$T/iso.out")"
	# The same clock as procd's own log: today's date in both.
	day=$(cut -c1-10 "$T/iso.out")
	log_shows 5 "^$day " "iso date $day not procd.log's"
}

test_prefix_defaults_from_procd_section() {
	global 'stdout_prefix = "%(group_name)s:%(process_name)s | "' \
	    "log_timestamps = false"
	program w "sh -c 'echo hi; echo ho >&2'" "startsecs = 0" \
	    "autorestart = false" "numprocs = 2" \
	    "process_name = w%(process_num)d" "redirect_stderr = true" \
	    "stdout_logfile = $T/w%(process_num)d.out"
	program own "echo mine" "startsecs = 0" "autorestart = false" \
	    "stdout_prefix = own> " "stdout_logfile = $T/own.out"
	program plain "echo bare" "startsecs = 0" "autorestart = false" \
	    'stdout_prefix = ""' "stdout_logfile = $T/plain.out"
	start_procd
	for p in w:w0 w:w1 own plain; do
		wait_for 10 "$p exited" is_state "$p" EXITED
	done
	# redirect_stderr: stderr is stdout's stream, with its prefix.
	wait_for 5 "w0.out written" sh -c "[ \$(wc -l < $T/w0.out) -ge 2 ]"
	sort "$T/w0.out" > "$T/w0.sorted"
	file_is "$T/w0.sorted" 'w:w0 | hi\nw:w0 | ho\n'
	wait_for 5 "w1.out" grep -qx 'w:w1 | hi' "$T/w1.out"
	file_is "$T/own.out" 'own>mine\n'
	file_is "$T/plain.out" 'bare\n'
}

test_prefix_config_errors_are_file_line() {
	global "stdout_prefix = %(nosuch)s"
	program a "echo" "stderr_prefix = %(nope)s" "log_timestamps = sometimes"
	program b "echo" 
	program c "echo" "stdout_prefix = 'two
    lines'"
	out=$("$PROCD" check -c "$CONF" 2>&1)
	expect_eq "$?" 2 "check exit: $out"
	at() { grep -n "^$1" "$CONF" | head -1 | cut -d: -f1; }
	echo "$out" | grep -q "^$CONF:$(at 'stdout_prefix = %(nosuch)s'):.*stdout_prefix.*nosuch" ||
	    fail "[procd] error: $out"
	# Said once, not once for every program that uses the default.
	expect_eq "$(echo "$out" | grep -c nosuch)" 1 "[procd] error count: $out"
	echo "$out" | grep -q "^$CONF:$(at 'stderr_prefix'):.*nope" ||
	    fail "program error: $out"
	echo "$out" | grep -q "^$CONF:$(at 'log_timestamps'):.*\"sometimes\" is not a timestamp choice" ||
	    fail "log_timestamps error: $out"
	echo "$out" | grep -q "line break" || fail "two-line prefix: $out"
}

test_prefix_change_applied_live() {
	program tick "sh -c 'while :; do echo t; sleep 0.1; done'" \
	    "stdout_prefix = 'old '" "stdout_logfile = $T/tick.out"
	start_procd
	wait_for 10 "old prefix" grep -q '^old t$' "$T/tick.out"
	pid=$(pid_of tick)
	sed -i "s/^stdout_prefix = 'old '/stdout_prefix = 'new '/" "$CONF"
	ctl reread | grep -q "tick: changed" || fail "reread: $(ctl reread)"
	ctl update >/dev/null
	wait_for 10 "new prefix" grep -q '^new t$' "$T/tick.out"
	expect_eq "$(pid_of tick)" "$pid" "pid (applied live, no restart)"
	expect_eq "$(grep -vc '^\(old\|new\) t$' "$T/tick.out")" 0 "torn lines"
}

test_prefix_procd_default_too_long_for_a_program() {
	# Fine with a short name, too long (over 256 bytes) with these: said
	# once, at [procd]'s line, and the config is refused.
	pad=$(printf '%0230d' 0 | tr 0 x)
	global "stdout_prefix = $pad%(process_name)s"
	long=$(printf '%040d' 0 | tr 0 n)
	program "${long}a" "echo"
	program "${long}b" "echo"
	program short "echo"
	out=$("$PROCD" check -c "$CONF" 2>&1)
	expect_eq "$?" 2 "check exit: $out"
	line=$(grep -n "^stdout_prefix" "$CONF" | cut -d: -f1)
	echo "$out" | grep -q "^$CONF:$line: .*stdout_prefix: longer than 256 bytes" ||
	    fail "no error at [procd]'s line: $out"
	expect_eq "$(echo "$out" | grep -c 'longer than')" 1 "said once: $out"
}
