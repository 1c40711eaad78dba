/*
 * escape.c -- a test program whose child escapes its process group (and
 * session) with setsid(), so a signal to the program's group misses it.
 * The program itself stays up and does not wait for the child.
 * Prints "escaped PID" (from the child, once it is in its own session)
 * and "ready PID" on stdout.
 */
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	int fds[2];
	pid_t child;
	char b;

	if (pipe(fds) == -1 || (child = fork()) == -1)
		return 1;
	if (child == 0) {
		close(fds[0]);
		if (setsid() == -1)
			_exit(1);
		printf("escaped %ld\n", (long)getpid());
		fflush(stdout);
		close(fds[1]);
		for (;;)
			pause();
	}
	close(fds[1]);
	(void)!read(fds[0], &b, 1);	/* EOF once the child reported */
	close(fds[0]);
	printf("ready %ld\n", (long)getpid());
	fflush(stdout);
	for (;;)
		pause();
}
