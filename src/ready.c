/*
 * ready.c -- readiness probes for ready=fd:N, tcp:HOST:PORT and
 * exec:COMMAND (ready.h).
 *
 * Each check is retried on a libev timer until it passes or the probe is
 * freed (the process left STARTING: ready, dead, or stopped by
 * ready_timeout, which proc.c keeps).  Nothing here blocks the loop but a
 * tcp: host name lookup, which is why the docs ask for addresses.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ev.h>

#include "config.h"
#include "log.h"
#include "proc.h"
#include "ready.h"
#include "spawn.h"
#include "sys.h"

extern char **environ;

#define READY_TCP_RETRY		0.2	/* s between connection attempts */
#define READY_TCP_ATTEMPT	1.0	/* s one attempt may take */
#define READY_EXEC_RETRY	0.5	/* s after a failed check command */
#define READY_EXEC_LIMIT	10.0	/* s a check command may run */

struct ready_probe {
	struct ev_loop		*loop;
	struct process		*p;
	ready_done_fn		 done;
	ev_io			 io;	/* fd: the pipe; tcp: a connect;
					   exec: the check's status pipe */
	ev_timer		 timer;	/* the next try, or a try's limit */
	pid_t			 check;	/* exec: the command running */
	struct addrinfo		*ai;	/* tcp: resolved once */
	struct addrinfo		*cur;	/* tcp: the address tried now */
	bool			 warned; /* a set-up failure was logged */
	struct ready_probe	*next;	/* every live probe */
};

static struct ready_probe *probes;

static const char *
ready_name(const struct ready_probe *rp)
{
	return rp->p->cfg->name;
}

/* Log a failure to set a check up once per probe, not once per try. */
static void
ready_warn_once(struct ready_probe *rp, const char *what, const char *why)
{
	if (rp->warned)
		return;
	rp->warned = true;
	log_warnx("program %s: readiness check: %s: %s", ready_name(rp), what,
	    why);
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

/* ---- tcp:HOST:PORT -- a connection is accepted ---- */

static int
ready_tcp_resolve(struct ready_probe *rp)
{
	const struct ready_config *rc = &rp->p->cfg->ready;
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
	    .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
	int r;

	if (rp->ai != NULL)
		return 0;
	if ((r = getaddrinfo(rc->host, rc->port, &hints, &rp->ai)) != 0) {
		ready_warn_once(rp, rc->host, gai_strerror(r));
		rp->ai = NULL;
		return -1;
	}
	rp->cur = rp->ai;
	return 0;
}

/*
 * This address failed: the next one at once, or after a pause once all
 * were tried -- "localhost" is often ::1 first while the program listens
 * on 127.0.0.1 only.
 */
static void
ready_tcp_failed(struct ready_probe *rp)
{
	ready_close_io(rp);
	if ((rp->cur = rp->cur->ai_next) != NULL) {
		ready_retry(rp, 0.);
		return;
	}
	rp->cur = rp->ai;
	ready_retry(rp, READY_TCP_RETRY);
}

static void
ready_tcp_done_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ready_probe *rp = w->data;
	int err = 0;
	socklen_t len = sizeof err;

	(void)loop;
	(void)revents;
	if (getsockopt(w->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err == 0) {
		ready_pass(rp);
		return;
	}
	ready_tcp_failed(rp);
}

static void
ready_tcp_try(struct ready_probe *rp)
{
	struct addrinfo *ai;
	int fd;

	if (rp->io.fd != -1) {		/* an attempt that took too long */
		ready_tcp_failed(rp);
		return;
	}
	if (ready_tcp_resolve(rp) == -1) {
		ready_retry(rp, READY_TCP_RETRY);
		return;
	}
	ai = rp->cur;
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1) {
		ready_warn_once(rp, "socket", strerror(errno));
		ready_tcp_failed(rp);
		return;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
		close(fd);
		ready_pass(rp);
		return;
	}
	if (errno != EINPROGRESS && errno != EINTR) {
		close(fd);
		ready_tcp_failed(rp);
		return;
	}
	ev_io_init(&rp->io, ready_tcp_done_cb, fd, EV_WRITE);
	rp->io.data = rp;
	ev_io_start(rp->loop, &rp->io);
	ready_retry(rp, READY_TCP_ATTEMPT);
}

/* ---- exec:COMMAND -- /bin/sh -c COMMAND exits 0 ---- */

/* The check as a program: /bin/sh -c COMMAND with CFG's user, directory
 * and environment.  ARGV (four slots) becomes its argv. */
