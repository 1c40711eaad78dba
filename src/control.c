/*
 * control.c -- the control socket server (see control.h): listening,
 * admitting clients (ctladmit.c decides who), reading one request at a
 * time, writing replies out (ctlreply.c frames them), deadlines, and
 * making room at the limits.
 */
#include <errno.h>
#include <fcntl.h>
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
#include "ctlclient.h"
#include "ctladmit.h"
#include "ctlsock.h"
#include "log.h"
#include "selfstat.h"
#include "peek.h"
#include "proto.h"
#include "sys.h"

struct ctl_state ctl = { .listen_w = { .fd = -1 }, .spare_fd = -1,
    .group = (gid_t)-1 };

static void	client_free(struct client *);
static void	control_accept_cb(struct ev_loop *, ev_io *, int);

static void
control_setup(struct ev_loop *loop, const struct config *cfg,
    const struct control_hooks *hooks)
{
	const char *t = getenv("PROCD_CLIENT_TIMEOUT");

	ctl.loop = loop;
	ctl.hooks = *hooks;
	ctl.mode = cfg->socket_mode;
	ctl.timeout = t != NULL && atof(t) > 0 ? atof(t) : CLIENT_TIMEOUT;
}

/* Serve listening socket FD at PATH, which is ours to unlink at exit. */
static int
control_serve(int fd, const char *path, char **cause)
{
	if ((ctl.path = strdup(path)) == NULL) {
		close(fd);
		unlink(path);
		return cause_set(cause, "out of memory");
	}
	ctl.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ev_io_init(&ctl.listen_w, control_accept_cb, fd, EV_READ);
	ev_io_start(ctl.loop, &ctl.listen_w);
	return 0;
}

int
control_listen(struct ev_loop *loop, const struct config *cfg,
    const struct control_hooks *hooks, char **cause)
{
	int fd;

	control_setup(loop, cfg, hooks);
	if ((fd = ctlsock_open(cfg, &ctl.group, cause)) == -1)
		return -1;
	/* Only now is the path ours to unlink at exit. */
	return control_serve(fd, cfg->socket, cause);
}

int
control_resume(struct ev_loop *loop, const struct config *cfg,
    const struct control_hooks *hooks, int fd, const char *path,
    char **cause)
{
	struct stat sb;

	control_setup(loop, cfg, hooks);
	/* socket_owner's group, as ctlsock_open found it at start-up. */
	ctl.group = (gid_t)-1;
	if (cfg->socket_owner != NULL && stat(path, &sb) == 0)
		ctl.group = sb.st_gid;
	return control_serve(fd, path, cause);
}

int
control_fd(const char **path)
{
	*path = ctl.path;
	return ctl.listen_w.fd;
}

int
client_fd(const struct client *c, uint32_t *request_id)
{
	*request_id = c->h.id;
	return c->fd;
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
	ctladmit_flush();
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
	ctl.out_total -= c->out.len;
	buf_free(&c->out);
	free(c);
}

/* A frame we cannot take: say why (if the peer listens) and hang up. */
static void
client_reject(struct client *c, const char *why)
{
	c->closing = true;
	c->busy = true;
	ev_io_stop(ctl.loop, &c->rw);
	client_errf(c, "procd: %s\n", why);
	client_end(c, 2);
}

static void
client_bad(struct client *c, const char *cause)
{
	ctladmit_log(ctl.loop, c->uid, c->pid, "bad request from", cause);
	client_reject(c, cause);
}

static void
client_request(struct client *c)
{
	char *argv[PROTO_MAX_ARGS + 1];
	const char *cause;
	int argc;

	cause = "expected a request frame";
	if (c->h.type != PROTO_REQUEST ||
	    (argc = proto_argv_decode(c->payload, c->h.len, argv,
	    &cause)) == -1) {
		client_bad(c, cause);
		return;
	}
	/* One request at a time; until it is answered, reading only
	 * watches for a hang-up (client_read_cb). */
	c->busy = true;
	ctl.hooks.request(c, argc, argv);
}

/* Read what is there; returns -1 when the client is gone. */
static int
client_read_some(struct client *c, void *dst, size_t want, size_t *got)
{
	ssize_t n = sys_read(c->fd, (char *)dst + *got, want - *got);

	if (n == 0)
		return -1;
	if (n == -1)
		return errno == EAGAIN ? 0 : -1;
	*got += (size_t)n;	/* no new deadline: a dribble is no excuse */
	return 0;
}

/*
 * While a request is answered, the socket is watched only for a hang-up
 * (a Ctrl-C on a procctl that waits): the peer is let go at once.  Bytes
 * of a next request stay unread -- reading stops until the reply is out.
 */
static void
client_watch_hangup(struct client *c)
{
	char b;
	ssize_t n = recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);

	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
		client_free(c);
	else if (n > 0)
		ev_io_stop(ctl.loop, &c->rw);
}

/*
 * A new connection's first bytes say procctl or HTTP (peek.h); HTTP goes
 * to the gateway and is forgotten here.  True when C was dealt with.
 */
