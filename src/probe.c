/*
 * probe.c -- one health check, from start to verdict (probe.h).
 *
 * A probe is a small state machine on the loop: connect (each address a
 * name resolves to, in turn), then for http:// send the request and read
 * as far as the status code; or spawn the check command and wait for its
 * exit, which sup_reap hands over (probe_reaped).  One timer bounds it
 * all (health_timeout); the same timer, set to 0 s, delivers the verdict,
 * so the caller hears of it from the loop and never from inside
 * probe_run().  A probe copies what it needs of the config at the start:
 * an update may replace the config while a check runs.
 */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ev.h>

#include "buf.h"
#include "config.h"
#include "httpstat.h"
#include "log.h"
#include "probe.h"
#include "spawn.h"
#include "sys.h"
#include "textsafe.h"

extern char **environ;

#define PROBE_WHY 200

struct probe {
	struct ev_loop		*loop;
	probe_done_fn		 done;
	void			*arg;
	enum health_kind	 kind;
	int			 timeout;	/* s */
	ev_io			 io;	/* the socket, or the exec-status pipe */
	ev_timer		 timer;	/* the limit; 0 s once decided */
	bool			 decided, ok;
	char			 why[PROBE_WHY];
	/* tcp, http: */
	struct addrinfo		*ai, *cur;
	char			 target[128];	/* HOST:PORT, for messages */
	int			 lasterr;	/* of the last address tried */
	char			 req[1024];
	size_t			 reqlen, reqoff;
	char			 resp[HTTPSTAT_DECIDES];
	size_t			 resplen;
	/* exec: */
	pid_t			 check;
	char			*directory;	/* for spawn_read_status */
	char			 execerr[PROBE_WHY];
	struct probe		*next;	/* every live probe */
};

static struct probe *probes;

static void
probe_close_io(struct probe *pr)
{
	if (pr->io.fd == -1)
		return;
	ev_io_stop(pr->loop, &pr->io);
	close(pr->io.fd);
	pr->io.fd = -1;
}

/* Kill a check command that still runs, with whatever it started (its
 * own process group, spawn.c); sup_reap reaps it as an orphan. */
static void
probe_kill(struct probe *pr)
{
	if (pr->check <= 0)
		return;
	if (kill(-pr->check, SIGKILL) == -1 && errno != ESRCH)
		log_warn("health check command pid %ld: kill",
		    (long)pr->check);
	pr->check = 0;
}

/* The verdict is in: keep it, let go of the means, deliver from the loop. */
static void __attribute__((format(printf, 3, 4)))
probe_decide(struct probe *pr, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (pr->decided)
		return;
	pr->decided = true;
	pr->ok = ok;
	va_start(ap, fmt);
	vsnprintf(pr->why, sizeof pr->why, fmt, ap);
	va_end(ap);
	probe_close_io(pr);
	ev_timer_stop(pr->loop, &pr->timer);
	ev_timer_set(&pr->timer, 0., 0.);
	ev_timer_start(pr->loop, &pr->timer);
}

static void
probe_free(struct probe *pr)
{
	struct probe **pp;

	for (pp = &probes; *pp != NULL; pp = &(*pp)->next)
		if (*pp == pr) {
			*pp = pr->next;
			break;
		}
	probe_kill(pr);
	probe_close_io(pr);
	ev_timer_stop(pr->loop, &pr->timer);
	if (pr->ai != NULL)
		freeaddrinfo(pr->ai);
	free(pr->directory);
	free(pr);
}

void
probe_cancel(struct probe *pr)
{
	if (pr != NULL)
		probe_free(pr);
}

static void
probe_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct probe *pr = w->data;
	char why[PROBE_WHY];
	probe_done_fn done;
	void *arg;
	bool ok;

	(void)loop;
	(void)revents;
	if (!pr->decided) {
		if (pr->check > 0)
			probe_decide(pr, false, "check command still running "
			    "after %d s (health_timeout): killed",
			    pr->timeout);
		else
			probe_decide(pr, false, "no answer from %s within %d s "
			    "(health_timeout)", pr->target, pr->timeout);
		probe_kill(pr);
		return;		/* delivered on the next pass */
	}
	done = pr->done;
	arg = pr->arg;
	ok = pr->ok;
	memcpy(why, pr->why, sizeof why);
	probe_free(pr);
	done(arg, ok, why);
}

/* ---- http:// -- the request out, the status line in ---- */

