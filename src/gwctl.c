/*
 * gwctl.c -- the gateway's link to procd (gwctl.h): messages with a
 * descriptor each, and blocking request/reply exchanges on a control
 * channel.  Blocking is right here: each HTTP connection has a thread of
 * its own in the gateway, and a channel of its own in procd.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "ctlconn.h"
#include "gwctl.h"
#include "proto.h"
#include "sys.h"

/* How long procd may take to answer: a start waits for startsecs, a stop
 * for stopwaitsecs; past this the channel is taken for dead. */
#define GWCTL_REPLY_SECS	600

int
gwmsg_send(int link, enum gwmsg type, const void *data, size_t len, int fd)
{
	char buf[1 + GWMSG_MAX];
	union {
		struct cmsghdr	hdr;
		char		space[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov;
	struct msghdr mh = { 0 };
	ssize_t n;

	if (len > GWMSG_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	buf[0] = (char)type;
	memcpy(buf + 1, data, len);
	iov = (struct iovec){ buf, 1 + len };
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (fd != -1) {
		memset(&cm, 0, sizeof cm);
		mh.msg_control = cm.space;
		mh.msg_controllen = sizeof cm.space;
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof fd);
	}
	do
		n = sendmsg(link, &mh, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	return n == (ssize_t)(1 + len) ? 0 : -1;
}

/* The descriptors that came with MH: the first is kept, any other is
 * closed (a well-behaved peer sends one at most). */
static int
gwmsg_take_fd(struct msghdr *mh)
{
	int fd = -1, x;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL;
	    c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			memcpy(&x, CMSG_DATA(c) + i * sizeof(int), sizeof x);
			if (fd == -1)
				fd = x;
			else
				close(x);
		}
	}
	return fd;
}

long
gwmsg_recv(int link, uint8_t *type, char *data, int *fd)
{
	char buf[1 + GWMSG_MAX];
	union {
		struct cmsghdr	hdr;
		char		space[CMSG_SPACE(4 * sizeof(int))];
	} cm;
	struct iovec iov = { buf, sizeof buf };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = cm.space, .msg_controllen = sizeof cm.space };
	ssize_t n = sys_recvmsg(link, &mh, MSG_CMSG_CLOEXEC);

	*fd = -1;
	*type = 0;
	if (n <= 0)
		return n;
	*fd = gwmsg_take_fd(&mh);
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		if (*fd != -1)
			close(*fd);
		*fd = -1;
		errno = EMSGSIZE;
		return -1;
	}
	*type = (uint8_t)buf[0];
	memcpy(data, buf + 1, (size_t)n - 1);
	return n;
}

int
gwctl_open(int link)
{
	struct timeval tv = { GWCTL_REPLY_SECS, 0 };
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	if (gwmsg_send(link, GWMSG_CHANNEL, "", 0, sv[1]) == -1) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	close(sv[1]);
	if (setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == -1 ||
	    setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == -1) {
		close(sv[0]);
		return -1;
	}
	return sv[0];
}

int
gwctl_send(int fd, int argc, char *const argv[], int json)
{
	return ctlconn_send(fd, argc, argv, json ? PROTO_F_JSON : 0);
}

int
gwctl_frame(int fd, struct proto_hdr *h, struct buf *payload)
{
	uint8_t hdr[PROTO_HDR_LEN];
	const char *cause;

	if (sys_read_all(fd, hdr, sizeof hdr) == -1 ||
	    proto_hdr_unpack(hdr, h, &cause) == -1)
		return -1;
	buf_reset(payload);
	buf_reserve(payload, h->len + 1);
	if (sys_read_all(fd, payload->data, h->len) == -1)
		return -1;
	payload->len = h->len;
	payload->data[h->len] = '\0';
	return 0;
}

int
gwctl_call(int fd, int argc, char *const argv[], int json, struct gwreply *r)
{
	struct proto_hdr h;
	struct buf p;
	int rc = -1;

	buf_init(&r->out);
	buf_init(&r->err);
	buf_init(&p);
	r->code = -1;
	if (gwctl_send(fd, argc, argv, json) == -1)
		return -1;
	while (gwctl_frame(fd, &h, &p) == 0) {
		if (h.type == PROTO_OUT)
			buf_add(&r->out, p.data, p.len);
		else if (h.type == PROTO_ERR)
			buf_add(&r->err, p.data, p.len);
		else if (h.type == PROTO_END) {
			r->code = h.len >= 1 ? (uint8_t)p.data[0] : 1;
			rc = 0;
			break;
		}
	}
	buf_free(&p);
	return rc;
}

void
gwreply_free(struct gwreply *r)
{
	buf_free(&r->out);
	buf_free(&r->err);
}
