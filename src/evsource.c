/*
 * evsource.c -- the events procd makes (evsource.h), with supervisord's
 * payloads (evpayload.c).
 *
 * One difference in the table is bridged here: supervisord goes STARTING
 * -> BACKOFF -> FATAL when the last retry fails, procd's state machine
 * goes STARTING -> FATAL.  A listener waiting for FATAL (the container
 * idiom) sees what it would under supervisord: BACKOFF, then FATAL from
 * BACKOFF.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "evbus.h"
#include "evcapture.h"
#include "evint.h"
#include "evpayload.h"
#include "evsource.h"
#include "log.h"
#include "logstream.h"
#include "sup.h"

/* An output stream of a program whose events (or capture) are on. */
struct evtap {
	struct process	 *p;
	struct logstream *ls;		/* NULL once the stream is gone */
	int		  fd;		/* 1 or 2 */
	struct evcapture  cap;		/* capture mode, when maxbytes > 0 */
};

/* TICK_5, TICK_60, TICK_3600: the periods, and the last slice told. */
static const struct {
	enum evtype	 type;
	int64_t		 period;
} evsource_ticks[] = {
	{ EVT_TICK_5, 5 }, { EVT_TICK_60, 60 }, { EVT_TICK_3600, 3600 },
};
#define EVSOURCE_NTICKS (sizeof evsource_ticks / sizeof evsource_ticks[0])

static struct {
	struct evtap	**taps;
	size_t		 ntaps;
	char		**groups;	/* as last told */
	size_t		 ngroups;
	bool		 told;		/* the first supervisor state is out */
	bool		 stopping;
	ev_periodic	 tick_w;
	int64_t		 last[EVSOURCE_NTICKS];
} src;

/* ---- state changes ---- */

static void
evsource_emit_state(const struct process *p, enum proc_state from,
    enum proc_state to, const struct sup_change *ch)
{
	struct evpayload_state s = { p->cfg->name, p->cfg->group, from, to,
	    ch->tries, ch->pid, ch->expected };
	struct buf b;

	buf_init(&b);
	evpayload_state(&b, &s);
	evbus_emit(evtype_of_state(to), b.data, b.len);
	buf_free(&b);
}

static void	evsource_tap_program(struct process *);

/* A start failed: BACKOFF, and FATAL after it when it gave up. */
static void
evsource_failed(const struct process *p, const struct sup_change *ch)
{
	evsource_emit_state(p, PROC_STARTING, PROC_BACKOFF, ch);
	if (ch->new == PROC_FATAL)
		evsource_emit_state(p, PROC_BACKOFF, PROC_FATAL, ch);
}

void
evsource_state(struct process *p, const struct sup_change *ch)
{
	if (ch->new == PROC_STARTING)
		evsource_tap_program(p);
	if (!evbus_subscribed(EVMASK(evtype_of_state(ch->new)) |
	    EVMASK(EVT_PROCESS_STATE_BACKOFF) |
	    EVMASK(EVT_PROCESS_STATE_STARTING)))
		return;
	if (ch->spawn_failed && ch->old != PROC_STARTING) {
		/* supervisord is STARTING before it looks for the command */
		struct sup_change before = *ch;
		before.tries = ch->tries > 0 ? ch->tries - 1 : 0;
		evsource_emit_state(p, ch->old, PROC_STARTING, &before);
		evsource_failed(p, ch);
		return;
	}
	if (ch->old == PROC_STARTING && (ch->new == PROC_FATAL ||
	    ch->spawn_failed)) {
		evsource_failed(p, ch);
		return;
	}
	evsource_emit_state(p, ch->old, ch->new, ch);
}

/* ---- procd's own state ---- */

void
evsource_supervisor(bool stopping)
{
	if (src.told && stopping == src.stopping)
		return;
	src.told = true;
	src.stopping = stopping;
	evbus_emit(stopping ? EVT_SUPERVISOR_STATE_CHANGE_STOPPING :
	    EVT_SUPERVISOR_STATE_CHANGE_RUNNING, "", 0);
}

/* ---- groups ---- */

static bool
evsource_listed(char *const *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], name) == 0)
			return true;
	return false;
}

