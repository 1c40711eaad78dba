/*
 * cmdlog.c -- tail, maintail, clear: reading logs back, and following them
 * (-f) until the client hangs up; logread and mainclear, what the
 * gateway's readLog, read/tailProcess*Log and clearLog are made of.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmdint.h"
#include "config.h"
#include "control.h"
#include "log.h"
#include "rxstate.h"
#include "logfile.h"
#include "logstream.h"
#include "proc.h"
#include "sup.h"
#include "sys.h"

#define TAIL_DEFAULT	1600
#define TAIL_MAX	(1024 * 1024)
/* The most one logread answers (a reply is capped at 4 MiB). */
#define LOGREAD_MAX	(1024 * 1024)

/* A client following a program's stream, or procd's own log (ls NULL). */
struct follower {
	struct client	*c;
	struct logstream *ls;
	char		*name;		/* the program's, for a re-exec */
	int		 which;		/* 1 stdout, 2 stderr */
	struct follower	*next;
};

static struct follower *followers;

static void	maintail_tap(const char *, size_t);

static void
follower_free(struct follower *f)
{
	struct follower **fp;
	bool main_left = false;

	for (fp = &followers; *fp != NULL; fp = &(*fp)->next) {
		if (*fp == f) {
			*fp = f->next;
			break;
		}
	}
	for (struct follower *g = followers; g != NULL; g = g->next)
		main_left = main_left || g->ls == NULL;
	if (!main_left)
		log_set_tap(NULL);
	free(f->name);
	free(f);
}

static void
follow_tap(void *arg, const char *p, size_t n)
{
	struct follower *f = arg;

	if (p == NULL) {	/* the stream is going away */
		client_end(f->c, EXIT_OK);
		follower_free(f);
		return;
	}
	client_out(f->c, p, n);
}

static void
maintail_tap(const char *line, size_t n)
{
	for (struct follower *f = followers; f != NULL; f = f->next)
		if (f->ls == NULL)
			client_out(f->c, line, n);
}

/* Keep C's request open and send it what LS (or procd's log) writes. */
static void
follow_start(struct client *c, struct logstream *ls, const char *name,
    int which)
{
	struct follower *f = calloc(1, sizeof *f);

	if (f == NULL || (name != NULL && (f->name = strdup(name)) == NULL))
		fatal("calloc");
	f->c = c;
	f->ls = ls;
	f->which = which;
	if (ls != NULL && logstream_tap(ls, follow_tap, f) == -1) {
		free(f);
		client_errf(c, "Error: too many followers of this log\n");
		client_end(c, EXIT_GENERIC);
		return;
	}
	f->next = followers;
	followers = f;
	if (ls == NULL)
		log_set_tap(maintail_tap);
	client_stream(c);
}

void
cmdlog_client_gone(struct client *c)
{
	struct follower *f, *next;

	for (f = followers; f != NULL; f = next) {
		next = f->next;
		if (f->c != c)
			continue;
		if (f->ls != NULL)
			logstream_untap(f->ls, follow_tap, f);
		follower_free(f);
	}
}

struct tail_opts {
	bool	follow;
	long	bytes;
	int	next;		/* first argument after the options */
};

/* [-f] [-N], in any order, before the names. */
static bool
tail_parse(int argc, char **argv, struct tail_opts *o)
{
	char *end;

	o->follow = false;
	o->bytes = TAIL_DEFAULT;
	for (o->next = 1; o->next < argc && argv[o->next][0] == '-';
	    o->next++) {
		const char *a = argv[o->next];
		if (strcmp(a, "-f") == 0) {
			o->follow = true;
			continue;
		}
		o->bytes = strtol(a + 1, &end, 10);
		if (a[1] == '\0' || *end != '\0' || o->bytes < 0)
			return false;
	}
	if (o->bytes > TAIL_MAX)
		o->bytes = TAIL_MAX;
	return true;
}

static void
tail_send(struct client *c, struct logstream *ls, const char *path,
    long bytes)
{
	char *data = malloc((size_t)bytes + 1);
	size_t got = 0;
	ssize_t n0;

	if (data == NULL)
		fatal("malloc");
	if (ls != NULL)
		got = logstream_tail(ls, data, (size_t)bytes);
	else if (path != NULL && (n0 = log_tail(data, (size_t)bytes)) != -2)
		got = n0 > 0 ? (size_t)n0 : 0;	/* procd's, by its writer */
	else if (path != NULL) {
		/* Only what logfile.c accepts: never a planted link. */
		int fd = logfile_open(path, LOGFILE_READ, LOGFILE_NOBODY,
		    NULL);
		off_t size = fd == -1 ? 0 : lseek(fd, 0, SEEK_END);
		ssize_t n = fd == -1 ? -1 : pread(fd, data, (size_t)bytes,
		    size > bytes ? size - bytes : 0);
		got = n > 0 ? (size_t)n : 0;
		if (fd != -1)
			close(fd);
	}
	client_out(c, data, got);
	free(data);
}

