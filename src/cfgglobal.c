/*
 * cfgglobal.c -- procd's own settings from [procd] / [supervisord],
 * [unix_http_server] and [supervisorctl], and the checks on
 * [rpcinterface:x].
 *
 * [procd] wins over [supervisord] key by key, so a supervisord.conf can be
 * adapted by adding a [procd] section; both win over [unix_http_server]'s
 * file/chmod/chown.  Values here see %(here)s and the environment procd was
 * started with, as in supervisord (whose [supervisord] environment= only
 * feeds the program sections).  Unset paths get CONTRACT §2's defaults.
 * supervisord's command-line options (-l, -j, -e, -q, -d, -u, -a, -m),
 * when procd runs under that name, win over all of these.
 */

#include <sys/stat.h>
#include <sys/un.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cfgglobal.h"
#include "cfghttp.h"
#include "cfgget.h"
#include "cfgpath.h"
#include "envlist.h"
#include "lineprefix.h"
#include "log.h"
#include "cfguser.h"

#define CFGGLOBAL_SUN_PATH sizeof(((struct sockaddr_un *)0)->sun_path)
#define CFGGLOBAL_RPC_MAIN "supervisor.rpcinterface:make_main_rpcinterface"

/* The command line procd was started with, for every load. */
static const struct cfgglobal_cmdline cfgglobal_none = {
	.loglevel = -1, .umask = -1, .minfds = -1,
};
static const struct cfgglobal_cmdline *cfgglobal_cl = &cfgglobal_none;
/* Check users, groups and directories against this host (procd only). */
static bool cfgglobal_host;

struct cfgglobal {
	struct cfgstore		*st;
	struct config		*cf;
	const struct cfgsect	*procd, *sup, *unix_http, *ctl;
	struct cfgexp		 exp;
};

/* Which of [procd] and [supervisord] sets KEY (or FALLBACK of
 * [unix_http_server]); sets *KEYP to the name to read.  NULL: none. */
static const struct cfgsect *
cfgglobal_pick(const struct cfgglobal *g, const char *key,
    const char *fallback, const char **keyp)
{
	*keyp = key;
	if (cfgstore_key(g->procd, key) != NULL)
		return g->procd;
	if (cfgstore_key(g->sup, key) != NULL)
		return g->sup;
	*keyp = fallback;
	if (fallback != NULL && cfgstore_key(g->unix_http, fallback) != NULL)
		return g->unix_http;
	return NULL;
}

static void
cfgglobal_oom(const struct cfgglobal *g)
{
	diag_add(g->st->diags, DIAG_ERROR, g->st->files[0].path, 0,
	    "out of memory");
}

/* A value from the command line, when given: copied into *OUT. */
static bool
cfgglobal_given(const struct cfgglobal *g, const char *v, char **out)
{
	if (v == NULL)
		return false;
	if ((*out = strdup(v)) == NULL)
		cfgglobal_oom(g);
	return true;
}

/* A unix socket path must fit sun_path, or it would be cut. */
static void
cfgglobal_sunpath(const struct cfgglobal *g, const struct cfgsect *s,
    const char *key, const char *path)
{
	if (path == NULL || strlen(path) < CFGGLOBAL_SUN_PATH)
		return;
	if (s == NULL)
		diag_add(g->st->diags, DIAG_ERROR, g->st->files[0].path, 0,
		    "the default socket path %s is %zu bytes long; a unix "
		    "socket path must be under %zu (set socket=)", path,
		    strlen(path), CFGGLOBAL_SUN_PATH);
	else
		cfgstore_diag(g->st, s, cfgstore_key(s, key), DIAG_ERROR,
		    "%s is %zu bytes long; a unix socket path must be under "
		    "%zu", path, strlen(path), CFGGLOBAL_SUN_PATH);
}

/* "user" or "user:group", neither part empty, each a name or a number
 * that exists here (supervisord checks them as it reads the file). */
static void
cfgglobal_owner(const struct cfgglobal *g, const struct cfgsect *s,
    const char *key)
{
	const char	*o = g->cf->socket_owner, *colon;
	char		*cause = NULL;
	uid_t		 uid;
	gid_t		 gid;

	if (o == NULL)
		return;
	colon = strchr(o, ':');
	if (*o == '\0' || colon == o || (colon != NULL && (colon[1] == '\0' ||
	    strchr(colon + 1, ':') != NULL)))
		cfgstore_diag(g->st, s, cfgstore_key(s, key), DIAG_ERROR,
		    "\"%s\" is not user or user:group", o);
	else if (cfgglobal_host && cfguser_owner(o, &uid, &gid, &cause) == -1) {
		cfgstore_diag(g->st, s, cfgstore_key(s, key), DIAG_ERROR,
		    "\"%s\": %s", o, cause != NULL ? cause : "out of memory");
		free(cause);
	}
}

