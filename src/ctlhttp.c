/*
 * ctlhttp.c -- procctl's exchange with procd's gateway over HTTP
 * (ctlhttp.h): connect with a deadline, one HTTP/1.0 POST (so the answer
 * is never chunked: its body is the reply frames, up to the connection's
 * end), the head read strictly, then the very reader procctl uses on the
 * unix socket (ctlconn_relay).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "buf.h"
#include "ctlconn.h"
#include "ctlhttp.h"
#include "proto.h"
#include "sys.h"

/* Seconds to connect, and for the gateway to start its answer (the head
 * comes before procd's first frame, however long that takes). */
#define CTLHTTP_CONNECT_SECS	10
#define CTLHTTP_HEAD_SECS	30

/* Wait for a non-blocking connect on FD to finish: 0, or -1 with errno. */
static int
connect_wait(int fd)
{
	struct pollfd p = { fd, POLLOUT, 0 };
	socklen_t len = sizeof(int);
	int n, err = 0;

	do
		n = poll(&p, 1, CTLHTTP_CONNECT_SECS * 1000);
	while (n == -1 && errno == EINTR);
	if (n == 0)
		errno = ETIMEDOUT;
	if (n <= 0)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		return -1;
	errno = err;
	return err == 0 ? 0 : -1;
}

/* One address of the server: a connected, blocking fd, or -1. */
static int
connect_one(const struct addrinfo *ai)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, ai->ai_protocol), saved;

	if (fd == -1)
		return -1;
	if ((connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
	    (errno == EINPROGRESS && connect_wait(fd) == 0)) &&
	    fcntl(fd, F_SETFL, 0) != -1)
		return fd;
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* Each of HOST:PORT's addresses in turn: a connected fd, or -1 with the
 * errno of the last try; -2 when the name has no address (said). */
static int
connect_server(const struct ctlhttp_url *u, const char *url)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	int fd = -1, rc, saved;

	if ((rc = getaddrinfo(u->host, u->port, &hints, &res)) != 0) {
		fprintf(stderr, "procctl: cannot reach procd at %s: %s: %s\n",
		    url, u->host, rc == EAI_SYSTEM ? strerror(errno) :
		    gai_strerror(rc));
		return -2;
	}
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next)
		fd = connect_one(ai);
	saved = errno;
	freeaddrinfo(res);
	errno = saved;
	return fd;
}

/* The request's head, for a body of LEN bytes, into B. */
static int
request_head(struct buf *b, const struct ctlhttp_url *u, const char *user,
    const char *pass, long len)
{
	char cred[2 * CTLHTTP_CRED_MAX + 2], b64[sizeof cred * 4 / 3 + 4];
	int bracket = strchr(u->host, ':') != NULL;

	buf_addf(b, "POST %s HTTP/1.0\r\nHost: %s%s%s:%s\r\n"
	    "Content-Type: %s\r\nContent-Length: %ld\r\n", CTLHTTP_PATH,
	    bracket ? "[" : "", u->host, bracket ? "]" : "", u->port,
	    CTLHTTP_TYPE, len);
	if (user != NULL) {
		if ((size_t)snprintf(cred, sizeof cred, "%s:%s", user,
		    pass != NULL ? pass : "") >= sizeof cred ||
		    ctlhttp_b64(cred, strlen(cred), b64, sizeof b64) == -1)
			return -1;
		buf_addf(b, "Authorization: Basic %s\r\n", b64);
	}
	buf_addstr(b, "\r\n");
	return 0;
}

/* Read the response head from FD a byte at a time, so that not one byte
 * of the body is taken from ctlconn_relay: into HEAD.  0, or -1. */
static int
read_head(int fd, char *head, size_t *len)
{
	struct timeval tv = { CTLHTTP_HEAD_SECS, 0 }, forever = { 0, 0 };

	*len = 0;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == -1)
		return -1;
	while (!ctlhttp_head_done(head, *len)) {
		if (*len == CTLHTTP_HEAD_MAX ||
		    sys_read_all(fd, head + *len, 1) == -1)
			return -1;
		(*len)++;
	}
	/* A tail -f may be quiet for hours: the body has no deadline. */
	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &forever,
	    sizeof forever);
}

/* What a head other than 200 with our type means: said on stderr, with
 * WHY, the body's first line. */
