/*
 * proc.c -- the supervisord state machine, as a pure transition function.
 *
 * Nothing here forks, signals or reads a clock: proc_step() gets an event
 * and the time, updates the process and returns what sup.c must do.  That
 * keeps every rule of CONTRACT §3 testable with a fake clock.
 *
 * Rules (supervisord's):
 *  - spawn -> STARTING; up for startsecs -> RUNNING (startsecs=0: at once).
 *  - dies while STARTING -> BACKOFF, retried after 1 s, 2 s, ... (the n-th
 *    quick failure waits n s); more than startretries retries -> FATAL.
 *  - dies while RUNNING -> EXITED, then restarted at once per autorestart.
 *  - stop: stopsignal, SIGKILL after stopwaitsecs, then STOPPED.
 *
 * And procd's own:
 *  - ready= other than startsecs: RUNNING on PEV_READY; not ready within
 *    ready_timeout -> stopped, then counted as a quick failure.
 *  - watchdog=: RUNNING must see PEV_WATCHDOG every watchdog seconds, or
 *    it is stopped and counts as an unexpected exit; so does
 *    PEV_UNHEALTHY (health=, health.c).
 *  - shutdown_on=: an exit or FATAL that ends procd is not restarted.
 *  - a spawn held for dependencies (proc_step_deps) shows as STARTING
 *    with no pid until PEV_UNBLOCKED (or PEV_DEP_FAILED -> FATAL).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "config.h"
#include "proc.h"

#define QUICK_EXIT_MSG "Exited too quickly (process log may have details)"
/* After SIGKILL, how often to send it again to a process that lingers. */
#define KILL_RETRY_MS 5000

static const char *const state_names[] = {
	[PROC_STOPPED] = "STOPPED",
	[PROC_STARTING] = "STARTING",
	[PROC_RUNNING] = "RUNNING",
	[PROC_BACKOFF] = "BACKOFF",
	[PROC_STOPPING] = "STOPPING",
	[PROC_EXITED] = "EXITED",
	[PROC_FATAL] = "FATAL",
};
_Static_assert(sizeof(state_names) / sizeof(state_names[0]) == PROC_NSTATES,
    "state_names");

static const char *const event_names[] = {
	[PEV_START] = "start",
	[PEV_STOP] = "stop",
	[PEV_SPAWNED] = "spawned",
	[PEV_SPAWN_FAILED] = "spawn-failed",
	[PEV_READY] = "ready",
	[PEV_EXITED] = "exited",
	[PEV_DEADLINE] = "deadline",
	[PEV_STOP_HELD] = "stop-held",
	[PEV_UNBLOCKED] = "unblocked",
	[PEV_DEP_FAILED] = "dependency-failed",
	[PEV_WATCHDOG] = "watchdog",
	[PEV_UNHEALTHY] = "unhealthy",
};
_Static_assert(sizeof(event_names) / sizeof(event_names[0]) == PEV_NEVENTS,
    "event_names");

const char *
proc_state_name(enum proc_state s)
{
	return (unsigned)s < PROC_NSTATES ? state_names[s] : "UNKNOWN";
}

const char *
proc_event_name(enum proc_event e)
{
	return (unsigned)e < PEV_NEVENTS ? event_names[e] : "unknown";
}

void
proc_init(struct process *p, const struct program_config *cfg)
{
	memset(p, 0, sizeof *p);
	p->cfg = cfg;
	p->state = PROC_STOPPED;
	p->want = WANT_DOWN;
}

bool
proc_is_active(enum proc_state s)
{
	switch (s) {
	case PROC_STARTING:
	case PROC_RUNNING:
	case PROC_BACKOFF:
	case PROC_STOPPING:
		return true;
	case PROC_STOPPED:
	case PROC_EXITED:
	case PROC_FATAL:
	case PROC_NSTATES:
		break;
	}
	return false;
}

bool
proc_has_pid(const struct process *p)
{
	return p->pid > 0;
}

bool
proc_exit_expected(const struct program_config *cfg, int wstatus)
{
	int code;

	if (!WIFEXITED(wstatus))
		return false;	/* killed by a signal: never expected */
	code = WEXITSTATUS(wstatus);
	return (cfg->exitcodes[code / 8] >> (code % 8)) & 1;
}

bool
proc_shuts_down(const struct process *p)
{
	switch (p->cfg->shutdown_on) {
	case SHUTDOWN_ON_EXIT:
		if (p->state == PROC_EXITED)
			return true;
		/* FALLTHROUGH */
	case SHUTDOWN_ON_UNEXPECTED:
		if (p->state == PROC_EXITED && !p->exit_expected)
			return true;
		/* FALLTHROUGH */
	case SHUTDOWN_ON_FATAL:
		return p->state == PROC_FATAL;
	case SHUTDOWN_ON_NEVER:
		break;
	}
	return false;
}

