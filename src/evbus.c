/*
 * evbus.c -- pools, emitting and dispatching (evbus.h, evint.h).
 *
 * Serials are supervisord's: one global counter, taken by an event when
 * the first pool queues it (an event nobody subscribes to takes none), and
 * one counter per pool; both start at 0.  The server name in envelopes is
 * supervisord's default identifier, "supervisor", which is what listeners
 * and their tests expect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "evbus.h"
#include "evint.h"
#include "evpayload.h"
#include "evsource.h"
#include "log.h"
#include "rxstate.h"
#include "selfstat.h"
#include "spawn.h"
#include "sup.h"

#define EVBUS_SERVER "supervisor"

struct ev_loop *evbus_loop;

static struct {
	struct evpool	**pools;
	size_t		 npools;
	struct evl	**ls;		/* every listener in the table */
	size_t		 nls;
	uint64_t	 serial;	/* the next global serial */
	ev_timer	 dispatch_w;
	ev_timer	 drain_w;	/* shutdown: the listeners' last grace */
	ev_timer	 drop_w;	/* the end of an overflow's second */
	bool		 draining, drained;
	bool		 dirty;		/* the table changed: sync */
	size_t		 count;		/* sup_count() at the last sync */
} bus;

static void	evbus_dispatch_cb(struct ev_loop *, ev_timer *, int);
static void	evbus_drain_cb(struct ev_loop *, ev_timer *, int);
static void	evbus_drop_cb(struct ev_loop *, ev_timer *, int);

/* Once the programs are down in a shutdown, how long listeners may take
 * to be sent and to answer what is queued for them. */
#define EVBUS_DRAIN_SECS 3.

void
evbus_kick(void)
{
	if (evbus_loop == NULL || ev_is_active(&bus.dispatch_w))
		return;
	ev_timer_set(&bus.dispatch_w, 0., 0.);
	ev_timer_start(evbus_loop, &bus.dispatch_w);
}

/* ---- pools and their queues ---- */

static struct evpool *
evbus_pool(const char *name)
{
	for (size_t i = 0; i < bus.npools; i++)
		if (strcmp(bus.pools[i]->name, name) == 0)
			return bus.pools[i];
	return NULL;
}

/*
 * A pool overflowed: as supervisord, the oldest event goes, logged with
 * supervisord's line -- but only the first EVBUS_DROP_LINES of a second
 * one by one.  A listener behind a fast source (PROCESS_LOG of a chatty
 * program) drops hundreds of thousands of events a second: a line each
 * rotated procd's log away in seconds and took the loop that delivers
 * events.  The rest of the second is one line when it ends; no drop, no
 * timer.
 */
#define EVBUS_DROP_LINES 10

static void
evbus_dropped(struct evpool *pl, struct evitem it)
{
	unsigned long long serial = it.ev->serial;

	selfstat.events_dropped++;
	evevent_unref(it.ev);
	if (!ev_is_active(&bus.drop_w)) {
		ev_timer_set(&bus.drop_w, 1., 0.);
		ev_timer_start(evbus_loop, &bus.drop_w);
	}
	if (pl->drop_lines < EVBUS_DROP_LINES) {
		pl->drop_lines++;
		log_warnx("pool %s event buffer overflowed, discarding "
		    "event %llu", pl->name, serial);
		return;
	}
	if (pl->drop_more++ == 0)
		pl->drop_first = serial;
	pl->drop_last = serial;
}

/* The second is over for PL: what was not logged one by one, in a line. */
static void
evbus_drop_summary(struct evpool *pl)
{
	if (pl->drop_more > 0)
		log_warnx("pool %s event buffer overflowed, discarding %llu "
		    "more events (serials %llu to %llu) in a second",
		    pl->name, (unsigned long long)pl->drop_more,
		    (unsigned long long)pl->drop_first,
		    (unsigned long long)pl->drop_last);
	pl->drop_lines = 0;
	pl->drop_more = 0;
}

static void
evbus_drop_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	for (size_t i = 0; i < bus.npools; i++)
		evbus_drop_summary(bus.pools[i]);
}

