/*
 * rxstate.c -- procd's re-exec state as records (rxstate.h): the tags,
 * the encoder, and a decoder that trusts nothing it reads.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "proc.h"
#include "rxrec.h"
#include "rxstate.h"

/* Top-level tags.  Critical: a reader that skipped it would leak a
 * descriptor or lose a program, so an older procd must refuse instead. */
enum {
	RX_GENERATION	= 0x0001,
	RX_ARGV		= 0x0002 | RXREC_CRITICAL,
	RX_CONTROL	= 0x0003 | RXREC_CRITICAL,
	RX_PIDFILE	= 0x0004 | RXREC_CRITICAL,
	RX_NOTIFY	= 0x0005 | RXREC_CRITICAL,
	RX_HTTP		= 0x0006 | RXREC_CRITICAL,
	RX_GATEWAY	= 0x0007,
	RX_REPLY	= 0x0008 | RXREC_CRITICAL,
	RX_PROG		= 0x0009 | RXREC_CRITICAL,
	RX_FOLLOW	= 0x000a | RXREC_CRITICAL,
};

/* In RX_FOLLOW (its descriptor is RXC_FD, its id RXR_ID): */
enum {
	RXF_FLAGS	= 0x0003,
	RXF_NAME	= 0x0004,
	RXF_STREAM	= 0x0005,
	RXF_PENDING	= 0x0006,
};

/* More than procd queues for one client (ctlclient.h's cap): a bound
 * for hostile input. */
#define RX_PENDING_MAX	(8u << 20)

/* In RX_ARGV, RX_CONTROL, RX_REPLY: */
enum {
	RXA_ARG		= 0x0001,
	RXC_FD		= 0x0001 | RXREC_CRITICAL,
	RXC_PATH	= 0x0002,
	RXR_ID		= 0x0002,
};

/* In RX_PROG: integers by table, then strings and streams. */
enum {
	RXP_NAME	= 0x0001 | RXREC_CRITICAL,
	RXP_SPAWNERR	= 0x0020,
	RXP_STATUS	= 0x0021,
	RXP_OUT		= 0x0022 | RXREC_CRITICAL,
	RXP_ERR		= 0x0023 | RXREC_CRITICAL,
};

/* In RXP_OUT and RXP_ERR: */
enum {
	RXS_FD		= 0x0001 | RXREC_CRITICAL,
	RXS_MIDLINE	= 0x0002,
	RXS_HELD	= 0x0003,
};

static const struct {
	uint16_t	 tag;
	size_t		 off;
	int64_t		 min, max;
} rxprog_ints[] = {
	{ 0x0002 | RXREC_CRITICAL, offsetof(struct rxprog, state), 0,
	    PROC_NSTATES - 1 },
	{ 0x0003 | RXREC_CRITICAL, offsetof(struct rxprog, want), WANT_DOWN,
	    WANT_UP },
	{ 0x0004 | RXREC_CRITICAL, offsetof(struct rxprog, pid), 0,
	    INT32_MAX },
	{ 0x0005, offsetof(struct rxprog, deadline), 0, INT64_MAX },
	{ 0x0006, offsetof(struct rxprog, backoff), 0, UINT32_MAX },
	{ 0x0007, offsetof(struct rxprog, flaps), 0, UINT32_MAX },
	{ 0x0008, offsetof(struct rxprog, window_start), INT64_MIN,
	    INT64_MAX },
	{ 0x0009, offsetof(struct rxprog, window_restarts), 0, UINT32_MAX },
	{ 0x000a, offsetof(struct rxprog, restarts), 0, UINT32_MAX },
	{ 0x000b, offsetof(struct rxprog, spawns), 0, UINT32_MAX },
	{ 0x000c, offsetof(struct rxprog, start_mono), INT64_MIN, INT64_MAX },
	{ 0x000d, offsetof(struct rxprog, start_wall), INT64_MIN, INT64_MAX },
	{ 0x000e, offsetof(struct rxprog, stop_wall), INT64_MIN, INT64_MAX },
	{ 0x000f, offsetof(struct rxprog, wstatus), INT32_MIN, INT32_MAX },
	{ 0x0010, offsetof(struct rxprog, flags), 0, 0x1ff },
};
#define RXPROG_NINTS (sizeof rxprog_ints / sizeof rxprog_ints[0])

/* Descriptors are small numbers: a bound for hostile input. */
#define RX_FD_MAX	(1 << 24)

void
rxstate_init(struct rxstate *st)
{
	memset(st, 0, sizeof *st);
	st->control_fd = st->pid_fd = st->notify_fd = st->http_fd = -1;
	st->reply_fd = -1;
}

