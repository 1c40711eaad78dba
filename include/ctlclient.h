/*
 * ctlclient.h -- what the control server's parts share about a client
 * and the server (control.c: connections and requests; ctlreply.c: the
 * replies).  Nothing else includes it: control.h is the interface.
 */
#ifndef PROCD_CTLCLIENT_H
#define PROCD_CTLCLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <ev.h>

#include "buf.h"
#include "control.h"
#include "proto.h"

/* A reply bigger than this is not being read: drop the client. */
#define CLIENT_OUT_MAX	(4 * 1024 * 1024)
/* All replies queued at once, whoever they are for: past this, the
 * client whose reply would go over is dropped (cut, never half-sent). */
#define CONTROL_OUT_MAX	(32 * 1024 * 1024)
/* Seconds a client has, from connecting or from the end of its last
 * reply, to send a whole request and read the reply: an absolute
 * deadline, which a byte now and then does not move.  Tests shorten it
 * with $PROCD_CLIENT_TIMEOUT. */
#define CLIENT_TIMEOUT	60.0

struct client {
	ev_io		 rw, ww;
	ev_timer	 idle;		/* the deadline (CLIENT_TIMEOUT) */
	int		 fd;
	uid_t		 uid;
	gid_t		 gid;
	pid_t		 pid;
	uint8_t		 hdr[PROTO_HDR_LEN];
	size_t		 hdr_got;
	struct proto_hdr h;
	char		*payload;	/* h.len + 1 bytes once the header is in */
	size_t		 pay_got;
	bool		 busy;		/* a request is being answered */
	bool		 streaming;	/* an endless reply: watch for hangup */
	bool		 closing;	/* drop once the output is flushed */
	bool		 overflowed;	/* its reply was cut: nothing more */
	bool		 privileged;	/* root or procd's own user */
	bool		 peeked;	/* known to speak procctl's protocol */
	struct buf	 out;
	struct client	*next;
};

struct ctl_state {
	struct ev_loop	*loop;
	ev_io		 listen_w;
	char		*path;
	mode_t		 mode;
	gid_t		 group;		/* socket_owner's group, or -1 */
	int		 spare_fd;	/* released to accept() past EMFILE */
	double		 timeout;
	struct client	*clients;
	size_t		 nclients;
	size_t		 out_total;	/* bytes queued for all clients */
	struct control_hooks hooks;
};

extern struct ctl_state ctl;

#endif
