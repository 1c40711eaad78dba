/*
 * httpobs.c -- /metrics, /healthz and /readyz in the gateway (httpobs.h):
 * asking procd, and the HTTP answers.  What the answers say is made by
 * metrics.c and probes.c, which do no I/O.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "buf.h"
#include "gwctl.h"
#include "httpobs.h"
#include "jsonread.h"
#include "metrics.h"
#include "probes.h"
#include "promtext.h"
#include "rpc.h"

#define TEXT_PLAIN	"text/plain; charset=utf-8"

bool
httpobs_match(const char *url)
{
	return strcmp(url, "/metrics") == 0 || strcmp(url, "/healthz") == 0 ||
	    strcmp(url, "/readyz") == 0;
}

/* Send BODY (a buf's data, now libmicrohttpd's to free) with STATUS. */
static enum MHD_Result
httpobs_send(struct MHD_Connection *conn, unsigned status, const char *type,
    struct buf *body)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (body->data == NULL)
		buf_addstr(body, "");
	r = MHD_create_response_from_buffer(body->len, body->data,
	    MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		buf_free(body);
		return MHD_NO;
	}
	buf_init(body);
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type) ==
	    MHD_NO || MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-store") == MHD_NO) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		(void)MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW,
		    "GET, HEAD");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
httpobs_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	struct buf b;

	buf_init(&b);
	buf_addstr(&b, text);
	return httpobs_send(conn, status, TEXT_PLAIN, &b);
}

/* One exchange on channel FD with at most HTTPOBS_ASK_SECS for the
 * answer; the channel's own (long) timeout is put back after, since
 * XML-RPC on the same connection may wait minutes for a start. */
static int
httpobs_call(int fd, int argc, char *const argv[], bool json,
    struct gwreply *r)
{
	struct timeval brief = { HTTPOBS_ASK_SECS, 0 }, saved;
	socklen_t len = sizeof saved;

	if (getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &saved, &len) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &brief, sizeof brief)
	    == -1) {
		buf_init(&r->out);
		buf_init(&r->err);
		return -1;
	}
	if (gwctl_call(fd, argc, argv, json, r) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &saved, len) == -1)
		return -1;
	return 0;
}

/* Ask procd ARGV on this connection's channel.  A channel procd dropped
 * (it closes idle ones) is replaced once.  0 with R, or -1. */
static int
httpobs_ask(struct rpc_ctx *c, bool json, const char *const *argv,
    struct gwreply *r)
{
	int argc = 0;
	bool timed_out;

	while (argv[argc] != NULL)
		argc++;
	for (int tries = 0; tries < 2; tries++) {
		if (c->chan == -1 && (c->chan = gwctl_open(c->link)) == -1)
			return -1;
		errno = 0;	/* an EOF (a dropped channel) leaves it so */
		if (httpobs_call(c->chan, argc, (char *const *)argv, json, r)
		    == 0)
			return 0;
		timed_out = errno == EAGAIN || errno == EWOULDBLOCK;
		gwreply_free(r);
		close(c->chan);
		c->chan = -1;
		/* procd took too long: asking again would double the wait. */
		if (timed_out)
			break;
	}
	return -1;
}

/* procd's JSON answer to ARGV, of TYPE (XR_ARRAY, XR_STRUCT), or NULL. */
static struct xr_value *
httpobs_json(struct rpc_ctx *c, const char *const *argv, enum xr_type type)
{
	struct xr_value *v = NULL;
	struct gwreply r;

	if (httpobs_ask(c, true, argv, &r) == -1)
		return NULL;
	/* status exits 3 when something is down: the JSON is what counts. */
	if (r.out.data != NULL)
		v = jsonread(r.out.data, r.out.len);
	gwreply_free(&r);
	if (v != NULL && v->type != type) {
		xr_free(v);
		v = NULL;
	}
	return v;
}

static enum MHD_Result
httpobs_metrics(struct MHD_Connection *conn, struct rpc_ctx *c)
{
	static const char *const pid[] = { "pid", NULL };
	static const char *const status[] = { "status", NULL };
	struct xr_value *self, *rows;
	struct buf b;

	self = httpobs_json(c, pid, XR_STRUCT);
	rows = self != NULL ? httpobs_json(c, status, XR_ARRAY) : NULL;
	if (rows == NULL) {
		xr_free(self);
		return httpobs_text(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "procd did not answer\n");
	}
	buf_init(&b);
	metrics_render(&b, rows, self);
	xr_free(rows);
	xr_free(self);
	return httpobs_send(conn, MHD_HTTP_OK, PROMTEXT_CONTENT_TYPE, &b);
}

/* procd answers; version is refused while it shuts down or reloads. */
static enum MHD_Result
httpobs_healthz(struct MHD_Connection *conn, struct rpc_ctx *c)
{
	static const char *const version[] = { "version", NULL };
	struct gwreply r;
	bool ok;

	if (httpobs_ask(c, false, version, &r) == -1)
		return httpobs_text(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "procd did not answer\n");
	ok = r.code == 0;
	gwreply_free(&r);
	return ok ? httpobs_text(conn, MHD_HTTP_OK, "ok\n") :
	    httpobs_text(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
	    "procd is shutting down\n");
}

static enum MHD_Result
httpobs_readyz(struct MHD_Connection *conn, struct rpc_ctx *c)
{
	static const char *const status[] = { "status", NULL };
	struct xr_value *rows = httpobs_json(c, status, XR_ARRAY);
	struct buf why;
	bool ready;

	if (rows == NULL)
		return httpobs_text(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "procd did not answer\n");
	buf_init(&why);
	ready = probes_ready(rows, &why);
	xr_free(rows);
	if (ready) {
		buf_free(&why);
		return httpobs_text(conn, MHD_HTTP_OK, "ok\n");
	}
	return httpobs_send(conn, MHD_HTTP_SERVICE_UNAVAILABLE, TEXT_PLAIN,
	    &why);
}

enum MHD_Result
httpobs_serve(struct MHD_Connection *conn, const char *url,
    const char *method, struct rpc_ctx *ctx)
{
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return httpobs_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "405 Method Not Allowed\n");
	if (ctx == NULL)
		return MHD_NO;
	if (strcmp(url, "/metrics") == 0)
		return httpobs_metrics(conn, ctx);
	if (strcmp(url, "/healthz") == 0)
		return httpobs_healthz(conn, ctx);
	return httpobs_readyz(conn, ctx);
}
