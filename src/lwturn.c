/*
 * lwturn.c -- a writer's turn with one sink (lwint.h): open, write whole
 * lines, rotate by size, cut a torn line, truncate -- the file I/O that may
 * block, which is why it runs on a writer thread and never on the loop.
 * Only the swap of the descriptor is done under the lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "logfile.h"
#include "lwint.h"
#include "sys.h"

static void __attribute__((format(printf, 2, 3)))
lw_note(char **note, const char *fmt, ...)
{
	va_list ap;

	if (*note != NULL)	/* one message per turn is plenty */
		return;
	va_start(ap, fmt);
	if (vasprintf(note, fmt, ap) == -1)
		*note = NULL;
	va_end(ap);
}

/* A writer's open of S's file; the old one is closed only after. */
static void
lw_open(struct lwsink *s, char **note)
{
	char *cause = NULL;
	struct stat st;
	bool regular;
	int fd, old;

	s->tried_open = lw_now();
	fd = logfile_open(s->path, s->excl ? LOGFILE_CREATE : LOGFILE_APPEND,
	    s->owner, &cause);
	if (fd == -1 && s->fd != -1) {
		/* A reopen refused (a symlink planted, say): the file opened
		 * and checked before is still safe to write, and nothing is
		 * lost -- procd's own log says so in it. */
		lw_note(note, "%s: cannot reopen log: %s; still writing the "
		    "file opened before", s->label, cause != NULL ? cause :
		    "failed");
		free(cause);
		return;
	}
	if (fd == -1 && !s->open_failed)
		lw_note(note, "%s: cannot open log: %s; its output is counted "
		    "as lost", s->label, cause != NULL ? cause : "failed");
	free(cause);
	s->open_failed = fd == -1;
	s->size = s->line_start = 0;
	s->at_bol = true;
	s->rot_failed = false;
	if (fd != -1) {
		off_t end = lseek(fd, 0, SEEK_END);
		s->size = s->line_start = end > 0 ? (uint64_t)end : 0;
	}
	/* fstat before the lock: on hung storage it may wait, and the loop
	 * takes the lock. */
	regular = fd != -1 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	pthread_mutex_lock(&lw.mu);
	old = s->fd;
	s->fd = fd;
	s->regular = regular;
	if (regular) {
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	if (fd != -1)
		s->excl = false;
	pthread_mutex_unlock(&lw.mu);
	if (old != -1)
		close(old);
}

/* Size-based rotation (renames of checked files), or with no backups a
 * truncation of the open file -- never of a path. */
static void
lw_rotate(struct lwsink *s, char **note)
{
	char *cause = NULL;

	if (s->backups <= 0) {
		if (ftruncate(s->fd, 0) == -1)
			lw_note(note, "%s: truncating %s: %s", s->label,
			    s->path, strerror(errno));
		s->size = s->line_start = 0;
		return;
	}
	if (logfile_rotate(s->fd, s->path, s->backups, s->owner, &cause)
	    == -1) {
		/* Keep writing the file procd has open and checked. */
		lw_note(note, "%s: %s", s->label, cause != NULL ? cause :
		    "rotation failed");
		free(cause);
		s->rot_failed = true;
		return;
	}
	lw_open(s, note);
}

/* The file's last line lost its end (dropped): cut it off. */
static uint64_t
lw_untear(struct lwsink *s)
{
	uint64_t torn = s->size - s->line_start;

	if (torn == 0 || !s->regular || ftruncate(s->fd, (off_t)s->line_start)
	    == -1)
		return 0;
	s->size = s->line_start;
	s->at_bol = true;
	return torn;
}

/* How much of P (N bytes) to write before rotating: all, or up to a
 * newline that still fits, or 0 to rotate first. */
static size_t
lw_before_rotation(struct lwsink *s, const char *p, size_t n)
{
	const char *nl;
	size_t fit;

	if (!s->regular || s->maxbytes == 0 || s->rot_failed ||
	    s->size + n <= s->maxbytes)
		return n;
	if (!s->at_bol) {	/* first the end of the line begun */
		nl = memchr(p, '\n', n);
		return nl != NULL ? (size_t)(nl - p) + 1 : n;
	}
	fit = s->maxbytes > s->size ? (size_t)(s->maxbytes - s->size) : 0;
	if (fit > n)
		fit = n;
	if ((nl = fit > 0 ? memrchr(p, '\n', fit) : NULL) != NULL)
		return (size_t)(nl - p) + 1;
	if (s->size > 0)
		return 0;	/* rotate first */
	/* An empty file and a line longer than maxbytes: that line alone,
	 * whole (a rotation would not make it fit). */
	nl = memchr(p, '\n', n);
	return nl != NULL ? (size_t)(nl - p) + 1 : n;
}

/* Write all of P; for a FIFO, wait a little when it is full.  Returns
 * what went out; *ERR the errno that stopped it. */
static size_t
lw_write_out(struct lwsink *s, const char *p, size_t n, int *err)
{
	size_t done = 0;
	ssize_t w;

	*err = 0;
	while (done < n) {
		w = sys_write(s->fd, p + done, n - done);
		if (w > 0) {
			done += (size_t)w;
			continue;
		}
		*err = w == -1 ? errno : EIO;
		if (*err == EAGAIN && !s->regular && poll(&(struct pollfd){
		    .fd = s->fd, .events = POLLOUT }, 1, LW_FIFO_WAIT_MS) > 0)
			continue;
		break;
	}
	return done;
}

static void
lw_advance(struct lwsink *s, const char *p, size_t n)
{
	const char *nl;

	if (n == 0)
		return;
	s->size += n;
	if ((nl = memrchr(p, '\n', n)) != NULL)
		s->line_start = s->size - (uint64_t)(p + n - nl - 1);
	s->at_bol = p[n - 1] == '\n';
}

/* Write BATCH, rotating at line boundaries.  What a full FIFO did not
 * take is left in BATCH; what failed is counted in *LOST. */
static void
lw_write(struct lwsink *s, struct buf *batch, uint64_t *lost, char **note,
    bool *wrote)
{
	const char *p = batch->data, *nl;
	size_t n = batch->len, chunk, done;
	int err;

	if (s->w_skip) {
		nl = memchr(p, '\n', n);
		chunk = nl != NULL ? (size_t)(nl - p) + 1 : n;
		s->w_skip = nl == NULL;
		*lost += chunk;
		p += chunk;
		n -= chunk;
	}
	while (n > 0) {
		if ((chunk = lw_before_rotation(s, p, n)) == 0) {
			lw_rotate(s, note);
			if (s->fd == -1)
				break;
			continue;
		}
		done = lw_write_out(s, p, chunk, &err);
		lw_advance(s, p, done);
		*wrote = *wrote || done > 0;
		p += done;
		n -= done;
		if (done == chunk)
			continue;
		if (err == EAGAIN && !s->regular)
			break;		/* the rest waits in the backlog */
		if (!s->failing)
			lw_note(note, "%s: writing log %s: %s", s->label,
			    s->path, strerror(err));
		s->failing = true;
		*lost += lw_untear(s) + n;
		s->w_skip = p[n - 1] != '\n';
		n = 0;
	}
	if (s->fd == -1) {	/* the reopen after a rotation failed */
		*lost += n;
		n = 0;
	}
	buf_consume(batch, batch->len - n);
}

void
lw_turn(struct lwsink *s, bool reopen, bool clear, bool torn,
    struct buf *batch, uint64_t *lost, char **note, bool *wrote)
{
	if (reopen || (s->fd == -1 && batch->len > 0 &&
	    lw_now() - s->tried_open >= LW_RETRY_MS))
		lw_open(s, note);
	if (torn)
		*lost += lw_untear(s);
	if (clear && s->fd != -1 && s->regular) {
		if (ftruncate(s->fd, 0) == 0)
			s->size = s->line_start = 0;
		s->at_bol = true;
	}
	if (s->fd == -1) {
		*lost += batch->len;
		buf_reset(batch);
		return;
	}
	if (batch->len > 0)
		lw_write(s, batch, lost, note, wrote);
	if (*wrote && batch->len == 0)
		s->failing = false;
}