static void
evsource_group_event(enum evtype t, const char *group)
{
	struct buf b;

	buf_init(&b);
	evpayload_group(&b, group);
	evbus_emit(t, b.data, b.len);
	buf_free(&b);
}

/* The table's groups, listener pools first (supervisord adds them first:
 * priority -1), then in the table's order. */
static size_t
evsource_table_groups(char ***out)
{
	size_t n = 0, cnt = sup_count();
	char **v;

	if ((v = calloc(cnt + 1, sizeof *v)) == NULL)
		fatal("calloc");
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < cnt; i++) {
			const struct program_config *pc = sup_at(i)->cfg;
			if (pc->listener != (pass == 0) ||
			    evsource_listed(v, n, pc->group))
				continue;
			if ((v[n++] = strdup(pc->group)) == NULL)
				fatal("strdup");
		}
	*out = v;
	return n;
}

void
evsource_groups(void)
{
	char **now;
	size_t n = evsource_table_groups(&now);

	for (size_t i = 0; i < src.ngroups; i++)
		if (!evsource_listed(now, n, src.groups[i]))
			evsource_group_event(EVT_PROCESS_GROUP_REMOVED,
			    src.groups[i]);
	for (size_t i = 0; i < n; i++)
		if (!evsource_listed(src.groups, src.ngroups, now[i]))
			evsource_group_event(EVT_PROCESS_GROUP_ADDED, now[i]);
	for (size_t i = 0; i < src.ngroups; i++)
		free(src.groups[i]);
	free(src.groups);
	src.groups = now;
	src.ngroups = n;
}

/* ---- ticks ---- */

/* The slice of PERIOD that NOW (s) is in, as supervisord's timeslice. */
static int64_t
evsource_slice(int64_t period, int64_t now)
{
	return now - now % period;
}

static void
evsource_tick_cb(struct ev_loop *loop, ev_periodic *w, int revents)
{
	int64_t now = (int64_t)(ev_now(loop) + 0.5);
	struct buf b;

	(void)w;
	(void)revents;
	buf_init(&b);
	for (size_t i = 0; i < EVSOURCE_NTICKS; i++) {
		int64_t slice = evsource_slice(evsource_ticks[i].period, now);
		if (slice == src.last[i])
			continue;
		src.last[i] = slice;
		buf_reset(&b);
		evpayload_tick(&b, slice);
		evbus_emit(evsource_ticks[i].type, b.data, b.len);
	}
	buf_free(&b);
}

/* Only while a pool wants ticks: otherwise procd sleeps. */
void
evsource_subscriptions_changed(void)
{
	bool want = evbus_subscribed(EVMASK_TICK);
	int64_t now;

	if (evbus_loop == NULL || want == ev_is_active(&src.tick_w))
		return;
	if (!want) {
		ev_periodic_stop(evbus_loop, &src.tick_w);
		return;
	}
	/* The first tick of each kind comes at its next boundary. */
	now = (int64_t)(ev_now(evbus_loop) + 0.5);
	for (size_t i = 0; i < EVSOURCE_NTICKS; i++)
		src.last[i] = evsource_slice(evsource_ticks[i].period, now);
	ev_periodic_init(&src.tick_w, evsource_tick_cb, 0., 5., NULL);
	ev_periodic_start(evbus_loop, &src.tick_w);
}

/* ---- output ---- */

static void
evsource_output_cb(void *arg, const char *data, size_t len)
{
	struct evtap *t = arg;
	const struct program_config *pc = t->p->cfg;
	bool on = t->fd == 1 ? pc->stdout_events : pc->stderr_events;
	struct buf b;

	if (data == NULL) {
		t->ls = NULL;	/* the stream is being freed */
		return;
	}
	if (!on || len == 0)
		return;
	buf_init(&b);
	evpayload_output(&b, pc->name, pc->group, t->p->pid,
	    t->fd == 1 ? "stdout" : "stderr", data, len);
	evbus_emit(t->fd == 1 ? EVT_PROCESS_LOG_STDOUT :
	    EVT_PROCESS_LOG_STDERR, b.data, b.len);
	buf_free(&b);
}

/* A message captured between the tokens: PROCESS_COMMUNICATION_*;
 * anything else goes to the log. */
