/*
 * test_depgraph.c -- the dependency graph (depgraph.h): which processes a
 * depends_on entry names, the edges built from them, the start order
 * (dependencies first, then rank, then index), the stop rule (dependents
 * first), and the cycle it reports when there is no order.
 *
 * Program configs are built by hand with only the fields the graph reads
 * (program, group, name, depends_on); everything is pure, so nothing here
 * depends on time or on the machine.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "depgraph.h"

#define MAXN 16

/* A graph under test: its configs, and the pointers depgraph_build takes. */
struct net {
	struct program_config	 pc[MAXN];
	const struct program_config *v[MAXN];
	size_t			 n;
	struct depgraph		 g;
};

/* Add a process GROUP:NAME of [program:PROGRAM] depending on DEPS. */
static size_t
add(struct net *t, char *program, char *group, char *name, char **deps)
{
	struct program_config *pc = &t->pc[t->n];

	assert_true(t->n < MAXN);
	memset(pc, 0, sizeof *pc);
	pc->program = program;
	pc->group = group;
	pc->name = name;
	pc->depends_on = deps;
	pc->priority = CONFIG_PRIORITY_DEFAULT;
	t->v[t->n] = pc;
	return t->n++;
}

/* A program alone in its group of the same name. */
static size_t
solo(struct net *t, char *name, char **deps)
{
	return add(t, name, name, name, deps);
}

#define DEPS(...) ((char *[]){ __VA_ARGS__, NULL })

static void
build(struct net *t)
{
	assert_int_equal(depgraph_build(&t->g, t->v, t->n, NULL, NULL), 0);
	assert_int_equal(t->g.n, t->n);
}

/* Does node I have exactly the dependencies WANT (any order)? */
static void
deps_are(const struct depgraph *g, size_t i, const size_t *want, size_t n)
{
	assert_int_equal(g->v[i].ndeps, n);
	for (size_t k = 0; k < n; k++) {
		bool found = false;
		for (size_t j = 0; j < g->v[i].ndeps; j++)
			found |= g->v[i].deps[j] == want[k];
		if (!found)
			fail_msg("node %zu lacks the dependency %zu", i,
			    want[k]);
	}
}

/* Every edge is in both lists, once. */
static void
edges_mirror(const struct depgraph *g)
{
	size_t nd = 0, nr = 0;

	for (size_t i = 0; i < g->n; i++) {
		nd += g->v[i].ndeps;
		nr += g->v[i].nrdeps;
		for (size_t k = 0; k < g->v[i].ndeps; k++) {
			size_t j = g->v[i].deps[k], hits = 0;
			for (size_t m = 0; m < g->v[j].nrdeps; m++)
				hits += g->v[j].rdeps[m] == i;
			assert_int_equal(hits, 1);
		}
	}
	assert_int_equal(nd, nr);
}

/*
 * The start order of T's graph with RANK, into WANT's length; the buffers
 * are exactly as large as depgraph.h says (n and n + 1), so the sanitizer
 * build catches a write past them.
 */
static void
order_is(const struct net *t, const int *rank, const size_t *want)
{
	size_t *order = malloc((t->n ? t->n : 1) * sizeof *order);
	size_t *cycle = malloc((t->n + 1) * sizeof *cycle);

	assert_non_null(order);
	assert_non_null(cycle);
	assert_int_equal(depgraph_order(&t->g, rank, order, cycle), 0);
	for (size_t i = 0; i < t->n; i++)
		if (order[i] != want[i])
			fail_msg("order[%zu] is %zu, want %zu", i, order[i],
			    want[i]);
	free(order);
	free(cycle);
}

/* depgraph_order must find a cycle, exactly WANT (first repeated last). */
static void
cycle_is(const struct net *t, const size_t *want, size_t len)
{
	size_t *order = malloc(t->n * sizeof *order);
	size_t *cycle = malloc((t->n + 1) * sizeof *cycle);
	size_t got;

	assert_non_null(order);
	assert_non_null(cycle);
	got = depgraph_order(&t->g, NULL, order, cycle);
	assert_int_equal(got, len);
	for (size_t i = 0; i < len; i++)
		if (cycle[i] != want[i])
			fail_msg("cycle[%zu] is %zu, want %zu", i, cycle[i],
			    want[i]);
	assert_int_equal(cycle[0], cycle[len - 1]);
	free(order);
	free(cycle);
}

