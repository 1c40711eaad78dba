/*
 * evint.h -- what the parts of the event system share (evbus.h is the
 * interface):
 *
 *   evbus.c     the pools, emitting, dispatching, serials, the table's
 *               changes as events, ticks
 *   evlisten.c  one listener process: its pipes, the protocol, its event
 */
#ifndef PROCD_EVINT_H
#define PROCD_EVINT_H

#include <stdbool.h>
#include <sys/types.h>

#include <ev.h>

#include "buf.h"
#include "evpool.h"
#include "evproto.h"

struct process;

/* One listener process of a pool, for as long as it is in the table. */
struct evl {
	struct process	*p;
	struct evpool	*pool;
	struct evproto	 proto;
	int		 in_fd, out_fd;	/* ours: its stdin, its stdout */
	int		 child_in, child_out; /* its ends, until forked */
	ev_io		 in_w, out_w;
	struct buf	 wbuf;		/* still to write to its stdin */
	struct evitem	 cur;		/* the event it was sent */
	bool		 busy;		/* cur is set */
	bool		 restart;	/* broke the protocol: start again
					 * once stopped */
	pid_t		 pid;		/* whose pipes these are */
	ev_timer	 restart_w;	/* the start after garbage */
	ev_timer	 grace_w;	/* the stop after garbage */
	unsigned	 garbage;	/* restarts for garbage in a row */
};

/* evbus.c */
extern struct ev_loop *evbus_loop;
/* Dispatch from the loop, soon. */
void		 evbus_kick(void);
/* Dispatch now: only from a loop callback of the event system's own (a
 * listener said READY), never from inside the code an event is about. */
void		 evbus_dispatch(void);
/* POOL's queue takes IT back in front (FAIL, died busy). */
void		 evbus_requeue(struct evpool *, struct evitem it);
/* The envelope of IT for POOL into B. */
void		 evbus_envelope(struct buf *, const struct evpool *,
		    const struct evitem *it);

/* evlisten.c */
struct evl	*evl_new(struct process *, struct evpool *);
void		 evl_free(struct evl *);
/* Ready for an event: a live, RUNNING, READY listener with nothing
 * pending. */
bool		 evl_ready(const struct evl *);
void		 evl_send(struct evl *, struct evitem it);
/* Its process is gone (exit, failed spawn): read what it wrote last, give
 * back its event, close the pipes. */
void		 evl_finish(struct evl *);
int		 evl_open(struct evl *, int *in, int *out, char *cause,
		    size_t len);
void		 evl_started(struct evl *, bool ok);
/* Across a re-exec: between events (not busy, nothing half-written or
 * half-read), its channels into R (-1 when it is not); in the new image,
 * those channels taken back for its process, which runs on. */
struct rxlistener;
int		 evl_carry(const struct evl *, struct rxlistener *r);
void		 evl_resume(struct evl *, const struct rxlistener *r);
/* Stopped for garbage: start it again, after 1, 2, 4 ... 60 s when it
 * keeps breaking the protocol. */
void		 evl_restart_later(struct evl *);

#endif
