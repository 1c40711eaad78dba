/*
 * logstream.c -- from a program's pipes to its log (see logstream.h).
 *
 * One read buffer is shared by every pipe: the loop is single-threaded and
 * each chunk is written out before the next read, so a quiet program costs
 * no buffer of its own.
 *
 * Regular files are written directly (the kernel does not block on them in
 * the EAGAIN sense).  Anything else -- procd's stdout in a container, a
 * FIFO, a tty -- is opened anew as non-blocking; when it is full, the rest
 * waits in a buffer and the program's pipes are no longer read until it
 * drains, so the program is slowed by its own full pipe and nothing is
 * dropped (back-pressure).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ev.h>

#include "buf.h"
#include "config.h"
#include "log.h"
#include "logfile.h"
#include "logstream.h"
#include "ring.h"
#include "sys.h"

#define LOGPIPE_CHUNK	(64 * 1024)
/* Reads per drain: a dead writer left at most a pipe's worth behind. */
#define LOGPIPE_DRAIN_MAX 64
#define LOGPIPE_RING	(16 * 1024)
#define LOGPIPE_TAPS	8

struct logpipe {
	ev_io		 w;
	struct logstream *ls;
	struct logpipe	*next;
};

/* What a FIFO or terminal could not take yet; exists only meanwhile. */
struct backlog {
	struct buf	 data;
	ev_io		 w;		/* the target is writable again */
	struct logstream *ls;
};

struct logtap {
	logstream_tap_fn fn;
	void		*arg;
};

struct logstream {
	struct ev_loop	*loop;
	const char	*name;		/* of the program, for messages */
	const char	*stream;	/* "stdout" or "stderr" */
	enum logdest_kind kind;
	const char	*path;		/* the config's */
	char		*file;		/* AUTO's random name, or NULL */
	uid_t		 owner;		/* the program's user, whose files
					   its log may be */
	bool		 created;	/* AUTO's file was made (O_EXCL) */
	bool		 dir_warned;	/* the directory was reported */
	bool		 rotate_warned;	/* a refused rotation was reported */
	uint64_t	 maxbytes;
	int		 backups;
	int		 fd;		/* -1 when not open */
	bool		 own_fd;	/* fd is ours to close */
	bool		 regular;	/* a regular file: seekable, rotatable */
	bool		 at_bol;	/* last byte written was a newline */
	bool		 failing;	/* in a run of failed writes */
	bool		 skip_line;	/* drop up to the next newline: the
					   start of that line was lost */
	uint64_t	 size;
	uint64_t	 line_start;	/* size after the last newline */
	uint64_t	 lost;
	struct ring	 ring;		/* for tail when there is no file */
	struct logpipe	*pipes;
	struct backlog	*backlog;	/* a non-blocking target's, or NULL */
	/* LOGPIPE_TAPS slots, allocated by the first tail -f: most
	 * programs never have one, and procd keeps thousands of streams. */
	struct logtap	*taps;
};

static char logpipe_buf[LOGPIPE_CHUNK];

/* Output (or, with P NULL, the end of the stream) to every tail -f. */
static void
logstream_tell_taps(struct logstream *ls, const char *p, size_t n)
{
	for (int i = 0; ls->taps != NULL && i < LOGPIPE_TAPS; i++)
		if (ls->taps[i].fn != NULL)
			ls->taps[i].fn(ls->taps[i].arg, p, n);
}

static void	logstream_out_cb(struct ev_loop *, ev_io *, int);
static void	logstream_backlog_watch(struct logstream *);

/* A backlog kept across a reopen (SIGUSR2) goes to the new target. */
static void
logstream_reopened(struct logstream *ls)
{
	if (ls->backlog != NULL && ls->fd != -1)
		logstream_backlog_watch(ls);
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
	ls->fd = -1;
	ls->at_bol = true;
	ls->name = name;
	ls->stream = stream;
	ls->path = dc->path;
	ls->owner = logfile_owner(dc->user);
	/* In a directory someone else may write, a name that can be
	 * guessed can be planted (a symlink) before procd starts: there
	 * AUTO is random and made with O_EXCL at the first open.  Where
	 * only root can create files, the plain name is kept (stable). */
	if (dc->kind == LOGDEST_FILE && dc->is_auto &&
	    logfile_check_dir(dc->path, LOGFILE_NOBODY, NULL) == -1 &&
	    (ls->file = logfile_auto_name(dc->path)) == NULL) {
		free(ls);
		return NULL;
	}
	ring_init(&ls->ring, ls->kind == LOGDEST_FILE ? 0 : LOGPIPE_RING);
	return ls;
}