static void
teardown_net(struct net *t)
{
	depgraph_free(&t->g);
	assert_null(t->g.v);
	assert_int_equal(t->g.n, 0);
}

/* ===================== matching ===================== */

/* web alone in its group; worker_00 of [program:worker] in group workers. */
static void
web_and_worker(struct program_config *web, struct program_config *w0)
{
	memset(web, 0, sizeof *web);
	memset(w0, 0, sizeof *w0);
	web->program = web->group = web->name = "web";
	w0->program = "worker";
	w0->group = "workers";
	w0->name = "worker_00";
}

static void
test_matches_program_and_group_names(void **state)
{
	struct program_config web, w0;

	(void)state;
	web_and_worker(&web, &w0);
	/* NAME: the program ... */
	assert_true(depgraph_matches("web", &web));
	assert_true(depgraph_matches("worker", &w0));
	/* ... or the group */
	assert_true(depgraph_matches("workers", &w0));
	/* not the process name alone, nor a prefix or a longer name */
	assert_false(depgraph_matches("worker_00", &w0));
	assert_false(depgraph_matches("work", &w0));
	assert_false(depgraph_matches("workers2", &w0));
	assert_false(depgraph_matches("we", &web));
	assert_false(depgraph_matches("webs", &web));
	assert_false(depgraph_matches("web", &w0));
}

static void
test_matches_group_star_and_group_process(void **state)
{
	struct program_config web, w0;

	(void)state;
	web_and_worker(&web, &w0);
	assert_true(depgraph_matches("workers:*", &w0));
	assert_true(depgraph_matches("workers:worker_00", &w0));
	assert_false(depgraph_matches("workers:worker_01", &w0));
	assert_false(depgraph_matches("workers:worker_0", &w0));
	assert_false(depgraph_matches("workers:worker_000", &w0));
	/* the group part is the group, not the program */
	assert_false(depgraph_matches("worker:*", &w0));
	assert_false(depgraph_matches("worker:worker_00", &w0));
	/* not a prefix of the group either */
	assert_false(depgraph_matches("work:*", &w0));
	assert_false(depgraph_matches("workersx:*", &w0));
	assert_false(depgraph_matches("workers:", &w0));
	/* a program alone is a group of its own */
	assert_true(depgraph_matches("web:*", &web));
	assert_true(depgraph_matches("web:web", &web));
	assert_false(depgraph_matches("web:*", &w0));
}

/* NAME names every process of a numprocs program / of a group. */
static void
test_name_reaches_every_process(void **state)
{
	struct net t = { 0 };
	size_t x, g0, g1, w0, w1, w2;

	(void)state;
	x = solo(&t, "x", DEPS("workers", "grp"));
	g0 = add(&t, "a", "grp", "a", NULL);
	g1 = add(&t, "b", "grp", "b", NULL);
	w0 = add(&t, "workers", "workers", "w_0", NULL);
	w1 = add(&t, "workers", "workers", "w_1", NULL);
	w2 = add(&t, "workers", "workers", "w_2", NULL);
	build(&t);
	assert_true(t.g.any);
	deps_are(&t.g, x, (size_t[]){ w0, w1, w2, g0, g1 }, 5);
	for (size_t i = 1; i < t.n; i++) {
		assert_int_equal(t.g.v[i].ndeps, 0);
		assert_int_equal(t.g.v[i].nrdeps, 1);
		assert_int_equal(t.g.v[i].rdeps[0], x);
	}
	edges_mirror(&t.g);
	teardown_net(&t);
}

/*
 * spec: "NAME: every process of [program:NAME]; if there is no such
 * program, every member of the group NAME".  A program g that is a member
 * of group h, next to a group g of other programs: depends_on=g names the
 * program only.
 */
static void
test_name_is_the_program_before_the_group(void **state)
{
	struct net t = { 0 };
	size_t x, prog_g, ndeps, dep0;

	(void)state;
	x = solo(&t, "x", DEPS("g"));
	prog_g = add(&t, "g", "h", "g", NULL);
	(void)add(&t, "web", "g", "web", NULL);
	(void)add(&t, "api", "g", "api", NULL);
	build(&t);
	/* read, then free, then judge: a failure leaks nothing */
	ndeps = t.g.v[x].ndeps;
	dep0 = ndeps > 0 ? t.g.v[x].deps[0] : SIZE_MAX;
	teardown_net(&t);
	if (ndeps != 1 || dep0 != prog_g)
		fail_msg("depends_on=g: %zu dependencies (want only program "
		    "g, index %zu)", ndeps, prog_g);
}

