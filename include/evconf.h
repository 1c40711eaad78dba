/*
 * evconf.h -- the event settings of the config: [eventlistener:NAME]
 * sections (a pool of listener processes, each built like a program by
 * cfgprog.c, then given events=, buffer_size= and result_handler=), and
 * the stdout_events_enabled/stderr_events_enabled keys of programs.
 */
#ifndef PROCD_EVCONF_H
#define PROCD_EVCONF_H

#include "cfgstore.h"
#include "config.h"

/* supervisord's default pool size (buffer_size=). */
#define EVCONF_BUFFER_DEFAULT 10

/* Add the processes of [eventlistener:] section S (pool S->arg) to CF. */
void	evconf_listener(struct cfgstore *, struct config *,
	    const struct cfgsect *, const char *host);
/* Read the *_events_enabled and *_capture_maxbytes keys of S into the
 * processes CF->progs[FROM..] it made. */
void	evconf_program(struct cfgstore *, struct config *,
	    const struct cfgsect *, size_t from);

#endif
