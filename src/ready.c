/*
 * ready.c -- readiness probes for ready=fd:N, and for tcp:HOST:PORT,
 * http://HOST:PORT/PATH and exec:COMMAND through probe.c, the check
 * health= makes too (ready.h).
 *
 * A check is retried on a libev timer until it passes or the probe is
 * freed (the process left STARTING: ready, dead, or stopped by
 * ready_timeout, which proc.c keeps).  Nothing here blocks the loop but a
 * host name lookup, which is why the docs ask for addresses.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "config.h"
#include "log.h"
#include "probe.h"
#include "proc.h"
#include "ready.h"
#include "sys.h"

#define READY_NET_RETRY		0.2	/* s between connection attempts */
#define READY_NET_ATTEMPT	1	/* s one attempt may take */
#define READY_EXEC_RETRY	0.5	/* s after a failed check command */
#define READY_EXEC_LIMIT	10	/* s a check command may run */

struct ready_probe {
	struct ev_loop		*loop;
	struct process		*p;
	ready_done_fn		 done;
	ev_io			 io;	/* fd: the pipe */
	ev_timer		 timer;	/* the next try */
	struct probe		*check;	/* tcp, http, exec: the try running */
	struct addrinfo		*addrs;	/* tcp, http: looked up once */
	bool			 warned; /* a set-up failure was logged */
};

static const char *
ready_name(const struct ready_probe *rp)
{
	return rp->p->cfg->name;
}

static void
ready_close_io(struct ready_probe *rp)
{
	if (rp->io.fd == -1)
		return;
	ev_io_stop(rp->loop, &rp->io);
	close(rp->io.fd);
	rp->io.fd = -1;
}

static void
ready_retry(struct ready_probe *rp, double after)
{
	ev_timer_stop(rp->loop, &rp->timer);
	ev_timer_set(&rp->timer, after, 0.);
	ev_timer_start(rp->loop, &rp->timer);
}

/* The check passed: tell the caller, who frees RP. */
static void
ready_pass(struct ready_probe *rp)
{
	ready_close_io(rp);
	ev_timer_stop(rp->loop, &rp->timer);
	rp->done(rp->p);
}

/* ---- fd:N -- a newline on the pipe ---- */

static void
ready_fd_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ready_probe *rp = w->data;
	char buf[512];
	ssize_t n;

	(void)loop;
	(void)revents;
	n = sys_read(w->fd, buf, sizeof buf);
	if (n == -1 && errno == EAGAIN)
		return;
	if (n > 0 && memchr(buf, '\n', (size_t)n) != NULL) {
		ready_pass(rp);
		return;
	}
	if (n > 0)
		return;		/* some text, no newline yet */
	/* EOF or error: it will never say it; ready_timeout decides. */
	log_warnx("program %s: closed its readiness descriptor (fd:%d) "
	    "without writing a newline", ready_name(rp), rp->p->cfg->ready.fd);
	ready_close_io(rp);
}

/* ---- tcp:, http://, exec: -- one try at a time through probe.c ---- */

static void	ready_check_done(void *, enum probe_verdict, const char *);

static void
ready_check_try(struct ready_probe *rp)
{
	const struct program_config *cfg = rp->p->cfg;
	struct probe_args a = { cfg->ready.check,
	    cfg->ready.check->kind == CHECK_EXEC ? READY_EXEC_LIMIT :
	    READY_NET_ATTEMPT, NULL, cfg, &rp->addrs };

	rp->check = probe_run(rp->loop, &a, ready_check_done, rp);
}

/* From the loop, the probe already freed.  A failure is what a starting
 * program looks like (nothing listens yet): tried again.  One that says
 * the check cannot work (a name that does not resolve, a command that
 * cannot run) is logged, once per probe; so is a check command that
 * hangs, each time. */
static void
ready_check_done(void *arg, enum probe_verdict v, const char *why)
{
	struct ready_probe *rp = arg;
	bool exec = rp->p->cfg->ready.check->kind == CHECK_EXEC;

	rp->check = NULL;
	if (v == PROBE_PASS) {
		ready_pass(rp);
		return;
	}
	if (v == PROBE_BROKEN && !rp->warned) {
		rp->warned = true;
		log_warnx("program %s: readiness check: %s", ready_name(rp),
		    why);
	} else if (exec && v == PROBE_TIMEOUT)	/* a hung check: say so */
		log_warnx("program %s: readiness %s", ready_name(rp), why);
	ready_retry(rp, exec ? READY_EXEC_RETRY : READY_NET_RETRY);
}

/* ---- the probe ---- */

static void
ready_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	ready_check_try(w->data);
}

int
ready_probe_new(struct ev_loop *loop, struct process *p, ready_done_fn done,
    struct ready_probe **out, int *child_fd, char *cause, size_t len)
{
	struct ready_probe *rp;
	int fds[2] = { -1, -1 };

	*out = NULL;
	*child_fd = -1;
	switch (p->cfg->ready.kind) {
	case READY_STARTSECS:
	case READY_NOTIFY:
		return 0;
	case READY_FD:
		if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == -1) {
			snprintf(cause, len, "readiness pipe: %s",
			    strerror(errno));
			return -1;
		}
		/* The child's end blocks, as a program expects of a pipe. */
		(void)fcntl(fds[1], F_SETFL, 0);
		break;
	case READY_CHECK:
		break;
	}
	if ((rp = calloc(1, sizeof *rp)) == NULL)
		fatal("calloc");
	rp->loop = loop;
	rp->p = p;
	rp->done = done;
	ev_io_init(&rp->io, ready_fd_cb, fds[0], EV_READ);
	rp->io.data = rp;
	ev_init(&rp->timer, ready_timer_cb);
	rp->timer.data = rp;
	*out = rp;
	*child_fd = fds[1];
	return 0;
}

int
ready_probe_fd(const struct ready_probe *rp)
{
	return rp->p->cfg->ready.kind == READY_FD ? rp->io.fd : -1;
}

void
ready_probe_carried(struct ready_probe *rp, int fd)
{
	if (rp->io.fd != -1)
		close(rp->io.fd);
	ev_io_set(&rp->io, fd, EV_READ);
}

void
ready_probe_start(struct ready_probe *rp)
{
	switch (rp->p->cfg->ready.kind) {
	case READY_FD:
		ev_io_start(rp->loop, &rp->io);
		break;
	case READY_CHECK:
		ready_check_try(rp);
		break;
	case READY_STARTSECS:
	case READY_NOTIFY:
		break;
	}
}

void
ready_probe_free(struct ready_probe *rp)
{
	if (rp == NULL)
		return;
	probe_cancel(rp->check);	/* a check command is killed */
	ready_close_io(rp);
	ev_timer_stop(rp->loop, &rp->timer);
	if (rp->addrs != NULL)
		freeaddrinfo(rp->addrs);
	free(rp);
}