static void
logstream_close_fd(struct logstream *ls)
{
	if (ls->backlog != NULL)
		ev_io_stop(ls->loop, &ls->backlog->w);
	if (ls->own_fd && ls->fd != -1)
		close(ls->fd);
	ls->fd = -1;
	ls->own_fd = false;
}

/* A new, non-blocking open file description for procd's own stdout or
 * stderr, so that O_NONBLOCK does not leak to whoever shares ours.  A
 * socket cannot be reopened: then the shared descriptor is used. */
static int
logstream_open_stdio(struct logstream *ls, int which)
{
	char path[32];
	int fd;

	snprintf(path, sizeof path, "/proc/self/fd/%d", which);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK);
	ls->regular = false;
	if (fd == -1) {
		ls->fd = which;
		return 0;
	}
	ls->fd = fd;
	ls->own_fd = true;
	return 0;
}

/* The name on disk: AUTO's random one, or the config's path. */
static const char *
logstream_file(const struct logstream *ls)
{
	return ls->file != NULL ? ls->file : ls->path;
}

/* Say once if someone besides the program's user may swap the log. */
static void
logstream_check_dir(struct logstream *ls)
{
	char *cause = NULL;

	if (ls->dir_warned ||
	    logfile_check_dir(logstream_file(ls), ls->owner, &cause) == 0)
		return;
	log_warnx("program %s %s: %s", ls->name, ls->stream,
	    cause != NULL ? cause : "unsafe log directory");
	free(cause);
	ls->dir_warned = true;
}

/* Open the log file safely (logfile.c): AUTO's name is new the first
 * time, and a fresh random one if that one was somehow taken. */
static int
logstream_open_file(struct logstream *ls)
{
	char *cause = NULL, *other;
	int fd;

	logstream_check_dir(ls);
	for (int tries = 0; ; tries++) {
		fd = logfile_open(logstream_file(ls), ls->file != NULL &&
		    !ls->created ? LOGFILE_CREATE : LOGFILE_APPEND, ls->owner,
		    &cause);
		if (fd != -1 || errno != EEXIST || ls->file == NULL ||
		    ls->created || tries == 3 ||
		    (other = logfile_auto_name(ls->path)) == NULL)
			break;
		free(cause);
		cause = NULL;
		free(ls->file);
		ls->file = other;
	}
	if (fd == -1) {
		log_warnx("program %s %s: cannot open log: %s; its output is "
		    "counted as lost", ls->name, ls->stream,
		    cause != NULL ? cause : strerror(errno));
		free(cause);
		return -1;
	}
	ls->created = true;
	return fd;
}

