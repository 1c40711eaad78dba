/*
 * dashrow.h -- one process as the dashboard shows it, made from a row of
 * procd's `status --json` answer (read back with jsonread.h): as HTML
 * for the page procd's gateway renders, and as the compact JSON the live
 * stream and the page's script use.  Pure: no I/O, so it is unit-tested
 * and fuzzed.
 *
 * The compact row is {"name","group","state","pid","uptime","restarts",
 * "desc","waiting":[...]}: uptime in seconds when the row was taken,
 * desc supervisorctl's description less the uptime (which the page
 * counts itself).
 */
#ifndef PROCD_DASHROW_H
#define PROCD_DASHROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "xrvalue.h"

struct json;

/* procd's states (proc.h), which the dashboard knows by name. */
#define DASHROW_NSTATES	7

struct dashrow {
	const char	*name, *group;
	const char	*state;		/* one of procd's state names */
	int64_t		 pid, uptime, restarts;
	struct buf	 desc;
	const struct xr_value *waiting;	/* strings; NULL: none */
};

/* Fill R from OBJ, one object of status --json (R points into OBJ).
 * -1 when OBJ has no name or no known state. */
int	dashrow_read(const struct xr_value *obj, struct dashrow *r);
void	dashrow_free(struct dashrow *);
/* R as a compact JSON object (an array item or a key's value). */
void	dashrow_json(struct json *, const struct dashrow *r);
/* The rows of ROWS (status --json's array) as <tr> elements, a group's
 * heading row before its first member. */
void	dashrow_table(struct buf *, const struct xr_value *rows);
/* Add to COUNTS (N of them, indexed as dashrow_state_index) the rows of
 * ROWS in each state. */
void	dashrow_counts(const struct xr_value *rows, unsigned counts[],
	    size_t n);
/* ROWS as a JSON array of compact rows. */
void	dashrow_array(struct json *, const struct xr_value *rows);
/* The index of STATE among procd's state names, or -1. */
int	dashrow_state_index(const char *state);
/* The name of state I (0 <= I < dashrow_nstates()). */
const char *dashrow_state_name(int i);
int	dashrow_nstates(void);

#endif
