/*
 * lwint.h -- what the parts of the log writers share (logwriter.c: the
 * pool and the sinks' interface; lwturn.c: a writer's turn with one
 * sink's file).  logwriter.h is the interface.
 */
#ifndef PROCD_LWINT_H
#define PROCD_LWINT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <ev.h>

#include "buf.h"
#include "logwriter.h"

#define LW_THREADS	4
#define LW_BACKLOG	(1024 * 1024)	/* per sink, whole lines */
#define LW_LINE_SLACK	(64 * 1024)	/* to finish a line begun in time */
#define LW_STUCK_MS	250		/* a write this long: stuck */
#define LW_RETRY_MS	1000		/* reopen a refused file this often */
#define LW_FIFO_WAIT_MS	20		/* a full FIFO: wait, then requeue */
#define LW_READ_MS	100		/* a read waits for the writer */

/*
 * One per log file, so thousands of them: the fields are ordered so that
 * the struct has no holes (small ones last in each part), and the two
 * names live in the same allocation, after it.
 */
struct lwsink {
	/* Set at creation, then read-only. */
	struct ev_loop	*loop;
	char		*label;		/* in names[] */
	char		*path;		/* in names[] */
	uid_t		 owner;
	/* Shared: under lw.mu. */
	int		 fd;		/* swapped by writers under the lock;
					 * in the writers' table only */
	struct buf	 pend;
	uint64_t	 maxbytes;
	uint64_t	 lost;
	dev_t		 dev;		/* the file fd is, for lwsink_tail */
	ino_t		 ino;
	char		*note;		/* news: a message for procd's log */
	int64_t		 busy_since, queued_since;
	struct lwsink	*qnext, *nnext;
	int		 backups;
	bool		 regular;
	bool		 excl;		/* the first open must create it */
	bool		 queued, busy, dying;
	bool		 want_open, want_clear;
	bool		 torn;		/* the file's last line lost its end */
	bool		 full;		/* full and held back: pipes paused */
	bool		 episode;	/* dropping since the last good write */
	bool		 tell_drop;	/* an episode began: say so, unlocked */
	bool		 recovered;	/* news: written again after drops */
	bool		 space;		/* news: room again (lossless) */
	bool		 in_news;
	/* The loop's. */
	bool		 skip_line;	/* dropping the rest of a line */
	bool		 in_line;	/* the last byte taken was no newline */
	lwsink_space_fn	 space_fn;
	void		*space_arg;
	/* The claiming writer's. */
	uint64_t	 size, line_start;
	int64_t		 tried_open;
	bool		 at_bol, w_skip, failing, open_failed, rot_failed;
	char		 names[];	/* label, then path */
};

struct lw_state {
	pthread_mutex_t	 mu;
	pthread_cond_t	 work, done, grow;
	struct lwsink	*head, *tail, *news;
	int		 wake_fd;	/* an eventfd: news for the loop */
	ev_io		 wake_w;
	bool		 started;
	bool		 want_grow;	/* the mother is asked for a writer */
	bool		 growing;	/* and has not answered yet */
	int		 grow_err;	/* her last failure, for the loop */
	int		 table_err;	/* unshare's; -1 before she tried */
	int		 nthreads;	/* running writers */
	int		 idle;		/* of them, waiting for work */
	int64_t		 tried;		/* the last attempt to start more */
	/* The loop's: file sinks holding their programs back (full, but
	 * being written), and the check that their writer is not stuck. */
	struct lwsink	**held;
	size_t		 nheld, capheld;
	ev_timer	 held_w;
};

extern struct lw_state lw;

/* lwpool.c: the mother thread and the wake channel, started once with
 * NEWS to run on the loop when woken; one more writer if work waits;
 * wake the loop (from any thread). */
void	lw_pool_start(struct ev_loop *loop, void (*news)(void));
void	lw_grow(void);
void	lw_wake(void);
/* logwriter.c: a writer thread's body. */
void	*lw_main(void *arg);

/* Milliseconds on CLOCK_MONOTONIC (the writers' own: not the seam's). */
int64_t	lw_now(void);
/* One turn of a writer with S, the lock not held: everything that
 * touches the file. */
void	lw_turn(struct lwsink *s, bool reopen, bool clear, bool torn,
	    struct buf *batch, uint64_t *lost, char **note, bool *wrote);

#endif
