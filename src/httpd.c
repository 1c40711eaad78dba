/*
 * httpd.c -- libmicrohttpd glue for the gateway (httpd.h): which requests
 * are served, authentication, the body limit, and the XML-RPC round trip.
 *
 * libmicrohttpd does the HTTP framing, with a thread per connection: a
 * request waits on procd (a start waits for RUNNING) without holding up
 * anyone else, and each connection keeps one control channel to procd
 * for as long as it stays open (supervisorctl's keep-alive).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include <microhttpd.h>

#include "buf.h"
#include "dashboard.h"
#include "dashguard.h"
#include "httpauth.h"
#include "httpctl.h"
#include "httpd.h"
#include "httpobs.h"
#include "httptail.h"
#include "rpc.h"
#include "xmlrpc.h"

struct httpd {
	struct MHD_Daemon *d;
	char		*user, *pass;	/* NULL: no authentication */
	int		 link;
};

/* One request's body, as it comes. */
struct req {
	struct buf	 body;
	bool		 too_big;
};

/* libmicrohttpd's messages, less those about TCP options on what is a
 * unix socket (connections handed over from the control socket). */
static void
httpd_log_cb(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (strstr(msg, "TCP_NODELAY") != NULL || strstr(msg, "TCP_CORK") !=
	    NULL || strstr(msg, "push the data") != NULL)
		return;
	fprintf(stderr, "procd gateway: %s", msg);
}

static enum MHD_Result
httpd_send(struct MHD_Connection *conn, unsigned status, const char *type,
    const char *body, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len,
	    (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type)
	    == MHD_NO) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	if (status == MHD_HTTP_UNAUTHORIZED)
		(void)MHD_add_response_header(r,
		    MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Basic realm=\"default\"");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		(void)MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW,
		    "GET, HEAD, POST");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
httpd_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	return httpd_send(conn, status, "text/plain", text, strlen(text));
}

static bool
httpd_authorized(const struct httpd *h, struct MHD_Connection *conn)
{
	char user[256], pass[256];
	const char *hdr;

	if (h->user == NULL)
		return true;
	hdr = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (httpauth_parse(hdr, user, pass, sizeof user) == -1)
		return false;
	return httpauth_check(user, pass, h->user, h->pass);
}

/* This connection's RPC context (its control channel), made when the
 * connection started. */
static struct rpc_ctx *
httpd_ctx(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci != NULL ? ci->socket_context : NULL;
}

static enum MHD_Result
httpd_rpc(struct MHD_Connection *conn, struct req *rq)
{
	struct rpc_ctx *ctx = httpd_ctx(conn);
	struct xmlrpc_call call;
	struct xr_value *v;
	struct buf out;
	char why[128];
	enum MHD_Result ret;

	if (ctx == NULL)
		return MHD_NO;
	buf_init(&out);
	if (xmlrpc_parse(rq->body.data ? rq->body.data : "", rq->body.len,
	    &call, why, sizeof why) == -1) {
		/* supervisord answers a request it cannot parse with 400. */
		return httpd_text(conn, MHD_HTTP_BAD_REQUEST, why);
	}
	v = rpc_call(ctx, call.method, call.params);
	if (v != NULL)
		xmlrpc_write_response(&out, v);
	else
		xmlrpc_write_fault(&out, ctx->fault, ctx->fault_text);
	xr_free(v);
	xmlrpc_call_free(&call);
	ret = httpd_send(conn, MHD_HTTP_OK, "text/xml", out.data, out.len);
	buf_free(&out);
	return ret;
}

static const char *
httpd_header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* 403 with WHY, for a request from another site's page. */
static enum MHD_Result
httpd_refused(struct MHD_Connection *conn, const char *why)
{
	char msg[192];

	snprintf(msg, sizeof msg, "403 Forbidden: %s\n", why);
	return httpd_text(conn, MHD_HTTP_FORBIDDEN, msg);
}

