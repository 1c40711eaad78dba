/*
 * sigignore.c -- a test program that ignores every signal it can (all but
 * SIGKILL and SIGSTOP; SIGCONT still resumes it, as the kernel wants), so
 * only SIGKILL ends it.  Prints "ignored N" and "ready PID" on stdout.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };
	sigset_t none;
	int n = 0;

	sigemptyset(&sa.sa_mask);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP &&
		    sigaction(s, &sa, NULL) == 0)
			n++;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	printf("ignored %d\nready %ld\n", n, (long)getpid());
	fflush(stdout);
	for (;;)
		pause();
}
