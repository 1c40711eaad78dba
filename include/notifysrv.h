/*
 * notifysrv.h -- the NOTIFY_SOCKET procd offers its own programs
 * (ready=notify, watchdog=): the server side of sd_notify.
 *
 * One abstract-namespace datagram socket for all programs, opened the
 * first time a program needs it.  The kernel vouches for the sender's pid
 * (SO_PASSCRED), so a message is only ever taken as coming from the
 * process that sent it; which pids count is the caller's business.
 */
#ifndef PROCD_NOTIFYSRV_H
#define PROCD_NOTIFYSRV_H

#include <stddef.h>
#include <sys/types.h>

struct ev_loop;

#define NOTIFYSRV_READY		0x01	/* READY=1 */
#define NOTIFYSRV_WATCHDOG	0x02	/* WATCHDOG=1 */
#define NOTIFYSRV_STATUS	0x04	/* STATUS=... (text given) */

/* One datagram from PID: WHAT is NOTIFYSRV_* bits; STATUS the text of
 * the last STATUS= line (NUL-terminated, bounded on a character
 * boundary, otherwise as sent: whoever shows it escapes it). */
typedef void (*notifysrv_fn)(pid_t pid, unsigned what, const char *status);

/* The socket's "NOTIFY_SOCKET=@..." for a child's environment, opening
 * it if need be.  NULL with a reason in CAUSE when it cannot be opened. */
const char	*notifysrv_env(struct ev_loop *, notifysrv_fn, char *cause,
		    size_t causelen);
void		 notifysrv_close(void);
/* Across a re-exec: the socket (-1 when not open), then in the new image
 * the same socket served again with FN.  -1 with errno. */
int		 notifysrv_fd(void);
int		 notifysrv_adopt(struct ev_loop *, notifysrv_fn, int fd);

#endif
