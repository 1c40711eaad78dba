/*
 * logstream.c -- from a program's pipes to its log (see logstream.h).
 *
 * One read buffer is shared by every pipe: the loop is single-threaded and
 * each chunk is written out before the next read, so a quiet program costs
 * no buffer of its own.
 *
 * Log files are never touched on the loop: a file on hung storage would
 * block it in write(2) (or open, rename, ftruncate) and stop supervision.
 * Their output goes to a sink (logwriter.c), written by writer threads.
 * When a sink's backlog is full the program's pipes are paused until it
 * drains (back-pressure: the program waits, nothing is lost); only a
 * stuck file (hung storage) loses whole lines, counted, so that it cannot
 * stop the program.  A FIFO given as a log file is always waited for.
 *
 * procd's own stdout or stderr (/dev/stdout) is written on the loop,
 * never blocking (logtarget.c); when it is full, the rest waits and the
 * program's pipes are no longer read until it drains, so the program is
 * slowed by its own full pipe and nothing is dropped (back-pressure).
 *
 * stdout_prefix= and log_timestamps= are added here, as the output is
 * read, before it goes anywhere: every target (file, stdio, tail) gets
 * the same lines, and a file's sink sees whole prefixed lines, so its
 * backlog limit and its dropping of whole lines hold as they are (the
 * bytes counted there, kept or lost, are the log's, heads included).
 * procd's own stdout and stderr are shared by every program that sends
 * output there, so on them a prefixed stream holds back a line begun
 * until its end arrives (or LOGSTREAM_HOLD_MS pass, or it reaches
 * LOGSTREAM_HOLD_MAX, or the program ends): another program's line can
 * then not land in the middle of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "buf.h"
#include "config.h"
#include "lineprefix.h"
#include "log.h"
#include "logfile.h"
#include "logwriter.h"
#include "logstream.h"
#include "lsint.h"
#include "ring.h"
#include "sys.h"

#define LOGPIPE_CHUNK	(64 * 1024)
/* Reads per drain: a dead writer left at most a pipe's worth behind. */
#define LOGPIPE_DRAIN_MAX 64
#define LOGPIPE_RING	(16 * 1024)
#define LOGPIPE_TAPS	8
/* How long an exit waits for its output to reach a healthy disk. */
#define LOGSTREAM_FLUSH_MS 1000
/* The longest a line begun on a shared target is held back for its end:
 * a prompt or a progress line still shows, a moment late. */
#define LOGSTREAM_HOLD_MS 500
#define LOGSTREAM_HOLD_MAX (16 * 1024)

static char logpipe_buf[LOGPIPE_CHUNK];
/* The output with its heads, handed on whenever it is full. */
static char logprefix_buf[LOGPIPE_CHUNK];

/* Output (or, with P NULL, the end of the stream) to every tail -f. */
static void
logstream_tell_taps(struct logstream *ls, const char *p, size_t n)
{
	for (int i = 0; ls->taps != NULL && i < LOGPIPE_TAPS; i++)
		if (ls->taps[i].fn != NULL)
			ls->taps[i].fn(ls->taps[i].arg, p, n);
}

static void	logstream_held_cb(struct ev_loop *, ev_timer *, int);

static struct lsstdio *
logstream_stdio_new(struct logstream *ls)
{
	struct lsstdio *io = calloc(1, sizeof *io);

	if (io == NULL)
		return NULL;
	io->ls = ls;
	io->fd = -1;
	buf_init(&io->held);
	ev_init(&io->held_w, logstream_held_cb);
	ring_init(&io->ring, LOGPIPE_RING);
	return io;
}

struct logstream *
logstream_new(struct ev_loop *loop, const struct logdest_config *dc,
    const char *name, const char *stream)
{
	struct logstream *ls = calloc(1, sizeof *ls);

	if (ls == NULL)
		return NULL;
	ls->loop = loop;
	ls->kind = dc->kind;
	ls->maxbytes = dc->maxbytes;
	ls->backups = dc->backups;
	ls->name = name;
	ls->stream = stream;
	ls->path = dc->path;
	ls->prefix = dc->prefix;
	ls->stamps = dc->stamps;
	if (dc->kind == LOGDEST_FILE && logstream_file(ls, dc) == -1) {
		free(ls);
		return NULL;
	}
	if ((dc->kind == LOGDEST_STDOUT || dc->kind == LOGDEST_STDERR) &&
	    (ls->io = logstream_stdio_new(ls)) == NULL) {
		free(ls);
		return NULL;
	}
	return ls;
}

