/*
 * svdargs.h -- supervisord's command line, for procd run under the name
 * supervisord (a symlink, make install-compat): the options supervisord
 * takes, read as supervisord reads them (Python getopt: short options
 * bundled, long ones by unique prefix, no arguments after the options),
 * checked as supervisord checks them.  Options that set a config value
 * go into a struct cfgglobal_cmdline, which wins over the config file;
 * options procd has no use for are accepted with a warning.
 */
#ifndef PROCD_SVDARGS_H
#define PROCD_SVDARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cfgglobal.h"

enum svdargs_action {
	SVDARGS_RUN,
	SVDARGS_HELP,		/* -h, -?, --help */
	SVDARGS_VERSION,	/* -v, --version */
};

#define SVDARGS_MAXWARN 24

struct svdargs {
	enum svdargs_action action;
	const char	*config;	/* -c; NULL: the default search */
	bool		 nodaemon;	/* -n */
	struct cfgglobal_cmdline cl;	/* its strings are owned here */
	/* Options accepted but not used, each a sentence for stderr. */
	char		*warn[SVDARGS_MAXWARN];
	size_t		 nwarn;
};

/*
 * Parse ARGV (ARGV[0] is the program name).  Returns 0, or -1 with the
 * message supervisord would print after "Error: " (a usage error: exit 2);
 * A then holds nothing (svdargs_free is harmless).
 * Paths are made absolute against the working directory.
 */
int	svdargs_parse(int argc, char *const argv[], struct svdargs *,
	    char **cause);
void	svdargs_free(struct svdargs *);
/* supervisord -h: what procd takes under that name, on F. */
void	svdargs_help(FILE *f, const char *progname);

#endif