static int
head_verdict(const char *url, const struct ctlhttp_head *h, const char *why)
{
	if (h->status == 401) {
		fprintf(stderr, "procctl: %s: Server requires authentication "
		    "(the user name or password, -u/-p, was refused or "
		    "missing)\n", url);
		return CTLHTTP_REFUSED;
	}
	/* No such route, or no POST at all (python's http.server: 501) */
	if (h->status == 404 || h->status == 405 || h->status == 501 ||
	    (h->status == 200 && strcmp(h->type, CTLHTTP_TYPE) != 0)) {
		fprintf(stderr, "procctl: the server at %s is not procd (or "
		    "an older one): use supervisorctl\n", url);
		return CTLHTTP_NO_PROCD;
	}
	if (h->status != 200) {
		fprintf(stderr, "procctl: %s answered %d %s%s%s\n", url,
		    h->status, h->reason, *why != '\0' ? ": " : "", why);
		return h->status == 403 ? CTLHTTP_DENIED : CTLHTTP_NO_PROCD;
	}
	return 0;
}

/* The first line of a refusal's body (the gateway's one-line reason),
 * without its status, into WHY: printable bytes only, "" when none. */
static void
read_reason(int fd, char *why, size_t size)
{
	size_t n = 0;
	char *p;

	while (n + 1 < size && sys_read_all(fd, why + n, 1) == 0 &&
	    why[n] != '\n')
		n += (unsigned char)why[n] >= 0x20 && why[n] != 0x7f;
	why[n] = '\0';
	/* "403 Forbidden: why" -> "why" */
	if ((p = strstr(why, ": ")) != NULL && p - why < 40 &&
	    why[0] >= '1' && why[0] <= '5')
		memmove(why, p + 2, strlen(p + 2) + 1);
}

/* Send the request for ARGV on FD, read the head; 0 when the body is
 * procctl's protocol. */
static int
exchange(int fd, const char *url, const struct ctlhttp_url *u,
    const char *user, const char *pass, int argc, char *const argv[],
    uint8_t flags)
{
	char head[CTLHTTP_HEAD_MAX], reason[200] = "";
	struct ctlhttp_head h;
	long size = proto_argv_size(argc, argv);
	const char *why;
	struct buf b;
	size_t len;
	int rc;

	buf_init(&b);
	if (size < 0 || request_head(&b, u, user, pass,
	    PROTO_HDR_LEN + size) == -1) {
		fprintf(stderr, "procctl: %s\n", size < 0 ? "the request is "
		    "too large" : "the user name or password is too long");
		buf_free(&b);
		return CTLHTTP_BROKEN;
	}
	rc = sys_write_all(fd, b.data, b.len) == (ssize_t)b.len &&
	    ctlconn_send(fd, argc, argv, flags) == 0 ? 0 : -1;
	buf_free(&b);
	if (read_head(fd, head, &len) == -1) {
		fprintf(stderr, "procctl: %s: %s\n", url, rc == -1 ?
		    "sending the request failed" : len == CTLHTTP_HEAD_MAX ?
		    "response head too long" : "no HTTP answer");
		return CTLHTTP_NO_PROCD;
	}
	if (ctlhttp_head_parse(head, len, &h, &why) == -1) {
		fprintf(stderr, "procctl: %s: bad HTTP answer: %s\n", url, why);
		return CTLHTTP_NO_PROCD;
	}
	/* the gateway's refusals are one line of text; a page is not read */
	if (h.status != 200 && strncmp(h.type, "text/plain", 10) == 0)
		read_reason(fd, reason, sizeof reason);
	return head_verdict(url, &h, reason);
}

int
ctlhttp_call(const char *server, const char *user, const char *pass,
    int argc, char *const argv[], uint8_t flags)
{
	struct timeval send_tv = { CTLHTTP_HEAD_SECS, 0 };
	char url[CTLHTTP_HOST_MAX + 32];
	struct ctlhttp_url u;
	const char *why;
	int https, fd, rc;

	if (ctlhttp_url_parse(server, &u, &why, &https) == -1) {
		ctlhttp_url_show(server, url, sizeof url);
		fprintf(stderr, "procctl: %s: %s\n", url, https ? "https:// "
		    "is not supported: use http:// on a trusted network, or "
		    "procctl on the host (its unix socket), over ssh" : why);
		return CTLHTTP_NO_PROCD;
	}
	ctlhttp_url_show(server, url, sizeof url);
	if (user == NULL && u.has_cred) {
		user = u.user;
		pass = u.pass;
	}
	if ((fd = connect_server(&u, url)) < 0)
		return fd == -1 ? CTLHTTP_UNREACHABLE : CTLHTTP_NO_PROCD;
	/* A server that takes the connection but never reads or answers
	 * is not waited on forever (read_head times the answer). */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_tv,
	    sizeof send_tv) == -1) {
		close(fd);
		return CTLHTTP_UNREACHABLE;
	}
	if ((rc = exchange(fd, url, &u, user, pass, argc, argv, flags)) == 0 &&
	    (rc = ctlconn_relay(fd, true)) == -1)
		rc = CTLHTTP_BROKEN;
	close(fd);
	return rc;
}
