/*
 * ready.h -- the readiness checks procd runs itself: ready=fd:N, and
 * tcp:HOST:PORT, http://HOST:PORT/PATH and exec:COMMAND (one try each
 * through probe.h); notify is notifysrv.h's, startsecs proc.c's.
 *
 * A probe lives while its process is STARTING with a pid.  When its check
 * passes it calls DONE once; the caller frees it when the process leaves
 * STARTING for any reason.
 */
#ifndef PROCD_READY_H
#define PROCD_READY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ev_loop;
struct process;
struct ready_probe;

typedef void (*ready_done_fn)(struct process *);

/*
 * Make P's probe, before it is spawned: *OUT is NULL when its ready=
 * needs none.  For fd:N, *CHILD_FD is the write end of the pipe the child
 * must get as descriptor N (the caller closes it once spawned), else -1.
 * -1 with a reason in CAUSE when a descriptor could not be made.
 */
int	ready_probe_new(struct ev_loop *, struct process *, ready_done_fn,
	    struct ready_probe **out, int *child_fd, char *cause,
	    size_t causelen);
/* P is spawned (p->pid set): start checking. */
void	ready_probe_start(struct ready_probe *);
/* Stop checking and free; a check command still running is killed
 * (its exit comes to probe_reaped, probe.h). */
void	ready_probe_free(struct ready_probe *);
/* Across a re-exec: an fd:N probe's pipe (procd's end; -1 for other
 * kinds, or once closed), then in the new image, for the probe just made
 * for the same process, that pipe in place of its own new one. */
int	ready_probe_fd(const struct ready_probe *);
void	ready_probe_carried(struct ready_probe *, int fd);

#endif
