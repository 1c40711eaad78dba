# reread, update, SIGHUP, reload: only what changed is touched.

base_config() {
	program keep "sleep 3600" "startsecs = 0"
	program chg "sleep 3600" "startsecs = 0"
	program live "sleep 3600" "startsecs = 0" "autorestart = unexpected"
	program gone "sleep 3600" "startsecs = 0"
}

# edit_config: change chg's command, live's autorestart, drop gone, add new.
edit_config() {
	sed -i 's|^command = sleep 3600$|&|' "$CONF"
	python3 - "$CONF" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("[program:chg]\ncommand = sleep 3600", "[program:chg]\ncommand = sleep 3601")
s = s.replace("autorestart = unexpected", "autorestart = true")
s = re.sub(r"\[program:gone\]\n(.*\n)*?\n", "", s)
s += "[program:new]\ncommand = sleep 3600\nstartsecs = 0\n\n"
open(p, "w").write(s)
PY
}

test_reread_shows_changes() {
	base_config
	start_procd
	wait_for 5 "all running" all_running keep chg live gone
	edit_config
	out=$(ctl reread)
	expect_eq "$?" 0 "reread exit"
	echo "$out" | grep -qx "new: available" || fail "added: $out"
	echo "$out" | grep -qx "gone: disappeared" || fail "removed: $out"
	echo "$out" | grep -q "^chg: changed (restart chg \[command\])$" ||
	    fail "restart: $out"
	echo "$out" | grep -q "^live: changed (live live \[autorestart\])$" ||
	    fail "live: $out"
	echo "$out" | grep -q "^keep" && fail "unchanged listed: $out"
	# reread changes nothing.
	is_state new RUNNING && fail "reread applied something"
	true
}

check_update_applied() {
	wait_for 10 "new running" is_state new RUNNING
	wait_for 10 "chg running" is_state chg RUNNING
	expect_eq "$(pid_of keep)" "$keep" "unchanged pid"
	expect_eq "$(pid_of live)" "$live" "live-changed pid"
	[ "$(pid_of chg)" != "$chg" ] || fail "changed program kept its pid"
	wait_for 5 "removed program gone" gone "$gone_pid"
	ctl status gone >/dev/null
	expect_eq "$?" 4 "removed program still listed"
	ctl status chg | grep -q "uptime" || fail "chg status"
}

