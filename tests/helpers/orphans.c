/*
 * orphans.c -- a test program that makes orphans: "orphans N MS" forks N
 * children; each forks a grandchild and exits at once (the program reaps
 * the children), and each grandchild exits MS milliseconds later, after
 * its parent -- so it is reaped by whoever adopted it (the nearest child
 * subreaper, or PID 1 of the namespace).  Then it prints "spawned N" on
 * stdout and waits for a signal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	long n, ms;

	if (argc != 3)
		return 2;
	n = atol(argv[1]);
	ms = atol(argv[2]);
	for (long i = 0; i < n; i++) {
		pid_t c = fork();
		if (c == -1)
			return 1;
		if (c == 0) {
			pid_t gc = fork();
			if (gc != 0)
				_exit(gc == -1);
			struct timespec ts = { ms / 1000,
			    (ms % 1000) * 1000000L };
			while (nanosleep(&ts, &ts) == -1)
				;
			_exit(0);
		}
		(void)waitpid(c, NULL, 0);
	}
	printf("spawned %ld\n", n);
	fflush(stdout);
	for (;;)
		pause();
}
