/*
 * dashboard.c -- the dashboard's page, files and actions (dashboard.h);
 * the live stream is dashsse.c, a process's row dashrow.c.
 *
 * The page is src/dash/index.html with {{KEY}} markers filled here: the
 * table of every process (escaped, dashrow.c), the summary, the token.
 * Responses carry a Content-Security-Policy that allows nothing but this
 * server's own script and style (no inline script, no other origin, no
 * framing): an escaping slip would still not run anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dashasset.h"
#include "dashboard.h"
#include "dashctl.h"
#include "dashguard.h"
#include "dashrow.h"
#include "dashsse.h"
#include "htmlesc.h"
#include "json.h"

#define DASHBOARD_ACT	"/dash/act/"
/* Names procd takes are shorter; a longer target is refused unread. */
#define DASHBOARD_TARGET_MAX	512

static const char dashboard_csp[] = "default-src 'none'; "
    "script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

bool
dashboard_match(const char *url)
{
	return strcmp(url, "/") == 0 || strncmp(url, "/dash/", 6) == 0;
}

/* Queue BODY (LEN bytes, copied) with STATUS and TYPE, and the headers
 * every dashboard response has. */
static enum MHD_Result
dashboard_send(struct MHD_Connection *conn, unsigned status, const char *type,
    const char *body, size_t len, const char *cache)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len,
	    (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type)
	    == MHD_NO ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache)
	    == MHD_NO ||
	    MHD_add_response_header(r, "Content-Security-Policy",
	    dashboard_csp) == MHD_NO ||
	    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff")
	    == MHD_NO ||
	    MHD_add_response_header(r, "X-Frame-Options", "DENY") == MHD_NO ||
	    MHD_add_response_header(r, "Referrer-Policy", "no-referrer")
	    == MHD_NO) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
dashboard_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	return dashboard_send(conn, status, "text/plain; charset=utf-8", text,
	    strlen(text), "no-store");
}

/* 405, with the methods URL takes. */
static enum MHD_Result
dashboard_405(struct MHD_Connection *conn, const char *allow)
{
	static const char msg[] = "405 Method Not Allowed\n";
	struct MHD_Response *r = MHD_create_response_from_buffer(
	    sizeof msg - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow) ==
	    MHD_NO) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, MHD_HTTP_METHOD_NOT_ALLOWED, r);
	MHD_destroy_response(r);
	return ret;
}

/* "3 running, 1 stopped, ..." for the states that have processes. */
static void
dashboard_summary(struct buf *b, const unsigned counts[], int n)
{
	bool first = true;

	for (int i = 0; i < n; i++) {
		if (counts[i] == 0)
			continue;
		buf_addf(b, "%s%u %s", first ? "" : ", ", counts[i],
		    dashrow_state_name(i));
		first = false;
	}
	if (first)
		buf_addstr(b, "no programs");
}

/* The value of marker KEY (LEN bytes) into B. */
static void
dashboard_fill(struct buf *b, const char *key, size_t len,
    const struct xr_value *rows, const char *token)
{
	unsigned counts[DASHROW_NSTATES] = { 0 };

	if (len == 5 && memcmp(key, "TOKEN", 5) == 0)
		htmlesc_str(b, token);
	else if (len == 7 && memcmp(key, "VERSION", 7) == 0)
		htmlesc_str(b, PROCD_VERSION);
	else if (len == 4 && memcmp(key, "ROWS", 4) == 0)
		dashrow_table(b, rows);
	else if (len == 7 && memcmp(key, "SUMMARY", 7) == 0) {
		dashrow_counts(rows, counts, sizeof counts / sizeof counts[0]);
		dashboard_summary(b, counts, dashrow_nstates());
	}
}

/* The page: the template with its {{KEY}} markers filled. */
static void
dashboard_render(struct buf *b, const struct xr_value *rows,
    const char *token)
{
	struct dashasset t = dashasset_page();
	const char *s = t.data, *end = t.data + t.len, *open, *close;

	while ((open = memmem(s, (size_t)(end - s), "{{", 2)) != NULL &&
	    (close = memmem(open, (size_t)(end - open), "}}", 2)) != NULL) {
		buf_add(b, s, (size_t)(open - s));
		dashboard_fill(b, open + 2, (size_t)(close - open - 2), rows,
		    token);
		s = close + 2;
	}
	buf_add(b, s, (size_t)(end - s));
}

static enum MHD_Result
dashboard_page(struct MHD_Connection *conn, int link)
{
	struct xr_value *rows = dashctl_status_once(link);
	struct buf b;
	enum MHD_Result ret;

	if (rows == NULL)
		return dashboard_text(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "503 procd did not answer\n");
	buf_init(&b);
	dashboard_render(&b, rows, dashguard_token());
	xr_free(rows);
	ret = dashboard_send(conn, MHD_HTTP_OK, "text/html; charset=utf-8",
	    b.data, b.len, "no-store");
	buf_free(&b);
	return ret;
}