int
logstream_open(struct logstream *ls)
{
	struct stat st;
	int fd;

	switch (ls->kind) {
	case LOGDEST_NONE:
		return 0;
	case LOGDEST_STDOUT:
	case LOGDEST_STDERR:
		logstream_close_fd(ls);
		(void)logstream_open_stdio(ls, ls->kind == LOGDEST_STDOUT ?
		    STDOUT_FILENO : STDERR_FILENO);
		logstream_reopened(ls);
		return 0;
	case LOGDEST_FILE:
		break;
	}
	/* A refused file is not written, and neither is the one before:
	 * nothing goes anywhere but where the config says. */
	fd = logstream_open_file(ls);
	logstream_close_fd(ls);
	if (fd == -1) {
		ls->regular = false;
		return -1;
	}
	ls->fd = fd;
	ls->own_fd = true;
	ls->regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	ls->size = ls->regular ? (uint64_t)st.st_size : 0;
	ls->line_start = ls->size;
	logstream_reopened(ls);
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
static void
logstream_pause(struct logstream *ls, bool pause)
{
	for (struct logpipe *lp = ls->pipes; lp != NULL; lp = lp->next) {
		if (pause)
			ev_io_stop(ls->loop, &lp->w);
		else
			ev_io_start(ls->loop, &lp->w);
	}
}

static void
logstream_backlog_free(struct logstream *ls)
{
	if (ls->backlog == NULL)
		return;
	ev_io_stop(ls->loop, &ls->backlog->w);
	buf_free(&ls->backlog->data);
	free(ls->backlog);
	ls->backlog = NULL;
}

static void
logstream_flush_pending(struct logstream *ls)
{
	if (ls->backlog != NULL && ls->fd != -1)
		(void)!write(ls->fd, ls->backlog->data.data,
		    ls->backlog->data.len);
	logstream_backlog_free(ls);
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
	ring_free(&ls->ring);
	free(ls->file);
	free(ls);
}

static void
logstream_failed(struct logstream *ls)
{
	if (!ls->failing)
		log_warn("program %s %s: writing log %s", ls->name, ls->stream,
		    ls->path ? ls->path : "(stdio)");
	ls->failing = true;
}

static void
logstream_recovered(struct logstream *ls)
{
	if (ls->failing)
		log_info("program %s %s: log writable again; %llu bytes lost "
		    "so far", ls->name, ls->stream,
		    (unsigned long long)ls->lost);
	ls->failing = false;
}

/*
 * A write failed (full disk): cut the file back to where the current line
 * began, so it never ends in a fragment, and drop the rest of that line
 * when more comes; what follows is whole lines again.
 */
static void
logstream_untear(struct logstream *ls, const char *rest, size_t n)
{
	uint64_t torn = ls->size - ls->line_start;

	if (torn > 0 && ftruncate(ls->fd, (off_t)ls->line_start) == 0) {
		ls->size = ls->line_start;
		ls->lost += torn;
	}
	ls->lost += n;
	ls->at_bol = true;
	ls->skip_line = n == 0 || rest[n - 1] != '\n';
}

/* Data after a failure: the remains of a lost line are dropped. */
static size_t
logstream_skip_rest(struct logstream *ls, const char *p, size_t n)
{
	const char *nl;
	size_t skip;

	if (!ls->skip_line)
		return 0;
	nl = memchr(p, '\n', n);
	skip = nl != NULL ? (size_t)(nl - p) + 1 : n;
	ls->skip_line = nl == NULL;
	ls->lost += skip;
	return skip;
}

/* Write all of P to a regular file, or count what it refused as lost. */
static void
logstream_write_file(struct logstream *ls, const char *p, size_t n)
{
	size_t skip = logstream_skip_rest(ls, p, n);
	bool wrote = false;
	const char *nl;

	p += skip;
	n -= skip;
	while (n > 0) {
		ssize_t w = sys_write(ls->fd, p, n);
		if (w <= 0) {
			logstream_failed(ls);
			logstream_untear(ls, p, n);
			return;
		}
		ls->size += (uint64_t)w;
		if ((nl = memrchr(p, '\n', (size_t)w)) != NULL)
			ls->line_start = ls->size - (uint64_t)(p + w - nl - 1);
		ls->at_bol = p[w - 1] == '\n';
		wrote = true;
		p += w;
		n -= (size_t)w;
	}
	if (wrote)
		logstream_recovered(ls);
}

/* Wait for the target to take the backlog again. */
static void
logstream_backlog_watch(struct logstream *ls)
{
	ev_io_stop(ls->loop, &ls->backlog->w);
	ev_io_set(&ls->backlog->w, ls->fd, EV_WRITE);
	ev_io_start(ls->loop, &ls->backlog->w);
}

/* Start a backlog with P: stop reading the program until it is gone. */
static void
logstream_backlog_new(struct logstream *ls, const char *p, size_t n)
{
	if ((ls->backlog = calloc(1, sizeof *ls->backlog)) == NULL)
		fatal("calloc");
	buf_init(&ls->backlog->data);
	buf_add(&ls->backlog->data, p, n);
	ls->backlog->ls = ls;
	ev_init(&ls->backlog->w, logstream_out_cb);
	logstream_backlog_watch(ls);
	logstream_pause(ls, true);
}

/* Write to a non-blocking target; what it cannot take now waits. */
static void
logstream_write_stream(struct logstream *ls, const char *p, size_t n)
{
	size_t done;
	ssize_t w;

	if (ls->backlog != NULL) {
		buf_add(&ls->backlog->data, p, n);
		return;
	}
	w = sys_write_all(ls->fd, p, n);
	if (w == (ssize_t)n) {
		logstream_recovered(ls);
		return;
	}
	/* Short: the target would block (the rest waits) or is gone. */
	done = w > 0 ? (size_t)w : 0;
	if (w != -1 && errno == EAGAIN) {
		logstream_backlog_new(ls, p + done, n - done);
		return;
	}
	logstream_failed(ls);
	ls->lost += n - done;
}

static void
logstream_out_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct backlog *bl = (struct backlog *)((char *)w -
	    offsetof(struct backlog, w));
	struct logstream *ls = bl->ls;
	ssize_t n;

	(void)loop;
	(void)revents;
	n = sys_write(ls->fd, bl->data.data, bl->data.len);
	if (n == -1 && errno == EAGAIN)
		return;
	if (n <= 0) {	/* gone for good: count the backlog as lost */
		logstream_failed(ls);
		ls->lost += bl->data.len;
		n = (ssize_t)bl->data.len;
	}
	buf_consume(&bl->data, (size_t)n);
	if (bl->data.len > 0)
		return;
	logstream_backlog_free(ls);
	logstream_pause(ls, false);
}

