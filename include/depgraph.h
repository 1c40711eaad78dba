/*
 * depgraph.h -- which processes depend on which (depends_on=).
 *
 * Pure: built from an array of program configs, it knows nothing of
 * states or time.  config loading uses it to refuse unknown names and
 * cycles; sup.c uses it to hold a start until the dependencies are up and
 * a stop until the dependents are down.
 */
#ifndef PROCD_DEPGRAPH_H
#define PROCD_DEPGRAPH_H

#include <stdbool.h>
#include <stddef.h>

struct program_config;

struct depnode {
	size_t	*deps;		/* what this one depends on */
	size_t	 ndeps;
	size_t	*rdeps;		/* what depends on this one */
	size_t	 nrdeps;
};

struct depgraph {
	struct depnode	*v;
	size_t		 n;
	bool		 any;	/* some edge at all */
};

/* Could depends_on entry SPEC (NAME, GROUP:* or GROUP:PROCESS) name PC?
 * A bare NAME matches a program or a group of that name; depgraph_build
 * takes the program when one exists. */
bool	depgraph_matches(const char *spec, const struct program_config *pc);

/*
 * Edges among V[0..N) from their depends_on (a bare NAME: the program
 * NAME if there is one among them, else the group NAME).  UNKNOWN (may be NULL) is
 * called for each entry that names none of them.  -1 when memory ran out
 * (G is then empty).
 */
int	depgraph_build(struct depgraph *g, const struct program_config *const *v,
	    size_t n, void (*unknown)(size_t i, const char *spec, void *),
	    void *arg);
void	depgraph_free(struct depgraph *);

/*
 * Start order: dependencies before their dependents; otherwise by RANK
 * (e.g. priority; lower first), then by index.  Fills ORDER (n entries)
 * and returns 0, or finds a cycle: fills CYCLE (n + 1 entries) with its
 * members in dependency order, the first repeated at the end, and returns
 * its length (first included twice).  SIZE_MAX when memory ran out.
 */
size_t	depgraph_order(const struct depgraph *, const int *rank,
	    size_t *order, size_t *cycle);

/* Every dependency of I satisfies OK (e.g. RUNNING): it may start. */
bool	depgraph_deps_all(const struct depgraph *, size_t i,
	    bool (*ok)(size_t, void *), void *arg);
/* No dependent of I satisfies ALIVE: it may stop. */
bool	depgraph_rdeps_none(const struct depgraph *, size_t i,
	    bool (*alive)(size_t, void *), void *arg);

#endif
