/*
 * logwriter.c -- the writer threads behind log files (logwriter.h): the
 * pool, the queue of sinks with work, news for the loop, and the sinks'
 * interface.  What a writer does with one sink's file in a turn is in
 * lwturn.c.
 *
 * One mutex guards every sink's shared part and the two lists: the queue
 * of sinks with work (claimed by one writer at a time, so a sink's file
 * state belongs to whoever holds it) and the list of sinks with news for
 * the loop.  No file I/O is done with the mutex held: a writer stuck in
 * write(2) holds its sink, never the lock, so the loop always gets it at
 * once.
 *
 * Threads and the rest of procd: writers start with every signal blocked
 * (signals reach procd's self-pipe on the main thread only); they never
 * log, allocate only through buf/asprintf and never fork.  Children are
 * made with vfork on the main thread and only make system calls before
 * execve, so no lock a writer may hold is ever needed in a child.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "buf.h"
#include "log.h"
#include "logfile.h"
#include "logwriter.h"
#include "lwint.h"
#include "sys.h"

struct lw_state lw = { .mu = PTHREAD_MUTEX_INITIALIZER };

int64_t
lw_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Under the lock: give S to a writer unless one has it or will. */
static void
lw_kick(struct lwsink *s)
{
	if (s->queued || s->busy)
		return;
	s->queued = true;
	s->queued_since = lw_now();
	s->qnext = NULL;
	if (lw.tail != NULL)
		lw.tail->qnext = s;
	else
		lw.head = s;
	lw.tail = s;
	pthread_cond_signal(&lw.work);
}

/* Under the lock: S has news for the loop. */
static void
lw_news(struct lwsink *s)
{
	if (s->in_news || s->dying)
		return;
	s->in_news = true;
	s->nnext = lw.news;
	lw.news = s;
	lw_wake();
}

static void
lw_sink_destroy(struct lwsink *s)
{
	if (s->fd != -1)
		close(s->fd);
	buf_free(&s->pend);
	free(s->note);
	free(s);	/* the names with it */
}

/* Under the lock, after a turn: results in, more work queued, news out. */
static void
lw_settle(struct lwsink *s, struct buf *left, uint64_t lost, char *note,
    bool wrote)
{
	s->busy = false;
	s->lost += lost;
	if (left->len > 0) {		/* a full FIFO: keep the order */
		buf_add(left, s->pend.data, s->pend.len);
		buf_free(&s->pend);
		s->pend = *left;
		buf_init(left);
	}
	if (note != NULL && s->note == NULL && !s->dying) {
		s->note = note;
		note = NULL;
		lw_news(s);
	}
	free(note);
	if (wrote && s->episode && !s->dying) {
		s->recovered = true;
		lw_news(s);
	}
	if (s->full && s->pend.len < LW_BACKLOG / 2) {
		s->full = false;
		s->space = true;
		lw_news(s);
	}
	if (s->pend.len > 0 || s->want_open || s->want_clear)
		lw_kick(s);
	pthread_cond_broadcast(&lw.done);
}

void *
lw_main(void *arg)
{
	struct lwsink *s;
	struct buf batch;
	bool reopen, clear, torn, wrote;
	uint64_t lost;
	char *note;

	(void)arg;
	pthread_mutex_lock(&lw.mu);
	for (;;) {
		while ((s = lw.head) == NULL) {
			lw.idle++;
			pthread_cond_wait(&lw.work, &lw.mu);
			lw.idle--;
		}
		if ((lw.head = s->qnext) == NULL)
			lw.tail = NULL;
		s->queued = false;
		s->busy = true;
		s->busy_since = lw_now();
		batch = s->pend;
		buf_init(&s->pend);
		reopen = s->want_open;
		clear = s->want_clear;
		torn = s->torn;
		s->want_open = s->want_clear = s->torn = false;
		pthread_mutex_unlock(&lw.mu);
		lost = 0;
		note = NULL;
		wrote = false;
		lw_turn(s, reopen, clear, torn, &batch, &lost, &note, &wrote);
		pthread_mutex_lock(&lw.mu);
		if (s->dying && (batch.len == 0 || s->fd == -1) &&
		    s->pend.len == 0) {
			s->busy = false;
			free(note);
			buf_free(&batch);
			pthread_mutex_unlock(&lw.mu);
			lw_sink_destroy(s);
			pthread_mutex_lock(&lw.mu);
			pthread_cond_broadcast(&lw.done);
			continue;
		}
		lw_settle(s, &batch, lost, note, wrote);
		buf_free(&batch);
	}
	return NULL;
}

