/*
 * notify.h -- the sd_notify protocol towards systemd (or any supervisor
 * that sets $NOTIFY_SOCKET): one datagram per message, no libsystemd.
 */
#ifndef PROCD_NOTIFY_H
#define PROCD_NOTIFY_H

#include <stdbool.h>

/* Take $NOTIFY_SOCKET for procd and remove it from the environment its
 * programs inherit. */
void	notify_init(void);
/* There is a manager to notify. */
bool	notify_enabled(void);
/* Send MSG ("READY=1", "STOPPING=1", "STATUS=...") to $NOTIFY_SOCKET, if
 * set.  Abstract socket names ('@' first) are supported.  0, or -1 with
 * errno; a missing variable is not an error. */
int	notify_send(const char *msg);
/* The manager's NOTIFY_SOCKET (taken out of the environment at start),
 * to hand to procd's next image on a re-exec; NULL: none. */
const char *notify_socket(void);

/* RELOADING=1 with MONOTONIC_USEC, as Type=notify-reload wants. */
int	notify_reloading(void);

#endif
