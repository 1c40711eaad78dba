/*
 * evsource.h -- where events come from, besides a listener's answers:
 * the table's state changes, procd's own state, groups coming and going,
 * the clock (TICK_*) and programs' output (PROCESS_LOG_*).  Each renders
 * its payload at once and hands it to evbus_emit.
 */
#ifndef PROCD_EVSOURCE_H
#define PROCD_EVSOURCE_H

#include <stdbool.h>

#include "evtype.h"

struct process;
struct sup_change;

/* PROCESS_STATE_* for a change; output taps for a program starting. */
void	evsource_state(struct process *, const struct sup_change *);
/* SUPERVISOR_STATE_CHANGE_RUNNING / _STOPPING on an edge of STOPPING
 * (the first call says RUNNING). */
void	evsource_supervisor(bool stopping);
/* PROCESS_GROUP_ADDED / _REMOVED: the table's groups against the last
 * call's. */
void	evsource_groups(void);
/* P leaves the table: its output taps go. */
void	evsource_forget(struct process *);
/* Some pool came or went: arm or disarm the tick timer. */
void	evsource_subscriptions_changed(void);
void	evsource_free(void);

/* evbus.c: does some pool subscribe to a type in M? */
bool	evbus_subscribed(evmask m);

#endif
