/*
 * dashsse.c -- the dashboard's live stream (dashsse.h): the hub that
 * follows procd's watch stream for every browser, and each browser's
 * stream.
 *
 * The hub is a thread that blocks reading one watch channel; a stream's
 * producer runs in its connection's thread and blocks in poll() on an
 * eventfd the hub writes to and on the client's socket (a hang-up ends
 * it).  The hub only appends to each stream's queue under the lock and
 * wakes it: it never writes to a browser, so a slow one costs its own
 * queue (bounded: then it gets a snapshot) and nobody else anything.
 */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "dashctl.h"
#include "dashguard.h"
#include "dashrow.h"
#include "dashsse.h"
#include "gwctl.h"
#include "json.h"
#include "jsonread.h"
#include "sys.h"

/* Changed names asked for in one status request. */
#define DASHSSE_BATCH		128
/* Buffer room a stream keeps between events. */
#define DASHSSE_KEEP		(16 * 1024)
/* What a browser waits before reconnecting, in ms (EventSource's retry). */
#define DASHSSE_RETRY_MS	1000

struct sub {
	int		 efd;		/* written by the hub: "look at pend" */
	int		 client;	/* the browser's socket, for hang-ups */
	int		 link;
	struct buf	 pend;		/* queued by the hub (hub.mu) */
	bool		 resync;	/* pend overflowed (hub.mu) */
	bool		 ended;		/* the hub stopped (hub.mu) */
	struct buf	 out;		/* being sent (this stream's thread) */
	size_t		 off;
	bool		 snapped;	/* out holds a snapshot */
	struct sub	*next;
};

static struct {
	pthread_mutex_t	 mu;
	struct sub	*subs;
	unsigned	 nsubs;
	bool		 running;
} hub = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* Wake S (hub.mu held).  A full counter is awake already. */
static void
dashsse_wake(struct sub *s)
{
	uint64_t one = 1;

	(void)sys_write_all(s->efd, &one, sizeof one);
}

/* Queue the event EV for every stream. */
static void
dashsse_publish(const struct buf *ev)
{
	pthread_mutex_lock(&hub.mu);
	for (struct sub *s = hub.subs; s != NULL; s = s->next) {
		if (s->resync)
			continue;
		if (s->pend.len + ev->len > DASHSSE_QUEUE_MAX) {
			s->resync = true;
			buf_reset(&s->pend);
		} else
			buf_add(&s->pend, ev->data, ev->len);
		dashsse_wake(s);
	}
	pthread_mutex_unlock(&hub.mu);
}

static bool
dashsse_anyone(void)
{
	bool any;

	pthread_mutex_lock(&hub.mu);
	any = hub.subs != NULL;
	pthread_mutex_unlock(&hub.mu);
	return any;
}

/* The name in one line of watch --json, added to NAMES unless there. */
static void
dashsse_note(const char *line, size_t len, char **names, int *n)
{
	struct xr_value *v = jsonread(line, len);
	const char *name = xr_get_str(v, "name");

	for (int i = 0; *name != '\0' && i < *n; i++)
		if (strcmp(names[i], name) == 0)
			name = "";
	if (*name != '\0' && *n < DASHSSE_BATCH &&
	    (names[*n] = strdup(name)) != NULL)
		(*n)++;
	xr_free(v);
}

/* The events for NAMES, whose rows procd gave as ROWS, to EV: the rows,
 * and the names procd no longer has. */
static void
dashsse_events(struct buf *ev, struct xr_value *rows, char **names, int n)
{
	struct json j;
	bool gone = false;

	if (rows->n > 0) {
		buf_addstr(ev, "event: rows\ndata: ");
		json_init(&j, ev);
		dashrow_array(&j, rows);
		buf_addstr(ev, "\n\n");
	}
	for (int i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < rows->n && !found; k++)
			found = strcmp(xr_get_str(rows->items[k], "name"),
			    names[i]) == 0;
		if (found)
			continue;
		buf_addstr(ev, gone ? "," : "event: gone\ndata: [");
		json_quote(ev, names[i]);
		gone = true;
	}
	if (gone)
		buf_addstr(ev, "]\n\n");
}