void
cmd_tail(struct client *c, int argc, char **argv)
{
	struct tail_opts o;
	struct logstream *ls;
	struct process *p;
	int n;

	n = argc - (tail_parse(argc, argv, &o) ? o.next : argc + 1);
	if (n < 1 || n > 2 || (n == 2 && strcmp(argv[o.next + 1], "stdout")
	    != 0 && strcmp(argv[o.next + 1], "stderr") != 0)) {
		client_errf(c, "Error: usage: tail [-f] [-N] NAME "
		    "[stdout|stderr]\n");
		client_end(c, EXIT_USAGE);
		return;
	}
	if ((p = sup_find(argv[o.next])) == NULL) {
		client_outf(c, "%s: ERROR (no such process name)\n",
		    argv[o.next]);
		client_end(c, EXIT_GENERIC);
		return;
	}
	ls = sup_log(p, n == 2 && strcmp(argv[o.next + 1], "stderr") == 0 ?
	    2 : 1);
	if (ls == NULL) {
		client_outf(c, "%s: ERROR (no log file)\n", argv[o.next]);
		client_end(c, EXIT_GENERIC);
		return;
	}
	tail_send(c, ls, NULL, o.bytes);
	if (o.follow)
		follow_start(c, ls, sup_name(p), n == 2 &&
		    strcmp(argv[o.next + 1], "stderr") == 0 ? 2 : 1);
	else
		client_end(c, EXIT_OK);
}

void
cmd_maintail(struct client *c, int argc, char **argv)
{
	struct tail_opts o;

	if (!tail_parse(argc, argv, &o) || o.next != argc) {
		client_errf(c, "Error: usage: maintail [-f] [-N]\n");
		client_end(c, EXIT_USAGE);
		return;
	}
	if (log_path() == NULL) {
		client_outf(c, "ERROR: procd's log is not a file (syslog)\n");
		client_end(c, EXIT_GENERIC);
		return;
	}
	tail_send(c, NULL, log_path(), o.bytes);
	if (o.follow)
		follow_start(c, NULL, NULL, 1);
	else
		client_end(c, EXIT_OK);
}

void
cmd_clear(struct client *c, int argc, char **argv)
{
	struct process **ps;
	size_t n;
	int code = EXIT_OK;

	if (argc < 2) {
		client_errf(c, "Error: clear requires a process name\n");
		client_end(c, EXIT_USAGE);
		return;
	}
	cmd_log_request(c, argc, argv);
	if (!cmd_resolve(c, argc - 1, argv + 1, &ps, &n))
		code = EXIT_GENERIC;
	for (size_t i = 0; i < n; i++) {
		struct logstream *o = sup_log(ps[i], 1), *e = sup_log(ps[i], 2);
		if ((o && logstream_clear(o) == -1) ||
		    (e && e != o && logstream_clear(e) == -1)) {
			client_outf(c, "%s: ERROR (failed)\n", sup_name(ps[i]));
			code = EXIT_GENERIC;
		} else
			client_outf(c, "%s: cleared\n", sup_name(ps[i]));
	}
	free(ps);
	client_end(c, code);
}
/* procd's own log from OFF: by its writer, or (before the loop runs it)
 * the file itself, opened only as logfile.c allows. */
static ssize_t
main_read(char *out, size_t len, off_t off, off_t *size)
{
	ssize_t n;
	int fd;

	if ((n = log_read(out, len, off, size)) != -2)
		return n;
	if ((fd = logfile_open(log_path(), LOGFILE_READ, LOGFILE_NOBODY,
	    NULL)) == -1)
		return -1;
	if ((*size = lseek(fd, 0, SEEK_END)) == -1) {
		close(fd);
		return -1;
	}
	if (off < 0)
		off = *size > (off_t)len ? *size - (off_t)len : 0;
	n = off >= *size ? 0 : sys_pread(fd, out, len, off);
	close(fd);
	return n;
}

/* A decimal argument of logread; false if it is not one. */
static bool
logread_num(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return *s != '\0' && *end == '\0' && errno == 0;
}

