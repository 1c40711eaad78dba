/*
 * gwctl.h -- the gateway's side of its link to procd.
 *
 * The link is a SOCK_SEQPACKET socketpair made by procd before it starts
 * the gateway (gwsup.c), where each message is one type byte, a small
 * payload and at most one descriptor (SCM_RIGHTS):
 *
 *	procd -> gateway  GWMSG_INIT	once, first: the credentials (below)
 *					and [inet_http_server]'s listening
 *					socket, if there is one
 *	procd -> gateway  GWMSG_CONN	an HTTP connection accepted on the
 *					control socket (peer already admitted
 *					by its SO_PEERCRED uid)
 *	gateway -> procd  GWMSG_CHANNEL	one end of a new socketpair that procd
 *					serves as a control client: the other
 *					end speaks proto.h, as procctl does
 *
 * INIT's payload is four NUL-terminated strings: inet username, inet
 * password, unix username, unix password (empty: none).  A request on a
 * channel is then exactly what procctl would send (argv, the JSON flag),
 * so procd needs no second command interpreter.
 */
#ifndef PROCD_GWCTL_H
#define PROCD_GWCTL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "proto.h"

enum gwmsg {
	GWMSG_INIT = 'I',
	GWMSG_CONN = 'C',
	GWMSG_CHANNEL = 'N',
};

/* Longest message payload on the link (INIT's credentials). */
#define GWMSG_MAX	2048

/* Send a message of TYPE with LEN bytes of DATA and descriptor FD (-1:
 * none) on the link LINK.  0, or -1 with errno. */
int	gwmsg_send(int link, enum gwmsg type, const void *data, size_t len,
	    int fd);
/* Receive one message into DATA (GWMSG_MAX bytes); *FD is the descriptor
 * it carried (close-on-exec) or -1.  Returns 1 + the payload's length, 0
 * at EOF, -1 with errno. */
long	gwmsg_recv(int link, uint8_t *type, char *data, int *fd);

/* A new control channel to procd over LINK: the fd, or -1. */
int	gwctl_open(int link);

struct gwreply {
	struct buf	 out, err;	/* what procctl would print */
	int		 code;		/* its exit code */
};

/* Send ARGV (JSON: the --json flag) on channel FD and collect the answer
 * in R (initialized here; gwreply_free after).  0, or -1 when the
 * channel failed (the caller then opens a new one). */
int	gwctl_call(int fd, int argc, char *const argv[], int json,
	    struct gwreply *r);
void	gwreply_free(struct gwreply *);
/* The parts of gwctl_call, for answers that stream (tail -f): send a
 * request; read one frame into H and PAYLOAD (NUL-terminated). */
int	gwctl_send(int fd, int argc, char *const argv[], int json);
int	gwctl_frame(int fd, struct proto_hdr *h, struct buf *payload);

#endif
