/*
 * sig.h -- signals through a self-pipe.
 *
 * The handler only sets a flag and writes the signal number as one byte to
 * a non-blocking, close-on-exec pipe; the loop watches the read end and
 * calls sig_drain().  The flags make a full pipe harmless: a signal whose
 * byte could not be written is still seen on the next drain.
 */
#ifndef PROCD_SIG_H
#define PROCD_SIG_H

#include <signal.h>
#include <stdint.h>

/* Install handlers for the signals procd handles; ignore SIGPIPE; reset an
 * inherited SIG_IGN on SIGCHLD.  Returns the pipe's read end, or -1. */
int	sig_init(char **cause);
/* Read the pipe empty and return the set of signals that arrived, as a
 * mask of (1 << signo). */
uint64_t sig_drain(int fd);
/* Block every signal (around fork), saving the old mask. */
void	sig_block_all(sigset_t *old);
void	sig_restore(const sigset_t *old);
/* In a fresh child: every disposition back to SIG_DFL, mask emptied.
 * Async-signal-safe. */
void	sig_child_reset(void);

/* With every signal blocked (sig_block_all): those caught and not yet
 * drained are made pending again, to outlive an exec. */
void	sig_requeue(void);

#endif
