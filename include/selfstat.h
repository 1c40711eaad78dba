/*
 * selfstat.h -- procd's own figures: when it started and what it has
 * counted since (events, control clients).  Counted where they happen
 * (evbus.c, control.c), on the loop; told by `procctl --json pid` with no
 * name, which is what the gateway's /metrics reads (metrics.c).
 */
#ifndef PROCD_SELFSTAT_H
#define PROCD_SELFSTAT_H

#include <stdint.h>
#include <time.h>

struct json;

struct selfstat {
	time_t		 start;			/* wall clock, seconds */
	uint64_t	 events_emitted;	/* taken by at least a pool */
	uint64_t	 events_delivered;	/* acknowledged OK */
	uint64_t	 events_dropped;	/* a full pool let them go */
	uint64_t	 clients_accepted;	/* control clients given a slot */
	uint64_t	 clients_refused;	/* permission, limits, no fds */
};

extern struct selfstat selfstat;

/* Write procd's own keys ("version", "start", "processes", the counters)
 * into the JSON object J has open. */
void	selfstat_json(struct json *j);

#endif
