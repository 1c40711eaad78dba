/*
 * logpipe.c -- from a program's pipes to its log (see logpipe.h).
 *
 * One read buffer is shared by every pipe: the loop is single-threaded and
 * each chunk is written out before the next read, so a quiet program costs
 * no buffer of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ev.h>

#include "config.h"
#include "log.h"
#include "logpipe.h"
#include "ring.h"
#include "rotate.h"

#define LOGPIPE_CHUNK	(64 * 1024)
/* Reads per drain: a dead writer left at most a pipe's worth behind. */
#define LOGPIPE_DRAIN_MAX 64
#define LOGPIPE_RING	(16 * 1024)

struct logpipe {
	ev_io		 w;
	struct logstream *ls;
	struct logpipe	*next;
};

struct logstream {
	struct ev_loop	*loop;
	char		*owner;		/* "web stdout", for messages */
	enum logdest_kind kind;
	char		*path;
	uint64_t	 maxbytes;
	int		 backups;
	int		 fd;		/* -1 when not open */
	bool		 regular;	/* a regular file: seekable, rotatable */
	bool		 at_bol;	/* last byte written was a newline */
	bool		 failing;	/* in a run of failed writes */
	uint64_t	 size;
	uint64_t	 lost;
	struct ring	 ring;		/* for tail when there is no file */
	struct logpipe	*pipes;
};

static char logpipe_buf[LOGPIPE_CHUNK];

struct logstream *
logstream_new(struct ev_loop *loop, const struct logdest_config *dc,
    const char *owner)
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
	ls->owner = strdup(owner);
	ls->path = dc->path != NULL ? strdup(dc->path) : NULL;
	ring_init(&ls->ring, ls->kind == LOGDEST_FILE ? 0 : LOGPIPE_RING);
	if (ls->owner == NULL || (dc->path != NULL && ls->path == NULL)) {
		logstream_free(ls);
		return NULL;
	}
	return ls;
}

static void
logstream_close_fd(struct logstream *ls)
{
	if (ls->fd > STDERR_FILENO)
		close(ls->fd);
	ls->fd = -1;
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
		ls->fd = STDOUT_FILENO;
		return 0;
	case LOGDEST_STDERR:
		ls->fd = STDERR_FILENO;
		return 0;
	case LOGDEST_FILE:
		break;
	}
	/* O_RDWR so tail can pread the file back. */
	fd = open(ls->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOCTTY | O_NONBLOCK, 0644);
	if (fd == -1) {
		log_warn("%s: cannot open log %s", ls->owner, ls->path);
		return -1;
	}
	logstream_close_fd(ls);
	ls->fd = fd;
	ls->regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	ls->size = ls->regular ? (uint64_t)st.st_size : 0;
	if (ls->regular)	/* O_NONBLOCK is for FIFOs and ttys only */
		(void)fcntl(fd, F_SETFL, O_APPEND);
	return 0;
}

static void
logpipe_close(struct logpipe *lp)
{
	ev_io_stop(lp->ls->loop, &lp->w);
	close(lp->w.fd);
	free(lp);
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
	logstream_close_fd(ls);
	ring_free(&ls->ring);
	free(ls->owner);
	free(ls->path);
	free(ls);
}

/* Write all of P, or count what could not be written as lost. */
static void
logstream_write_raw(struct logstream *ls, const char *p, size_t n)
{
	while (n > 0 && ls->fd != -1) {
		ssize_t w = write(ls->fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!ls->failing)
				log_warn("%s: writing log %s", ls->owner,
				    ls->path ? ls->path : "(stdio)");
			ls->failing = true;
			break;
		}
		if (ls->failing)
			log_info("%s: log writable again after %llu lost "
			    "bytes", ls->owner,
			    (unsigned long long)ls->lost);
		ls->failing = false;
		ls->size += (uint64_t)w;
		ls->at_bol = p[w - 1] == '\n';
		p += w;
		n -= (size_t)w;
	}
	ls->lost += n;
}

static void
logstream_rotate(struct logstream *ls)
{
	if (rotate_files(ls->path, ls->backups) == -1)
		log_warn("%s: rotating %s", ls->owner, ls->path);
	if (ls->backups <= 0 && ftruncate(ls->fd, 0) == -1)
		log_warn("%s: truncating %s", ls->owner, ls->path);
	if (ls->backups <= 0) {
		ls->size = 0;
		return;
	}
	logstream_open(ls);
}

static const char *
last_newline(const char *p, size_t n)
{
	return memrchr(p, '\n', n);
}

/* Write a chunk, rotating first at a line boundary when it would overflow. */
static void
logstream_write(struct logstream *ls, const char *p, size_t n)
{
	const char *nl;

	(void)ring_write(&ls->ring, p, n);
	if (!ls->regular || ls->maxbytes == 0 || ls->size + n <= ls->maxbytes) {
		logstream_write_raw(ls, p, n);
		return;
	}
	if ((nl = last_newline(p, n)) != NULL) {
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

	do {
		n = read(lp->w.fd, logpipe_buf, sizeof logpipe_buf);
	} while (n == -1 && errno == EINTR);
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
logstream_set_limits(struct logstream *ls, const struct logdest_config *dc)
{
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
	ls->size = 0;
	ls->at_bol = true;
	return 0;
}

uint64_t
logstream_lost(const struct logstream *ls)
{
	return ls->lost;
}

const char *
logstream_path(const struct logstream *ls)
{
	return ls->path;
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
