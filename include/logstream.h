/*
 * logstream.h -- a program's output: the pipes procd reads and the log
 * destination it writes.
 *
 * A logstream is one destination (file, procd's stdout/stderr) for one
 * stream of one process, with its rotation settings.  Pipe read ends are
 * attached to it; each is read on the loop until EOF, so output from a
 * previous instance (or a grandchild still holding the pipe) keeps landing
 * in the same log.  Files are rotated at a line boundary when the data
 * allows it, so no line is split across two files.
 */
#ifndef PROCD_LOGSTREAM_H
#define PROCD_LOGSTREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct ev_loop;
struct logdest_config;
struct logstream;

/* Sees every chunk written (tail -f); (NULL, 0) when the stream goes. */
typedef void (*logstream_tap_fn)(void *arg, const char *, size_t);

/*
 * A stream for program NAME's STREAM ("stdout"), to DC's destination.
 * NAME, STREAM and DC's path are borrowed, not copied (procd keeps
 * thousands of streams): they must outlive the stream, or be handed over
 * with logstream_set_config.
 */
struct logstream *logstream_new(struct ev_loop *, const struct logdest_config *,
		    const char *name, const char *stream);
/* Open (or reopen, for SIGUSR2) the destination. -1 and a log line if it
 * cannot be opened; output is then counted as lost until it can. */
int		 logstream_open(struct logstream *);
/* Close every attached pipe (after draining it) and free. */
void		 logstream_free(struct logstream *);
/* Take ownership of pipe read end FD and read it on the loop. */
int		 logstream_attach(struct logstream *, int fd);
/* Read every attached pipe until it is empty right now: used when the
 * program has exited, so all it wrote is logged before its state moves. */
void		 logstream_drain(struct logstream *);
/* Move to DC, a new config of the same destination: its rotation limits
 * are taken (a live config change), its path borrowed from now on. */
void		 logstream_set_config(struct logstream *,
		    const struct logdest_config *);
/* Truncate the log file (procctl clear). */
int		 logstream_clear(struct logstream *);
/* Follow the stream (at most a few taps at once); -1 when full. */
int		 logstream_tap(struct logstream *, logstream_tap_fn, void *);
void		 logstream_untap(struct logstream *, logstream_tap_fn, void *);
/* What is read from the pipes goes to FN instead (capture mode,
 * evcapture.c), which hands what is to be logged to logstream_put; FN
 * NULL: straight to the log again. */
void		 logstream_filter(struct logstream *, logstream_tap_fn, void *);
void		 logstream_put(struct logstream *, const char *, size_t);
uint64_t	 logstream_lost(const struct logstream *);
const char	*logstream_path(const struct logstream *);
/*
 * Across a re-exec (supcarry.c): the pipes' read ends (up to MAX into
 * FDS; returns how many there are), a line begun and held back and
 * whether the last byte read ended a line; then, in the new image, the
 * same handed back.  logstream_sync waits up to MS for the file to have
 * everything: false when its target looks stuck.
 */
size_t		 logstream_pipe_fds(const struct logstream *, int *fds,
		    size_t max);
const char	*logstream_held(const struct logstream *, size_t *len,
		    bool *mid_line);
void		 logstream_resume(struct logstream *, const char *held,
		    size_t len, bool mid_line);
bool		 logstream_sync(struct logstream *, int ms);
/* Copy up to LEN of the newest bytes written into OUT; returns the count. */
size_t		 logstream_tail(struct logstream *, char *out, size_t len);
/* LEN bytes from OFF (OFF < 0: the newest LEN) into OUT, and in *SIZE
 * the log's size (for a stream kept in memory: the bytes kept, the
 * oldest at 0).  The count, or -1 when the file cannot be read now. */
ssize_t		 logstream_read(struct logstream *, char *out,
		    size_t len, off_t off, off_t *size);

#endif
