/*
 * httptail.c -- supervisord's /logtail/ and /mainlogtail streams in the
 * gateway (httptail.h).
 *
 * The response has no length (chunked), as supervisord's.  Its producer
 * runs in the connection's own thread and waits in poll() for the next
 * frame from procd or for the client to hang up, whichever comes first:
 * an abandoned `tail -f` of a quiet log does not keep its thread.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "buf.h"
#include "gwctl.h"
#include "httptail.h"

/* How long procd has to say "no such process" before streaming starts. */
#define HTTPTAIL_FIRST_MS	2000
/* The bytes of the log sent first, as supervisord. */
#define HTTPTAIL_BACKLOG	"-1024"

struct httptail {
	int		 chan;		/* tail -f on a control channel */
	int		 client;	/* the HTTP client's socket */
	struct buf	 pend;		/* a frame's bytes not sent yet */
	size_t		 off;
	bool		 ended;
};

bool
httptail_match(const char *url)
{
	return strncmp(url, "/logtail/", 9) == 0 ||
	    strcmp(url, "/mainlogtail") == 0;
}

/* Wait for the channel (or, when CLIENT is not -1, a hang-up there) up
 * to MS ms (-1: no limit).  1: a frame to read; 0: nothing; -1: hang-up. */
static int
httptail_wait(struct httptail *t, int ms)
{
	struct pollfd p[2] = { { t->chan, POLLIN, 0 },
	    { t->client, POLLRDHUP, 0 } };
	int n;

	do
		n = poll(p, t->client != -1 ? 2 : 1, ms);
	while (n == -1 && errno == EINTR);
	if (n == -1 || (t->client != -1 && (p[1].revents &
	    (POLLRDHUP | POLLHUP | POLLERR))))
		return -1;
	return p[0].revents != 0;
}

/* Read one frame into t->pend: 0; -1 when the stream is over. */
static int
httptail_next(struct httptail *t)
{
	struct proto_hdr h;

	if (gwctl_frame(t->chan, &h, &t->pend) == -1 || h.type == PROTO_END)
		return -1;
	if (h.type != PROTO_OUT)
		buf_reset(&t->pend);	/* ERR: not part of the log */
	t->off = 0;
	return 0;
}

static ssize_t
httptail_read_cb(void *cls, uint64_t pos, char *out, size_t max)
{
	struct httptail *t = cls;

	(void)pos;
	while (t->off == t->pend.len) {
		if (t->ended || httptail_wait(t, -1) != 1 ||
		    httptail_next(t) == -1)
			return MHD_CONTENT_READER_END_OF_STREAM;
	}
	return (ssize_t)buf_copy_out(&t->pend, &t->off, out, max);
}

static void
httptail_free_cb(void *cls)
{
	struct httptail *t = cls;

	if (t->chan != -1)
		close(t->chan);
	buf_free(&t->pend);
	free(t);
}

/* The request for URL, into ARGV (5 entries); false if it is not one. */
static bool
httptail_argv(const char *url, char *name, size_t size, const char **argv)
{
	const char *slash;

	if (strcmp(url, "/mainlogtail") == 0) {
		argv[0] = "maintail", argv[1] = "-f";
		argv[2] = HTTPTAIL_BACKLOG, argv[3] = NULL;
		return true;
	}
	url += 9;
	slash = strchr(url, '/');
	if ((slash ? (size_t)(slash - url) : strlen(url)) >= size ||
	    *url == '\0' || *url == '-')
		return false;
	memcpy(name, url, slash ? (size_t)(slash - url) : strlen(url) + 1);
	name[slash ? (size_t)(slash - url) : strlen(url)] = '\0';
	argv[0] = "tail", argv[1] = "-f", argv[2] = HTTPTAIL_BACKLOG;
	argv[3] = name;
	argv[4] = slash ? slash + 1 : "stdout";
	argv[5] = NULL;
	return strcmp(argv[4], "stdout") == 0 || strcmp(argv[4], "stderr") == 0;
}

/* Does procd have a process NAME?  (status exits 4 for an unknown one.) */
static bool
httptail_known(int chan, const char *name)
{
	const char *argv[] = { "status", name, NULL };
	struct gwreply r;
	bool known;

	if (gwctl_call(chan, 2, (char *const *)argv, 0, &r) == -1) {
		gwreply_free(&r);
		return false;
	}
	known = r.code != 4;
	gwreply_free(&r);
	return known;
}

static enum MHD_Result
httptail_error(struct MHD_Connection *conn, struct httptail *t,
    unsigned status)
{
	static const char msg[] = "404 Not Found\n";
	struct MHD_Response *r;
	enum MHD_Result ret;

	httptail_free_cb(t);
	r = MHD_create_response_from_buffer(sizeof msg - 1, (void *)msg,
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result
httptail_start(struct MHD_Connection *conn, const char *url, int link)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_CONNECTION_FD);
	struct timeval forever = { 0, 0 };
	struct httptail *t = calloc(1, sizeof *t);
	struct MHD_Response *r;
	const char *argv[6];
	char name[256];
	int argc = 0, w;
	enum MHD_Result ret;

	if (t == NULL)
		return MHD_NO;
	buf_init(&t->pend);
	t->client = ci != NULL ? ci->connect_fd : -1;
	t->chan = -1;
	if (!httptail_argv(url, name, sizeof name, argv))
		return httptail_error(conn, t, MHD_HTTP_NOT_FOUND);
	while (argv[argc] != NULL)
		argc++;
	if ((t->chan = gwctl_open(link)) == -1)
		return httptail_error(conn, t, MHD_HTTP_SERVICE_UNAVAILABLE);
	/* An unknown name is a 404, as supervisord's: asked first, since
	 * tail's own error line would look like the start of a log. */
	if (argv[3] != NULL && !httptail_known(t->chan, name))
		return httptail_error(conn, t, MHD_HTTP_NOT_FOUND);
	/* A follow may be quiet for hours: only poll() decides. */
	if (setsockopt(t->chan, SOL_SOCKET, SO_RCVTIMEO, &forever,
	    sizeof forever) == -1 ||
	    gwctl_send(t->chan, argc, (char *const *)argv, 0) == -1)
		return httptail_error(conn, t, MHD_HTTP_SERVICE_UNAVAILABLE);
	/* Any other refusal (no log file) comes at once, alone. */
	w = httptail_wait(t, HTTPTAIL_FIRST_MS);
	if (w == -1 || (w == 1 && httptail_next(t) == -1))
		return httptail_error(conn, t, MHD_HTTP_NOT_FOUND);
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024,
	    httptail_read_cb, t, httptail_free_cb);
	if (r == NULL) {
		httptail_free_cb(t);
		return MHD_NO;
	}
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain;charset=utf-8");
	(void)MHD_add_response_header(r, "X-Accel-Buffering", "no");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}
