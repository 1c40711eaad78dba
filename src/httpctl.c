/*
 * httpctl.c -- POST /procd/ctl in the gateway (httpctl.h): procctl's own
 * protocol carried over HTTP to a control channel of the request's own.
 *
 * The body is checked here, in the unprivileged gateway, before procd
 * sees a byte of it: exactly one REQUEST frame, of a command procctl
 * sends and XML-RPC with the same credentials could already have done.
 * The answer streams as procd writes it (tail -f, wait), from the
 * connection's own thread, which waits in poll() for procd's next frame
 * or the client's hang-up, whichever comes first: a client that goes
 * away closes the channel, and procd ends the command.
 */
#include <errno.h>
#include <stdarg.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "buf.h"
#include "ctlhttp.h"
#include "gwctl.h"
#include "httpctl.h"
#include "proto.h"
#include "sys.h"

/* The commands that may come this way: procctl's, less reexec, which
 * replaces procd's own image and stays with whoever is on the host. */
static const char *const httpctl_allowed[] = {
	"add", "avail", "clear", "maintail", "pid", "reload", "remove",
	"reread", "restart", "shutdown", "signal", "start", "status", "stop",
	"tail", "update", "version", "wait", "watch", NULL
};

struct httpctl {
	int		 chan;		/* the request's control channel */
	int		 client;	/* the HTTP client's socket */
	struct buf	 pend;		/* a frame's bytes not sent yet */
	size_t		 off;
	bool		 ended;		/* END is in pend: the last frame */
};

bool
httpctl_match(const char *url)
{
	return strcmp(url, CTLHTTP_PATH) == 0;
}

