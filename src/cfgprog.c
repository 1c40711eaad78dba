/*
 * cfgprog.c -- one [program:NAME] section into struct program_config, one
 * per process, with supervisord's semantics (which group it is in is
 * cfggroup.c's business):
 *
 *   - numprocs copies are made, numbered from numprocs_start, and each
 *     value is %(x)s-expanded per process (program_name, group_name,
 *     process_num, numprocs, host_node_name, here, ENV_X), then converted;
 *   - AUTO logs go to <childlogdir>/[<group>_]<name>-stdout.log.
 *
 * An error in one process of a program stops that program (its other
 * processes would only repeat the message); other programs go on.
 */

#include <sys/stat.h>

#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfgget.h"
#include "cfgglobal.h"
#include "cfghealth.h"
#include "cfgpath.h"
#include "cfgprog.h"
#include "cfgsock.h"
#include "cfgval.h"
#include "envlist.h"
#include "lineprefix.h"
#include "shellwords.h"

/* More processes than this from one section is surely a typo. */
#define CFGPROG_NUMPROCS_MAX 10000

#include "cfgprogint.h"


void
cfgprog_free(struct program_config *p)
{
	free(p->name);
	free(p->group);
	free(p->program);
	free(p->command);
	shellwords_free(p->argv);
	free(p->directory);
	free(p->user);
	envlist_free(p->env);
	envlist_free(p->env_own);
	free(p->env_files[0]);
	free(p->env_files[1]);
	free(p->out.path);
	free(p->err.path);
	free(p->out.prefix);
	free(p->err.prefix);
	cfgval_list_free(p->depends_on);
	free(p->depends_file);
	cfgval_ready_free(&p->ready);
	cfghealth_free(&p->health);
	cfgsock_free(p);
	free(p->file);
}

/* Report that memory ran out while building the section in C. */
int
cfgprog_oom(const struct cfgprog_ctx *c)
{
	diag_add(c->st->diags, DIAG_ERROR, c->st->files[c->s->file].path,
	    c->s->line, "[%s]: out of memory", c->s->name);
	return -1;
}

const char *
cfgprog_badname(const char *name)
{
	const char	*p;

	if (*name == '\0')
		return "it is empty";
	for (p = name; *p != '\0'; p++) {
		if (*p == ' ')
			return "it contains a space";
		if (*p == ':')
			return "it contains ':'";
		if (*p == '/')
			return "it contains '/'";
		if ((unsigned char)*p < ' ' || *p == '\177')
			return "it contains a control character";
	}
	return NULL;
}

/* Where in the config a message about S without a key belongs. */
static const struct cfgfile *
cfgprog_file(const struct cfgprog_ctx *c)
{
	return &c->st->files[c->s->file];
}

/* The process name: process_name (default %(program_name)s), expanded. */
static int
cfgprog_name(struct cfgprog_ctx *c, struct program_config *p)
{
	const struct cfgkey	*k = cfgstore_key(c->s, "process_name");
	struct cfgkey		 def = { "process_name", "%(program_name)s",
				    c->s->file, c->s->line };
	const char		*why;

	if (k == NULL)
		k = &def;
	if (cfgget_expand(c->st, c->s, k, &c->pexp, &p->name) == -1)
		return -1;
	if ((why = cfgprog_badname(p->name)) != NULL) {
		cfgstore_diag(c->st, c->s, k, DIAG_ERROR, "process name \"%s\" "
		    "is not valid: %s", p->name, why);
		return -1;
	}
	return 0;
}

/* command= into command and argv; an empty one is only a warning. */
static int
cfgprog_command(struct cfgprog_ctx *c, struct program_config *p)
{
	const struct cfgkey	*k = cfgstore_key(c->s, "command");
	char			*cause;

	if (cfgget_expand(c->st, c->s, k, &c->pexp, &p->command) == -1)
		return -1;
	if ((p->argv = shellwords_split(p->command, &cause)) == NULL) {
		cfgstore_diag(c->st, c->s, k, DIAG_ERROR, "%s",
		    cause != NULL ? cause : "out of memory");
		free(cause);
		return -1;
	}
	if (p->argv[0] == NULL) {
		if (c->first)
			cfgstore_diag(c->st, c->s, k, DIAG_WARNING, "empty "
			    "command: the program will fail to spawn");
		shellwords_free(p->argv);
		p->argv = NULL;
	}
	return 0;
}

