/*
 * svdargs.c -- supervisord's command line (svdargs.h).
 *
 * The table below is supervisord's option list (supervisor/options.py,
 * ServerOptions); each entry says what procd does with the value.  The
 * reading follows Python's getopt.getopt, which supervisord uses: options
 * end at the first word that is not one (or at "--"), short options may be
 * bundled (-nc FILE), long ones may be cut to a unique prefix (--nodae),
 * and any word left over is an error.  Values are checked as supervisord
 * checks them, with its messages, so that a script sees the same errors.
 */
#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cause.h"
#include "cfgpath.h"
#include "cfgval.h"
#include "log.h"
#include "svdargs.h"
#include "cfguser.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

enum svdopt_id {
	SVD_CONFIG, SVD_NODAEMON, SVD_SILENT, SVD_HELP, SVD_HELP2,
	SVD_VERSION, SVD_USER, SVD_UMASK, SVD_DIRECTORY, SVD_LOGFILE,
	SVD_MAXBYTES, SVD_BACKUPS, SVD_LOGLEVEL, SVD_PIDFILE, SVD_IDENT,
	SVD_CHILDLOGDIR, SVD_MINFDS, SVD_MINPROCS, SVD_NOCLEANUP,
	SVD_STRIP_ANSI, SVD_PROFILE, SVD_NOPTS
};

struct svdopt {
	char		 shortname;	/* '\0': long only */
	const char	*longname;	/* NULL: short only */
	bool		 arg;
	const char	*ignored;	/* why procd has no use for it, or NULL */
};

static const struct svdopt svdopts[] = {
	[SVD_CONFIG] = { 'c', "configuration", true, NULL },
	[SVD_NODAEMON] = { 'n', "nodaemon", false, NULL },
	[SVD_SILENT] = { 's', "silent", false, "procd in the foreground "
	    "logs to stderr, not stdout" },
	[SVD_HELP] = { 'h', "help", false, NULL },
	[SVD_HELP2] = { '?', NULL, false, NULL },
	[SVD_VERSION] = { 'v', "version", false, NULL },
	[SVD_USER] = { 'u', "user", true, NULL },
	[SVD_UMASK] = { 'm', "umask", true, NULL },
	[SVD_DIRECTORY] = { 'd', "directory", true, NULL },
	[SVD_LOGFILE] = { 'l', "logfile", true, NULL },
	[SVD_MAXBYTES] = { 'y', "logfile_maxbytes", true, "procd's own "
	    "log is rotated by logrotate and SIGUSR2" },
	[SVD_BACKUPS] = { 'z', "logfile_backups", true, "procd's own log "
	    "is rotated by logrotate and SIGUSR2" },
	[SVD_LOGLEVEL] = { 'e', "loglevel", true, NULL },
	[SVD_PIDFILE] = { 'j', "pidfile", true, NULL },
	[SVD_IDENT] = { 'i', "identifier", true, "procd has no XML-RPC "
	    "identifier" },
	[SVD_CHILDLOGDIR] = { 'q', "childlogdir", true, NULL },
	[SVD_MINFDS] = { 'a', "minfds", true, NULL },
	[SVD_MINPROCS] = { '\0', "minprocs", true, "procd does not check "
	    "the process limit" },
	[SVD_NOCLEANUP] = { 'k', "nocleanup", false, "procd's AUTO logs "
	    "have fixed names and are never removed" },
	[SVD_STRIP_ANSI] = { 't', "strip_ansi", false, "procd writes "
	    "program output as it comes" },
	[SVD_PROFILE] = { '\0', "profile_options", true, "procd is not "
	    "written in Python" },
};
_Static_assert(nitems(svdopts) == SVD_NOPTS, "an entry for every option");

/* One option as found: which, as written (for messages), its value. */
struct svdfound {
	enum svdopt_id	 id;
	char		 written[64];
	const char	*value;
};