static enum MHD_Result
httpctl_text(struct MHD_Connection *conn, unsigned status, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static enum MHD_Result
httpctl_text(struct MHD_Connection *conn, unsigned status, const char *fmt,
    ...)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	char msg[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return MHD_NO;
	r = MHD_create_response_from_buffer(strlen(msg), msg,
	    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		(void)MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "POST");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result
httpctl_not_post(struct MHD_Connection *conn)
{
	return httpctl_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
	    "405 Method Not Allowed: %s takes a POST of a procctl request "
	    "frame\n", CTLHTTP_PATH);
}

/* Is the LEN-byte BODY one REQUEST frame of an allowed command?  NULL, or
 * why not (into WHY); *STATUS the HTTP status to refuse it with. */
static const char *
httpctl_check(const char *body, size_t len, unsigned *status, char *why,
    size_t size)
{
	char *argv[PROTO_MAX_ARGS + 1];
	struct proto_hdr h;
	const char *cause;

	*status = MHD_HTTP_BAD_REQUEST;
	if (len > PROTO_HDR_LEN + PROTO_MAX_PAYLOAD) {
		*status = MHD_HTTP_CONTENT_TOO_LARGE;
		snprintf(why, size, "413 Request Entity Too Large: a request "
		    "frame has at most %d bytes", PROTO_HDR_LEN +
		    PROTO_MAX_PAYLOAD);
	} else if (len < PROTO_HDR_LEN)
		snprintf(why, size, "400 Bad Request: %zu bytes, less than a "
		    "frame header", len);
	else if (proto_hdr_unpack((const uint8_t *)body, &h, &cause) == -1)
		snprintf(why, size, "400 Bad Request: bad frame: %s", cause);
	else if (h.type != PROTO_REQUEST)
		snprintf(why, size, "400 Bad Request: not a REQUEST frame");
	else if (len < PROTO_HDR_LEN + (size_t)h.len)
		snprintf(why, size, "400 Bad Request: the frame is cut short");
	else if (len > PROTO_HDR_LEN + (size_t)h.len)
		snprintf(why, size, "400 Bad Request: more than one frame");
	else if (proto_argv_decode(body + PROTO_HDR_LEN, h.len, argv,
	    &cause) == -1)
		snprintf(why, size, "400 Bad Request: bad request: %s", cause);
	else {
		for (size_t i = 0; httpctl_allowed[i] != NULL; i++)
			if (strcmp(argv[0], httpctl_allowed[i]) == 0)
				return NULL;
		*status = MHD_HTTP_FORBIDDEN;
		/* the name is echoed only when it cannot break the line */
		snprintf(why, size, "403 Forbidden: %.64s is not served over "
		    "HTTP: run procctl on the host", strspn(argv[0],
		    "abcdefghijklmnopqrstuvwxyz") == strlen(argv[0]) ?
		    argv[0] : "that command");
	}
	return why;
}

/* Wait for procd's next frame or the client's hang-up: 1 a frame to
 * read, -1 hang-up or error. */
static int
httpctl_wait(struct httpctl *t)
{
	struct pollfd p[2] = { { t->chan, POLLIN, 0 },
	    { t->client, POLLRDHUP, 0 } };
	int n;

	do
		n = poll(p, t->client != -1 ? 2 : 1, -1);
	while (n == -1 && errno == EINTR);
	if (n == -1 || (t->client != -1 && (p[1].revents &
	    (POLLRDHUP | POLLHUP | POLLERR))))
		return -1;
	return 1;
}

/* procd's next frame, checked and kept whole, into t->pend: 0, or -1. */
static int
httpctl_next(struct httpctl *t)
{
	uint8_t hdr[PROTO_HDR_LEN];
	struct proto_hdr h;
	const char *cause;

	if (sys_read_all(t->chan, hdr, sizeof hdr) == -1 ||
	    proto_hdr_unpack(hdr, &h, &cause) == -1 ||
	    (h.type != PROTO_OUT && h.type != PROTO_ERR &&
	    h.type != PROTO_END))
		return -1;
	buf_reset(&t->pend);
	buf_reserve(&t->pend, sizeof hdr + h.len);
	buf_add(&t->pend, hdr, sizeof hdr);
	if (sys_read_all(t->chan, t->pend.data + sizeof hdr, h.len) == -1)
		return -1;
	t->pend.len += h.len;
	t->off = 0;
	t->ended = h.type == PROTO_END;
	return 0;
}

static ssize_t
httpctl_read_cb(void *cls, uint64_t pos, char *out, size_t max)
{
	struct httpctl *t = cls;

	(void)pos;
	while (t->off == t->pend.len) {
		if (t->ended)
			return MHD_CONTENT_READER_END_OF_STREAM;
		/* A channel that fails mid-way cuts the response: the
		 * client sees no END, and says so. */
		if (httpctl_wait(t) == -1 || httpctl_next(t) == -1)
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	return (ssize_t)buf_copy_out(&t->pend, &t->off, out, max);
}

static void
httpctl_free_cb(void *cls)
{
	struct httpctl *t = cls;

	if (t->chan != -1)
		close(t->chan);
	buf_free(&t->pend);
	free(t);
}

/* Open the channel and send BODY on it: T, or NULL. */
static struct httpctl *
httpctl_open(struct MHD_Connection *conn, const char *body, size_t len,
    int link)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_CONNECTION_FD);
	struct timeval forever = { 0, 0 };
	struct httpctl *t = calloc(1, sizeof *t);

	if (t == NULL)
		return NULL;
	buf_init(&t->pend);
	t->client = ci != NULL ? ci->connect_fd : -1;
	/* Only poll() decides how long a tail -f may be quiet. */
	if ((t->chan = gwctl_open(link)) == -1 ||
	    setsockopt(t->chan, SOL_SOCKET, SO_RCVTIMEO, &forever,
	    sizeof forever) == -1 ||
	    sys_write_all(t->chan, body, len) != (ssize_t)len) {
		httpctl_free_cb(t);
		return NULL;
	}
	return t;
}

enum MHD_Result
httpctl_serve(struct MHD_Connection *conn, const char *body, size_t len,
    int link)
{
	struct MHD_Response *r;
	struct httpctl *t;
	enum MHD_Result ret;
	unsigned status;
	char why[160];

	if (httpctl_check(body, len, &status, why, sizeof why) != NULL)
		return httpctl_text(conn, status, "%s\n", why);
	if ((t = httpctl_open(conn, body, len, link)) == NULL)
		return httpctl_text(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "503 Service Unavailable: no channel to procd\n");
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024,
	    httpctl_read_cb, t, httpctl_free_cb);
	if (r == NULL) {
		httpctl_free_cb(t);
		return MHD_NO;
	}
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    CTLHTTP_TYPE);
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-store");
	(void)MHD_add_response_header(r, "X-Accel-Buffering", "no");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}
