/*
 * supcarry.h -- the process table across a re-exec (procctl reexec):
 * when it may be handed over, what of it is carried (rxstate.h), and
 * taking it back in the new image.  reexec.c drives it.
 */
#ifndef PROCD_SUPCARRY_H
#define PROCD_SUPCARRY_H

#include <stddef.h>

struct rxstate;

/* 0 when nothing is half-done (no exec whose outcome is unknown, no
 * update, reload or shutdown under way); else -1 and why.  Spawns
 * waiting in the queue are carried, and queued again.  (Listeners are
 * evbus_carry's business.) */
int	sup_carry_ready(char *why, size_t len);
/* Every log file written out (up to MS in all); -1 and which is stuck. */
int	sup_carry_flush(int ms, char *why, size_t len);
/* Every program's state and pipes into ST; -1 when out of memory. */
int	sup_carry_save(struct rxstate *st);
/* In the new image, the table just built from the same config: take
 * ST's states and pipes, by name; what ST does not hold was removed
 * (procctl remove) and goes.  -1 and why when a program is missing. */
int	sup_carry_restore(const struct rxstate *st, char *why, size_t len);

#endif