/* ===================== building ===================== */

struct unknowns {
	size_t	 n;
	size_t	 i[8];
	char	 spec[8][32];
};

static void
unknown_cb(size_t i, const char *spec, void *arg)
{
	struct unknowns *u = arg;

	assert_true(u->n < 8);
	u->i[u->n] = i;
	snprintf(u->spec[u->n], sizeof u->spec[u->n], "%s", spec);
	u->n++;
}

static void
test_unknown_names_are_reported_each(void **state)
{
	struct net t = { 0 };
	struct unknowns u = { 0 };
	size_t a, b, c;

	(void)state;
	a = solo(&t, "a", DEPS("b", "nope", "ghosts:*", "b:zz"));
	b = solo(&t, "b", NULL);
	c = add(&t, "c", "grp", "c", DEPS("grp:c", "a:b"));
	assert_int_equal(depgraph_build(&t.g, t.v, t.n, unknown_cb, &u), 0);
	assert_int_equal(u.n, 4);
	assert_int_equal(u.i[0], a);
	assert_string_equal(u.spec[0], "nope");
	assert_int_equal(u.i[1], a);
	assert_string_equal(u.spec[1], "ghosts:*");
	assert_int_equal(u.i[2], a);
	assert_string_equal(u.spec[2], "b:zz");
	assert_int_equal(u.i[3], c);
	assert_string_equal(u.spec[3], "a:b");
	/* the entries that name something still make their edges */
	deps_are(&t.g, a, (size_t[]){ b }, 1);
	deps_are(&t.g, c, (size_t[]){ c }, 1);
	teardown_net(&t);

	/* without a callback, unknown names are just no edges */
	memset(&t, 0, sizeof t);
	(void)solo(&t, "a", DEPS("nope"));
	build(&t);
	assert_false(t.g.any);
	assert_int_equal(t.g.v[0].ndeps, 0);
	teardown_net(&t);
}

static void
test_duplicate_edges_are_collapsed(void **state)
{
	struct net t = { 0 };
	size_t a, b, w0, w1;

	(void)state;
	a = solo(&t, "a", DEPS("b", "b", "b:b", "b:*", "workers",
	    "workers:w_0", "workers:*"));
	b = solo(&t, "b", NULL);
	w0 = add(&t, "workers", "workers", "w_0", NULL);
	w1 = add(&t, "workers", "workers", "w_1", NULL);
	build(&t);
	deps_are(&t.g, a, (size_t[]){ b, w0, w1 }, 3);
	assert_int_equal(t.g.v[b].nrdeps, 1);
	assert_int_equal(t.g.v[w0].nrdeps, 1);
	assert_int_equal(t.g.v[w1].nrdeps, 1);
	edges_mirror(&t.g);
	teardown_net(&t);
}

static void
test_no_edges(void **state)
{
	struct net t = { 0 };
	int rank[] = { 5, 1, 5, 1 };
	bool (*cb)(size_t, void *) = NULL;

	(void)state;
	(void)solo(&t, "a", NULL);
	(void)solo(&t, "b", DEPS(NULL));	/* an empty list */
	(void)solo(&t, "c", NULL);
	(void)solo(&t, "d", NULL);
	build(&t);
	assert_false(t.g.any);
	for (size_t i = 0; i < t.n; i++) {
		assert_int_equal(t.g.v[i].ndeps, 0);
		assert_int_equal(t.g.v[i].nrdeps, 0);
		/* nothing to wait for: the callbacks are never called */
		assert_true(depgraph_deps_all(&t.g, i, cb, NULL));
		assert_true(depgraph_rdeps_none(&t.g, i, cb, NULL));
	}
	/* no rank: file order; with one: by rank, then index */
	order_is(&t, NULL, (size_t[]){ 0, 1, 2, 3 });
	order_is(&t, rank, (size_t[]){ 1, 3, 0, 2 });
	teardown_net(&t);
}

