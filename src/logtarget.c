/*
 * logtarget.c -- procd's own stdout or stderr as a program's log target
 * (lsint.h): opened anew as non-blocking (or, a socket, sent to with
 * MSG_DONTWAIT), never written blocking on the loop.  What the target
 * cannot take now waits in a backlog, and the program's pipes are not
 * read until it drains, so nothing is lost (back-pressure).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ev.h>

#include "buf.h"
#include "log.h"
#include "logfile.h"
#include "lsint.h"
#include "sys.h"

static void	logstream_out_cb(struct ev_loop *, ev_io *, int);
static void	logstream_backlog_watch(struct logstream *);

/* A backlog kept across a reopen (SIGUSR2) goes to the new target. */
void
logstream_reopened(struct logstream *ls)
{
	if (ls->io->backlog != NULL && ls->io->fd != -1)
		logstream_backlog_watch(ls);
}

bool
logstream_backlogged(const struct logstream *ls)
{
	return ls->io != NULL && ls->io->backlog != NULL;
}

void
logstream_close_fd(struct logstream *ls)
{
	if (ls->io == NULL)
		return;
	if (ls->io->backlog != NULL)
		ev_io_stop(ls->loop, &ls->io->backlog->w);
	if (ls->io->own_fd && ls->io->fd != -1)
		close(ls->io->fd);
	ls->io->fd = -1;
	ls->io->own_fd = ls->io->sock = false;
}

/* procd's own stdout or stderr, never blocking (logfile_open_stdio);
 * if even that fails, the shared descriptor as it is. */
void
logstream_open_stdio(struct logstream *ls, int which)
{
	int fd = logfile_open_stdio(which, &ls->io->sock);

	ls->io->own_fd = fd != -1;
	ls->io->fd = fd != -1 ? fd : which;
}

void
logstream_backlog_free(struct logstream *ls)
{
	if (ls->io == NULL || ls->io->backlog == NULL)
		return;
	ev_io_stop(ls->loop, &ls->io->backlog->w);
	buf_free(&ls->io->backlog->data);
	free(ls->io->backlog);
	ls->io->backlog = NULL;
}

void
logstream_flush_pending(struct logstream *ls)
{
	if (ls->io != NULL && ls->io->backlog != NULL && ls->io->fd != -1)
		(void)!write(ls->io->fd, ls->io->backlog->data.data,
		    ls->io->backlog->data.len);
	logstream_backlog_free(ls);
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

/* Wait for the target to take the backlog again. */
static void
logstream_backlog_watch(struct logstream *ls)
{
	ev_io_stop(ls->loop, &ls->io->backlog->w);
	ev_io_set(&ls->io->backlog->w, ls->io->fd, EV_WRITE);
	ev_io_start(ls->loop, &ls->io->backlog->w);
}

/* Start a backlog with P: stop reading the program until it is gone. */
static void
logstream_backlog_new(struct logstream *ls, const char *p, size_t n)
{
	if ((ls->io->backlog = calloc(1, sizeof *ls->io->backlog)) == NULL)
		fatal("calloc");
	buf_init(&ls->io->backlog->data);
	buf_add(&ls->io->backlog->data, p, n);
	ls->io->backlog->ls = ls;
	ev_init(&ls->io->backlog->w, logstream_out_cb);
	logstream_backlog_watch(ls);
	logstream_pause(ls, true);
}

/* Write to a non-blocking target; what it cannot take now waits. */
static void
logstream_write_stream(struct logstream *ls, const char *p, size_t n)
{
	size_t done;
	ssize_t w;

	if (ls->io->backlog != NULL) {
		buf_add(&ls->io->backlog->data, p, n);
		return;
	}
	w = ls->io->sock ? sys_send_all_nb(ls->io->fd, p, n) :
	    sys_write_all(ls->io->fd, p, n);
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
	n = ls->io->sock ? sys_sendto(ls->io->fd, bl->data.data, bl->data.len,
	    MSG_DONTWAIT | MSG_NOSIGNAL, NULL, 0) :
	    sys_write(ls->io->fd, bl->data.data, bl->data.len);
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

void
logstream_write_raw(struct logstream *ls, const char *p, size_t n)
{
	if (n == 0)
		return;
	if (ls->io->fd == -1) {
		ls->lost += n;
		return;
	}
	logstream_write_stream(ls, p, n);
}
