/*
 * sup.c -- the process table (see sup.h).  Everything here reacts to one
 * of: a request (start/stop/signal), a reaped child, a due deadline, an
 * exec-status pipe becoming readable.  Each is turned into a proc_step()
 * event, and the returned actions are carried out here and nowhere else.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "cfgdiff.h"
#include "clock.h"
#include "config.h"
#include "depgraph.h"
#include "log.h"
#include "logstream.h"
#include "notifysrv.h"
#include "proc.h"
#include "ready.h"
#include "spawn.h"
#include "sup.h"

extern char **environ;

struct sproc {
	struct process	 p;
	char		*display;	/* sup_name() */
	struct logstream *out, *err;
	ev_io		 status_w;	/* exec-status pipe; fd -1 if none */
	/* Updates that wait for the process to be down first: */
	const struct program_config *next; /* switch to this config, */
	bool		 start_after;	/* then start it again */
	bool		 retiring;	/* removed from the config: then free */
	struct sproc	*qnext;		/* in the spawn queue */
	/* Dependencies (depends_on): */
	size_t		 idx;		/* in sup.v, as of the last graph */
	bool		 stop_held;	/* stop once its dependents are down */
	bool		 cascaded;	/* stopped for a dependency: start
					 * again with it */
	/* Readiness (ready=, watchdog=): */
	struct ready_probe *probe;	/* while STARTING, if ready= needs */
	char		*status_text;	/* its last STATUS= (sd_notify) */
};

static struct {
	struct ev_loop	*loop;
	const struct config *cfg;
	struct sproc	**v;		/* sorted by display name */
	size_t		 n;
	sup_change_fn	 observer;
	sup_gone_fn	 gone;
	sup_settled_fn	 settled;
	struct config	**held;		/* configs loaded since start-up */
	size_t		 nheld;
	struct config	*reload_cfg;	/* reload: the table to build once down */
	void		(*reload_done)(void);
	bool		 shutting_down;
	void		(*shutdown_done)(void);
	int64_t		 armed;		/* deadline the timer is set for */
	int		 depth;		/* nesting of sup_enter() */
	bool		 defer_spawns;	/* reaping or ticking: queue spawns */
	struct sproc	*qhead, *qtail;	/* spawns waiting for their turn */
	ev_timer	 spawn_w;	/* serves the queue, a batch per pass */
	bool		 changed;	/* a state changed in this batch */
	struct depgraph	 g;		/* over sup.v; rebuilt when stale */
	bool		 g_stale;
} sup;

static void	sup_step(struct sproc *, enum proc_event);
static void	sup_start_tree(struct sproc *, size_t depth);
static struct sproc *sup_find_pid(pid_t);
static void	sup_shutdown_next(void);
static void	sup_spawn_cb(struct ev_loop *, ev_timer *, int);

static struct sproc *
sproc_of(struct process *p)
{
	return (struct sproc *)p->sup;
}

const char *
sup_name(const struct process *p)
{
	return ((const struct sproc *)p->sup)->display;
}

static int
sproc_cmp(const void *a, const void *b)
{
	const struct sproc *x = *(struct sproc *const *)a;
	const struct sproc *y = *(struct sproc *const *)b;

	return strcmp(x->display, y->display);
}

static struct logstream *
sproc_open_log(const struct logdest_config *dc, const char *name,
    const char *stream)
{
	struct logstream *ls;

	if (dc->kind == LOGDEST_NONE)
		return NULL;
	if ((ls = logstream_new(sup.loop, dc, name, stream)) == NULL)
		fatal("logstream_new");
	(void)logstream_open(ls);	/* failure is logged, retried later */
	return ls;
}

static struct sproc *
sproc_new(const struct program_config *pc)
{
	struct sproc *sp = calloc(1, sizeof *sp);
	int r;

	if (sp == NULL)
		fatal("calloc");
	proc_init(&sp->p, pc);
	sp->p.sup = sp;
	if (strcmp(pc->group, pc->name) == 0)
		r = asprintf(&sp->display, "%s", pc->name);
	else
		r = asprintf(&sp->display, "%s:%s", pc->group, pc->name);
	if (r == -1)
		fatal("asprintf");
	sp->status_w.fd = -1;
	sp->out = sproc_open_log(&pc->out, sp->display, "stdout");
	if (!pc->redirect_stderr)
		sp->err = sproc_open_log(&pc->err, sp->display, "stderr");
	return sp;
}

static void
sproc_close_status(struct sproc *sp)
{
	if (sp->status_w.fd == -1)
		return;
	ev_io_stop(sup.loop, &sp->status_w);
	close(sp->status_w.fd);
	sp->status_w.fd = -1;
}

static void	sup_unqueue(struct sproc *);

