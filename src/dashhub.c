/*
 * dashhub.c -- the one follower of procd's watch stream behind every
 * dashboard stream (dashhub.h).
 *
 * The hub is a thread that blocks reading one watch channel.  For each
 * burst of changes it asks procd once for the changed rows, then only
 * appends the event to each subscriber's queue under the lock and wakes
 * it through its eventfd: it never writes to a browser, so a slow one
 * costs its own queue (bounded: then it is sent a snapshot instead) and
 * nobody else anything.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "dashctl.h"
#include "dashhub.h"
#include "dashrow.h"
#include "gwctl.h"
#include "json.h"
#include "jsonread.h"
#include "sys.h"

/* Changed names asked for in one status request. */
#define DASHHUB_BATCH		128

static struct {
	pthread_mutex_t	 mu;
	struct dashsub	*subs;
	unsigned	 nsubs;
	bool		 running;
} hub = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* Wake S (hub.mu held).  A full counter is awake already. */
static void
dashhub_wake(struct dashsub *s)
{
	uint64_t one = 1;

	(void)sys_write_all(s->efd, &one, sizeof one);
}

/* Queue the event EV for every stream. */
static void
dashhub_publish(const struct buf *ev)
{
	pthread_mutex_lock(&hub.mu);
	for (struct dashsub *s = hub.subs; s != NULL; s = s->next) {
		if (s->resync)
			continue;
		if (s->pend.len + ev->len > DASHHUB_QUEUE_MAX) {
			s->resync = true;
			buf_reset(&s->pend);
		} else
			buf_add(&s->pend, ev->data, ev->len);
		dashhub_wake(s);
	}
	pthread_mutex_unlock(&hub.mu);
}

static bool
dashhub_anyone(void)
{
	bool any;

	pthread_mutex_lock(&hub.mu);
	any = hub.subs != NULL;
	pthread_mutex_unlock(&hub.mu);
	return any;
}

/* The name in one line of watch --json, added to NAMES unless there. */
static void
dashhub_note(const char *line, size_t len, char **names, int *n)
{
	struct xr_value *v = jsonread(line, len);
	const char *name = xr_get_str(v, "name");

	for (int i = 0; *name != '\0' && i < *n; i++)
		if (strcmp(names[i], name) == 0)
			name = "";
	if (*name != '\0' && *n < DASHHUB_BATCH &&
	    (names[*n] = strdup(name)) != NULL)
		(*n)++;
	xr_free(v);
}

/* The events for NAMES, whose rows procd gave as ROWS, to EV: the rows,
 * and the names procd no longer has. */
static void
dashhub_events(struct buf *ev, struct xr_value *rows, char **names, int n)
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
dashhub_lines(struct buf *lines, char **names, int *n)
{
	size_t start = 0;
	char *nl;

	while (*n < DASHHUB_BATCH && (nl = memchr(lines->data + start, '\n',
	    lines->len - start)) != NULL) {
		dashhub_note(lines->data + start,
		    (size_t)(nl - lines->data) - start, names, n);
		start = (size_t)(nl - lines->data) + 1;
	}
	buf_consume(lines, start);
}

/* Is another frame waiting on FD already? */
static bool
dashhub_more(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, 0) == 1;
}

/* The names of a burst of changes into NAMES: lines left from the last
 * batch, then what watch sent, waiting only while there is nothing.
 * -1: the stream ended (NAMES may still hold some). */
static int
dashhub_burst(int watch, struct buf *lines, struct buf *frame, char **names,
    int *n)
{
	struct proto_hdr h;

	if (lines->len > 0)
		dashhub_lines(lines, names, n);
	while (*n < DASHHUB_BATCH && (*n == 0 || dashhub_more(watch))) {
		if (gwctl_frame(watch, &h, frame) == -1 ||
		    h.type == PROTO_END)
			return -1;
		if (h.type == PROTO_OUT && frame->len > 0) {
			buf_add(lines, frame->data, frame->len);
			dashhub_lines(lines, names, n);
		}
	}
	return 0;
}

/* procd could not be asked: every stream starts again from a snapshot,
 * rather than miss a change. */
static void
dashhub_resync_all(void)
{
	pthread_mutex_lock(&hub.mu);
	for (struct dashsub *s = hub.subs; s != NULL; s = s->next) {
		s->resync = true;
		buf_reset(&s->pend);
		dashhub_wake(s);
	}
	pthread_mutex_unlock(&hub.mu);
}