static void
rxprog_free(struct rxprog *p)
{
	free(p->name);
	free(p->spawnerr);
	free(p->status_text);
	free(p->out.held);
	free(p->err.held);
}

void
rxstate_free(struct rxstate *st)
{
	for (size_t i = 0; i < st->argc; i++)
		free(st->argv[i]);
	free(st->argv);
	free(st->control_path);
	for (size_t i = 0; i < st->nprogs; i++)
		rxprog_free(&st->progs[i]);
	free(st->progs);
	for (size_t i = 0; i < st->nfollows; i++) {
		free(st->follows[i].name);
		free(st->follows[i].pending);
	}
	free(st->follows);
	rxstate_init(st);
}

struct rxprog *
rxstate_add_prog(struct rxstate *st)
{
	struct rxprog *v = realloc(st->progs, (st->nprogs + 1) * sizeof *v);

	if (v == NULL)
		return NULL;
	st->progs = v;
	memset(&v[st->nprogs], 0, sizeof *v);
	return &v[st->nprogs++];
}

struct rxfollow *
rxstate_add_follow(struct rxstate *st)
{
	struct rxfollow *v = realloc(st->follows, (st->nfollows + 1) *
	    sizeof *v);

	if (v == NULL)
		return NULL;
	st->follows = v;
	memset(&v[st->nfollows], 0, sizeof *v);
	v[st->nfollows].fd = -1;
	return &v[st->nfollows++];
}

/* ---- writing ---- */

static void
rxstate_put_fd(struct buf *b, uint16_t tag, uint16_t fdtag, int fd)
{
	size_t at;

	if (fd < 0)
		return;
	at = rxrec_open(b, tag);
	rxrec_u64(b, fdtag, (uint64_t)fd);
	rxrec_close(b, at);
}

static void
rxstream_encode(struct buf *b, uint16_t tag, const struct rxstream *s)
{
	size_t at = rxrec_open(b, tag);

	for (size_t i = 0; i < s->nfds; i++)
		rxrec_u64(b, RXS_FD, (uint64_t)s->fds[i]);
	rxrec_u64(b, RXS_MIDLINE, s->mid_line);
	if (s->held_len > 0)
		rxrec_bytes(b, RXS_HELD, s->held, s->held_len);
	rxrec_close(b, at);
}

static void
rxprog_encode(struct buf *b, const struct rxprog *p)
{
	size_t at = rxrec_open(b, RX_PROG);

	rxrec_str(b, RXP_NAME, p->name);
	for (size_t i = 0; i < RXPROG_NINTS; i++)
		rxrec_i64(b, rxprog_ints[i].tag,
		    *(const int64_t *)((const char *)p + rxprog_ints[i].off));
	if (p->spawnerr != NULL)
		rxrec_str(b, RXP_SPAWNERR, p->spawnerr);
	if (p->status_text != NULL)
		rxrec_str(b, RXP_STATUS, p->status_text);
	rxstream_encode(b, RXP_OUT, &p->out);
	rxstream_encode(b, RXP_ERR, &p->err);
	rxrec_close(b, at);
}

static void
rxfollow_encode(struct buf *b, const struct rxfollow *f)
{
	size_t at = rxrec_open(b, RX_FOLLOW);

	rxrec_u64(b, RXC_FD, (uint64_t)f->fd);
	rxrec_u64(b, RXR_ID, f->id);
	rxrec_i64(b, RXF_FLAGS, f->flags);
	if (f->name != NULL)
		rxrec_str(b, RXF_NAME, f->name);
	rxrec_i64(b, RXF_STREAM, f->stream);
	if (f->pending_len > 0)
		rxrec_bytes(b, RXF_PENDING, f->pending, f->pending_len);
	rxrec_close(b, at);
}

