/*
 * clock.c -- monotonic milliseconds and the setitimer heartbeat (clock.h),
 * both through the seam (sys.h) so tests can move time by hand.
 */
#include "clock.h"
#include "sys.h"

int64_t
clock_now(void)
{
	return sys->now();
}

int
clock_arm(int64_t deadline, int64_t now)
{
	return sys->arm(deadline, now);
}
