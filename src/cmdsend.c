/*
 * cmdsend.c -- the commands that hand something on: stdin NAME DATA
 * (supervisord's sendProcessStdin: DATA to a program's stdin pipe) and
 * commevent TYPE DATA (its sendRemoteCommEvent: a REMOTE_COMMUNICATION
 * event for the listeners subscribed to it).  The gateway sends them;
 * DATA never reaches procd's log, only its size.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmdint.h"
#include "control.h"
#include "evbus.h"
#include "log.h"
#include "sup.h"

/* Who asked, without the data (it may be anything, a password too). */
static void
send_log_request(struct client *c, const char *cmd, const char *what,
    size_t len)
{
	log_info("control: uid %ld pid %ld asked: %s %s (%zu bytes)",
	    (long)client_uid(c), (long)client_pid(c), cmd, what, len);
}

void
cmd_stdin(struct client *c, int argc, char **argv)
{
	struct process *p;
	size_t len;

	if (argc != 3) {
		client_errf(c, "Error: usage: stdin NAME DATA\n");
		client_end(c, EXIT_USAGE);
		return;
	}
	len = strlen(argv[2]);
	send_log_request(c, "stdin", argv[1], len);
	if ((p = sup_find(argv[1])) == NULL) {
		client_outf(c, "%s: ERROR (no such process)\n", argv[1]);
		client_end(c, EXIT_GENERIC);
		return;
	}
	if (sup_stdin(p, argv[2], len) == 0) {
		client_outf(c, "%s: sent\n", argv[1]);
		client_end(c, EXIT_OK);
		return;
	}
	/* supervisord's faults: NOT_RUNNING, NO_FILE; and procd's bound. */
	client_outf(c, "%s: ERROR (%s)\n", argv[1], errno == ESRCH ?
	    "not running" : errno == EPIPE ? "stdin closed" :
	    "stdin full");
	client_end(c, EXIT_GENERIC);
}

void
cmd_commevent(struct client *c, int argc, char **argv)
{
	if (argc != 3) {
		client_errf(c, "Error: usage: commevent TYPE DATA\n");
		client_end(c, EXIT_USAGE);
		return;
	}
	send_log_request(c, "commevent", argv[1], strlen(argv[2]));
	evbus_remote(argv[1], argv[2]);
	client_outf(c, "sent\n");
	client_end(c, EXIT_OK);
}