void
rxstate_encode(const struct rxstate *st, struct buf *b)
{
	size_t at;

	rxrec_begin(b);
	rxrec_u64(b, RX_GENERATION, st->generation);
	at = rxrec_open(b, RX_ARGV);
	for (size_t i = 0; i < st->argc; i++)
		rxrec_str(b, RXA_ARG, st->argv[i]);
	rxrec_close(b, at);
	if (st->control_fd >= 0 && st->control_path != NULL) {
		at = rxrec_open(b, RX_CONTROL);
		rxrec_u64(b, RXC_FD, (uint64_t)st->control_fd);
		rxrec_str(b, RXC_PATH, st->control_path);
		rxrec_close(b, at);
	}
	rxstate_put_fd(b, RX_PIDFILE, RXC_FD, st->pid_fd);
	rxstate_put_fd(b, RX_NOTIFY, RXC_FD, st->notify_fd);
	rxstate_put_fd(b, RX_HTTP, RXC_FD, st->http_fd);
	if (st->gateway_pid > 0)
		rxrec_i64(b, RX_GATEWAY, st->gateway_pid);
	if (st->reply_fd >= 0) {
		at = rxrec_open(b, RX_REPLY);
		rxrec_u64(b, RXC_FD, (uint64_t)st->reply_fd);
		rxrec_u64(b, RXR_ID, st->reply_id);
		rxrec_close(b, at);
	}
	for (size_t i = 0; i < st->nprogs; i++)
		rxprog_encode(b, &st->progs[i]);
	for (size_t i = 0; i < st->nfollows; i++)
		rxfollow_encode(b, &st->follows[i]);
	rxrec_finish(b);
}

/* ---- reading ---- */

/* A record we do not know: skipped, unless it is marked critical. */
static int
rx_unknown(uint16_t tag, const char **cause)
{
	if (!(tag & RXREC_CRITICAL))
		return 0;
	*cause = "state holds a critical record this procd does not know "
	    "(written by a newer procd)";
	return -1;
}

static int
rx_fd(const struct rxcur *v, int *out, const char **cause)
{
	uint64_t x;

	if (rxrec_get_u64(v, &x) == -1 || x >= RX_FD_MAX) {
		*cause = "state names a descriptor out of range";
		return -1;
	}
	*out = (int)x;
	return 0;
}

static int
rx_str(const struct rxcur *v, char **out, const char **cause)
{
	free(*out);
	if ((*out = rxrec_get_str(v)) == NULL) {
		*cause = "state holds a malformed string";
		return -1;
	}
	return 0;
}

/* A group of records: FN(arg, tag, value) for each. */
static int
rx_walk(const struct rxcur *v, int (*fn)(void *, uint16_t,
    const struct rxcur *, const char **), void *arg, const char **cause)
{
	struct rxcur in, val;
	uint16_t tag;
	int r;

	if (rxrec_get_group(v, &in) == -1) {
		*cause = "state nests too deep";
		return -1;
	}
	while ((r = rxrec_next(&in, &tag, &val, cause)) == 1)
		if (fn(arg, tag, &val, cause) == -1)
			return -1;
	return r;
}

static int
rxstream_field(void *arg, uint16_t tag, const struct rxcur *v,
    const char **cause)
{
	struct rxstream *s = arg;
	uint64_t x;

	switch (tag) {
	case RXS_FD:
		if (s->nfds == RXSTREAM_MAX_PIPES) {
			*cause = "state holds too many pipes for one stream";
			return -1;
		}
		return rx_fd(v, &s->fds[s->nfds++], cause);
	case RXS_MIDLINE:
		if (rxrec_get_u64(v, &x) == -1 || x > 1) {
			*cause = "state holds a malformed flag";
			return -1;
		}
		s->mid_line = x == 1;
		return 0;
	case RXS_HELD:
		free(s->held);
		if ((s->held = malloc(v->len ? v->len : 1)) == NULL) {
			*cause = "out of memory";
			return -1;
		}
		memcpy(s->held, v->p, v->len);
		s->held_len = v->len;
		return 0;
	default:
		return rx_unknown(tag, cause);
	}
}

static int
rxprog_int(struct rxprog *p, uint16_t tag, const struct rxcur *v,
    const char **cause)
{
	int64_t x;

	for (size_t i = 0; i < RXPROG_NINTS; i++) {
		if (rxprog_ints[i].tag != tag)
			continue;
		if (rxrec_get_i64(v, &x) == -1 || x < rxprog_ints[i].min ||
		    x > rxprog_ints[i].max) {
			*cause = "state holds a program field out of range";
			return -1;
		}
		*(int64_t *)((char *)p + rxprog_ints[i].off) = x;
		return 0;
	}
	return rx_unknown(tag, cause);
}

static int
rxprog_field(void *arg, uint16_t tag, const struct rxcur *v,
    const char **cause)
{
	struct rxprog *p = arg;

	switch (tag) {
	case RXP_NAME:
		return rx_str(v, &p->name, cause);
	case RXP_SPAWNERR:
		return rx_str(v, &p->spawnerr, cause);
	case RXP_STATUS:
		return rx_str(v, &p->status_text, cause);
	case RXP_OUT:
		return rx_walk(v, rxstream_field, &p->out, cause);
	case RXP_ERR:
		return rx_walk(v, rxstream_field, &p->err, cause);
	default:
		return rxprog_int(p, tag, v, cause);
	}
}