static void
logstream_write_raw(struct logstream *ls, const char *p, size_t n)
{
	if (n == 0)
		return;
	if (ls->fd == -1) {
		ls->lost += n;
		return;
	}
	if (ls->regular)
		logstream_write_file(ls, p, n);
	else
		logstream_write_stream(ls, p, n);
}

/* Rotate by renames (only of files that pass logfile.c's checks), or
 * with no backups truncate the open file -- never a path. */
static void
logstream_rotate(struct logstream *ls)
{
	char *cause = NULL;

	if (ls->backups <= 0) {
		if (ftruncate(ls->fd, 0) == -1)
			log_warn("program %s %s: truncating %s", ls->name,
			    ls->stream, logstream_file(ls));
		ls->size = ls->line_start = 0;
		return;
	}
	if (logfile_rotate(ls->fd, logstream_file(ls), ls->backups,
	    ls->owner, &cause) == -1) {
		/* Keep writing the file procd has open and checked. */
		if (!ls->rotate_warned)
			log_warnx("program %s %s: %s", ls->name, ls->stream,
			    cause != NULL ? cause : "rotation failed");
		free(cause);
		ls->rotate_warned = true;
		return;
	}
	ls->rotate_warned = false;
	logstream_open(ls);
}

/* Write a chunk, rotating first at a line boundary when it would overflow. */
static void
logstream_write(struct logstream *ls, const char *p, size_t n)
{
	const char *nl;

	(void)ring_write(&ls->ring, p, n);
	logstream_tell_taps(ls, p, n);
	if (!ls->regular || ls->maxbytes == 0 || ls->size + n <= ls->maxbytes) {
		logstream_write_raw(ls, p, n);
		return;
	}
	if ((nl = memrchr(p, '\n', n)) != NULL) {
		size_t head = (size_t)(nl - p) + 1;
		logstream_write_raw(ls, p, head);
		p += head;
		n -= head;
	} else if (!ls->at_bol) {
		/* Mid-line with no end in sight: finish the line first. */
		logstream_write_raw(ls, p, n);
		return;
	}
	if (ls->size > 0)
		logstream_rotate(ls);
	logstream_write_raw(ls, p, n);
}

/* Read one chunk; 1 = more may follow, 0 = empty for now, -1 = EOF. */
static int
logpipe_read_once(struct logpipe *lp)
{
	ssize_t n;

	n = sys_read(lp->w.fd, logpipe_buf, sizeof logpipe_buf);
	if (n > 0) {
		logstream_write(lp->ls, logpipe_buf, (size_t)n);
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

int
logstream_attach(struct logstream *ls, int fd)
{
	struct logpipe *lp = calloc(1, sizeof *lp);

	if (lp == NULL)
		return -1;
	(void)fcntl(fd, F_SETFL, O_NONBLOCK);
	lp->ls = ls;
	ev_io_init(&lp->w, logpipe_read_cb, fd, EV_READ);
	if (ls->backlog == NULL)	/* else it starts once drained */
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
}

void
logstream_set_config(struct logstream *ls, const struct logdest_config *dc)
{
	ls->path = dc->path;
	ls->owner = logfile_owner(dc->user);
	ls->maxbytes = dc->maxbytes;
	ls->backups = dc->backups;
}

int
logstream_clear(struct logstream *ls)
{
	ring_clear(&ls->ring);
	if (!ls->regular)
		return 0;
	if (ftruncate(ls->fd, 0) == -1)
		return -1;
	ls->size = ls->line_start = 0;
	ls->at_bol = true;
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
	return ls->lost;
}

const char *
logstream_path(const struct logstream *ls)
{
	return logstream_file(ls);
}

size_t
logstream_tail(const struct logstream *ls, char *out, size_t len)
{
	ssize_t n;
	off_t off;

	if (!ls->regular || ls->fd == -1)
		return ring_tail(&ls->ring, out, len);
	off = ls->size > len ? (off_t)(ls->size - len) : 0;
	do {
		n = pread(ls->fd, out, len, off);
	} while (n == -1 && errno == EINTR);
	return n > 0 ? (size_t)n : 0;
}