/* What came instead of a status line, escaped: the program chose it. */
static void
probe_not_http(struct probe *pr)
{
	char raw[sizeof pr->resp + 1];
	struct buf b;

	memcpy(raw, pr->resp, pr->resplen);
	raw[pr->resplen] = '\0';
	buf_init(&b);
	textsafe_escape(&b, raw);
	buf_add(&b, "", 1);
	probe_decide(pr, false, "%s: not an HTTP response: \"%s\"",
	    pr->target, b.data);
	buf_free(&b);
}

static void
probe_recv_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct probe *pr = w->data;
	ssize_t n;
	int code = 0, r;

	(void)loop;
	(void)revents;
	n = sys_read(w->fd, pr->resp + pr->resplen,
	    sizeof pr->resp - pr->resplen);
	if (n == -1 && errno == EAGAIN)
		return;
	if (n == -1) {
		probe_decide(pr, false, "%s: receive: %s", pr->target,
		    strerror(errno));
		return;
	}
	if (n == 0) {
		probe_decide(pr, false, "%s: connection closed before a "
		    "status line", pr->target);
		return;
	}
	pr->resplen += (size_t)n;
	if ((r = httpstat_parse(pr->resp, pr->resplen, &code)) == 0)
		return;
	if (r == -1)
		probe_not_http(pr);
	else
		probe_decide(pr, code >= 200 && code <= 299, "HTTP status %d",
		    code);
}

static void
probe_send_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct probe *pr = w->data;
	ssize_t n;

	(void)revents;
	/* MSG_NOSIGNAL: a server that closed at once is a failed check,
	 * not a SIGPIPE. */
	n = sys_sendto(w->fd, pr->req + pr->reqoff, pr->reqlen - pr->reqoff,
	    MSG_NOSIGNAL, NULL, 0);
	if (n == -1 && errno == EAGAIN)
		return;
	if (n == -1) {
		probe_decide(pr, false, "%s: send: %s", pr->target,
		    strerror(errno));
		return;
	}
	if ((pr->reqoff += (size_t)n) < pr->reqlen)
		return;
	ev_io_stop(loop, w);
	ev_io_set(w, w->fd, EV_READ);
	ev_set_cb(w, probe_recv_cb);
	ev_io_start(loop, w);
}

/* ---- tcp:, and the connection of http:// ---- */

static void	probe_connect(struct probe *);

static void
probe_connected(struct probe *pr)
{
	if (pr->kind == HEALTH_TCP) {
		probe_decide(pr, true, "%s accepted a connection",
		    pr->target);
		return;
	}
	ev_io_stop(pr->loop, &pr->io);
	ev_io_set(&pr->io, pr->io.fd, EV_WRITE);
	ev_set_cb(&pr->io, probe_send_cb);
	ev_io_start(pr->loop, &pr->io);
}

static void
probe_connect_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct probe *pr = w->data;
	int err = 0;
	socklen_t len = sizeof err;

	(void)loop;
	(void)revents;
	if (getsockopt(w->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err == 0) {
		probe_connected(pr);
		return;
	}
	pr->lasterr = err;
	probe_close_io(pr);
	pr->cur = pr->cur->ai_next;
	probe_connect(pr);
}

/* Try the addresses from pr->cur on: "localhost" may be ::1 first while
 * the program listens on 127.0.0.1 only. */
static void
probe_connect(struct probe *pr)
{
	int fd;

	for (; pr->cur != NULL; pr->cur = pr->cur->ai_next) {
		struct addrinfo *ai = pr->cur;
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			pr->lasterr = errno;
			continue;
		}
		ev_io_init(&pr->io, probe_connect_cb, fd, EV_WRITE);
		pr->io.data = pr;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			probe_connected(pr);
			return;
		}
		if (errno == EINPROGRESS || errno == EINTR) {
			ev_io_start(pr->loop, &pr->io);
			return;
		}
		pr->lasterr = errno;
		close(fd);
		pr->io.fd = -1;
	}
	probe_decide(pr, false, "connect to %s: %s", pr->target,
	    strerror(pr->lasterr));
}

static void
probe_net(struct probe *pr, const struct health_config *h)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
	    .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
	int r;

	snprintf(pr->target, sizeof pr->target, "%s%s%s:%s",
	    strchr(h->host, ':') != NULL ? "[" : "", h->host,
	    strchr(h->host, ':') != NULL ? "]" : "", h->port);
	if (h->kind == HEALTH_HTTP) {
		int n = httpstat_request(pr->req, sizeof pr->req,
		    h->authority, h->path);
		if (n == -1) {
			probe_decide(pr, false, "the request for %s is too "
			    "long", h->path);
			return;
		}
		pr->reqlen = (size_t)n;
	}
	if ((r = getaddrinfo(h->host, h->port, &hints, &pr->ai)) != 0) {
		pr->ai = NULL;
		probe_decide(pr, false, "%s: %s", h->host, gai_strerror(r));
		return;
	}
	pr->cur = pr->ai;
	pr->lasterr = ECONNREFUSED;
	probe_connect(pr);
}

