/*
 * logfile.h -- every open, rename and truncate of a log file on disk, done
 * so that whoever can write the log's directory cannot point procd at
 * another file.
 *
 * procd runs as root; a program's log directory is often writable by the
 * program's user.  So no log path is ever resolved through a symlink in its
 * last component, what is opened must be a regular file with one link
 * (or a FIFO or device) owned by root, procd's user or the program's user,
 * rotation renames only files it has checked, and AUTO names are random
 * and created exclusively.  The directory part of a path is walked
 * following only symlinks nobody else could have planted (safepath.h);
 * a directory that someone else may write is reported by
 * logfile_check_dir.
 */
#ifndef PROCD_LOGFILE_H
#define PROCD_LOGFILE_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

/* No program user: only root's and procd's own files are accepted. */
#define LOGFILE_NOBODY	((uid_t)-1)

enum logfile_mode {
	LOGFILE_APPEND,		/* read-write, append, create if missing */
	LOGFILE_CREATE,		/* the same, but the name must be new */
	LOGFILE_READ,		/* read only, never created */
};

/*
 * Open PATH as MODE for a program running as OWNER (or LOGFILE_NOBODY).
 * Returns the descriptor (close-on-exec; non-blocking unless a regular
 * file), or -1 with errno and *CAUSE saying precisely why it was refused.
 */
int	logfile_open(const char *path, enum logfile_mode, uid_t owner,
	    char **cause);
/* Is FD still a file procd may write for OWNER (regular, one link)? */
int	logfile_check_fd(int fd, const char *path, uid_t owner, char **cause);
/* A descriptor of our own for procd's stdout or stderr (WHICH): a new
 * non-blocking open file description, so that O_NONBLOCK does not leak
 * to whoever shares ours; a socket (systemd's journal) cannot be
 * reopened: a dup, with *SOCK set (send it MSG_DONTWAIT).  -1 on error. */
int	logfile_open_stdio(int which, bool *sock);
/* Whether FD (an open log) is a regular file. */
bool	logfile_is_regular(int fd);
/*
 * Shift PATH.(N-1) -> PATH.N ... PATH -> PATH.1 (N = BACKUPS), renaming
 * only files that pass the checks; PATH must still be FD, the file procd
 * has open.  -1 and *CAUSE on the first one refused or failed.
 */
int	logfile_rotate(int fd, const char *path, int backups, uid_t owner,
	    char **cause);
/* The name of an AUTO log: BASE ("dir/x-stdout.log") with a random part
 * ("dir/x-stdout---procd-k3j9x0q2w8zt.log").  NULL on failure. */
char	*logfile_auto_name(const char *base);
/* -1 and *CAUSE (a warning) when PATH's directory may be written by
 * someone other than root, procd's user or OWNER, without the sticky bit. */
int	logfile_check_dir(const char *path, uid_t owner, char **cause);
/* The same in two steps, for a caller that asks of many logs in one
 * directory: the directory's stat (walked as above; -1 when it cannot be
 * opened, which the open will report), then the verdict for OWNER. */
int	logfile_dir_stat(const char *path, struct stat *st);
int	logfile_dir_verdict(const char *path, const struct stat *st,
	    uid_t owner, char **cause);
/* OWNER for a program's user= value (a name or number); NULL: none. */
uid_t	logfile_owner(const char *user);

#endif
