/*
 * ctlcmds.h -- what procctl knows about each command before asking procd:
 * its help text (one table, which `help`, `help TOPIC` and procctl(1)
 * follow), how many arguments it takes, and the message and exit code
 * supervisorctl gives when they are wrong.  Pure.
 */
#ifndef PROCD_CTLCMDS_H
#define PROCD_CTLCMDS_H

#include <stdbool.h>

struct buf;

enum ctlcmd_where {
	CTLCMD_REMOTE,		/* procd answers */
	CTLCMD_LOCAL,		/* procctl answers: help, quit, exit, EOF */
	CTLCMD_UNSUPPORTED,	/* supervisorctl's, not procctl's: fg, open */
};

struct ctlcmd {
	const char	*name;
	enum ctlcmd_where where;
	int		 min, max;	/* arguments; max -1: any number */
	int		 code;		/* exit code when the count is wrong */
	const char	*few;		/* the error when fewer than min */
	bool		 status_like;	/* unreachable procd: 4, else 7 */
	const char	*help;		/* "usage\tdescription" lines */
};

/* The command NAME; NULL for none (supervisorctl: "Unknown syntax"). */
const struct ctlcmd *ctlcmds_find(const char *name);
/* Check the argument count of ARGV (ARGV[0] the command).  -1 when it is
 * fine; else the exit code, with the error and the help text in OUT. */
int	ctlcmds_check(const struct ctlcmd *, int argc, char **argv,
	    struct buf *out);
/* `help` (TOPIC NULL): the commands in columns, as Python's cmd module
 * lays them out; `help TOPIC`: its text, or "*** No help on TOPIC". */
void	ctlcmds_help(const char *topic, struct buf *out);

#endif