static bool
client_peek(struct client *c)
{
	switch (peek_socket(c->fd)) {
	case PEEK_NOTHING:
		return true;
	case PEEK_GONE:
		client_free(c);
		return true;
	case PEEK_HTTP:
		if (ctl.hooks.http == NULL || ctl.hooks.http(c->fd) == -1)
			ctladmit_log(ctl.loop, c->uid, c->pid, "refused",
			    "HTTP cannot be served now");
		client_free(c);
		return true;
	case PEEK_PROTO:
		break;
	}
	c->peeked = true;
	return false;
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
		if (sys_read(c->fd, b, sizeof b) != -1 || errno != EAGAIN)
			client_free(c);
		return;
	}
	if (c->busy) {
		client_watch_hangup(c);
		return;
	}
	if (!c->peeked && client_peek(c))
		return;
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
			client_bad(c, cause);
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
	n = sys_write(c->fd, c->out.data, c->out.len);
	if (n == -1 && errno != EAGAIN) {
		client_free(c);	/* vanished mid-reply */
		return;
	}
	if (n > 0) {
		buf_consume(&c->out, (size_t)n);
		ctl.out_total -= (size_t)n;
		/* A reply that goes on (tail -f) is read as it comes. */
		if (c->busy)
			ev_timer_again(loop, &c->idle);
	}
	if (c->out.len > 0)
		return;
	ev_io_stop(loop, w);
	if (c->closing)
		client_free(c);
	else	/* the next request, or a hang-up while busy */
		ev_io_start(loop, &c->rw);
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

static bool	control_evict(bool for_privileged);

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
	if (control_evict(false))
		return;
	log_warnx("control: no idle client to drop; refusing a client");
	if (ctl.spare_fd == -1)
		return;
	close(ctl.spare_fd);
	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) != -1) {
		selfstat.clients_refused++;
		control_refuse(fd, "procd: out of file descriptors; try "
		    "again later\n");
		close(fd);
	}
	ctl.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/*
 * The deadline passed: a client that has not sent a whole request, or
 * not read its reply, goes.  Waiting on procd (a start that waits for
 * RUNNING, a quiet tail -f) is not the client's fault and does not count.
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
	ctladmit_log(loop, c->uid, c->pid, "dropping client", c->out.len > 0 ?
	    "not reading its reply in time" : "no request in time");
	client_free(c);
}

/* How willing we are to drop C to make room: 0 never, 3 first. */
static int
client_evictable(const struct client *c, bool for_privileged)
{
	if (c->closing || (c->privileged && !for_privileged))
		return 0;
	if (!c->busy && c->hdr_got == 0 && c->out.len == 0)
		return c->privileged ? 1 : 3;	/* idle */
	if (!for_privileged || c->privileged)
		return 0;
	/* Only root's way in is worth cutting a peer's request or follow
	 * short for: one that dribbles bytes holds a slot otherwise. */
	return !c->busy ? 3 : c->streaming ? 2 : 0;
}

/* At the cap: the most evictable client, the oldest of its kind, makes
 * room for a new one.  False if none may go. */
static bool
control_evict(bool for_privileged)
{
	struct client *victim = NULL;
	int best = 0;

	for (struct client *c = ctl.clients; c != NULL; c = c->next) {
		int e = client_evictable(c, for_privileged);
		if (e > 0 && e >= best) {	/* newest first: >= is older */
			victim = c;
			best = e;
		}
	}
	if (victim == NULL)
		return false;
	log_warnx("control: %zu clients: dropping client uid %ld pid %ld to "
	    "make room", ctl.nclients, (long)victim->uid, (long)victim->pid);
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
	c->privileged = c->uid != (uid_t)-1 && ctladmit_privileged(c->uid);
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

/* May NEW (already in the list) stay, with the others there are? */
static enum ctladmit_verdict
control_admit(const struct client *new)
{
	size_t unpriv = 0, of_uid = 0;

	for (struct client *c = ctl.clients; c != NULL; c = c->next) {
		if (c == new)
			continue;
		unpriv += !c->privileged;
		of_uid += c->uid == new->uid;
	}
	return ctladmit_decide(new->uid, ctl.nclients - 1, unpriv, of_uid);
}

/* Give C a slot or refuse it; PERMS: check the socket's permissions. */
static void
control_place(struct client *c, bool perms)
{
	const char *refusal = NULL;

	if (perms && !ctladmit_allowed(c->uid, c->gid, ctl.mode, ctl.group))
		refusal = "permission denied";
	else switch (control_admit(c)) {
	case ADMIT:
		break;
	case ADMIT_AFTER_EVICT:
		/* The newcomer itself is never the one evicted. */
		c->closing = true;
		if (!control_evict(c->privileged))
			refusal = "too many clients";
		c->closing = false;
		break;
	case REFUSE_FULL:
		refusal = "too many clients";
		break;
	case REFUSE_UID:
		refusal = "too many clients of this user";
		break;
	}
	if (refusal != NULL) {
		selfstat.clients_refused++;
		ctladmit_log(ctl.loop, c->uid, c->pid, "refused", refusal);
		client_reject(c, refusal);
		return;
	}
	selfstat.clients_accepted++;
	ev_io_start(ctl.loop, &c->rw);
}

static void
control_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	int fd;

	(void)loop;
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
	control_place(client_new(fd), true);
}

int
client_carry(const struct client *c, uint32_t *id, uint8_t *flags,
    const char **queued, size_t *len)
{
	*id = c->h.id;
	*flags = c->h.flags;
	*queued = c->out.data;
	*len = c->out.len;
	return c->fd;
}

/* Admitted by the old image: it keeps its slot, with its request open. */
struct client *
control_resume_client(int fd, uint32_t id, uint8_t flags,
    const char *queued, size_t len)
{
	struct client *c = client_new(fd);

	c->peeked = true;
	c->busy = true;
	c->h.type = PROTO_REQUEST;
	c->h.id = id;
	c->h.flags = flags;
	if (len > 0) {
		buf_add(&c->out, queued, len);
		ctl.out_total += len;
		ev_io_start(ctl.loop, &c->ww);
	}
	return c;
}

void
control_adopt(int fd)
{
	struct client *c = client_new(fd);

	c->peeked = true;	/* the gateway speaks procctl's protocol */
	control_place(c, false);
}