void
evbus_requeue(struct evpool *pl, struct evitem it)
{
	struct evitem dropped;

	if (evpool_requeue(pl, it, &dropped))
		evbus_dropped(pl, dropped);
	evbus_kick();
}

void
evbus_emit(enum evtype t, const char *payload, size_t len)
{
	struct evevent *ev = NULL;
	struct evitem dropped;

	for (size_t i = 0; i < bus.npools; i++) {
		struct evpool *pl = bus.pools[i];
		if ((pl->events & EVMASK(t)) == 0)
			continue;
		if (ev == NULL)
			ev = evevent_new(t, payload, len);
		if (!ev->has_serial) {
			ev->serial = bus.serial++;
			ev->has_serial = true;
			selfstat.events_emitted++;
		}
		if (evpool_push(pl, ev, &dropped))
			evbus_dropped(pl, dropped);
	}
	if (ev == NULL)
		return;
	evevent_unref(ev);
	evbus_kick();
}

void
evbus_remote(const char *type, const char *data)
{
	struct buf b;

	buf_init(&b);
	evpayload_remote(&b, type, data);
	evbus_emit(EVT_REMOTE_COMMUNICATION, b.data, b.len);
	buf_free(&b);
}

void
evbus_envelope(struct buf *b, const struct evpool *pl,
    const struct evitem *it)
{
	evpayload_envelope(b, EVBUS_SERVER, it->ev->serial, pl->name,
	    it->poolserial, it->ev->type, it->ev->payload, it->ev->len);
}

/* ---- dispatch ---- */

/* A listener of PL that can take an event now, or NULL. */
static struct evl *
evbus_ready_in(const struct evpool *pl)
{
	for (size_t i = 0; i < bus.nls; i++)
		if (bus.ls[i]->pool == pl && evl_ready(bus.ls[i]))
			return bus.ls[i];
	return NULL;
}

static void
evbus_dispatch_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	evbus_dispatch();
	/* What was sent, or answered, may let a held listener go. */
	if (sup_shutting_down())
		sup_shutdown_poke();
}

/* Each pool's oldest events to its READY listeners, one each. */
void
evbus_dispatch(void)
{
	struct evitem it;
	struct evl *l;

	for (size_t i = 0; i < bus.npools; i++) {
		struct evpool *pl = bus.pools[i];
		while (pl->n > 0 && (l = evbus_ready_in(pl)) != NULL &&
		    evpool_pop(pl, &it))
			evl_send(l, it);
	}
}

/* ---- shutdown: listeners last ---- */

static void
evbus_drain_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	bus.drained = true;
	sup_shutdown_poke();
}

static struct evl *evbus_find(const struct process *);

bool
evbus_holds(const struct process *p)
{
	struct evl *l = evbus_find(p);

	if (l == NULL || bus.drained)
		return false;
	if (!bus.draining) {
		bus.draining = true;
		ev_timer_set(&bus.drain_w, EVBUS_DRAIN_SECS, 0.);
		ev_timer_start(evbus_loop, &bus.drain_w);
	}
	return l->busy || (l->pool->n > 0 && evl_ready(l));
}

/* ---- the table's listeners ---- */

static struct evl *
evbus_find(const struct process *p)
{
	for (size_t i = 0; i < bus.nls; i++)
		if (bus.ls[i]->p == p)
			return bus.ls[i];
	return NULL;
}

/* The pool of listener P, made or brought up to its config. */
static struct evpool *
evbus_pool_of(const struct process *p)
{
	const struct program_config *pc = p->cfg;
	struct evpool *pl = evbus_pool(pc->group), **v;

	if (pl != NULL) {
		if (pl->events != pc->listen_events) {
			pl->events = pc->listen_events;
			evsource_subscriptions_changed();
		}
		if (pl->bufsize != (size_t)pc->buffer_size)
			evpool_resize(pl, (size_t)pc->buffer_size);
		return pl;
	}
	v = reallocarray(bus.pools, bus.npools + 1, sizeof *v);
	if (v == NULL)
		fatal("reallocarray");
	bus.pools = v;
	pl = evpool_new(pc->group, pc->listen_events,
	    (size_t)pc->buffer_size);
	bus.pools[bus.npools++] = pl;
	evsource_subscriptions_changed();
	return pl;
}

