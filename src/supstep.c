/*
 * supstep.c -- the executor of the process table.
 *
 * Everything the table reacts to -- a request, a reaped child, a due
 * deadline, a readiness report -- is turned into sup_step(), which feeds
 * proc_step_deps() and carries out the actions it returns.  Steps come in
 * batches (sup_enter/sup_leave): what concerns the whole table, such as
 * letting go of held starts, settling updates and re-arming the heartbeat,
 * is done once per batch.
 *
 * Observers (the command layer) hear of state changes and removals only
 * after the batch, from the loop (sup_deliver_cb): never in the middle of
 * a step, and never inside a sup_* call they made themselves.  So an
 * observer may call back into the table freely, and nothing it walks is
 * freed under it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "cfgval.h"
#include "clock.h"
#include "config.h"
#include "log.h"
#include "logstream.h"
#include "probe.h"
#include "cfgcheck.h"
#include "ready.h"
#include "render.h"
#include "stdinfeed.h"
#include "supint.h"
#include "sys.h"

static void
sup_kill(struct sproc *sp, int signo, bool group)
{
	pid_t target = group ? -sp->p.pid : sp->p.pid;

	if (sp->p.pid <= 0)
		return;
	if (sys->kill(target, signo) == -1 && errno != ESRCH)
		log_warn("program %s: kill(%ld, %s)", sp->display,
		    (long)target, cfgval_signame(signo) != NULL ?
		    cfgval_signame(signo) : "?");
}

int
sup_signal(struct process *p, int signo)
{
	if (p->pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	return sys->kill(p->pid, signo);
}

void
sup_unhealthy(struct process *p, const char *why)
{
	struct sproc *sp = sproc_of(p);

	if (sp->dead || p->state != PROC_RUNNING)
		return;
	snprintf(p->spawnerr, sizeof p->spawnerr, "%s", why);
	sup_enter();
	sup_step(sp, PEV_UNHEALTHY);
	sup_leave();
}

static const char *
sup_ready_name(const struct ready_config *rc)
{
	switch (rc->kind) {
	case READY_NOTIFY:
		return "notify";
	case READY_FD:
		return "fd";
	case READY_CHECK:
		return cfgcheck_kind_name(rc->check->kind);
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
			    sup_ready_name(&p->cfg->ready));
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

/* ---- delivery to the observers ---- */

static void
sup_schedule_delivery(void)
{
	if (sup.loop == NULL || ev_is_active(&sup.deliver_w))
		return;
	ev_timer_set(&sup.deliver_w, 0., 0.);
	ev_timer_start(sup.loop, &sup.deliver_w);
}

static void
sup_note(struct sproc *sp, enum proc_state old, bool gone, pid_t pid,
    enum proc_event ev)
{
	if (sup.nnotes == sup.notecap) {
		size_t cap = sup.notecap ? sup.notecap * 2 : 16;
		struct sup_note *v = reallocarray(sup.notes, cap, sizeof *v);
		if (v == NULL)
			fatal("reallocarray");
		sup.notes = v;
		sup.notecap = cap;
	}
	sup.notes[sup.nnotes++] = (struct sup_note){ .sp = sp, .old = old,
	    .new = sp->p.state, .gone = gone, .pid = pid != 0 ? pid :
	    sp->p.pid, .tries = sp->p.backoff,
	    .expected = sp->p.exit_expected,
	    .spawn_failed = ev == PEV_SPAWN_FAILED,
	    .events_only = !gone && old == sp->p.state };
	sup_schedule_delivery();
}

/* Out of the table: no more spawns; freed once the observers know. */
void
sup_note_gone(struct sproc *sp)
{
	struct sproc **v;

	sup_unqueue(sp);
	sp->dead = true;
	v = reallocarray(sup.graveyard, sup.ndead + 1, sizeof *v);
	if (v == NULL)
		fatal("reallocarray");
	sup.graveyard = v;
	sup.graveyard[sup.ndead++] = sp;
	sup_note(sp, sp->p.state, true, 0, PEV_NEVENTS);
}

/*
 * One round: the notes and the dead of the batches so far are taken out
 * first, so what the observers cause meanwhile waits for the next round
 * (the timer is armed again by it).
 */
