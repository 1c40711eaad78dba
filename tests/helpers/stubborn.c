/*
 * stubborn.c -- a test program that ignores SIGTERM (and SIGINT, SIGHUP),
 * so only SIGKILL stops it.  With "fork", it first forks a child that does
 * the same (to test killing the whole process group).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (argc > 1 && strcmp(argv[1], "fork") == 0) {
		pid_t pid = fork();
		if (pid == 0) {
			printf("grandchild %ld\n", (long)getpid());
			fflush(stdout);
			for (;;)
				pause();
		}
	}
	printf("ready %ld\n", (long)getpid());
	fflush(stdout);
	for (;;)
		pause();
}
