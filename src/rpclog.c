/*
 * rpclog.c -- the XML-RPC methods on logs: readLog (procd's own), the
 * read and tail of a process's stdout and stderr, clearLog.  procd's
 * logread answers with the log's size and the bytes asked for; the
 * offset and length rules and faults are supervisord's readFile and
 * tailFile (rpclogrule.c), applied here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpcint.h"
#include "rpclogrule.h"

/* What procd's logread answers at most (cmdlog.c's LOGREAD_MAX). */
#define RPCLOG_MAX	(1024 * 1024)

/* A reply of logread: the size line, then the bytes. */
struct logslice {
	int64_t		 size;
	const char	*data;
	size_t		 len;
};

static bool
slice_parse(const struct gwreply *r, struct logslice *s)
{
	const char *nl;
	char *end;

	if (r->out.data == NULL ||
	    (nl = memchr(r->out.data, '\n', r->out.len)) == NULL)
		return false;
	s->size = strtoll(r->out.data, &end, 10);
	if (end != nl || s->size < 0)
		return false;
	s->data = nl + 1;
	s->len = r->out.len - (size_t)(nl + 1 - r->out.data);
	return true;
}

/*
 * Ask logread OFF LEN [NAME STREAM].  0 with S filled (R to free), 1
 * when the log is not there (no such file: NO_FILE for read*, nothing
 * for tail), -1 with a fault set.
 */
static int
ask_slice(struct rpc_ctx *c, const char *name, const char *stream,
    int64_t off, int64_t len, struct gwreply *r, struct logslice *s)
{
	char a_off[32], a_len[32];
	const char *argv[] = { "logread", a_off, a_len, name, stream, NULL };

	snprintf(a_off, sizeof a_off, "%lld", (long long)off);
	snprintf(a_len, sizeof a_len, "%lld", (long long)len);
	if (rpc_ask(c, false, argv, r) == -1)
		return -1;
	if (r->code == 0 && slice_parse(r, s))
		return 0;
	if (r->out.data != NULL && strstr(r->out.data, "(no such process"))
		rpc_fault(c, FAULT_BAD_NAME, name);
	else if (r->out.data != NULL && strstr(r->out.data, "(no log file)")) {
		return 1;	/* R freed by the caller */
	} else if (rpc_shutting_down(r))
		rpc_fault(c, FAULT_SHUTDOWN_STATE, NULL);
	else
		rpc_fault(c, FAULT_FAILED, name);
	gwreply_free(r);
	return -1;
}

/* readFile: OFFSET < 0 the last -OFFSET bytes, else LENGTH (0: all). */
static struct xr_value *
read_log(struct rpc_ctx *c, const char *name, const char *stream,
    int64_t offset, int64_t length)
{
	struct gwreply r;
	struct logslice s;
	struct xr_value *v;
	int code, k;

	if ((code = rpclog_read_rule(offset, length)) != 0)
		return rpc_fault(c, code, NULL);
	if (name != NULL && *name == '\0')
		return rpc_fault(c, FAULT_BAD_NAME, name);
	if ((k = ask_slice(c, name, stream, offset, length, &r, &s)) == -1)
		return NULL;
	if (k == 1) {
		gwreply_free(&r);
		return rpc_fault(c, FAULT_NO_FILE, name);
	}
	v = xr_strn(s.data, s.len);
	gwreply_free(&r);
	return v;
}

/* tailFile: [bytes, the log's size, overflow]. */
static struct xr_value *
tail_log(struct rpc_ctx *c, const char *name, const char *stream,
    int64_t offset, int64_t length)
{
	int64_t want = length < 0 ? 0 : length > RPCLOG_MAX ? RPCLOG_MAX :
	    length, from, n, base;
	struct xr_value *a;
	struct gwreply r;
	struct logslice s;
	bool overflow;
	int k;

	if (*name == '\0')
		return rpc_fault(c, FAULT_BAD_NAME, name);
	/* The newest WANT bytes (the window always ends there) and the
	 * size; then the rule says how much of them is the answer. */
	if ((k = ask_slice(c, name, stream, want > 0 ? -want : -1, 0, &r,
	    &s)) == -1)
		return NULL;
	a = xr_array();
	if (k == 1) {	/* supervisord: no file is ['', 0, False] */
		gwreply_free(&r);
		xr_push(a, xr_str(""));
		xr_push(a, xr_int(0));
		xr_push(a, xr_bool(false));
		return a;
	}
	if (want == 0)
		s.len = 0;
	rpclog_tail_rule(s.size, offset, length, &from, &n, &overflow);
	base = s.size - (int64_t)s.len;	/* where S's bytes begin */
	if (from < base)
		from = base;
	if (from > s.size)
		from = s.size;
	if (n > s.size - from)
		n = s.size - from;
	xr_push(a, xr_strn(s.data + (from - base), (size_t)n));
	xr_push(a, xr_int(s.size));
	xr_push(a, xr_bool(overflow));
	gwreply_free(&r);
	return a;
}

struct xr_value *
rpclog_read_main(struct rpc_ctx *c, const struct xr_value *p)
{
	return read_log(c, NULL, NULL, p->items[0]->i, p->items[1]->i);
}

struct xr_value *
rpclog_read_out(struct rpc_ctx *c, const struct xr_value *p)
{
	return read_log(c, p->items[0]->s, "stdout", p->items[1]->i,
	    p->items[2]->i);
}

struct xr_value *
rpclog_read_err(struct rpc_ctx *c, const struct xr_value *p)
{
	return read_log(c, p->items[0]->s, "stderr", p->items[1]->i,
	    p->items[2]->i);
}

struct xr_value *
rpclog_tail_out(struct rpc_ctx *c, const struct xr_value *p)
{
	return tail_log(c, p->items[0]->s, "stdout", p->items[1]->i,
	    p->items[2]->i);
}

struct xr_value *
rpclog_tail_err(struct rpc_ctx *c, const struct xr_value *p)
{
	return tail_log(c, p->items[0]->s, "stderr", p->items[1]->i,
	    p->items[2]->i);
}

struct xr_value *
rpclog_clear_main(struct rpc_ctx *c, const struct xr_value *p)
{
	static const char *const argv[] = { "mainclear", NULL };
	struct gwreply r;
	struct xr_value *v;

	(void)p;
	if (rpc_ask(c, false, argv, &r) == -1)
		return NULL;
	if (r.code == 0)
		v = xr_bool(true);
	else if (rpc_shutting_down(&r))
		v = rpc_fault(c, FAULT_SHUTDOWN_STATE, NULL);
	else
		v = rpc_fault(c, FAULT_NO_FILE, NULL);
	gwreply_free(&r);
	return v;
}