static void
sproc_free(struct sproc *sp)
{
	sup_unqueue(sp);
	sproc_close_status(sp);
	ready_probe_free(sp->probe);
	free(sp->status_text);
	logstream_free(sp->out);
	logstream_free(sp->err);
	free(sp->display);
	free(sp);
}

int
sup_init(struct ev_loop *loop, const struct config *cfg)
{
	sup.loop = loop;
	sup.cfg = cfg;
	ev_init(&sup.spawn_w, sup_spawn_cb);
	sup.n = cfg->nprogs;
	if ((sup.v = calloc(sup.n ? sup.n : 1, sizeof *sup.v)) == NULL)
		fatal("calloc");
	for (size_t i = 0; i < sup.n; i++)
		sup.v[i] = sproc_new(&cfg->progs[i]);
	qsort(sup.v, sup.n, sizeof *sup.v, sproc_cmp);
	sup.g_stale = true;
	return 0;
}

void
sup_free(void)
{
	if (sup.loop != NULL)
		ev_timer_stop(sup.loop, &sup.spawn_w);
	for (size_t i = 0; i < sup.n; i++)
		sproc_free(sup.v[i]);
	free(sup.v);
	for (size_t i = 0; i < sup.nheld; i++)
		config_free(sup.held[i]);
	free(sup.held);
	depgraph_free(&sup.g);
	notifysrv_close();
	memset(&sup, 0, sizeof sup);
}

void
sup_set_observer(sup_change_fn fn, sup_gone_fn gone, sup_settled_fn settled)
{
	sup.observer = fn;
	sup.gone = gone;
	sup.settled = settled;
}

size_t
sup_count(void)
{
	return sup.n;
}

struct process *
sup_at(size_t i)
{
	return i < sup.n ? &sup.v[i]->p : NULL;
}

struct process *
sup_find(const char *spec)
{
	const char *colon = strchr(spec, ':');

	for (size_t i = 0; i < sup.n; i++) {
		const struct program_config *pc = sup.v[i]->p.cfg;
		if (strcmp(sup.v[i]->display, spec) == 0)
			return &sup.v[i]->p;
		/* "web:web" names a process alone in its group too. */
		if (colon != NULL &&
		    strncmp(pc->group, spec, (size_t)(colon - spec)) == 0 &&
		    pc->group[colon - spec] == '\0' &&
		    strcmp(pc->name, colon + 1) == 0)
			return &sup.v[i]->p;
	}
	return NULL;
}

struct logstream *
sup_log(struct process *p, int fd)
{
	struct sproc *sp = sproc_of(p);

	if (fd == 2 && !p->cfg->redirect_stderr)
		return sp->err;
	return sp->out;
}

uint64_t
sup_lost_bytes(const struct process *p)
{
	const struct sproc *sp = p->sup;

	return (sp->out ? logstream_lost(sp->out) : 0) +
	    (sp->err ? logstream_lost(sp->err) : 0);
}

/* ---- dependencies ---- */

/* What a process is about to run with: its pending config if any. */
static const struct program_config *
sproc_target_cfg(const struct sproc *sp)
{
	return sp->next != NULL ? sp->next : sp->p.cfg;
}

/* The graph over sup.v, rebuilt when the table or a config changed. */
static const struct depgraph *
sup_graph(void)
{
	static char *none[] = { NULL };
	const struct program_config **v;
	struct program_config *copies;

	if (!sup.g_stale)
		return &sup.g;
	depgraph_free(&sup.g);
	v = calloc(sup.n ? sup.n : 1, sizeof *v);
	copies = calloc(sup.n ? sup.n : 1, sizeof *copies);
	if (v == NULL || copies == NULL)
		fatal("calloc");
	for (size_t i = 0; i < sup.n; i++) {
		sup.v[i]->idx = i;
		v[i] = sproc_target_cfg(sup.v[i]);
		/* On its way out: it waits for nothing, so no edge of the
		 * old config can close a cycle with the new one's. */
		if (sup.v[i]->retiring) {
			copies[i] = *v[i];
			copies[i].depends_on = none;
			v[i] = &copies[i];
		}
	}
	if (depgraph_build(&sup.g, v, sup.n, NULL, NULL) == -1)
		fatal("depgraph_build");
	free(copies);
	free(v);
	sup.g_stale = false;
	return &sup.g;
}

static bool
sup_dep_running(size_t i, void *arg)
{
	(void)arg;
	return sup.v[i]->p.state == PROC_RUNNING;
}

static bool	sproc_alive(const struct sproc *);

static bool
sup_dep_alive(size_t i, void *arg)
{
	(void)arg;
	return sproc_alive(sup.v[i]);
}

/* Everything SP depends on is RUNNING (ready). */
static bool
sup_deps_up(struct sproc *sp)
{
	const struct depgraph *g = sup_graph();

	return !g->any || depgraph_deps_all(g, sp->idx, sup_dep_running, NULL);
}

