# environment_file= (issue 14 §6): KEY=VALUE files read at every start of
# a program, their errors as spawn errors, their order against
# environment=, and the refusal of anything but a regular file.

# envprog NAME KEY=VALUE...: a program that writes its environment to
# $T/NAME.out (whole, by rename) and then waits.
envprog() {
	name=$1
	shift
	program "$name" "sh -c 'env > $T/$name.tmp && mv $T/$name.tmp $T/$name.out && exec sleep 3600'" \
	    "startsecs = 0" "$@"
}

# has NAME K=V: the environment NAME last wrote holds exactly K=V.
has() {
	grep -qx -- "$2" "$T/$1.out"
}

# global KEY=VALUE...: add lines to [procd].
global() {
	for kv in "$@"; do
		sed -i "/^\[procd\]\$/a $kv" "$CONF"
	done
}

test_envfile_values_reach_the_program() {
	cat > "$T/app.env" <<'EOF'
# a comment, then a blank line

PLAIN=hello world
export EXPORTED=yes
DQ="  spaced value  "
SQ='$HOME and "quotes" stay'
  INDENTED = trimmed   
EMPTY=
HASH=a # not a comment
REPEAT=first
REPEAT=last
EOF
	printf 'WIN=crlf\r\n' >> "$T/app.env"
	envprog app "environment_file = %(here)s/app.env"
	start_procd
	wait_for 10 "app wrote its environment" test -s "$T/app.out"
	has app "PLAIN=hello world" || fail "PLAIN: $(grep PLAIN "$T/app.out")"
	has app "EXPORTED=yes" || fail "export form"
	has app "DQ=  spaced value  " || fail "double quotes: $(grep DQ= "$T/app.out")"
	has app 'SQ=$HOME and "quotes" stay' || fail "single quotes"
	has app "INDENTED=trimmed" || fail "blanks around key and value"
	has app "EMPTY=" || fail "empty value"
	has app "HASH=a # not a comment" || fail "a '#' inside a value"
	has app "WIN=crlf" || fail "CRLF line"
	has app "REPEAT=last" || fail "a repeated key keeps its last value"
	has app "SUPERVISOR_PROCESS_NAME=app" || fail "SUPERVISOR_* lost"
}

test_envfile_change_takes_effect_on_restart() {
	echo "VERSION=1" > "$T/app.env"
	envprog app "environment_file = $T/app.env"
	start_procd
	wait_for 10 "first start" has app VERSION=1
	echo "VERSION=2" > "$T/app.env"
	rm -f "$T/app.out"
	out=$(ctl restart app)
	expect_eq "$?" 0 "restart: $out"
	wait_for 10 "the edited file after restart" has app VERSION=2
}

test_envfile_missing_is_a_spawn_error_then_fatal() {
	envprog app "environment_file = $T/missing.env" "startretries = 1"
	start_procd
	wait_for 20 "FATAL after the retries" is_state app FATAL
	ctl status app | grep -q "environment_file $T/missing.env: No such file or directory" ||
	    fail "status: $(ctl status app)"
	log_shows 5 "spawn error: environment_file $T/missing.env" \
	    "procd.log says nothing of it"
	# Created: the next start reads it, no reload needed.
	echo "NOW=here" > "$T/missing.env"
	out=$(ctl start app)
	expect_eq "$?" 0 "start once the file exists: $out"
	wait_for 10 "the file's value" has app NOW=here
}

test_envfile_malformed_line_names_file_and_line() {
	printf 'GOOD=1\n# fine\nsecret-token-in-a-bad-line\nALSO=2\n' > "$T/bad.env"
	printf 'OK=1\n1BAD=x\n' > "$T/badkey.env"
	printf 'Q="open\n' > "$T/badquote.env"
	envprog app "environment_file = $T/bad.env" "autostart = false"
	envprog key "environment_file = $T/badkey.env" "autostart = false"
	envprog quote "environment_file = $T/badquote.env" "autostart = false"
	start_procd
	out=$(ctl start app)
	expect_eq "$?" 7 "start exit code: $out"
	st=$(ctl status app)
	echo "$st" | grep -q "environment_file $T/bad.env:3: no '=' (expected KEY=VALUE)" ||
	    fail "status: $st"
	# The line itself is never shown: it may be a secret.
	! echo "$st" | grep -q secret-token || fail "the line leaked: $st"
	! grep -q secret-token "$T/procd.log" || fail "the line leaked to the log"
	ctl start key >/dev/null
	ctl status key | grep -q "$T/badkey.env:2: not a valid variable name" ||
	    fail "status: $(ctl status key)"
	ctl start quote >/dev/null
	ctl status quote | grep -q "$T/badquote.env:1: the value opens a quote" ||
	    fail "status: $(ctl status quote)"
}

