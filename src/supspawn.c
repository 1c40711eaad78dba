/*
 * supspawn.c -- starting a program's process: its pipes, its readiness
 * check, the exec-status pipe, and the queue that paces spawns.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "evbus.h"
#include "heldsock.h"
#include "log.h"
#include "logstream.h"
#include "notifysrv.h"
#include "ready.h"
#include "sockspec.h"
#include "spawn.h"
#include "stdinfeed.h"
#include "supint.h"
#include "sys.h"

extern char **environ;

static void	sup_spawn_cb(struct ev_loop *, ev_timer *, int);

void
sup_spawn_init(void)
{
	ev_init(&sup.spawn_w, sup_spawn_cb);
}

void
sproc_close_status(struct sproc *sp)
{
	if (sp->status_w.fd == -1)
		return;
	ev_io_stop(sup.loop, &sp->status_w);
	close(sp->status_w.fd);
	sp->status_w.fd = -1;
}

void
sproc_read_status(struct sproc *sp)
{
	struct process *p = &sp->p;
	int r;

	if (sp->status_w.fd == -1)
		return;
	r = spawn_read_status(sp->status_w.fd, p->cfg, p->spawnerr,
	    sizeof p->spawnerr);
	if (r == -1)
		return;		/* nothing yet */
	if (r == 1) {
		p->exec_failed = true;
		log_warnx("program %s: %s", sp->display, p->spawnerr);
	}
	sproc_close_status(sp);
}

static void
sup_status_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	sproc_read_status((struct sproc *)((char *)w -
	    offsetof(struct sproc, status_w)));
}

/* Make the pipe pair for one stream, or -1/-1 for /dev/null. */
static int
sup_pipe(struct logstream *ls, int fds[2])
{
	fds[0] = fds[1] = -1;
	if (ls == NULL)
		return 0;
	return sys->pipe2(fds, O_CLOEXEC);
}

static void
sup_close_pair(int fds[2])
{
	for (int i = 0; i < 2; i++)
		if (fds[i] != -1)
			close(fds[i]);
}

static void
sup_spawn_failed(struct sproc *sp, const char *cause)
{
	snprintf(sp->p.spawnerr, sizeof sp->p.spawnerr, "%s", cause);
	log_warnx("program %s: spawn error: %s", sp->display, cause);
	sup_step(sp, PEV_SPAWN_FAILED);
}

/* ready=notify said READY=1, or sent STATUS= or WATCHDOG=1. */
void
sup_notified(pid_t pid, unsigned what, const char *status)
{
	struct sproc *sp = sup_find_pid(pid);
	const struct program_config *cfg;

	if (sp == NULL)
		return;		/* not a main pid of ours: ignored */
	cfg = sp->p.cfg;
	if (cfg->ready.kind != READY_NOTIFY && cfg->watchdog == 0)
		return;
	if (what & NOTIFYSRV_STATUS) {
		free(sp->status_text);
		if ((sp->status_text = strdup(status)) == NULL)
			fatal("strdup");
	}
	sup_enter();
	if ((what & NOTIFYSRV_READY) && cfg->ready.kind == READY_NOTIFY &&
	    sp->p.state == PROC_STARTING)
		sup_step(sp, PEV_READY);
	if (what & NOTIFYSRV_WATCHDOG)
		sup_step(sp, PEV_WATCHDOG);
	sup_leave();
}

/* An fd:, tcp: or exec: check passed. */
void
sup_ready(struct process *p)
{
	sup_enter();
	sup_step(sproc_of(p), PEV_READY);
	sup_leave();
}

/* NOTIFY_SOCKET and WATCHDOG_USEC for a program that talks sd_notify. */
static int
sup_notify_env(const struct program_config *pc, char *env[3], char *wd,
    size_t wdlen, char *cause, size_t len)
{
	const char *ns;

	env[0] = env[1] = env[2] = NULL;
	if (pc->ready.kind != READY_NOTIFY && pc->watchdog == 0)
		return 0;
	if ((ns = notifysrv_env(sup.loop, sup_notified, cause, len)) == NULL)
		return -1;
	env[0] = (char *)ns;
	if (pc->watchdog > 0) {
		snprintf(wd, wdlen, "WATCHDOG_USEC=%lld",
		    (long long)pc->watchdog * 1000000);
		env[1] = wd;
	}
	return 0;
}

/* systemd's socket activation: LISTEN_FDS, LISTEN_FDNAMES (each
 * socket's name=, else the program's name) and the LISTEN_PID slot the
 * child fills (spawn.h), appended to ENV at *N; NAMES holds the text. */
