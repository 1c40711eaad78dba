# procd's own log (issue 14 §3, issue 13 §3): written by the log writer
# threads and rotated by size at a line boundary, as a program's log is.

test_ownlog_rotates_at_line_boundaries() {
	sed -i "/^\[procd\]\$/a logfile_maxbytes = 16KB\nlogfile_backups = 2" \
	    "$CONF"
	program flap "sh -c 'exit 1'" "startsecs = 0" "autorestart = true" \
	    "stdout_logfile = NONE" "stderr_logfile = NONE"
	start_procd
	wait_for 30 "procd.log rotated twice" test -e "$T/procd.log.2"
	ctl stop flap >/dev/null
	ctl maintail -200 | grep -q "flap" || fail "maintail after rotation"
	# The files are judged once procd is gone: lines queued after the
	# stop may rotate once more, and a rotation renames one by one.
	pid=$(procd_pid)
	ctl shutdown >/dev/null
	wait_for 10 "procd gone" gone "$pid"
	[ ! -e "$T/procd.log.3" ] || fail "more backups than logfile_backups"
	for f in "$T/procd.log.1" "$T/procd.log.2"; do
		size=$(wc -c < "$f")
		[ "$size" -le 16384 ] || fail "$f: $size bytes, over 16KB"
		# whole lines: each begins with a date, the file ends in \n
		bad=$(grep -cv '^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] ' "$f")
		[ "$bad" -eq 0 ] || fail "$f: $bad torn lines"
		[ "$(tail -c1 "$f" | od -An -c | tr -d ' ')" = '\n' ] ||
		    fail "$f does not end with a newline"
	done
}

test_ownlog_nothing_rotates_with_maxbytes_0() {
	sed -i "/^\[procd\]\$/a logfile_maxbytes = 0" "$CONF"
	program flap "sh -c 'exit 1'" "startsecs = 0" "autorestart = true" \
	    "stdout_logfile = NONE" "stderr_logfile = NONE"
	start_procd
	wait_for 30 "procd.log past 16KB" sh -c \
	    "[ \$(wc -c < '$T/procd.log') -gt 16384 ]"
	ctl stop flap >/dev/null
	[ ! -e "$T/procd.log.1" ] || fail "rotated with logfile_maxbytes = 0"
}