/* The listener of P (which must be one), made if new. */
static struct evl *
evbus_member(struct process *p)
{
	struct evl *l = evbus_find(p), **v;

	if (l != NULL) {
		l->pool = evbus_pool_of(p);
		return l;
	}
	v = reallocarray(bus.ls, bus.nls + 1, sizeof *v);
	if (v == NULL)
		fatal("reallocarray");
	bus.ls = v;
	l = evl_new(p, evbus_pool_of(p));
	bus.ls[bus.nls++] = l;
	return l;
}

/* Pools no listener is in any more go, with their queues. */
static void
evbus_sweep_pools(void)
{
	size_t k = 0;

	for (size_t i = 0; i < bus.npools; i++) {
		bool used = false;
		for (size_t j = 0; j < bus.nls && !used; j++)
			used = bus.ls[j]->pool == bus.pools[i];
		if (used)
			bus.pools[k++] = bus.pools[i];
		else {
			evbus_drop_summary(bus.pools[i]);
			evpool_free(bus.pools[i]);
		}
	}
	if (k != bus.npools)
		evsource_subscriptions_changed();
	bus.npools = k;
}

/* Pools and listeners follow the table; groups are told of. */
static void
evbus_sync(void)
{
	for (size_t i = 0; i < sup_count(); i++) {
		struct process *p = sup_at(i);
		if (p->cfg->listener)
			(void)evbus_member(p);
	}
	evbus_sweep_pools();
	evsource_groups();
	bus.dirty = false;
	bus.count = sup_count();
}

void
evbus_forget(struct process *p)
{
	struct evl *l = evbus_find(p);

	evsource_forget(p);
	bus.dirty = true;
	if (l == NULL)
		return;
	for (size_t i = 0; i < bus.nls; i++)
		if (bus.ls[i] == l)
			bus.ls[i] = bus.ls[--bus.nls];
	evl_free(l);
}

bool
evbus_subscribed(evmask m)
{
	for (size_t i = 0; i < bus.npools; i++)
		if (bus.pools[i]->events & m)
			return true;
	return false;
}

/* ---- spawning a listener (supspawn.c) ---- */

int
evbus_child_fds(struct process *p, int *in, int *out, char *cause,
    size_t len)
{
	return evl_open(evbus_member(p), in, out, cause, len);
}

void
evbus_child_started(struct process *p, pid_t pid)
{
	struct evl *l = evbus_find(p);

	if (l == NULL)
		return;
	l->pid = pid;
	evl_started(l, pid != 0);
}

const char *
evbus_listener_state(const struct process *p)
{
	const struct evl *l;

	if (!p->cfg->listener || p->pid == 0 || (l = evbus_find(p)) == NULL)
		return NULL;
	return evproto_state_name(l->proto.state);
}

/* ---- the table's changes ---- */

/* A listener's process changed state. */
static void
evbus_listener_change(struct process *p, const struct sup_change *ch)
{
	struct evl *l = evbus_find(p);

	if (l == NULL)
		return;
	switch (ch->new) {
	case PROC_RUNNING:
		evbus_kick();
		break;
	case PROC_STOPPED:
	case PROC_EXITED:
	case PROC_BACKOFF:
	case PROC_FATAL:
		if (l->pid == ch->pid && l->pid != 0)
			evl_finish(l);
		if (ch->new == PROC_STOPPED && l->restart &&
		    p->state == PROC_STOPPED)
			evl_restart_later(l);
		break;
	case PROC_STARTING:
	case PROC_STOPPING:
	case PROC_NSTATES:
		break;
	}
}

void
evbus_observe(struct process *p, const struct sup_change *ch)
{
	if (ch->gone) {
		evbus_forget(p);
		return;
	}
	if (p->cfg->listener)
		evbus_listener_change(p, ch);
	evsource_state(p, ch);
}

