/*
 * logwriter.h -- program log files written by a few threads, never by the
 * event loop.
 *
 * A file on storage that hangs (NFS gone, a stalled device) blocks
 * write(2), open(2), rename(2) and ftruncate(2) for as long as it hangs.
 * So the loop only appends whole lines to a sink's bounded backlog; a
 * pool of writer threads opens, writes, rotates and truncates.  A sink
 * whose target is stuck holds one writer and its backlog; when the
 * backlog is full, whole lines are dropped and counted as lost.  Other
 * sinks keep being written by the other writers.
 *
 * Every function here is for the loop's thread.  Messages for procd's log
 * are made by the writers but logged on the loop (log.c is not for
 * threads), through an ev_async.
 */
#ifndef PROCD_LOGWRITER_H
#define PROCD_LOGWRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct ev_loop;
struct lwsink;

/* Called on the loop when a full sink has room again, or its target got
 * stuck (from then on it drops): read the program again. */
typedef void (*lwsink_space_fn)(void *arg);

/* A sink writing PATH (copied) for program user OWNER; EXCL: the name is
 * new (AUTO's random one) the first time.  LABEL names it in messages.
 * The file is opened by a writer, soon. */
struct lwsink	*lwsink_new(struct ev_loop *, const char *label,
		    const char *path, bool excl, uid_t owner);
void		 lwsink_limits(struct lwsink *, uint64_t maxbytes,
		    int backups);
void		 lwsink_on_space(struct lwsink *, lwsink_space_fn, void *);
/* Queue P; false when the sink is now full (a FIFO, or a file whose
 * writer is slow but not stuck; only with a space function): pause the
 * program's pipes until lwsink_space_fn. */
bool		 lwsink_put(struct lwsink *, const char *p, size_t n);
/* Reopen (SIGUSR2) and truncate (procctl clear), done by a writer. */
void		 lwsink_reopen(struct lwsink *);
void		 lwsink_clear(struct lwsink *);
/* Wait up to MS for what is queued to be written; not at all when the
 * target already looks stuck.  True when everything is out. */
bool		 lwsink_flush(struct lwsink *, int ms);
/* The same at exit: up to MS even when the target looked stuck. */
bool		 lwsink_drain(struct lwsink *, int ms);
/* Copy the newest LEN bytes of the file into OUT; -1 when the target is
 * stuck (reading it could hang the loop too) or not a regular file. */
ssize_t		 lwsink_tail(struct lwsink *, char *out, size_t len);
/* The same, from OFF (OFF < 0: the newest LEN bytes); *SIZE is the
 * file's size as it was read. */
ssize_t		 lwsink_read(struct lwsink *, char *out, size_t len, off_t off,
		    off_t *size);
uint64_t	 lwsink_lost(struct lwsink *);
const char	*lwsink_path(const struct lwsink *);
/* Let go: a writer writes what is left, closes and frees it. */
void		 lwsink_free(struct lwsink *);

#endif
