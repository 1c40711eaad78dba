/*
 * supdeps.c -- depends_on at run time: starts held until what they need
 * is RUNNING, stops held until what needs them is down, and the order of
 * start-up (dependencies first, then priority).
 *
 * The graph itself (depgraph.c) is pure; this file keeps one over the
 * table, rebuilt when the table or a config changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "supint.h"

/* What a process is about to run with: its pending config if any. */
static const struct program_config *
sproc_target_cfg(const struct sproc *sp)
{
	return sp->next != NULL ? sp->next : sp->p.cfg;
}

const struct depgraph *
sup_graph(void)
{
	static char *none[] = { NULL };
	const struct program_config **v;
	struct program_config *copies;
	size_t nretiring = 0, k = 0;

	if (!sup.g_stale)
		return &sup.g;
	depgraph_free(&sup.g);
	for (size_t i = 0; i < sup.n; i++)
		nretiring += sup.v[i]->retiring;
	/* Copies only of those on their way out: a config is big, and a
	 * copy of every one would raise the heap's high-water mark for
	 * good with thousands of programs. */
	v = calloc(sup.n ? sup.n : 1, sizeof *v);
	copies = calloc(nretiring ? nretiring : 1, sizeof *copies);
	if (v == NULL || copies == NULL)
		fatal("calloc");
	for (size_t i = 0; i < sup.n; i++) {
		sup.v[i]->idx = i;
		v[i] = sproc_target_cfg(sup.v[i]);
		/* On its way out: it waits for nothing, so no edge of the
		 * old config can close a cycle with the new one's. */
		if (sup.v[i]->retiring) {
			copies[k] = *v[i];
			copies[k].depends_on = none;
			v[i] = &copies[k++];
		}
	}
	if (depgraph_build(&sup.g, v, sup.n, NULL, NULL) == -1)
		fatal("depgraph_build");
	free(copies);
	free(v);
	sup.g_stale = false;
	return &sup.g;
}

static bool
sup_dep_running(size_t i, void *arg)
{
	(void)arg;
	return sup.v[i]->p.state == PROC_RUNNING;
}

static bool
sup_dep_alive(size_t i, void *arg)
{
	(void)arg;
	return sproc_alive(sup.v[i]);
}

/* Everything SP depends on is RUNNING (ready).  Out of the table: it has
 * no dependencies any more. */
bool
sup_deps_up(struct sproc *sp)
{
	const struct depgraph *g;

	if (sp->dead)
		return true;
	g = sup_graph();
	return !g->any || depgraph_deps_all(g, sp->idx, sup_dep_running, NULL);
}

/* Nothing that depends on SP is still alive. */
bool
sup_rdeps_down(struct sproc *sp)
{
	const struct depgraph *g = sup_graph();

	return !g->any || depgraph_rdeps_none(g, sp->idx, sup_dep_alive, NULL);
}

/* A dependency SP waits for that gave up (FATAL), or NULL. */
static struct sproc *
sup_dep_fatal(struct sproc *sp)
{
	const struct depnode *d = &sup_graph()->v[sp->idx];

	for (size_t k = 0; k < d->ndeps; k++)
		if (sup.v[d->deps[k]]->p.state == PROC_FATAL)
			return sup.v[d->deps[k]];
	return NULL;
}

size_t
sup_waiting_for(const struct process *p, const char **names, size_t max)
{
	const struct sproc *sp = p->sup;
	const struct depnode *d;
	size_t n = 0;

	if (!p->waiting || sp->dead || !sup_graph()->any)
		return 0;
	d = &sup.g.v[sp->idx];
	for (size_t k = 0; k < d->ndeps; k++) {
		const struct sproc *dep = sup.v[d->deps[k]];
		if (dep->p.state == PROC_RUNNING)
			continue;
		if (n < max)
			names[n] = dep->display;
		n++;
	}
	return n;
}

/*
 * Let go what waited on others: a start held for its dependencies once
 * they are RUNNING (or FATAL: then it fails too), a stop held for its
 * dependents once they are down.
 */
void
sup_release(void)
{
	struct sproc *dep;

	/* No shortcut for a table without edges: an update that took away
	 * the last depends_on leaves holds made under the old graph, and
	 * they must be let go now -- nothing else would. */
	for (size_t i = 0; i < sup.n; i++) {
		struct sproc *sp = sup.v[i];
		struct process *p = &sp->p;
		if (p->waiting && !sp->spawn_pending) {
			if ((dep = sup_dep_fatal(sp)) != NULL) {
				snprintf(p->spawnerr, sizeof p->spawnerr,
				    "dependency %s failed (FATAL)",
				    dep->display);
				sup_step(sp, PEV_DEP_FAILED);
			} else if (sup_deps_up(sp))
				sup_step(sp, PEV_UNBLOCKED);
		}
		if (sp->stop_held && sup_rdeps_down(sp)) {
			sp->stop_held = false;
			if (p->want == WANT_DOWN)
				sup_step(sp, PEV_STOP);
		}
	}
}

