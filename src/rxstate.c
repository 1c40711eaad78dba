/*
 * rxstate.c -- procd's re-exec state as records (rxstate.h): building
 * it, the encoder, and the descriptors it names.  The reader is
 * rxstateread.c; the tags are rxtags.h's.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "evproto.h"
#include "proc.h"
#include "rxrec.h"
#include "rxstate.h"
#include "rxtags.h"

/* struct rxprog's integers, in RX_PROG (rxtags.h); a process's state
 * and pid are critical: an older reader must not guess them. */
const struct rxprog_int rxprog_ints[] = {
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
	{ 0x0010, offsetof(struct rxprog, flags), 0, 0x3ff },
};
const size_t rxprog_nints = sizeof rxprog_ints / sizeof rxprog_ints[0];

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
	for (size_t i = 0; i < st->npools; i++)
		free(st->pools[i].name);
	free(st->pools);
	for (size_t i = 0; i < st->nlisteners; i++)
		free(st->listeners[i].name);
	free(st->listeners);
	for (size_t i = 0; i < st->nheld; i++) {
		free(st->held[i].group);
		free(st->held[i].url);
	}
	free(st->held);
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
	v[st->nprogs].ready_fd = -1;
	v[st->nprogs].stdin_fd = -1;
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

struct rxlistener *
rxstate_add_listener(struct rxstate *st)
{
	struct rxlistener *v = realloc(st->listeners, (st->nlisteners + 1) *
	    sizeof *v);

	if (v == NULL)
		return NULL;
	st->listeners = v;
	memset(&v[st->nlisteners], 0, sizeof *v);
	v[st->nlisteners].in_fd = v[st->nlisteners].out_fd = -1;
	return &v[st->nlisteners++];
}

struct rxpool *
rxstate_add_pool(struct rxstate *st)
{
	struct rxpool *v = realloc(st->pools, (st->npools + 1) * sizeof *v);

	if (v == NULL)
		return NULL;
	st->pools = v;
	memset(&v[st->npools], 0, sizeof *v);
	return &v[st->npools++];
}

struct rxheld *
rxstate_add_held(struct rxstate *st)
{
	struct rxheld *v = realloc(st->held, (st->nheld + 1) * sizeof *v);

	if (v == NULL)
		return NULL;
	st->held = v;
	memset(&v[st->nheld], 0, sizeof *v);
	v[st->nheld].fd = -1;
	return &v[st->nheld++];
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
	for (size_t i = 0; i < rxprog_nints; i++)
		rxrec_i64(b, rxprog_ints[i].tag,
		    *(const int64_t *)((const char *)p + rxprog_ints[i].off));
	if (p->spawnerr != NULL)
		rxrec_str(b, RXP_SPAWNERR, p->spawnerr);
	if (p->status_text != NULL)
		rxrec_str(b, RXP_STATUS, p->status_text);
	if (p->ready_fd >= 0)
		rxrec_u64(b, RXP_READY_FD, (uint64_t)p->ready_fd);
	if (p->stdin_fd >= 0)
		rxrec_u64(b, RXP_STDIN_FD, (uint64_t)p->stdin_fd);
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

static void
rxevents_encode(struct buf *b, const struct rxstate *st)
{
	size_t at;

	rxrec_u64(b, RX_EVSERIAL, st->ev_serial);
	for (size_t i = 0; i < st->npools; i++) {
		at = rxrec_open(b, RX_POOL);
		rxrec_str(b, RXL_NAME, st->pools[i].name);
		rxrec_u64(b, RXR_ID, st->pools[i].serial);
		rxrec_close(b, at);
	}
	for (size_t i = 0; i < st->nlisteners; i++) {
		const struct rxlistener *l = &st->listeners[i];
		at = rxrec_open(b, RX_LISTENER);
		rxrec_str(b, RXL_NAME, l->name);
		rxrec_u64(b, RXL_IN, (uint64_t)l->in_fd);
		rxrec_u64(b, RXL_OUT, (uint64_t)l->out_fd);
		rxrec_i64(b, RXL_STATE, l->state);
		rxrec_i64(b, RXL_GARBAGE, l->garbage);
		rxrec_close(b, at);
	}
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
	rxevents_encode(b, st);
	for (size_t i = 0; i < st->nheld; i++) {
		at = rxrec_open(b, RX_HELD);
		rxrec_u64(b, RXC_FD, (uint64_t)st->held[i].fd);
		rxrec_str(b, RXH_GROUP, st->held[i].group);
		rxrec_str(b, RXH_URL, st->held[i].url);
		rxrec_close(b, at);
	}
	rxrec_finish(b);
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
	size_t cap = 5 + st->nfollows + 2 * st->nlisteners + st->nheld;
	int *v;

	for (size_t i = 0; i < st->nprogs; i++)
		cap += st->progs[i].out.nfds + st->progs[i].err.nfds + 1;
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
	for (size_t i = 0; i < st->nlisteners; i++) {
		v[(*n)++] = st->listeners[i].in_fd;
		v[(*n)++] = st->listeners[i].out_fd;
	}
	for (size_t i = 0; i < st->nheld; i++)
		v[(*n)++] = st->held[i].fd;
	for (size_t i = 0; i < st->nprogs; i++) {
		const struct rxprog *p = &st->progs[i];
		for (size_t k = 0; k < p->out.nfds; k++)
			v[(*n)++] = p->out.fds[k];
		for (size_t k = 0; k < p->err.nfds; k++)
			v[(*n)++] = p->err.fds[k];
		rxstate_add_fd(v, n, p->ready_fd);
		rxstate_add_fd(v, n, p->stdin_fd);
	}
	return v;
}
