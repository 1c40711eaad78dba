/*
 * safepath.c -- open a log's directory, or a file root reads for a
 * program (environment_file=), following only the symlinks that nobody
 * but root (or procd's own user) could have put there (safepath.h).
 *
 * A log path's directories are the administrator's, and symlinks among
 * them are common and meant (/var/run -> /run, /srv/logs -> /data/logs).
 * But a directory a program's user can write is the user's: a symlink
 * planted there (/var/log/app/sub -> /etc) would aim root's writes
 * anywhere.  So the path is walked one component at a time, never
 * letting the kernel follow a link; a link is followed by hand only when
 * the directory holding it is trusted: owned by root or procd's user and
 * writable by nobody else, or sticky (/tmp) with the link itself owned
 * by root or procd's user (only its owner can replace it there).
 *
 * Reentrant: called from the log writers and the loop alike.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cause.h"
#include "safepath.h"

#define SAFEPATH_HOPS	40	/* links followed per path, as the kernel */

static bool
safepath_ours(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/* May a link LINK found in directory DIR be followed? */
static bool
safepath_trusted(const struct stat *dir, const struct stat *link)
{
	if (!safepath_ours(dir->st_uid))
		return false;
	if ((dir->st_mode & (S_IWGRP | S_IWOTH)) == 0)
		return true;
	return (dir->st_mode & S_ISVTX) != 0 && safepath_ours(link->st_uid);
}

/* COMP, a symlink open as LFD in directory CUR: its target into TARGET
 * (PATH_MAX bytes) if it may be followed.  LFD is closed. */
static int
safepath_link(int cur, int lfd, const char *comp, int *hops,
    const char *whole, char *target, char **cause)
{
	struct stat dst, lst;
	ssize_t n;

	if (++*hops > SAFEPATH_HOPS) {
		close(lfd);
		errno = ELOOP;
		return cause_set(cause, "%s: too many symlinks", whole);
	}
	if (fstat(cur, &dst) == -1 || fstat(lfd, &lst) == -1 ||
	    (n = readlinkat(lfd, "", target, PATH_MAX - 1)) == -1) {
		int e = errno;
		close(lfd);
		errno = e;
		return cause_set(cause, "%s: %s: %s", whole, comp,
		    strerror(e));
	}
	close(lfd);
	if (!safepath_trusted(&dst, &lst)) {
		errno = EPERM;
		return cause_set(cause, "%s: refused: %s is a symlink in a "
		    "directory others can write", whole, comp);
	}
	target[n] = '\0';
	return 0;
}

static int	safepath_walk(int at, const char *path, int *hops,
		    const char *whole, char **cause);

/* A directory's link: its target, opened by a walk of its own from CUR. */
static int
safepath_follow(int cur, int lfd, const char *comp, int *hops,
    const char *whole, char **cause)
{
	char target[PATH_MAX];

	if (safepath_link(cur, lfd, comp, hops, whole, target, cause) == -1)
		return -1;
	return safepath_walk(cur, target, hops, whole, cause);
}

/* The next component of *P (skipping slashes) into COMP; false at the
 * end. */
static bool
safepath_next(const char **p, char *comp, size_t len)
{
	size_t n;

	while (**p == '/')
		(*p)++;
	if (**p == '\0')
		return false;
	n = strcspn(*p, "/");
	if (n >= len)
		n = len - 1;	/* NAME_MAX guards: the open fails */
	memcpy(comp, *p, n);
	comp[n] = '\0';
	*p += strcspn(*p, "/");
	return true;
}

/* PATH from AT (a directory, or AT_FDCWD), as an O_PATH descriptor. */
static int
safepath_walk(int at, const char *path, int *hops, const char *whole,
    char **cause)
{
	char comp[NAME_MAX + 2];
	struct stat st;
	int cur, next;

	cur = openat(path[0] == '/' ? AT_FDCWD : at, path[0] == '/' ? "/" :
	    ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	while (cur != -1 && safepath_next(&path, comp, sizeof comp)) {
		next = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next == -1 || fstat(next, &st) == -1) {
			int e = errno;
			if (next != -1)
				close(next);
			close(cur);
			errno = e;
			return cause_set(cause, "%s: %s: %s", whole, comp,
			    strerror(e));
		}
		if (S_ISLNK(st.st_mode))
			next = safepath_follow(cur, next, comp, hops, whole,
			    cause);
		else if (!S_ISDIR(st.st_mode)) {
			close(next);
			next = -1;
			errno = ENOTDIR;
			cause_set(cause, "%s: %s: %s", whole, comp,
			    strerror(ENOTDIR));
		}
		close(cur);
		cur = next;
	}
	if (cur == -1 && cause != NULL && *cause == NULL)
		cause_set(cause, "%s: %s", whole, strerror(errno));
	return cur;
}

int
safepath_open_dir(const char *dir, char **cause)
{
	char whole[PATH_MAX + 16];
	int hops = 0;

	snprintf(whole, sizeof whole, "directory %s", dir);
	return safepath_walk(AT_FDCWD, dir, &hops, whole, cause);
}

/* PATH from AT opened with FLAGS, its directories walked safely and a
 * link in its last component followed only where trusted. */
static int
safepath_open_at(int at, const char *path, int flags, int *hops,
    const char *whole, char **cause)
{
	char dir[PATH_MAX], target[PATH_MAX];
	const char *slash = strrchr(path, '/'), *base;
	size_t len;
	int dfd, fd, lfd;

	base = slash != NULL ? slash + 1 : path;
	len = slash == NULL ? 0 : slash == path ? 1 : (size_t)(slash - path);
	if (*base == '\0' || len >= sizeof dir) {
		errno = EISDIR;
		return cause_set(cause, "%s: not a file name", whole);
	}
	memcpy(dir, slash != NULL ? path : ".", slash != NULL ? len : 1);
	dir[slash != NULL ? len : 1] = '\0';
	if ((dfd = safepath_walk(at, dir, hops, whole, cause)) == -1)
		return -1;
	fd = openat(dfd, base, flags | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 && errno == ELOOP &&
	    (lfd = openat(dfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC)) != -1) {
		/* The last component is a link: followed if trusted. */
		if (safepath_link(dfd, lfd, base, hops, whole, target, cause)
		    == 0)
			fd = safepath_open_at(dfd, target, flags, hops, whole,
			    cause);
	} else if (fd == -1)
		cause_set(cause, "%s: %s", whole, strerror(errno));
	close(dfd);
	return fd;
}

int
safepath_open(const char *path, int flags, char **cause)
{
	int hops = 0;

	return safepath_open_at(AT_FDCWD, path, flags, &hops, path, cause);
}
