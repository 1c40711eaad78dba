/*
 * cfghealth.h -- the keys of a [program:] section that say when a program
 * is unwell and what that means to procd: health= with health_interval,
 * health_timeout and health_retries (periodic liveness checks, health.c),
 * and shutdown_on= (onfail.c).
 */
#ifndef PROCD_CFGHEALTH_H
#define PROCD_CFGHEALTH_H

#include <stdbool.h>

#include "cfgget.h"
#include "config.h"

/* health=: none, tcp:HOST:PORT, exec:COMMAND or http://HOST[:PORT][/PATH]
 * into a struct health_config's kind and strings (cfgval.h's
 * conventions: 0, or -1 with *CAUSE; the numbers are left alone). */
int	cfghealth_check(const char *, void *out, char **cause);
/* shutdown_on=: never, fatal, unexpected or exit (any case). */
int	cfghealth_shutdown_on(const char *, void *out, char **cause);
/* Read every key of S named above into P, with defaults; FIRST: the
 * section's first process, which warns about keys that do nothing. */
int	cfghealth_settings(struct cfgstore *, const struct cfgsect *,
	    const struct cfgexp *, struct program_config *p, bool first);
void	cfghealth_free(struct health_config *);

#endif
