/*
 * gwsup.h -- procd's side of the HTTP/XML-RPC gateway: it binds
 * [inet_http_server]'s socket (as root, before privileges are dropped),
 * starts the gateway process (`procd-gateway __gateway`, from procd's own
 * directory, exec'd afresh, running
 * as `[procd] user=` or else nobody, with no supplementary groups), hands
 * it the HTTP connections the control socket accepted, serves the control
 * channels it opens, and restarts it with a backoff when it dies.  procd
 * never parses a byte of HTTP or XML itself, and never waits for the
 * gateway.
 */
#ifndef PROCD_GWSUP_H
#define PROCD_GWSUP_H

#include <sys/types.h>

struct config;
struct ev_loop;

/* Before privileges are dropped: bind [inet_http_server]'s port, find
 * the gateway's user, open procd's own executable.  -1 with *CAUSE. */
int	gwsup_prepare(const struct config *, char **cause);
/* Serve: start the gateway now if [inet_http_server] is configured,
 * otherwise at the first HTTP connection on the control socket. */
void	gwsup_start(struct ev_loop *);
/* control.h's http hook: hand FD (a copy) to the gateway. */
int	gwsup_pass(int fd);
/* Across a re-exec: [inet_http_server]'s socket (-1: none) and the
 * gateway's pid (0: none), which exits at its link's EOF when the old
 * image goes; then, in the new image before gwsup_prepare, the socket
 * back (it may be bound below 1024, which procd no longer could). */
int	gwsup_carry(pid_t *pid);
void	gwsup_carried(int fd);
/* Shutting down: close the link (the gateway exits at its EOF). */
void	gwsup_stop(void);

#endif
