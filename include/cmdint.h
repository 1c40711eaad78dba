/*
 * cmdint.h -- what the command files (cmd.c, cmdjob.c, cmdlog.c,
 * cmdconf.c) share: exit codes, name resolution, request logging, and each
 * file's commands and observers.  Internal to the command layer.
 */
#ifndef PROCD_CMDINT_H
#define PROCD_CMDINT_H

#include <stdbool.h>
#include <stddef.h>

#include "proc.h"

struct client;
struct process;
struct ev_loop;

/* LSB exit codes, as supervisorctl uses them. */
enum {
	EXIT_OK = 0,
	EXIT_GENERIC = 1,
	EXIT_USAGE = 2,
	EXIT_NOT_RUNNING = 3,	/* status: some process is down */
	EXIT_UNKNOWN = 4,	/* status: no such process */
	EXIT_DEAD = 7,		/* spawn error, abnormal termination */
};

/* Append to OUT the processes SPEC names ("all", "g:*", "g:n", "n");
 * returns how many matched. */
size_t	cmd_resolve_one(const char *spec, struct process ***out, size_t *n);
/* Resolve every name; unknown ones get supervisorctl's error line.
 * False if any was unknown. */
bool	cmd_resolve(struct client *, int argc, char **argv,
	    struct process ***out, size_t *n);
/* The processes a command's arguments name (ARGV[0] is the command), or
 * every one without any: EXIT_OK, or EXIT_UNKNOWN when a name matched
 * nothing (told to C). */
int	cmd_resolve_args(struct client *, int argc, char **argv,
	    struct process ***out, size_t *n);
struct render_row;
/* P's row for status (render.h). */
void	cmd_status_row(struct process *, struct render_row *);
/* Log who asked for a state change. */
void	cmd_log_request(struct client *, int argc, char **argv);

/* cmdjob.c: start, stop, restart */
void	cmd_start(struct client *, int, char **);
void	cmd_stop(struct client *, int, char **);
void	cmd_restart(struct client *, int, char **);
void	cmdjob_observe(struct process *, enum proc_state new);
void	cmdjob_forget(struct process *);
void	cmdjob_client_gone(struct client *);

/* cmdlog.c: tail, maintail, clear */
void	cmd_tail(struct client *, int, char **);
void	cmd_maintail(struct client *, int, char **);
void	cmd_clear(struct client *, int, char **);
void	cmd_logread(struct client *, int, char **);
void	cmd_mainclear(struct client *, int, char **);
void	cmdlog_client_gone(struct client *);

/* cmdrpc.c: rpcinfo (for the gateway) */
void	cmd_rpcinfo(struct client *, int, char **);

/* cmdsend.c: stdin, commevent (for the gateway) */
void	cmd_stdin(struct client *, int, char **);
void	cmd_commevent(struct client *, int, char **);

/* cmdconf.c: reread, update, reload, avail */
void	cmd_reread(struct client *, int, char **);
void	cmd_update(struct client *, int, char **);
void	cmd_reload(struct client *, int, char **);
void	cmd_avail(struct client *, int, char **);
void	cmd_add(struct client *, int, char **);
void	cmd_remove(struct client *, int, char **);
void	cmdconf_settled(void);
void	cmdconf_client_gone(struct client *);

/* cmdwait.c: wait */
void	cmdwait_init(struct ev_loop *);
void	cmd_wait(struct client *, int, char **);
void	cmdwait_observe(struct process *);
void	cmdwait_forget(struct process *);
void	cmdwait_client_gone(struct client *);

/* cmdwatch.c: watch */
void	cmd_watch(struct client *, int, char **);
void	cmdwatch_observe(const struct process *, enum proc_state old,
	    enum proc_state new);
void	cmdwatch_client_gone(struct client *);

#endif
