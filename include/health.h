/*
 * health.h -- periodic liveness checks (health=): every health_interval
 * seconds while a process is RUNNING, one probe (probe.h); after
 * health_retries failures in a row, the process is stopped and restarted
 * as an unexpected exit (sup_unhealthy, PEV_UNHEALTHY).
 *
 * Timers exist only for processes with a check, and only while they are
 * RUNNING: with no check anywhere, health makes no wake-up at all.
 */
#ifndef PROCD_HEALTH_H
#define PROCD_HEALTH_H

#include <stdbool.h>
#include <time.h>

struct ev_loop;
struct process;

/* What status shows of a process's checks. */
struct health_info {
	unsigned	 checks;	/* of this instance */
	unsigned	 failures;	/* the last ones, in a row */
	bool		 have_result;	/* a check has ended */
	bool		 last_ok;
	time_t		 last_wall;	/* when it ended */
	char		 last[200];	/* its result, e.g. "HTTP status 500" */
};

void	health_init(struct ev_loop *);
/* After each delivered batch: start, keep or stop each process's checks
 * as its state (and its config, which an update may change) says. */
void	health_settled(void);
/* P is about to be freed: drop its checks. */
void	health_forget(struct process *);
void	health_free(void);
/* P's check results, or NULL when it has no check. */
const struct health_info *health_info(const struct process *);

#endif
