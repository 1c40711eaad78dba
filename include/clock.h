/*
 * clock.h -- monotonic time and the one-shot heartbeat.
 *
 * procd keeps one absolute deadline per process.  The heartbeat is a
 * setitimer(ITIMER_REAL) armed for the earliest of them and disarmed when
 * none is due, so an idle procd makes no periodic wakeups at all.  SIGALRM
 * arrives through the self-pipe like every other signal.
 */
#ifndef PROCD_CLOCK_H
#define PROCD_CLOCK_H

#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC. */
int64_t	clock_now(void);
/* Fire SIGALRM at DEADLINE (monotonic ms); 0 disarms. */
int	clock_arm(int64_t deadline, int64_t now);

#endif
