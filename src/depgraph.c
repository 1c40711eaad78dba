/*
 * depgraph.c -- the dependency graph (depgraph.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "depgraph.h"

bool
depgraph_matches(const char *spec, const struct program_config *pc)
{
	const char	*colon = strchr(spec, ':');
	size_t		 glen;

	if (colon == NULL)
		return strcmp(pc->program, spec) == 0 ||
		    strcmp(pc->group, spec) == 0;
	glen = (size_t)(colon - spec);
	if (strncmp(pc->group, spec, glen) != 0 || pc->group[glen] != '\0')
		return false;
	return strcmp(colon + 1, "*") == 0 || strcmp(colon + 1, pc->name) == 0;
}

static int
depgraph_push(size_t **v, size_t *n, size_t x)
{
	size_t	*nv;

	/* Small lists, most of one entry: grow by one. */
	if ((nv = reallocarray(*v, *n + 1, sizeof *nv)) == NULL)
		return -1;
	nv[(*n)++] = x;
	*v = nv;
	return 0;
}

/* The edge I -> J, once however many entries of I name J. */
static int
depgraph_edge(struct depgraph *g, size_t i, size_t j)
{
	struct depnode	*a = &g->v[i];

	for (size_t k = 0; k < a->ndeps; k++)
		if (a->deps[k] == j)
			return 0;
	g->any = true;
	if (depgraph_push(&a->deps, &a->ndeps, j) == -1 ||
	    depgraph_push(&g->v[j].rdeps, &g->v[j].nrdeps, i) == -1)
		return -1;
	return 0;
}

/* A bare NAME is the program NAME when there is one, else the group. */
static bool
depgraph_names_program(const char *spec,
    const struct program_config *const *v, size_t n)
{
	if (strchr(spec, ':') != NULL)
		return false;
	for (size_t j = 0; j < n; j++)
		if (strcmp(v[j]->program, spec) == 0)
			return true;
	return false;
}

int
depgraph_build(struct depgraph *g, const struct program_config *const *v,
    size_t n, void (*unknown)(size_t, const char *, void *), void *arg)
{
	memset(g, 0, sizeof *g);
	if ((g->v = calloc(n ? n : 1, sizeof *g->v)) == NULL)
		return -1;
	g->n = n;
	for (size_t i = 0; i < n; i++) {
		for (char **d = v[i]->depends_on; d != NULL && *d; d++) {
			bool found = false;
			bool program = depgraph_names_program(*d, v, n);
			for (size_t j = 0; j < n; j++) {
				if (!depgraph_matches(*d, v[j]) || (program &&
				    strcmp(v[j]->program, *d) != 0))
					continue;
				found = true;
				if (depgraph_edge(g, i, j) == -1)
					goto nomem;
			}
			if (!found && unknown != NULL)
				unknown(i, *d, arg);
		}
	}
	return 0;
nomem:
	depgraph_free(g);
	return -1;
}

void
depgraph_free(struct depgraph *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].deps);
		free(g->v[i].rdeps);
	}
	free(g->v);
	memset(g, 0, sizeof *g);
}

/* A min-heap of node indices by (rank, index), for depgraph_order. */
struct depheap {
	size_t		*v;
	size_t		 n;
	const int	*rank;
};

static bool
depheap_less(const struct depheap *h, size_t a, size_t b)
{
	int	ra = h->rank ? h->rank[a] : 0, rb = h->rank ? h->rank[b] : 0;

	return ra != rb ? ra < rb : a < b;
}

static void
depheap_swap(struct depheap *h, size_t a, size_t b)
{
	size_t	t = h->v[a];

	h->v[a] = h->v[b];
	h->v[b] = t;
}

static void
depheap_push(struct depheap *h, size_t x)
{
	size_t	i = h->n++;

	h->v[i] = x;
	while (i > 0 && depheap_less(h, h->v[i], h->v[(i - 1) / 2])) {
		depheap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static size_t
depheap_pop(struct depheap *h)
{
	size_t	top = h->v[0], i = 0, c;

	h->v[0] = h->v[--h->n];
	while ((c = 2 * i + 1) < h->n) {
		if (c + 1 < h->n && depheap_less(h, h->v[c + 1], h->v[c]))
			c++;
		if (!depheap_less(h, h->v[c], h->v[i]))
			break;
		depheap_swap(h, i, c);
		i = c;
	}
	return top;
}

/*
 * Every node left out of a topological order waits for another node left
 * out, so walking from one of them along such edges must come back to a
 * node already seen: that loop is a cycle.
 */
static size_t
depgraph_find_cycle(const struct depgraph *g, const size_t *waiting,
    size_t *cycle)
{
	size_t	 at = 0, len = 0, *seen;

	if ((seen = calloc(g->n, sizeof *seen)) == NULL)
		return SIZE_MAX;
	while (waiting[at] == 0)
		at++;
	for (;;) {
		if (seen[at] != 0)
			break;
		seen[at] = ++len;
		cycle[len - 1] = at;
		for (size_t k = 0; k < g->v[at].ndeps; k++) {
			if (waiting[g->v[at].deps[k]] != 0) {
				at = g->v[at].deps[k];
				break;
			}
		}
	}
	/* The walk may have entered the loop late: drop the lead-in. */
	size_t first = seen[at] - 1, n = len - first;
	memmove(cycle, cycle + first, n * sizeof *cycle);
	cycle[n] = at;
	free(seen);
	return n + 1;
}

size_t
depgraph_order(const struct depgraph *g, const int *rank, size_t *order,
    size_t *cycle)
{
	struct depheap	 h = { NULL, 0, rank };
	size_t		*waiting, done = 0, len = SIZE_MAX;

	waiting = calloc(g->n ? g->n : 1, sizeof *waiting);
	h.v = calloc(g->n ? g->n : 1, sizeof *h.v);
	if (waiting == NULL || h.v == NULL)
		goto out;
	len = 0;
	for (size_t i = 0; i < g->n; i++)
		if ((waiting[i] = g->v[i].ndeps) == 0)
			depheap_push(&h, i);
	while (h.n > 0) {
		size_t i = depheap_pop(&h);
		order[done++] = i;
		for (size_t k = 0; k < g->v[i].nrdeps; k++)
			if (--waiting[g->v[i].rdeps[k]] == 0)
				depheap_push(&h, g->v[i].rdeps[k]);
	}
	if (done < g->n)
		len = depgraph_find_cycle(g, waiting, cycle);
out:
	free(waiting);
	free(h.v);
	return len;
}

bool
depgraph_deps_all(const struct depgraph *g, size_t i,
    bool (*ok)(size_t, void *), void *arg)
{
	for (size_t k = 0; i < g->n && k < g->v[i].ndeps; k++)
		if (!ok(g->v[i].deps[k], arg))
			return false;
	return true;
}

bool
depgraph_rdeps_none(const struct depgraph *g, size_t i,
    bool (*alive)(size_t, void *), void *arg)
{
	for (size_t k = 0; i < g->n && k < g->v[i].nrdeps; k++)
		if (alive(g->v[i].rdeps[k], arg))
			return false;
	return true;
}
