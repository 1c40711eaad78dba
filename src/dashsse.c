/*
 * dashsse.c -- one browser's live stream (dashsse.h): a subscriber of the
 * hub (dashhub.h) whose producer runs in its connection's thread and
 * blocks in poll() on the hub's eventfd and on the browser's socket (a
 * hang-up ends it).  It sends a snapshot first, then what the hub
 * queues.
 */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "dashctl.h"
#include "dashguard.h"
#include "dashhub.h"
#include "dashrow.h"
#include "dashsse.h"
#include "json.h"

/* Buffer room a stream keeps between events. */
#define DASHSSE_KEEP		(16 * 1024)
/* What a browser waits before reconnecting, in ms (EventSource's retry). */
#define DASHSSE_RETRY_MS	1000

struct sub {
	struct dashsub	 hub;		/* the hub's part */
	int		 client;	/* the browser's socket, for hang-ups */
	int		 link;
	struct buf	 out;		/* being sent */
	size_t		 off;
	bool		 snapped;	/* out holds a snapshot */
};

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
	bool resync, ended;

	s->off = 0;
	if (dashhub_take(&s->hub, &s->out, &resync, &ended) == -1 || ended)
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
	struct pollfd p[2] = { { s->hub.efd, POLLIN, 0 },
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

	(void)pos;
	while (s->off == s->out.len) {
		dashsse_shrink(s);
		if (dashsse_wait(s) == -1 || dashsse_take(s) == -1)
			return MHD_CONTENT_READER_END_OF_STREAM;
	}
	return (ssize_t)buf_copy_out(&s->out, &s->off, buf, max);
}

static void
dashsse_free_cb(void *cls)
{
	struct sub *s = cls;

	dashhub_leave(&s->hub);
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
	/* Best effort: a failure only loses the detection. */
	(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
}

/* A new stream, registered with the hub (started if need be): NULL when
 * there are DASHHUB_SUBS_MAX already or the hub cannot run. */
static struct sub *
dashsse_subscribe(int link, int client)
{
	struct sub *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->client = client;
	s->link = link;
	buf_init(&s->out);
	if (dashhub_join(&s->hub, link) == -1) {
		free(s);
		return NULL;
	}
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
