/*
 * notifysrv.c -- procd's NOTIFY_SOCKET (notifysrv.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <ev.h>

#include "log.h"
#include "notifysrv.h"
#include "sys.h"
#include "textsafe.h"

/* Longer datagrams are not ours to parse (systemd's own cap is larger,
 * but only STATUS= text matters here and it is cut to fit anyway). */
#define NOTIFYSRV_MAX		4096
/* Datagrams handled per wake-up, so a flood cannot starve the loop. */
#define NOTIFYSRV_BATCH		64
#define NOTIFYSRV_STATUS_MAX	200

static struct {
	struct ev_loop	*loop;
	ev_io		 w;
	notifysrv_fn	 fn;
	char		 env[128];	/* NOTIFY_SOCKET=@procd-<hex> */
} ns = { .w = { .fd = -1 } };

/* Close any descriptors a sender passed along (FDSTORE=1): never kept. */
static void
notifysrv_drop_fds(struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL;
	    c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int *fds = (int *)(void *)CMSG_DATA(c);
		for (size_t i = 0; i < n; i++)
			close(fds[i]);
	}
}

static pid_t
notifysrv_sender(struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL;
	    c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred uc;
			memcpy(&uc, CMSG_DATA(c), sizeof uc);
			return uc.pid;
		}
	}
	return 0;
}

/* "READY=1\nSTATUS=text\n..." into NOTIFYSRV_* bits and STATUS. */
static unsigned
notifysrv_parse(char *msg, char *status, size_t len)
{
	unsigned what = 0;
	char *line, *next;

	for (line = msg; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strcmp(line, "READY=1") == 0)
			what |= NOTIFYSRV_READY;
		else if (strcmp(line, "WATCHDOG=1") == 0)
			what |= NOTIFYSRV_WATCHDOG;
		else if (strncmp(line, "STATUS=", 7) == 0) {
			/* Kept as sent, only bounded (on a character
			 * boundary): every writer escapes it on the way out
			 * (textsafe.h, json.h), the same way as any other
			 * text a program controls. */
			what |= NOTIFYSRV_STATUS;
			snprintf(status, len, "%.*s",
			    (int)textsafe_fit(line + 7, len - 1), line + 7);
		}
	}
	return what;
}

/* One datagram: 1 handled, 0 none left, -1 error. */
static int
notifysrv_recv_one(void)
{
	char buf[NOTIFYSRV_MAX + 1], status[NOTIFYSRV_STATUS_MAX + 1] = "";
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(sizeof(struct ucred)) +
		    CMSG_SPACE(16 * sizeof(int))];
	} ctl;
	struct iovec iov = { buf, NOTIFYSRV_MAX };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = &ctl, .msg_controllen = sizeof ctl };
	unsigned what;
	ssize_t n;
	pid_t pid;

	n = sys_recvmsg(ns.w.fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n == -1)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	notifysrv_drop_fds(&mh);
	pid = notifysrv_sender(&mh);
	if ((mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || pid <= 0)
		return 1;	/* oversized or anonymous: ignored */
	buf[n] = '\0';
	what = notifysrv_parse(buf, status, sizeof status);
	if (what != 0)
		ns.fn(pid, what, status);
	return 1;
}

static void
notifysrv_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	for (int i = 0; i < NOTIFYSRV_BATCH; i++) {
		int r = notifysrv_recv_one();
		if (r == -1)
			log_warn("notify socket: recvmsg");
		if (r != 1)
			break;
	}
}

static int
notifysrv_open(struct ev_loop *loop, char *cause, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	unsigned char rnd[8];
	int fd, on = 1, n;
	socklen_t slen;

	if (getrandom(rnd, sizeof rnd, GRND_NONBLOCK) != sizeof rnd) {
		/* Early boot: a name unique enough for this boot. */
		long x = (long)getpid() ^ (long)random();
		memcpy(rnd, &x, sizeof rnd < sizeof x ? sizeof rnd : sizeof x);
	}
	n = snprintf(sun.sun_path + 1, sizeof sun.sun_path - 1,
	    "procd-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
	    rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	slen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, slen) == -1) {
		snprintf(cause, len, "notify socket: %s", strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	snprintf(ns.env, sizeof ns.env, "NOTIFY_SOCKET=@%s", sun.sun_path + 1);
	ns.loop = loop;
	ev_io_init(&ns.w, notifysrv_cb, fd, EV_READ);
	ev_io_start(loop, &ns.w);
	log_debug("serving %s", ns.env);
	return 0;
}

const char *
notifysrv_env(struct ev_loop *loop, notifysrv_fn fn, char *cause,
    size_t len)
{
	ns.fn = fn;
	if (ns.w.fd == -1 && notifysrv_open(loop, cause, len) == -1)
		return NULL;
	return ns.env;
}

void
notifysrv_close(void)
{
	if (ns.w.fd == -1)
		return;
	ev_io_stop(ns.loop, &ns.w);
	close(ns.w.fd);
	ns.w.fd = -1;
}

int
notifysrv_fd(void)
{
	return ns.w.fd;
}

/* The name is the socket's own (an abstract address): read back. */
int
notifysrv_adopt(struct ev_loop *loop, notifysrv_fn fn, int fd)
{
	struct sockaddr_un sun;
	socklen_t slen = sizeof sun;
	size_t n;

	if (getsockname(fd, (struct sockaddr *)&sun, &slen) == -1)
		return -1;
	n = slen - offsetof(struct sockaddr_un, sun_path);
	if (sun.sun_family != AF_UNIX || n < 2 || n > sizeof sun.sun_path ||
	    sun.sun_path[0] != '\0') {
		errno = EINVAL;
		return -1;
	}
	snprintf(ns.env, sizeof ns.env, "NOTIFY_SOCKET=@%.*s", (int)(n - 1),
	    sun.sun_path + 1);
	ns.fn = fn;
	ns.loop = loop;
	ev_io_init(&ns.w, notifysrv_cb, fd, EV_READ);
	ev_io_start(loop, &ns.w);
	return 0;
}