/* socket, socket_mode, socket_owner (or file, chmod, chown). */
static void
cfgglobal_socket(struct cfgglobal *g)
{
	const struct cfgsect	*s;
	const char		*key;
	int			 mode = 0600;

	if ((s = cfgglobal_pick(g, "socket", "file", &key)) != NULL) {
		if (cfgget_path(g->st, s, key, &g->exp, &g->cf->socket) == 0)
			cfgglobal_sunpath(g, s, key, g->cf->socket);
	} else if ((g->cf->socket = config_default_socket()) == NULL)
		cfgglobal_oom(g);
	else
		cfgglobal_sunpath(g, NULL, NULL, g->cf->socket);
	if ((s = cfgglobal_pick(g, "socket_mode", "chmod", &key)) != NULL)
		cfgget_octal(g->st, s, key, &g->exp, 07777, &mode);
	g->cf->socket_mode = mode;
	if ((s = cfgglobal_pick(g, "socket_owner", "chown", &key)) != NULL &&
	    cfgget_str(g->st, s, key, &g->exp, &g->cf->socket_owner) == 0)
		cfgglobal_owner(g, s, key);
}

/* NAME in the socket's directory (the non-root default for files). */
static char *
cfgglobal_nextto_socket(const struct cfgglobal *g, const char *name)
{
	char	*dir, *p;

	if (g->cf->socket == NULL || (dir = cfgpath_dirname(g->cf->socket)) ==
	    NULL)
		return NULL;
	p = cfgpath_join(dir, name);
	free(dir);
	return p;
}

/* logfile: a path, or syslog. */
static void
cfgglobal_logfile(struct cfgglobal *g)
{
	const struct cfgsect	*s;
	const char		*key;
	char			*v = NULL;

	if ((s = cfgglobal_pick(g, "logfile", NULL, &key)) != NULL) {
		if (cfgget_str(g->st, s, key, &g->exp, &v) == -1)
			return;
		if (strcasecmp(v, "syslog") == 0) {
			free(v);
			g->cf->logfile = strdup("syslog");
		} else {
			free(v);
			cfgget_path(g->st, s, key, &g->exp, &g->cf->logfile);
			return;
		}
	} else if (geteuid() == 0)
		g->cf->logfile = strdup("/var/log/procd/procd.log");
	else
		g->cf->logfile = cfgglobal_nextto_socket(g, "procd.log");
	if (g->cf->logfile == NULL && g->cf->socket != NULL)
		cfgglobal_oom(g);
}

/* The default childlogdir: logfile's directory, unless logfile is not a
 * real file (syslog, /dev/stdout, /proc/1/fd/1): then a log directory. */
static char *
cfgglobal_childlogdir(const struct cfgglobal *g)
{
	const char	*lf = g->cf->logfile;

	if (lf != NULL && strcmp(lf, "syslog") != 0 &&
	    strncmp(lf, "/dev/", 5) != 0 && strncmp(lf, "/proc/", 6) != 0)
		return cfgpath_dirname(lf);
	if (geteuid() == 0)
		return strdup("/var/log/procd");
	return g->cf->socket != NULL ? cfgpath_dirname(g->cf->socket) : NULL;
}

/* Why procd could not create the file PATH at start, or NULL: it makes
 * the file's directory, but not the directories above that. */
static char *
cfgglobal_unmakeable(const char *path)
{
	struct stat	 sb;
	char		*dir, *up, *why = NULL;

	if ((dir = cfgpath_dirname(path)) == NULL)
		return NULL;
	if (stat(dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode) && asprintf(&why, "%s is not a "
		    "directory", dir) == -1)
			why = NULL;
	} else if ((up = cfgpath_dirname(dir)) != NULL) {
		if ((stat(up, &sb) == -1 || !S_ISDIR(sb.st_mode)) &&
		    asprintf(&why, "directory %s does not exist (procd creates "
		    "only the last one, and only in a directory)", dir) == -1)
			why = NULL;
		free(up);
	}
	free(dir);
	return why;
}

