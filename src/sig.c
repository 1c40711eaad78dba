/*
 * sig.c -- the self-pipe signal discipline (see sig.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cause.h"
#include "sig.h"
#include "sys.h"

static const int handled[] = {
	SIGCHLD, SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGALRM, SIGUSR2,
};

static int sig_wfd = -1;
static volatile sig_atomic_t sig_pending[64];

static void
sig_handler(int signo)
{
	int saved = errno;
	unsigned char b = (unsigned char)signo;

	if (signo > 0 && signo < 64)
		sig_pending[signo] = 1;
	/* A full pipe already holds a wakeup; the flag carries the rest. */
	(void)!write(sig_wfd, &b, 1);
	errno = saved;
}

int
sig_init(char **cause)
{
	struct sigaction sa;
	int fds[2];

	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == -1)
		return cause_set(cause, "signal pipe: %s", strerror(errno));
	sig_wfd = fds[1];
	memset(&sa, 0, sizeof sa);
	sigfillset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = sig_handler;
	for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		if (sigaction(handled[i], &sa, NULL) == -1)
			goto fail;
	/* Writes to a vanished client must fail with EPIPE, not kill us. */
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) == -1)
		goto fail;
	return fds[0];
fail:
	cause_set(cause, "sigaction: %s", strerror(errno));
	close(fds[0]);
	close(fds[1]);
	return -1;
}

uint64_t
sig_drain(int fd)
{
	unsigned char b[64];
	uint64_t mask = 0;

	/* The bytes only woke us: the flags say which signals came. */
	while (sys_read(fd, b, sizeof b) > 0)
		continue;
	for (int s = 1; s < 64; s++) {
		if (sig_pending[s]) {
			sig_pending[s] = 0;
			mask |= (uint64_t)1 << s;
		}
	}
	return mask;
}

void
sig_block_all(sigset_t *old)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, old);
}

void
sig_restore(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

void
sig_child_reset(void)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			(void)sigaction(s, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Signals caught but not yet handled, sent again to ourselves while
 * they are blocked: pending across an exec, for the next image's
 * handlers (a re-exec must not swallow a SIGTERM or a SIGCHLD). */
void
sig_requeue(void)
{
	for (int s = 1; s < 64; s++)
		if (sig_pending[s])
			(void)kill(getpid(), s);
}
