/*
 * lsint.h -- what the parts of a program's output stream share
 * (logstream.c: pipes, heads, taps; lsfile.c: a log file's name and its
 * sink; logtarget.c: procd's own stdout or stderr as a target).
 * logstream.h is the interface.
 */
#ifndef PROCD_LSINT_H
#define PROCD_LSINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include "buf.h"
#include "config.h"
#include "logstream.h"
#include "ring.h"

struct logpipe {
	ev_io		 w;
	struct logstream *ls;
	struct logpipe	*next;
};

/* What a FIFO or terminal could not take yet; exists only meanwhile. */
struct backlog {
	struct buf	 data;
	ev_io		 w;		/* the target is writable again */
	struct logstream *ls;
};

struct logtap {
	logstream_tap_fn fn;
	void		*arg;
};

/*
 * What only a stream to procd's own stdout or stderr needs: the target,
 * what it could not take yet, a line held back for its end (programs
 * share the target), and the last bytes for tail (there is no file to
 * read back).  A stream to a file has none: procd keeps thousands.
 */
struct lsstdio {
	struct logstream *ls;
	int		 fd;		/* -1 when not open */
	bool		 own_fd;	/* fd is ours to close */
	bool		 sock;		/* a shared socket: send, never block */
	struct backlog	*backlog;	/* what waits for the target, or NULL */
	struct buf	 held;		/* a line begun, kept for its end */
	ev_timer	 held_w;	/* LOGSTREAM_HOLD_MS after it began */
	struct ring	 ring;		/* for tail */
};

/* Two per program: pointers first, small fields together at the end. */
struct logstream {
	struct ev_loop	*loop;
	const char	*name;		/* of the program, for messages */
	const char	*stream;	/* "stdout" or "stderr" */
	const char	*path;		/* the config's, or own_path */
	char		*own_path;	/* AUTO's random name; NULL: none */
	struct lwsink	*sink;		/* a log file's writer side, made
					 * when first needed */
	uint64_t	 maxbytes;
	const char	*prefix;	/* the config's; NULL: none */
	uint64_t	 lost;
	struct lsstdio	*io;		/* stdout/stderr targets only */
	struct logpipe	*pipes;
	/* LOGPIPE_TAPS slots, allocated by the first tail -f: most
	 * programs never have one, and procd keeps thousands of streams. */
	struct logtap	*taps;
	logstream_tap_fn filter;	/* capture mode (evcapture.c) */
	void		*filter_arg;
	enum logdest_kind kind;
	enum log_timestamps stamps;
	uid_t		 owner;		/* a log file's: who may own it */
	int		 backups;
	bool		 excl;		/* own_path: create it, O_EXCL */
	bool		 paused;	/* the sink is full (a FIFO) */
	bool		 failing;	/* in a run of failed writes */
	bool		 mid_line;	/* the last byte read was no newline */
};

/* logstream.c: stop or resume reading every pipe of LS (back-pressure). */
void	logstream_pause(struct logstream *ls, bool pause);
/* Is LS waiting for its stdio target to take a backlog? */
bool	logstream_backlogged(const struct logstream *ls);

/* logtarget.c: procd's own stdout or stderr (LOGDEST_STDOUT/STDERR). */
void	logstream_open_stdio(struct logstream *ls, int which);
void	logstream_close_fd(struct logstream *ls);
/* A backlog kept across a reopen (SIGUSR2) goes to the new target. */
void	logstream_reopened(struct logstream *ls);
/* P to the target; what it cannot take now waits (back-pressure). */
void	logstream_write_raw(struct logstream *ls, const char *p, size_t n);
/* At the end: what waits is written if it can be, then dropped. */
void	logstream_flush_pending(struct logstream *ls);
void	logstream_backlog_free(struct logstream *ls);

/* How long the first tail of a file waits for a writer to open it. */
#define LOGSTREAM_OPEN_MS 200
/* lsfile.c: a log file's name and owner, decided when LS is made (-1:
 * no memory); its sink, made when first needed (NULL when it cannot
 * be). */
int		 logstream_file(struct logstream *ls,
		    const struct logdest_config *dc);
struct lwsink	*logstream_sink(struct logstream *);

#endif
