/*
 * evbus.h -- supervisord's event system in procd: what happens becomes an
 * event, each pool subscribed to its type queues it, and the pool's READY
 * listeners are sent it, one at a time each, from the loop.
 *
 * Nothing here is sent from inside the code that caused it: emitting only
 * queues, and a zero-delay timer dispatches after the current callback.
 * State changes come from the process table's event observer, itself
 * called from the loop after each batch (supstep.c).
 *
 * When no pool subscribes to TICK, no timer runs for ticks: an idle procd
 * still makes no wake-ups.
 */
#ifndef PROCD_EVBUS_H
#define PROCD_EVBUS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "evtype.h"

struct buf;
struct ev_loop;
struct process;
struct sup_change;

/* Start: SOCKET is what SUPERVISOR_SERVER_URL names (unix://SOCKET).
 * Makes the pools of the table's listeners and tells them
 * PROCESS_GROUP_ADDED for every group, then SUPERVISOR_STATE_CHANGE_RUNNING
 * (as supervisord does before it starts anything). */
void	 evbus_init(struct ev_loop *, const char *socket);
void	 evbus_free(void);
/* The process table's event observer (sup_set_event_observer). */
void	 evbus_observe(struct process *, const struct sup_change *);
/* After each delivery round: pools and groups follow the table;
 * SUPERVISOR_STATE_CHANGE_STOPPING when a shutdown (or reload) begins. */
void	 evbus_settled(void);
/* A process was removed from the table (it is freed after this round). */
void	 evbus_forget(struct process *);

/* Queue an event of type T with PAYLOAD for every pool subscribed. */
void	 evbus_emit(enum evtype t, const char *payload, size_t len);
/* REMOTE_COMMUNICATION: the entry point for supervisord's XML-RPC
 * sendRemoteCommEvent(type, data), for when procd serves XML-RPC. */
void	 evbus_remote(const char *type, const char *data);

/* Shutdown, once the programs are down: P is a listener that still has
 * events to be sent or answered (for at most a few seconds; then never). */
bool	 evbus_holds(const struct process *);

/* For status: the listener state of P ("READY"...), NULL if P is not a
 * listener with a live process. */
const char *evbus_listener_state(const struct process *);

/* Across a re-exec: the serials, and the listeners' channels when every
 * pool's queue is empty and every listener between events (else -1 and
 * why, and nothing is carried); then, in the new image after evbus_init,
 * the same taken back (what evbus_init queued, the start's own events,
 * is no news to the listeners and goes). */
struct rxstate;
int	 evbus_carry(struct rxstate *, char *why, size_t len);
void	 evbus_resume(const struct rxstate *);
/* A listener's spawn (supspawn.c): make its stdin and stdout pipes, the
 * child's ends in *IN and *OUT; -1 with CAUSE. */
int	 evbus_child_fds(struct process *, int *in, int *out, char *cause,
	    size_t len);
/* After the fork: the child's ends are closed; PID 0: it failed, and the
 * pipes go too. */
void	 evbus_child_started(struct process *, pid_t pid);

#endif
