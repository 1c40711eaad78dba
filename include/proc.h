/*
 * proc.h -- one supervised process and its state machine.
 *
 * proc_step() is pure: it never forks, signals or reads the clock.  It takes
 * an event and the current monotonic time, moves the process to its next
 * state and returns the actions the caller (sup.c) must carry out.  The
 * wanted state (what someone asked for) is kept apart from the actual one
 * (what the process is doing), as runit does with "want".
 */
#ifndef PROCD_PROC_H
#define PROCD_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

struct program_config;

/* supervisord's state names, so users' scripts and habits carry over. */
enum proc_state {
	PROC_STOPPED,
	PROC_STARTING,
	PROC_RUNNING,
	PROC_BACKOFF,
	PROC_STOPPING,
	PROC_EXITED,
	PROC_FATAL,
	PROC_NSTATES
};

enum proc_want {
	WANT_DOWN,
	WANT_UP,
};

enum proc_event {
	PEV_START,		/* someone wants it up: autostart, procctl */
	PEV_STOP,		/* someone wants it down */
	PEV_SPAWNED,		/* the child exists; p->pid is set */
	PEV_SPAWN_FAILED,	/* it could not be started (command,
				 * user, pipes, fork): p->spawnerr */
	PEV_READY,		/* its readiness check passed (ready=) */
	PEV_EXITED,		/* exit status in, output drained */
	PEV_DEADLINE,		/* p->deadline passed */
	PEV_STOP_HELD,		/* wanted down, but the stop itself waits
				 * (for its dependents to go first, or
				 * for its shutdown wave): no restart */
	PEV_UNBLOCKED,		/* held, and the dependencies are up now */
	PEV_DEP_FAILED,		/* held, and a dependency went FATAL;
				 * p->spawnerr says which */
	PEV_WATCHDOG,		/* WATCHDOG=1 came in */
	PEV_UNHEALTHY,		/* health= failed health_retries times in
				 * a row; p->spawnerr says why */
	PEV_NEVENTS
};

/* Actions for the caller, as a bit mask. */
#define PACT_SPAWN	0x01	/* fork/exec it now, then report */
#define PACT_STOP	0x02	/* send stopsignal (to group if stopasgroup) */
#define PACT_KILL	0x04	/* send SIGKILL (to group if killasgroup) */

#define PROC_SPAWNERR_LEN 160

/* One per program: the 8-byte fields first, then the small ones, so
 * that there are no holes. */
struct process {
	const struct program_config *cfg;
	void		*sup;		/* sup.c's per-process data */
	int64_t		 deadline;	/* monotonic ms; 0 when none */
	int64_t		 window_start;	/* restart_limit: this window began */
	int64_t		 start_mono;	/* ms, of the last spawn */
	time_t		 start_wall;	/* for status: 0 = never started */
	time_t		 stop_wall;

	enum proc_state	 state;
	enum proc_want	 want;
	pid_t		 pid;		/* 0 when none */
	int		 wstatus;	/* raw wait status of the last exit */
	unsigned	 backoff;	/* quick failures in a row */
	unsigned	 flaps;		/* restart_limit trips in a row */
	unsigned	 window_restarts; /* restarts in the window */
	unsigned	 restarts;	/* spawns after the first */
	unsigned	 spawns;
	bool		 exit_expected;
	bool		 exec_failed;	/* spawnerr came from the child */
	bool		 waiting;	/* STARTING, held for dependencies */
	bool		 ready_failed;	/* stopping: not ready in time */
	bool		 watchdog_fired; /* stopping: no WATCHDOG=1 in time */
	bool		 health_failed;	/* stopping: its health check failed */
	bool		 dep_failed;	/* FATAL: a dependency was (spawnerr) */
	char		 spawnerr[PROC_SPAWNERR_LEN];
};

/*
 * Feed EVENT at time NOW (monotonic ms).  Changes p->state, p->want,
 * p->deadline and the counters; returns PACT_* bits for the caller.
 * This is the only writer of state, want, waiting, deadline and the
 * counters.  The caller only records facts: p->pid/p->wstatus/p->spawnerr
 * before the event that reports them, p->exec_failed when the child's
 * exec-status pipe says exec failed, p->start_wall/stop_wall from the wall
 * clock.
 */
unsigned	 proc_step(struct process *, enum proc_event, int64_t now);
/*
 * The same, for a process whose dependencies are not all RUNNING when
 * DEPS_UP is false: a spawn it would ask for is held instead -- it shows
 * as STARTING with no pid (p->waiting) until PEV_UNBLOCKED.
 */
unsigned	 proc_step_deps(struct process *, enum proc_event, int64_t now,
		    bool deps_up);

void		 proc_init(struct process *, const struct program_config *);
const char	*proc_state_name(enum proc_state);
const char	*proc_event_name(enum proc_event);
/* STARTING, RUNNING, BACKOFF, STOPPING: "up or trying to be". */
bool		 proc_is_active(enum proc_state);
/* A live pid exists (STARTING, RUNNING, STOPPING). */
bool		 proc_has_pid(const struct process *);
/* The wait before the N-th retry (N >= 1), in ms, per backoff and
 * backoff_max. */
int64_t		 proc_backoff_delay(const struct program_config *, unsigned n);
/* Does P's present state end procd, by its shutdown_on=?  (EXITED or
 * FATAL, as p->exit_expected says; then it is not restarted.) */
bool		 proc_shuts_down(const struct process *);
/* Would exit status CODE be expected by exitcodes? */
bool		 proc_exit_expected(const struct program_config *, int wstatus);
/*
 * Stops go in waves by priority, highest first.  CAND(I, ARG) gives the
 * I-th of N candidates or NULL when it is not one; *TOP is set to the
 * highest priority among them.  False when there are none.
 */
bool		 proc_wave_top(size_t n,
		    const struct process *(*cand)(size_t i, void *arg),
		    void *arg, int *top);

#endif
