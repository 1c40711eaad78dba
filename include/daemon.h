/*
 * daemon.h -- detach from the terminal, with a readiness pipe back to the
 * process that was started, so that `procd start` exits 0 only once the
 * daemon answers on its socket, and with the daemon's own reason if not.
 */
#ifndef PROCD_DAEMON_H
#define PROCD_DAEMON_H

/*
 * fork, setsid, fork again.  Returns in the daemon with the write end of
 * the readiness pipe; the original process never returns: it waits for
 * daemon_ready()/daemon_fail() and exits 0 or 1 (printing the reason).
 */
int	daemon_detach(void);
void	daemon_ready(int fd);
void	daemon_fail(int fd, const char *msg);
/* Point stdin, stdout and stderr at /dev/null. */
int	daemon_stdio_null(void);

#endif
