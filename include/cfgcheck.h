/*
 * cfgcheck.h -- the checks procd makes itself, as ready= and health= spell
 * them: tcp:HOST:PORT, http://HOST[:PORT][/PATH] and exec:COMMAND, into a
 * struct check_spec (config.h).  cfgval.h's conventions: 0, or -1 with a
 * sentence about the value in *CAUSE.
 */
#ifndef PROCD_CFGCHECK_H
#define PROCD_CFGCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* Does S (blanks before it skipped) begin like a check: tcp:, http://,
 * https:// (refused) or exec: and a command? */
bool	cfgcheck_is(const char *s);
/* S, for which cfgcheck_is holds, into a new *OUT. */
int	cfgcheck_parse(const char *s, struct check_spec **out, char **cause);
void	cfgcheck_free(struct check_spec *);
/* C as written ("tcp:[::1]:80", "http://h:8080/healthz"), into OUT. */
void	cfgcheck_format(const struct check_spec *c, char *out, size_t len);
/* "tcp", "http" or "exec". */
const char *cfgcheck_kind_name(enum check_kind);

#endif