/* The first call for a request: what can be refused before its body. */
static enum MHD_Result
httpd_begin(struct httpd *h, struct MHD_Connection *conn, const char *url,
    const char *method, void **con_cls)
{
	const char *cl, *why;
	struct req *rq;

	if (!httpd_authorized(h, conn))
		return httpd_text(conn, MHD_HTTP_UNAUTHORIZED,
		    "401 Unauthorized\n");
	if (strcmp(method, "GET") == 0 && httptail_match(url))
		return httptail_start(conn, url, h->link);
	if (dashboard_match(url))
		return dashboard_begin(conn, method, url, h->link,
		    h->user != NULL);
	if (httpobs_match(url))
		return httpobs_serve(conn, url, method, httpd_ctx(conn));
	/* procctl's protocol: a POST, its body taken as XML-RPC's is */
	if (httpctl_match(url) && strcmp(method, "POST") != 0)
		return httpctl_not_post(conn);
	/* XML-RPC is POST only: anything else there is told so. */
	if (strncmp(url, "/RPC2", 5) == 0 && strcmp(method, "POST") != 0)
		return httpd_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "405 Method Not Allowed\n");
	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		return httpd_text(conn, MHD_HTTP_NOT_FOUND, "404 Not Found\n");
	if (strcmp(method, "POST") != 0)
		return httpd_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "405 Method Not Allowed\n");
	if (strncmp(url, "/RPC2", 5) != 0 && !httpctl_match(url))
		return httpd_text(conn, MHD_HTTP_NOT_FOUND, "404 Not Found\n");
	if ((why = dashguard_browser_check(httpd_header(conn, "Origin"),
	    httpd_header(conn, "Host"), httpd_header(conn, "Sec-Fetch-Site"),
	    h->user != NULL)) != NULL)
		return httpd_refused(conn, why);
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl != NULL && strtoull(cl, NULL, 10) > HTTPD_BODY_MAX)
		return httpd_text(conn, MHD_HTTP_CONTENT_TOO_LARGE,
		    "413 Request Entity Too Large\n");
	if ((rq = calloc(1, sizeof *rq)) == NULL)
		return MHD_NO;
	buf_init(&rq->body);
	*con_cls = rq;
	return MHD_YES;
}

static enum MHD_Result
httpd_access_cb(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct req *rq = *con_cls;

	(void)version;
	if (rq == NULL)
		return httpd_begin(cls, conn, url, method, con_cls);
	if (*upload_size > 0) {
		/* A body without Content-Length (chunked) is cut here. */
		if (rq->body.len + *upload_size > HTTPD_BODY_MAX)
			rq->too_big = true;
		else
			buf_add(&rq->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->too_big)
		return httpd_text(conn, MHD_HTTP_CONTENT_TOO_LARGE,
		    "413 Request Entity Too Large\n");
	if (httpctl_match(url))
		return httpctl_serve(conn, rq->body.data, rq->body.len,
		    ((struct httpd *)cls)->link);
	return httpd_rpc(conn, rq);
}

static void
httpd_done_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct req *rq = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (rq == NULL)
		return;
	buf_free(&rq->body);
	free(rq);
	*con_cls = NULL;
}

/* A connection opens or closes: its RPC context and control channel. */
static void
httpd_conn_cb(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	struct httpd *h = cls;
	struct rpc_ctx *ctx = *socket_context;

	(void)conn;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		if ((ctx = calloc(1, sizeof *ctx)) != NULL) {
			ctx->link = h->link;
			ctx->chan = -1;
		}
		*socket_context = ctx;
		return;
	}
	if (ctx != NULL && ctx->chan != -1)
		close(ctx->chan);
	free(ctx);
	*socket_context = NULL;
}

struct httpd *
httpd_start(int listen_fd, const char *user, const char *pass, int link)
{
	struct httpd *h = calloc(1, sizeof *h);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL | MHD_USE_ITC |
	    MHD_USE_ERROR_LOG;

	if (h == NULL)
		return NULL;
	h->link = link;
	if (user != NULL && *user != '\0') {
		h->user = strdup(user);
		h->pass = strdup(pass != NULL ? pass : "");
	}
	struct MHD_OptionItem opts[] = {
		{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)httpd_log_cb, h },
		{ MHD_OPTION_CONNECTION_LIMIT, HTTPD_CONN_MAX, NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT, HTTPD_IDLE_SECS, NULL },
		{ MHD_OPTION_CONNECTION_MEMORY_LIMIT, 64 * 1024, NULL },
		{ MHD_OPTION_THREAD_STACK_SIZE, 256 * 1024, NULL },
		{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)httpd_done_cb, h },
		{ MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)httpd_conn_cb, h },
		/* Last, so that a server without a socket can leave it out. */
		{ MHD_OPTION_LISTEN_SOCKET, listen_fd, NULL },
		{ MHD_OPTION_END, 0, NULL },
	};

	if (listen_fd == -1) {
		flags |= MHD_USE_NO_LISTEN_SOCKET;
		opts[sizeof opts / sizeof opts[0] - 2].option = MHD_OPTION_END;
	}
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, httpd_access_cb, h,
	    MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (h->d == NULL) {
		fprintf(stderr, "procd gateway: cannot start the HTTP server\n");
		free(h->user);
		free(h->pass);
		free(h);
		return NULL;
	}
	return h;
}

int
httpd_add(struct httpd *h, int fd)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	/* On failure libmicrohttpd has closed FD. */
	return MHD_add_connection(h->d, fd, (struct sockaddr *)&sun,
	    sizeof sun) == MHD_YES ? 0 : -1;
}

unsigned
httpd_busy(struct httpd *h)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->d,
	    MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

	return di != NULL ? di->num_connections : 0;
}