static void
test_empty_graph(void **state)
{
	struct depgraph g;
	size_t order[1], cycle[1];

	(void)state;
	assert_int_equal(depgraph_build(&g, NULL, 0, NULL, NULL), 0);
	assert_int_equal(g.n, 0);
	assert_false(g.any);
	assert_int_equal(depgraph_order(&g, NULL, order, cycle), 0);
	depgraph_free(&g);
}

/* ===================== start order ===================== */

/*
 *        d
 *       / \        d depends on b and c, which both depend on a;
 *      b   c       indices chosen against the order: d 0, c 1, b 2, a 3
 *       \ /
 *        a
 */
static void
diamond(struct net *t)
{
	memset(t, 0, sizeof *t);
	(void)solo(t, "d", DEPS("b", "c"));
	(void)solo(t, "c", DEPS("a"));
	(void)solo(t, "b", DEPS("a"));
	(void)solo(t, "a", NULL);
	build(t);
}

enum { D, C, B, A };

static void
test_diamond_starts_dependencies_first(void **state)
{
	struct net t;

	(void)state;
	diamond(&t);
	assert_true(t.g.any);
	deps_are(&t.g, D, (size_t[]){ B, C }, 2);
	deps_are(&t.g, C, (size_t[]){ A }, 1);
	deps_are(&t.g, B, (size_t[]){ A }, 1);
	deps_are(&t.g, A, NULL, 0);
	assert_int_equal(t.g.v[A].nrdeps, 2);
	edges_mirror(&t.g);
	/* same rank: c before b by index */
	order_is(&t, NULL, (size_t[]){ A, C, B, D });
	/* b's lower priority number puts it before c */
	order_is(&t, (int[]){ [D] = 1, [C] = 20, [B] = 10, [A] = 999 },
	    (size_t[]){ A, B, C, D });
	/* equal ranks fall back to the index again */
	order_is(&t, (int[]){ [D] = 5, [C] = 5, [B] = 5, [A] = 5 },
	    (size_t[]){ A, C, B, D });
	teardown_net(&t);
}

/*
 * Two chains x3 -> x2 -> x1 and y2 -> y1, plus a free node f: among what
 * may start, the lowest rank goes first, but never before its dependencies
 * (x2 and x3 rank 1 still wait for x1 at 10).
 */
static void
test_chains_interleave_by_rank(void **state)
{
	struct net t = { 0 };
	size_t x1, x2, x3, y1, y2, f;

	(void)state;
	x3 = solo(&t, "x3", DEPS("x2"));
	x2 = solo(&t, "x2", DEPS("x1"));
	y2 = solo(&t, "y2", DEPS("y1"));
	f = solo(&t, "f", NULL);
	x1 = solo(&t, "x1", NULL);
	y1 = solo(&t, "y1", NULL);
	build(&t);
	{
		int rank[6];
		rank[x1] = 10;
		rank[x2] = 1;
		rank[x3] = 1;
		rank[y1] = 5;
		rank[y2] = 5;
		rank[f] = 7;
		order_is(&t, rank, (size_t[]){ y1, y2, f, x1, x2, x3 });
		/* everything the same rank: ready ones by index */
		for (size_t i = 0; i < 6; i++)
			rank[i] = 999;
		order_is(&t, rank, (size_t[]){ f, x1, x2, x3, y1, y2 });
	}
	order_is(&t, NULL, (size_t[]){ f, x1, x2, x3, y1, y2 });
	teardown_net(&t);
}

/* A long chain listed backwards, with ranks that would reverse it. */
static void
test_long_chain_ignores_rank(void **state)
{
	static char names[10][4];
	struct net t = { 0 };
	int rank[10];
	size_t want[10];

	(void)state;
	for (size_t i = 0; i < 10; i++) {
		snprintf(names[i], sizeof names[i], "n%zu", i);
		rank[i] = (int)(100 - i);
	}
	/* n0 depends on n1, ..., n8 on n9 */
	for (size_t i = 0; i < 10; i++) {
		char **deps = NULL;
		if (i + 1 < 10) {
			deps = calloc(2, sizeof *deps);
			assert_non_null(deps);
			deps[0] = names[i + 1];
		}
		(void)solo(&t, names[i], deps);
	}
	build(&t);
	for (size_t i = 0; i < 10; i++)
		want[i] = 9 - i;
	order_is(&t, rank, want);
	order_is(&t, NULL, want);
	for (size_t i = 0; i < 10; i++)
		free(t.pc[i].depends_on);
	teardown_net(&t);
}

