/*
 * cfgprog.h -- one [program:NAME] section into the struct program_config
 * list of a config (one entry per process).
 */
#ifndef PROCD_CFGPROG_H
#define PROCD_CFGPROG_H

#include "cfgget.h"
#include "config.h"

/*
 * Append every process of program section S to CF->progs as members of
 * GROUP (HOST is %(host_node_name)s).  CF's global settings (childlogdir,
 * env) must already be set.  Every problem, even running out of memory,
 * becomes an error in ST's diagnostics; a program with an error adds no
 * more processes.
 */
void		 cfgprog_add(struct cfgstore *st, struct config *cf,
		    const struct cfgsect *s, const char *group,
		    const char *host);
/* NULL when NAME may name a process or a group; else why not. */
const char	*cfgprog_badname(const char *name);
/* Free what one program_config holds (not the struct itself). */
void		 cfgprog_free(struct program_config *);
/* PATH as kept in CF's list of files (program_config.file), added the
 * first time; NULL when memory ran out. */
const char	*cfgprog_intern_file(struct config *cf, const char *path);

#endif
