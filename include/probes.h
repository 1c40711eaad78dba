/*
 * probes.h -- what GET /readyz decides, from procd's `status --json`
 * rows (as jsonread.c reads them).  Pure: httpobs.c asks and serves.
 *
 * A process should run when procd is to keep it up (wanted "up":
 * autostart, or a start; a `procctl stop` takes it out).  It is ready
 * when RUNNING, which in procd means its ready= check passed.  An EXITED
 * process whose exit was expected (exitcodes=) and that is not restarted
 * is a one-shot that did its work: not counted against readiness.
 */
#ifndef PROCD_PROBES_H
#define PROCD_PROBES_H

#include <stdbool.h>

struct buf;
struct xr_value;

/* True when every process in ROWS that should run is ready; otherwise
 * append to WHY one line for each that is not, naming it as procctl does
 * and saying why: "web: STARTING, waiting for db", "db: STARTING, not
 * ready yet", "job: FATAL (Exited too quickly ...)".  Text a program
 * controls (spawn errors, STATUS=) is escaped as for a terminal. */
bool	probes_ready(const struct xr_value *rows, struct buf *why);

#endif
