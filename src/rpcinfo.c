/*
 * rpcinfo.c -- getProcessInfo and getAllProcessInfo: procd's rpcinfo
 * lines (cmdrpc.c: eleven tab-separated fields a process) written straight
 * into supervisord's structs as XML (XR_RAW), with no value tree between:
 * at 1,000 processes the tree was most of the gateway's work.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "rpcint.h"
#include "rpcline.h"
#include "xmlrpc.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))


/* supervisord's state codes (states.py). */
static const struct { const char *name; int code; } state_codes[] = {
	{ "STOPPED", 0 }, { "STARTING", 10 }, { "RUNNING", 20 },
	{ "BACKOFF", 30 }, { "STOPPING", 40 }, { "EXITED", 100 },
	{ "FATAL", 200 },
};

static int
state_code(const char *name)
{
	for (size_t i = 0; i < nitems(state_codes); i++)
		if (strcmp(state_codes[i].name, name) == 0)
			return state_codes[i].code;
	return 1000;	/* UNKNOWN */
}

/* One process as getProcessInfo's struct. */
static void
info_xml(struct buf *b, char *f[F_COUNT], int64_t now)
{
	static const int text[] = { F_NAME, F_GROUP, F_SPAWNERR, F_DESC,
	    F_OUTLOG, F_ERRLOG };

	for (size_t i = 0; i < nitems(text); i++)
		rpcline_unescape(f[text[i]]);
	buf_addstr(b, "<struct>\n");
	xmlrpc_member_str(b, "name", f[F_NAME]);
	xmlrpc_member_str(b, "group", f[F_GROUP]);
	xmlrpc_member_int(b, "start", strtoll(f[F_START], NULL, 10));
	xmlrpc_member_int(b, "stop", strtoll(f[F_STOP], NULL, 10));
	xmlrpc_member_int(b, "now", now);
	xmlrpc_member_int(b, "state", state_code(f[F_STATE]));
	xmlrpc_member_str(b, "statename", f[F_STATE]);
	xmlrpc_member_str(b, "spawnerr", f[F_SPAWNERR]);
	xmlrpc_member_int(b, "exitstatus", strtoll(f[F_EXIT], NULL, 10));
	/* supervisord's logfile is stdout's, under its old name. */
	xmlrpc_member_str(b, "logfile", f[F_OUTLOG]);
	xmlrpc_member_str(b, "stdout_logfile", f[F_OUTLOG]);
	xmlrpc_member_str(b, "stderr_logfile", f[F_ERRLOG]);
	xmlrpc_member_int(b, "pid", strtoll(f[F_PID], NULL, 10));
	xmlrpc_member_str(b, "description", f[F_DESC]);
	buf_addstr(b, "</struct>");
}

/*
 * rpcinfo [NAME]: every line's struct into B, each inside <value> when
 * LIST; *N is how many.  -1 with a fault (BAD_NAME for an unknown NAME).
 */
static int
ask_info(struct rpc_ctx *c, const char *name, bool list, struct buf *b,
    size_t *n)
{
	const char *argv[] = { "rpcinfo", name, NULL };
	char *line, *save = NULL, *f[F_COUNT];
	int64_t now = time(NULL);
	struct gwreply r;

	*n = 0;
	if (rpc_ask(c, false, argv, &r) == -1)
		return -1;
	if (r.code != 0) {
		if (r.code == 4)
			rpc_fault(c, FAULT_BAD_NAME, name);
		else
			rpc_fault(c, FAULT_FAILED, "rpcinfo");
		gwreply_free(&r);
		return -1;
	}
	/* About 1,070 bytes a process: one allocation, not a dozen. */
	size_t lines = 1;
	for (const char *q = r.out.data; q != NULL &&
	    (q = memchr(q, '\n', r.out.len - (size_t)(q - r.out.data))) !=
	    NULL; q++)
		lines++;
	buf_reserve(b, 1152 * lines);
	for (line = r.out.data != NULL ? strtok_r(r.out.data, "\n", &save) :
	    NULL; line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (!rpcline_split(line, f))
			continue;
		if (list)
			buf_addstr(b, "<value>");
		info_xml(b, f, now);
		if (list)
			buf_addstr(b, "</value>\n");
		(*n)++;
	}
	gwreply_free(&r);
	return 0;
}

struct xr_value *
rpcinfo_one(struct rpc_ctx *c, const struct xr_value *p)
{
	const char *name = p->items[0]->s;
	struct buf b;
	size_t n;

	if (rpc_names_many(name) || *name == '\0')
		return rpc_fault(c, FAULT_BAD_NAME, name);
	buf_init(&b);
	if (ask_info(c, name, false, &b, &n) == -1) {
		buf_free(&b);
		return NULL;
	}
	if (n != 1) {
		buf_free(&b);
		return rpc_fault(c, FAULT_BAD_NAME, name);
	}
	return xr_raw(b.data, b.len);	/* the buffer is the value's now */
}

struct xr_value *
rpcinfo_all(struct rpc_ctx *c, const struct xr_value *p)
{
	struct buf b;
	size_t n;

	(void)p;
	buf_init(&b);
	buf_addstr(&b, "<array><data>\n");
	if (ask_info(c, NULL, true, &b, &n) == -1) {
		buf_free(&b);
		return NULL;
	}
	buf_addstr(&b, "</data></array>");
	return xr_raw(b.data, b.len);
}
