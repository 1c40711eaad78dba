/*
 * cfgprogint.h -- what the parts of a [program:] section's reading share
 * (cfgprog.c: the section and its processes; cfgproglog.c: its log keys).
 * cfgprog.h is the interface.
 */
#ifndef PROCD_CFGPROGINT_H
#define PROCD_CFGPROGINT_H

#include <stdbool.h>

#include "cfgget.h"
#include "cfgstore.h"
#include "config.h"
#include "expand.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* One [program:] section being turned into processes for one group. */
struct cfgprog_ctx {
	struct cfgstore		*st;
	struct config		*cf;
	const struct cfgsect	*s;
	const char		*group;
	struct expand_var	 vars[5];
	struct cfgexp		 exp;
	/* For the keys supervisord reads after environment= (process_name,
	 * command, directory, the logs): ENV_X sees the program's own
	 * environment first, as since supervisord 4.2.0 (its #1170). */
	struct cfgexp		 pexp;
	bool			 first;		/* the first process: warn */
};

enum {
	CFGPROG_VAR_PROGRAM,
	CFGPROG_VAR_GROUP,
	CFGPROG_VAR_HOST,
	CFGPROG_VAR_NUMPROCS,
	CFGPROG_VAR_PROCESS_NUM,
};

/* Report that memory ran out while building the section in C; -1. */
int	cfgprog_oom(const struct cfgprog_ctx *c);
/* <stream>_logfile, _maxbytes and _backups into LD. */
int	cfgprog_log(struct cfgprog_ctx *c, const struct program_config *p,
	    const char *stream, struct logdest_config *ld);
/* stdout_prefix, stderr_prefix and log_timestamps. */
int	cfgprog_heads(struct cfgprog_ctx *c, struct program_config *p);
/* redirect_stderr=true: stderr goes with stdout, never to its own log. */
void	cfgprog_redirect(struct cfgprog_ctx *c, struct program_config *p);

#endif
