/*
 * cfgdeps.h -- depends_on checked across the whole config: every entry
 * must name something, and no process may end up waiting for itself.
 */
#ifndef PROCD_CFGDEPS_H
#define PROCD_CFGDEPS_H

#include "config.h"

/* Add an error at the depends_on line for each unknown name and cycle. */
void	cfgdeps_check(const struct config *, struct diag_list *);

#endif
