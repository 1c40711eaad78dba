/*
 * flap.c -- a test program that dies every ~MS milliseconds until told to
 * calm down: "flap CALMFILE MS".  If CALMFILE exists (checked at start and
 * again before dying), it stays up for good instead; otherwise it sleeps
 * MS +- 10% (jittered by pid, so 200 of them do not die in lockstep) and
 * exits 1.
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void __attribute__((noreturn))
stay(void)
{
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	struct timespec ts;
	long ms;

	if (argc != 3)
		return 2;
	if (access(argv[1], F_OK) == 0)
		stay();
	ms = atol(argv[2]);
	ms += (long)(getpid() % 21 - 10) * ms / 100;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1)
		;
	if (access(argv[1], F_OK) == 0)
		stay();
	return 1;
}