static int
rxprog_decode(struct rxstate *st, const struct rxcur *v, const char **cause)
{
	struct rxprog *p = rxstate_add_prog(st);

	if (p == NULL) {
		*cause = "out of memory";
		return -1;
	}
	if (rx_walk(v, rxprog_field, p, cause) == -1)
		return -1;
	if (p->name == NULL || p->name[0] == '\0') {
		*cause = "state holds a program without a name";
		return -1;
	}
	/* Only these states have a process to watch. */
	if (p->pid > 0 && p->state != PROC_STARTING &&
	    p->state != PROC_RUNNING && p->state != PROC_STOPPING) {
		*cause = "state holds a program whose pid does not match its "
		    "state";
		return -1;
	}
	return 0;
}

static int
rxargv_field(void *arg, uint16_t tag, const struct rxcur *v,
    const char **cause)
{
	struct rxstate *st = arg;
	char **nv;

	if (tag != RXA_ARG)
		return rx_unknown(tag, cause);
	if ((nv = realloc(st->argv, (st->argc + 2) * sizeof *nv)) == NULL) {
		*cause = "out of memory";
		return -1;
	}
	st->argv = nv;
	nv[st->argc] = NULL;
	if (rx_str(v, &nv[st->argc], cause) == -1)
		return -1;
	nv[++st->argc] = NULL;
	return 0;
}

/* RX_CONTROL, RX_PIDFILE, RX_NOTIFY, RX_HTTP, RX_REPLY: a descriptor,
 * and for some a path or an id. */
struct rxfdrec {
	int		*fd;
	char		**path;
	uint64_t	*id;
};

static int
rxfd_field(void *arg, uint16_t tag, const struct rxcur *v,
    const char **cause)
{
	struct rxfdrec *r = arg;

	if (tag == RXC_FD)
		return rx_fd(v, r->fd, cause);
	if (tag == RXC_PATH && r->path != NULL)
		return rx_str(v, r->path, cause);
	if (tag == RXR_ID && r->id != NULL) {
		if (rxrec_get_u64(v, r->id) == -1) {
			*cause = "state holds a malformed request id";
			return -1;
		}
		return 0;
	}
	return rx_unknown(tag, cause);
}

static int
rxstate_fdrec(const struct rxcur *v, int *fd, char **path, uint64_t *id,
    const char **cause)
{
	struct rxfdrec r = { fd, path, id };

	if (*fd != -1) {
		*cause = "state names a descriptor record twice";
		return -1;
	}
	if (rx_walk(v, rxfd_field, &r, cause) == -1)
		return -1;
	if (*fd == -1) {
		*cause = "state holds a descriptor record without its "
		    "descriptor";
		return -1;
	}
	return 0;
}

static int
rxfollow_field(void *arg, uint16_t tag, const struct rxcur *v,
    const char **cause)
{
	struct rxfollow *f = arg;

	switch (tag) {
	case RXC_FD:
		return rx_fd(v, &f->fd, cause);
	case RXR_ID:
		return rxrec_get_u64(v, &f->id) == -1 || f->id > UINT32_MAX ?
		    (*cause = "state holds a malformed request id", -1) : 0;
	case RXF_FLAGS:
		return rxrec_get_i64(v, &f->flags) == -1 || f->flags < 0 ||
		    f->flags > 0xff ?
		    (*cause = "state holds malformed request flags", -1) : 0;
	case RXF_NAME:
		return rx_str(v, &f->name, cause);
	case RXF_STREAM:
		return rxrec_get_i64(v, &f->stream) == -1 || f->stream < 1 ||
		    f->stream > 2 ?
		    (*cause = "state holds a stream that is not 1 or 2", -1) :
		    0;
	case RXF_PENDING:
		free(f->pending);
		f->pending = NULL;
		if (v->len > RX_PENDING_MAX || (f->pending = malloc(v->len ?
		    v->len : 1)) == NULL) {
			*cause = "state holds a follower's reply too large";
			return -1;
		}
		memcpy(f->pending, v->p, v->len);
		f->pending_len = v->len;
		return 0;
	default:
		return rx_unknown(tag, cause);
	}
}

static int
rxfollow_decode(struct rxstate *st, const struct rxcur *v,
    const char **cause)
{
	struct rxfollow *f = rxstate_add_follow(st);

	if (f == NULL) {
		*cause = "out of memory";
		return -1;
	}
	if (rx_walk(v, rxfollow_field, f, cause) == -1)
		return -1;
	if (f->fd == -1 || f->stream == 0) {
		*cause = "state holds a follower without its descriptor or "
		    "stream";
		return -1;
	}
	return 0;
}