test_update_touches_only_what_changed() {
	base_config
	start_procd
	wait_for 5 "all running" all_running keep chg live gone
	keep=$(pid_of keep) chg=$(pid_of chg) live=$(pid_of live)
	gone_pid=$(pid_of gone)
	edit_config
	out=$(ctl update)
	expect_eq "$?" 0 "update exit"
	echo "$out" | grep -qx "new: added process group" || fail "$out"
	echo "$out" | grep -qx "gone: removed process group" || fail "$out"
	echo "$out" | grep -qx "chg: updated process group" || fail "$out"
	check_update_applied
	# Live change is in effect: autorestart=true restarts an exit 0.
	kill "$live"
	wait_for 5 "live restarted" sh -c "p=\$('$PROCCTL' -s '$SOCK' pid live);
	    [ \"\$p\" != 0 ] && [ \"\$p\" != $live ]"
}

test_sighup_is_reread_and_update() {
	base_config
	start_procd
	wait_for 5 "all running" all_running keep chg live gone
	keep=$(pid_of keep) chg=$(pid_of chg) live=$(pid_of live)
	gone_pid=$(pid_of gone)
	edit_config
	kill -HUP "$(procd_pid)"
	check_update_applied
}

test_broken_reload_keeps_running_config() {
	base_config
	start_procd
	wait_for 5 "all running" all_running keep chg live gone
	keep=$(pid_of keep)
	echo "startsecs = soon" >> "$CONF"
	line=$(wc -l < "$CONF")
	out=$(ctl update 2>&1)
	expect_eq "$?" 1 "update of a broken config"
	echo "$out" | grep -q "$CONF:$line: error: .*startsecs" ||
	    fail "no FILE:LINE: $out"
	kill -HUP "$(procd_pid)"
	wait_for 5 "SIGHUP rejection logged" grep -q "keeping the running configuration" "$T/procd.log"
	expect_eq "$(pid_of keep)" "$keep" "pid after rejected reload"
	all_running keep chg live gone || fail "programs disturbed"
}

test_update_one_group_only() {
	base_config
	start_procd
	wait_for 5 "all running" all_running keep chg live gone
	chg=$(pid_of chg) gone_pid=$(pid_of gone)
	edit_config
	out=$(ctl update chg)
	expect_eq "$out" "$(printf 'chg: stopped\nchg: updated process group')" "output"
	[ "$(pid_of chg)" != "$chg" ] || fail "chg not restarted"
	alive "$gone_pid" || fail "gone touched by 'update chg'"
	ctl status new >/dev/null
	expect_eq "$?" 4 "new added by 'update chg'"
}

test_reload_restarts_everything() {
	base_config
	start_procd
	wait_for 5 "all running" all_running keep chg live gone
	keep=$(pid_of keep)
	edit_config
	out=$(ctl reload)
	expect_eq "$out" "Restarted procd" "reload output"
	wait_for 10 "new config running" all_running keep chg live new
	[ "$(pid_of keep)" != "$keep" ] || fail "reload kept a pid"
	ctl status gone >/dev/null
	expect_eq "$?" 4 "removed program after reload"
}

test_group_commands() {
	cat >> "$CONF" <<CONF
[program:w]
command = sleep 3600
process_name = w_%(process_num)d
numprocs = 3
startsecs = 0

[program:solo]
command = sleep 3600
startsecs = 0

[group:pool]
programs = solo
CONF
	start_procd
	wait_for 5 "group running" all_running w:w_0 w:w_1 w:w_2 pool:solo
	out=$(ctl stop 'w:*')
	expect_eq "$out" "$(printf 'w:w_0: stopped\nw:w_1: stopped\nw:w_2: stopped')" "stop w:*"
	out=$(ctl start w:w_1)
	expect_eq "$out" "w:w_1: started" "start w:w_1"
	expect_eq "$(ctl status 'w:*' | awk '{print $2}' | tr '\n' ' ')" \
	    "STOPPED RUNNING STOPPED " "group status"
	ctl status pool:solo | grep -q RUNNING || fail "grouped program"
}

# A live change of log limits: the running program keeps its pid and its
# log, the old config is freed, and rotation -- which needs the log's
# path -- follows the new limit.  (Log streams borrow the path from the
# config: under SAN=1 a stale one is a use-after-free report.)
test_live_log_limits_then_rotation() {
	program other "sleep 3600" "startsecs = 0"
	start_procd
	# Added by an update: its log comes from a config loaded later, which
	# the live change below makes unused, and so freed.
	program chatty "sh -c 'while ! [ -e $T/go ]; do sleep 0.05; done; seq -f line%%06g 1 20000; exec sleep 3600'" \
	    "startsecs = 0" "stdout_logfile_maxbytes = 10MB"
	ctl update >/dev/null || fail "update adding chatty"
	wait_for 5 "running" is_state chatty RUNNING
	pid=$(pid_of chatty)
	sed -i 's/^stdout_logfile_maxbytes = 10MB$/stdout_logfile_maxbytes = 50KB/' \
	    "$CONF"
	expect_eq "$(ctl update)" "chatty: updated process group (applied live)" \
	    "update"
	touch "$T/go"
	wait_for 10 "all lines logged" sh -c \
	    "cat $T/chatty-stdout.log* | grep -c '^line' | grep -qx 20000"
	expect_eq "$(pid_of chatty)" "$pid" "pid"
	[ -e "$T/chatty-stdout.log.1" ] || fail "no rotation at the new limit"
	[ "$(stat -c %s "$T/chatty-stdout.log")" -le 51200 ] ||
	    fail "log over the new limit: $(stat -c %s "$T/chatty-stdout.log")"
}
