/*
 * control.c -- the control socket server (see control.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <ev.h>

#include "cause.h"
#include "buf.h"
#include "config.h"
#include "control.h"
#include "ctlsock.h"
#include "log.h"
#include "proto.h"

/* A reply bigger than this is not being read: drop the client. */
#define CLIENT_OUT_MAX	(4 * 1024 * 1024)
/* At this many clients, the oldest idle one makes room for a new one. */
#define CLIENTS_MAX	256
/* Seconds a client may take to send a request or read a reply; tests
 * shorten it with $PROCD_CLIENT_TIMEOUT. */
#define CLIENT_TIMEOUT	60.0

struct client {
	ev_io		 rw, ww;
	ev_timer	 idle;		/* no progress for this long: drop */
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
	struct buf	 out;
	struct client	*next;
};

static struct {
	struct ev_loop	*loop;
	ev_io		 listen_w;
	char		*path;
	mode_t		 mode;
	gid_t		 group;		/* socket_owner's group, or -1 */
	int		 spare_fd;	/* released to accept() past EMFILE */
	double		 timeout;
	struct client	*clients;
	size_t		 nclients;
	struct control_hooks hooks;
} ctl = { .listen_w = { .fd = -1 }, .spare_fd = -1, .group = (gid_t)-1 };

static void	client_free(struct client *);
static void	control_accept_cb(struct ev_loop *, ev_io *, int);

int
control_listen(struct ev_loop *loop, const struct config *cfg,
    const struct control_hooks *hooks, char **cause)
{
	const char *t = getenv("PROCD_CLIENT_TIMEOUT");
	int fd;

	ctl.loop = loop;
	ctl.hooks = *hooks;
	ctl.mode = cfg->socket_mode;
	ctl.timeout = t != NULL && atof(t) > 0 ? atof(t) : CLIENT_TIMEOUT;
	if ((fd = ctlsock_open(cfg, &ctl.group, cause)) == -1)
		return -1;
	/* Only now is the path ours to unlink at exit. */
	if ((ctl.path = strdup(cfg->socket)) == NULL) {
		close(fd);
		unlink(cfg->socket);
		return cause_set(cause, "out of memory");
	}
	ctl.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ev_io_init(&ctl.listen_w, control_accept_cb, fd, EV_READ);
	ev_io_start(loop, &ctl.listen_w);
	return 0;
}

void
control_close(void)
{
	while (ctl.clients != NULL) {
		struct client *c = ctl.clients;
		if (c->out.len > 0)	/* one last try, never blocking */
			(void)!write(c->fd, c->out.data, c->out.len);
		client_free(c);
	}
	if (ctl.listen_w.fd != -1) {
		ev_io_stop(ctl.loop, &ctl.listen_w);
		close(ctl.listen_w.fd);
		ctl.listen_w.fd = -1;
	}
	if (ctl.path != NULL && unlink(ctl.path) == -1 && errno != ENOENT)
		log_warn("unlink %s", ctl.path);
	free(ctl.path);
	ctl.path = NULL;
	if (ctl.spare_fd != -1)
		close(ctl.spare_fd);
	ctl.spare_fd = -1;
}

/* Root, our own user, or -- when the mode grants it -- the owner group. */
static bool
control_peer_allowed(const struct client *c)
{
	struct passwd *pw;
	gid_t groups[256];
	int n = 256;

	if (c->uid == 0 || c->uid == geteuid())
		return true;
	if ((ctl.mode & 0060) == 0 || ctl.group == (gid_t)-1)
		return false;
	if (c->gid == ctl.group)
		return true;
	if ((pw = getpwuid(c->uid)) == NULL ||
	    getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) == -1)
		return false;
	for (int i = 0; i < n; i++)
		if (groups[i] == ctl.group)
			return true;
	return false;
}

static void
client_free(struct client *c)
{
	struct client **cp;

	ctl.hooks.gone(c);
	for (cp = &ctl.clients; *cp != NULL; cp = &(*cp)->next) {
		if (*cp == c) {
			*cp = c->next;
			break;
		}
	}
	ctl.nclients--;
	ev_io_stop(ctl.loop, &c->rw);
	ev_io_stop(ctl.loop, &c->ww);
	ev_timer_stop(ctl.loop, &c->idle);
	close(c->fd);
	free(c->payload);
	buf_free(&c->out);
	free(c);
}

static void
client_frame(struct client *c, enum proto_type type, const void *p,
    size_t len)
{
	struct proto_hdr h = {
		.len = (uint32_t)len, .type = type, .version = PROTO_VERSION,
		.flags = 0, .id = c->h.id,
	};
	uint8_t hdr[PROTO_HDR_LEN];

	if (c->out.len > CLIENT_OUT_MAX) {
		/* Not reading its reply: stop queueing, hang up once the
		 * request is over (cmd.c may still hold this client). */
		if (!c->closing)
			log_warnx("control: client uid %ld pid %ld is not "
			    "reading its reply; dropping it", (long)c->uid,
			    (long)c->pid);
		c->closing = true;
		return;
	}
	proto_hdr_pack(&h, hdr);
	buf_add(&c->out, hdr, sizeof hdr);
	buf_add(&c->out, p, len);
	ev_io_start(ctl.loop, &c->ww);
}

