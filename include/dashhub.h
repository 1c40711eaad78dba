/*
 * dashhub.h -- the one follower of procd's watch stream behind every
 * dashboard stream (dashsse.h): a thread of the gateway that reads the
 * state changes on one control channel, asks procd once per burst for
 * the changed rows (dashrow.h), and queues the same event text to every
 * subscriber, waking it through its eventfd.  Started by the first
 * subscriber; when procd ends the watch, every subscriber is ended (the
 * browsers reconnect, and the next one starts a new hub).
 */
#ifndef PROCD_DASHHUB_H
#define PROCD_DASHHUB_H

#include <stdbool.h>

#include "buf.h"

/* Subscribers at once (each an open browser page). */
#define DASHHUB_SUBS_MAX	32
/* Bytes queued for one subscriber before it is told to resync instead
 * (a browser that does not read cannot grow the gateway). */
#define DASHHUB_QUEUE_MAX	(1024 * 1024)

struct dashsub {
	int		 efd;		/* written by the hub: "look at pend" */
	struct buf	 pend;		/* events queued (under the hub's lock) */
	bool		 resync;	/* pend overflowed, or procd could not
					 * be asked: send a snapshot */
	bool		 ended;		/* the hub stopped: end the stream */
	struct dashsub	*next;
};

/* Subscribe S (its eventfd and queue made here), starting the hub over
 * LINK unless it runs.  -1 at DASHHUB_SUBS_MAX subscribers, or when
 * neither an eventfd nor a thread could be had. */
int	dashhub_join(struct dashsub *s, int link);
/* Unsubscribe S and free what dashhub_join made. */
void	dashhub_leave(struct dashsub *s);
/* Move what was queued for S into OUT (emptied first) and clear its
 * wake-up; *RESYNC and *ENDED say what the hub set.  -1 when the eventfd
 * could not be read. */
int	dashhub_take(struct dashsub *s, struct buf *out, bool *resync,
	    bool *ended);

#endif