void
evbus_settled(void)
{
	if (bus.dirty || bus.count != sup_count())
		evbus_sync();
	if (!sup_shutting_down() && bus.draining) {	/* a reload is over */
		ev_timer_stop(evbus_loop, &bus.drain_w);
		bus.draining = bus.drained = false;
	}
	evsource_supervisor(sup_shutting_down());
}

static int
evbus_carry_one(struct rxstate *st, struct evl *l, char *why, size_t len)
{
	struct rxlistener *r;

	if (l->in_fd == -1 || l->p->pid <= 0 || l->pid != l->p->pid)
		return 0;	/* no live process: nothing to carry */
	if ((r = rxstate_add_listener(st)) == NULL ||
	    (r->name = strdup(sup_name(l->p))) == NULL) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	if (evl_carry(l, r) == -1) {
		snprintf(why, len, "listener %s is in the middle of an event",
		    sup_name(l->p));
		return -1;
	}
	return 0;
}

int
evbus_carry(struct rxstate *st, char *why, size_t len)
{
	st->ev_serial = bus.serial;
	for (size_t i = 0; i < bus.npools; i++) {
		struct evpool *pl = bus.pools[i];
		struct rxpool *r;
		if (pl->n > 0) {
			snprintf(why, len, "pool %s has events queued",
			    pl->name);
			return -1;
		}
		if ((r = rxstate_add_pool(st)) == NULL ||
		    (r->name = strdup(pl->name)) == NULL) {
			snprintf(why, len, "out of memory");
			return -1;
		}
		r->serial = pl->serial;
	}
	for (size_t i = 0; i < bus.nls; i++)
		if (evbus_carry_one(st, bus.ls[i], why, len) == -1)
			return -1;
	return 0;
}

void
evbus_resume(const struct rxstate *st)
{
	struct evitem it;

	for (size_t i = 0; i < bus.npools; i++) {
		while (evpool_pop(bus.pools[i], &it))
			evevent_unref(it.ev);
		for (size_t j = 0; j < st->npools; j++)
			if (strcmp(st->pools[j].name, bus.pools[i]->name) == 0)
				bus.pools[i]->serial = st->pools[j].serial;
	}
	bus.serial = st->ev_serial;
	for (size_t j = 0; j < st->nlisteners; j++) {
		const struct rxlistener *r = &st->listeners[j];
		struct process *p = sup_find(r->name);
		struct evl *l = p != NULL && p->cfg->listener ?
		    evbus_member(p) : NULL;
		if (l == NULL || p->pid <= 0) {
			log_warnx("reexec: listener %s is not in the table; "
			    "its pipes are closed", r->name);
			close(r->in_fd);
			close(r->out_fd);
			continue;
		}
		evl_resume(l, r);
	}
	evbus_kick();
}

void
evbus_init(struct ev_loop *loop, const char *socket)
{
	char *url;

	evbus_loop = loop;
	ev_init(&bus.dispatch_w, evbus_dispatch_cb);
	ev_init(&bus.drain_w, evbus_drain_cb);
	ev_init(&bus.drop_w, evbus_drop_cb);
	if (asprintf(&url, "unix://%s", socket) == -1)
		fatal("asprintf");
	spawn_set_server_url(url);
	free(url);
	evbus_sync();
	evsource_supervisor(false);
}

void
evbus_free(void)
{
	if (evbus_loop != NULL) {
		ev_timer_stop(evbus_loop, &bus.dispatch_w);
		ev_timer_stop(evbus_loop, &bus.drain_w);
		ev_timer_stop(evbus_loop, &bus.drop_w);
	}
	for (size_t i = 0; i < bus.npools; i++)
		evbus_drop_summary(bus.pools[i]);
	for (size_t i = 0; i < bus.nls; i++)
		evl_free(bus.ls[i]);
	free(bus.ls);
	for (size_t i = 0; i < bus.npools; i++)
		evpool_free(bus.pools[i]);
	free(bus.pools);
	evsource_free();
	memset(&bus, 0, sizeof bus);
	spawn_set_server_url(NULL);
	evbus_loop = NULL;
}