int
logstream_open(struct logstream *ls)
{
	switch (ls->kind) {
	case LOGDEST_NONE:
		return 0;
	case LOGDEST_STDOUT:
	case LOGDEST_STDERR:
		logstream_close_fd(ls);
		logstream_open_stdio(ls, ls->kind == LOGDEST_STDOUT ?
		    STDOUT_FILENO : STDERR_FILENO);
		logstream_reopened(ls);
		return 0;
	case LOGDEST_FILE:
		break;
	}
	/* A writer opens it (logfile.c); a file not written yet is opened
	 * when it is. */
	if (ls->sink != NULL)
		lwsink_reopen(ls->sink);
	return 0;
}

static void
logpipe_close(struct logpipe *lp)
{
	ev_io_stop(lp->ls->loop, &lp->w);
	close(lp->w.fd);
	free(lp);
}

/* Stop or resume reading every pipe of LS (back-pressure). */
void
logstream_pause(struct logstream *ls, bool pause)
{
	for (struct logpipe *lp = ls->pipes; lp != NULL; lp = lp->next) {
		if (pause)
			ev_io_stop(ls->loop, &lp->w);
		else
			ev_io_start(ls->loop, &lp->w);
	}
}

void
logstream_free(struct logstream *ls)
{
	struct logpipe *lp, *next;

	if (ls == NULL)
		return;
	logstream_drain(ls);
	for (lp = ls->pipes; lp != NULL; lp = next) {
		next = lp->next;
		logpipe_close(lp);
	}
	logstream_tell_taps(ls, NULL, 0);
	free(ls->taps);
	logstream_flush_pending(ls);	/* best effort, last chance */
	logstream_close_fd(ls);
	if (ls->io != NULL) {
		ev_timer_stop(ls->loop, &ls->io->held_w);
		buf_free(&ls->io->held);	/* given out by drain */
		ring_free(&ls->io->ring);
		free(ls->io);
	}
	lwsink_free(ls->sink);
	free(ls->own_path);
	free(ls);
}

/* A chunk to every tail -f and to the log: a file's writer, or stdio. */
static void
logstream_write(struct logstream *ls, const char *p, size_t n)
{
	if (ls->io != NULL)
		(void)ring_write(&ls->io->ring, p, n);
	logstream_tell_taps(ls, p, n);
	if (ls->io != NULL) {
		logstream_write_raw(ls, p, n);
		return;
	}
	if (logstream_sink(ls) == NULL) {
		ls->lost += n;
		return;
	}
	if (!lwsink_put(ls->sink, p, n) && !ls->paused) {
		ls->paused = true;	/* the sink is full: back-pressure */
		logstream_pause(ls, true);
	}
}

/* Write out the line held back, whole or not. */
static void
logstream_release(struct logstream *ls)
{
	struct lsstdio *io = ls->io;

	if (io == NULL || io->held.len == 0)
		return;		/* and the timer is not running */
	ev_timer_stop(ls->loop, &io->held_w);
	logstream_write(ls, io->held.data, io->held.len);
	buf_reset(&io->held);
}

static void
logstream_held_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	logstream_release(((struct lsstdio *)((char *)w -
	    offsetof(struct lsstdio, held_w)))->ls);
}

/* Keep P, the start of a line, until its end comes (or the hold ends). */
static void
logstream_hold(struct logstream *ls, const char *p, size_t n)
{
	struct lsstdio *io = ls->io;

	if (io->held.len == 0) {
		ev_timer_set(&io->held_w, LOGSTREAM_HOLD_MS / 1000., 0.);
		ev_timer_start(ls->loop, &io->held_w);
	}
	buf_add(&io->held, p, n);
	if (io->held.len >= LOGSTREAM_HOLD_MAX)
		logstream_release(ls);
}

/*
 * Prefixed output to the target.  On procd's own stdout or stderr, which
 * programs share, only whole lines go out at once: the end of P after its
 * last newline is held back (logstream_hold).
 */
