/*
 * logself.h -- procd's own log file written by the log writer threads
 * (logwriter.h), like a program's: a hung disk under it does not hold the
 * loop, and it rotates by size at a line boundary (logfile_maxbytes,
 * logfile_backups).  Syslog and procd's stdout/stderr stay as they are.
 */
#ifndef PROCD_LOGSELF_H
#define PROCD_LOGSELF_H

#include <stdint.h>

struct ev_loop;

/* From now on; MAXBYTES 0 never rotates. */
void	logself_start(struct ev_loop *, uint64_t maxbytes, int backups);
/* Before the loop goes: what is queued goes out (a second at most), then
 * log.c writes the file directly again. */
void	logself_stop(void);

#endif
