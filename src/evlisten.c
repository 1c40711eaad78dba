/*
 * evlisten.c -- one listener process (evint.h): the pipe procd writes its
 * events to (its stdin), the pipe procd reads the protocol from (its
 * stdout), and the event it is handling.
 *
 * Both pipes are non-blocking on procd's side.  A listener that does not
 * read its stdin costs a buffered envelope, never a blocked procd; one that
 * writes garbage is logged (escaped), stopped and started again, and its
 * event goes back to its pool.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "evint.h"
#include "log.h"
#include "rxstate.h"
#include "selfstat.h"
#include "sup.h"
#include "sys.h"
#include "textsafe.h"

/* Read this much per wake-up: a chatty listener cannot hold the loop. */
#define EVL_READ_CHUNK 4096

/* The longest wait before a listener that keeps breaking the protocol
 * is started again. */
#define EVL_RESTART_MAX 60
/* A listener that broke the protocol is stopped only this many seconds
 * later.  Many are scripts that print something, then end the supervisor
 * themselves (a signal to the pid in the pidfile: corpus 018); supervisord
 * never stops such a listener, so they rely on having the time.  It gets
 * no event meanwhile. */
#define EVL_GARBAGE_GRACE 1.

static void	evl_out_cb(struct ev_loop *, ev_io *, int);
static void	evl_in_cb(struct ev_loop *, ev_io *, int);
static void	evl_restart_cb(struct ev_loop *, ev_timer *, int);
static void	evl_grace_cb(struct ev_loop *, ev_timer *, int);

struct evl *
evl_new(struct process *p, struct evpool *pool)
{
	struct evl *l;

	if ((l = calloc(1, sizeof *l)) == NULL)
		fatal("calloc");
	l->p = p;
	l->pool = pool;
	l->in_fd = l->out_fd = l->child_in = l->child_out = -1;
	evproto_init(&l->proto);
	buf_init(&l->wbuf);
	ev_init(&l->in_w, evl_in_cb);
	ev_init(&l->out_w, evl_out_cb);
	ev_init(&l->restart_w, evl_restart_cb);
	ev_init(&l->grace_w, evl_grace_cb);
	l->in_w.data = l->out_w.data = l->restart_w.data = l->grace_w.data = l;
	return l;
}

static void
evl_close(int *fd)
{
	if (*fd != -1)
		close(*fd);
	*fd = -1;
}

/* Close procd's ends and stop watching them. */
static void
evl_close_ours(struct evl *l)
{
	ev_io_stop(evbus_loop, &l->in_w);
	ev_io_stop(evbus_loop, &l->out_w);
	evl_close(&l->in_fd);
	evl_close(&l->out_fd);
	buf_reset(&l->wbuf);
}

/* Its event goes back in front of its pool. */
static void
evl_give_back(struct evl *l)
{
	if (!l->busy)
		return;
	l->busy = false;
	log_debug("rebuffering event %llu for pool %s",
	    (unsigned long long)l->cur.ev->serial, l->pool->name);
	evbus_requeue(l->pool, l->cur);
}

void
evl_free(struct evl *l)
{
	evl_give_back(l);
	evl_close_ours(l);
	ev_timer_stop(evbus_loop, &l->restart_w);
	ev_timer_stop(evbus_loop, &l->grace_w);
	evl_close(&l->child_in);
	evl_close(&l->child_out);
	buf_free(&l->wbuf);
	free(l);
}

bool
evl_ready(const struct evl *l)
{
	return l->out_fd != -1 && l->in_fd != -1 && !l->busy &&
	    l->p->state == PROC_RUNNING && l->proto.state == EVPROTO_READY;
}

/* Write what is pending; watch for room when the pipe is full. */
static void
evl_flush(struct evl *l)
{
	ssize_t n;

	if (l->wbuf.len == 0 || l->in_fd == -1)
		return;
	n = sys_write_all(l->in_fd, l->wbuf.data, l->wbuf.len);
	if (n == -1) {
		/* EPIPE: it closed its stdin.  Its event stays with it
		 * until it answers or dies. */
		log_debug("listener %s: write: %s", sup_name(l->p),
		    strerror(errno));
		buf_reset(&l->wbuf);
		return;
	}
	buf_consume(&l->wbuf, (size_t)n);
	if (l->wbuf.len > 0)
		ev_io_start(evbus_loop, &l->in_w);
	else
		ev_io_stop(evbus_loop, &l->in_w);
}