/* On the loop: what the writers had to say. */
static void
lw_news_cb(void)
{
	struct lwsink *s, *next;

	pthread_mutex_lock(&lw.mu);
	s = lw.news;
	lw.news = NULL;
	for (struct lwsink *t = s; t != NULL; t = t->nnext)
		t->in_news = false;
	pthread_mutex_unlock(&lw.mu);
	for (; s != NULL; s = next) {
		bool recovered, space;
		uint64_t lost;
		char *note;

		pthread_mutex_lock(&lw.mu);
		next = s->nnext;
		note = s->note;
		s->note = NULL;
		recovered = s->recovered;
		space = s->space;
		s->recovered = s->space = false;
		if (recovered)
			s->episode = false;
		lost = s->lost;
		pthread_mutex_unlock(&lw.mu);
		if (note != NULL)
			log_warnx("%s", note);
		free(note);
		if (recovered)
			log_info("%s: log %s accepts writes again; %llu bytes "
			    "lost so far", s->label, s->path,
			    (unsigned long long)lost);
		if (space && s->space_fn != NULL)
			s->space_fn(s->space_arg);
	}
}

struct lwsink *
lwsink_new(struct ev_loop *loop, const char *label, const char *path,
    bool excl, uid_t owner)
{
	size_t llen = strlen(label) + 1, plen = strlen(path) + 1;
	struct lwsink *s = calloc(1, sizeof *s + llen + plen);

	if (s == NULL)
		return NULL;
	s->label = memcpy(s->names, label, llen);
	s->path = memcpy(s->names + llen, path, plen);
	lw_pool_start(loop, lw_news_cb);
	lw_grow();
	s->loop = loop;
	s->owner = owner;
	s->excl = excl;
	s->fd = -1;
	s->at_bol = true;
	buf_init(&s->pend);
	pthread_mutex_lock(&lw.mu);
	s->want_open = true;
	lw_kick(s);
	pthread_mutex_unlock(&lw.mu);
	return s;
}

void
lwsink_limits(struct lwsink *s, uint64_t maxbytes, int backups)
{
	pthread_mutex_lock(&lw.mu);
	s->maxbytes = maxbytes;
	s->backups = backups;
	pthread_mutex_unlock(&lw.mu);
}

void
lwsink_on_space(struct lwsink *s, lwsink_space_fn fn, void *arg)
{
	s->space_fn = fn;
	s->space_arg = arg;
}

/* Under the lock: a line does not fit.  Drop it, and the start of it if
 * that was taken, so what reaches the file stays whole lines. */
static void
lw_drop(struct lwsink *s, const char *p, size_t l)
{
	const char *nl;

	s->lost += l;
	if (s->in_line) {
		nl = s->pend.len > 0 ? memrchr(s->pend.data, '\n',
		    s->pend.len) : NULL;
		size_t keep = nl != NULL ? (size_t)(nl - s->pend.data) + 1 : 0;
		s->lost += s->pend.len - keep;
		s->pend.len = keep;
		s->torn = s->torn || nl == NULL;
	}
	s->skip_line = p[l - 1] != '\n';
	s->in_line = false;
	/* Said by lwsink_put once the lock is let go: procd's own log may
	 * be a sink too, and logging here would take the lock again. */
	if (!s->episode)
		s->tell_drop = true;
	s->episode = true;
}

/* Under the lock: take P line by line while there is room. */
static void
lw_put_lines(struct lwsink *s, const char *p, size_t n)
{
	const char *nl;
	size_t l;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		l = nl != NULL ? (size_t)(nl - p) + 1 : n;
		if (s->skip_line) {
			s->lost += l;
			s->skip_line = nl == NULL;
		} else if (s->pend.len + l <= LW_BACKLOG || (s->in_line &&
		    s->pend.len + l <= LW_BACKLOG + LW_LINE_SLACK)) {
			buf_add(&s->pend, p, l);
			s->in_line = nl == NULL;
		} else
			lw_drop(s, p, l);
		p += l;
		n -= l;
	}
}

static bool lw_stuck(const struct lwsink *);
static void lw_hold(struct lwsink *);