static int
rxstate_top(struct rxstate *st, uint16_t tag, const struct rxcur *v,
    const char **cause)
{
	switch (tag) {
	case RX_GENERATION:
		return rxrec_get_u64(v, &st->generation) == -1 ?
		    (*cause = "state holds a malformed generation", -1) : 0;
	case RX_ARGV:
		return rx_walk(v, rxargv_field, st, cause);
	case RX_CONTROL:
		return rxstate_fdrec(v, &st->control_fd, &st->control_path,
		    NULL, cause);
	case RX_PIDFILE:
		return rxstate_fdrec(v, &st->pid_fd, NULL, NULL, cause);
	case RX_NOTIFY:
		return rxstate_fdrec(v, &st->notify_fd, NULL, NULL, cause);
	case RX_HTTP:
		return rxstate_fdrec(v, &st->http_fd, NULL, NULL, cause);
	case RX_GATEWAY:
		if (rxrec_get_i64(v, &st->gateway_pid) == -1 ||
		    st->gateway_pid <= 0 || st->gateway_pid > INT32_MAX) {
			*cause = "state holds a malformed gateway pid";
			return -1;
		}
		return 0;
	case RX_REPLY:
		return rxstate_fdrec(v, &st->reply_fd, NULL, &st->reply_id,
		    cause);
	case RX_PROG:
		return rxprog_decode(st, v, cause);
	case RX_FOLLOW:
		return rxfollow_decode(st, v, cause);
	default:
		return rx_unknown(tag, cause);
	}
}

static int
rxstate_cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* What must hold of the whole: the essentials are there, no descriptor
 * is named twice (it would be closed twice), no program twice. */
static int
rxstate_check(const struct rxstate *st, const char **cause)
{
	size_t n;
	int *fds;

	if (st->argc == 0 || st->control_fd == -1 ||
	    st->control_path == NULL) {
		*cause = "state lacks the command line or the control socket";
		return -1;
	}
	if ((fds = rxstate_fds(st, &n)) == NULL) {
		*cause = "out of memory";
		return -1;
	}
	qsort(fds, n, sizeof *fds, rxstate_cmp_int);
	for (size_t i = 1; i < n; i++) {
		if (fds[i] == fds[i - 1]) {
			free(fds);
			*cause = "state names a descriptor twice";
			return -1;
		}
	}
	free(fds);
	for (size_t i = 0; i < st->nprogs; i++)
		for (size_t j = i + 1; j < st->nprogs; j++)
			if (strcmp(st->progs[i].name, st->progs[j].name) == 0) {
				*cause = "state names a program twice";
				return -1;
			}
	return 0;
}

int
rxstate_decode(const void *data, size_t len, struct rxstate *st,
    const char **cause)
{
	struct rxcur top, v;
	uint16_t tag;
	int r;

	if (rxrec_read(data, len, &top, &st->version, cause) == -1)
		return -1;
	while ((r = rxrec_next(&top, &tag, &v, cause)) == 1)
		if (rxstate_top(st, tag, &v, cause) == -1)
			break;
	if (r == 0 && rxstate_check(st, cause) == 0)
		return 0;
	rxstate_free(st);
	return -1;
}

static void
rxstate_add_fd(int *v, size_t *n, int fd)
{
	if (fd >= 0)
		v[(*n)++] = fd;
}

int *
rxstate_fds(const struct rxstate *st, size_t *n)
{
	size_t cap = 5 + st->nfollows;
	int *v;

	for (size_t i = 0; i < st->nprogs; i++)
		cap += st->progs[i].out.nfds + st->progs[i].err.nfds;
	if ((v = malloc(cap * sizeof *v)) == NULL)
		return NULL;
	*n = 0;
	rxstate_add_fd(v, n, st->control_fd);
	rxstate_add_fd(v, n, st->pid_fd);
	rxstate_add_fd(v, n, st->notify_fd);
	rxstate_add_fd(v, n, st->http_fd);
	rxstate_add_fd(v, n, st->reply_fd);
	for (size_t i = 0; i < st->nfollows; i++)
		v[(*n)++] = st->follows[i].fd;
	for (size_t i = 0; i < st->nprogs; i++) {
		const struct rxprog *p = &st->progs[i];
		for (size_t k = 0; k < p->out.nfds; k++)
			v[(*n)++] = p->out.fds[k];
		for (size_t k = 0; k < p->err.nfds; k++)
			v[(*n)++] = p->err.fds[k];
	}
	return v;
}