static void
sup_listen_env(const struct program_config *pc, char **env, size_t *n,
    char *fds, size_t fdslen, struct buf *names)
{
	if (pc->nsockets == 0 || pc->fcgi)
		return;
	snprintf(fds, fdslen, "LISTEN_FDS=%zu", pc->nsockets);
	buf_addstr(names, "LISTEN_FDNAMES=");
	for (size_t i = 0; i < pc->nsockets; i++)
		buf_addf(names, "%s%s", i > 0 ? ":" : "",
		    pc->sockets[i].name != NULL ? pc->sockets[i].name :
		    pc->program);
	env[(*n)++] = fds;
	env[(*n)++] = names->data;
	env[(*n)++] = (char *)SPAWN_LISTEN_PID;
}

/* Everything the child is given besides its plan: pipes, ready fd. */
struct sup_child {
	int	out[2], err[2];
	int	in[2];		/* stdin pipe (read end: the child's) */
	int	child_in;	/* what the child gets as fd 0; -1:
				 * /dev/null */
	int	ready;		/* fd:N pipe, child's end */
	int	ev_in, ev_out;	/* a listener's protocol pipes, child's
				 * ends (evbus.c owns them) */
};

static void
sup_child_close(struct sup_child *ch, bool parent_ends_too)
{
	if (parent_ends_too) {
		sup_close_pair(ch->out);
		sup_close_pair(ch->err);
		sup_close_pair(ch->in);
	} else {
		if (ch->out[1] != -1)
			close(ch->out[1]);
		if (ch->err[1] != -1)
			close(ch->err[1]);
		if (ch->in[0] != -1)
			close(ch->in[0]);
	}
	if (ch->ready != -1)
		close(ch->ready);
}

/*
 * What the child gets as stdin, decided here and nowhere else: a
 * listener reads its events there (evbus.c made the pipe); any other
 * program gets a pipe procd keeps the write end of, for
 * sendProcessStdin, as supervisord gives every program -- a program that
 * reads its stdin waits for input, as under supervisord, rather than
 * seeing end of file at once.  An [fcgi-program:] process gets the
 * pool's socket, SOCK (held by heldsock.c, not ours to close), as
 * supervisord gives it; sendProcessStdin then finds no stdin (NO_FILE),
 * as there.
 */
static int
sup_child_stdin(const struct sproc *sp, struct sup_child *ch, int sock)
{
	if (sp->p.cfg->listener) {
		ch->child_in = ch->ev_in;
		return 0;
	}
	if (sp->p.cfg->fcgi) {
		ch->child_in = sock;
		return 0;
	}
	if (sys->pipe2(ch->in, O_CLOEXEC) == -1)
		return -1;
	ch->child_in = ch->in[0];
	return 0;
}

static int
sup_child_open(struct sproc *sp, struct sup_child *ch, int sock,
    char *cause, size_t len)
{
	ch->err[0] = ch->err[1] = ch->ready = ch->ev_in = ch->ev_out = -1;
	ch->in[0] = ch->in[1] = ch->child_in = -1;
	if (sp->p.cfg->listener && evbus_child_fds(&sp->p, &ch->ev_in,
	    &ch->ev_out, cause, len) == -1)
		return -1;
	if (sup_pipe(sp->out, ch->out) == -1 ||
	    sup_pipe(sp->err, ch->err) == -1 ||
	    sup_child_stdin(sp, ch, sock) == -1) {
		snprintf(cause, len, "pipe: %s", strerror(errno));
		sup_child_close(ch, true);
		if (sp->p.cfg->listener)
			evbus_child_started(&sp->p, 0);
		return -1;
	}
	ready_probe_free(sp->probe);
	if (ready_probe_new(sup.loop, &sp->p, sup_ready, &sp->probe,
	    &ch->ready, cause, len) == -1) {
		sup_child_close(ch, true);
		if (sp->p.cfg->listener)
			evbus_child_started(&sp->p, 0);
		return -1;
	}
	return 0;
}

/* The child is running: hand its pipes to the logs and watch it. */
static void
sup_spawned(struct sproc *sp, struct sup_child *ch, pid_t pid,
    int status_fd)
{
	if (ch->out[0] != -1)
		logstream_attach(sp->out, ch->out[0]);
	if (ch->err[0] != -1)
		logstream_attach(sp->err, ch->err[0]);
	stdinfeed_free(sp->in);
	sp->in = ch->in[1] != -1 ? stdinfeed_new(sup.loop, ch->in[1]) : NULL;
	ch->in[1] = -1;
	sup_child_close(ch, false);
	if (sp->p.cfg->listener)
		evbus_child_started(&sp->p, pid);
	sp->p.pid = pid;
	sp->p.start_wall = time(NULL);
	free(sp->status_text);
	sp->status_text = NULL;
	ev_io_init(&sp->status_w, sup_status_cb, status_fd, EV_READ);
	ev_io_start(sup.loop, &sp->status_w);
	log_info("spawned: %s with pid %ld", sp->display, (long)pid);
	sup_step(sp, PEV_SPAWNED);
	if (sp->probe != NULL)
		ready_probe_start(sp->probe);
}