/* A target procd could mean: not empty, no option, no control byte. */
static bool
dashboard_target_ok(const char *t)
{
	if (*t == '\0' || *t == '-' || strlen(t) > DASHBOARD_TARGET_MAX)
		return false;
	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* The answer to an action: {"ok", "code", "output"}. */
static enum MHD_Result
dashboard_act_reply(struct MHD_Connection *conn, const struct gwreply *r)
{
	struct buf b, text;
	struct json j;
	enum MHD_Result ret;

	buf_init(&b);
	buf_init(&text);
	/* Either may be empty, and then has no data at all. */
	if (r->out.len > 0)
		buf_add(&text, r->out.data, r->out.len);
	if (r->err.len > 0)
		buf_add(&text, r->err.data, r->err.len);
	json_init(&j, &b);
	json_object_begin(&j);
	json_kbool(&j, "ok", r->code == 0);
	json_kint(&j, "code", r->code);
	json_kstr(&j, "output", text.data != NULL ? text.data : "");
	json_object_end(&j);
	ret = dashboard_send(conn, MHD_HTTP_OK, "application/json", b.data,
	    b.len, "no-store");
	buf_free(&text);
	buf_free(&b);
	return ret;
}

static const char *
dashboard_header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* POST /dash/act/OP/TARGET. */
static enum MHD_Result
dashboard_act(struct MHD_Connection *conn, const char *url, int link)
{
	const char *op = url + strlen(DASHBOARD_ACT), *slash, *why;
	char verb[16];
	struct gwreply r;
	enum MHD_Result ret;

	why = dashguard_check(dashboard_header(conn, "X-Procd-Token"),
	    dashguard_token(), dashboard_header(conn, "Origin"),
	    dashboard_header(conn, MHD_HTTP_HEADER_HOST),
	    dashboard_header(conn, "Sec-Fetch-Site"));
	if (why != NULL) {
		char msg[128];
		snprintf(msg, sizeof msg, "403 Forbidden: %s\n", why);
		return dashboard_text(conn, MHD_HTTP_FORBIDDEN, msg);
	}
	if ((slash = strchr(op, '/')) == NULL ||
	    (size_t)(slash - op) >= sizeof verb)
		return dashboard_text(conn, MHD_HTTP_NOT_FOUND,
		    "404 Not Found\n");
	memcpy(verb, op, (size_t)(slash - op));
	verb[slash - op] = '\0';
	if ((strcmp(verb, "start") != 0 && strcmp(verb, "stop") != 0 &&
	    strcmp(verb, "restart") != 0) || !dashboard_target_ok(slash + 1))
		return dashboard_text(conn, MHD_HTTP_NOT_FOUND,
		    "404 Not Found\n");
	if (dashctl_act(link, verb, slash + 1, &r) == -1) {
		gwreply_free(&r);
		return dashboard_text(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "503 procd did not answer\n");
	}
	ret = dashboard_act_reply(conn, &r);
	gwreply_free(&r);
	return ret;
}

/* A file compiled in, cached by the browser only until it asks again. */
static enum MHD_Result
dashboard_asset(struct MHD_Connection *conn, struct dashasset a,
    const char *type)
{
	return dashboard_send(conn, MHD_HTTP_OK, type, a.data, a.len,
	    "no-cache");
}

enum MHD_Result
dashboard_begin(struct MHD_Connection *conn, const char *method,
    const char *url, int link, bool authed)
{
	bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;

	if (!authed && !dashguard_host_ok(dashboard_header(conn,
	    MHD_HTTP_HEADER_HOST)))
		return dashboard_text(conn, MHD_HTTP_FORBIDDEN, "403 Forbidden: "
		    "without a username and password the dashboard answers "
		    "only requests for an address (http://127.0.0.1:PORT/), "
		    "not a name\n");
	if (strcmp(method, "POST") == 0) {
		if (strncmp(url, DASHBOARD_ACT, strlen(DASHBOARD_ACT)) == 0)
			return dashboard_act(conn, url, link);
		return dashboard_405(conn, "GET, HEAD");
	}
	if (!get)
		return dashboard_405(conn, strncmp(url, DASHBOARD_ACT,
		    strlen(DASHBOARD_ACT)) == 0 ? "POST" : "GET, HEAD");
	if (strcmp(url, "/") == 0)
		return dashboard_page(conn, link);
	if (strcmp(url, "/dash/dash.css") == 0)
		return dashboard_asset(conn, dashasset_css(),
		    "text/css; charset=utf-8");
	if (strcmp(url, "/dash/dash.js") == 0)
		return dashboard_asset(conn, dashasset_js(),
		    "text/javascript; charset=utf-8");
	/* A stream has no end: a HEAD of it would never be answered. */
	if (strcmp(url, "/dash/events") == 0)
		return strcmp(method, "GET") == 0 ? dashsse_start(conn, link) :
		    dashboard_405(conn, "GET");
	if (strncmp(url, DASHBOARD_ACT, strlen(DASHBOARD_ACT)) == 0)
		return dashboard_405(conn, "POST");
	return dashboard_text(conn, MHD_HTTP_NOT_FOUND, "404 Not Found\n");
}
