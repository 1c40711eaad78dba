/*
 * sup.h -- the process table: carries out what proc_step() decides.
 *
 * sup owns every struct process, their log streams and exec-status pipes;
 * it spawns, signals and reaps, keeps the heartbeat armed for the earliest
 * deadline, orders start-up and shutdown by priority, and tells one
 * observer (the command layer) about every state change.
 */
#ifndef PROCD_SUP_H
#define PROCD_SUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "proc.h"

struct config;
struct ev_loop;
struct logstream;

typedef void (*sup_change_fn)(struct process *, enum proc_state old);

/* Build the table from CFG (which must outlive it) and open the logs. */
int		 sup_init(struct ev_loop *, const struct config *,
		    char *const *base_env);
void		 sup_free(void);
void		 sup_set_observer(sup_change_fn);

/* Start every autostart program, in priority order. */
void		 sup_autostart(void);

/* Processes sorted by "group:name", as status lists them. */
size_t		 sup_count(void);
struct process	*sup_at(size_t);
/* "name", "group:name"; NULL if none. */
struct process	*sup_find(const char *spec);
/* Display name: "name" when it is alone in its group, else "group:name". */
const char	*sup_name(const struct process *);

void		 sup_start(struct process *);
void		 sup_stop(struct process *);
int		 sup_signal(struct process *, int signo);
struct logstream *sup_log(struct process *, int fd /* 1 or 2 */);
uint64_t	 sup_lost_bytes(const struct process *);

/* SIGCHLD: reap everything there is to reap. */
void		 sup_reap(void);
/* SIGALRM: run the deadlines that are due and re-arm the heartbeat. */
void		 sup_tick(void);
/* SIGUSR2: reopen every log file. */
void		 sup_reopen_logs(void);

/* Stop everything in reverse priority order; DONE is called once no
 * program is left. */
void		 sup_shutdown(void (*done)(void));
bool		 sup_shutting_down(void);

#endif
