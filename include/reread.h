/*
 * reread.h -- reread, update, reload: the config file again, compared with
 * what runs.  A config with errors is never applied: its FILE:LINE errors
 * are reported and procd goes on with what it has.
 */
#ifndef PROCD_REREAD_H
#define PROCD_REREAD_H

#include <stdbool.h>

struct buf;
struct cfgdiff;
struct config;

void	reread_init(const char *path);
/* Load the file again.  NULL when it has errors (written to ERR, one
 * FILE:LINE line each); warnings go to the log. */
struct config *reread_read(struct buf *err);
/* Diff CFG against what runs; -1 if out of memory. */
int	reread_diff(const struct config *, struct cfgdiff *);
/* supervisorctl's reread lines: "GROUP: available|changed|disappeared". */
void	reread_describe(const struct cfgdiff *, struct buf *out);
/* The same per process: [{"group","name","change","keys"}], change being
 * added, removed, restart or live. */
void	reread_describe_json(const struct cfgdiff *, struct buf *out);
/* supervisorctl's update lines for the groups GROUPS names (all if
 * NGROUPS is 0); false if a name is no group in either config. */
bool	reread_update_lines(const struct cfgdiff *, int ngroups,
	    char **groups, struct buf *out);
/* Apply D from CFG (taken over) to the groups named (all if none). */
void	reread_apply(struct config *, const struct cfgdiff *, int ngroups,
	    char **groups);
/* SIGHUP: reread + update everything, reporting to the log. */
void	reread_sighup(void);

#endif