/* Nothing that depends on SP is still alive. */
static bool
sup_rdeps_down(struct sproc *sp)
{
	const struct depgraph *g = sup_graph();

	return !g->any || depgraph_rdeps_none(g, sp->idx, sup_dep_alive, NULL);
}

/* A dependency SP waits for that gave up (FATAL), or NULL. */
static struct sproc *
sup_dep_fatal(struct sproc *sp)
{
	const struct depnode *d = &sup_graph()->v[sp->idx];

	for (size_t k = 0; k < d->ndeps; k++)
		if (sup.v[d->deps[k]]->p.state == PROC_FATAL)
			return sup.v[d->deps[k]];
	return NULL;
}

size_t
sup_waiting_for(const struct process *p, const char **names, size_t max)
{
	const struct sproc *sp = p->sup;
	const struct depnode *d;
	size_t n = 0;

	if (!p->waiting || !sup_graph()->any)
		return 0;
	d = &sup.g.v[sp->idx];
	for (size_t k = 0; k < d->ndeps; k++) {
		const struct sproc *dep = sup.v[d->deps[k]];
		if (dep->p.state == PROC_RUNNING)
			continue;
		if (n < max)
			names[n] = dep->display;
		n++;
	}
	return n;
}

const char *
sup_status_text(const struct process *p)
{
	return ((const struct sproc *)p->sup)->status_text;
}

/* Keep the heartbeat armed for the earliest deadline, and only then. */
static void
sup_rearm(void)
{
	int64_t next = 0;

	for (size_t i = 0; i < sup.n; i++) {
		int64_t d = sup.v[i]->p.deadline;
		if (d != 0 && (next == 0 || d < next))
			next = d;
	}
	if (next == sup.armed)
		return;
	if (clock_arm(next, clock_now()) == -1)
		log_warn("setitimer");
	sup.armed = next;
}

static void
sup_status_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sproc *sp = (struct sproc *)((char *)w -
	    offsetof(struct sproc, status_w));
	struct process *p = &sp->p;
	int r;

	(void)loop;
	(void)revents;
	r = spawn_read_status(w->fd, p->cfg, p->spawnerr, sizeof p->spawnerr);
	if (r == -1)
		return;
	if (r == 1) {
		p->exec_failed = true;
		log_warnx("program %s: %s", sp->display, p->spawnerr);
	}
	sproc_close_status(sp);
}

