/*
 * daemon.c -- the classic double fork, with a readiness pipe (daemon.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "sys.h"

/* The started process: relay the daemon's verdict, then exit with it. */
static void __attribute__((noreturn))
daemon_wait_verdict(int fd, pid_t child)
{
	char buf[4096];
	size_t len = 0;
	ssize_t n;

	(void)waitpid(child, NULL, 0);	/* the middle process exits at once */
	for (;;) {
		n = sys_read(fd, buf + len, sizeof buf - 1 - len);
		if (n <= 0 || (len += (size_t)n) == sizeof buf - 1)
			break;
	}
	buf[len] = '\0';
	if (len > 0 && buf[0] == '0')
		_exit(0);
	if (len > 1)
		fprintf(stderr, "procd: %s\n", buf + 1);
	else
		fprintf(stderr, "procd: the daemon exited during start-up "
		    "(see its log)\n");
	exit(1);
}

int
daemon_detach(void)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == -1)
		return -1;
	if (pid > 0) {
		close(p[1]);
		daemon_wait_verdict(p[0], pid);
	}
	close(p[0]);
	if (setsid() == -1)
		_exit(1);
	/* The session leader leaves, so the daemon can never reacquire a
	 * controlling terminal. */
	if ((pid = fork()) == -1)
		_exit(1);
	if (pid > 0)
		_exit(0);
	return p[1];
}

static void
daemon_say(int fd, char status, const char *msg)
{
	size_t len = strlen(msg);
	char *buf = malloc(len + 1);

	if (fd == -1)
		return;
	if (buf != NULL) {
		buf[0] = status;
		memcpy(buf + 1, msg, len);
		(void)!write(fd, buf, len + 1);
		free(buf);
	}
	close(fd);
}

void
daemon_ready(int fd)
{
	daemon_say(fd, '0', "");
}

void
daemon_fail(int fd, const char *msg)
{
	daemon_say(fd, '1', msg);
}

int
daemon_stdio_null(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd == -1)
		return -1;
	for (int i = 0; i < 3; i++)
		if (fd != i && dup2(fd, i) == -1)
			return -1;
	if (fd > 2)
		close(fd);
	return 0;
}
