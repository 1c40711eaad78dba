/*
 * spawn.h -- fork and exec one program, set up exactly as configured.
 *
 * Everything that can fail in a knowable way (finding the executable,
 * resolving the user and groups, building the environment) is done before
 * fork, in the parent.  The child only makes system calls -- no malloc, no
 * stdio, no logging -- and reports a failure as {stage, errno} over a
 * close-on-exec pipe: EOF with no data means exec succeeded.
 */
#ifndef PROCD_SPAWN_H
#define PROCD_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct program_config;

struct spawn_plan {
	char		 *path;		/* executable, resolved */
	char	*const	 *argv;		/* borrowed from the config */
	char		**envp;		/* owned */
	const char	 *directory;
	int		  umask;	/* -1: inherit */
	bool		  setuser;
	uid_t		  uid;
	gid_t		  gid;
	gid_t		 *groups;	/* owned */
	int		  ngroups;
	char		 *listen_pid;	/* in envp: LISTEN_PID='s digits,
					 * written by the child, or NULL */
};

/* Child-side descriptors: -1 for /dev/null. */
struct spawn_fds {
	int	out;
	int	err;
	int	extra;		/* given to the child as EXTRA_AT (ready=fd:N), */
	int	extra_at;	/* or -1 */
	int	in;		/* stdin (a listener's events, an
				 * fcgi-program's socket) */
	const int *listen;	/* sockets= given as fds 3.. (LISTEN_FDS) */
	int	nlisten;
};

/* Resolve everything the child will need: its environment is BASE_ENV,
 * then SUPERVISOR_*, then the program's environment=, then EXTRA_ENV (may
 * be NULL).  An EXTRA_ENV entry SPAWN_LISTEN_PID gets the child's own pid
 * in the child, before exec (socket activation).  Returns -1 with a message for status (e.g. "can't find
 * command 'foo'") in CAUSE. */
int	spawn_plan(struct spawn_plan *, const struct program_config *,
	    char *const *base_env, char *const *extra_env, char *cause,
	    size_t causelen);
void	spawn_plan_free(struct spawn_plan *);
/* Room for any pid, filled in the child (see spawn_plan). */
#define SPAWN_LISTEN_PID	"LISTEN_PID=00000000000000000000"
/* SUPERVISOR_SERVER_URL for every child from now on (URL is copied;
 * NULL: none), as supervisord's children have it. */
void	spawn_set_server_url(const char *url);

/* fork+exec.  On success *PID is the child and *STATUS_FD the read end of
 * its exec-status pipe (non-blocking, close-on-exec).  -1 if fork failed. */
int	spawn_run(const struct spawn_plan *, const struct spawn_fds *,
	    pid_t *pid, int *status_fd, char *cause, size_t causelen);

/* Read the exec-status pipe: 1 = exec failed (CAUSE filled), 0 = EOF
 * (exec succeeded, or the child died before saying anything), -1 = nothing
 * yet (EAGAIN). */
int	spawn_read_status(int fd, const struct program_config *,
	    char *cause, size_t causelen);

#endif
