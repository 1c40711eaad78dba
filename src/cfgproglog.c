/*
 * cfgproglog.c -- a [program:] section's log keys: <stream>_logfile
 * (AUTO, NONE, syslog, /dev/stdout, a path), its size and backups, the
 * line heads (stdout_prefix, stderr_prefix, log_timestamps, with
 * [procd]'s defaults) and redirect_stderr.  cfgprog.c reads the rest.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfgget.h"
#include "cfgpath.h"
#include "cfgprogint.h"
#include "lineprefix.h"

/* The path of an AUTO log: <childlogdir>/[<group>_]<name>-<stream>.log. */
static char *
cfgprog_autolog(struct cfgprog_ctx *c, const struct program_config *p,
    const char *stream)
{
	char	*base, *path;
	bool	 prefix = strcmp(p->group, p->name) != 0;

	if (asprintf(&base, "%s%s%s-%s.log", prefix ? p->group : "",
	    prefix ? "_" : "", p->name, stream) == -1)
		return NULL;
	path = cfgpath_join(c->cf->childlogdir, base);
	free(base);
	return path;
}

/* Classify V, the value of <stream>_logfile (key K), into LD. */
static int
cfgprog_logdest(struct cfgprog_ctx *c, const struct program_config *p,
    const char *stream, const struct cfgkey *k, const char *v,
    struct logdest_config *ld)
{
	if (strcasecmp(v, "AUTO") == 0) {
		if (c->cf->childlogdir == NULL)
			return -1;	/* its error is already reported */
		ld->kind = LOGDEST_FILE;
		ld->is_auto = true;
		ld->path = cfgprog_autolog(c, p, stream);
	} else if (strcasecmp(v, "NONE") == 0 || strcasecmp(v, "OFF") == 0)
		ld->kind = LOGDEST_NONE;
	else if (strcasecmp(v, "syslog") == 0) {
		if (c->first)
			cfgstore_diag(c->st, c->s, k, DIAG_WARNING, "syslog is "
			    "not supported by procd (output discarded)");
		ld->kind = LOGDEST_NONE;
	} else if (strcmp(v, "/dev/stdout") == 0 ||
	    strcmp(v, "/dev/fd/1") == 0)
		ld->kind = LOGDEST_STDOUT;
	else if (strcmp(v, "/dev/stderr") == 0 ||
	    strcmp(v, "/dev/fd/2") == 0)
		ld->kind = LOGDEST_STDERR;
	else if (*v == '\0') {
		cfgstore_diag(c->st, c->s, k, DIAG_ERROR, "empty (use NONE "
		    "to discard the output)");
		return -1;
	} else {
		ld->kind = LOGDEST_FILE;
		ld->path = cfgpath_resolve(c->st->files[k->file].dir, v);
	}
	if (ld->kind == LOGDEST_FILE && ld->path == NULL)
		return cfgprog_oom(c);
	return 0;
}

/* <stream>_logfile, _maxbytes and _backups into LD. */
int
cfgprog_log(struct cfgprog_ctx *c, const struct program_config *p,
    const char *stream, struct logdest_config *ld)
{
	struct cfgkey		 def = { NULL, "AUTO", c->s->file, c->s->line };
	const struct cfgkey	*k;
	char			 key[64], *v;
	long			 backups = 10;
	int			 bad = 0;

	snprintf(key, sizeof key, "%s_logfile", stream);
	if ((k = cfgstore_key(c->s, key)) == NULL) {
		def.name = key;
		k = &def;
	}
	if (cfgget_expand(c->st, c->s, k, &c->pexp, &v) == -1)
		bad = -1;
	else {
		bad = cfgprog_logdest(c, p, stream, k, v, ld);
		free(v);
	}
	ld->maxbytes = 50 * 1024 * 1024;
	snprintf(key, sizeof key, "%s_logfile_maxbytes", stream);
	bad |= cfgget_size(c->st, c->s, key, &c->pexp, &ld->maxbytes);
	snprintf(key, sizeof key, "%s_logfile_backups", stream);
	bad |= cfgget_int(c->st, c->s, key, &c->pexp, 0, INT_MAX, &backups);
	ld->backups = backups;
	return bad;
}

