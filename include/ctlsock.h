/*
 * ctlsock.h -- create the control socket's file, safely (see ctlsock.c).
 */
#ifndef PROCD_CTLSOCK_H
#define PROCD_CTLSOCK_H

#include <sys/types.h>

struct config;

/* Bind and listen on cfg->socket (non-blocking, close-on-exec) with its
 * mode and owner; *GROUP is the group given by socket_owner, or -1.
 * Returns the listening fd, or -1 with CAUSE. */
int	ctlsock_open(const struct config *, gid_t *group, char **cause);

#endif
