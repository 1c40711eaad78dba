/*
 * pidfile.h -- the lock that is the only authority on "procd is running".
 *
 * The pidfile is flock()ed for procd's whole life.  A lock held by the
 * open file description survives fork, so it is taken before daemonizing
 * and the error goes to the user's terminal.  A pidfile left by a killed
 * procd is not locked, so it is simply taken over.
 */
#ifndef PROCD_PIDFILE_H
#define PROCD_PIDFILE_H

#include <sys/types.h>

/* Open and lock PATH; the fd, or -1 with CAUSE ("already running"). */
int	pidfile_lock(const char *path, char **cause);
/* (Re)write our pid into the locked file. */
int	pidfile_write(int fd, pid_t);
/* Remove the file and drop the lock. */
void	pidfile_remove(const char *path, int fd);

#endif