static void
logstream_emit(struct logstream *ls, const char *p, size_t n)
{
	const char *nl;
	size_t k;

	if (ls->io == NULL) {
		logstream_write(ls, p, n);
		return;
	}
	if ((nl = memrchr(p, '\n', n)) == NULL) {
		logstream_hold(ls, p, n);
		return;
	}
	k = (size_t)(nl - p) + 1;
	if (ls->io->held.len > 0) {	/* the held line ends here */
		buf_add(&ls->io->held, p, k);
		logstream_release(ls);
	} else
		logstream_write(ls, p, k);
	if (k < n)
		logstream_hold(ls, p + k, n - k);
}

/* logprefix_buf being filled for one stream. */
struct logprefix_out {
	struct logstream *ls;
	size_t		 len;
};

static void
logprefix_flush(struct logprefix_out *o)
{
	if (o->len > 0)
		logstream_emit(o->ls, logprefix_buf, o->len);
	o->len = 0;
}

/* One piece of prefixed output (lineprefix_out_fn). */
static void
logprefix_put(void *arg, const char *p, size_t n)
{
	struct logprefix_out *o = arg;
	size_t k;

	while (n > 0) {
		k = sizeof logprefix_buf - o->len;
		k = k < n ? k : n;
		memcpy(logprefix_buf + o->len, p, k);
		o->len += k;
		p += k;
		n -= k;
		if (o->len == sizeof logprefix_buf)
			logprefix_flush(o);
	}
}

/*
 * Output just read: with the head (timestamp, prefix) before each line
 * that begins in it.  The time is the read's, so a line that comes in
 * several reads has the time of its first bytes.
 */
static void
logstream_input(struct logstream *ls, const char *p, size_t n)
{
	struct logprefix_out o = { ls, 0 };
	char head[LINEPREFIX_HEAD_SIZE];
	struct timespec now = { 0, 0 };
	size_t hlen;

	if (ls->prefix == NULL && ls->stamps == LOGTS_NONE) {
		logstream_release(ls);	/* prefixes just turned off */
		ls->mid_line = p[n - 1] != '\n';
		logstream_write(ls, p, n);
		return;
	}
	if (ls->stamps != LOGTS_NONE && clock_gettime(CLOCK_REALTIME, &now) ==
	    -1)
		now.tv_sec = time(NULL);
	hlen = lineprefix_head(ls->stamps, &now, ls->prefix, head);
	lineprefix_apply(&ls->mid_line, p, n, head, hlen, logprefix_put, &o);
	logprefix_flush(&o);
}

/* Read one chunk; 1 = more may follow, 0 = empty for now, -1 = EOF. */
static int
logpipe_read_once(struct logpipe *lp)
{
	ssize_t n;

	n = sys_read(lp->w.fd, logpipe_buf, sizeof logpipe_buf);
	if (n > 0 && lp->ls->filter != NULL) {
		lp->ls->filter(lp->ls->filter_arg, logpipe_buf, (size_t)n);
		return 1;
	}
	if (n > 0) {
		logstream_input(lp->ls, logpipe_buf, (size_t)n);
		return 1;
	}
	if (n == -1 && errno == EAGAIN)
		return 0;
	return -1;
}

static void
logpipe_unlink(struct logpipe *lp)
{
	struct logpipe **pp;

	for (pp = &lp->ls->pipes; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == lp) {
			*pp = lp->next;
			break;
		}
	}
	logpipe_close(lp);
}

static void
logpipe_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct logpipe *lp = (struct logpipe *)w;

	(void)loop;
	(void)revents;
	if (logpipe_read_once(lp) == -1)
		logpipe_unlink(lp);
}

void
logstream_filter(struct logstream *ls, logstream_tap_fn fn, void *arg)
{
	ls->filter = fn;
	ls->filter_arg = arg;
}

void
logstream_put(struct logstream *ls, const char *p, size_t n)
{
	logstream_write(ls, p, n);
}

