/*
 * cfggroup.h -- the [program:] and [group:] sections of a config into its
 * list of processes, each with its group.
 */
#ifndef PROCD_CFGGROUP_H
#define PROCD_CFGGROUP_H

#include "cfgget.h"
#include "config.h"

/*
 * Fill CF->progs from ST, in the order the [program:] sections first
 * appear.  CF's global settings must already be set.  Problems go into
 * ST's diagnostics.
 */
void	cfggroup_build(struct cfgstore *st, struct config *cf);

#endif