/* Complete lines of LINES into NAMES until it is full; what is left
 * waits for the next batch. */
static void
dashsse_lines(struct buf *lines, char **names, int *n)
{
	size_t start = 0;
	char *nl;

	while (*n < DASHSSE_BATCH && (nl = memchr(lines->data + start, '\n',
	    lines->len - start)) != NULL) {
		dashsse_note(lines->data + start,
		    (size_t)(nl - lines->data) - start, names, n);
		start = (size_t)(nl - lines->data) + 1;
	}
	buf_consume(lines, start);
}

/* Is another frame waiting on FD already? */
static bool
dashsse_more(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, 0) == 1;
}

/* The names of a burst of changes into NAMES: lines left from the last
 * batch, then what watch sent, waiting only while there is nothing.
 * -1: the stream ended (NAMES may still hold some). */
static int
dashsse_burst(int watch, struct buf *lines, struct buf *frame, char **names,
    int *n)
{
	struct proto_hdr h;

	if (lines->len > 0)
		dashsse_lines(lines, names, n);
	while (*n < DASHSSE_BATCH && (*n == 0 || dashsse_more(watch))) {
		if (gwctl_frame(watch, &h, frame) == -1 ||
		    h.type == PROTO_END)
			return -1;
		if (h.type == PROTO_OUT && frame->len > 0) {
			buf_add(lines, frame->data, frame->len);
			dashsse_lines(lines, names, n);
		}
	}
	return 0;
}

/* procd could not be asked: every stream starts again from a snapshot,
 * rather than miss a change. */
static void
dashsse_resync_all(void)
{
	pthread_mutex_lock(&hub.mu);
	for (struct sub *s = hub.subs; s != NULL; s = s->next) {
		s->resync = true;
		buf_reset(&s->pend);
		dashsse_wake(s);
	}
	pthread_mutex_unlock(&hub.mu);
}

/* Ask for NAMES' rows and publish them; the query channel is opened on
 * first use and again after a failure. */
static void
dashsse_report(int link, int *query, char **names, int n)
{
	struct xr_value *rows = NULL;
	struct buf ev;

	if (*query == -1 && (*query = gwctl_open(link)) == -1) {
		dashsse_resync_all();
		return;
	}
	if ((rows = dashctl_status(*query, names, n)) == NULL) {
		close(*query);
		*query = -1;
		dashsse_resync_all();
		return;
	}
	buf_init(&ev);
	dashsse_events(&ev, rows, names, n);
	if (ev.len > 0)
		dashsse_publish(&ev);
	buf_free(&ev);
	xr_free(rows);
}

/* Follow procd's watch stream on WATCH until it ends. */
static void
dashsse_follow(int link, int watch)
{
	struct buf lines, frame;
	char *names[DASHSSE_BATCH];
	int n = 0, query = -1, rc;

	buf_init(&lines);
	buf_init(&frame);
	do {
		rc = dashsse_burst(watch, &lines, &frame, names, &n);
		/* Nobody watching: the change is not worth a request. */
		if (n > 0 && dashsse_anyone())
			dashsse_report(link, &query, names, n);
		while (n > 0)
			free(names[--n]);
	} while (rc == 0);
	if (query != -1)
		close(query);
	buf_free(&lines);
	buf_free(&frame);
}

/* End every stream: the browsers reconnect, and the next one starts a
 * new hub. */
static void
dashsse_hub_over(void)
{
	pthread_mutex_lock(&hub.mu);
	hub.running = false;
	for (struct sub *s = hub.subs; s != NULL; s = s->next) {
		s->ended = true;
		dashsse_wake(s);
	}
	pthread_mutex_unlock(&hub.mu);
}

