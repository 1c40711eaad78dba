/*
 * safepath.c -- open a log's directory following only the symlinks that
 * nobody but root (or procd's own user) could have put there
 * (safepath.h).
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

static int	safepath_walk(int at, const char *path, int *hops,
		    const char *whole, char **cause);

/* COMP, a symlink open as LFD in directory CUR: its target, opened by a
 * walk of its own from CUR.  LFD is closed. */
static int
safepath_follow(int cur, int lfd, const char *comp, int *hops,
    const char *whole, char **cause)
{
	char target[PATH_MAX];
	struct stat dst, lst;
	ssize_t n;

	if (++*hops > SAFEPATH_HOPS) {
		close(lfd);
		errno = ELOOP;
		return cause_set(cause, "directory %s: too many symlinks",
		    whole);
	}
	if (fstat(cur, &dst) == -1 || fstat(lfd, &lst) == -1 ||
	    (n = readlinkat(lfd, "", target, sizeof target - 1)) == -1) {
		int e = errno;
		close(lfd);
		errno = e;
		return cause_set(cause, "directory %s: %s: %s", whole, comp,
		    strerror(e));
	}
	close(lfd);
	if (!safepath_trusted(&dst, &lst)) {
		errno = EPERM;
		return cause_set(cause, "directory %s: refused: %s is a "
		    "symlink in a directory others can write", whole, comp);
	}
	target[n] = '\0';
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
			return cause_set(cause, "directory %s: %s: %s", whole,
			    comp, strerror(e));
		}
		if (S_ISLNK(st.st_mode))
			next = safepath_follow(cur, next, comp, hops, whole,
			    cause);
		else if (!S_ISDIR(st.st_mode)) {
			close(next);
			next = -1;
			errno = ENOTDIR;
			cause_set(cause, "directory %s: %s: %s", whole, comp,
			    strerror(ENOTDIR));
		}
		close(cur);
		cur = next;
	}
	if (cur == -1 && cause != NULL && *cause == NULL)
		cause_set(cause, "directory %s: %s", whole, strerror(errno));
	return cur;
}

int
safepath_open_dir(const char *dir, char **cause)
{
	int hops = 0;

	return safepath_walk(AT_FDCWD, dir, &hops, dir, cause);
}