/* Python's getopt: --NAME[=VALUE], NAME possibly a unique prefix. */
static int
svdargs_long(const char *word, char *const **argv, struct svdfound *f,
    char **cause)
{
	const char	*eq = strchr(word, '='), *name = word + 2;
	size_t		 len = eq != NULL ? (size_t)(eq - name) : strlen(name);
	int		 i, match = -1, nmatch = 0;

	for (i = 0; i < SVD_NOPTS; i++) {
		const char *l = svdopts[i].longname;
		if (l == NULL || strncmp(l, name, len) != 0)
			continue;
		if (l[len] == '\0') {	/* exact: wins over longer ones */
			match = i;
			nmatch = 1;
			break;
		}
		match = i;
		nmatch++;
	}
	if (nmatch == 0)
		return cause_set(cause, "option --%.*s not recognized",
		    (int)len, name);
	if (nmatch > 1)
		return cause_set(cause, "option --%.*s not a unique prefix",
		    (int)len, name);
	f->id = (enum svdopt_id)match;
	snprintf(f->written, sizeof f->written, "--%s",
	    svdopts[match].longname);
	f->value = eq != NULL ? eq + 1 : NULL;
	if (!svdopts[match].arg && f->value != NULL)
		return cause_set(cause, "option %s must not have an argument",
		    f->written);
	if (svdopts[match].arg && f->value == NULL) {
		if (**argv == NULL)
			return cause_set(cause, "option %s requires argument",
			    f->written);
		f->value = *(*argv)++;
	}
	return 0;
}

/* The option whose short name is C, or -1. */
static int
svdargs_short_id(char c)
{
	for (int i = 0; i < SVD_NOPTS; i++) {
		if (c != '\0' && svdopts[i].shortname == c)
			return i;
	}
	return -1;
}

/* A value for a path option: expanded (~), made absolute. */
static char *
svdargs_path(const char *v)
{
	char	cwd[4096];

	if (getcwd(cwd, sizeof cwd) == NULL)
		return NULL;
	return cfgpath_resolve(cwd, v);
}

