/*
 * cfggroup.c -- which group each process is in, as supervisord decides it:
 * a program named in [group:G] programs= belongs to G (and to every group
 * that names it); any other program is a group of its own, named after it.
 * Names a group lists must be [program:] sections, and no two processes of
 * one group may share a name.  The processes themselves come from
 * cfgprog.c.
 */

#include <sys/utsname.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfggroup.h"
#include "cfgprog.h"
#include "cfgsock.h"
#include "evconf.h"
#include "cfgval.h"

/* A [group:] section and the programs it names. */
struct cfggroup {
	const struct cfgsect	*s;
	char			**members;	/* NULL-terminated */
};

/* A program's section: [program:] or [fcgi-program:]. */
static bool
cfggroup_is_program(const struct cfgsect *s)
{
	return s->type == CFGSECT_PROGRAM || s->type == CFGSECT_FCGI;
}

/* The [program:NAME] or [fcgi-program:NAME] section, or NULL; *BOTH
 * when there are both (which a group cannot tell apart). */
static const struct cfgsect *
cfggroup_program(const struct cfgstore *st, const char *name, bool *both)
{
	const struct cfgsect	*found = NULL;
	size_t			 i;

	*both = false;
	for (i = 0; i < st->nsects; i++) {
		if (!cfggroup_is_program(&st->sects[i]) ||
		    strcmp(st->sects[i].arg, name) != 0)
			continue;
		if (found != NULL && found->type != st->sects[i].type)
			*both = true;
		found = &st->sects[i];
	}
	return found;
}

/* Read one [group:] section into G; its problems become diagnostics. */
static void
cfggroup_read(struct cfgstore *st, struct config *cf,
    const struct cfgsect *s, struct cfggroup *g)
{
	struct cfgexp	 exp = { NULL, 0, cf->env };
	const char	*why;
	char		*list = NULL, **m;
	long		 prio = CONFIG_PRIORITY_DEFAULT;
	bool		 both;

	g->s = s;
	if ((why = cfgprog_badname(s->arg)) != NULL && *s->arg != '\0')
		diag_add(st->diags, DIAG_ERROR, st->files[s->file].path,
		    s->line, "[%s]: group name \"%s\" is not valid: %s",
		    s->name, s->arg, why);
	/* procd orders processes by their own priority; this is checked only. */
	cfgget_int(st, s, "priority", &exp, INT_MIN, INT_MAX, &prio);
	if (cfgget_str(st, s, "programs", &exp, &list) == -1 || list == NULL)
		return;
	if ((g->members = cfgval_list(list)) == NULL)
		diag_add(st->diags, DIAG_ERROR, st->files[s->file].path,
		    s->line, "[%s]: out of memory", s->name);
	for (m = g->members; m != NULL && *m != NULL; m++) {
		if (cfggroup_program(st, *m, &both) == NULL)
			cfgstore_diag(st, s, cfgstore_key(s, "programs"),
			    DIAG_ERROR, "no [program:%s] section", *m);
		else if (both)
			cfgstore_diag(st, s, cfgstore_key(s, "programs"),
			    DIAG_ERROR, "%s is ambiguous: there are both "
			    "[program:%s] and [fcgi-program:%s]", *m, *m, *m);
	}
	free(list);
}

static bool
cfggroup_member(const struct cfggroup *g, const char *name)
{
	char	**m;

	for (m = g->members; m != NULL && *m != NULL; m++) {
		if (strcmp(*m, name) == 0)
			return true;
	}
	return false;
}

/* Order of process indexes by group, then name, then index. */
static const struct config *cfggroup_sorting;

static int
cfggroup_cmp(const void *a, const void *b)
{
	const struct program_config	*p, *q;
	size_t				 i = *(const size_t *)a;
	size_t				 j = *(const size_t *)b;
	int				 c;

	p = &cfggroup_sorting->progs[i];
	q = &cfggroup_sorting->progs[j];
	if ((c = strcmp(p->group, q->group)) != 0 ||
	    (c = strcmp(p->name, q->name)) != 0)
		return c;
	return i < j ? -1 : i > j;
}

/*
 * Two processes with one name in one group cannot be told apart.  Found
 * by sorting (a config of thousands of programs is read at every start,
 * reread and re-exec: comparing every pair was most of the time), and
 * reported in the order of the config, each against the first.
 */
static void
cfggroup_unique(struct cfgstore *st, const struct config *cf)
{
	const struct program_config	*p, *q;
	size_t				*by, *first;

	if (cf->nprogs < 2)
		return;
	by = calloc(cf->nprogs, sizeof *by);
	first = calloc(cf->nprogs, sizeof *first);
	if (by == NULL || first == NULL) {
		diag_add(st->diags, DIAG_ERROR, st->files[0].path, 0,
		    "out of memory");
		free(by);
		free(first);
		return;
	}
	for (size_t i = 0; i < cf->nprogs; i++)
		by[i] = first[i] = i;
	cfggroup_sorting = cf;
	qsort(by, cf->nprogs, sizeof *by, cfggroup_cmp);
	for (size_t k = 1; k < cf->nprogs; k++) {
		p = &cf->progs[by[k]];
		q = &cf->progs[by[k - 1]];
		if (strcmp(p->group, q->group) == 0 &&
		    strcmp(p->name, q->name) == 0)
			first[by[k]] = first[by[k - 1]];
	}
	for (size_t i = 0; i < cf->nprogs; i++) {
		if (first[i] == i)
			continue;
		p = &cf->progs[i];
		q = &cf->progs[first[i]];
		diag_add(st->diags, DIAG_ERROR, p->file, p->line,
		    "[program:%s]: process \"%s:%s\" is already "
		    "defined by [program:%s] at %s:%d", p->program,
		    p->group, p->name, q->program, q->file, q->line);
	}
	free(first);
	free(by);
}

