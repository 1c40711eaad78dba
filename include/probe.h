/*
 * probe.h -- one check of a program's health, from start to verdict:
 * tcp:HOST:PORT (a connection is accepted), http://HOST:PORT/PATH (a GET
 * answers 2xx) or exec:COMMAND (/bin/sh -c COMMAND exits 0), each within
 * health_timeout seconds.  The loop is never blocked but by a host name
 * lookup (use addresses).  Repeating checks is health.c's business.
 */
#ifndef PROCD_PROBE_H
#define PROCD_PROBE_H

#include <stdbool.h>
#include <sys/types.h>

struct ev_loop;
struct program_config;
struct probe;

/* The verdict; WHY says what failed ("HTTP status 500") or passed. */
typedef void (*probe_done_fn)(void *arg, bool ok, const char *why);

/*
 * Start one check of CFG's health= (an exec: check runs as CFG's user, in
 * its directory, with its environment).  DONE(ARG, ...) is called once,
 * always later from the loop, never from inside this call; the probe is
 * freed right before it.  NULL only when health= is none.
 */
struct probe	*probe_run(struct ev_loop *, const struct program_config *cfg,
		    probe_done_fn done, void *arg);
/* Give up on it without a verdict; a check command is killed. */
void		 probe_cancel(struct probe *);
/* Was PID a check command?  Then its exit is taken (sup_reap). */
bool		 probe_reaped(pid_t, int wstatus);

#endif