static void *
dashsse_hub(void *arg)
{
	int link = (int)(intptr_t)arg, watch;
	struct timeval forever = { 0, 0 };
	char *argv[] = { "watch", NULL };

	/* A quiet host may not change for days: only read() decides. */
	if ((watch = gwctl_open(link)) != -1) {
		if (setsockopt(watch, SOL_SOCKET, SO_RCVTIMEO, &forever,
		    sizeof forever) == 0 && gwctl_send(watch, 1, argv, 1) == 0)
			dashsse_follow(link, watch);
		close(watch);
	}
	dashsse_hub_over();
	return NULL;
}

/* Start the hub unless it runs (hub.mu held).  -1 if it cannot. */
static int
dashsse_hub_start(int link)
{
	pthread_attr_t a;
	pthread_t t;
	int rc;

	if (hub.running)
		return 0;
#ifdef __GLIBC__
	/* glibc gives threads malloc arenas of their own, each keeping
	 * what it once held (a snapshot's rows: some 200 KiB a stream at
	 * N=100).  The gateway's threads wait on sockets, not on malloc:
	 * two arenas for all of them. */
	(void)mallopt(M_ARENA_MAX, 2);
#endif
	if (pthread_attr_init(&a) != 0)
		return -1;
	(void)pthread_attr_setstacksize(&a, 256 * 1024);
	(void)pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &a, dashsse_hub, (void *)(intptr_t)link);
	pthread_attr_destroy(&a);
	if (rc != 0)
		return -1;
	hub.running = true;
	return 0;
}

void
dashsse_snapshot(struct buf *out, const struct xr_value *rows,
    const char *token)
{
	struct json j;

	buf_addstr(out, "event: snapshot\ndata: ");
	json_init(&j, out);
	json_object_begin(&j);
	json_kstr(&j, "token", token != NULL ? token : "");
	json_key(&j, "rows");
	dashrow_array(&j, rows);
	json_object_end(&j);
	buf_addstr(out, "\n\n");
}

/* Every row, as the stream's first event (and after an overflow). */
static int
dashsse_resnap(struct sub *s)
{
	struct xr_value *rows = dashctl_status_once(s->link);

	if (rows == NULL)
		return -1;
	dashsse_snapshot(&s->out, rows, dashguard_token());
	xr_free(rows);
	s->snapped = true;
	return 0;
}

/* Take what the hub queued into s->out.  -1: the stream is over. */
static int
dashsse_take(struct sub *s)
{
	uint64_t cnt;
	bool resync, ended;

	/* Reset the counter; EAGAIN: there was no wake-up to reset. */
	if (read(s->efd, &cnt, sizeof cnt) == -1 && errno != EAGAIN &&
	    errno != EINTR)
		return -1;
	buf_reset(&s->out);
	s->off = 0;
	pthread_mutex_lock(&hub.mu);
	struct buf tmp = s->pend;
	s->pend = s->out;
	s->out = tmp;
	resync = s->resync;
	ended = s->ended;
	s->resync = false;
	pthread_mutex_unlock(&hub.mu);
	if (ended)
		return -1;
	if (resync) {
		buf_reset(&s->out);
		return dashsse_resnap(s);
	}
	return 0;
}

/* Wait for the hub or a hang-up.  -1: the browser went. */
static int
dashsse_wait(struct sub *s)
{
	struct pollfd p[2] = { { s->efd, POLLIN, 0 },
	    { s->client, POLLRDHUP, 0 } };
	int n;

	do
		n = poll(p, s->client != -1 ? 2 : 1, -1);
	while (n == -1 && errno == EINTR);
	if (n == -1 || (p[1].revents & (POLLRDHUP | POLLHUP | POLLERR)))
		return -1;
	return 0;
}

/* A snapshot sent, give its room back before waiting, maybe for days:
 * an open stream otherwise carries a few rows at a time.  The rows it
 * was made from were many small blocks in this thread's malloc arena,
 * which glibc would keep, touched, for the thread's life (about 200 KiB
 * a stream at N=100 without the trim). */
