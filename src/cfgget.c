/*
 * cfgget.c -- one key of the section store as a typed value: %(x)s
 * expansion (here, the caller's names, ENV_X), then the cfgval.c parser,
 * with a "FILE:LINE: [section] key: ..." error when either fails.
 */

#include <sys/utsname.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "cfgget.h"
#include "cfgpath.h"
#include "cfgval.h"
#include "envlist.h"
#include "lineprefix.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* ENV_X for expansion: [supervisord] environment= first, then procd's. */
static const char *
cfgget_env_cb(const char *name, void *arg)
{
	const struct cfgexp	*exp = arg;
	const char		*v;

	if ((v = envlist_get(exp->env, name)) != NULL)
		return v;
	return getenv(name);
}

int
cfgget_expand(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgkey *k, const struct cfgexp *exp, char **out)
{
	struct expand_var	 vars[16];
	size_t			 n = exp->nvars;
	char			*cause;
	struct utsname		 un;

	if (n > nitems(vars) - 2)	/* room for here and host_node_name */
		n = nitems(vars) - 2;
	if (n > 0)	/* exp->vars may be NULL: memcpy(_, NULL, 0) is UB */
		memcpy(vars, exp->vars, n * sizeof vars[0]);
	vars[n++] = (struct expand_var){ "here", st->files[k->file].dir, 0 };
	/* supervisord expands [include] files= with host_node_name too
	 * (platform.node(): uname's nodename), e.g. conf.d/%(host_node_name)s
	 * for per-host files. */
	if (s != NULL && s->type == CFGSECT_INCLUDE) {
		if (uname(&un) == -1)
			snprintf(un.nodename, sizeof un.nodename, "localhost");
		vars[n++] = (struct expand_var){ "host_node_name", un.nodename,
		    0 };
	}
	if (expand_string(k->value, vars, n, cfgget_env_cb, (void *)exp, out,
	    &cause) == 0)
		return 0;
	cfgstore_diag(st, s, k, DIAG_ERROR, "%s",
	    cause != NULL ? cause : "out of memory");
	free(cause);
	return -1;
}

/* The expanded value of KEY: 1 when set, 0 when unset, -1 after an error. */
static int
cfgget_fetch(struct cfgstore *st, const struct cfgsect *s, const char *key,
    const struct cfgexp *exp, const struct cfgkey **k, char **v)
{
	if ((*k = cfgstore_key(s, key)) == NULL)
		return 0;
	return cfgget_expand(st, s, *k, exp, v) == 0 ? 1 : -1;
}

/* Finish a typed getter: report CAUSE when R failed, free V. */
static int
cfgget_done(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgkey *k, char *v, int r, char *cause)
{
	if (r == -1) {
		cfgstore_diag(st, s, k, DIAG_ERROR, "%s",
		    cause != NULL ? cause : "out of memory");
		free(cause);
	}
	free(v);
	return r;
}

int
cfgget_str(struct cfgstore *st, const struct cfgsect *s, const char *key,
    const struct cfgexp *exp, char **out)
{
	const struct cfgkey	*k;
	char			*v;
	int			 r;

	if ((r = cfgget_fetch(st, s, key, exp, &k, &v)) != 1)
		return r;
	*out = v;
	return 0;
}

int
cfgget_path(struct cfgstore *st, const struct cfgsect *s, const char *key,
    const struct cfgexp *exp, char **out)
{
	const struct cfgkey	*k;
	char			*v, *p;
	int			 r;

	if ((r = cfgget_fetch(st, s, key, exp, &k, &v)) != 1)
		return r;
	if (*v == '\0') {
		cause_set(&p, "empty path");
		return cfgget_done(st, s, k, v, -1, p);
	}
	if ((p = cfgpath_resolve(st->files[k->file].dir, v)) == NULL)
		return cfgget_done(st, s, k, v, -1, NULL);
	free(v);
	*out = p;
	return 0;
}

int
cfgget_bool(struct cfgstore *st, const struct cfgsect *s, const char *key,
    const struct cfgexp *exp, bool *out)
{
	const struct cfgkey	*k;
	char			*v, *cause = NULL;
	int			 r;

	if ((r = cfgget_fetch(st, s, key, exp, &k, &v)) != 1)
		return r;
	r = cfgval_bool(v, out, &cause);
	return cfgget_done(st, s, k, v, r, cause);
}