/* Make the pipe pair for one stream, or -1/-1 for /dev/null. */
static int
sup_pipe(struct logstream *ls, int fds[2])
{
	fds[0] = fds[1] = -1;
	if (ls == NULL)
		return 0;
	if (pipe2(fds, O_CLOEXEC) == -1)
		return -1;
	return 0;
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

static void	sup_enter(void);
static void	sup_leave(void);

/* ready=notify said READY=1, or sent STATUS= or WATCHDOG=1. */
static void
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
static void
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

/* Everything the child is given besides its plan: pipes, ready fd. */
struct sup_child {
	int	out[2], err[2];
	int	ready;		/* fd:N pipe, child's end */
};

static void
sup_child_close(struct sup_child *ch, bool parent_ends_too)
{
	if (parent_ends_too) {
		sup_close_pair(ch->out);
		sup_close_pair(ch->err);
	} else {
		if (ch->out[1] != -1)
			close(ch->out[1]);
		if (ch->err[1] != -1)
			close(ch->err[1]);
	}
	if (ch->ready != -1)
		close(ch->ready);
}

static int
sup_child_open(struct sproc *sp, struct sup_child *ch, char *cause,
    size_t len)
{
	ch->err[0] = ch->err[1] = ch->ready = -1;
	if (sup_pipe(sp->out, ch->out) == -1 ||
	    sup_pipe(sp->err, ch->err) == -1) {
		snprintf(cause, len, "pipe: %s", strerror(errno));
		sup_child_close(ch, true);
		return -1;
	}
	ready_probe_free(sp->probe);
	if (ready_probe_new(sup.loop, &sp->p, sup_ready, &sp->probe,
	    &ch->ready, cause, len) == -1) {
		sup_child_close(ch, true);
		return -1;
	}
	return 0;
}

static void
sup_spawn(struct sproc *sp)
{
	const struct program_config *pc = sp->p.cfg;
	struct spawn_plan plan;
	struct spawn_fds fds;
	struct sup_child ch;
	int status_fd;
	char cause[PROC_SPAWNERR_LEN], *extra[3], wd[64];
	pid_t pid;

	/* procd's environment as it is now (reload may have changed it). */
	if (sup_notify_env(pc, extra, wd, sizeof wd, cause, sizeof cause) ==
	    -1 || spawn_plan(&plan, pc, environ, extra, cause,
	    sizeof cause) == -1) {
		sup_spawn_failed(sp, cause);
		return;
	}
	if (sup_child_open(sp, &ch, cause, sizeof cause) == -1)
		goto fail;
	fds.out = ch.out[1];
	fds.err = pc->redirect_stderr ? ch.out[1] : ch.err[1];
	fds.extra = ch.ready;
	fds.extra_at = ch.ready == -1 ? -1 : pc->ready.fd;
	if (spawn_run(&plan, &fds, &pid, &status_fd, cause,
	    sizeof cause) == -1) {
		sup_child_close(&ch, true);
		goto fail;
	}
	spawn_plan_free(&plan);
	if (ch.out[0] != -1)
		logstream_attach(sp->out, ch.out[0]);
	if (ch.err[0] != -1)
		logstream_attach(sp->err, ch.err[0]);
	sup_child_close(&ch, false);
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
 * timers and signals go unserved.
 */
#define SPAWNS_PER_PASS 16

static void
sup_queue_spawn(struct sproc *sp)
{
	if (sp->p.spawn_pending)
		return;
	sp->p.spawn_pending = true;
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

static void
sup_unqueue(struct sproc *sp)
{
	struct sproc **pp, *prev = NULL;

	if (!sp->p.spawn_pending)
		return;
	for (pp = &sup.qhead; *pp != NULL; prev = *pp, pp = &(*pp)->qnext) {
		if (*pp == sp) {
			*pp = sp->qnext;
			if (sup.qtail == sp)
				sup.qtail = prev;
			break;
		}
	}
	sp->p.spawn_pending = false;
}

static void
sup_spawn_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)revents;
	sup_enter();
	for (int i = 0; i < SPAWNS_PER_PASS && sup.qhead != NULL; i++) {
		struct sproc *sp = sup.qhead;
		sup_unqueue(sp);
		/* Wanted down meanwhile (stop, shutdown): no spawn. */
		if (sp->p.want == WANT_UP && sp->p.pid == 0)
			sup_spawn(sp);
	}
	sup_leave();
	if (sup.qhead != NULL) {
		ev_timer_set(w, 0., 0.);
		ev_timer_start(loop, w);
	}
}

static void
sup_kill(struct sproc *sp, int signo, bool group)
{
	pid_t target = group ? -sp->p.pid : sp->p.pid;

	if (sp->p.pid <= 0)
		return;
	if (kill(target, signo) == -1 && errno != ESRCH)
		log_warn("program %s: kill(%ld, %s)", sp->display,
		    (long)target, sigabbrev_np(signo));
}

static const char *
sup_ready_name(enum ready_kind k)
{
	switch (k) {
	case READY_NOTIFY:
		return "notify";
	case READY_FD:
		return "fd";
	case READY_TCP:
		return "tcp";
	case READY_EXEC:
		return "exec";
	case READY_STARTSECS:
		break;
	}
	return "startsecs";
}

static void
sup_log_change(struct sproc *sp, enum proc_state old, enum proc_event ev)
{
	const struct process *p = &sp->p;

	switch (p->state) {
	case PROC_RUNNING:
		if (p->cfg->ready.kind == READY_STARTSECS)
			log_info("success: %s entered RUNNING state, process "
			    "has stayed up for > than %d seconds (startsecs)",
			    sp->display, p->cfg->startsecs);
		else
			log_info("success: %s entered RUNNING state, process "
			    "is ready (ready=%s)", sp->display,
			    sup_ready_name(p->cfg->ready.kind));
		break;
	case PROC_FATAL:
		if (ev == PEV_DEP_FAILED)
			log_info("gave up: %s entered FATAL state, %s",
			    sp->display, p->spawnerr);
		else
			log_info("gave up: %s entered FATAL state, too many "
			    "start retries too quickly", sp->display);
		break;
	case PROC_BACKOFF:
	case PROC_STARTING:
	case PROC_STOPPING:
	case PROC_STOPPED:
	case PROC_EXITED:
	case PROC_NSTATES:
		log_debug("%s: %s -> %s", sp->display, proc_state_name(old),
		    proc_state_name(p->state));
		break;
	}
}

/*
 * Feed one event and carry out whatever the state machine decides.  A
 * spawn whose dependencies are not up is held instead (PEV_BLOCKED);
 * sup_release() lets it go.
 */
static void
sup_step(struct sproc *sp, enum proc_event ev)
{
	struct process *p = &sp->p;
	enum proc_state old = p->state;
	pid_t pid = p->pid;
	unsigned acts;

	acts = proc_step(p, ev, clock_now());
	if ((acts & PACT_SPAWN) && !sup_deps_up(sp)) {
		acts &= ~PACT_SPAWN;
		(void)proc_step(p, PEV_BLOCKED, clock_now());
	}
	/* A readiness check only makes sense while it is starting. */
	if (sp->probe != NULL && (p->state != PROC_STARTING || p->pid == 0)) {
		ready_probe_free(sp->probe);
		sp->probe = NULL;
	}
	if (p->state != old) {
		if (!proc_is_active(p->state))
			p->stop_wall = time(NULL);
		sup_log_change(sp, old, ev);
		if (sup.observer != NULL)
			sup.observer(p, old);
		sup.changed = true;
	}
	if (acts & PACT_STOP) {
		if (p->ready_failed || p->watchdog_fired)
			log_warnx("program %s: %s", sp->display, p->spawnerr);
		log_info("waiting for %s to stop (pid %ld)", sp->display,
		    (long)pid);
		sup_kill(sp, p->cfg->stopsignal, p->cfg->stopasgroup);
	}
	if (acts & PACT_KILL) {
		log_warnx("killing %s (pid %ld) with SIGKILL: still running "
		    "after %d s", sp->display, (long)pid,
		    p->cfg->stopwaitsecs);
		sup_kill(sp, SIGKILL, p->cfg->killasgroup);
	}
	if ((acts & PACT_SPAWN) && sup.defer_spawns)
		sup_queue_spawn(sp);
	else if (acts & PACT_SPAWN)
		sup_spawn(sp);
	/* A deadline that is already due (startsecs=0, stopwaitsecs=0) is
	 * handled now, not after a round trip through the timer. */
	if (p->deadline != 0 && p->deadline <= clock_now())
		sup_step(sp, PEV_DEADLINE);
}

/* Is anything left that must be stopped or waited for? */
static bool
sproc_alive(const struct sproc *sp)
{
	return sp->p.pid > 0 || sp->p.state == PROC_BACKOFF;
}

/*
 * Every entry point runs between sup_enter() and sup_leave(), so the work
 * that concerns the whole table -- re-arming the heartbeat, moving a
 * shutdown on -- is done once per batch of steps, not once per step.
 */
static void
sup_enter(void)
{
	sup.depth++;
}

static void	sup_settle(void);

/*
 * Let go what waited on others: a start held for its dependencies once
 * they are RUNNING (or FATAL: then it fails too), a stop held for its
 * dependents once they are down.
 */
static void
sup_release(void)
{
	struct sproc *dep;

	if (!sup_graph()->any)
		return;
	for (size_t i = 0; i < sup.n; i++) {
		struct sproc *sp = sup.v[i];
		struct process *p = &sp->p;
		if (p->waiting && !p->spawn_pending) {
			if ((dep = sup_dep_fatal(sp)) != NULL) {
				snprintf(p->spawnerr, sizeof p->spawnerr,
				    "dependency %s failed (FATAL)",
				    dep->display);
				sup_step(sp, PEV_DEP_FAILED);
			} else if (sup_deps_up(sp))
				sup_step(sp, PEV_UNBLOCKED);
		}
		if (sp->stop_held && sup_rdeps_down(sp)) {
			sp->stop_held = false;
			if (p->want == WANT_DOWN)
				sup_step(sp, PEV_STOP);
		}
	}
}

static void
sup_leave(void)
{
	if (--sup.depth > 0)
		return;
	sup.depth++;	/* steps taken below belong to this batch */
	while (sup.changed) {
		sup.changed = false;
		if (sup.shutting_down)
			sup_shutdown_next();
		else
			sup_release();
		sup_settle();
	}
	sup.depth--;
	sup_rearm();
	if (sup.settled != NULL)
		sup.settled();
}

/*
 * Start SP: first what it depends on (unless already up or on its way),
 * then SP, which waits for them; then what a stop of SP took down.
 * DEPTH guards against a cycle the config checks should have refused.
 */
static void
sup_start_tree(struct sproc *sp, size_t depth)
{
	const struct depnode *d = &sup_graph()->v[sp->idx];

	if (depth > sup.n)
		return;
	sp->stop_held = sp->cascaded = false;
	for (size_t k = 0; sup.g.any && k < d->ndeps; k++) {
		struct sproc *dep = sup.v[d->deps[k]];
		if (dep->p.want != WANT_UP || !proc_is_active(dep->p.state))
			sup_start_tree(dep, depth + 1);
	}
	sup_step(sp, PEV_START);
	for (size_t k = 0; sup.g.any && k < d->nrdeps; k++)
		if (sup.v[d->rdeps[k]]->cascaded)
			sup_start_tree(sup.v[d->rdeps[k]], depth + 1);
}

/*
 * Stop SP: first what depends on it (remembered, to come back with it),
 * and SP itself only once they are down.
 */
static void
sup_stop_tree(struct sproc *sp, bool cascaded, size_t depth)
{
	const struct depnode *d = &sup_graph()->v[sp->idx];

	if (depth > sup.n)
		return;
	if (!cascaded)
		sp->cascaded = false;
	else if (sp->p.want == WANT_UP)
		sp->cascaded = true;
	for (size_t k = 0; sup.g.any && k < d->nrdeps; k++) {
		struct sproc *r = sup.v[d->rdeps[k]];
		if (r->p.want == WANT_UP || sproc_alive(r))
			sup_stop_tree(r, true, depth + 1);
	}
	if (proc_has_pid(&sp->p) && !sup_rdeps_down(sp)) {
		sp->p.want = WANT_DOWN;		/* no restart meanwhile */
		sp->stop_held = true;
	} else
		sup_step(sp, PEV_STOP);
}

void
sup_start(struct process *p)
{
	sup_enter();
	sup_start_tree(sproc_of(p), 0);
	sup_leave();
}

void
sup_stop(struct process *p)
{
	sup_enter();
	sup_stop_tree(sproc_of(p), false, 0);
	sup_leave();
}

int
sup_signal(struct process *p, int signo)
{
	if (p->pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	return kill(p->pid, signo);
}

static int
prio_cmp(const void *a, const void *b)
{
	const struct sproc *x = *(struct sproc *const *)a;
	const struct sproc *y = *(struct sproc *const *)b;

	if (x->p.cfg->priority != y->p.cfg->priority)
		return x->p.cfg->priority < y->p.cfg->priority ? -1 : 1;
	return strcmp(x->display, y->display);
}

/* Dependencies first, then by priority: what start-up goes by. */
static bool
sup_dep_order(struct sproc **order)
{
	const struct depgraph *g = sup_graph();
	size_t *idx, *cycle, len;
	int *rank;

	idx = calloc(sup.n + 1, sizeof *idx);
	cycle = calloc(sup.n + 2, sizeof *cycle);
	rank = calloc(sup.n + 1, sizeof *rank);
	if (idx == NULL || cycle == NULL || rank == NULL)
		fatal("calloc");
	for (size_t i = 0; i < sup.n; i++)
		rank[i] = sup.v[i]->p.cfg->priority;
	len = depgraph_order(g, rank, idx, cycle);
	for (size_t i = 0; len == 0 && i < sup.n; i++)
		order[i] = sup.v[idx[i]];
	free(idx);
	free(cycle);
	free(rank);
	return len == 0;
}

void
sup_autostart(void)
{
	struct sproc **order;

	if ((order = calloc(sup.n ? sup.n : 1, sizeof *order)) == NULL)
		fatal("calloc");
	if (!sup_graph()->any || !sup_dep_order(order)) {
		memcpy(order, sup.v, sup.n * sizeof *order);
		qsort(order, sup.n, sizeof *order, prio_cmp);
	}
	sup_enter();
	for (size_t i = 0; i < sup.n; i++)
		if (order[i]->p.cfg->autostart)
			sup_start_tree(order[i], 0);
	sup_leave();
	free(order);
}

static struct sproc *
sup_find_pid(pid_t pid)
{
	for (size_t i = 0; i < sup.n; i++)
		if (sup.v[i]->p.pid == pid)
			return sup.v[i];
	return NULL;
}

static void
sup_log_exit(struct sproc *sp, int st)
{
	const char *how = sp->p.state == PROC_STOPPING ? "stopped" : "exited";
	bool expected = proc_exit_expected(sp->p.cfg, st);

	if (WIFSIGNALED(st))
		log_info("%s: %s (terminated by SIG%s%s)", how, sp->display,
		    sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) :
		    "?", sp->p.state == PROC_STOPPING ? "" : "; not expected");
	else
		log_info("%s: %s (exit status %d%s)", how, sp->display,
		    WEXITSTATUS(st), sp->p.state == PROC_STOPPING ? "" :
		    expected ? "; expected" : "; not expected");
}

/* A child of ours is gone: collect what it said, then move its state. */
static void
sup_exited(struct sproc *sp, int st)
{
	struct process *p = &sp->p;

	if (sp->status_w.fd != -1)
		sup_status_cb(sup.loop, &sp->status_w, 0);
	sproc_close_status(sp);
	if (sp->out != NULL)
		logstream_drain(sp->out);
	if (sp->err != NULL)
		logstream_drain(sp->err);
	p->wstatus = st;
	sup_log_exit(sp, st);
	sup_step(sp, PEV_EXITED);
}

void
sup_reap(void)
{
	struct sproc *sp;
	pid_t pid;
	int st;

	sup_enter();
	sup.defer_spawns = true;
	for (;;) {
		pid = waitpid(-1, &st, WNOHANG);
		if (pid == -1 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		if ((sp = sup_find_pid(pid)) != NULL)
			sup_exited(sp, st);
		else if (!ready_probe_reaped(pid, st))
			log_debug("reaped orphan pid %ld", (long)pid);
	}
	sup_leave();
	sup.defer_spawns = false;
}

void
sup_tick(void)
{
	int64_t now = clock_now();

	sup.armed = 0;	/* the one-shot timer has fired */
	sup_enter();
	sup.defer_spawns = true;
	for (size_t i = 0; i < sup.n; i++) {
		int64_t d = sup.v[i]->p.deadline;
		if (d != 0 && d <= now)
			sup_step(sup.v[i], PEV_DEADLINE);
	}
	sup_leave();
	sup.defer_spawns = false;
}

void
sup_reopen_logs(void)
{
	for (size_t i = 0; i < sup.n; i++) {
		if (sup.v[i]->out != NULL)
			logstream_open(sup.v[i]->out);
		if (sup.v[i]->err != NULL)
			logstream_open(sup.v[i]->err);
	}
}

bool
sup_shutting_down(void)
{
	return sup.shutting_down;
}

/* Alive, and nothing that depends on it is: free to go down. */
static bool
sup_may_stop(struct sproc *sp)
{
	return sproc_alive(sp) && sup_rdeps_down(sp);
}

/* Stop the highest priority of what is free to stop (dependents before
 * their dependencies); when nothing is left alive, we are done. */
static void
sup_shutdown_next(void)
{
	int top = 0;
	bool any = false, alive = false;

	for (size_t i = 0; i < sup.n; i++) {
		alive |= sproc_alive(sup.v[i]);
		if (!sup_may_stop(sup.v[i]))
			continue;
		if (!any || sup.v[i]->p.cfg->priority > top)
			top = sup.v[i]->p.cfg->priority;
		any = true;
	}
	if (alive && !any)
		return;		/* the dependents are still going down */
	if (!any) {
		void (*done)(void) = sup.shutdown_done;
		sup.shutdown_done = NULL;
		if (done != NULL)
			done();
		return;
	}
	/* A wave: every process of the top priority at once. */
	for (size_t i = 0; i < sup.n; i++) {
		struct sproc *sp = sup.v[i];
		if (sup_may_stop(sp) && sp->p.cfg->priority == top &&
		    sp->p.state != PROC_STOPPING)
			sup_step(sp, PEV_STOP);
	}
}

void
sup_shutdown(void (*done)(void))
{
	if (sup.shutting_down)
		return;
	sup.shutting_down = true;
	sup.shutdown_done = done;
	/* Nothing may come back up while the rest goes down. */
	sup_enter();
	for (size_t i = 0; i < sup.n; i++) {
		sup.v[i]->p.want = WANT_DOWN;
		sup.v[i]->stop_held = false;
		if (sup.v[i]->p.waiting)
			sup_step(sup.v[i], PEV_STOP);
	}
	sup.changed = true;
	sup_leave();
}

/* ---- configuration updates ---- */

static void
sup_table_add(struct sproc *sp)
{
	struct sproc **v = reallocarray(sup.v, sup.n + 1, sizeof *v);

	if (v == NULL)
		fatal("reallocarray");
	sup.v = v;
	sup.v[sup.n++] = sp;
	qsort(sup.v, sup.n, sizeof *sup.v, sproc_cmp);
	sup.g_stale = true;
}

static void
sup_table_remove(size_t i)
{
	struct sproc *sp = sup.v[i];

	if (sup.gone != NULL)
		sup.gone(&sp->p);
	memmove(&sup.v[i], &sup.v[i + 1], (sup.n - i - 1) * sizeof *sup.v);
	sup.n--;
	sup.g_stale = true;
	log_info("removed: %s", sp->display);
	sproc_free(sp);
}

static struct sproc *
sup_find_cfg(const struct program_config *pc)
{
	for (size_t i = 0; i < sup.n; i++)
		if (sup.v[i]->p.cfg == pc)
			return sup.v[i];
	return NULL;
}

/* Point a process at its new config; its logs move with it (the old
 * config is freed once nothing uses it). */
static void
sproc_retarget(struct sproc *sp, const struct program_config *pc)
{
	sp->p.cfg = pc;
	sup.g_stale = true;
	if (sp->out != NULL)
		logstream_set_config(sp->out, &pc->out);
	if (sp->err != NULL)
		logstream_set_config(sp->err, &pc->err);
}

/* A down process takes its new config: new pipes and logs too. */
static void
sproc_switch(struct sproc *sp)
{
	const struct program_config *pc = sp->next;

	sp->next = NULL;
	sup.g_stale = true;
	logstream_free(sp->out);
	logstream_free(sp->err);
	sp->p.cfg = pc;
	sp->out = sproc_open_log(&pc->out, sp->display, "stdout");
	sp->err = pc->redirect_stderr ? NULL :
	    sproc_open_log(&pc->err, sp->display, "stderr");
	log_info("updated: %s", sp->display);
	if (sp->start_after)
		sup_start_tree(sp, 0);
}

static bool
config_holds(const struct config *cf, const struct program_config *pc)
{
	return pc != NULL && pc >= cf->progs && pc < cf->progs + cf->nprogs;
}

/* Free the configs no process refers to any more (the newest stays). */
static void
sup_gc_configs(void)
{
	for (size_t k = 0; k + 1 < sup.nheld; k++) {
		bool used = false;
		for (size_t i = 0; i < sup.n && !used; i++)
			used = config_holds(sup.held[k], sup.v[i]->p.cfg) ||
			    config_holds(sup.held[k], sup.v[i]->next);
		if (used)
			continue;
		config_free(sup.held[k]);
		memmove(&sup.held[k], &sup.held[k + 1],
		    (sup.nheld - k - 1) * sizeof *sup.held);
		sup.nheld--;
		k--;
	}
}

/* Finish the updates that waited for a process to be down. */
static void
sup_settle(void)
{
	bool freed = false;

	for (size_t i = 0; i < sup.n; i++) {
		struct sproc *sp = sup.v[i];
		if (sproc_alive(sp) || (!sp->retiring && sp->next == NULL))
			continue;
		if (sp->retiring) {
			sup_table_remove(i--);
			freed = true;
		} else
			sproc_switch(sp);
	}
	if (freed || sup.nheld > 1)
		sup_gc_configs();
}

static void
sup_hold(struct config *cfg)
{
	struct config **v = reallocarray(sup.held, sup.nheld + 1, sizeof *v);

	if (v == NULL)
		fatal("reallocarray");
	sup.held = v;
	sup.held[sup.nheld++] = cfg;
}

size_t
sup_configs(const struct program_config ***out)
{
	size_t n = 0;

	if ((*out = calloc(sup.n ? sup.n : 1, sizeof **out)) == NULL)
		fatal("calloc");
	for (size_t i = 0; i < sup.n; i++)
		if (!sup.v[i]->retiring)
			(*out)[n++] = sup.v[i]->next ? sup.v[i]->next :
			    sup.v[i]->p.cfg;
	return n;
}

static void
sup_apply_entry(const struct cfgdiff_entry *e)
{
	struct sproc *sp = e->old ? sup_find_cfg(e->old) : NULL;

	if (e->kind != DIFF_ADDED && sp == NULL)
		return;		/* raced with another update: nothing to do */
	switch (e->kind) {
	case DIFF_ADDED:
		sp = sproc_new(e->new);
		sup_table_add(sp);
		log_info("added: %s", sp->display);
		break;		/* started once all are in: sup_update */
	case DIFF_REMOVED:
		sp->retiring = true;
		sup.g_stale = true;
		sp->p.want = WANT_DOWN;
		if (sproc_alive(sp))
			sup_step(sp, PEV_STOP);
		break;
	case DIFF_RESTART:
		sp->next = e->new;
		sup.g_stale = true;
		sp->start_after = sp->p.want == WANT_UP || e->new->autostart;
		if (sproc_alive(sp))
			sup_step(sp, PEV_STOP);
		break;
	case DIFF_LIVE:
		log_info("changed live: %s (%s)", sp->display, e->keys);
		/* FALLTHROUGH */
	case DIFF_SAME:
		sproc_retarget(sp, e->new);
		break;
	}
}

void
sup_update(struct config *cfg, const struct cfgdiff *d,
    bool (*pick)(const char *group, void *), void *arg)
{
	sup_hold(cfg);
	sup_enter();
	for (size_t i = 0; i < d->n; i++)
		if (pick == NULL || pick(cfgdiff_group(&d->v[i]), arg))
			sup_apply_entry(&d->v[i]);
	/* Only now: an added program may depend on one added after it. */
	for (size_t i = 0; i < d->n; i++) {
		const struct cfgdiff_entry *e = &d->v[i];
		struct sproc *sp;
		if (e->kind == DIFF_ADDED && e->new->autostart &&
		    (sp = sup_find_cfg(e->new)) != NULL)
			sup_start_tree(sp, 0);
	}
	sup.changed = true;	/* settle what is already down */
	sup_leave();
}

bool
sup_update_pending(void)
{
	for (size_t i = 0; i < sup.n; i++)
		if (sup.v[i]->retiring || sup.v[i]->next != NULL)
			return true;
	return sup.reload_cfg != NULL;
}

/* Everything is down: build the table afresh and start it. */
static void
sup_reload_stopped(void)
{
	struct config *cfg = sup.reload_cfg;
	void (*done)(void) = sup.reload_done;

	while (sup.n > 0)
		sup_table_remove(sup.n - 1);
	sup.shutting_down = false;
	sup.reload_cfg = NULL;
	sup.reload_done = NULL;
	for (size_t i = 0; i < cfg->nprogs; i++)
		sup_table_add(sproc_new(&cfg->progs[i]));
	sup_gc_configs();
	sup_autostart();
	if (done != NULL)
		done();
}

void
sup_reload(struct config *cfg, void (*done)(void))
{
	sup_hold(cfg);
	sup.reload_cfg = cfg;
	sup.reload_done = done;
	sup_shutdown(sup_reload_stopped);
}

bool
sup_reloading(void)
{
	return sup.reload_cfg != NULL;
}