/* KEY of the program, else the default of [procd] (or [supervisord]),
 * with the section it is in; NULL when none sets it. */
static const struct cfgkey *
cfgprog_or_global(const struct cfgprog_ctx *c, const char *key,
    const struct cfgsect **s)
{
	static const char *const globals[] = { "procd", "supervisord" };
	const struct cfgkey	*k;

	*s = c->s;
	if ((k = cfgstore_key(c->s, key)) != NULL)
		return k;
	for (size_t i = 0; i < nitems(globals); i++) {
		*s = cfgstore_find(c->st, globals[i]);
		if ((k = cfgstore_key(*s, key)) != NULL)
			return k;
	}
	return NULL;
}

/* Whether an error about key K is already in the list. */
static bool
cfgprog_said(const struct cfgprog_ctx *c, const struct cfgkey *k)
{
	const struct diag_list	*dl = c->st->diags;
	const char		*file = c->st->files[k->file].path;

	for (size_t i = 0; i < dl->n; i++) {
		if (dl->v[i].severity == DIAG_ERROR && dl->v[i].line ==
		    k->line && strcmp(dl->v[i].file, file) == 0)
			return true;
	}
	return false;
}

/* <stream>_prefix into LD, expanded with this process's names (its
 * process_name too); "" (e.g. a program's stdout_prefix = "" under a
 * default of [procd]) is no prefix. */
static int
cfgprog_prefix(struct cfgprog_ctx *c, const struct program_config *p,
    const char *stream, struct logdest_config *ld)
{
	struct expand_var	 vars[nitems(c->vars) + 1];
	struct cfgexp		 exp = c->pexp;
	struct diag_list	 said = { 0 };
	struct cfgstore		 st = *c->st;
	const struct cfgsect	*s;
	const struct cfgkey	*k;
	char			 key[32], *v;
	int			 r;

	snprintf(key, sizeof key, "%s_prefix", stream);
	if ((k = cfgprog_or_global(c, key, &s)) == NULL)
		return 0;
	memcpy(vars, c->vars, sizeof c->vars);
	vars[nitems(c->vars)] = (struct expand_var){ "process_name", p->name,
	    0 };
	exp.vars = vars;
	exp.nvars = nitems(vars);
	/* An error in [procd]'s is said once (by cfgglobal.c, or for the
	 * first program whose names it does not fit), not for every program;
	 * it still fails each. */
	if (s != c->s && cfgprog_said(c, k))
		st.diags = &said;
	r = cfgget_prefix(&st, s, k, &exp, &v);
	diag_free(&said);
	if (r == -1)
		return -1;
	if (*v == '\0')
		free(v);
	else
		ld->prefix = v;
	return 0;
}

/* stdout_prefix, stderr_prefix and log_timestamps: what goes before each
 * line of output (lineprefix.h). */
int
cfgprog_heads(struct cfgprog_ctx *c, struct program_config *p)
{
	enum log_timestamps	 ts = c->cf->log_timestamps;
	int			 bad = 0;

	bad |= cfgget_typed(c->st, c->s, "log_timestamps", &c->exp,
	    lineprefix_parse_stamps, &ts);
	p->out.stamps = p->err.stamps = ts;
	bad |= cfgprog_prefix(c, p, "stdout", &p->out);
	bad |= cfgprog_prefix(c, p, "stderr", &p->err);
	return bad;
}

/* redirect_stderr=true: stderr goes with stdout, never to its own log. */
void
cfgprog_redirect(struct cfgprog_ctx *c, struct program_config *p)
{
	const struct cfgkey	*k = cfgstore_key(c->s, "stderr_logfile");

	if (!p->redirect_stderr)
		return;
	if (c->first && k != NULL && p->err.kind != LOGDEST_NONE &&
	    !p->err.is_auto)
		cfgstore_diag(c->st, c->s, k, DIAG_WARNING, "ignored because "
		    "redirect_stderr is true");
	free(p->err.path);
	p->err.path = NULL;
	free(p->err.prefix);	/* stderr is stdout's: stdout_prefix */
	p->err.prefix = NULL;
	p->err.kind = LOGDEST_NONE;
	p->err.is_auto = false;
}

