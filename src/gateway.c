/*
 * gateway.c -- the HTTP/XML-RPC gateway process (gateway.h): check that
 * it is unprivileged, take its settings from procd's INIT message, start
 * the servers, then hand them the connections procd passes, until procd
 * closes the link.
 *
 * Everything a client sends is parsed here, never in procd; a crash here
 * costs a restart of this process (gwsup.c), nothing else.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gateway.h"
#include "gwctl.h"
#include "httpd.h"

/* INIT's four strings: inet user, inet password, unix user, unix password. */
static int
gateway_split(const char *data, size_t len, const char *out[4])
{
	size_t off = 0;

	for (int i = 0; i < 4; i++) {
		const char *nul = memchr(data + off, '\0', len - off);
		if (off >= len || nul == NULL)
			return -1;
		out[i] = data + off;
		off = (size_t)(nul - data) + 1;
	}
	return 0;
}

/* procd is gone: give what is being answered (a shutdown's own reply) a
 * moment, then go. */
static void __attribute__((noreturn))
gateway_exit(struct httpd *u, struct httpd *in)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };

	for (int i = 0; i < 50; i++) {
		if (httpd_busy(u) == 0 && (in == NULL || httpd_busy(in) == 0))
			break;
		nanosleep(&tick, NULL);
	}
	_exit(0);
}

int
gateway_main(void)
{
	char data[GWMSG_MAX + 1];
	const char *cred[4];
	struct httpd *u, *in = NULL;
	uint8_t type;
	long n;
	int fd;

	/* Network input is never parsed with privileges. */
	if (geteuid() == 0 || getuid() == 0) {
		fprintf(stderr, "procd gateway: refusing to run as root\n");
		return 1;
	}
	(void)signal(SIGPIPE, SIG_IGN);
	n = gwmsg_recv(GATEWAY_LINK_FD, &type, data, &fd);
	if (n <= 0 || type != GWMSG_INIT ||
	    gateway_split(data, (size_t)n - 1, cred) == -1) {
		fprintf(stderr, "procd gateway: no settings from procd\n");
		return 1;
	}
	if ((u = httpd_start(-1, cred[2], cred[3], GATEWAY_LINK_FD)) == NULL)
		return 1;
	if (fd != -1 && (in = httpd_start(fd, cred[0], cred[1],
	    GATEWAY_LINK_FD)) == NULL)
		return 1;
	for (;;) {
		n = gwmsg_recv(GATEWAY_LINK_FD, &type, data, &fd);
		if (n <= 0)
			gateway_exit(u, in);
		if (fd == -1)
			continue;
		if (type != GWMSG_CONN || httpd_add(u, fd) == -1) {
			if (type != GWMSG_CONN)
				close(fd);
		}
	}
}
