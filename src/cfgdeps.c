/*
 * cfgdeps.c -- depends_on across the config (cfgdeps.h).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgdeps.h"
#include "depgraph.h"

struct cfgdeps_ctx {
	const struct config	*cf;
	struct diag_list	*diags;
};

static void
cfgdeps_unknown(size_t i, const char *spec, void *arg)
{
	struct cfgdeps_ctx		*c = arg;
	const struct program_config	*p = &c->cf->progs[i];

	/* numprocs copies share the line: one message is enough. */
	if (i > 0 && strcmp(p[-1].program, p->program) == 0 &&
	    p[-1].depends_line == p->depends_line)
		return;
	diag_add(c->diags, DIAG_ERROR, p->depends_file, p->depends_line,
	    "[program:%s] depends_on: \"%s\" names no program, group or "
	    "process", p->program, spec);
}

/* "a -> b -> a", with group:name where a group holds more than one. */
static void
cfgdeps_cycle(struct cfgdeps_ctx *c, const size_t *cycle, size_t len)
{
	const struct program_config	*first = &c->cf->progs[cycle[0]];
	char				 path[1024];
	size_t				 n = 0;

	path[0] = '\0';
	for (size_t k = 0; k < len && n < sizeof path; k++) {
		const struct program_config *p = &c->cf->progs[cycle[k]];
		bool alone = strcmp(p->group, p->name) == 0;
		int w = snprintf(path + n, sizeof path - n, "%s%s%s%s",
		    k ? " -> " : "", alone ? "" : p->group, alone ? "" : ":",
		    p->name);
		n += w > 0 ? (size_t)w : 0;
	}
	diag_add(c->diags, DIAG_ERROR, first->depends_file, first->depends_line,
	    "[program:%s] depends_on: dependency cycle: %s", first->program,
	    path);
}

void
cfgdeps_check(const struct config *cf, struct diag_list *diags)
{
	struct cfgdeps_ctx		  c = { cf, diags };
	const struct program_config	**v;
	struct depgraph			  g;
	size_t				 *order, *cycle, len;

	v = calloc(cf->nprogs + 1, sizeof *v);
	order = calloc(cf->nprogs + 1, sizeof *order);
	cycle = calloc(cf->nprogs + 2, sizeof *cycle);
	if (v == NULL || order == NULL || cycle == NULL)
		goto nomem;
	for (size_t i = 0; i < cf->nprogs; i++)
		v[i] = &cf->progs[i];
	if (depgraph_build(&g, v, cf->nprogs, cfgdeps_unknown, &c) == -1)
		goto nomem;
	len = g.any ? depgraph_order(&g, NULL, order, cycle) : 0;
	if (len == SIZE_MAX)
		diag_add(diags, DIAG_ERROR, cf->path, 0, "out of memory");
	else if (len > 0)
		cfgdeps_cycle(&c, cycle, len);
	depgraph_free(&g);
	goto out;
nomem:
	diag_add(diags, DIAG_ERROR, cf->path, 0, "out of memory");
out:
	free(v);
	free(order);
	free(cycle);
}
