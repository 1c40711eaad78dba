/*
 * control.h -- the unix control socket: listen, accept, check the peer,
 * read framed requests, queue framed replies.
 *
 * Nothing here blocks: every client has its own bounded input and output
 * buffers, one request at a time, and a client that sends a bad frame,
 * reads too slowly or vanishes is dropped (and logged), never waited for.
 * What a request means is the hooks' business (cmd.c in procd).
 */
#ifndef PROCD_CONTROL_H
#define PROCD_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct config;
struct ev_loop;
struct client;

/* What a client's request means is someone else's business: */
struct control_hooks {
	/* A request, ARGV[0] the command: answer with client_* and end it
	 * with client_end(), now or later. */
	void	(*request)(struct client *, int argc, char **argv);
	/* C is about to be freed: forget it. */
	void	(*gone)(struct client *);
	/* A connection that speaks HTTP (peek.h): take a copy of FD (the
	 * caller closes its own), 0; or -1 when it cannot be served.  NULL:
	 * HTTP is not served. */
	int	(*http)(int fd);
};

/* Bind and listen on cfg->socket (ctlsock.c) and serve it with HOOKS.  -1
 * with CAUSE on failure. */
int	control_listen(struct ev_loop *, const struct config *,
	    const struct control_hooks *, char **cause);
/* After a re-exec (reexec.c): serve FD, the listening socket the old
 * image bound at PATH.  -1 with CAUSE. */
int	control_resume(struct ev_loop *, const struct config *,
	    const struct control_hooks *, int fd, const char *path,
	    char **cause);
/* The listening socket and its path, to carry across a re-exec. */
int	control_fd(const char **path);
/* A client's connection and the id of the request it is being answered
 * for (a re-exec's new image answers it). */
int	client_fd(const struct client *, uint32_t *request_id);
/* A streaming client (tail -f) across a re-exec: its connection, its
 * request's id and flags, the frames queued for it; then, in the new
 * image, the same client served again, its request still open. */
int	client_carry(const struct client *, uint32_t *id, uint8_t *flags,
	    const char **queued, size_t *len);
struct client *control_resume_client(int fd, uint32_t id, uint8_t flags,
	    const char *queued, size_t len);
/* Serve FD, a control channel the HTTP gateway opened (gwsup.c), as a
 * client: the slot limits apply, the socket's permission check does not
 * (the gateway is procd's own child; whom it serves was checked at accept
 * or by [inet_http_server]'s password). */
void	control_adopt(int fd);
/* Stop listening, unlink the socket, try once to flush and drop clients. */
void	control_close(void);

void	client_out(struct client *, const char *, size_t);
void	client_outf(struct client *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	client_errf(struct client *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Finish the current request with procctl's exit code. */
void	client_end(struct client *, int code);
/* The reply goes on until the client hangs up (tail -f): watch for it. */
void	client_stream(struct client *);
bool	client_json(const struct client *);
/* procctl writes to a tty that wants colour. */
bool	client_color(const struct client *);
uid_t	client_uid(const struct client *);
pid_t	client_pid(const struct client *);

#endif