static void
client_frames(struct client *c, enum proto_type type, const char *p,
    size_t len)
{
	do {	/* an empty OUT still makes one (empty) frame */
		size_t n = len > PROTO_MAX_PAYLOAD ? PROTO_MAX_PAYLOAD : len;
		client_frame(c, type, p, n);
		p += n;
		len -= n;
	} while (len > 0);
}

void
client_out(struct client *c, const char *p, size_t len)
{
	client_frames(c, PROTO_OUT, p, len);
}

static void
client_vframe(struct client *c, enum proto_type type, const char *fmt,
    va_list ap)
{
	char *s;
	int n;

	if ((n = vasprintf(&s, fmt, ap)) == -1)
		fatal("vasprintf");
	client_frames(c, type, s, (size_t)n);
	free(s);
}

void
client_outf(struct client *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	client_vframe(c, PROTO_OUT, fmt, ap);
	va_end(ap);
}

void
client_errf(struct client *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	client_vframe(c, PROTO_ERR, fmt, ap);
	va_end(ap);
}

void
client_end(struct client *c, int code)
{
	uint8_t b = (uint8_t)code;

	client_frame(c, PROTO_END, &b, 1);
	c->busy = false;
	c->streaming = false;
	c->hdr_got = c->pay_got = 0;
	free(c->payload);
	c->payload = NULL;
	if (!c->closing)
		ev_io_start(ctl.loop, &c->rw);
}

void
client_stream(struct client *c)
{
	c->streaming = true;
	ev_io_start(ctl.loop, &c->rw);
}

bool
client_json(const struct client *c)
{
	return (c->h.flags & PROTO_F_JSON) != 0;
}

bool
client_color(const struct client *c)
{
	return (c->h.flags & PROTO_F_COLOR) != 0;
}

uid_t
client_uid(const struct client *c)
{
	return c->uid;
}

pid_t
client_pid(const struct client *c)
{
	return c->pid;
}

/* A frame we cannot take: say why (if the peer listens) and hang up. */
static void
client_reject(struct client *c, const char *why)
{
	log_warnx("control: bad request from uid %ld pid %ld: %s",
	    (long)c->uid, (long)c->pid, why);
	c->closing = true;
	c->busy = true;
	ev_io_stop(ctl.loop, &c->rw);
	client_errf(c, "procd: %s\n", why);
	client_end(c, 2);
}

static void
client_request(struct client *c)
{
	char *argv[PROTO_MAX_ARGS + 1];
	const char *cause;
	int argc;

	if (c->h.type != PROTO_REQUEST) {
		client_reject(c, "expected a request frame");
		return;
	}
	argc = proto_argv_decode(c->payload, c->h.len, argv, &cause);
	if (argc == -1) {
		client_reject(c, cause);
		return;
	}
	c->busy = true;
	ev_io_stop(ctl.loop, &c->rw);	/* one request at a time */
	ctl.hooks.request(c, argc, argv);
}

/* Read what is there; returns -1 when the client is gone. */
static int
client_read_some(struct client *c, void *dst, size_t want, size_t *got)
{
	ssize_t n;

	do {
		n = read(c->fd, (char *)dst + *got, want - *got);
	} while (n == -1 && errno == EINTR);
	if (n == 0)
		return -1;
	if (n == -1)
		return errno == EAGAIN ? 0 : -1;
	*got += (size_t)n;
	ev_timer_again(ctl.loop, &c->idle);	/* progress */
	return 0;
}

static void
client_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct client *c = (struct client *)((char *)w -
	    offsetof(struct client, rw));
	const char *cause;

	(void)loop;
	(void)revents;
	if (c->streaming) {	/* anything (or EOF) ends a follow */
		char b[64];
		if (read(c->fd, b, sizeof b) != -1 || errno != EAGAIN)
			client_free(c);
		return;
	}
	if (c->hdr_got < PROTO_HDR_LEN) {
		if (client_read_some(c, c->hdr, PROTO_HDR_LEN,
		    &c->hdr_got) == -1) {
			client_free(c);
			return;
		}
		if (c->hdr_got < PROTO_HDR_LEN)
			return;
		/* Checked before anything is allocated for the payload. */
		if (proto_hdr_unpack(c->hdr, &c->h, &cause) == -1) {
			client_reject(c, cause);
			return;
		}
		if ((c->payload = malloc(c->h.len + 1)) == NULL)
			fatal("malloc");
	}
	if (c->h.len == 0) {	/* read(fd, p, 0) would look like EOF */
		c->payload[0] = '\0';
		client_request(c);
		return;
	}
	if (client_read_some(c, c->payload, c->h.len, &c->pay_got) == -1) {
		client_free(c);
		return;
	}
	if (c->pay_got == c->h.len) {
		c->payload[c->h.len] = '\0';
		client_request(c);
	}
}

