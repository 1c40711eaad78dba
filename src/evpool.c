/*
 * evpool.c -- shared events and each pool's bounded queue (evpool.h).
 */
#include <stdlib.h>
#include <string.h>

#include "evpool.h"
#include "log.h"

struct evevent *
evevent_new(enum evtype t, const char *payload, size_t len)
{
	struct evevent *ev;

	if ((ev = calloc(1, sizeof *ev)) == NULL ||
	    (ev->payload = malloc(len + 1)) == NULL)
		fatal("calloc");
	memcpy(ev->payload, payload, len);
	ev->payload[len] = '\0';
	ev->len = len;
	ev->type = t;
	ev->refs = 1;
	return ev;
}

void
evevent_ref(struct evevent *ev)
{
	ev->refs++;
}

void
evevent_unref(struct evevent *ev)
{
	if (ev == NULL || --ev->refs > 0)
		return;
	free(ev->payload);
	free(ev);
}

struct evpool *
evpool_new(const char *name, evmask events, size_t bufsize)
{
	struct evpool *pl;

	if ((pl = calloc(1, sizeof *pl)) == NULL ||
	    (pl->name = strdup(name)) == NULL)
		fatal("calloc");
	pl->events = events;
	pl->bufsize = bufsize > 0 ? bufsize : 1;
	return pl;
}

void
evpool_free(struct evpool *pl)
{
	struct evitem it;

	if (pl == NULL)
		return;
	while (evpool_pop(pl, &it))
		evevent_unref(it.ev);
	free(pl->q);
	free(pl->name);
	free(pl);
}

/* Room for one more item in the ring, growing it up to bufsize. */
static void
evpool_room(struct evpool *pl)
{
	struct evitem *v;
	size_t cap;

	if (pl->n < pl->cap)
		return;
	cap = pl->cap ? pl->cap * 2 : 4;
	if (cap > pl->bufsize)
		cap = pl->bufsize;
	if ((v = calloc(cap, sizeof *v)) == NULL)
		fatal("calloc");
	for (size_t i = 0; i < pl->n; i++)
		v[i] = pl->q[(pl->head + i) % pl->cap];
	free(pl->q);
	pl->q = v;
	pl->head = 0;
	pl->cap = cap;
}

bool
evpool_pop(struct evpool *pl, struct evitem *it)
{
	if (pl->n == 0)
		return false;
	*it = pl->q[pl->head];
	pl->head = (pl->head + 1) % pl->cap;
	pl->n--;
	return true;
}

/* Full: the oldest goes, as supervisord's pool drops it. */
static bool
evpool_make_room(struct evpool *pl, struct evitem *dropped)
{
	if (pl->n < pl->bufsize)
		return false;
	(void)evpool_pop(pl, dropped);
	pl->dropped++;
	return true;
}

bool
evpool_push(struct evpool *pl, struct evevent *ev, struct evitem *dropped)
{
	bool full = evpool_make_room(pl, dropped);

	evpool_room(pl);
	pl->q[(pl->head + pl->n) % pl->cap] = (struct evitem){ ev,
	    pl->serial++ };
	pl->n++;
	evevent_ref(ev);
	return full;
}

bool
evpool_requeue(struct evpool *pl, struct evitem it, struct evitem *dropped)
{
	bool full = evpool_make_room(pl, dropped);

	evpool_room(pl);
	pl->head = (pl->head + pl->cap - 1) % pl->cap;
	pl->q[pl->head] = it;
	pl->n++;
	return full;
}

void
evpool_resize(struct evpool *pl, size_t bufsize)
{
	struct evitem it;

	pl->bufsize = bufsize > 0 ? bufsize : 1;
	while (pl->n > pl->bufsize && evpool_pop(pl, &it)) {
		evevent_unref(it.ev);
		pl->dropped++;
	}
	if (pl->cap > pl->bufsize) {	/* shrink the ring with it */
		struct evitem *v = calloc(pl->bufsize, sizeof *v);
		if (v == NULL)
			fatal("calloc");
		for (size_t i = 0; i < pl->n; i++)
			v[i] = pl->q[(pl->head + i) % pl->cap];
		free(pl->q);
		pl->q = v;
		pl->head = 0;
		pl->cap = pl->bufsize;
	}
}
