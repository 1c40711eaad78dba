/*
 * probe.c -- a test program: reports what it inherited from procd, then
 * waits.  Writes to stdout, one line each:
 *   fds: the open descriptors above 2 (should be none)
 *   sigmask: the blocked signals as hex (should be 0)
 *   ignored: the signals set to SIG_IGN (should be none)
 *   pgrp: whether it leads its own process group
 * With "exit N" it exits N right after reporting; default: sleeps forever.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t mask;
	DIR *d;
	struct dirent *e;
	unsigned long long bits = 0;

	printf("fds:");
	if ((d = opendir("/proc/self/fd")) != NULL) {
		while ((e = readdir(d)) != NULL) {
			int fd = atoi(e->d_name);
			if (e->d_name[0] != '.' && fd > 2 && fd != dirfd(d))
				printf(" %d", fd);
		}
		closedir(d);
	}
	printf("\n");
	sigprocmask(SIG_SETMASK, NULL, &mask);
	for (int s = 1; s < 64; s++)
		if (sigismember(&mask, s) == 1)
			bits |= 1ULL << s;
	printf("sigmask: %llx\n", bits);
	printf("ignored:");
	for (int s = 1; s < NSIG; s++)
		if (sigaction(s, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			printf(" %d", s);
	printf("\n");
	printf("pgrp: %s\n", getpgrp() == getpid() ? "own" : "shared");
	fflush(stdout);
	if (argc == 3 && strcmp(argv[1], "exit") == 0)
		return atoi(argv[2]);
	for (;;)
		pause();
}