static bool
svdargs_isdir(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* supervisord's existing_directory (-d, -q): *OUT the absolute path. */
static int
svdargs_dir(const char *v, const char **out, char **why)
{
	char	*p = svdargs_path(v);

	if (p == NULL || !svdargs_isdir(p)) {
		free(p);
		return cause_set(why, "%s is not an existing directory", v);
	}
	free((char *)*out);
	*out = p;
	return 0;
}

/* supervisord's existing_dirpath (-l, -j): the directory must exist. */
static int
svdargs_dirpath(const char *v, const char **out, char **why)
{
	char	*p, *dir;
	bool	 ok;

	free((char *)*out);
	*out = NULL;
	if (strcmp(v, "syslog") == 0) {
		*out = strdup(v);
		return *out == NULL ? cause_set(why, "out of memory") : 0;
	}
	p = svdargs_path(v);
	dir = p != NULL ? cfgpath_dirname(p) : NULL;
	ok = dir != NULL && svdargs_isdir(dir);
	free(dir);
	if (!ok) {
		free(p);
		return cause_set(why, "The directory named as part of the "
		    "path %s does not exist", v);
	}
	*out = p;
	return 0;
}

/* Python's int(): optional sign and blanks around the digits. */
static int
svdargs_int(const char *v, long min, long *out, char **why)
{
	char	*cause = NULL;

	if (cfgval_int(v, min, INT32_MAX, out, &cause) == 0)
		return 0;
	free(cause);
	return cause_set(why, "invalid literal for int() with base 10: "
	    "'%s'", v);
}

/* Check and keep the value of the option F; *WHY says what is wrong. */
static int
svdargs_value(struct svdargs *a, const struct svdfound *f, char **why)
{
	struct cfgglobal_cmdline *cl = &a->cl;
	const char	*v = f->value;
	uint64_t	 size;
	long		 n;
	uid_t		 uid;
	char		*cause = NULL;
	int		 level;

	switch (f->id) {
	case SVD_CONFIG:
		a->config = v;
		return 0;
	case SVD_USER:
		cl->user = v;
		if (cfguser_uid(v, &uid, &cause) == 0)
			return 0;
		free(cause);
		/* Checked when supervisord has read its config: its message
		 * has no "invalid value" in front. */
		cause_set(why, "Invalid user %s %s", strspn(v, "0123456789") ==
		    strlen(v) ? "id" : "name", v);
		return 1;
	case SVD_UMASK:
		if (cfgval_octal(v, 0777, &cl->umask, &cause) == 0)
			return 0;
		free(cause);
		return cause_set(why, "%s can not be converted to an octal "
		    "type", v);
	case SVD_DIRECTORY:
		return svdargs_dir(v, &cl->directory, why);
	case SVD_CHILDLOGDIR:
		return svdargs_dir(v, &cl->childlogdir, why);
	case SVD_LOGFILE:
		return svdargs_dirpath(v, &cl->logfile, why);
	case SVD_PIDFILE:
		return svdargs_dirpath(v, &cl->pidfile, why);
	case SVD_LOGLEVEL:
		if ((level = log_level_parse(v)) == -1)
			return cause_set(why, "bad logging level name '%s'", v);
		cl->loglevel = level;
		return 0;
	case SVD_MINFDS:
		return svdargs_int(v, 0, &cl->minfds, why);
	case SVD_MINPROCS:
	case SVD_BACKUPS:
		return svdargs_int(v, INT32_MIN, &n, why);
	case SVD_MAXBYTES:
		if (cfgval_size(v, &size, &cause) == 0)
			return 0;
		free(cause);
		return cause_set(why, "invalid literal for int() with base "
		    "10: '%s'", v);
	default:
		return 0;
	}
}

/* Carry out the option F. */
static int
svdargs_apply(struct svdargs *a, const struct svdfound *f, bool *seen,
    char **cause)
{
	const struct svdopt *o = &svdopts[f->id];
	char		*why = NULL;
	int		 r;

	if (f->id == SVD_HELP || f->id == SVD_HELP2 || f->id == SVD_VERSION) {
		a->action = f->id == SVD_VERSION ? SVDARGS_VERSION :
		    SVDARGS_HELP;
		return 0;
	}
	if ((r = svdargs_value(a, f, &why)) != 0) {
		if (r == 1)	/* the message stands alone */
			cause_set(cause, "%s", why ? why : "out of memory");
		else
			cause_set(cause, "invalid value for %s '%s': %s", f->written,
			    f->value, why ? why : "out of memory");
		free(why);
		return -1;
	}
	if (seen[f->id])
		return cause_set(cause, "conflicting command line option "
		    "'%s'", f->written);
	seen[f->id] = true;
	if (f->id == SVD_NODAEMON)
		a->nodaemon = true;
	if (o->ignored != NULL && a->nwarn < SVDARGS_MAXWARN &&
	    asprintf(&a->warn[a->nwarn], "%s is accepted and ignored: %s",
	    f->written, o->ignored) != -1)
		a->nwarn++;
	return 0;
}

/* -abc: each a short option; one that takes a value takes the rest. */
static int
svdargs_shorts(struct svdargs *a, const char *word, char *const **argv,
    bool *seen, char **cause)
{
	struct svdfound	 f;
	int		 id;

	for (const char *p = word + 1; *p != '\0' && a->action == SVDARGS_RUN;
	    p++) {
		if ((id = svdargs_short_id(*p)) == -1)
			return cause_set(cause, "option -%c not recognized",
			    *p);
		f.id = (enum svdopt_id)id;
		snprintf(f.written, sizeof f.written, "-%c", *p);
		f.value = NULL;
		if (svdopts[id].arg) {
			if (p[1] != '\0')
				f.value = p + 1;
			else if (**argv == NULL)
				return cause_set(cause, "option -%c requires "
				    "argument", *p);
			else
				f.value = *(*argv)++;
		}
		if (svdargs_apply(a, &f, seen, cause) == -1)
			return -1;
		if (f.value != NULL)
			break;
	}
	return 0;
}

/* "positional arguments are not supported: ['a', 'b']", as Python. */
static int
svdargs_positional(char *const *rest, char **cause)
{
	size_t	 len = 64;
	char	*list, *p;

	for (char *const *r = rest; *r != NULL; r++)
		len += strlen(*r) + 4;
	if ((list = p = malloc(len)) == NULL)
		return cause_set(cause, "out of memory");
	p += sprintf(p, "[");
	for (char *const *r = rest; *r != NULL; r++)
		p += sprintf(p, "%s'%s'", r == rest ? "" : ", ", *r);
	sprintf(p, "]");
	cause_set(cause, "positional arguments are not supported: %s", list);
	free(list);
	return -1;
}

int
svdargs_parse(int argc, char *const argv[], struct svdargs *a, char **cause)
{
	char *const	*av = argv + (argc > 0 ? 1 : 0);
	const char	*word;
	bool		 seen[SVD_NOPTS] = { false };
	struct svdfound	 f;

	memset(a, 0, sizeof *a);
	a->cl = (struct cfgglobal_cmdline){ .loglevel = -1, .umask = -1,
	    .minfds = -1 };
	while (a->action == SVDARGS_RUN && (word = *av) != NULL &&
	    word[0] == '-' && word[1] != '\0') {
		av++;
		if (strcmp(word, "--") == 0)
			break;
		if (word[1] == '-') {
			if (svdargs_long(word, &av, &f, cause) == -1 ||
			    svdargs_apply(a, &f, seen, cause) == -1)
				goto fail;
		} else if (svdargs_shorts(a, word, &av, seen, cause) == -1)
			goto fail;
	}
	if (a->action == SVDARGS_RUN && *av != NULL &&
	    svdargs_positional(av, cause) == -1)
		goto fail;
	return 0;
fail:
	svdargs_free(a);	/* what the options before the bad one took */
	return -1;
}

void
svdargs_free(struct svdargs *a)
{
	free((char *)a->cl.logfile);
	free((char *)a->cl.pidfile);
	free((char *)a->cl.childlogdir);
	free((char *)a->cl.directory);
	for (size_t i = 0; i < a->nwarn; i++)
		free(a->warn[i]);
	memset(a, 0, sizeof *a);
}

void
svdargs_help(FILE *f, const char *progname)
{
	fprintf(f,
"%s -- procd under supervisord's name: runs a set of programs as daemons.\n"
"\n"
"Usage: %s [options]\n"
"\n"
"Options (as supervisord's; values given here win over the config file):\n"
"-c/--configuration FILE -- the config file (searched for if not given)\n"
"-n/--nodaemon -- stay in the foreground (as nodaemon=true)\n"
"-h/--help -- print this message and exit\n"
"-v/--version -- print procd's version number and exit\n"
"-u/--user USER -- run as this user (a name or a number)\n"
"-m/--umask UMASK -- procd's umask, inherited by programs (default 022)\n"
"-d/--directory DIR -- the directory to change to once daemonized\n"
"-l/--logfile FILE -- procd's own log file (or syslog)\n"
"-e/--loglevel LEVEL -- critical, error, warn, info, debug, trace, blather\n"
"-j/--pidfile FILE -- the pidfile\n"
"-q/--childlogdir DIR -- where AUTO program logs go\n"
"-a/--minfds NUM -- descriptors procd makes sure it may open\n"
"\n"
"Accepted for supervisord's sake and ignored, with a warning:\n"
"-s/--silent, -i/--identifier STR, -k/--nocleanup, -t/--strip_ansi,\n"
"-y/--logfile_maxbytes BYTES, -z/--logfile_backups NUM, --minprocs NUM,\n"
"--profile_options OPTIONS\n"
"\n"
"procd's own command line: procd --help\n", progname, progname);
}
