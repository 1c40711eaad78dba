/*
 * ownlog.c -- procd's own log file through a log writer (ownlog.h).
 *
 * Until the loop runs (start-up, `procd check`), log.c writes the file
 * itself.  From then on each line is queued on a sink like a program's
 * output, so the file is opened, written and rotated by a writer thread
 * in the writers' own descriptor table (lwpool.c): a hung disk under
 * procd.log loses procd's lines (counted, said when it recovers) but
 * never blocks the loop or a spawn.
 */
#include <stdbool.h>
#include <stddef.h>

#include "log.h"
#include "logfile.h"
#include "logwriter.h"
#include "ownlog.h"

/* How long an exit (or a fatal error) waits for procd's last lines. */
#define OWNLOG_EXIT_MS	1000

static struct lwsink *own;

static void
ownlog_put(const char *p, size_t n)
{
	/* A FIFO as procd's log that is full: the line waits, as a
	 * program's would; the loop is never held. */
	(void)lwsink_put(own, p, n);
}

static void
ownlog_reopen(void)
{
	lwsink_reopen(own);
}

static void
ownlog_flush(void)
{
	(void)lwsink_drain(own, OWNLOG_EXIT_MS);
}

static ssize_t
ownlog_read(char *out, size_t len, off_t off, off_t *size)
{
	return lwsink_read(own, out, len, off, size);	/* flushed first */
}

static void
ownlog_clear(void)
{
	lwsink_clear(own);
}

static const struct log_divert ownlog_divert = {
	.put = ownlog_put, .reopen = ownlog_reopen, .flush = ownlog_flush,
	.read = ownlog_read, .clear = ownlog_clear,
};

void
ownlog_start(struct ev_loop *loop, uint64_t maxbytes, int backups)
{
	const char *path = log_path();

	if (own != NULL || path == NULL || !log_has_file())
		return;
	if ((own = lwsink_new(loop, "procd", path, false, LOGFILE_NOBODY))
	    == NULL) {
		log_warnx("procd's log stays on the loop: out of memory");
		return;
	}
	lwsink_limits(own, maxbytes, backups);
	(void)log_divert(&ownlog_divert);
}

void
ownlog_stop(void)
{
	if (own == NULL)
		return;
	ownlog_flush();
	(void)log_divert(NULL);
	lwsink_free(own);
	own = NULL;
}