int64_t
proc_backoff_delay(const struct program_config *cfg, unsigned n)
{
	int64_t cap = (int64_t)cfg->backoff_max * 1000, d;

	if (n == 0)
		n = 1;
	if (cfg->backoff == BACKOFF_EXPONENTIAL)
		d = n > 40 ? INT64_MAX / 2 : (int64_t)1000 << (n - 1);
	else
		d = (int64_t)n * 1000;
	return cap > 0 && d > cap ? cap : d;
}

/* Died (or could not be spawned) before it was ready. */
static unsigned
proc_quick_failure(struct process *p, int64_t now)
{
	p->pid = 0;
	p->backoff++;
	if (p->spawnerr[0] == '\0')
		snprintf(p->spawnerr, sizeof p->spawnerr, "%s", QUICK_EXIT_MSG);
	if (p->cfg->startretries != CONFIG_RETRIES_INFINITE &&
	    p->backoff > (unsigned)p->cfg->startretries) {
		p->state = PROC_FATAL;
		p->deadline = 0;
		return 0;
	}
	p->state = PROC_BACKOFF;
	p->deadline = now + proc_backoff_delay(p->cfg, p->backoff);
	return 0;
}

/*
 * restart_limit=N/S: a program that reached RUNNING but keeps dying gets
 * N restarts per S seconds; past that it waits in BACKOFF, longer each
 * time (backoff policy), instead of a tight restart loop.  True when the
 * guard trips.
 */
static bool
proc_flapping(struct process *p, int64_t now)
{
	const struct program_config *cfg = p->cfg;

	if (cfg->restart_limit <= 0)
		return false;
	if (p->window_start == 0 ||
	    now - p->window_start >= (int64_t)cfg->restart_window * 1000) {
		p->window_start = now;
		p->window_restarts = 0;
		p->flaps = 0;
	}
	if (++p->window_restarts <= (unsigned)cfg->restart_limit)
		return false;
	p->flaps++;
	p->state = PROC_BACKOFF;
	p->deadline = now + proc_backoff_delay(cfg, p->flaps);
	snprintf(p->spawnerr, sizeof p->spawnerr, "restarting too often "
	    "(more than %d in %d s: restart_limit)", cfg->restart_limit,
	    cfg->restart_window);
	return true;
}

/* The watchdog's next deadline, or 0 when there is none. */
static int64_t
proc_watchdog_due(const struct process *p, int64_t now)
{
	return p->cfg->watchdog > 0 ? now + (int64_t)p->cfg->watchdog * 1000 :
	    0;
}

static unsigned
proc_become_running(struct process *p, int64_t now)
{
	p->state = PROC_RUNNING;
	p->deadline = proc_watchdog_due(p, now);
	p->backoff = 0;
	p->spawnerr[0] = '\0';
	return 0;
}

static unsigned
proc_begin_stop(struct process *p, int64_t now)
{
	p->state = PROC_STOPPING;
	p->deadline = now + (int64_t)p->cfg->stopwaitsecs * 1000;
	return PACT_STOP;
}

/* Ask for a spawn; the state moves once sup reports how it went. */
static unsigned
proc_want_spawn(struct process *p)
{
	p->spawnerr[0] = '\0';
	p->exec_failed = false;
	p->ready_failed = false;
	p->watchdog_fired = false;
	p->health_failed = false;
	p->dep_failed = false;
	return PACT_SPAWN;
}

static bool
proc_should_restart(const struct process *p)
{
	if (p->want != WANT_UP || proc_shuts_down(p))
		return false;	/* procd goes down with it: no restart */
	switch (p->cfg->autorestart) {
	case AUTORESTART_TRUE:
		return true;
	case AUTORESTART_UNEXPECTED:
		return !p->exit_expected;
	case AUTORESTART_FALSE:
		break;
	}
	return false;
}

/* Forked: STARTING until ready (startsecs up, or the ready= check). */
static unsigned
proc_spawned(struct process *p, int64_t now)
{
	const struct program_config *cfg = p->cfg;

	p->state = PROC_STARTING;
	p->waiting = false;
	p->start_mono = now;
	if (p->spawns++ > 0)
		p->restarts++;
	/* startsecs=0: due at once; the caller runs due deadlines right
	 * away, so STARTING is still seen on the way. */
	if (cfg->ready.kind == READY_STARTSECS)
		p->deadline = now + (int64_t)cfg->startsecs * 1000;
	else if (cfg->ready_timeout > 0)
		p->deadline = now + (int64_t)cfg->ready_timeout * 1000;
	else
		p->deadline = 0;
	return 0;
}