/* A process started is "up"; the set is a bitmask of indices. */
static bool
in_set(size_t i, void *arg)
{
	return (*(unsigned *)arg >> i) & 1;
}

static void
test_deps_all(void **state)
{
	struct net t;
	unsigned up = 0;

	(void)state;
	diamond(&t);
	assert_true(depgraph_deps_all(&t.g, A, in_set, &up));
	assert_false(depgraph_deps_all(&t.g, B, in_set, &up));
	up |= 1U << A;
	assert_true(depgraph_deps_all(&t.g, B, in_set, &up));
	assert_true(depgraph_deps_all(&t.g, C, in_set, &up));
	assert_false(depgraph_deps_all(&t.g, D, in_set, &up));
	up |= 1U << B;
	assert_false(depgraph_deps_all(&t.g, D, in_set, &up));
	up |= 1U << C;
	assert_true(depgraph_deps_all(&t.g, D, in_set, &up));
	/* out of range: nothing to wait for */
	assert_true(depgraph_deps_all(&t.g, 99, in_set, &up));
	teardown_net(&t);
}

/* ===================== stop order ===================== */

static void
test_rdeps_none(void **state)
{
	struct net t;
	unsigned alive = 0xf;

	(void)state;
	diamond(&t);
	/* all up: only d, which nothing depends on, may stop */
	assert_true(depgraph_rdeps_none(&t.g, D, in_set, &alive));
	assert_false(depgraph_rdeps_none(&t.g, C, in_set, &alive));
	assert_false(depgraph_rdeps_none(&t.g, B, in_set, &alive));
	assert_false(depgraph_rdeps_none(&t.g, A, in_set, &alive));
	alive &= ~(1U << D);
	assert_true(depgraph_rdeps_none(&t.g, B, in_set, &alive));
	assert_true(depgraph_rdeps_none(&t.g, C, in_set, &alive));
	assert_false(depgraph_rdeps_none(&t.g, A, in_set, &alive));
	alive &= ~(1U << B);
	assert_false(depgraph_rdeps_none(&t.g, A, in_set, &alive));
	alive &= ~(1U << C);
	assert_true(depgraph_rdeps_none(&t.g, A, in_set, &alive));
	assert_true(depgraph_rdeps_none(&t.g, 99, in_set, &alive));
	teardown_net(&t);
}

/*
 * Stop everything the way sup.c does: repeatedly, among the live processes
 * whose dependents are all down, the highest priority number first (then
 * the highest index).  The result is the start order reversed, as far as
 * the edges go.
 */
static void
stop_all(const struct net *t, const int *prio, size_t *out)
{
	unsigned alive = (1U << t->n) - 1;

	for (size_t k = 0; k < t->n; k++) {
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < t->n; i++) {
			if (!in_set(i, &alive) ||
			    !depgraph_rdeps_none(&t->g, i, in_set, &alive))
				continue;
			if (best == SIZE_MAX || prio[i] >= prio[best])
				best = i;
		}
		assert_true(best != SIZE_MAX);
		out[k] = best;
		alive &= ~(1U << best);
	}
}