int
cfgget_int(struct cfgstore *st, const struct cfgsect *s, const char *key,
    const struct cfgexp *exp, long min, long max, long *out)
{
	const struct cfgkey	*k;
	char			*v, *cause = NULL;
	int			 r;

	if ((r = cfgget_fetch(st, s, key, exp, &k, &v)) != 1)
		return r;
	r = cfgval_int(v, min, max, out, &cause);
	return cfgget_done(st, s, k, v, r, cause);
}

int
cfgget_size(struct cfgstore *st, const struct cfgsect *s, const char *key,
    const struct cfgexp *exp, uint64_t *out)
{
	const struct cfgkey	*k;
	char			*v, *cause = NULL;
	int			 r;

	if ((r = cfgget_fetch(st, s, key, exp, &k, &v)) != 1)
		return r;
	r = cfgval_size(v, out, &cause);
	return cfgget_done(st, s, k, v, r, cause);
}

int
cfgget_octal(struct cfgstore *st, const struct cfgsect *s, const char *key,
    const struct cfgexp *exp, int max, int *out)
{
	const struct cfgkey	*k;
	char			*v, *cause = NULL;
	int			 r;

	if ((r = cfgget_fetch(st, s, key, exp, &k, &v)) != 1)
		return r;
	r = cfgval_octal(v, max, out, &cause);
	return cfgget_done(st, s, k, v, r, cause);
}

int
cfgget_signal(struct cfgstore *st, const struct cfgsect *s, const char *key,
    const struct cfgexp *exp, int *out)
{
	const struct cfgkey	*k;
	char			*v, *cause = NULL;
	int			 r;

	if ((r = cfgget_fetch(st, s, key, exp, &k, &v)) != 1)
		return r;
	r = cfgval_signal(v, out, &cause);
	return cfgget_done(st, s, k, v, r, cause);
}

int
cfgget_exitcodes(struct cfgstore *st, const struct cfgsect *s,
    const char *key, const struct cfgexp *exp, uint8_t *out)
{
	const struct cfgkey	*k;
	char			*v, *cause = NULL;
	int			 r;

	if ((r = cfgget_fetch(st, s, key, exp, &k, &v)) != 1)
		return r;
	r = cfgval_exitcodes(v, out, &cause);
	return cfgget_done(st, s, k, v, r, cause);
}

int
cfgget_autorestart(struct cfgstore *st, const struct cfgsect *s,
    const char *key, const struct cfgexp *exp, enum autorestart *out)
{
	const struct cfgkey	*k;
	char			*v, *cause = NULL;
	int			 r;

	if ((r = cfgget_fetch(st, s, key, exp, &k, &v)) != 1)
		return r;
	r = cfgval_autorestart(v, out, &cause);
	return cfgget_done(st, s, k, v, r, cause);
}

int
cfgget_typed(struct cfgstore *st, const struct cfgsect *s, const char *key,
    const struct cfgexp *exp, int (*parse)(const char *, void *, char **),
    void *out)
{
	const struct cfgkey	*k;
	char			*v, *cause = NULL;
	int			 r;

	if ((r = cfgget_fetch(st, s, key, exp, &k, &v)) != 1)
		return r;
	r = parse(v, out, &cause);
	return cfgget_done(st, s, k, v, r, cause);
}

int
cfgget_prefix(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgkey *k, const struct cfgexp *exp, char **out)
{
	struct cfgkey	 uq = *k;
	char		*v, *cause = NULL;
	int		 r;

	/* Unquoted before expansion: the quotes are the config's, not a
	 * variable's. */
	if ((uq.value = lineprefix_unquote(k->value)) == NULL)
		return cfgget_done(st, s, k, NULL, -1, NULL);
	r = cfgget_expand(st, s, &uq, exp, &v);
	free(uq.value);
	if (r == -1)
		return -1;
	if (lineprefix_check(v, &cause) == -1)
		return cfgget_done(st, s, k, v, -1, cause);
	*out = v;
	return 0;
}