/* Ask for NAMES' rows and publish them; the query channel is opened on
 * first use and again after a failure. */
static void
dashhub_report(int link, int *query, char **names, int n)
{
	struct xr_value *rows = NULL;
	struct buf ev;

	if (*query == -1 && (*query = gwctl_open(link)) == -1) {
		dashhub_resync_all();
		return;
	}
	if ((rows = dashctl_status(*query, names, n)) == NULL) {
		close(*query);
		*query = -1;
		dashhub_resync_all();
		return;
	}
	buf_init(&ev);
	dashhub_events(&ev, rows, names, n);
	if (ev.len > 0)
		dashhub_publish(&ev);
	buf_free(&ev);
	xr_free(rows);
}

/* Follow procd's watch stream on WATCH until it ends. */
static void
dashhub_follow(int link, int watch)
{
	struct buf lines, frame;
	char *names[DASHHUB_BATCH];
	int n = 0, query = -1, rc;

	buf_init(&lines);
	buf_init(&frame);
	do {
		rc = dashhub_burst(watch, &lines, &frame, names, &n);
		/* Nobody watching: the change is not worth a request. */
		if (n > 0 && dashhub_anyone())
			dashhub_report(link, &query, names, n);
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
dashhub_over(void)
{
	pthread_mutex_lock(&hub.mu);
	hub.running = false;
	for (struct dashsub *s = hub.subs; s != NULL; s = s->next) {
		s->ended = true;
		dashhub_wake(s);
	}
	pthread_mutex_unlock(&hub.mu);
}

static void *
dashhub_main(void *arg)
{
	int link = (int)(intptr_t)arg, watch;
	struct timeval forever = { 0, 0 };
	char *argv[] = { "watch", NULL };

	/* A quiet host may not change for days: only read() decides. */
	if ((watch = gwctl_open(link)) != -1) {
		if (setsockopt(watch, SOL_SOCKET, SO_RCVTIMEO, &forever,
		    sizeof forever) == 0 && gwctl_send(watch, 1, argv, 1) == 0)
			dashhub_follow(link, watch);
		close(watch);
	}
	dashhub_over();
	return NULL;
}

/* Start the hub unless it runs (hub.mu held).  -1 if it cannot. */
static int
dashhub_start(int link)
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
	rc = pthread_create(&t, &a, dashhub_main, (void *)(intptr_t)link);
	pthread_attr_destroy(&a);
	if (rc != 0)
		return -1;
	hub.running = true;
	return 0;
}

int
dashhub_join(struct dashsub *s, int link)
{
	buf_init(&s->pend);
	s->resync = s->ended = false;
	if ((s->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) == -1)
		return -1;
	pthread_mutex_lock(&hub.mu);
	if (hub.nsubs >= DASHHUB_SUBS_MAX || dashhub_start(link) == -1) {
		pthread_mutex_unlock(&hub.mu);
		close(s->efd);
		return -1;
	}
	s->next = hub.subs;
	hub.subs = s;
	hub.nsubs++;
	pthread_mutex_unlock(&hub.mu);
	return 0;
}

void
dashhub_leave(struct dashsub *s)
{
	pthread_mutex_lock(&hub.mu);
	for (struct dashsub **sp = &hub.subs; *sp != NULL; sp = &(*sp)->next)
		if (*sp == s) {
			*sp = s->next;
			hub.nsubs--;
			break;
		}
	pthread_mutex_unlock(&hub.mu);
	close(s->efd);
	buf_free(&s->pend);
}

int
dashhub_take(struct dashsub *s, struct buf *out, bool *resync, bool *ended)
{
	uint64_t cnt;
	struct buf tmp;

	/* Reset the counter; EAGAIN: there was no wake-up to reset. */
	if (read(s->efd, &cnt, sizeof cnt) == -1 && errno != EAGAIN &&
	    errno != EINTR)
		return -1;
	buf_reset(out);
	pthread_mutex_lock(&hub.mu);
	tmp = s->pend;
	s->pend = *out;
	*out = tmp;
	*resync = s->resync;
	*ended = s->ended;
	s->resync = false;
	pthread_mutex_unlock(&hub.mu);
	return 0;
}