void
sup_spawn(struct sproc *sp)
{
	const struct program_config *pc = sp->p.cfg;
	struct spawn_plan plan;
	struct spawn_fds fds;
	struct sup_child ch;
	struct buf names;
	int status_fd, socks[SOCKSPEC_MAX];
	char cause[PROC_SPAWNERR_LEN], *extra[6], wd[64], nfds[32];
	size_t n = 0;
	pid_t pid;

	/* procd's own environment, then the program's (spawn_plan). */
	if (heldsock_fds(pc, socks, cause, sizeof cause) == -1 ||
	    sup_notify_env(pc, extra, wd, sizeof wd, cause, sizeof cause) ==
	    -1) {
		sup_spawn_failed(sp, cause);
		return;
	}
	while (n < 2 && extra[n] != NULL)
		n++;
	buf_init(&names);
	sup_listen_env(pc, extra, &n, nfds, sizeof nfds, &names);
	extra[n] = NULL;
	if (spawn_plan(&plan, pc, environ, extra, cause, sizeof cause) ==
	    -1) {
		buf_free(&names);
		sup_spawn_failed(sp, cause);
		return;
	}
	buf_free(&names);
	if (sup_child_open(sp, &ch, pc->fcgi ? socks[0] : -1, cause,
	    sizeof cause) == -1)
		goto fail;
	fds.out = pc->listener ? ch.ev_out : ch.out[1];
	fds.err = pc->redirect_stderr ? ch.out[1] : ch.err[1];
	fds.in = ch.child_in;
	fds.listen = socks;
	fds.nlisten = pc->fcgi ? 0 : (int)pc->nsockets;
	fds.extra = ch.ready;
	fds.extra_at = ch.ready == -1 ? -1 : pc->ready.fd;
	if (spawn_run(&plan, &fds, &pid, &status_fd, cause,
	    sizeof cause) == -1) {
		sup_child_close(&ch, true);
		if (pc->listener)
			evbus_child_started(&sp->p, 0);
		goto fail;
	}
	spawn_plan_free(&plan);
	sup_spawned(sp, &ch, pid, status_fd);
	return;
fail:
	spawn_plan_free(&plan);
	sup_spawn_failed(sp, cause);
}

/*
 * Spawns that come from reaping or from a timer tick (restarts, backoff
 * retries) wait in a queue served SPAWNS_PER_PASS at a time, once per
 * loop pass.  Without it, a storm of dying programs keeps sup_reap busy
 * respawning -- each spawn lets more die -- and the control socket,
 * timers and signals go unserved.  A pass also ends after SPAWN_PASS_MS:
 * each spawn waits for its child's exec (vfork), 1-2 ms on a busy host,
 * and a client's request takes a few passes (accept, read, answer), so
 * 16 to a pass held status for ~85 ms through an autostart of 10,000.
 */
#define SPAWNS_PER_PASS 16
#define SPAWN_PASS_MS	4

void
sup_queue_spawn(struct sproc *sp)
{
	if (sp->spawn_pending || sp->dead)
		return;
	sp->spawn_pending = true;
	sp->qnext = NULL;
	if (sup.qtail != NULL)
		sup.qtail->qnext = sp;
	else
		sup.qhead = sp;
	sup.qtail = sp;
	if (!ev_is_active(&sup.spawn_w)) {
		ev_timer_set(&sup.spawn_w, 0., 0.);
		ev_timer_start(sup.loop, &sup.spawn_w);
	}
}

void
sup_unqueue(struct sproc *sp)
{
	struct sproc **pp, *prev = NULL;

	if (!sp->spawn_pending)
		return;
	for (pp = &sup.qhead; *pp != NULL; prev = *pp, pp = &(*pp)->qnext) {
		if (*pp == sp) {
			*pp = sp->qnext;
			if (sup.qtail == sp)
				sup.qtail = prev;
			break;
		}
	}
	sp->spawn_pending = false;
}

/* Serve the head of the queue; the timer comes back for the rest. */
void
sup_spawn_pass(void)
{
	int64_t start = sys->now();

	sup_enter();
	for (int i = 0; i < SPAWNS_PER_PASS && sup.qhead != NULL &&
	    (i == 0 || sys->now() - start < SPAWN_PASS_MS); i++) {
		struct sproc *sp = sup.qhead;
		sup_unqueue(sp);
		/* Wanted down meanwhile (stop, shutdown): no spawn. */
		if (sp->p.want == WANT_UP && sp->p.pid == 0)
			sup_spawn(sp);
	}
	sup_leave();
	if (sup.qhead == NULL)
		ev_timer_stop(sup.loop, &sup.spawn_w);
	else if (!ev_is_active(&sup.spawn_w)) {
		ev_timer_set(&sup.spawn_w, 0., 0.);
		ev_timer_start(sup.loop, &sup.spawn_w);
	}
}

static void
sup_spawn_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	sup_spawn_pass();
}
