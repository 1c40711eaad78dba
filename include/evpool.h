/*
 * evpool.h -- events and the pools that queue them.
 *
 * An event is made once (its payload rendered at once, as supervisord
 * renders the pid and state "at the time") and shared, counted, by every
 * pool that takes it.  A pool keeps at most buffer_size events, oldest
 * first; a full pool drops its oldest to take a new one.  An event that
 * comes back (FAIL, or its listener died busy) goes in front again with
 * the serials it had.  Pure: no I/O, no logging (the caller is told what
 * was dropped), so the queue is tested directly.
 */
#ifndef PROCD_EVPOOL_H
#define PROCD_EVPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evtype.h"

struct evevent {
	enum evtype	 type;
	uint64_t	 serial;	/* global; set when a pool first takes it */
	bool		 has_serial;
	char		*payload;
	size_t		 len;
	unsigned	 refs;
};

/* One queued event, as this pool numbered it. */
struct evitem {
	struct evevent	*ev;
	uint64_t	 poolserial;
};

struct evpool {
	char		*name;
	evmask		 events;	/* subscribed types */
	size_t		 bufsize;
	uint64_t	 serial;	/* the next poolserial */
	struct evitem	*q;		/* a ring of cap items */
	size_t		 head, n, cap;
	uint64_t	 dropped;	/* overflowed, in all */
	/* This second's overflow lines in procd's log (evbus.c): how many
	 * were written one by one, and the drops summed up after them. */
	unsigned	 drop_lines;
	uint64_t	 drop_more, drop_first, drop_last;
};

/* A new event of type T with a copy of PAYLOAD; one reference. */
struct evevent	*evevent_new(enum evtype t, const char *payload, size_t len);
void		 evevent_ref(struct evevent *);
void		 evevent_unref(struct evevent *);

struct evpool	*evpool_new(const char *name, evmask events, size_t bufsize);
/* Frees the pool and drops its references. */
void		 evpool_free(struct evpool *);
/* A new size: the oldest beyond it are dropped (counted as dropped). */
void		 evpool_resize(struct evpool *, size_t bufsize);
/*
 * Queue EV (a new event, numbered now) at the back.  When the pool was
 * full, its oldest is dropped: true, with what it was in *DROPPED (its
 * reference is the caller's to release).
 */
bool		 evpool_push(struct evpool *, struct evevent *ev,
		    struct evitem *dropped);
/* Put IT back in front (it keeps its serials); dropping as above. */
bool		 evpool_requeue(struct evpool *, struct evitem it,
		    struct evitem *dropped);
/* Take the oldest into *IT: false when empty. */
bool		 evpool_pop(struct evpool *, struct evitem *it);

#endif