/* A process with no pid: STOPPED, EXITED, FATAL, BACKOFF. */
static unsigned
proc_step_idle(struct process *p, enum proc_event ev, int64_t now)
{
	switch (ev) {
	case PEV_START:
		if (p->state == PROC_BACKOFF)
			return 0;	/* already trying */
		p->want = WANT_UP;
		p->backoff = 0;
		return proc_want_spawn(p);
	case PEV_STOP:
		p->want = WANT_DOWN;
		if (p->state == PROC_BACKOFF) {
			p->state = PROC_STOPPED;
			p->deadline = 0;
		}
		return 0;
	case PEV_DEADLINE:
		if (p->state != PROC_BACKOFF || now < p->deadline)
			return 0;
		p->deadline = 0;
		if (p->want != WANT_UP) {	/* given up on, e.g. shutdown */
			p->state = PROC_STOPPED;
			return 0;
		}
		return proc_want_spawn(p);
	case PEV_SPAWN_FAILED:
		return proc_quick_failure(p, now);
	case PEV_SPAWNED:
		return proc_spawned(p, now);
	case PEV_STOP_HELD:	/* handled by proc_step_deps */
	case PEV_READY:
	case PEV_EXITED:
	case PEV_UNBLOCKED:
	case PEV_DEP_FAILED:
	case PEV_WATCHDOG:
	case PEV_UNHEALTHY:
	case PEV_NEVENTS:
		break;
	}
	return 0;
}

/* STARTING with no pid yet: held until its dependencies are up. */
static unsigned
proc_step_waiting(struct process *p, enum proc_event ev, int64_t now)
{
	switch (ev) {
	case PEV_START:
		p->want = WANT_UP;
		return 0;
	case PEV_STOP:
		p->want = WANT_DOWN;
		p->waiting = false;
		p->state = PROC_STOPPED;
		return 0;
	case PEV_UNBLOCKED:
		return p->want == WANT_UP ? proc_want_spawn(p) : 0;
	case PEV_SPAWNED:
		return proc_spawned(p, now);
	case PEV_SPAWN_FAILED:
		p->waiting = false;
		return proc_quick_failure(p, now);
	case PEV_DEP_FAILED:
		p->waiting = false;
		p->dep_failed = true;
		p->state = PROC_FATAL;
		return 0;
	case PEV_STOP_HELD:
	case PEV_READY:
	case PEV_EXITED:
	case PEV_DEADLINE:
	case PEV_WATCHDOG:
	case PEV_UNHEALTHY:
	case PEV_NEVENTS:
		break;
	}
	return 0;
}

/* A live process (STARTING, RUNNING) asked to go up or down. */
static unsigned
proc_step_request(struct process *p, enum proc_event ev, int64_t now)
{
	if (ev == PEV_START) {
		p->want = WANT_UP;
		return 0;
	}
	p->want = WANT_DOWN;
	return proc_begin_stop(p, now);
}

static unsigned
proc_step_starting(struct process *p, enum proc_event ev, int64_t now)
{
	switch (ev) {
	case PEV_START:
	case PEV_STOP:
		return proc_step_request(p, ev, now);
	case PEV_DEADLINE:
		if (p->deadline == 0 || now < p->deadline)
			return 0;
		if (p->cfg->ready.kind == READY_STARTSECS)
			return proc_become_running(p, now);
		snprintf(p->spawnerr, sizeof p->spawnerr, "not ready after "
		    "%d s (ready_timeout)", p->cfg->ready_timeout);
		p->ready_failed = true;
		return proc_begin_stop(p, now);
	case PEV_READY:
		return proc_become_running(p, now);
	case PEV_EXITED:
		return proc_quick_failure(p, now);
	case PEV_SPAWNED:
	case PEV_SPAWN_FAILED:
	case PEV_STOP_HELD:
	case PEV_UNBLOCKED:
	case PEV_DEP_FAILED:
	case PEV_WATCHDOG:
	case PEV_UNHEALTHY:
	case PEV_NEVENTS:
		break;
	}
	return 0;
}