int
logstream_attach(struct logstream *ls, int fd)
{
	struct logpipe *lp = calloc(1, sizeof *lp);

	if (lp == NULL)
		return -1;
	(void)fcntl(fd, F_SETFL, O_NONBLOCK);
	lp->ls = ls;
	ev_io_init(&lp->w, logpipe_read_cb, fd, EV_READ);
	if (!logstream_backlogged(ls) && !ls->paused)	/* else once drained */
		ev_io_start(ls->loop, &lp->w);
	lp->next = ls->pipes;
	ls->pipes = lp;
	return 0;
}

void
logstream_drain(struct logstream *ls)
{
	struct logpipe *lp, *next;

	for (lp = ls->pipes; lp != NULL; lp = next) {
		int r = 1;
		next = lp->next;
		for (int i = 0; i < LOGPIPE_DRAIN_MAX && r == 1; i++)
			r = logpipe_read_once(lp);
		if (r == -1)
			logpipe_unlink(lp);
	}
	/* The program is gone: a line it left unended goes out as it is. */
	logstream_release(ls);
	/* On disk before the program's state moves -- but a stuck target
	 * is not waited for (logwriter.c): supervision goes on. */
	if (ls->sink != NULL)
		(void)lwsink_flush(ls->sink, LOGSTREAM_FLUSH_MS);
}

void
logstream_set_config(struct logstream *ls, const struct logdest_config *dc)
{
	if (ls->own_path == NULL)	/* else AUTO's random name stays */
		ls->path = dc->path;
	ls->prefix = dc->prefix;
	ls->stamps = dc->stamps;
	ls->maxbytes = dc->maxbytes;
	ls->backups = dc->backups;
	if (ls->sink != NULL)
		lwsink_limits(ls->sink, dc->maxbytes, dc->backups);
}

int
logstream_clear(struct logstream *ls)
{
	if (ls->io != NULL)
		ring_clear(&ls->io->ring);
	/* The open, checked file, by a writer: one written by an earlier
	 * run is truncated too. */
	if (logstream_sink(ls) != NULL)
		lwsink_clear(ls->sink);
	return 0;
}

int
logstream_tap(struct logstream *ls, logstream_tap_fn fn, void *arg)
{
	if (ls->taps == NULL &&
	    (ls->taps = calloc(LOGPIPE_TAPS, sizeof *ls->taps)) == NULL)
		return -1;
	for (int i = 0; i < LOGPIPE_TAPS; i++) {
		if (ls->taps[i].fn == NULL) {
			ls->taps[i] = (struct logtap){ fn, arg };
			return 0;
		}
	}
	return -1;
}

void
logstream_untap(struct logstream *ls, logstream_tap_fn fn, void *arg)
{
	for (int i = 0; ls->taps != NULL && i < LOGPIPE_TAPS; i++)
		if (ls->taps[i].fn == fn && ls->taps[i].arg == arg)
			ls->taps[i].fn = NULL;
}

uint64_t
logstream_lost(const struct logstream *ls)
{
	return ls->lost + (ls->sink != NULL ? lwsink_lost(ls->sink) : 0);
}

const char *
logstream_path(const struct logstream *ls)
{
	return ls->kind != LOGDEST_NONE && ls->path != NULL ? ls->path : "";
}

size_t
logstream_pipe_fds(const struct logstream *ls, int *fds, size_t max)
{
	size_t n = 0;

	for (const struct logpipe *lp = ls->pipes; lp != NULL; lp = lp->next) {
		if (n < max)
			fds[n] = lp->w.fd;
		n++;
	}
	return n;
}

const char *
logstream_held(const struct logstream *ls, size_t *len, bool *mid_line)
{
	*mid_line = ls->mid_line;
	if (ls->io == NULL) {	/* a file stream holds nothing back */
		*len = 0;
		return NULL;
	}
	*len = ls->io->held.len;
	return ls->io->held.data;
}

/* The held line's timer starts afresh: it waits for its end as long
 * again, at most. */
void
logstream_resume(struct logstream *ls, const char *held, size_t len,
    bool mid_line)
{
	ls->mid_line = mid_line;
	if (len > 0 && ls->io != NULL)
		logstream_hold(ls, held, len);
}

/* Patient: a writer may be busy elsewhere, or just starting. */
bool
logstream_sync(struct logstream *ls, int ms)
{
	return ls->sink == NULL || lwsink_drain(ls->sink, ms);
}
