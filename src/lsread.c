/*
 * lsread.c -- reading a program's log back (logstream.h): tail, and the
 * gateway's reads at an offset (XML-RPC's readProcessStdoutLog and
 * friends): from the log file through its writer, or from the ring of
 * the newest bytes a stream to procd's stdout/stderr keeps.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "config.h"
#include "log.h"
#include "logstream.h"
#include "logwriter.h"
#include "lsint.h"
#include "ring.h"

/* A log file's sink for reading: made now if this run has not written
 * to the file, then waited for once, briefly, so that what an earlier run
 * left is read (even while the writers start or look stuck).  NULL: not
 * a file, or it cannot be opened.  (Each read lets the writer catch up
 * first: lwsink_read.) */
static struct lwsink *
logstream_read_sink(struct logstream *ls)
{
	if (ls->kind != LOGDEST_FILE)
		return NULL;
	if (ls->sink == NULL) {
		if (logstream_sink(ls) == NULL)
			return NULL;
		(void)lwsink_drain(ls->sink, LOGSTREAM_OPEN_MS);
	}
	return ls->sink;
}

/* The ring of a stdout/stderr target, read as a small "file" of its
 * newest bytes. */
static ssize_t
logstream_read_ring(struct ring *r, char *out, size_t len, off_t off,
    off_t *size)
{
	size_t held = r->len, from;
	char *all;

	*size = (off_t)held;
	if (off < 0)
		from = held > len ? held - len : 0;
	else if ((size_t)off >= held)
		return 0;
	else
		from = (size_t)off;
	if (len > held - from)
		len = held - from;
	if ((all = malloc(held ? held : 1)) == NULL)
		fatal("malloc");
	ring_tail(r, all, held);
	memcpy(out, all + from, len);
	free(all);
	return (ssize_t)len;
}

ssize_t
logstream_read(struct logstream *ls, char *out, size_t len, off_t off,
    off_t *size)
{
	struct lwsink *s;

	if (ls->io != NULL)
		return logstream_read_ring(&ls->io->ring, out, len, off, size);
	if ((s = logstream_read_sink(ls)) == NULL) {
		*size = 0;
		return 0;
	}
	return lwsink_read(s, out, len, off, size);
}

size_t
logstream_tail(struct logstream *ls, char *out, size_t len)
{
	struct lwsink *s;
	ssize_t n;

	if (ls->io != NULL)
		return ring_tail(&ls->io->ring, out, len);
	if ((s = logstream_read_sink(ls)) == NULL)
		return 0;
	n = lwsink_tail(s, out, len);
	return n > 0 ? (size_t)n : 0;
}
