# sd_notify: READY=1 once the socket answers, STOPPING=1 on shutdown.

# notify_listen PATH OUT: a datagram receiver that appends messages to OUT.
notify_listen() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.settimeout(60)  # never outlive a failed test
s.bind(sys.argv[1])
open(sys.argv[2], "w").close()
while True:
    m = s.recv(4096).decode()
    with open(sys.argv[2], "a") as f:
        f.write(m + "\n")
    if m == "STOPPING=1":
        break' "$1" "$2" &
	wait_for 5 "receiver bound" test -e "$2"
}

test_notify_ready_and_stopping() {
	program web "sleep 3600" "startsecs = 0"
	notify_listen "$T/notify.sock" "$T/notify.out"
	NOTIFY_SOCKET="$T/notify.sock" "$PROCD" start --foreground \
	    -c "$CONF" 2>/dev/null &
	wait_for 5 "READY=1" grep -qx READY=1 "$T/notify.out"
	ctl status web >/dev/null || [ $? -eq 3 ] || fail "socket not answering at READY"
	wait_for 5 "STATUS= summary" grep -qx "STATUS=1 running" "$T/notify.out"
	ctl shutdown >/dev/null
	wait_for 10 "STOPPING=1" grep -qx STOPPING=1 "$T/notify.out"
}

test_notify_abstract_socket() {
	program web "sleep 3600" "startsecs = 0"
	name="procd-test-$$"
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.settimeout(60)  # never outlive a failed test
s.bind("\0" + sys.argv[1])
open(sys.argv[2], "w").close()
while True:
    m = s.recv(4096).decode()
    open(sys.argv[2], "a").write(m + "\n")
    if m == "READY=1":
        break' "$name" "$T/abs.out" &
	wait_for 5 "receiver bound" test -e "$T/abs.out"
	NOTIFY_SOCKET="@$name" "$PROCD" start --foreground -c "$CONF" \
	    2>/dev/null &
	wait_for 5 "READY=1 on abstract socket" grep -qx READY=1 "$T/abs.out"
}

test_notify_socket_not_inherited() {
	program env "sh -c 'echo NS=\${NOTIFY_SOCKET:-unset}; exec sleep 3600'" \
	    "startsecs = 0"
	notify_listen "$T/notify.sock" "$T/notify.out"
	NOTIFY_SOCKET="$T/notify.sock" "$PROCD" start --foreground \
	    -c "$CONF" 2>/dev/null &
	wait_for 5 "READY=1" grep -qx READY=1 "$T/notify.out"
	wait_for 5 "program output" grep -q NS= "$T/env-stdout.log"
	expect_eq "$(cat "$T/env-stdout.log")" "NS=unset" "NOTIFY_SOCKET in child"
	kill -HUP "$(procd_pid)"
	wait_for 5 "RELOADING=1" grep -qx RELOADING=1 "$T/notify.out"
	grep -q "^MONOTONIC_USEC=[0-9]*$" "$T/notify.out" || fail "no MONOTONIC_USEC"
	wait_for 5 "READY=1 again" sh -c "[ \$(grep -cx READY=1 $T/notify.out) -ge 2 ]"
}