test_envfile_fifo_and_others_refused_without_hanging() {
	mkfifo "$T/fifo.env" || fail "mkfifo"
	mkdir "$T/dir.env"
	head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' '#' > "$T/big.env"
	envprog fifo "environment_file = $T/fifo.env" "autostart = false"
	envprog dir "environment_file = $T/dir.env" "autostart = false"
	envprog big "environment_file = $T/big.env" "autostart = false"
	envprog dev "environment_file = /dev/zero" "autostart = false"
	start_procd
	# A blocked open or read would hold procd: every start must answer.
	out=$(timeout 10 "$PROCCTL" -s "$SOCK" start fifo)
	expect_eq "$?" 7 "fifo start: $out"
	ctl status fifo | grep -q "environment_file $T/fifo.env: a FIFO, not a regular file" ||
	    fail "status: $(ctl status fifo)"
	timeout 10 "$PROCCTL" -s "$SOCK" start dir >/dev/null
	ctl status dir | grep -q "$T/dir.env: a directory, not a regular file" ||
	    fail "status: $(ctl status dir)"
	timeout 10 "$PROCCTL" -s "$SOCK" start dev >/dev/null
	ctl status dev | grep -q "/dev/zero: a character device, not a regular file" ||
	    fail "status: $(ctl status dev)"
	timeout 10 "$PROCCTL" -s "$SOCK" start big >/dev/null
	ctl status big | grep -q "$T/big.env: larger than 1024 KiB" ||
	    fail "status: $(ctl status big)"
	ctl status >/dev/null
	[ $? -ne 4 ] || fail "procd stopped answering"
}

test_envfile_precedence() {
	# Each key is set by two neighbouring layers; the later must win:
	# procd's environment < [procd] environment_file < [procd]
	# environment= < the program's environment_file < its environment=.
	printf 'L1=global-file\nL2=global-file\nGFILE_ONLY=1\n' > "$T/global.env"
	printf 'L3=program-file\nL4=program-file\n' > "$T/prog.env"
	global "environment_file = $T/global.env" \
	    "environment = L2=global-env,L3=global-env"
	envprog app "environment_file = $T/prog.env" "environment = L4=program-env"
	export L1=procd-environ L0=procd-environ
	start_procd
	wait_for 10 "app wrote its environment" test -s "$T/app.out"
	has app L0=procd-environ || fail "procd's own environment lost"
	has app L1=global-file || fail "L1: $(grep ^L1= "$T/app.out")"
	has app L2=global-env || fail "L2: $(grep ^L2= "$T/app.out")"
	has app L3=program-file || fail "L3: $(grep ^L3= "$T/app.out")"
	has app L4=program-env || fail "L4: $(grep ^L4= "$T/app.out")"
	has app GFILE_ONLY=1 || fail "[procd] environment_file not applied"
}

test_envfile_config_errors_are_file_line() {
	envprog app "environment_file = %(ENV_PROCD_NO_SUCH_VAR)s/x.env"
	out=$("$PROCD" check -c "$CONF" 2>&1)
	expect_eq "$?" 2 "check exit: $out"
	line=$(grep -n "^environment_file" "$CONF" | cut -d: -f1)
	echo "$out" | grep -q "^$CONF:$line: .*environment_file" ||
	    fail "no FILE:LINE error: $out"
}

test_envfile_planted_link_is_not_followed() {
	# A program as nobody whose env file sits in nobody's directory:
	# nobody swaps it for a link to a root-only KEY=VALUE file.  procd,
	# reading as root, must refuse the link, not hand the secret over.
	[ "$(id -u)" = 0 ] || skip "needs root (a root procd, a nobody program)"
	id nobody >/dev/null 2>&1 || skip "no user nobody"
	command -v setpriv >/dev/null 2>&1 || skip "no setpriv"
	chmod 0711 "$T"
	mkdir "$T/app" && chown nobody "$T/app" || fail "making $T/app"
	printf 'ROOT_SECRET=hunter2\n' > "$T/secret.env" && chmod 0600 "$T/secret.env"
	printf 'MINE=1\n' > "$T/app/app.env" && chown nobody "$T/app/app.env"
	program e "sh -c 'echo \"secret=\$ROOT_SECRET mine=\$MINE\"; sleep 1000'" \
	    "user = nobody" "environment_file = $T/app/app.env" "startsecs = 0"
	start_procd
	wait_for 5 "first start" grep -q "mine=1" "$T/e-stdout.log"
	setpriv --reuid=nobody --regid=nogroup --clear-groups sh -c \
	    "rm '$T/app/app.env' && ln -s '$T/secret.env' '$T/app/app.env'" ||
	    fail "planting the link"
	ctl restart e >/dev/null
	wait_for 5 "refusal logged" grep -q "app.env.*symlink in a directory others can write" "$T/procd.log"
	! grep -q hunter2 "$T/e-stdout.log" || fail "the secret reached the program"
}
