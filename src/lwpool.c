/*
 * lwpool.c -- the log writers' threads, kept in a descriptor table of
 * their own, and the channel on which they wake the loop (lwint.h).
 *
 * Why a table of their own: closing a descriptor of a file on hung
 * storage waits for that storage (FUSE's flush, NFS's writeback on
 * close).  Every child procd makes gets a copy of procd's descriptors and
 * closes it at exec; with a log file among them, a spawn would wait for
 * the hung disk, and vfork holds procd while it waits.  So log files are
 * opened only by writers, in a table the loop's thread never shares: the
 * first thread (the "mother") unshares its table, keeps only the wake
 * channel, and makes every writer, which shares her table.  The loop's
 * table, the one children copy, never holds a log file.
 *
 * The mother never touches a file, so she can always make one more
 * writer while others are stuck.  If unshare(2) is refused (a seccomp
 * filter, say), writers share procd's table as before and procd says so.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ev.h>

#include "log.h"
#include "lwint.h"
#include "sys.h"

static void	(*news_fn)(void);

/* Close every descriptor above 2 but KEEP: copies of the loop's. */
static void
lw_close_copies(int keep)
{
	long max;

	if ((keep == 3 || syscall(SYS_close_range, 3U, (unsigned)keep - 1,
	    0U) == 0) &&
	    syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U) == 0)
		return;
	max = sysconf(_SC_OPEN_MAX);	/* a kernel before 5.9 */
	for (long fd = 3; fd < max; fd++)
		if (fd != keep)
			(void)close((int)fd);
}

/* The mother: her own table, then writers on request (lw_grow). */
static void *
lw_mother(void *arg)
{
	pthread_t t;
	int e;

	(void)arg;
	e = unshare(CLONE_FILES) == -1 ? errno : 0;
	if (e == 0)
		lw_close_copies(lw.wake_fd);
	pthread_mutex_lock(&lw.mu);
	lw.table_err = e;
	if (e != 0)
		lw_wake();	/* the loop says so */
	for (;;) {
		while (!lw.want_grow)
			pthread_cond_wait(&lw.grow, &lw.mu);
		lw.want_grow = false;
		pthread_mutex_unlock(&lw.mu);
		e = pthread_create(&t, NULL, lw_main, NULL);
		if (e == 0)
			pthread_detach(t);
		pthread_mutex_lock(&lw.mu);
		if (e == 0)
			lw.nthreads++;
		else
			lw.grow_err = e;
		lw.growing = false;
		lw_wake();	/* the loop logs a failure, if any */
	}
	return NULL;
}

/* Writers' side, under the lock or not: wake the loop for news. */
void
lw_wake(void)
{
	uint64_t one = 1;

	/* Full (2^64 - 2 pending) cannot happen; EAGAIN is harmless. */
	(void)sys_write(lw.wake_fd, &one, sizeof one);
}

static void
lw_wake_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	uint64_t n;
	int e, table;

	(void)loop;
	(void)revents;
	(void)sys_read(w->fd, &n, sizeof n);
	pthread_mutex_lock(&lw.mu);
	e = lw.grow_err;
	lw.grow_err = 0;
	table = lw.table_err > 0 ? lw.table_err : 0;
	if (table != 0)
		lw.table_err = 0;
	pthread_mutex_unlock(&lw.mu);
	if (table != 0)
		log_warnx("log writers share procd's descriptors (unshare: "
		    "%s): a spawn may wait for a hung log disk",
		    strerror(table));
	if (e != 0)
		log_warnx("log writers: %d of %d running: %s", lw.nthreads,
		    LW_THREADS, strerror(e));
	news_fn();
}

/*
 * Start one more writer when there is none, or when work has waited
 * LW_STUCK_MS with every writer busy (stuck targets hold theirs), up to
 * LW_THREADS: threads count against RLIMIT_NPROC, which a program's
 * children need more.  The mother makes it.  A failure (RLIMIT_NPROC, no
 * memory) is not fatal: procd goes on supervising, file output waits in
 * the backlogs (and is lost when they are full), and another attempt is
 * made LW_STUCK_MS later.
 */
void
lw_grow(void)
{
	pthread_mutex_lock(&lw.mu);
	if (!lw.growing && lw.nthreads < LW_THREADS &&
	    (lw.nthreads == 0 || (lw.idle == 0 && lw.head != NULL &&
	    lw_now() - lw.head->queued_since >= LW_STUCK_MS)) &&
	    (lw.tried == 0 || lw_now() - lw.tried >= LW_STUCK_MS)) {
		lw.tried = lw_now();
		lw.growing = lw.want_grow = true;
		pthread_cond_signal(&lw.grow);
	}
	pthread_mutex_unlock(&lw.mu);
}

/* The wake channel, the condition variables and the mother; once. */
void
lw_pool_start(struct ev_loop *loop, void (*news)(void))
{
	pthread_condattr_t ca;
	sigset_t all, old;
	pthread_t t;
	int e;

	if (lw.started)
		return;
	news_fn = news;
	if (pthread_condattr_init(&ca) != 0 ||
	    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&lw.done, &ca) != 0 ||
	    pthread_cond_init(&lw.work, NULL) != 0 ||
	    pthread_cond_init(&lw.grow, NULL) != 0)
		fatalx("log writers: cannot make condition variables");
	pthread_condattr_destroy(&ca);
	if ((lw.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) == -1)
		fatal("log writers: eventfd");
	ev_io_init(&lw.wake_w, lw_wake_cb, lw.wake_fd, EV_READ);
	ev_io_start(loop, &lw.wake_w);
	ev_unref(loop);	/* it alone must not keep the loop alive */
	lw.table_err = -1;	/* not known yet */
	/* Signals reach procd's self-pipe on the main thread only. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	e = pthread_create(&t, NULL, lw_mother, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0)
		fatalx("log writers: cannot start: %s", strerror(e));
	pthread_detach(t);
	lw.started = true;
}