static void
test_stop_order_is_reverse(void **state)
{
	struct net t;
	size_t stop[4], start[4], cycle[5];
	/* a would stop first by priority alone */
	int prio[] = { [D] = 1, [C] = 2, [B] = 3, [A] = 999 };

	(void)state;
	diamond(&t);
	stop_all(&t, prio, stop);
	assert_int_equal(stop[0], D);
	assert_int_equal(stop[1], B);
	assert_int_equal(stop[2], C);
	assert_int_equal(stop[3], A);
	/* and it is the start order reversed */
	assert_int_equal(depgraph_order(&t.g, prio, start, cycle), 0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(stop[i], start[3 - i]);
	teardown_net(&t);
}

/* ===================== cycles ===================== */

static void
test_cycle_self_loop(void **state)
{
	struct net t = { 0 };
	size_t a;

	(void)state;
	(void)solo(&t, "z", NULL);
	a = solo(&t, "a", DEPS("a"));
	build(&t);
	assert_true(t.g.any);
	deps_are(&t.g, a, (size_t[]){ a }, 1);
	assert_int_equal(t.g.v[a].nrdeps, 1);
	cycle_is(&t, (size_t[]){ a, a }, 2);
	teardown_net(&t);

	/* through the group name too */
	memset(&t, 0, sizeof t);
	a = add(&t, "a", "grp", "a", DEPS("grp"));
	build(&t);
	cycle_is(&t, (size_t[]){ a, a }, 2);
	teardown_net(&t);
}

static void
test_cycle_of_two(void **state)
{
	struct net t = { 0 };
	size_t a, b;

	(void)state;
	a = solo(&t, "a", DEPS("b"));
	b = solo(&t, "b", DEPS("a"));
	build(&t);
	cycle_is(&t, (size_t[]){ a, b, a }, 3);
	teardown_net(&t);
}

/* The whole graph is the cycle: the cycle buffer is used to its end. */
static void
test_cycle_of_three(void **state)
{
	struct net t = { 0 };
	size_t a, b, c;

	(void)state;
	a = solo(&t, "a", DEPS("b"));
	b = solo(&t, "b", DEPS("c"));
	c = solo(&t, "c", DEPS("a"));
	build(&t);
	cycle_is(&t, (size_t[]){ a, b, c, a }, 4);
	teardown_net(&t);
}

/*
 * lead -> x -> y -> z -> x, with a free node and a dependency that is
 * fine: the walk starts at lead but the path returned is the cycle only,
 * in dependency order, its first member repeated last.
 */
static void
test_cycle_reached_from_a_lead_in(void **state)
{
	struct net t = { 0 };
	size_t lead, lead2, x, y, z;

	(void)state;
	(void)solo(&t, "free", NULL);
	lead = solo(&t, "lead", DEPS("lead2", "free"));
	lead2 = solo(&t, "lead2", DEPS("x"));
	x = solo(&t, "x", DEPS("y"));
	y = solo(&t, "y", DEPS("free", "z"));
	z = solo(&t, "z", DEPS("x"));
	(void)lead;
	(void)lead2;
	build(&t);
	cycle_is(&t, (size_t[]){ x, y, z, x }, 4);
	teardown_net(&t);
}

/* Two cycles, nodes outside them done: one of them, whole. */
static void
test_cycle_among_other_nodes(void **state)
{
	struct net t = { 0 };
	size_t a, b, c, d, e;
	size_t order[6], cycle[7], len;

	(void)state;
	(void)solo(&t, "ok", NULL);
	a = solo(&t, "a", DEPS("ok", "b"));
	b = solo(&t, "b", DEPS("a"));
	c = solo(&t, "c", DEPS("d"));
	d = solo(&t, "d", DEPS("e"));
	e = solo(&t, "e", DEPS("c", "ok"));
	build(&t);
	len = depgraph_order(&t.g, NULL, order, cycle);
	assert_true(len == 3 || len == 4);
	if (len == 3) {
		assert_int_equal(cycle[0], a);
		assert_int_equal(cycle[1], b);
		assert_int_equal(cycle[2], a);
	} else {
		assert_int_equal(cycle[0], c);
		assert_int_equal(cycle[1], d);
		assert_int_equal(cycle[2], e);
		assert_int_equal(cycle[3], c);
	}
	teardown_net(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_program_and_group_names),
		cmocka_unit_test(test_matches_group_star_and_group_process),
		cmocka_unit_test(test_name_reaches_every_process),
		cmocka_unit_test(test_name_is_the_program_before_the_group),
		cmocka_unit_test(test_unknown_names_are_reported_each),
		cmocka_unit_test(test_duplicate_edges_are_collapsed),
		cmocka_unit_test(test_no_edges),
		cmocka_unit_test(test_empty_graph),
		cmocka_unit_test(test_diamond_starts_dependencies_first),
		cmocka_unit_test(test_chains_interleave_by_rank),
		cmocka_unit_test(test_long_chain_ignores_rank),
		cmocka_unit_test(test_deps_all),
		cmocka_unit_test(test_rdeps_none),
		cmocka_unit_test(test_stop_order_is_reverse),
		cmocka_unit_test(test_cycle_self_loop),
		cmocka_unit_test(test_cycle_of_two),
		cmocka_unit_test(test_cycle_of_three),
		cmocka_unit_test(test_cycle_reached_from_a_lead_in),
		cmocka_unit_test(test_cycle_among_other_nodes),
	};

	return cmocka_run_group_tests_name("depgraph", tests, NULL, NULL);
}
