/*
 * cmd.h -- what each procctl command does, on top of sup.c.
 *
 * Commands that must wait (start waits for RUNNING, stop for the process
 * to be gone) keep a job per client that the sup observer advances; a
 * client that goes away takes its job with it.
 */
#ifndef PROCD_CMD_H
#define PROCD_CMD_H

#include "proc.h"

struct client;
struct ev_loop;

/* HOOKS: what commands reaching beyond the process table call. */
struct cmd_hooks {
	void	(*shutdown)(void);
	struct ev_loop *loop;	/* for wait's deadlines */
};

void	cmd_init(const struct cmd_hooks *);
void	cmd_dispatch(struct client *, int argc, char **argv);
void	cmd_client_gone(struct client *);
/* sup's observer: a process changed state. */
void	cmd_observe(struct process *, enum proc_state old,
	    enum proc_state new);
/* sup's observer: a process is about to be freed by an update. */
void	cmd_forget(struct process *);
/* sup's observer: a batch of events is handled; answer waiting updates. */
void	cmd_settled(void);
/* Across a re-exec: the clients following logs (tail -f, maintail -f)
 * into ST (-1 when out of memory), then in the new image back. */
struct rxstate;
int	cmdlog_carry(struct rxstate *);
void	cmdlog_resume(const struct rxstate *);

#endif
