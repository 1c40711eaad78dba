/*
 * pidfile.c -- see pidfile.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cause.h"
#include "pidfile.h"
#include "sys.h"

static long
pidfile_read(int fd)
{
	char buf[32];
	ssize_t n;

	n = sys_pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

int
pidfile_lock(const char *path, char **cause)
{
	int fd, r;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
	    0644);
	if (fd == -1)
		return cause_set(cause, "pidfile %s: %s", path,
		    strerror(errno));
	r = sys_flock(fd, LOCK_EX | LOCK_NB);
	if (r == -1) {
		if (errno == EWOULDBLOCK)
			cause_set(cause, "procd is already running (pid %ld; "
			    "pidfile %s is locked)", pidfile_read(fd), path);
		else
			cause_set(cause, "pidfile %s: flock: %s", path,
			    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int
pidfile_write(int fd, pid_t pid)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%ld\n", (long)pid);
	ssize_t w;

	if (ftruncate(fd, 0) == -1)
		return -1;
	w = sys_pwrite(fd, buf, (size_t)n, 0);
	return w == n ? 0 : -1;
}

void
pidfile_remove(const char *path, int fd)
{
	if (fd == -1)
		return;
	/* Unlink while still holding the lock, so no one sees it unlocked
	 * with our pid in it. */
	(void)unlink(path);
	close(fd);
}
