/*
 * supint.h -- what the parts of the process table share, and nothing
 * outside them sees (sup.h is the interface):
 *
 *   sup.c        the table: entries, lookup, names, logs
 *   supstep.c    the executor: steps, batches, reaping, the heartbeat,
 *                and the queued delivery of state changes
 *   supspawn.c   spawn plumbing: pipes, readiness, the spawn queue
 *   supdeps.c    dependencies: holds, start and stop trees, start order
 *   supdown.c    shutdown in waves
 *   supupdate.c  updates and reloads of the configuration
 */
#ifndef PROCD_SUPINT_H
#define PROCD_SUPINT_H

#include <stdbool.h>
#include <stddef.h>

#include <ev.h>

#include "depgraph.h"
#include "proc.h"
#include "sup.h"

struct sproc {
	struct process	 p;
	char		*display;	/* sup_name() */
	struct logstream *out, *err;
	struct stdinfeed *in;		/* its stdin pipe, while it runs */
	ev_io		 status_w;	/* exec-status pipe; fd -1 if none */
	/* Updates that wait for the process to be down first: */
	const struct program_config *next; /* switch to this config, */
	bool		 start_after;	/* then start it again */
	bool		 retiring;	/* removed from the config: then free */
	bool		 dead;		/* out of the table, freed once the
					 * observers have heard of it */
	bool		 spawn_pending;	/* in the spawn queue */
	/* Dependencies (depends_on), here to fill the hole before qnext: */
	bool		 stop_held;	/* stop once its dependents are down */
	bool		 cascaded;	/* stopped for a dependency: start
					 * again with it */
	struct sproc	*qnext;		/* in the spawn queue */
	size_t		 idx;		/* in sup.v, as of the last graph */
	/* Readiness (ready=, watchdog=): */
	struct ready_probe *probe;	/* while STARTING, if ready= needs */
	char		*status_text;	/* its last STATUS= (sd_notify) */
};

/* A state change or a removal, waiting to be told to the observers. */
struct sup_note {
	struct sproc	*sp;
	enum proc_state	 old, new;
	bool		 gone;
	pid_t		 pid;		/* sup_change: as it was */
	unsigned	 tries;
	bool		 expected;
	bool		 spawn_failed;
	bool		 events_only;	/* no change of state: not for the
					 * observer, only for events */
};

struct sup_state {
	struct ev_loop	*loop;
	const struct config *cfg;
	struct sproc	**v;		/* sorted by display name */
	size_t		 n;
	/* Observers, and what waits for them (supstep.c): */
	sup_change_fn	 observer;
	sup_gone_fn	 gone;
	sup_settled_fn	 settled;
	sup_event_fn	 events;	/* the event bus (evbus.c) */
	struct sup_note	*notes;
	size_t		 nnotes, notecap;
	struct sproc	**graveyard;	/* removed, freed after delivery */
	size_t		 ndead;
	struct sproc	**dying;	/* the graveyard of the round being
					 * delivered: its configs still in use */
	size_t		 ndying;
	ev_timer	 deliver_w;
	bool		 down_done;	/* shutdown over: call
					 * shutdown_done after delivery */
	/* Batches (supstep.c): */
	int		 depth;		/* nesting of sup_enter() */
	bool		 changed;	/* a state changed in this batch */
	bool		 defer_spawns;	/* reaping or ticking: queue spawns */
	int64_t		 armed;		/* deadline the timer is set for */
	/* The spawn queue (supspawn.c): */
	struct sproc	*qhead, *qtail;
	ev_timer	 spawn_w;	/* serves the queue, a batch per pass */
	/* Dependencies (supdeps.c): */
	struct depgraph	 g;		/* over sup.v; rebuilt when stale */
	bool		 g_stale;
	/* Configs, updates and reloads (supupdate.c): */
	struct config	**held;		/* configs loaded since start-up */
	size_t		 nheld;
	struct config	*reload_cfg;	/* reload: the table to build once down */
	/* Shutdown (supdown.c): */
	bool		 shutting_down;
	void		(*shutdown_done)(void);
};

extern struct sup_state sup;

/* sup.c */
struct sproc	*sproc_of(struct process *);
struct sproc	*sproc_new(const struct program_config *);
void		 sproc_free(struct sproc *);
struct logstream *sproc_open_log(const struct logdest_config *,
		    const char *name, const char *stream);
/* Alive: a pid to stop or wait for, or a retry pending (BACKOFF). */
bool		 sproc_alive(const struct sproc *);
void		 sup_table_add(struct sproc *);
/* Take entry I out of the table; freed once the observers heard it. */
void		 sup_table_remove(size_t i);
struct sproc	*sup_find_pid(pid_t);
struct sproc	*sup_find_cfg(const struct program_config *);

/* supstep.c */
void		 sup_enter(void);
void		 sup_leave(void);
/* Feed EV to SP's state machine and carry out what it decides. */
void		 sup_step(struct sproc *, enum proc_event);
void		 sup_note_gone(struct sproc *);
void		 sup_notes_init(void);
void		 sup_notes_free(void);

/* supspawn.c */
void		 sup_spawn_init(void);
void		 sup_spawn(struct sproc *);
void		 sup_queue_spawn(struct sproc *);
/* Spawn what heads the queue now (a pass), the rest from the loop. */
void		 sup_spawn_pass(void);
void		 sup_unqueue(struct sproc *);
/* A readiness check passed (ready.h's ready_done_fn). */
void		 sup_ready(struct process *);
/* A datagram on NOTIFY_SOCKET (notifysrv.h's notifysrv_fn). */
void		 sup_notified(pid_t, unsigned what, const char *status);
void		 sproc_close_status(struct sproc *);
/* Collect what the child said on its exec-status pipe, if anything. */
void		 sproc_read_status(struct sproc *);

/* supdeps.c */
const struct depgraph *sup_graph(void);
bool		 sup_deps_up(struct sproc *);
bool		 sup_rdeps_down(struct sproc *);
void		 sup_release(void);
void		 sup_start_tree(struct sproc *, size_t depth);

/* supdown.c */
void		 sup_shutdown_next(void);

/* supupdate.c */
void		 sup_settle(void);
void		 sup_reload_stopped(void);
void		 sup_configs_free(void);

#endif
