/*
 * cfgdiff.h -- what changed between two configs, process by process.
 *
 * Pure: compares two loaded configs.  A changed process is either one whose
 * way of running changed (command, environment, user, directory, umask,
 * where its output goes): it must be restarted; or one where only procd's
 * handling changed (priority, autorestart, timeouts, log limits...): the
 * change is applied live and the process keeps running.
 */
#ifndef PROCD_CFGDIFF_H
#define PROCD_CFGDIFF_H

#include <stdbool.h>
#include <stddef.h>

struct config;
struct program_config;

enum cfgdiff_kind {
	DIFF_SAME,
	DIFF_LIVE,	/* changed; applied without a restart */
	DIFF_RESTART,	/* changed; restarted */
	DIFF_ADDED,
	DIFF_REMOVED,
};

struct cfgdiff_entry {
	enum cfgdiff_kind kind;
	const struct program_config *old;	/* NULL when added */
	const struct program_config *new;	/* NULL when removed */
	char		 keys[160];	/* the changed keys, comma-separated */
};

struct cfgdiff {
	struct cfgdiff_entry *v;	/* new config's order, then removed */
	size_t		 n;
};

/* Compare the processes that run (OLD, NOLD of them: their configs may come
 * from several loads) with NEW's.  0, or -1 if out of memory. */
int	cfgdiff_compute(const struct program_config *const *old, size_t nold,
	    const struct config *new, struct cfgdiff *);
void	cfgdiff_free(struct cfgdiff *);
/* Classify one process's change. */
enum cfgdiff_kind cfgdiff_program(const struct program_config *,
	    const struct program_config *, char *keys, size_t keyslen);
/* The group an entry belongs to. */
const char *cfgdiff_group(const struct cfgdiff_entry *);

#endif