/* Refuse now the pidfile or logfile (KEY, at PATH) that start would. */
static void
cfgglobal_makeable(const struct cfgglobal *g, const char *key,
    const char *path, const char *given)
{
	const struct cfgsect	*s;
	const char		*k;
	char			*why;

	if (!cfgglobal_host || path == NULL || strcmp(path, "syslog") == 0 ||
	    (why = cfgglobal_unmakeable(path)) == NULL)
		return;
	if (given != NULL)
		diag_add(g->st->diags, DIAG_ERROR, g->st->files[0].path, 0,
		    "%s from the command line: %s", key, why);
	else if ((s = cfgglobal_pick(g, key, NULL, &k)) != NULL)
		cfgstore_diag(g->st, s, cfgstore_key(s, k), DIAG_ERROR, "%s",
		    why);
	else
		diag_add(g->st->diags, DIAG_ERROR, g->st->files[0].path, 0,
		    "the default %s %s: %s", key, path, why);
	free(why);
}

/* logfile_maxbytes and logfile_backups: procd's own log rotates as a
 * program's does, with supervisord's defaults (50MB, 10). */
static void
cfgglobal_logrotate(struct cfgglobal *g)
{
	const struct cfgsect	*s;
	const char		*key;
	long			 backups = 10;

	g->cf->logfile_maxbytes = 50 * 1024 * 1024;
	g->cf->logfile_backups = 10;
	if ((s = cfgglobal_pick(g, "logfile_maxbytes", NULL, &key)) != NULL)
		(void)cfgget_size(g->st, s, key, &g->exp,
		    &g->cf->logfile_maxbytes);
	if ((s = cfgglobal_pick(g, "logfile_backups", NULL, &key)) != NULL &&
	    cfgget_int(g->st, s, key, &g->exp, 0, INT_MAX, &backups) == 0)
		g->cf->logfile_backups = (int)backups;
}

/* pidfile, logfile, loglevel, childlogdir. */
static void
cfgglobal_files(struct cfgglobal *g)
{
	const struct cfgsect	*s;
	const char		*key;
	char			*v = NULL;
	int			 level;

	if (cfgglobal_given(g, cfgglobal_cl->pidfile, &g->cf->pidfile))
		;	/* -j */
	else if ((s = cfgglobal_pick(g, "pidfile", NULL, &key)) != NULL)
		cfgget_path(g->st, s, key, &g->exp, &g->cf->pidfile);
	else if ((g->cf->pidfile = geteuid() == 0 ? strdup("/run/procd.pid") :
	    cfgglobal_nextto_socket(g, "procd.pid")) == NULL &&
	    g->cf->socket != NULL)
		cfgglobal_oom(g);
	if (!cfgglobal_given(g, cfgglobal_cl->logfile, &g->cf->logfile))
		cfgglobal_logfile(g);
	cfgglobal_makeable(g, "pidfile", g->cf->pidfile, cfgglobal_cl->pidfile);
	cfgglobal_makeable(g, "logfile", g->cf->logfile, cfgglobal_cl->logfile);
	cfgglobal_logrotate(g);
	g->cf->loglevel = LOG_LEVEL_INFO;
	if (cfgglobal_cl->loglevel != -1)
		g->cf->loglevel = cfgglobal_cl->loglevel;
	else if ((s = cfgglobal_pick(g, "loglevel", NULL, &key)) != NULL &&
	    cfgget_str(g->st, s, key, &g->exp, &v) == 0) {
		if ((level = log_level_parse(v)) == -1)
			cfgstore_diag(g->st, s, cfgstore_key(s, key), DIAG_ERROR,
			    "\"%s\" is not a log level (error, warn, info or "
			    "debug)", v);
		else
			g->cf->loglevel = level;
		free(v);
	}
	if (cfgglobal_given(g, cfgglobal_cl->childlogdir,
	    &g->cf->childlogdir))
		;	/* -q */
	else if ((s = cfgglobal_pick(g, "childlogdir", NULL, &key)) != NULL)
		cfgget_path(g->st, s, key, &g->exp, &g->cf->childlogdir);
	else if ((g->cf->childlogdir = cfgglobal_childlogdir(g)) == NULL &&
	    g->cf->socket != NULL)
		cfgglobal_oom(g);
}

