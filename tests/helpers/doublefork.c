/*
 * doublefork.c -- a test program that daemonizes a grandchild the classic
 * way while itself staying up: it forks a child, the child forks the
 * grandchild and exits at once, and the program reaps the child.  The
 * grandchild is thus an orphan: the kernel hands it to the nearest child
 * subreaper (procd).  It stays in the program's process group (no setsid).
 *
 *   doublefork [MS]   the orphan exits by itself after MS milliseconds;
 *                     without MS (or 0) it waits for a signal.
 *
 * Prints "orphan PID" (from the grandchild) and "ready PID" on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	long ms = argc > 1 ? atol(argv[1]) : 0;
	int fds[2];
	pid_t child;
	char b;

	/* The pipe tells the program once the orphan has reported. */
	if (pipe(fds) == -1)
		return 1;
	if ((child = fork()) == -1)
		return 1;
	if (child == 0) {
		pid_t gc = fork();
		if (gc == -1)
			_exit(1);
		if (gc > 0)
			_exit(0);	/* the intermediate: orphan the gc */
		close(fds[0]);
		printf("orphan %ld\n", (long)getpid());
		fflush(stdout);
		close(fds[1]);
		if (ms > 0) {
			struct timespec ts = { ms / 1000,
			    (ms % 1000) * 1000000L };
			while (nanosleep(&ts, &ts) == -1)
				;
			_exit(0);
		}
		for (;;)
			pause();
	}
	close(fds[1]);
	(void)waitpid(child, NULL, 0);
	(void)!read(fds[0], &b, 1);	/* EOF once the orphan reported */
	close(fds[0]);
	printf("ready %ld\n", (long)getpid());
	fflush(stdout);
	for (;;)
		pause();
}
