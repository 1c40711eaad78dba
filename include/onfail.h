/*
 * onfail.h -- shutdown_on=: when a program goes FATAL or exits (as its
 * shutdown_on says), procd stops everything and exits -- the container
 * idiom of supervisord's "kill supervisord" event listeners, without a
 * listener.
 */
#ifndef PROCD_ONFAIL_H
#define PROCD_ONFAIL_H

#include "proc.h"

/*
 * procd's exit status when a program's failure (FATAL, or an unexpected
 * exit) shut it down: sysexits' EX_UNAVAILABLE, "a service is
 * unavailable".  Apart from procd's own errors (1, 2) and from the
 * 126-165 a shell and a container runtime use for "cannot run" and
 * "killed by a signal".  An expected exit under shutdown_on=exit ends
 * procd with 0.
 */
#define ONFAIL_EXIT_STATUS 69

/* Start the shutdown with procd's exit status (once per run). */
typedef void (*onfail_shutdown_fn)(int status);

void	onfail_init(onfail_shutdown_fn);
/* sup's observer, after each batch: P went from OLD to NEW. */
void	onfail_observe(struct process *, enum proc_state old,
	    enum proc_state new);

#endif
