/*
 * ownlog.h -- procd's own log file written by a log writer thread, like
 * a program's, once the loop runs: a hung disk under procd.log then costs
 * lines of it, never the loop (see log.h's log_divert, logwriter.h).
 */
#ifndef PROCD_OWNLOG_H
#define PROCD_OWNLOG_H

#include <stdint.h>

struct ev_loop;

/* Hand the file procd's log was opened on to a writer, which rotates it
 * at MAXBYTES keeping BACKUPS; nothing when the log is no file. */
void	ownlog_start(struct ev_loop *, uint64_t maxbytes, int backups);
/* At exit: wait a little for what is queued, then log.c writes no file. */
void	ownlog_stop(void);

#endif