/* environment=, laid over [supervisord]'s as supervisord does. */
static int
cfgprog_env(struct cfgprog_ctx *c, struct program_config *p)
{
	char	*v = NULL, *cause, **own;

	if (cfgget_str(c->st, c->s, "environment", &c->exp, &v) == -1)
		return -1;
	if (v == NULL)
		own = NULL;
	else if ((own = envlist_parse(v, &cause)) == NULL) {
		cfgstore_diag(c->st, c->s, cfgstore_key(c->s, "environment"),
		    DIAG_ERROR, "%s", cause != NULL ? cause : "out of memory");
		free(cause);
		free(v);
		return -1;
	}
	free(v);
	p->env = envlist_merge(c->cf->env, own);
	p->env_own = own;	/* laid again over environment_file= */
	return p->env == NULL ? cfgprog_oom(c) : 0;
}

/* environment_file=: the program's own, and [procd]'s for every program
 * (both read at each spawn, spawn.c). */
static int
cfgprog_envfile(struct cfgprog_ctx *c, struct program_config *p)
{
	if (c->cf->env_file != NULL &&
	    (p->env_files[0] = strdup(c->cf->env_file)) == NULL)
		return cfgprog_oom(c);
	return cfgget_path(c->st, c->s, "environment_file", &c->pexp,
	    &p->env_files[1]);
}

/* The integer keys of a program, with their ranges. */
static int
cfgprog_ints(struct cfgprog_ctx *c, struct program_config *p)
{
	static const struct {
		const char	*key;
		size_t		 off;
		long		 min;
	} ints[] = {
		{ "priority", offsetof(struct program_config, priority),
		    INT_MIN },
		{ "startsecs", offsetof(struct program_config, startsecs), 0 },
		{ "backoff_max", offsetof(struct program_config,
		    backoff_max), 1 },
		{ "stopwaitsecs", offsetof(struct program_config,
		    stopwaitsecs), 0 },
		{ "ready_timeout", offsetof(struct program_config,
		    ready_timeout), 0 },
		{ "watchdog", offsetof(struct program_config, watchdog), 0 },
	};
	size_t	i;
	long	v;
	int	bad = 0;

	for (i = 0; i < nitems(ints); i++) {
		v = *(int *)((char *)p + ints[i].off);
		bad |= cfgget_int(c->st, c->s, ints[i].key, &c->exp,
		    ints[i].min, INT_MAX, &v);
		*(int *)((char *)p + ints[i].off) = v;
	}
	return bad;
}

/* procd's restart policy: startretries (or infinite), backoff,
 * restart_limit. */
static int
cfgprog_policy(struct cfgprog_ctx *c, struct program_config *p)
{
	int rate[2] = { 0, 0 }, bad = 0;

	bad |= cfgget_typed(c->st, c->s, "startretries", &c->exp,
	    cfgval_retries, &p->startretries);
	bad |= cfgget_typed(c->st, c->s, "backoff", &c->exp, cfgval_backoff,
	    &p->backoff);
	bad |= cfgget_typed(c->st, c->s, "restart_limit", &c->exp,
	    cfgval_rate, rate);
	p->restart_limit = rate[0];
	p->restart_window = rate[1];
	return bad;
}

/* One depends_on entry: NAME, GROUP:* or GROUP:PROCESS; NULL if fine. */
static const char *
cfgprog_baddep(const char *spec)
{
	const char	*colon = strchr(spec, ':');
	char		 group[256];
	const char	*why;

	if (colon == NULL)
		return cfgprog_badname(spec);
	if ((size_t)(colon - spec) >= sizeof group)
		return "the group name is too long";
	memcpy(group, spec, (size_t)(colon - spec));
	group[colon - spec] = '\0';
	if ((why = cfgprog_badname(group)) != NULL)
		return why;
	return strcmp(colon + 1, "*") == 0 ? NULL : cfgprog_badname(colon + 1);
}

/* depends_on=a, b:*, c:d -- checked against other programs once every
 * section is read (depgraph.c); here only its form. */
