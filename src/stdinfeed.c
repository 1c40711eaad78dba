/*
 * stdinfeed.c -- a program's stdin pipe, procd's end (stdinfeed.h).
 *
 * Writes never block: what the pipe cannot take now waits in a buffer
 * that an ev_io drains.  A reader that is gone (EPIPE; procd ignores
 * SIGPIPE) closes the feed for good, as supervisord's dispatcher does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <ev.h>

#include "buf.h"
#include "log.h"
#include "stdinfeed.h"
#include "sys.h"

struct stdinfeed {
	struct ev_loop	*loop;
	ev_io		 w;		/* armed while something waits */
	struct buf	 pending;
	int		 fd;		/* -1: closed (the reader went) */
};

static void	feed_cb(struct ev_loop *, ev_io *, int);

struct stdinfeed *
stdinfeed_new(struct ev_loop *loop, int fd)
{
	struct stdinfeed *f;
	int fl;

	if ((f = calloc(1, sizeof *f)) == NULL)
		fatal("calloc");
	f->loop = loop;
	f->fd = fd;
	buf_init(&f->pending);
	ev_io_init(&f->w, feed_cb, fd, EV_WRITE);
	f->w.data = f;
	/* On procd's end only: the child's end stays blocking, as
	 * supervisord's children have it. */
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1) {
		log_warn("stdin pipe: fcntl");
		close(fd);
		f->fd = -1;
	}
	return f;
}

static void
feed_close(struct stdinfeed *f)
{
	if (f->fd == -1)
		return;
	ev_io_stop(f->loop, &f->w);
	close(f->fd);
	f->fd = -1;
	buf_reset(&f->pending);
}

/* Write what waits; arm the watcher for the rest.  -1: the reader went. */
static int
feed_flush(struct stdinfeed *f)
{
	ssize_t n;

	if (f->pending.len == 0)
		return 0;
	n = sys_write_all(f->fd, f->pending.data, f->pending.len);
	if (n == -1) {
		feed_close(f);
		return -1;
	}
	buf_consume(&f->pending, (size_t)n);
	if (f->pending.len == 0) {
		ev_io_stop(f->loop, &f->w);
		/* Thousands of programs: keep no idle megabyte each. */
		buf_free(&f->pending);
		buf_init(&f->pending);
	}
	else if (!ev_is_active(&f->w))
		ev_io_start(f->loop, &f->w);
	return 0;
}

static void
feed_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	(void)feed_flush(w->data);
}

int
stdinfeed_write(struct stdinfeed *f, const char *data, size_t len)
{
	if (f->fd == -1) {
		errno = EPIPE;
		return -1;
	}
	if (len > STDINFEED_MAX - f->pending.len) {
		errno = ENOBUFS;
		return -1;
	}
	buf_add(&f->pending, data, len);
	if (feed_flush(f) == -1) {
		errno = EPIPE;
		return -1;
	}
	return 0;
}

void
stdinfeed_free(struct stdinfeed *f)
{
	if (f == NULL)
		return;
	feed_close(f);
	buf_free(&f->pending);
	free(f);
}

int
stdinfeed_fd(const struct stdinfeed *f)
{
	return f != NULL ? f->fd : -1;
}