static void
evl_in_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	evl_flush(w->data);
}

void
evl_send(struct evl *l, struct evitem it)
{
	l->cur = it;
	l->busy = true;
	evproto_sent(&l->proto);
	evbus_envelope(&l->wbuf, l->pool, &it);
	log_debug("event %llu sent to listener %s",
	    (unsigned long long)it.ev->serial, sup_name(l->p));
	evl_flush(l);
}

/* The instance whose pipes these are is the one running. */
static bool
evl_live(const struct evl *l)
{
	return l->pid != 0 && l->p->pid == l->pid &&
	    (l->p->state == PROC_RUNNING || l->p->state == PROC_STARTING);
}

/* It broke the protocol: say how, and start it again after its grace. */
static void
evl_garbage(struct evl *l)
{
	struct buf b;
	char raw[EVPROTO_WHY_MAX + 1];

	memcpy(raw, l->proto.why, l->proto.nwhy);
	raw[l->proto.nwhy] = '\0';
	for (size_t i = 0; i < l->proto.nwhy; i++)
		if (raw[i] == '\0')
			raw[i] = '?';	/* escaped below, but a C string */
	buf_init(&b);
	textsafe_escape(&b, raw);
	log_warnx("listener %s: broke the event protocol (got \"%s\"): "
	    "restarting it in %g s", sup_name(l->p),
	    b.data != NULL ? b.data : "", EVL_GARBAGE_GRACE);
	buf_free(&b);
	evl_give_back(l);
	/* Never from inside a spawn (evl_open reads what a dead instance
	 * left): that one is gone already. */
	if (evl_live(l)) {
		ev_timer_stop(evbus_loop, &l->grace_w);
		ev_timer_set(&l->grace_w, EVL_GARBAGE_GRACE, 0.);
		ev_timer_start(evbus_loop, &l->grace_w);
	}
}

/* Its grace is over: stop the offender, if it is still the one running
 * (one that ended by itself meanwhile is restarted as any program is). */
static void
evl_grace_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct evl *l = w->data;

	(void)loop;
	(void)revents;
	if (!evl_live(l) || l->proto.state != EVPROTO_UNKNOWN)
		return;
	l->restart = true;
	sup_stop(l->p);
}

/* What the protocol decided. */
static void
evl_verdict(struct evl *l, enum evproto_verdict v)
{
	switch (v) {
	case EVPROTO_GOT_READY:
		evbus_dispatch();	/* no loop pass between READY and send */
		break;
	case EVPROTO_GOT_OK:
		if (!l->busy)
			break;
		log_debug("listener %s: event %llu was processed",
		    sup_name(l->p), (unsigned long long)l->cur.ev->serial);
		l->busy = false;
		l->garbage = 0;		/* it speaks the protocol */
		selfstat.events_delivered++;
		evevent_unref(l->cur.ev);
		if (sup_shutting_down())
			evbus_kick();	/* a held listener may go now */
		break;
	case EVPROTO_GOT_FAIL:
		if (!l->busy)
			break;
		log_warnx("listener %s: event %llu was rejected",
		    sup_name(l->p), (unsigned long long)l->cur.ev->serial);
		evl_give_back(l);
		evbus_kick();
		break;
	case EVPROTO_GARBAGE:
		evl_garbage(l);
		break;
	case EVPROTO_MORE:
		break;
	}
}

/* What followed the bytes that broke the protocol, for its report. */
static void
evl_why_more(struct evl *l, const char *p, size_t n)
{
	size_t room = sizeof l->proto.why - l->proto.nwhy;

	if (n > room)
		n = room;
	memcpy(l->proto.why + l->proto.nwhy, p, n);
	l->proto.nwhy += n;
}

/* Feed N bytes to the protocol. */
static void
evl_take(struct evl *l, const char *p, size_t n)
{
	size_t used;

	while (n > 0) {
		enum evproto_verdict v = evproto_feed(&l->proto, p, n, &used);
		p += used;
		n -= used;
		if (v == EVPROTO_GARBAGE)
			evl_why_more(l, p, n);
		evl_verdict(l, v);
	}
}

