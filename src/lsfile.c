/*
 * lsfile.c -- a program's stream to a log file (lsint.h): its name and
 * owner, decided when the stream is made (AUTO's name is random where
 * others could plant one; the directory's check, whose warning comes at
 * start-up), and the writer sink behind it, made when first needed.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ev.h>

#include "log.h"
#include "logfile.h"
#include "logwriter.h"
#include "lsint.h"

/* The sink has room again (or dropped a stuck target): read again. */
static void
logstream_space_cb(void *arg)
{
	struct logstream *ls = arg;

	ls->paused = false;
	if (!logstream_backlogged(ls))
		logstream_pause(ls, false);
}


/*
 * The stat of PATH's directory, walked once per directory and loop
 * iteration: a config of thousands of programs is set up in one, most of
 * them logging to one directory, and a walk per log (an open, fstat and
 * close per component) was most of the time a re-exec took.  The check
 * is the warning and AUTO's naming; the opens walk the path themselves.
 */
static int
logstream_dir_stat(struct logstream *ls, const char *path, struct stat *st)
{
	static struct {
		char		dir[PATH_MAX];
		ev_tstamp	at;
		struct stat	st;
		int		r;
	} memo = { .at = -1 };
	const char *slash = strrchr(path, '/');
	size_t len = slash != NULL ? (size_t)(slash - path) : 0;
	ev_tstamp now = ev_now(ls->loop);

	if (memo.at == now && len < sizeof memo.dir &&
	    strncmp(memo.dir, path, len) == 0 && memo.dir[len] == '\0') {
		*st = memo.st;
		return memo.r;
	}
	memo.r = logfile_dir_stat(path, &memo.st);
	*st = memo.st;
	if (len < sizeof memo.dir) {
		memcpy(memo.dir, path, len);
		memo.dir[len] = '\0';
		memo.at = now;
	}
	return memo.r;
}

/* A log file's name and owner, decided at once: AUTO's name is random
 * where others could plant one (logfile.h), and the directory is checked
 * once, so a warning about it comes at start-up. */
int
logstream_file(struct logstream *ls, const struct logdest_config *dc)
{
	char *path = NULL, *cause = NULL;
	struct stat st;
	bool known, unsafe;

	ls->owner = logfile_owner(dc->user);
	known = logstream_dir_stat(ls, dc->path, &st) == 0;
	unsafe = known && logfile_dir_verdict(dc->path, &st, ls->owner,
	    &cause) == -1;
	if (unsafe)
		log_warnx("program %s %s: %s", ls->name, ls->stream,
		    cause != NULL ? cause : "unsafe log directory");
	free(cause);
	/* A guessable name in a directory someone else may write could be
	 * planted (a symlink) before procd starts: there AUTO is random and
	 * made with O_EXCL.  Where only root can create, the name stays. */
	if (dc->is_auto && known && (unsafe || logfile_dir_verdict(dc->path,
	    &st, LOGFILE_NOBODY, NULL) == -1) &&
	    (path = logfile_auto_name(dc->path)) == NULL)
		return -1;
	if (path != NULL) {
		ls->path = ls->own_path = path;
		ls->excl = true;
	}
	return 0;
}

/*
 * The writer side of a log file, made when the file is first needed (the
 * first output, a clear, a tail): most programs of a large config say
 * little or nothing, and a sink costs a few hundred bytes and a file
 * descriptor in the writers' table.  NULL when it cannot be made (no
 * memory): what was to be written is counted as lost.
 */
struct lwsink *
logstream_sink(struct logstream *ls)
{
	char label[256];

	if (ls->sink != NULL || ls->kind != LOGDEST_FILE)
		return ls->sink;
	snprintf(label, sizeof label, "program %s %s", ls->name, ls->stream);
	if ((ls->sink = lwsink_new(ls->loop, label, ls->path, ls->excl,
	    ls->owner)) == NULL)
		return NULL;
	lwsink_limits(ls->sink, ls->maxbytes, ls->backups);
	lwsink_on_space(ls->sink, logstream_space_cb, ls);
	return ls->sink;
}