/* ---- exec: -- /bin/sh -c COMMAND exits 0 ---- */

/* The check as a program: /bin/sh -c COMMAND as CFG (user, directory,
 * environment); ARGV (four slots) becomes its argv. */
static struct program_config
probe_exec_config(const struct program_config *cfg, char *argv[4])
{
	static char shell[] = "/bin/sh", dashc[] = "-c";
	struct program_config sh = *cfg;

	argv[0] = shell;
	argv[1] = dashc;
	argv[2] = cfg->health.command;
	argv[3] = NULL;
	sh.argv = argv;
	return sh;
}

/* The exec-status pipe: why the command could not run, if it could not. */
static void
probe_status_read(struct probe *pr)
{
	static char shell[] = "/bin/sh";
	char *argv[2] = { shell, NULL };
	struct program_config sh = { .argv = argv,
	    .directory = pr->directory };

	if (pr->io.fd == -1)
		return;
	if (spawn_read_status(pr->io.fd, &sh, pr->execerr,
	    sizeof pr->execerr) == -1)
		return;		/* nothing yet */
	probe_close_io(pr);
}

static void
probe_status_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	probe_status_read(w->data);
}

static void
probe_exec(struct probe *pr, const struct program_config *cfg)
{
	char *argv[4], cause[PROBE_WHY];
	struct program_config sh = probe_exec_config(cfg, argv);
	struct spawn_fds fds = { -1, -1, -1, -1, -1, NULL, 0 };
	struct spawn_plan plan;
	int status_fd, r;

	snprintf(pr->target, sizeof pr->target, "check command");
	if (cfg->directory != NULL &&
	    (pr->directory = strdup(cfg->directory)) == NULL)
		fatal("strdup");
	/* The program's user, directory and environment; no output. */
	if (spawn_plan(&plan, &sh, environ, NULL, cause, sizeof cause) ==
	    -1) {
		probe_decide(pr, false, "check command: %s", cause);
		return;
	}
	r = spawn_run(&plan, &fds, &pr->check, &status_fd, cause,
	    sizeof cause);
	spawn_plan_free(&plan);
	if (r == -1) {
		pr->check = 0;
		probe_decide(pr, false, "check command: %s", cause);
		return;
	}
	ev_io_init(&pr->io, probe_status_cb, status_fd, EV_READ);
	pr->io.data = pr;
	ev_io_start(pr->loop, &pr->io);
}

/* Its verdict: exit status 0, or why not. */
static void
probe_exec_exited(struct probe *pr, int wstatus)
{
	probe_status_read(pr);
	pr->check = 0;
	if (pr->execerr[0] != '\0')
		probe_decide(pr, false, "check command: %s", pr->execerr);
	else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
		probe_decide(pr, true, "check command exited 0");
	else if (WIFEXITED(wstatus))
		probe_decide(pr, false, "check command exited %d",
		    WEXITSTATUS(wstatus));
	else
		probe_decide(pr, false, "check command killed by signal %d",
		    WTERMSIG(wstatus));
}

bool
probe_reaped(pid_t pid, int wstatus)
{
	struct probe *pr;

	if (pid <= 0)
		return false;
	for (pr = probes; pr != NULL; pr = pr->next)
		if (pr->check == pid) {
			probe_exec_exited(pr, wstatus);
			return true;
		}
	return false;
}

/* ---- the probe ---- */

struct probe *
probe_run(struct ev_loop *loop, const struct program_config *cfg,
    probe_done_fn done, void *arg)
{
	const struct health_config *h = &cfg->health;
	struct probe *pr;

	if (h->kind == HEALTH_NONE)
		return NULL;
	if ((pr = calloc(1, sizeof *pr)) == NULL)
		fatal("calloc");
	pr->loop = loop;
	pr->done = done;
	pr->arg = arg;
	pr->kind = h->kind;
	pr->timeout = h->timeout;
	pr->io.fd = -1;
	ev_init(&pr->timer, probe_timer_cb);
	pr->timer.data = pr;
	ev_timer_set(&pr->timer, (double)h->timeout, 0.);
	ev_timer_start(loop, &pr->timer);
	pr->next = probes;
	probes = pr;
	if (h->kind == HEALTH_EXEC)
		probe_exec(pr, cfg);
	else
		probe_net(pr, h);
	return pr;
}
