/*
 * sup.h -- the process table: carries out what proc_step() decides.
 *
 * sup owns every struct process, their log streams and exec-status pipes;
 * it spawns, signals and reaps, keeps the heartbeat armed for the earliest
 * deadline, orders start-up and shutdown by dependencies and priority, and
 * tells one observer (the command layer) about every state change.  Its
 * parts are listed in supint.h.
 */
#ifndef PROCD_SUP_H
#define PROCD_SUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "proc.h"

struct cfgdiff;
struct config;
struct ev_loop;
struct logstream;
struct program_config;

/*
 * What observers hear, always from the loop after the batch of steps that
 * caused it -- never from inside a sup_* call -- so they may call any
 * sup_* function.  A change from OLD to NEW (P may have moved on since);
 */
typedef void (*sup_change_fn)(struct process *, enum proc_state old,
    enum proc_state new);
/* P was removed (by an update or a reload): it is freed after this round,
 * and starting or stopping it does nothing meanwhile. */
typedef void (*sup_gone_fn)(struct process *);
/* Batches of events are fully handled (updates settled, timer armed),
 * after the changes they made were told. */
typedef void (*sup_settled_fn)(void);

/*
 * A state change as it was when it happened (for events: the process may
 * have moved on by the time it is told): the pid it concerned (the dead
 * one, for an exit), its quick failures so far, whether an exit was
 * expected.  Told, like the changes above, from the loop after the batch,
 * before the observer hears of it.
 */
struct sup_change {
	enum proc_state	 old, new;
	pid_t		 pid;
	unsigned	 tries;
	bool		 expected;
	bool		 gone;		/* removed, as sup_gone_fn */
	bool		 spawn_failed;	/* a spawn failed: supervisord would
					 * have said STARTING first (and this
					 * may be BACKOFF again, unchanged) */
};
typedef void (*sup_event_fn)(struct process *, const struct sup_change *);
void		 sup_set_event_observer(sup_event_fn);

/* Build the table from CFG (which must outlive it) and open the logs. */
int		 sup_init(struct ev_loop *, const struct config *);
void		 sup_free(void);
void		 sup_set_observer(sup_change_fn, sup_gone_fn,
		    sup_settled_fn);

/* Start every autostart program, in priority order. */
void		 sup_autostart(void);

/* Processes sorted by "group:name", as status lists them. */
size_t		 sup_count(void);
struct process	*sup_at(size_t);
/* "name", "group:name"; NULL if none. */
struct process	*sup_find(const char *spec);
/* Display name: "name" when it is alone in its group, else "group:name". */
const char	*sup_name(const struct process *);

/* Start P, and first what it depends on (depends_on); it waits in
 * STARTING until they are RUNNING. */
void		 sup_start(struct process *);
/* Stop P, once what depends on it is stopped (which is done first and
 * brought back when P is started again). */
void		 sup_stop(struct process *);
/* The dependencies a waiting P is held for, not yet RUNNING: up to MAX
 * display names into NAMES; returns how many there are in all. */
size_t		 sup_waiting_for(const struct process *, const char **names,
		    size_t max);
/* The last STATUS= text P sent over NOTIFY_SOCKET, or NULL. */
const char	*sup_status_text(const struct process *);
int		 sup_signal(struct process *, int signo);
/* P's health check failed too often (health.c): WHY is kept as its
 * reason, and P is stopped, then restarted as after an unexpected exit.
 * Ignored unless P is RUNNING. */
void		 sup_unhealthy(struct process *, const char *why);
struct logstream *sup_log(struct process *, int fd /* 1 or 2 */);
/* Hand LEN bytes to P's stdin (sendProcessStdin): 0, or -1 with errno
 * ESRCH (not running, or being stopped), EPIPE (its stdin is closed, or
 * it is a listener), ENOBUFS (too much waits for it to read already). */
int		 sup_stdin(struct process *, const char *data, size_t len);
uint64_t	 sup_lost_bytes(const struct process *);
/* The file stdout (ERR: stderr) is logged to, as XML-RPC names it: its
 * path (AUTO's made-up name), procd's /dev/stdout, or "" for none. */
const char	*sup_log_path(const struct process *, bool err);
/* A spawn of P waits in the queue (restarts are paced). */
bool		 sup_spawn_pending(const struct process *);

/* SIGCHLD: reap everything there is to reap. */
void		 sup_reap(void);
/* SIGALRM: run the deadlines that are due and re-arm the heartbeat. */
void		 sup_tick(void);
/* SIGUSR2: reopen every log file. */
void		 sup_reopen_logs(void);

/* Stop everything in reverse priority order; DONE is called from the loop
 * once no program is left. */
void		 sup_shutdown(void (*done)(void));
bool		 sup_shutting_down(void);
/* Something that held a listener back in a shutdown let go (evbus.c):
 * take the next step, from the loop. */
void		 sup_shutdown_poke(void);

/* The configs of what runs now (for diffing); caller frees the array. */
size_t		 sup_configs(const struct program_config ***);
/*
 * Apply D (computed against sup_configs()) from CFG, which sup takes over,
 * to the groups PICK accepts (all when NULL): start the added, stop and
 * remove the removed, restart the changed once they are down, retarget the
 * live-changed and the unchanged without touching them.
 */
void		 sup_update(struct config *cfg, const struct cfgdiff *d,
		    bool (*pick)(const char *group, void *), void *arg);
/* Some update still waits for a process to go down. */
bool		 sup_update_pending(void);
/* Stop everything, then run CFG (taken over) from scratch; until then
 * sup_reloading() is true. */
void		 sup_reload(struct config *cfg);
bool		 sup_reloading(void);

#endif