/* An error about KEY, from the command line (GIVEN) or the config. */
static void
cfgglobal_refuse(const struct cfgglobal *g, const char *key,
    const char *given, const char *why)
{
	const struct cfgsect	*s;
	const char		*k;

	if (given != NULL || (s = cfgglobal_pick(g, key, NULL, &k)) == NULL)
		diag_add(g->st->diags, DIAG_ERROR, g->st->files[0].path, 0,
		    "%s from the command line: %s", key, why);
	else
		cfgstore_diag(g->st, s, cfgstore_key(s, k), DIAG_ERROR, "%s",
		    why);
}

/* directory= and user= name what exists, or start would fail on them
 * (supervisord refuses both as it reads the file). */
static void
cfgglobal_exists(const struct cfgglobal *g)
{
	const struct config	*cf = g->cf;
	struct stat		 sb;
	char			*why = NULL;
	uid_t			 uid;

	if (!cfgglobal_host)
		return;
	if (cf->directory != NULL && (stat(cf->directory, &sb) == -1 ||
	    !S_ISDIR(sb.st_mode))) {
		if (asprintf(&why, "%s is not an existing directory",
		    cf->directory) != -1)
			cfgglobal_refuse(g, "directory", cfgglobal_cl->directory,
			    why);
		free(why);
		why = NULL;
	}
	if (cf->user != NULL && cfguser_uid(cf->user, &uid, &why) == -1)
		cfgglobal_refuse(g, "user", cfgglobal_cl->user,
		    why != NULL ? why : "out of memory");
	free(why);
}

/* environment_file=, read at each spawn of every program (spawn.c). */
static void
cfgglobal_envfile(struct cfgglobal *g)
{
	const struct cfgsect	*s;
	const char		*key;

	if ((s = cfgglobal_pick(g, "environment_file", NULL, &key)) != NULL)
		cfgget_path(g->st, s, key, &g->exp, &g->cf->env_file);
}

/* umask, directory, nodaemon, minfds, user, environment. */
static void
cfgglobal_process(struct cfgglobal *g)
{
	const struct cfgsect	*s;
	const char		*key;
	char			*v = NULL, *cause;
	long			 minfds = 1024;

	g->cf->umask = 022;
	if (cfgglobal_cl->umask != -1)
		g->cf->umask = cfgglobal_cl->umask;
	else if ((s = cfgglobal_pick(g, "umask", NULL, &key)) != NULL)
		cfgget_octal(g->st, s, key, &g->exp, 0777, &g->cf->umask);
	if (!cfgglobal_given(g, cfgglobal_cl->directory, &g->cf->directory) &&
	    (s = cfgglobal_pick(g, "directory", NULL, &key)) != NULL)
		cfgget_path(g->st, s, key, &g->exp, &g->cf->directory);
	if ((s = cfgglobal_pick(g, "nodaemon", NULL, &key)) != NULL)
		cfgget_bool(g->st, s, key, &g->exp, &g->cf->nodaemon);
	if (cfgglobal_cl->minfds != -1)
		minfds = cfgglobal_cl->minfds;
	else if ((s = cfgglobal_pick(g, "minfds", NULL, &key)) != NULL)
		cfgget_int(g->st, s, key, &g->exp, 0, INT_MAX, &minfds);
	g->cf->minfds = minfds;
	if (!cfgglobal_given(g, cfgglobal_cl->user, &g->cf->user) &&
	    (s = cfgglobal_pick(g, "user", NULL, &key)) != NULL &&
	    cfgget_str(g->st, s, key, &g->exp, &g->cf->user) == 0 &&
	    g->cf->user != NULL && *g->cf->user == '\0') {
		free(g->cf->user);
		g->cf->user = NULL;
	}
	cfgglobal_exists(g);
	cfgglobal_envfile(g);
	if ((s = cfgglobal_pick(g, "environment", NULL, &key)) == NULL ||
	    cfgget_str(g->st, s, key, &g->exp, &v) == -1)
		return;
	if ((g->cf->env = envlist_parse(v, &cause)) == NULL) {
		cfgstore_diag(g->st, s, cfgstore_key(s, key), DIAG_ERROR, "%s",
		    cause != NULL ? cause : "out of memory");
		free(cause);
	}
	free(v);
}

/*
 * log_timestamps, the default of every program's; and stdout_prefix and
 * stderr_prefix, checked here once with stand-in names so that an error
 * is said once, not for every program that expands it (cfgprog.c).
 */