static struct program_config
ready_exec_config(const struct program_config *cfg, char *argv[4])
{
	static char shell[] = "/bin/sh", dashc[] = "-c";
	struct program_config sh = *cfg;

	argv[0] = shell;
	argv[1] = dashc;
	argv[2] = cfg->ready.command;
	argv[3] = NULL;
	sh.argv = argv;
	return sh;
}

/* The check command's exec-status pipe: say (once) why it could not run. */
static void
ready_exec_status_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ready_probe *rp = w->data;
	char *argv[4], cause[PROC_SPAWNERR_LEN];
	struct program_config sh = ready_exec_config(rp->p->cfg, argv);
	int r;

	(void)loop;
	(void)revents;
	if ((r = spawn_read_status(w->fd, &sh, cause, sizeof cause)) == -1)
		return;		/* nothing yet */
	if (r == 1)
		ready_warn_once(rp, "exec", cause);
	ready_close_io(rp);
}

static void
ready_exec_try(struct ready_probe *rp)
{
	char *argv[4], cause[PROC_SPAWNERR_LEN];
	struct program_config sh = ready_exec_config(rp->p->cfg, argv);
	struct spawn_fds fds = { -1, -1, -1, -1, -1, NULL, 0 };
	struct spawn_plan plan;
	int status_fd, r;

	ready_close_io(rp);	/* the last try's report, if still unread */
	/* The program's user, directory and environment; no output. */
	if (spawn_plan(&plan, &sh, environ, NULL, cause, sizeof cause) ==
	    -1) {
		ready_warn_once(rp, "exec", cause);
		ready_retry(rp, READY_EXEC_RETRY);
		return;
	}
	r = spawn_run(&plan, &fds, &rp->check, &status_fd, cause,
	    sizeof cause);
	spawn_plan_free(&plan);
	if (r == -1) {
		ready_warn_once(rp, "exec", cause);
		ready_retry(rp, READY_EXEC_RETRY);
		return;
	}
	/* Whether it exec'd comes on the status pipe: watch it, rather than
	 * count on spawn's vfork having let the child get that far already. */
	ev_io_init(&rp->io, ready_exec_status_cb, status_fd, EV_READ);
	rp->io.data = rp;
	ev_io_start(rp->loop, &rp->io);
	ready_retry(rp, READY_EXEC_LIMIT);
}

/* A check command ran over its limit: it failed. */
static void
ready_exec_kill(struct ready_probe *rp)
{
	if (rp->check <= 0)
		return;
	/* Its own process group (spawn.c): whatever it started goes too.
	 * It is reaped later as an orphan. */
	if (kill(-rp->check, SIGKILL) == -1 && errno != ESRCH)
		log_warn("program %s: kill readiness check", ready_name(rp));
	rp->check = 0;
}

bool
ready_probe_reaped(pid_t pid, int wstatus)
{
	struct ready_probe *rp;

	for (rp = probes; rp != NULL; rp = rp->next)
		if (rp->check == pid)
			break;
	if (rp == NULL)
		return false;
	rp->check = 0;
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
		ready_pass(rp);
	else
		ready_retry(rp, READY_EXEC_RETRY);
	return true;
}

/* ---- the probe ---- */

static void
ready_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ready_probe *rp = w->data;

	(void)loop;
	(void)revents;
	switch (rp->p->cfg->ready.kind) {
	case READY_TCP:
		ready_tcp_try(rp);
		break;
	case READY_EXEC:
		if (rp->check > 0) {
			log_warnx("program %s: readiness check still running "
			    "after %.0f s: killed", ready_name(rp),
			    READY_EXEC_LIMIT);
			ready_exec_kill(rp);
			ready_retry(rp, READY_EXEC_RETRY);
		} else
			ready_exec_try(rp);
		break;
	case READY_STARTSECS:
	case READY_NOTIFY:
	case READY_FD:
		break;
	}
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
	case READY_TCP:
	case READY_EXEC:
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
	rp->next = probes;
	probes = rp;
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
	case READY_TCP:
		ready_tcp_try(rp);
		break;
	case READY_EXEC:
		ready_exec_try(rp);
		break;
	case READY_STARTSECS:
	case READY_NOTIFY:
		break;
	}
}

void
ready_probe_free(struct ready_probe *rp)
{
	struct ready_probe **pp;

	if (rp == NULL)
		return;
	for (pp = &probes; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == rp) {
			*pp = rp->next;
			break;
		}
	}
	ready_exec_kill(rp);
	ready_close_io(rp);
	ev_timer_stop(rp->loop, &rp->timer);
	if (rp->ai != NULL)
		freeaddrinfo(rp->ai);
	free(rp);
}
