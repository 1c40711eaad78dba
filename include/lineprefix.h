/*
 * lineprefix.h -- stdout_prefix=, stderr_prefix= and log_timestamps=: a
 * timestamp and a text written before each line of a program's output.
 *
 * Pure: the values as the config gives them, the head of a line for a
 * given time, and a chunk of output cut into whole-line pieces with the
 * head before each line that begins in it.  Whether a line is under way
 * is the caller's state (one per stream), so a line that comes in several
 * reads gets one head, at its start.  logstream.c does the reading.
 */
#ifndef PROCD_LINEPREFIX_H
#define PROCD_LINEPREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"

/* The longest prefix text, after expansion. */
#define LINEPREFIX_MAX		256
/* Room for a timestamp ("2026-12-03T16:52:50.123+01:00 "), the prefix
 * and a NUL. */
#define LINEPREFIX_HEAD_SIZE	(LINEPREFIX_MAX + 48)

/* log_timestamps: a boolean, or "iso8601"; OUT is an enum
 * log_timestamps (cfgget_typed's parser shape). */
int	lineprefix_parse_stamps(const char *s, void *out, char **cause);
/* The value V of a prefix key without one matching pair of quotes around
 * it (the config strips trailing blanks; quotes keep them), malloc'd. */
char   *lineprefix_unquote(const char *v);
/* An expanded prefix P that cannot be used: no line breaks, at most
 * LINEPREFIX_MAX bytes.  -1 with *CAUSE. */
int	lineprefix_check(const char *p, char **cause);

/* The head of a line read at NOW: the timestamp (and a space) if STAMPS
 * asks for one, then PREFIX (may be NULL).  Into BUF, LINEPREFIX_HEAD_SIZE
 * bytes; returns its length. */
size_t	lineprefix_head(enum log_timestamps stamps, const struct timespec *now,
	    const char *prefix, char *buf);

/* Where the pieces go, in order. */
typedef void (*lineprefix_out_fn)(void *arg, const char *, size_t);

/*
 * P (N bytes of output) to OUT, with HEAD (HLEN bytes) before every line
 * that begins in it.  *MID_LINE is the stream's state: true when the last
 * byte given was not a newline (the next bytes continue that line).
 */
void	lineprefix_apply(bool *mid_line, const char *p, size_t n,
	    const char *head, size_t hlen, lineprefix_out_fn out, void *arg);

#endif