bool
lwsink_put(struct lwsink *s, const char *p, size_t n)
{
	bool ok = true, tell, hold = false;
	uint64_t lost;

	lw_grow();
	pthread_mutex_lock(&lw.mu);
	if (s->fd != -1 && !s->regular) {	/* a FIFO: back-pressure */
		buf_add(&s->pend, p, n);
		if (!(ok = s->pend.len < LW_BACKLOG))
			s->full = true;
	} else if (!s->skip_line && (s->pend.len + n <= LW_BACKLOG ||
	    (s->space_fn != NULL && !lw_stuck(s)))) {
		/* Past the backlog, a file whose writer is only slow (a
		 * loaded machine, valgrind) holds the program back, as a
		 * FIFO does: its pipe fills and it waits.  Only a stuck
		 * target loses lines -- or a sink no one can pause. */
		buf_add(&s->pend, p, n);
		s->in_line = p[n - 1] != '\n';
		if (s->pend.len >= LW_BACKLOG) {
			ok = false;
			hold = !s->full;
			s->full = true;
		}
	} else
		lw_put_lines(s, p, n);
	lw_kick(s);
	tell = s->tell_drop;
	s->tell_drop = false;
	lost = s->lost;
	pthread_mutex_unlock(&lw.mu);
	if (tell)
		log_warnx("%s: log %s: target not accepting writes; %llu "
		    "bytes lost so far", s->label, s->path,
		    (unsigned long long)lost);
	if (hold)
		lw_hold(s);
	return ok;
}

/*
 * Every LW_STUCK_MS while file sinks hold their programs back: one whose
 * writer got stuck since (hung storage) lets its program go again, and
 * what comes next is dropped by lwsink_put, counted -- a hung disk must
 * not stop a program.  One that drained (full cleared by its writer,
 * space said in the news) just leaves the list.
 */
static void
lw_held_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct lwsink *go[16];
	size_t k = 0, ngo = 0;

	(void)revents;
	pthread_mutex_lock(&lw.mu);
	for (size_t i = 0; i < lw.nheld; i++) {
		struct lwsink *s = lw.held[i];
		if (s->full && lw_stuck(s) && ngo < sizeof go / sizeof go[0]) {
			s->full = false;
			go[ngo++] = s;
		} else if (s->full)
			lw.held[k++] = s;	/* still held; the rest next time */
	}
	lw.nheld = k;
	pthread_mutex_unlock(&lw.mu);
	if (lw.nheld == 0)
		ev_timer_stop(loop, w);
	for (size_t i = 0; i < ngo; i++)
		if (go[i]->space_fn != NULL)
			go[i]->space_fn(go[i]->space_arg);
}

/* S now holds its program back: on the list the timer checks. */
static void
lw_hold(struct lwsink *s)
{
	struct lwsink **v;

	for (size_t i = 0; i < lw.nheld; i++)
		if (lw.held[i] == s)
			return;
	if (lw.nheld == lw.capheld) {
		size_t cap = lw.capheld ? lw.capheld * 2 : 8;
		if ((v = reallocarray(lw.held, cap, sizeof *v)) == NULL)
			fatal("reallocarray");
		lw.held = v;
		lw.capheld = cap;
	}
	lw.held[lw.nheld++] = s;
	if (!ev_is_active(&lw.held_w)) {
		ev_timer_init(&lw.held_w, lw_held_cb, LW_STUCK_MS / 1000.,
		    LW_STUCK_MS / 1000.);
		ev_timer_start(s->loop, &lw.held_w);
	}
}

void
lwsink_reopen(struct lwsink *s)
{
	pthread_mutex_lock(&lw.mu);
	s->want_open = true;
	lw_kick(s);
	pthread_mutex_unlock(&lw.mu);
}

void
lwsink_clear(struct lwsink *s)
{
	pthread_mutex_lock(&lw.mu);
	s->want_clear = true;
	lw_kick(s);
	pthread_mutex_unlock(&lw.mu);
}

/* Under the lock: a writer has been in one turn of S for too long, or
 * S has waited that long for one (all are stuck elsewhere). */
static bool
lw_stuck(const struct lwsink *s)
{
	return (s->busy && lw_now() - s->busy_since >= LW_STUCK_MS) ||
	    (s->queued && lw_now() - s->queued_since >= LW_STUCK_MS);
}

/* Now plus MS, for a timed wait. */
static struct timespec
lw_after(int64_t ms)
{
	int64_t t = lw_now() + ms;

	return (struct timespec){ .tv_sec = t / 1000,
	    .tv_nsec = (long)(t % 1000) * 1000000 };
}