static unsigned
proc_step_running(struct process *p, enum proc_event ev, int64_t now)
{
	switch (ev) {
	case PEV_START:
	case PEV_STOP:
		return proc_step_request(p, ev, now);
	case PEV_EXITED:
		p->pid = 0;
		p->state = PROC_EXITED;
		p->deadline = 0;
		p->exit_expected = proc_exit_expected(p->cfg, p->wstatus);
		if (!proc_should_restart(p) || proc_flapping(p, now))
			return 0;
		return proc_want_spawn(p);
	case PEV_WATCHDOG:
		if (p->cfg->watchdog > 0)
			p->deadline = proc_watchdog_due(p, now);
		return 0;
	case PEV_DEADLINE:
		if (p->deadline == 0 || now < p->deadline)
			return 0;
		snprintf(p->spawnerr, sizeof p->spawnerr, "watchdog timeout "
		    "(no WATCHDOG=1 for %d s)", p->cfg->watchdog);
		p->watchdog_fired = true;
		return proc_begin_stop(p, now);
	case PEV_UNHEALTHY:
		/* The caller wrote why in spawnerr; stopped, it is an
		 * unexpected exit, as for the watchdog. */
		p->health_failed = true;
		return proc_begin_stop(p, now);
	case PEV_READY:
	case PEV_SPAWNED:
	case PEV_SPAWN_FAILED:
	case PEV_STOP_HELD:
	case PEV_UNBLOCKED:
	case PEV_DEP_FAILED:
	case PEV_NEVENTS:
		break;
	}
	return 0;
}

/* Down after procd stopped it on its own: not ready in time, or the
 * watchdog, or its health check.  Wanted down meanwhile: just STOPPED. */
static unsigned
proc_stopped_by_procd(struct process *p, int64_t now)
{
	bool ready_failed = p->ready_failed;

	p->ready_failed = p->watchdog_fired = p->health_failed = false;
	if (p->want != WANT_UP) {
		p->state = PROC_STOPPED;
		return 0;
	}
	if (ready_failed)
		return proc_quick_failure(p, now);
	p->state = PROC_EXITED;
	p->exit_expected = false;
	if (!proc_should_restart(p) || proc_flapping(p, now))
		return 0;
	return proc_want_spawn(p);
}

static unsigned
proc_step_stopping(struct process *p, enum proc_event ev, int64_t now)
{
	switch (ev) {
	case PEV_START:
		p->want = WANT_UP;	/* start again once it is down */
		return 0;
	case PEV_STOP:
		p->want = WANT_DOWN;
		return 0;
	case PEV_DEADLINE:
		if (now < p->deadline)
			return 0;
		p->deadline = now + KILL_RETRY_MS;
		return PACT_KILL;
	case PEV_EXITED:
		p->pid = 0;
		p->deadline = 0;
		if (p->ready_failed || p->watchdog_fired || p->health_failed)
			return proc_stopped_by_procd(p, now);
		p->state = PROC_STOPPED;
		p->backoff = 0;
		p->exit_expected = proc_exit_expected(p->cfg, p->wstatus);
		return p->want == WANT_UP ? proc_want_spawn(p) : 0;
	case PEV_READY:
	case PEV_SPAWNED:
	case PEV_SPAWN_FAILED:
	case PEV_STOP_HELD:
	case PEV_UNBLOCKED:
	case PEV_DEP_FAILED:
	case PEV_WATCHDOG:
	case PEV_UNHEALTHY:
	case PEV_NEVENTS:
		break;
	}
	return 0;
}

static unsigned	proc_dispatch(struct process *, enum proc_event, int64_t);

/* Held for its dependencies: STARTING, no pid, no deadline. */
static void
proc_hold(struct process *p)
{
	p->state = PROC_STARTING;
	p->waiting = true;
	p->deadline = 0;
}

unsigned
proc_step(struct process *p, enum proc_event ev, int64_t now)
{
	return proc_step_deps(p, ev, now, true);
}

unsigned
proc_step_deps(struct process *p, enum proc_event ev, int64_t now,
    bool deps_up)
{
	unsigned acts;

	if (ev == PEV_STOP_HELD) {
		p->want = WANT_DOWN;
		return 0;
	}
	acts = proc_dispatch(p, ev, now);
	if ((acts & PACT_SPAWN) && !deps_up) {
		acts &= ~PACT_SPAWN;
		proc_hold(p);
	}
	return acts;
}

bool
proc_wave_top(size_t n, const struct process *(*cand)(size_t, void *),
    void *arg, int *top)
{
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		const struct process *p = cand(i, arg);
		if (p == NULL)
			continue;
		if (!any || p->cfg->priority > *top)
			*top = p->cfg->priority;
		any = true;
	}
	return any;
}

static unsigned
proc_dispatch(struct process *p, enum proc_event ev, int64_t now)
{
	switch (p->state) {
	case PROC_STOPPED:
	case PROC_EXITED:
	case PROC_FATAL:
	case PROC_BACKOFF:
		return proc_step_idle(p, ev, now);
	case PROC_STARTING:
		if (p->waiting)
			return proc_step_waiting(p, ev, now);
		return proc_step_starting(p, ev, now);
	case PROC_RUNNING:
		return proc_step_running(p, ev, now);
	case PROC_STOPPING:
		return proc_step_stopping(p, ev, now);
	case PROC_NSTATES:
		break;
	}
	return 0;
}
