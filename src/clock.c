/*
 * clock.c -- monotonic milliseconds and the setitimer heartbeat (clock.h).
 */
#include <sys/time.h>
#include <time.h>

#include "clock.h"

int64_t
clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
clock_arm(int64_t deadline, int64_t now)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };
	int64_t ms;

	if (deadline != 0) {
		ms = deadline - now;
		if (ms < 1)
			ms = 1;	/* already due: fire as soon as possible */
		it.it_value.tv_sec = ms / 1000;
		it.it_value.tv_usec = (ms % 1000) * 1000;
	}
	return setitimer(ITIMER_REAL, &it, NULL);
}
