/*
 * logfile.c -- opening, rotating and naming log files without trusting
 * the directory they live in (logfile.h).
 *
 * Called from the log writer threads as well as the loop: everything here
 * is reentrant (no static buffers, no logging); failures come back as a
 * cause for the caller to log.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cause.h"
#include "logfile.h"
#include "safepath.h"

/*
 * openat2(2), by hand: libcs (musl, older glibc) have no wrapper and the
 * header may be missing, so the kernel ABI is spelled out here.
 */
#ifndef SYS_openat2
#define SYS_openat2		437
#endif
struct logfile_how {
	uint64_t	flags;
	uint64_t	mode;
	uint64_t	resolve;
};
#define LOGFILE_RESOLVE_NO_MAGICLINKS	0x02
#define LOGFILE_RESOLVE_NO_SYMLINKS	0x04
#define LOGFILE_RESOLVE_BENEATH		0x08

/* Set once the kernel said ENOSYS: from then on O_NOFOLLOW alone. */
static atomic_bool logfile_no_openat2;

/* NAME in DIRFD, never through a symlink. */
static int
logfile_openat(int dirfd, const char *name, int flags, mode_t mode)
{
	struct logfile_how how = {
		.flags = (uint64_t)(flags | O_NOFOLLOW),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = LOGFILE_RESOLVE_NO_SYMLINKS |
		    LOGFILE_RESOLVE_NO_MAGICLINKS | LOGFILE_RESOLVE_BENEATH,
	};
	long fd;

	if (!atomic_load(&logfile_no_openat2)) {
		fd = syscall(SYS_openat2, dirfd, name, &how, sizeof how);
		if (fd >= 0 || errno != ENOSYS)
			return (int)fd;
		atomic_store(&logfile_no_openat2, true);
	}
	return openat(dirfd, name, flags | O_NOFOLLOW, mode);
}

/* Split PATH: its directory opened (O_PATH), *BASE its last component. */
static int
logfile_dir_open(const char *path, const char **base, char **cause)
{
	char dir[PATH_MAX], *why = NULL;
	const char *slash = strrchr(path, '/');
	size_t len;
	int fd;

	if (slash == NULL) {
		*base = path;
		return open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	*base = slash + 1;
	len = slash == path ? 1 : (size_t)(slash - path);
	if (len >= sizeof dir || **base == '\0') {
		errno = ENAMETOOLONG;
		return cause_set(cause, "log %s: not a file name", path);
	}
	memcpy(dir, path, len);
	dir[len] = '\0';
	if ((fd = safepath_open_dir(dir, cause != NULL ? &why : NULL)) ==
	    -1) {
		int saved = errno;
		cause_set(cause, "log %s: %s", path, why != NULL ? why :
		    strerror(errno));
		free(why);
		errno = saved;
	}
	return fd;
}

/* Whose files procd may write: root's, its own, the program's. */
static bool
logfile_owner_ok(uid_t uid, uid_t owner)
{
	return uid == 0 || uid == geteuid() ||
	    (owner != LOGFILE_NOBODY && uid == owner);
}

/* The checks on what a log name turned out to be (ST, from fstat/lstat). */
static int
logfile_check_stat(const struct stat *st, const char *path, uid_t owner,
    char **cause)
{
	errno = EPERM;
	if (!S_ISREG(st->st_mode) && !S_ISFIFO(st->st_mode) &&
	    !S_ISCHR(st->st_mode))
		return cause_set(cause, "log %s: refused: not a regular file "
		    "(mode %06o)", path, (unsigned)st->st_mode);
	if (S_ISREG(st->st_mode) && st->st_nlink != 1)
		return cause_set(cause, "log %s: refused: the file has %lu "
		    "links (a hard link to another file?)", path,
		    (unsigned long)st->st_nlink);
	if (!logfile_owner_ok(st->st_uid, owner))
		return cause_set(cause, "log %s: refused: owned by uid %ld, "
		    "not root or the program's user", path,
		    (long)st->st_uid);
	return 0;
}

int
logfile_check_fd(int fd, const char *path, uid_t owner, char **cause)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		return cause_set(cause, "log %s: fstat: %s", path,
		    strerror(errno));
	return logfile_check_stat(&st, path, owner, cause);
}

bool
logfile_is_regular(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

int
logfile_open_stdio(int which, bool *sock)
{
	char path[32];
	struct stat st;
	int fd;

	*sock = false;
	snprintf(path, sizeof path, "/proc/self/fd/%d", which);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK);
	if (fd != -1 || fstat(which, &st) == -1)
		return fd;
	*sock = S_ISSOCK(st.st_mode);	/* cannot be reopened */
	return fcntl(which, F_DUPFD_CLOEXEC, 0);
}

static const int logfile_flags[] = {
	[LOGFILE_APPEND] = O_RDWR | O_APPEND | O_CREAT,
	[LOGFILE_CREATE] = O_RDWR | O_APPEND | O_CREAT | O_EXCL,
	[LOGFILE_READ] = O_RDONLY,
};
_Static_assert(sizeof(logfile_flags) / sizeof(logfile_flags[0]) ==
    LOGFILE_READ + 1, "logfile_flags");