/* One read: -1 when nothing more is to be had now (or ever). */
static int
evl_read(struct evl *l)
{
	char chunk[EVL_READ_CHUNK];
	ssize_t n;

	if (l->out_fd == -1)
		return -1;
	n = sys_read(l->out_fd, chunk, sizeof chunk);
	if (n > 0) {
		evl_take(l, chunk, (size_t)n);
		return 0;
	}
	if (n == -1 && errno == EAGAIN)
		return -1;
	if (n == -1)
		log_warn("listener %s: read", sup_name(l->p));
	ev_io_stop(evbus_loop, &l->out_w);	/* EOF: the exit is next */
	evl_close(&l->out_fd);
	return -1;
}

static void
evl_out_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	(void)evl_read(w->data);
}

void
evl_finish(struct evl *l)
{
	/* Its last answer may still be in the pipe. */
	for (int i = 0; i < 64 && evl_read(l) == 0; i++)
		;
	evl_give_back(l);
	evl_close_ours(l);
	ev_timer_stop(evbus_loop, &l->grace_w);
	evproto_init(&l->proto);
	evbus_kick();
}

/* A pipe for one direction; OURS is made non-blocking. */
static int
evl_pipe(int *ours, int *theirs, bool we_read, char *cause, size_t len)
{
	int fds[2];

	if (sys->pipe2(fds, O_CLOEXEC) == -1) {
		snprintf(cause, len, "pipe: %s", strerror(errno));
		return -1;
	}
	*ours = we_read ? fds[0] : fds[1];
	*theirs = we_read ? fds[1] : fds[0];
	if (fcntl(*ours, F_SETFL, O_NONBLOCK) == -1) {
		snprintf(cause, len, "fcntl: %s", strerror(errno));
		evl_close(ours);
		evl_close(theirs);
		return -1;
	}
	return 0;
}

int
evl_open(struct evl *l, int *in, int *out, char *cause, size_t len)
{
	if (l->in_fd != -1 || l->out_fd != -1)
		evl_finish(l);	/* respawned before its exit was told */
	if (evl_pipe(&l->in_fd, &l->child_in, false, cause, len) == -1)
		return -1;
	if (evl_pipe(&l->out_fd, &l->child_out, true, cause, len) == -1) {
		evl_close(&l->in_fd);
		evl_close(&l->child_in);
		return -1;
	}
	*in = l->child_in;
	*out = l->child_out;
	return 0;
}

void
evl_started(struct evl *l, bool ok)
{
	evl_close(&l->child_in);
	evl_close(&l->child_out);
	if (!ok) {
		evl_close_ours(l);
		return;
	}
	evproto_init(&l->proto);
	ev_io_set(&l->in_w, l->in_fd, EV_WRITE);
	ev_io_set(&l->out_w, l->out_fd, EV_READ);
	ev_io_start(evbus_loop, &l->out_w);
}

int
evl_carry(const struct evl *l, struct rxlistener *r)
{
	if (l->busy || l->wbuf.len > 0 || l->proto.nline > 0 ||
	    (l->proto.state != EVPROTO_ACKNOWLEDGED &&
	    l->proto.state != EVPROTO_READY))
		return -1;
	r->in_fd = l->in_fd;
	r->out_fd = l->out_fd;
	r->state = l->proto.state;
	r->garbage = l->garbage;
	return 0;
}

void
evl_resume(struct evl *l, const struct rxlistener *r)
{
	l->in_fd = r->in_fd;
	l->out_fd = r->out_fd;
	l->pid = l->p->pid;
	l->garbage = (unsigned)r->garbage;
	evproto_init(&l->proto);
	l->proto.state = (enum evproto_state)r->state;
	ev_io_set(&l->in_w, l->in_fd, EV_WRITE);
	ev_io_set(&l->out_w, l->out_fd, EV_READ);
	ev_io_start(evbus_loop, &l->out_w);
}

static void
evl_restart_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct evl *l = w->data;

	(void)loop;
	(void)revents;
	if (l->p->state == PROC_STOPPED)
		sup_start(l->p);
}

void
evl_restart_later(struct evl *l)
{
	unsigned shift = l->garbage < 6 ? l->garbage : 6;
	double delay = (double)(1U << shift) - 1.;

	l->restart = false;
	l->garbage++;
	if (delay > EVL_RESTART_MAX)
		delay = EVL_RESTART_MAX;
	ev_timer_stop(evbus_loop, &l->restart_w);
	ev_timer_set(&l->restart_w, delay, 0.);
	ev_timer_start(evbus_loop, &l->restart_w);
}