static void
client_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct client *c = (struct client *)((char *)w -
	    offsetof(struct client, ww));
	ssize_t n;

	(void)revents;
	do {
		n = write(c->fd, c->out.data, c->out.len);
	} while (n == -1 && errno == EINTR);
	if (n == -1 && errno != EAGAIN) {
		client_free(c);	/* vanished mid-reply */
		return;
	}
	if (n > 0) {
		buf_consume(&c->out, (size_t)n);
		ev_timer_again(loop, &c->idle);	/* progress */
	}
	if (c->out.len > 0)
		return;
	ev_io_stop(loop, w);
	if (c->closing)
		client_free(c);
}

/* Tell a client we cannot serve why, without a client structure: a few
 * bytes to a fresh socket never block. */
static void
control_refuse(int fd, const char *why)
{
	uint8_t frame[2 * PROTO_HDR_LEN + 128];
	struct proto_hdr h = { .type = PROTO_ERR, .version = PROTO_VERSION };
	size_t len = strlen(why);

	if (len > 120)
		len = 120;
	h.len = (uint32_t)len;
	proto_hdr_pack(&h, frame);
	memcpy(frame + PROTO_HDR_LEN, why, len);
	h.type = PROTO_END;
	h.len = 1;
	proto_hdr_pack(&h, frame + PROTO_HDR_LEN + len);
	frame[2 * PROTO_HDR_LEN + len] = 1;
	(void)!write(fd, frame, 2 * PROTO_HDR_LEN + len + 1);
}

static bool	control_evict_idle(void);

/*
 * accept() hit the fd limit.  An idle client makes room if there is one
 * (the listening socket stays readable, so the next pass accepts); else
 * the spare descriptor is given up to accept and refuse one connection,
 * so the queue moves and nobody waits in silence.
 */
static void
control_shed(int lfd)
{
	int fd;

	log_warnx("control: accept: out of file descriptors");
	if (control_evict_idle())
		return;
	log_warnx("control: no idle client to drop; refusing a client");
	if (ctl.spare_fd == -1)
		return;
	close(ctl.spare_fd);
	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) != -1) {
		control_refuse(fd, "procd: out of file descriptors; try "
		    "again later\n");
		close(fd);
	}
	ctl.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/*
 * No progress for ctl.timeout: a client that sends nothing, or does not
 * read its reply, goes.  Waiting on procd (a start that waits for RUNNING,
 * a quiet tail -f) is not the client's fault and does not count.
 */
static void
client_idle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct client *c = (struct client *)((char *)w -
	    offsetof(struct client, idle));

	(void)revents;
	if (c->busy && c->out.len == 0) {
		ev_timer_again(loop, w);
		return;
	}
	log_warnx("control: dropping client uid %ld pid %ld: %s for %.0f s",
	    (long)c->uid, (long)c->pid, c->out.len > 0 ?
	    "not reading its reply" : "no request", ctl.timeout);
	client_free(c);
}

/* At the cap, the client idle the longest makes room for a new one. */
static bool
control_evict_idle(void)
{
	struct client *victim = NULL;

	for (struct client *c = ctl.clients; c != NULL; c = c->next)
		if (!c->busy && c->hdr_got == 0)
			victim = c;	/* the list is newest first */
	if (victim == NULL)
		return false;
	log_warnx("control: %zu clients: dropping idle client uid %ld pid "
	    "%ld to make room", ctl.nclients, (long)victim->uid,
	    (long)victim->pid);
	client_free(victim);
	return true;
}

static struct client *
client_new(int fd)
{
	struct client *c = calloc(1, sizeof *c);
	struct ucred cr;
	socklen_t len = sizeof cr;

	if (c == NULL)
		fatal("calloc");
	c->fd = fd;
	c->uid = (uid_t)-1;
	c->gid = (gid_t)-1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0) {
		c->uid = cr.uid;
		c->gid = cr.gid;
		c->pid = cr.pid;
	}
	buf_init(&c->out);
	ev_io_init(&c->rw, client_read_cb, fd, EV_READ);
	ev_io_init(&c->ww, client_write_cb, fd, EV_WRITE);
	ev_init(&c->idle, client_idle_cb);
	c->idle.repeat = ctl.timeout;
	ev_timer_again(ctl.loop, &c->idle);
	c->next = ctl.clients;
	ctl.clients = c;
	ctl.nclients++;
	return c;
}

static void
control_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct client *c;
	int fd;

	(void)revents;
	fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno == EMFILE || errno == ENFILE)
			control_shed(w->fd);
		else if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("control: accept");
		return;
	}
	/* Make room first, so the newcomer is never the one evicted. */
	bool full = ctl.nclients >= CLIENTS_MAX && !control_evict_idle();
	c = client_new(fd);
	if (!control_peer_allowed(c)) {
		log_warnx("control: refused uid %ld pid %ld: not allowed by "
		    "the socket's owner and mode", (long)c->uid, (long)c->pid);
		client_reject(c, "permission denied");
		return;
	}
	if (full) {
		client_reject(c, "too many clients");
		return;
	}
	ev_io_start(loop, &c->rw);
}