int
logfile_open(const char *path, enum logfile_mode mode, uid_t owner,
    char **cause)
{
	const char *base;
	int dirfd, fd, saved;

	if ((dirfd = logfile_dir_open(path, &base, cause)) == -1)
		return -1;
	/* O_NONBLOCK: a FIFO without a reader must not hang procd. */
	fd = logfile_openat(dirfd, base, logfile_flags[mode] | O_CLOEXEC |
	    O_NOCTTY | O_NONBLOCK, 0644);
	saved = errno;
	close(dirfd);
	if (fd == -1) {
		cause_set(cause, "log %s: %s%s", path, strerror(saved),
		    saved == ELOOP || saved == EXDEV ? " (a symlink: refused)"
		    : "");
		errno = saved;
		return -1;
	}
	if (logfile_check_fd(fd, path, owner, cause) == -1) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	/* A regular file never returns EAGAIN: writes are plain writes. */
	if (logfile_is_regular(fd) && fcntl(fd, F_SETFL,
	    mode == LOGFILE_READ ? 0 : O_APPEND) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return cause_set(cause, "log %s: fcntl: %s", path,
		    strerror(saved));
	}
	return fd;
}

/* Rename FROM to TO in DIRFD if FROM is there and passes the checks. */
static int
logfile_shift(int dirfd, const char *from, const char *to, const char *path,
    uid_t owner, char **cause)
{
	struct stat st;

	if (fstatat(dirfd, from, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 0 : cause_set(cause, "rotating %s: "
		    "%s: %s", path, from, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cause_set(cause, "rotating %s: %s is not a regular "
		    "file: left alone", path, from);
	if (logfile_check_stat(&st, from, owner, cause) == -1)
		return -1;
	if (renameat(dirfd, from, dirfd, to) == -1)
		return cause_set(cause, "rotating %s: rename %s: %s", path,
		    from, strerror(errno));
	return 0;
}

/* Is NAME in DIRFD the very file FD has open?  1: NAME is gone (someone
 * removed the log: nothing to rename, the caller opens a new one). */
static int
logfile_same(int dirfd, const char *name, int fd, const char *path,
    char **cause)
{
	struct stat a, b;

	if (fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 1 : cause_set(cause, "rotating %s: %s",
		    path, strerror(errno));
	if (fstat(fd, &a) == -1)
		return cause_set(cause, "rotating %s: %s", path,
		    strerror(errno));
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return cause_set(cause, "rotating %s: the name no longer "
		    "is the file procd writes (replaced?): not rotated", path);
	return 0;
}

int
logfile_rotate(int fd, const char *path, int backups, uid_t owner,
    char **cause)
{
	char from[NAME_MAX + 1], to[NAME_MAX + 1];
	const char *base;
	int dirfd, r = 0;

	if (backups <= 0)
		return 0;
	if ((dirfd = logfile_dir_open(path, &base, cause)) == -1)
		return -1;
	for (int i = backups - 1; i >= 1 && r == 0; i--) {
		if (snprintf(from, sizeof from, "%s.%d", base, i) >=
		    (int)sizeof from || snprintf(to, sizeof to, "%s.%d",
		    base, i + 1) >= (int)sizeof to)
			r = cause_set(cause, "rotating %s: name too long", path);
		else
			r = logfile_shift(dirfd, from, to, path, owner, cause);
	}
	if (r == 0 && snprintf(to, sizeof to, "%s.1", base) >= (int)sizeof to)
		r = cause_set(cause, "rotating %s: name too long", path);
	if (r == 0 && (r = logfile_same(dirfd, base, fd, path, cause)) == 1)
		r = 0;
	else if (r == 0 && renameat(dirfd, base, dirfd, to) == -1)
		r = cause_set(cause, "rotating %s: rename: %s", path,
		    strerror(errno));
	close(dirfd);
	return r;
}

char *
logfile_auto_name(const char *base)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char rnd[12];
	char suffix[sizeof rnd + 1], *out;
	size_t len = strlen(base);
	ssize_t n;

	do {
		n = getrandom(rnd, sizeof rnd, 0);
	} while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof rnd)
		return NULL;
	for (size_t i = 0; i < sizeof rnd; i++)
		suffix[i] = alnum[rnd[i] % (sizeof alnum - 1)];
	suffix[sizeof rnd] = '\0';
	if (len > 4 && strcmp(base + len - 4, ".log") == 0)
		len -= 4;
	if (asprintf(&out, "%.*s---procd-%s.log", (int)len, base, suffix) == -1)
		return NULL;
	return out;
}

int
logfile_dir_stat(const char *path, struct stat *st)
{
	const char *base;
	int dirfd, r;

	if ((dirfd = logfile_dir_open(path, &base, NULL)) == -1)
		return -1;
	r = fstat(dirfd, st);
	close(dirfd);
	return r;
}

int
logfile_dir_verdict(const char *path, const struct stat *st, uid_t owner,
    char **cause)
{
	if ((st->st_mode & S_ISVTX) != 0)
		return 0;
	if (!logfile_owner_ok(st->st_uid, owner))
		return cause_set(cause, "log %s: its directory is owned by "
		    "uid %ld, who could replace the log", path,
		    (long)st->st_uid);
	if ((st->st_mode & 0022) != 0)
		return cause_set(cause, "log %s: its directory is writable "
		    "by others (mode %04o): they could replace the log", path,
		    (unsigned)(st->st_mode & 07777));
	return 0;
}

int
logfile_check_dir(const char *path, uid_t owner, char **cause)
{
	struct stat st;

	if (logfile_dir_stat(path, &st) == -1)
		return 0;	/* the open will say why */
	return logfile_dir_verdict(path, &st, owner, cause);
}

uid_t
logfile_owner(const char *user)
{
	struct passwd *pw;
	char *end;
	unsigned long n;

	if (user == NULL)
		return LOGFILE_NOBODY;
	if ((pw = getpwnam(user)) != NULL)
		return pw->pw_uid;
	n = strtoul(user, &end, 10);
	return *user != '\0' && *end == '\0' ? (uid_t)n : LOGFILE_NOBODY;
}
