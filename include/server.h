/*
 * server.h -- procd's life: set-up in an order where every failure can
 * still be reported to the user, the event loop, and a clean exit.
 */
#ifndef PROCD_SERVER_H
#define PROCD_SERVER_H

#include <stdbool.h>

struct config;

struct server_opts {
	bool	foreground;
};

/* Run procd on CFG (which it takes over); returns the exit status. */
int	server_run(struct config *, const struct server_opts *);

#endif
