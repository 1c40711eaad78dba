/*
 * logself.c -- procd's own log through the writer threads (logself.h).
 * log.c formats and hands each line over; a sink writes it.
 */
#include <stddef.h>

#include "log.h"
#include "logfile.h"
#include "logself.h"
#include "logwriter.h"

static struct lwsink *self;

static void
logself_put(void *arg, const char *line, size_t len)
{
	(void)lwsink_put(arg, line, len);	/* a stuck disk: counted */
}

static void
logself_reopen(void *arg)
{
	lwsink_reopen(arg);
}

static const struct log_writer logself_writer = {
	.put = logself_put, .reopen = logself_reopen,
};

void
logself_start(struct ev_loop *loop, uint64_t maxbytes, int backups)
{
	const char *path = log_file_path();

	if (path == NULL || self != NULL)
		return;
	if ((self = lwsink_new(loop, "procd", path, false,
	    LOGFILE_NOBODY)) == NULL) {
		log_warn("procd's log: no writer; written on the loop");
		return;
	}
	lwsink_limits(self, maxbytes, backups);
	log_set_writer(&logself_writer, self);
}

void
logself_stop(void)
{
	struct lwsink *s = self;

	if (s == NULL)
		return;
	log_set_writer(NULL, NULL);
	self = NULL;
	(void)lwsink_flush(s, 1000);
	lwsink_free(s);
	log_file_again();
}