/* Wait up to MS for S's queue to be written; PATIENT: even when the
 * target looked stuck (it may have recovered). */
static bool
lw_flush(struct lwsink *s, int ms, bool patient)
{
	int64_t deadline = lw_now() + ms;
	struct timespec ts;
	bool out;

	lw_grow();
	pthread_mutex_lock(&lw.mu);
	/* In slices: a stuck writer says nothing, the clock tells.  And not
	 * behind a pool with no idle writer (one may be stuck on another
	 * target): exits come fast, and each wait would hold the loop. */
	while ((s->pend.len > 0 || s->busy || s->queued) &&
	    (patient || (!lw_stuck(s) && !(s->queued && lw.idle == 0))) &&
	    lw_now() < deadline) {
		ts = lw_after(deadline - lw_now() < 20 ? deadline - lw_now() :
		    20);
		(void)pthread_cond_timedwait(&lw.done, &lw.mu, &ts);
	}
	out = s->pend.len == 0 && !s->busy && !s->queued;
	pthread_mutex_unlock(&lw.mu);
	return out;
}

bool
lwsink_flush(struct lwsink *s, int ms)
{
	return lw_flush(s, ms, false);
}

bool
lwsink_drain(struct lwsink *s, int ms)
{
	return lw_flush(s, ms, true);
}

/* The loop's own descriptor for S's file: opened by path and accepted
 * only when it is the very file the writer has open (the writers' table
 * is not the loop's); -1 when there is none, or it is stuck.
 *
 * What the loop has queued is first let reach the file (briefly; a stuck
 * target is not waited for): a read then holds everything up to the
 * request, and a tail -f's backlog meets its live part -- the taps, fed
 * by this same loop -- with nothing lost between them. */
static bool
lw_readable(struct lwsink *s, dev_t *dev, ino_t *ino)
{
	bool ok;

	pthread_mutex_lock(&lw.mu);
	ok = s->fd != -1 && s->regular && !lw_stuck(s);
	*dev = s->dev;
	*ino = s->ino;
	pthread_mutex_unlock(&lw.mu);
	return ok;
}

static int
lw_open_for_reading(struct lwsink *s)
{
	struct stat st;
	dev_t dev;
	ino_t ino;
	int fd;

	if (!lw_readable(s, &dev, &ino))
		return -1;
	/* (The file it is may change as the writer catches up: rotation.) */
	(void)lw_flush(s, LW_READ_MS, false);
	if (!lw_readable(s, &dev, &ino) ||
	    (fd = logfile_open(s->path, LOGFILE_READ, s->owner, NULL)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || st.st_dev != dev || st.st_ino != ino) {
		close(fd);
		return -1;
	}
	return fd;
}

ssize_t
lwsink_read(struct lwsink *s, char *out, size_t len, off_t off, off_t *size)
{
	off_t end;
	ssize_t n;
	int fd;

	if ((fd = lw_open_for_reading(s)) == -1)
		return -1;
	if ((end = lseek(fd, 0, SEEK_END)) == -1) {
		close(fd);
		return -1;
	}
	if (off < 0)
		off = end > (off_t)len ? end - (off_t)len : 0;
	n = off >= end ? 0 : sys_pread(fd, out, len, off);
	close(fd);
	if (size != NULL)
		*size = end;
	return n;
}

ssize_t
lwsink_tail(struct lwsink *s, char *out, size_t len)
{
	return lwsink_read(s, out, len, -1, NULL);
}

uint64_t
lwsink_lost(struct lwsink *s)
{
	uint64_t n;

	pthread_mutex_lock(&lw.mu);
	n = s->lost;
	pthread_mutex_unlock(&lw.mu);
	return n;
}

const char *
lwsink_path(const struct lwsink *s)
{
	return s->path;
}

void
lwsink_free(struct lwsink *s)
{
	struct lwsink **pp;

	if (s == NULL)
		return;
	pthread_mutex_lock(&lw.mu);
	for (pp = &lw.news; *pp != NULL; pp = &(*pp)->nnext) {
		if (*pp == s) {
			*pp = s->nnext;
			break;
		}
	}
	s->in_news = false;
	for (size_t i = 0; i < lw.nheld; i++)
		if (lw.held[i] == s) {
			lw.held[i] = lw.held[--lw.nheld];
			break;
		}
	s->dying = true;
	free(s->note);
	s->note = NULL;
	lw_kick(s);	/* a writer writes the rest, closes, frees */
	pthread_mutex_unlock(&lw.mu);
}
