/*
 * rxstate.h -- what procd carries across a re-exec (procctl reexec), as
 * plain data: the command line it was started with, the descriptors that
 * must survive (control socket, pidfile lock, notify socket, the HTTP
 * gateway's port, the client that asked), and every program's runtime
 * state with its log pipes.
 *
 * Pure: rxstate_encode writes rxrec.h records, rxstate_decode reads them
 * back and checks everything that can be checked without the system
 * (ranges, a descriptor named twice); reexec.c checks the descriptors
 * themselves.  A new kind of carried state is one field here, one
 * encoder and one case in the decoder: an older procd skips a record it
 * does not know unless the record is marked critical.
 */
#ifndef PROCD_RXSTATE_H
#define PROCD_RXSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* Pipes of one stream of one program: a previous instance's, or a
 * grandchild's, may still be open beside the current one. */
#define RXSTREAM_MAX_PIPES	64

struct rxstream {
	int		 fds[RXSTREAM_MAX_PIPES];
	size_t		 nfds;
	bool		 mid_line;	/* the last byte read ended no line */
	char		*held;		/* a line begun, not written yet */
	size_t		 held_len;
};

/* struct process's facts, as proc.h names them. */
#define RXPROG_EXIT_EXPECTED	0x001
#define RXPROG_EXEC_FAILED	0x002
#define RXPROG_WAITING		0x004
#define RXPROG_READY_FAILED	0x008
#define RXPROG_WATCHDOG_FIRED	0x010
#define RXPROG_HEALTH_FAILED	0x020
#define RXPROG_DEP_FAILED	0x040
#define RXPROG_STOP_HELD	0x080
#define RXPROG_CASCADED		0x100
#define RXPROG_SPAWN_QUEUED	0x200	/* in the spawn queue (paced) */

struct rxprog {
	char		*name;		/* display name: "group:name" */
	int64_t		 state, want, pid;
	int64_t		 deadline;	/* CLOCK_MONOTONIC ms, as procd's */
	int64_t		 backoff, flaps, window_start, window_restarts;
	int64_t		 restarts, spawns;
	int64_t		 start_mono, start_wall, stop_wall, wstatus;
	int64_t		 flags;		/* RXPROG_* */
	char		*spawnerr;	/* NULL: none */
	char		*status_text;	/* its last STATUS=, NULL: none */
	int		 ready_fd;	/* ready=fd:N's pipe; -1: none */
	int		 stdin_fd;	/* its stdin pipe, procd's end; -1: none */
	struct rxstream	 out, err;
};

/* A client following a log (tail -f, maintail -f): carried, so it goes
 * on receiving from the new image and loses nothing. */
struct rxfollow {
	int		 fd;
	uint64_t	 id;		/* its request's */
	int64_t		 flags;		/* its request's PROTO_F_* */
	char		*name;		/* the program; NULL: procd's log */
	int64_t		 stream;	/* 1 stdout, 2 stderr */
	char		*pending;	/* frames queued, not yet sent */
	size_t		 pending_len;
};

/* An event listener's channels (its stdin and stdout pipes, procd's
 * ends), carried only when it is between events. */
struct rxlistener {
	char		*name;		/* its display name */
	int		 in_fd, out_fd;
	int64_t		 state;		/* enum evproto_state */
	int64_t		 garbage;	/* restarts for garbage in a row */
};

/* A pool's serial: the next event it numbers. */
struct rxpool {
	char		*name;
	uint64_t	 serial;
};

/* A listening socket procd holds for a group (heldsock.h). */
struct rxheld {
	char		*group;
	char		*url;		/* canonical, as sockspec.c writes it */
	int		 fd;
};

struct rxstate {
	uint32_t	 version;	/* of the state read */
	uint64_t	 generation;	/* re-execs so far */
	char		**argv;		/* NULL-terminated */
	size_t		 argc;
	int		 control_fd;	/* the listening control socket */
	char		*control_path;
	int		 pid_fd;	/* the pidfile, locked; -1: none */
	int		 notify_fd;	/* NOTIFY_SOCKET's; -1: not open */
	int		 http_fd;	/* [inet_http_server]'s; -1: none */
	int64_t		 gateway_pid;	/* the old gateway, to reap; 0 */
	int		 reply_fd;	/* who asked, answered by the new
					 * image; -1: none */
	uint64_t	 reply_id;
	struct rxprog	*progs;
	size_t		 nprogs;
	struct rxfollow	*follows;
	size_t		 nfollows;
	/* Events: the next global serial, each pool's, the listeners. */
	uint64_t	 ev_serial;
	struct rxpool	*pools;
	size_t		 npools;
	struct rxlistener *listeners;
	size_t		 nlisteners;
	struct rxheld	*held;
	size_t		 nheld;
};

void	rxstate_init(struct rxstate *);
void	rxstate_free(struct rxstate *);
/* Add a program (zeroed, no pipes); NULL when out of memory. */
struct rxprog *rxstate_add_prog(struct rxstate *);
/* Add a follower (zeroed, fd -1); NULL when out of memory. */
struct rxfollow *rxstate_add_follow(struct rxstate *);
struct rxlistener *rxstate_add_listener(struct rxstate *);
struct rxpool *rxstate_add_pool(struct rxstate *);
struct rxheld *rxstate_add_held(struct rxstate *);
void	rxstate_encode(const struct rxstate *, struct buf *);
/* Read DATA into ST (which is rxstate_init'ed); -1 with *CAUSE (a static
 * string) and ST freed when it cannot be taken. */
int	rxstate_decode(const void *data, size_t len, struct rxstate *st,
	    const char **cause);
/* Every descriptor ST names, in an array of *N (malloc'd); NULL if out of
 * memory. */
int	*rxstate_fds(const struct rxstate *, size_t *n);

#endif