static int
cfgprog_depends(struct cfgprog_ctx *c, struct program_config *p)
{
	const struct cfgkey	*k = cfgstore_key(c->s, "depends_on");
	char			*v = NULL, **list;
	const char		*why;

	if (cfgget_str(c->st, c->s, "depends_on", &c->exp, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	list = cfgval_list(v);
	free(v);
	if (list == NULL)
		return cfgprog_oom(c);
	for (char **d = list; *d != NULL; d++) {
		if ((why = cfgprog_baddep(*d)) == NULL)
			continue;
		cfgstore_diag(c->st, c->s, k, DIAG_ERROR, "\"%s\" is not a "
		    "program, group:* or group:process name: %s", *d, why);
		cfgval_list_free(list);
		return -1;
	}
	if (list[0] == NULL) {
		cfgval_list_free(list);
		return 0;
	}
	p->depends_on = list;
	p->depends_line = k->line;
	if ((p->depends_file = strdup(c->st->files[k->file].path)) == NULL)
		return cfgprog_oom(c);
	return 0;
}

/* stopasgroup, and killasgroup which defaults to it and may not undo it. */
static int
cfgprog_groupsig(struct cfgprog_ctx *c, struct program_config *p)
{
	if (cfgget_bool(c->st, c->s, "stopasgroup", &c->exp,
	    &p->stopasgroup) == -1)
		return -1;
	p->killasgroup = p->stopasgroup;
	if (cfgget_bool(c->st, c->s, "killasgroup", &c->exp,
	    &p->killasgroup) == -1)
		return -1;
	if (p->stopasgroup && !p->killasgroup) {
		cfgstore_diag(c->st, c->s, cfgstore_key(c->s, "killasgroup"),
		    DIAG_ERROR, "cannot be false when stopasgroup is true");
		return -1;
	}
	return 0;
}

/* A directory= that is not one fails every spawn: say so (supervisord
 * finds out only at the spawn, so it is no error). */
static void
cfgprog_directory(struct cfgprog_ctx *c, const struct program_config *p)
{
	struct stat	sb;

	if (!c->first || p->directory == NULL || !cfgglobal_host_checks() ||
	    (stat(p->directory, &sb) == 0 && S_ISDIR(sb.st_mode)))
		return;
	cfgstore_diag(c->st, c->s, cfgstore_key(c->s, "directory"),
	    DIAG_WARNING, "%s is not an existing directory (the program will "
	    "fail to spawn)", p->directory);
}

/* Everything else a process has, with supervisord's defaults. */
static int
cfgprog_settings(struct cfgprog_ctx *c, struct program_config *p)
{
	struct cfgstore		*st = c->st;
	const struct cfgsect	*s = c->s;
	int			 bad = 0;

	p->umask = -1;
	p->priority = CONFIG_PRIORITY_DEFAULT;
	p->autostart = true;
	p->autorestart = AUTORESTART_UNEXPECTED;
	p->startsecs = 1;
	p->startretries = 3;
	p->backoff = BACKOFF_LINEAR;
	p->backoff_max = CONFIG_BACKOFF_MAX_DEFAULT;
	p->exitcodes[0] = 1;
	p->stopsignal = SIGTERM;
	p->stopwaitsecs = 10;
	p->ready_timeout = CONFIG_READY_TIMEOUT_DEFAULT;
	bad |= cfgget_path(st, s, "directory", &c->pexp, &p->directory);
	cfgprog_directory(c, p);
	bad |= cfgprog_envfile(c, p);
	bad |= cfgget_octal(st, s, "umask", &c->exp, 0777, &p->umask);
	bad |= cfgget_str(st, s, "user", &c->exp, &p->user);
	bad |= cfgprog_ints(c, p);
	bad |= cfgprog_policy(c, p);
	bad |= cfgprog_depends(c, p);
	bad |= cfgget_typed(st, s, "ready", &c->exp, cfgval_ready, &p->ready);
	bad |= cfgsock_settings(st, s, &c->exp, p, c->first);
	bad |= cfghealth_settings(st, s, &c->exp, p, c->first);
	bad |= cfgget_bool(st, s, "autostart", &c->exp, &p->autostart);
	bad |= cfgget_autorestart(st, s, "autorestart", &c->exp,
	    &p->autorestart);
	bad |= cfgget_exitcodes(st, s, "exitcodes", &c->exp, p->exitcodes);
	bad |= cfgget_signal(st, s, "stopsignal", &c->exp, &p->stopsignal);
	bad |= cfgprog_groupsig(c, p);
	bad |= cfgget_bool(st, s, "redirect_stderr", &c->exp,
	    &p->redirect_stderr);
	bad |= cfgprog_log(c, p, "stdout", &p->out);
	bad |= cfgprog_log(c, p, "stderr", &p->err);
	bad |= cfgprog_heads(c, p);
	if (p->user != NULL && *p->user == '\0') {
		free(p->user);
		p->user = NULL;
	}
	p->out.user = p->err.user = p->user;	/* whose log files are whose */
	cfgprog_redirect(c, p);
	return bad;
}

/* Fill P, process number NUM of the section in C. */
static int
cfgprog_process(struct cfgprog_ctx *c, struct program_config *p, long num)
{
	int	bad = 0;

	c->vars[CFGPROG_VAR_PROCESS_NUM].num = num;
	p->process_num = num;
	p->program = strdup(c->s->arg);
	p->group = strdup(c->group);
	p->file = strdup(cfgprog_file(c)->path);
	p->line = c->s->line;
	if (p->program == NULL || p->group == NULL || p->file == NULL)
		return cfgprog_oom(c);
	if (cfgprog_env(c, p) != 0)
		return -1;
	c->pexp = c->exp;
	c->pexp.env = p->env;
	bad |= cfgprog_name(c, p);
	bad |= cfgprog_command(c, p);
	if (bad == 0)	/* the AUTO log names need the process name */
		bad |= cfgprog_settings(c, p);
	return bad;
}

/* Append a zeroed program_config to CF. */
static struct program_config *
cfgprog_new(struct config *cf)
{
	struct program_config	*v;

	v = reallocarray(cf->progs, cf->nprogs + 1, sizeof *v);
	if (v == NULL)
		return NULL;
	cf->progs = v;
	return memset(&v[cf->nprogs++], 0, sizeof *v);
}

/* numprocs, numprocs_start, and the process_name rule they bring. */
static int
cfgprog_counts(struct cfgprog_ctx *c, long *num, long *start)
{
	const struct cfgkey	*k = cfgstore_key(c->s, "process_name");

	*num = 1;
	*start = 0;
	if (cfgget_int(c->st, c->s, "numprocs", &c->exp, 0,
	    CFGPROG_NUMPROCS_MAX, num) == -1 ||
	    cfgget_int(c->st, c->s, "numprocs_start", &c->exp, 0,
	    INT_MAX - *num, start) == -1)
		return -1;
	if (*num > 1 && (k == NULL || strstr(k->value, "%(process_num)") ==
	    NULL)) {
		diag_add(c->st->diags, DIAG_ERROR, k != NULL ?
		    c->st->files[k->file].path : cfgprog_file(c)->path,
		    k != NULL ? k->line : c->s->line, "[%s] process_name: "
		    "must contain %%(process_num) when numprocs > 1 (e.g. "
		    "process_name=%%(program_name)s_%%(process_num)02d)",
		    c->s->name);
		return -1;
	}
	return 0;
}

void
cfgprog_add(struct cfgstore *st, struct config *cf,
    const struct cfgsect *s, const char *group, const char *host)
{
	struct cfgprog_ctx	 c = { st, cf, s, group, {
		[CFGPROG_VAR_PROGRAM] = { "program_name", s->arg, 0 },
		[CFGPROG_VAR_GROUP] = { "group_name", group, 0 },
		[CFGPROG_VAR_HOST] = { "host_node_name", host, 0 },
		[CFGPROG_VAR_NUMPROCS] = { "numprocs", NULL, 0 },
		[CFGPROG_VAR_PROCESS_NUM] = { "process_num", NULL, 0 },
	    }, { NULL, 0, NULL }, { NULL, 0, NULL }, true };
	struct program_config	*p;
	long			 num, start, i;

	/* Until numprocs is known, only the names that do not depend on it. */
	c.exp = (struct cfgexp){ c.vars, CFGPROG_VAR_NUMPROCS, cf->env };
	if (cfgprog_counts(&c, &num, &start) == -1)
		return;
	c.vars[CFGPROG_VAR_NUMPROCS].num = num;
	c.exp.nvars = nitems(c.vars);
	for (i = start; i < start + num; i++, c.first = false) {
		if ((p = cfgprog_new(cf)) == NULL) {
			cfgprog_oom(&c);
			return;
		}
		if (cfgprog_process(&c, p, i) != 0) {
			cfgprog_free(p);
			cf->nprogs--;
			return;
		}
	}
}
