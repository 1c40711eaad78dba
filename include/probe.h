/*
 * probe.h -- one check, from start to verdict: tcp:HOST:PORT (a connection
 * is accepted), http://HOST:PORT/PATH (a GET answers 2xx) or exec:COMMAND
 * (/bin/sh -c COMMAND exits 0), within a time limit.  health= (health.c)
 * and ready= (ready.c) both check through it; repeating checks is theirs.
 * The loop is never blocked but by a host name lookup (use addresses).
 */
#ifndef PROCD_PROBE_H
#define PROCD_PROBE_H

#include <stdbool.h>
#include <sys/types.h>

struct addrinfo;
struct ev_loop;
struct check_spec;
struct program_config;
struct probe;

enum probe_verdict {
	PROBE_PASS,
	PROBE_FAIL,		/* what a check is for: refused, 500, exit 1 */
	PROBE_TIMEOUT,		/* no answer within the limit (a check
				 * command still running is killed) */
	PROBE_BROKEN,		/* it could not be made: a name that does not
				 * resolve, no socket, a command that cannot
				 * run */
};

/* The verdict; WHY says what failed ("HTTP status 500") or passed. */
typedef void (*probe_done_fn)(void *arg, enum probe_verdict,
		    const char *why);

/* What to check, how long it may take, and for what program. */
struct probe_args {
	const struct check_spec *check;
	int		 timeout;	/* s */
	const char	*limit;		/* the key that sets it, for messages
					 * ("health_timeout"), or NULL */
	/* An exec: check runs as this program: its user, directory and
	 * environment. */
	const struct program_config *cfg;
	/* tcp:, http://: where the caller keeps the addresses HOST resolved
	 * to, so that a check it repeats looks the name up once (a lookup
	 * may block the loop): used if *ADDRS is set, else filled (the
	 * caller frees it, after probe_cancel).  NULL: looked up each time. */
	struct addrinfo	**addrs;
};

/*
 * Start one check.  DONE(ARG, ...) is called once, always later from the
 * loop, never from inside this call; the probe is freed right before it.
 * What is needed of A is copied: the config may change while it runs.
 */
struct probe	*probe_run(struct ev_loop *, const struct probe_args *a,
		    probe_done_fn done, void *arg);
/* Give up on it without a verdict; a check command is killed. */
void		 probe_cancel(struct probe *);
/* Was PID a check command?  Then its exit is taken (sup_reap). */
bool		 probe_reaped(pid_t, int wstatus);

#endif
