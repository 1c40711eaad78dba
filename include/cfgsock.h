/*
 * cfgsock.h -- the socket keys of a program's section (cfgsock.c):
 * [fcgi-program:] socket= and its socket_* options, [program:] sockets=.
 */
#ifndef PROCD_CFGSOCK_H
#define PROCD_CFGSOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "cfgget.h"
#include "config.h"

/* The sockets of process P of section S (FILE:LINE errors); -1 if bad.
 * FIRST: P is the section's first process (warnings are said once). */
int	cfgsock_settings(struct cfgstore *, const struct cfgsect *s,
	    const struct cfgexp *, struct program_config *p, bool first);
/* An [fcgi-program:] pool (CF's processes FROM..) binds one socket: an
 * error if its processes' socket= differ. */
int	cfgsock_pool(struct cfgstore *, const struct config *cf,
	    const struct cfgsect *s, size_t from);
/* Two groups naming one socket URL: an error (each group binds its
 * own, so the second could never bind). */
void	cfgsock_conflicts(struct cfgstore *, const struct config *cf);
/* Free P's sockets. */
void	cfgsock_free(struct program_config *p);

#endif