static void
cfgglobal_output(struct cfgglobal *g)
{
	static const char *const prefixes[] = { "stdout_prefix",
	    "stderr_prefix" };
	const struct expand_var	 vars[] = { { "program_name", "x", 0 },
				    { "group_name", "x", 0 },
				    { "process_name", "x", 0 },
				    { "host_node_name", "x", 0 },
				    { "numprocs", NULL, 1 },
				    { "process_num", NULL, 0 } };
	const struct cfgexp	 exp = { vars, sizeof vars / sizeof vars[0],
				    g->cf->env };
	const struct cfgsect	*s;
	const char		*key;
	char			*v;

	if ((s = cfgglobal_pick(g, "log_timestamps", NULL, &key)) != NULL)
		cfgget_typed(g->st, s, key, &g->exp, lineprefix_parse_stamps,
		    &g->cf->log_timestamps);
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		if ((s = cfgglobal_pick(g, prefixes[i], NULL, &key)) != NULL &&
		    cfgget_prefix(g->st, s, cfgstore_key(s, key), &exp,
		    &v) == 0)
			free(v);
	}
}

/* [supervisorctl] serverurl=unix://PATH: where procctl finds procd. */
static void
cfgglobal_ctl(struct cfgglobal *g)
{
	const struct cfgkey	*k = cfgstore_key(g->ctl, "serverurl");
	char			*v = NULL;

	if (k == NULL || cfgget_str(g->st, g->ctl, "serverurl", &g->exp,
	    &v) == -1)
		return;
	if (strncmp(v, "http://", 7) == 0)
		;	/* procctl's over HTTP when no unix socket is named */
	else if (strncmp(v, "unix://", 7) != 0)
		cfgstore_diag(g->st, g->ctl, k, DIAG_WARNING, "procctl "
		    "takes unix:// and http:// URLs only (ignored)");
	else if (v[7] == '\0')
		cfgstore_diag(g->st, g->ctl, k, DIAG_ERROR, "empty socket path");
	else if ((g->cf->ctl_socket = cfgpath_resolve(
	    g->st->files[k->file].dir, v + 7)) == NULL)
		cfgglobal_oom(g);
	else
		cfgglobal_sunpath(g, g->ctl, "serverurl", g->cf->ctl_socket);
	free(v);
}

/* [rpcinterface:x]: supervisord's own interface is procd's; others not. */
static void
cfgglobal_rpc(struct cfgglobal *g, const struct cfgsect *s)
{
	const struct cfgkey	*k;
	const char		*v;
	size_t			 n;

	k = cfgstore_key(s, "supervisor.rpcinterface_factory");
	if (k == NULL) {
		diag_add(g->st->diags, DIAG_WARNING, g->st->files[s->file].path,
		    s->line, "[%s] has no supervisor.rpcinterface_factory "
		    "(ignored)", s->name);
		return;
	}
	for (v = k->value; *v == ' ' || *v == '\t'; v++)
		;
	n = strcspn(v, " \t");
	if (n == strlen(CFGGLOBAL_RPC_MAIN) &&
	    strncmp(v, CFGGLOBAL_RPC_MAIN, n) == 0 && v[n + strspn(v + n,
	    " \t")] == '\0')
		return;
	cfgstore_diag(g->st, s, k, DIAG_WARNING, "\"%s\" is a supervisord "
	    "plugin, which procd cannot load (ignored)", k->value);
}

void
cfgglobal_set_cmdline(const struct cfgglobal_cmdline *cl)
{
	cfgglobal_cl = cl != NULL ? cl : &cfgglobal_none;
}

void
cfgglobal_set_host_checks(bool on)
{
	cfgglobal_host = on;
}

bool
cfgglobal_host_checks(void)
{
	return cfgglobal_host;
}

void
cfgglobal_build(struct cfgstore *st, struct config *cf)
{
	struct cfgglobal	 g = { st, cf, cfgstore_find(st, "procd"),
				    cfgstore_find(st, "supervisord"),
				    cfgstore_find(st, "unix_http_server"),
				    cfgstore_find(st, "supervisorctl"),
				    { NULL, 0, NULL } };
	size_t			 i;

	cfgglobal_socket(&g);
	cfgglobal_files(&g);
	cfgglobal_process(&g);
	cfgglobal_output(&g);
	cfgglobal_ctl(&g);
	cfghttp_build(st, cf, &g.exp);
	for (i = 0; i < st->nsects; i++) {
		if (st->sects[i].type == CFGSECT_RPCINTERFACE)
			cfgglobal_rpc(&g, &st->sects[i]);
	}
}