/*
 * Start SP: first what it depends on (unless already up or on its way),
 * then SP, which waits for them; then what a stop of SP took down.
 * DEPTH guards against a cycle the config checks should have refused.
 */
void
sup_start_tree(struct sproc *sp, size_t depth)
{
	const struct depnode *d = &sup_graph()->v[sp->idx];

	if (depth > sup.n)
		return;
	sp->stop_held = sp->cascaded = false;
	for (size_t k = 0; sup.g.any && k < d->ndeps; k++) {
		struct sproc *dep = sup.v[d->deps[k]];
		if (dep->p.want != WANT_UP || !proc_is_active(dep->p.state))
			sup_start_tree(dep, depth + 1);
	}
	sup_step(sp, PEV_START);
	for (size_t k = 0; sup.g.any && k < d->nrdeps; k++)
		if (sup.v[d->rdeps[k]]->cascaded)
			sup_start_tree(sup.v[d->rdeps[k]], depth + 1);
}

/*
 * Stop SP: first what depends on it (remembered, to come back with it),
 * and SP itself only once they are down.
 */
static void
sup_stop_tree(struct sproc *sp, bool cascaded, size_t depth)
{
	const struct depnode *d = &sup_graph()->v[sp->idx];

	if (depth > sup.n)
		return;
	if (!cascaded)
		sp->cascaded = false;
	else if (sp->p.want == WANT_UP)
		sp->cascaded = true;
	for (size_t k = 0; sup.g.any && k < d->nrdeps; k++) {
		struct sproc *r = sup.v[d->rdeps[k]];
		if (r->p.want == WANT_UP || sproc_alive(r))
			sup_stop_tree(r, true, depth + 1);
	}
	if (proc_has_pid(&sp->p) && !sup_rdeps_down(sp)) {
		sp->stop_held = true;
		sup_step(sp, PEV_STOP_HELD);	/* no restart meanwhile */
	} else
		sup_step(sp, PEV_STOP);
}

/* A process an observer still holds may be out of the table already:
 * asking it to start or stop does nothing then. */
void
sup_start(struct process *p)
{
	if (sproc_of(p)->dead)
		return;
	sup_enter();
	sup_start_tree(sproc_of(p), 0);
	sup_leave();
}

void
sup_stop(struct process *p)
{
	if (sproc_of(p)->dead)
		return;
	sup_enter();
	sup_stop_tree(sproc_of(p), false, 0);
	sup_leave();
}

static int
prio_cmp(const void *a, const void *b)
{
	const struct sproc *x = *(struct sproc *const *)a;
	const struct sproc *y = *(struct sproc *const *)b;

	if (x->p.cfg->priority != y->p.cfg->priority)
		return x->p.cfg->priority < y->p.cfg->priority ? -1 : 1;
	return strcmp(x->display, y->display);
}

/* Dependencies first, then by priority: what start-up goes by. */
static bool
sup_dep_order(struct sproc **order)
{
	const struct depgraph *g = sup_graph();
	size_t *idx, *cycle, len;
	int *rank;

	idx = calloc(sup.n + 1, sizeof *idx);
	cycle = calloc(sup.n + 2, sizeof *cycle);
	rank = calloc(sup.n + 1, sizeof *rank);
	if (idx == NULL || cycle == NULL || rank == NULL)
		fatal("calloc");
	for (size_t i = 0; i < sup.n; i++)
		rank[i] = sup.v[i]->p.cfg->priority;
	len = depgraph_order(g, rank, idx, cycle);
	for (size_t i = 0; len == 0 && i < sup.n; i++)
		order[i] = sup.v[idx[i]];
	free(idx);
	free(cycle);
	free(rank);
	return len == 0;
}

void
sup_autostart(void)
{
	struct sproc **order;
	bool deferred = sup.defer_spawns;

	if ((order = calloc(sup.n ? sup.n : 1, sizeof *order)) == NULL)
		fatal("calloc");
	if (!sup_graph()->any || !sup_dep_order(order)) {
		memcpy(order, sup.v, sup.n * sizeof *order);
		qsort(order, sup.n, sizeof *order, prio_cmp);
	}
	/* Through the spawn queue, a pass of the loop at a time: with
	 * thousands of programs the control socket still answers.  The
	 * first pass is made now, before procd says it is ready, as all of
	 * them were before the queue: a small config is up at once, not
	 * after a round through the loop that shares the CPU with the
	 * process that started procd. */
	sup_enter();
	sup.defer_spawns = true;
	for (size_t i = 0; i < sup.n; i++)
		if (order[i]->p.cfg->autostart)
			sup_start_tree(order[i], 0);
	sup_leave();
	sup.defer_spawns = deferred;
	free(order);
	sup_spawn_pass();
}
