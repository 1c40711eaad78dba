/*
 * rxstateread.c -- reading procd's re-exec state back (rxstate.h's
 * rxstate_decode): every record checked, every number bounded, nothing
 * trusted; a record this procd does not know is skipped unless the
 * writer marked it critical.
 */
#include <stdlib.h>
#include <string.h>

#include "evproto.h"
#include "proc.h"
#include "rxrec.h"
#include "rxstate.h"
#include "rxtags.h"

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

	for (size_t i = 0; i < rxprog_nints; i++) {
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
	case RXP_READY_FD:
		return rx_fd(v, &p->ready_fd, cause);
	case RXP_STDIN_FD:
		return rx_fd(v, &p->stdin_fd, cause);
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
rxpool_field(void *arg, uint16_t tag, const struct rxcur *v,
    const char **cause)
{
	struct rxpool *pl = arg;

	if (tag == RXL_NAME)
		return rx_str(v, &pl->name, cause);
	if (tag == RXR_ID)
		return rxrec_get_u64(v, &pl->serial) == -1 ?
		    (*cause = "state holds a malformed pool serial", -1) : 0;
	return rx_unknown(tag, cause);
}

static int
rxlistener_field(void *arg, uint16_t tag, const struct rxcur *v,
    const char **cause)
{
	struct rxlistener *l = arg;

	switch (tag) {
	case RXL_NAME:
		return rx_str(v, &l->name, cause);
	case RXL_IN:
		return rx_fd(v, &l->in_fd, cause);
	case RXL_OUT:
		return rx_fd(v, &l->out_fd, cause);
	case RXL_STATE:
		/* Only between events is a listener carried. */
		return rxrec_get_i64(v, &l->state) == -1 ||
		    (l->state != EVPROTO_ACKNOWLEDGED &&
		    l->state != EVPROTO_READY) ?
		    (*cause = "state holds a listener in the middle of an "
		    "event", -1) : 0;
	case RXL_GARBAGE:
		return rxrec_get_i64(v, &l->garbage) == -1 || l->garbage < 0 ||
		    l->garbage > UINT32_MAX ?
		    (*cause = "state holds a malformed listener count", -1) : 0;
	default:
		return rx_unknown(tag, cause);
	}
}

/* RX_POOL: its name is a must. */
static int
rxpool_decode(struct rxstate *st, const struct rxcur *v, const char **cause)
{
	struct rxpool *pl = rxstate_add_pool(st);

	if (pl == NULL) {
		*cause = "out of memory";
		return -1;
	}
	if (rx_walk(v, rxpool_field, pl, cause) == -1)
		return -1;
	if (pl->name == NULL) {
		*cause = "state holds a pool without a name";
		return -1;
	}
	return 0;
}

/* RX_LISTENER: its name and both pipes are a must. */
static int
rxlistener_decode(struct rxstate *st, const struct rxcur *v,
    const char **cause)
{
	struct rxlistener *l = rxstate_add_listener(st);

	if (l == NULL) {
		*cause = "out of memory";
		return -1;
	}
	l->state = EVPROTO_ACKNOWLEDGED;
	if (rx_walk(v, rxlistener_field, l, cause) == -1)
		return -1;
	if (l->name == NULL || l->in_fd == -1 || l->out_fd == -1) {
		*cause = "state holds a listener without its name or pipes";
		return -1;
	}
	return 0;
}

static int
rxheld_field(void *arg, uint16_t tag, const struct rxcur *v,
    const char **cause)
{
	struct rxheld *h = arg;

	switch (tag) {
	case RXC_FD:
		return rx_fd(v, &h->fd, cause);
	case RXH_GROUP:
		return rx_str(v, &h->group, cause);
	case RXH_URL:
		return rx_str(v, &h->url, cause);
	default:
		return rx_unknown(tag, cause);
	}
}

/* RX_HELD: its group, URL and descriptor are a must. */
static int
rxheld_decode(struct rxstate *st, const struct rxcur *v, const char **cause)
{
	struct rxheld *h = rxstate_add_held(st);

	if (h == NULL) {
		*cause = "out of memory";
		return -1;
	}
	if (rx_walk(v, rxheld_field, h, cause) == -1)
		return -1;
	if (h->group == NULL || h->url == NULL || h->fd == -1) {
		*cause = "state holds a socket without its group, URL or "
		    "descriptor";
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
	case RX_EVSERIAL:
		return rxrec_get_u64(v, &st->ev_serial) == -1 ?
		    (*cause = "state holds a malformed event serial", -1) : 0;
	case RX_POOL:
		return rxpool_decode(st, v, cause);
	case RX_LISTENER:
		return rxlistener_decode(st, v, cause);
	case RX_HELD:
		return rxheld_decode(st, v, cause);
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

static int
rxstate_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* No program twice: sorted, so that thousands take no time. */
static int
rxstate_check_names(const struct rxstate *st, const char **cause)
{
	char **v = malloc((st->nprogs + 1) * sizeof *v);
	int r = 0;

	if (v == NULL) {
		*cause = "out of memory";
		return -1;
	}
	for (size_t i = 0; i < st->nprogs; i++)
		v[i] = st->progs[i].name;
	qsort(v, st->nprogs, sizeof *v, rxstate_cmp_str);
	for (size_t i = 1; i < st->nprogs && r == 0; i++) {
		if (strcmp(v[i], v[i - 1]) == 0) {
			*cause = "state names a program twice";
			r = -1;
		}
	}
	free(v);
	return r;
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
	return rxstate_check_names(st, cause);
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