/* The processes of S in GROUP, with their event keys (evconf.c); an
 * fcgi-program's pool shares one socket (cfgsock.c). */
static void
cfggroup_add(struct cfgstore *st, struct config *cf, const struct cfgsect *s,
    const char *group, const char *host)
{
	size_t from = cf->nprogs;

	cfgprog_add(st, cf, s, group, host);
	evconf_program(st, cf, s, from);
	if (s->type == CFGSECT_FCGI && from < cf->nprogs)
		(void)cfgsock_pool(st, cf, s, from);
}

/* Build the processes of program section S for every group it is in. */
static void
cfggroup_one(struct cfgstore *st, struct config *cf, const struct cfgsect *s,
    const struct cfggroup *groups, size_t ngroups, const char *host)
{
	const char	*path = st->files[s->file].path, *why;
	bool		 grouped = false;
	size_t		 i;

	if (*s->arg == '\0')
		return;		/* reported when the section was read */
	if ((why = cfgprog_badname(s->arg)) != NULL) {
		diag_add(st->diags, DIAG_ERROR, path, s->line, "[%s]: program "
		    "name \"%s\" is not valid: %s", s->name, s->arg, why);
		return;
	}
	if (cfgstore_key(s, "command") == NULL) {
		diag_add(st->diags, DIAG_ERROR, path, s->line, "[%s]: no "
		    "command= (every program needs one)", s->name);
		return;
	}
	for (i = 0; i < ngroups; i++) {
		if (cfggroup_member(&groups[i], s->arg)) {
			cfggroup_add(st, cf, s, groups[i].s->arg, host);
			grouped = true;
		}
	}
	if (grouped)
		return;
	for (i = 0; i < ngroups; i++) {
		if (strcmp(groups[i].s->arg, s->arg) == 0)
			diag_add(st->diags, DIAG_ERROR, path, s->line, "[%s] is "
			    "in no group, so it is a group of its own, but "
			    "[%s] also defines group \"%s\"", s->name,
			    groups[i].s->name, s->arg);
	}
	cfggroup_add(st, cf, s, s->arg, host);
}

/* A listener pool is a group of its own, named after its section. */
static void
cfggroup_listener(struct cfgstore *st, struct config *cf,
    const struct cfgsect *s, const struct cfggroup *groups, size_t ngroups,
    const char *host)
{
	const char	*path = st->files[s->file].path, *why;

	if (*s->arg == '\0')
		return;		/* reported when the section was read */
	if ((why = cfgprog_badname(s->arg)) != NULL) {
		diag_add(st->diags, DIAG_ERROR, path, s->line, "[%s]: pool "
		    "name \"%s\" is not valid: %s", s->name, s->arg, why);
		return;
	}
	for (size_t i = 0; i < ngroups; i++) {
		if (strcmp(groups[i].s->arg, s->arg) == 0)
			diag_add(st->diags, DIAG_ERROR, path, s->line, "[%s]: "
			    "[%s] also defines group \"%s\"", s->name,
			    groups[i].s->name, s->arg);
	}
	evconf_listener(st, cf, s, host);
}

void
cfggroup_build(struct cfgstore *st, struct config *cf)
{
	struct cfggroup	*groups;
	struct utsname		 un;
	size_t			 i, n = 0;

	if (uname(&un) == -1)
		snprintf(un.nodename, sizeof un.nodename, "localhost");
	if ((groups = calloc(st->nsects + 1, sizeof *groups)) == NULL) {
		diag_add(st->diags, DIAG_ERROR, st->files[0].path, 0,
		    "out of memory");
		return;
	}
	for (i = 0; i < st->nsects; i++) {
		if (st->sects[i].type == CFGSECT_GROUP)
			cfggroup_read(st, cf, &st->sects[i], &groups[n++]);
	}
	for (i = 0; i < st->nsects; i++) {
		if (cfggroup_is_program(&st->sects[i]))
			cfggroup_one(st, cf, &st->sects[i], groups, n,
			    un.nodename);
		else if (st->sects[i].type == CFGSECT_EVENTLISTENER)
			cfggroup_listener(st, cf, &st->sects[i], groups, n,
			    un.nodename);
	}
	cfggroup_unique(st, cf);
	cfgsock_conflicts(st, cf);
	for (i = 0; i < n; i++)
		cfgval_list_free(groups[i].members);
	free(groups);
}
