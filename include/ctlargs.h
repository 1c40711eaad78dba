/*
 * ctlargs.h -- procctl's command line: options (procctl's own, and
 * supervisorctl's when invoked under that name), the command words joined
 * and split again as supervisorctl does, and -s's server URL.
 *
 * Pure: no I/O, nothing exits; errors come back as a message for the
 * caller to print.  The commands themselves are in ctlcmds.h.
 */
#ifndef PROCD_CTLARGS_H
#define PROCD_CTLARGS_H

#include <stdbool.h>

enum ctl_persona {
	CTL_PROCCTL,
	CTL_SUPERVISORCTL,	/* argv[0]'s basename is "supervisorctl" */
};

struct ctlargs {
	enum ctl_persona persona;
	const char	*argv0;		/* as invoked, for "use ARGV0 -h" */
	const char	*config;	/* -c/--configuration */
	const char	*server;	/* -s/--serverurl/--socket, as given */
	const char	*username;	/* -u */
	const char	*password;	/* -p */
	const char	*history;	/* -r/--history-file */
	bool		 json;		/* --json (procctl only) */
	bool		 interactive;	/* -i */
	bool		 help;		/* -h/--help/-? */
	bool		 version;	/* -v/--version */
	int		 argc;		/* the command and its arguments, */
	char	       **argv;		/* joined and split again; malloc'd */
};

/* The persona ARGV0's basename selects. */
enum ctl_persona ctlargs_persona(const char *argv0);
/*
 * Parse ARGV (without argv[0]) into A.  Options come before the command
 * (both personas, getopt style: "-cFILE", "-c FILE", "--configuration=F",
 * unique long prefixes, "--"); procctl also takes -c, -s and --json after
 * it, leaving the command's own options ("tail -f") alone.  0, or -1 with
 * *ERR set to getopt's message ("option -x not recognized"; malloc'd).
 */
int	ctlargs_parse(struct ctlargs *a, enum ctl_persona, int argc,
	    char **argv, char **err);
void	ctlargs_free(struct ctlargs *);

/* supervisorctl's re-joining: ARGV joined with spaces, split again at
 * runs of white space (Python's str.split()).  A NULL-terminated malloc'd
 * vector (free with ctlargs_words_free); its length in *N. */
char  **ctlargs_words(int argc, char *const argv[], int *n);
char  **ctlargs_split(const char *line, int *n);
void	ctlargs_words_free(char **);

enum ctl_url {
	CTL_URL_UNIX,		/* a path or unix://PATH */
	CTL_URL_HTTP,		/* http:// or https:// */
	CTL_URL_BAD,
};
/* What -s SERVER is; *PATH (not malloc'd) points at a unix socket's path.
 * STRICT (supervisorctl) takes URLs only, as its "url" option type does. */
enum ctl_url ctlargs_url(const char *server, bool strict, const char **path);

#endif