static void
evsource_capture_out(void *arg, bool message, const char *data, size_t len)
{
	struct evtap *t = arg;
	const struct program_config *pc = t->p->cfg;
	struct buf b;

	if (!message) {
		if (t->ls != NULL)
			logstream_put(t->ls, data, len);
		return;
	}
	log_debug("%s: %s emitted a comm event", sup_name(t->p),
	    t->fd == 1 ? "stdout" : "stderr");
	buf_init(&b);
	evpayload_output(&b, pc->name, pc->group, t->p->pid, NULL, data, len);
	evbus_emit(t->fd == 1 ? EVT_PROCESS_COMMUNICATION_STDOUT :
	    EVT_PROCESS_COMMUNICATION_STDERR, b.data, b.len);
	buf_free(&b);
}

/* What the stream read, before it is logged (logstream_filter). */
static void
evsource_filter_cb(void *arg, const char *data, size_t len)
{
	struct evtap *t = arg;

	evcapture_feed(&t->cap, data, len, evsource_capture_out, t);
}

/* Stop following: the tap and the capture filter come off. */
static void
evsource_untap(struct evtap *t)
{
	if (t->ls != NULL) {
		logstream_untap(t->ls, evsource_output_cb, t);
		logstream_filter(t->ls, NULL, NULL);
	}
	t->ls = NULL;
}

static struct evtap *
evsource_find_tap(const struct process *p, int fd)
{
	for (size_t i = 0; i < src.ntaps; i++)
		if (src.taps[i]->p == p && src.taps[i]->fd == fd)
			return src.taps[i];
	return NULL;
}

/* Follow stream FD of P (capture mode when CAPTURE > 0) unless it is
 * followed already. */
static void
evsource_tap(struct process *p, int fd, uint64_t capture)
{
	struct logstream *ls = sup_log(p, fd);
	struct evtap *t = evsource_find_tap(p, fd), **v;

	if (ls == NULL || (t != NULL && t->ls == ls &&
	    t->cap.maxbytes == capture))
		return;
	if (t == NULL) {
		v = reallocarray(src.taps, src.ntaps + 1, sizeof *v);
		if (v == NULL || (t = calloc(1, sizeof *t)) == NULL)
			fatal("calloc");
		src.taps = v;
		src.taps[src.ntaps++] = t;
		*t = (struct evtap){ .p = p, .fd = fd };
	} else {
		evsource_untap(t);
		evcapture_free(&t->cap);
	}
	evcapture_init(&t->cap, capture);
	t->ls = logstream_tap(ls, evsource_output_cb, t) == 0 ? ls : NULL;
	if (t->ls == NULL)
		log_warnx("program %s: too many followers of its %s: no "
		    "events for it", sup_name(p), fd == 1 ? "stdout" :
		    "stderr");
	else if (capture > 0)
		logstream_filter(ls, evsource_filter_cb, t);
}

static void
evsource_tap_program(struct process *p)
{
	const struct program_config *pc = p->cfg;

	if (pc->stdout_events || pc->stdout_capture > 0)
		evsource_tap(p, 1, pc->stdout_capture);
	if (pc->stderr_events || pc->stderr_capture > 0)
		evsource_tap(p, 2, pc->stderr_capture);
}

void
evsource_forget(struct process *p)
{
	size_t k = 0;

	for (size_t i = 0; i < src.ntaps; i++) {
		struct evtap *t = src.taps[i];
		if (t->p != p) {
			src.taps[k++] = t;
			continue;
		}
		evsource_untap(t);
		evcapture_free(&t->cap);
		free(t);
	}
	src.ntaps = k;
}

void
evsource_free(void)
{
	if (evbus_loop != NULL)
		ev_periodic_stop(evbus_loop, &src.tick_w);
	for (size_t i = 0; i < src.ntaps; i++) {
		evsource_untap(src.taps[i]);
		evcapture_free(&src.taps[i]->cap);
		free(src.taps[i]);
	}
	free(src.taps);
	for (size_t i = 0; i < src.ngroups; i++)
		free(src.groups[i]);
	free(src.groups);
	memset(&src, 0, sizeof src);
}
