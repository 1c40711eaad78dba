# The listener commands of the corpus configs that stop supervisord when a
# program fails (../shared/corpus/supervisord 004, 018, 039, 083): under
# procd too, the daemon must exit, so that the container exits and its
# orchestrator restarts it.

# corpus_file NNN: the corpus config, or skip.
corpus_file() {
	f=$(ls "${PROCD_CORPUS:-$ROOT/../shared/corpus/supervisord}"/$1-*.conf \
	    2>/dev/null | head -1)
	# Said on stderr: this runs in $(...), whose stdout is the answer.
	[ -n "$f" ] || skip "no corpus config $1 beside the checkout" >&2
	echo "$f"
}

# procd_exits SECONDS: procd (daemonized) goes away by itself (it may be
# gone before its pid is read: its log's last words and its pidfile say).
procd_exited() {
	grep -q "procd exiting" "$T/procd.log" && ! test -e "$T/procd.pid"
}
procd_exits() {
	wait_for "$1" "procd to exit" procd_exited
}

# 004: the one-liner, taken from the config itself, that does kill -15
# $PPID on the first event (PROCESS_STATE_FATAL).
test_corpus_004_kill_ppid_on_fatal() {
	f=$(corpus_file 004) || exit $?
	lcmd=$(sed -n 's/^command=\(sh -c .*kill -15 \$PPID.*\)$/\1/p' "$f")
	[ -n "$lcmd" ] || fail "no kill -15 \$PPID listener in $f"
	program nonexistent "$T/nonexistent" "startsecs=0" "startretries=0" \
	    "autorestart=false"
	cat >> "$CONF" <<EOF2
[eventlistener:fatalexit]
events=PROCESS_STATE_FATAL
command=$lcmd
startsecs=0
startretries=0
EOF2
	start_procd
	procd_exits 10
	log_shows 5 "gave up: nonexistent entered FATAL state" \
	    "nonexistent did not go FATAL"
	log_shows 5 "received SIGTERM" \
	    "not stopped by the listener's SIGTERM"
}

# The "stop-supervisor.sh" of 039 (tiangolo/uwsgi-nginx) and 083
# (mailcow): READY once, then SIGQUIT to the pidfile's pid for every
# event line, with the pidfile where the config puts it.
stop_supervisor_script() {
	cat > "$T/stop-supervisor.sh" <<EOF2
#!/usr/bin/env bash

printf "READY\n";

while read line; do
  echo "Processing Event: \$line" >&2;
  kill -3 \$(cat "$T/procd.pid")
done < /dev/stdin
EOF2
	chmod +x "$T/stop-supervisor.sh"
}

# 039: events=PROCESS_STATE_STOPPED,PROCESS_STATE_EXITED,PROCESS_STATE_FATAL
# and programs with autorestart=false: one exiting stops the container.
test_corpus_039_stop_supervisor_on_exit() {
	f=$(corpus_file 039) || exit $?
	events=$(sed -n 's/^events=//p' "$f" | tr -d '\r' | sed 's/[[:space:]]*$//')
	expect_eq "$events" \
	    "PROCESS_STATE_STOPPED,PROCESS_STATE_EXITED,PROCESS_STATE_FATAL" \
	    "039's events="
	stop_supervisor_script
	program uwsgi "sh -c 'sleep 1; exit 0'" "startsecs = 0" \
	    "autorestart=false"
	program nginx "sleep 3600" "startsecs = 0" "autorestart=false"
	cat >> "$CONF" <<EOF2
[eventlistener:quit_on_failure]
events=$events
command=$T/stop-supervisor.sh
EOF2
	start_procd
	wait_for 10 "nginx RUNNING" is_state nginx RUNNING
	procd_exits 15
	log_shows 5 "received SIGQUIT" \
	    "not stopped by the listener's SIGQUIT"
	grep -q "Processing Event: ver:3.0 server:supervisor serial:0 pool:quit_on_failure poolserial:0 eventname:PROCESS_STATE_EXITED len:" \
	    "$T/quit_on_failure-stderr.log" || fail "the listener's event line"
}

# 083: the same script, events= with spaces after the commas, and a
# program with autorestart=true that goes FATAL.
test_corpus_083_stop_supervisor_on_fatal() {
	f=$(corpus_file 083) || exit $?
	events=$(sed -n 's/^events=//p' "$f" | tr -d '\r' | sed 's/[[:space:]]*$//')
	expect_eq "$events" \
	    "PROCESS_STATE_STOPPED, PROCESS_STATE_EXITED, PROCESS_STATE_FATAL" \
	    "083's events="
	stop_supervisor_script
	program dovecot "$T/no-such-dovecot" "autorestart=true" \
	    "startretries=1"
	cat >> "$CONF" <<EOF2
[eventlistener:processes]
command=$T/stop-supervisor.sh
events=$events
EOF2
	start_procd
	procd_exits 40
	log_shows 5 "gave up: dovecot entered FATAL state" \
	    "dovecot did not go FATAL"
	log_shows 5 "received SIGQUIT" \
	    "not stopped by the listener's SIGQUIT"
}

# 018: "supervisor-exit-event-listener" (snipe-it, after
# stackoverflow.com/a/37527488), a Python listener that writes a line
# that is not a RESULT while busy, then SIGQUITs the pid in the pidfile.
test_corpus_018_exit_event_listener() {
	f=$(corpus_file 018) || exit $?
	grep -q '^command=supervisor-exit-event-listener$' "$f" ||
	    fail "018's listener command"
	mkdir -p "$T/bin"
	cat > "$T/bin/supervisor-exit-event-listener" <<EOF2
#!/usr/bin/python3
import sys
import os
import signal

def write_stdout(s):
   sys.stdout.write(s)
   sys.stdout.flush()
def write_stderr(s):
   sys.stderr.write(s)
   sys.stderr.flush()
def main():
   while 1:
       write_stdout('READY\n')
       line = sys.stdin.readline()
       write_stdout('This line kills supervisor: ' + line);
       try:
               pidfile = open('$T/procd.pid','r')
               pid = int(pidfile.readline());
               os.kill(pid, signal.SIGQUIT)
       except Exception as e:
               write_stdout('Could not kill supervisor: ' + e.strerror + '\n')
       write_stdout('RESULT 2\nOK')
if __name__ == '__main__':
   main()
   import sys
EOF2
	chmod +x "$T/bin/supervisor-exit-event-listener"
	program apache "$T/no-such-apache2ctl -DFOREGROUND" "killasgroup=true" \
	    "stopasgroup=true"
	cat >> "$CONF" <<EOF2
[supervisord]
environment=PATH="$T/bin:$PATH"
[eventlistener:exit_on_any_fatal]
command=supervisor-exit-event-listener
events=PROCESS_STATE_FATAL
EOF2
	start_procd
	procd_exits 40
	log_shows 5 "gave up: apache entered FATAL state" \
	    "apache did not go FATAL"
	log_shows 5 "received SIGQUIT" \
	    "not stopped by the listener's SIGQUIT"
}