/*
 * logread OFFSET LENGTH [NAME [stdout|stderr]]: LENGTH bytes (0: all
 * there is, up to LOGREAD_MAX) of NAME's log, or procd's, from OFFSET;
 * a negative OFFSET reads the last -OFFSET bytes.  The answer is the
 * log's size on a line, then the bytes: the gateway makes supervisord's
 * readFile and tailFile rules of it.
 */
void
cmd_logread(struct client *c, int argc, char **argv)
{
	long long off, len;
	struct logstream *ls = NULL;
	struct process *p;
	off_t size = 0;
	ssize_t got;
	char *data;

	if (argc < 3 || argc > 5 || !logread_num(argv[1], &off) ||
	    !logread_num(argv[2], &len) || len < 0 || (argc == 5 &&
	    strcmp(argv[4], "stdout") != 0 && strcmp(argv[4], "stderr") != 0)) {
		client_errf(c, "Error: usage: logread OFFSET LENGTH "
		    "[NAME [stdout|stderr]]\n");
		client_end(c, EXIT_USAGE);
		return;
	}
	if (argc >= 4 && (p = sup_find(argv[3])) == NULL) {
		client_outf(c, "%s: ERROR (no such process name)\n", argv[3]);
		client_end(c, EXIT_GENERIC);
		return;
	}
	if (argc >= 4 && (ls = sup_log(p, argc == 5 &&
	    strcmp(argv[4], "stderr") == 0 ? 2 : 1)) == NULL) {
		client_outf(c, "%s: ERROR (no log file)\n", argv[3]);
		client_end(c, EXIT_GENERIC);
		return;
	}
	if (argc == 3 && log_path() == NULL) {
		client_outf(c, "ERROR (no log file)\n");
		client_end(c, EXIT_GENERIC);
		return;
	}
	if (off < 0) {
		len = off < -LOGREAD_MAX ? LOGREAD_MAX : -off;
		off = -1;
	} else if (len == 0 || len > LOGREAD_MAX)
		len = LOGREAD_MAX;
	if ((data = malloc((size_t)len)) == NULL)
		fatal("malloc");
	got = ls != NULL ? logstream_read(ls, data, (size_t)len, (off_t)off,
	    &size) : main_read(data, (size_t)len, (off_t)off, &size);
	if (got == -1) {
		client_outf(c, "ERROR (failed)\n");
		client_end(c, EXIT_GENERIC);
	} else {
		client_outf(c, "%lld\n", (long long)size);
		client_out(c, data, (size_t)got);
		client_end(c, EXIT_OK);
	}
	free(data);
}

/* mainclear: empty procd's own log (clearLog). */
void
cmd_mainclear(struct client *c, int argc, char **argv)
{
	cmd_log_request(c, argc, argv);
	if (argc != 1 || log_clear() == -1) {
		client_outf(c, "ERROR (no log file)\n");
		client_end(c, EXIT_GENERIC);
		return;
	}
	client_outf(c, "cleared\n");
	client_end(c, EXIT_OK);
}

int
cmdlog_carry(struct rxstate *st)
{
	for (struct follower *f = followers; f != NULL; f = f->next) {
		struct rxfollow *r = rxstate_add_follow(st);
		const char *queued;
		uint32_t id;
		uint8_t flags;

		if (r == NULL)
			return -1;
		r->fd = client_carry(f->c, &id, &flags, &queued,
		    &r->pending_len);
		r->id = id;
		r->flags = flags;
		r->stream = f->which;
		if ((f->name != NULL && (r->name = strdup(f->name)) == NULL) ||
		    (r->pending_len > 0 && (r->pending =
		    malloc(r->pending_len)) == NULL))
			return -1;
		if (r->pending_len > 0)
			memcpy(r->pending, queued, r->pending_len);
	}
	return 0;
}

void
cmdlog_resume(const struct rxstate *st)
{
	for (size_t i = 0; i < st->nfollows; i++) {
		const struct rxfollow *r = &st->follows[i];
		struct client *c = control_resume_client(r->fd,
		    (uint32_t)r->id, (uint8_t)r->flags, r->pending,
		    r->pending_len);
		struct process *p = r->name != NULL ? sup_find(r->name) : NULL;
		struct logstream *ls = p != NULL ? sup_log(p, (int)r->stream) :
		    NULL;

		if (r->name != NULL && ls == NULL) {
			client_end(c, EXIT_OK);	/* its log is gone */
			continue;
		}
		follow_start(c, ls, r->name, (int)r->stream);
	}
}