static void
sup_deliver_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sup_note *notes = sup.notes;
	struct sproc **dead = sup.graveyard;
	size_t n = sup.nnotes, ndead = sup.ndead;
	void (*down)(void) = NULL;

	(void)loop;
	(void)w;
	(void)revents;
	sup.notes = NULL;
	sup.nnotes = sup.notecap = 0;
	sup.graveyard = NULL;
	sup.ndead = 0;
	/* What observers cause meanwhile may free configs: not these. */
	sup.dying = dead;
	sup.ndying = ndead;
	for (size_t i = 0; i < n; i++) {
		if (sup.events != NULL)
			sup.events(&notes[i].sp->p, &(struct sup_change){
			    notes[i].old, notes[i].new, notes[i].pid,
			    notes[i].tries, notes[i].expected,
			    notes[i].gone, notes[i].spawn_failed });
		if (notes[i].events_only)
			continue;
		if (notes[i].gone && sup.gone != NULL)
			sup.gone(&notes[i].sp->p);
		else if (!notes[i].gone && sup.observer != NULL)
			sup.observer(&notes[i].sp->p, notes[i].old,
			    notes[i].new);
	}
	free(notes);
	sup.dying = NULL;
	sup.ndying = 0;
	for (size_t i = 0; i < ndead; i++)
		sproc_free(dead[i]);
	free(dead);
	if (sup.down_done) {
		sup.down_done = false;
		down = sup.shutdown_done;
		sup.shutdown_done = NULL;
	}
	if (sup.settled != NULL)
		sup.settled();
	/* A listener held until these changes were events may go now. */
	if (down == NULL && n > 0)
		sup_shutdown_poke();
	if (down != NULL)
		down();
}

void
sup_notes_init(void)
{
	ev_init(&sup.deliver_w, sup_deliver_cb);
}

void
sup_notes_free(void)
{
	if (sup.loop != NULL)
		ev_timer_stop(sup.loop, &sup.deliver_w);
	free(sup.notes);
	for (size_t i = 0; i < sup.ndead; i++)
		sproc_free(sup.graveyard[i]);
	free(sup.graveyard);
}

/* ---- steps and batches ---- */

/*
 * Feed one event and carry out whatever the state machine decides.  A
 * spawn whose dependencies are not up is held by the state machine itself
 * (proc_step_deps); sup_release() lets it go.
 */
void
sup_step(struct sproc *sp, enum proc_event ev)
{
	struct process *p = &sp->p;
	enum proc_state old = p->state;
	pid_t pid = p->pid;
	unsigned acts;

	acts = proc_step_deps(p, ev, clock_now(), sup_deps_up(sp));
	/* A readiness check only makes sense while it is starting. */
	if (sp->probe != NULL && (p->state != PROC_STARTING || p->pid == 0)) {
		ready_probe_free(sp->probe);
		sp->probe = NULL;
	}
	if (p->state != old) {
		if (!proc_is_active(p->state))
			p->stop_wall = time(NULL);
		sup_log_change(sp, old, ev);
		sup_note(sp, old, false, pid, ev);
		sup.changed = true;
	} else if (ev == PEV_SPAWN_FAILED)
		sup_note(sp, old, false, pid, ev);	/* a retry failed */
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

void
sup_enter(void)
{
	sup.depth++;
}

/* The end of a batch: what it changed may let go of held starts and
 * stops, move a shutdown on, or finish an update. */
void
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
	sup_schedule_delivery();	/* settled, at least */
}

/* ---- reaping and the heartbeat ---- */

static void
sup_log_exit(struct sproc *sp, int st)
{
	bool stopping = sp->p.state == PROC_STOPPING;
	char what[64];

	render_wstatus(st, what, sizeof what);
	log_info("%s: %s (%s%s)", stopping ? "stopped" : "exited",
	    sp->display, what, stopping ? "" : WIFSIGNALED(st) ||
	    !proc_exit_expected(sp->p.cfg, st) ? "; not expected" :
	    "; expected");
}

/* A child of ours is gone: collect what it said, then move its state. */
static void
sup_exited(struct sproc *sp, int st)
{
	struct process *p = &sp->p;

	sproc_read_status(sp);
	sproc_close_status(sp);
	/* Its stdin goes with it, as supervisord closes a finished
	 * process's pipes; a grandchild holding it gets end of file. */
	stdinfeed_free(sp->in);
	sp->in = NULL;
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
	while ((pid = sys->reap(&st)) > 0) {
		if ((sp = sup_find_pid(pid)) != NULL)
			sup_exited(sp, st);
		else if (!probe_reaped(pid, st))
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