static void
dashsse_shrink(struct sub *s)
{
	if (!s->snapped)
		return;
	s->snapped = false;
	if (s->out.cap > DASHSSE_KEEP) {
		buf_free(&s->out);
		buf_init(&s->out);
		s->off = 0;
	}
#ifdef __GLIBC__
	(void)malloc_trim(0);
#endif
}

static ssize_t
dashsse_read_cb(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sub *s = cls;
	size_t n;

	(void)pos;
	while (s->off == s->out.len) {
		dashsse_shrink(s);
		if (dashsse_wait(s) == -1 || dashsse_take(s) == -1)
			return MHD_CONTENT_READER_END_OF_STREAM;
	}
	n = s->out.len - s->off;
	if (n > max)
		n = max;
	memcpy(buf, s->out.data + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void
dashsse_free_cb(void *cls)
{
	struct sub *s = cls;

	pthread_mutex_lock(&hub.mu);
	for (struct sub **sp = &hub.subs; *sp != NULL; sp = &(*sp)->next)
		if (*sp == s) {
			*sp = s->next;
			hub.nsubs--;
			break;
		}
	pthread_mutex_unlock(&hub.mu);
	close(s->efd);
	buf_free(&s->pend);
	buf_free(&s->out);
	free(s);
}

/* A browser that vanished from the network (no FIN) would hold its
 * stream forever, as nothing is written while nothing changes: TCP
 * keepalive finds it, in the kernel, without waking the gateway. */
static void
dashsse_keepalive(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int on = 1, idle = 60, intvl = 10, cnt = 3;

	if (fd == -1 || getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    (ss.ss_family != AF_INET && ss.ss_family != AF_INET6))
		return;
	(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
}

/* A new stream, registered with the hub (started if need be): NULL when
 * there are DASHSSE_MAX already or the hub cannot run. */
static struct sub *
dashsse_subscribe(int link, int client)
{
	struct sub *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	if ((s->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) == -1) {
		free(s);
		return NULL;
	}
	s->client = client;
	s->link = link;
	buf_init(&s->pend);
	buf_init(&s->out);
	pthread_mutex_lock(&hub.mu);
	if (hub.nsubs >= DASHSSE_MAX || dashsse_hub_start(link) == -1) {
		pthread_mutex_unlock(&hub.mu);
		close(s->efd);
		free(s);
		return NULL;
	}
	s->next = hub.subs;
	hub.subs = s;
	hub.nsubs++;
	pthread_mutex_unlock(&hub.mu);
	return s;
}

static enum MHD_Result
dashsse_refuse(struct MHD_Connection *conn, const char *why)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(why),
	    (void *)why, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain");
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "5");
	ret = MHD_queue_response(conn, MHD_HTTP_SERVICE_UNAVAILABLE, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result
dashsse_start(struct MHD_Connection *conn, int link)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_CONNECTION_FD);
	int client = ci != NULL ? ci->connect_fd : -1;
	struct MHD_Response *r;
	struct sub *s;
	enum MHD_Result ret;

	/* Subscribed before the snapshot is taken: a change in between
	 * is queued, not lost (rows are whole states, so twice is fine). */
	if ((s = dashsse_subscribe(link, client)) == NULL)
		return dashsse_refuse(conn, "503 too many live views\n");
	buf_addf(&s->out, "retry: %d\n\n", DASHSSE_RETRY_MS);
	if (dashsse_resnap(s) == -1) {
		dashsse_free_cb(s);
		return dashsse_refuse(conn, "503 procd did not answer\n");
	}
	dashsse_keepalive(client);
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024,
	    dashsse_read_cb, s, dashsse_free_cb);
	if (r == NULL) {
		dashsse_free_cb(s);
		return MHD_NO;
	}
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/event-stream");
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-store");
	(void)MHD_add_response_header(r, "X-Accel-Buffering", "no");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}
