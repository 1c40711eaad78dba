/*
 * lineprefix.c -- the head written before each line of a program's output
 * (lineprefix.h): its config values, its text, and where it goes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cause.h"
#include "cfgval.h"
#include "lineprefix.h"

int
lineprefix_parse_stamps(const char *s, void *out, char **cause)
{
	enum log_timestamps *ts = out;
	char q[CFGVAL_QUOTE_SIZE], *why = NULL;
	bool on;

	if (strcasecmp(s, "iso8601") == 0) {
		*ts = LOGTS_ISO8601;
		return 0;
	}
	if (cfgval_bool(s, &on, &why) == 0) {
		*ts = on ? LOGTS_LOCAL : LOGTS_NONE;
		return 0;
	}
	free(why);
	return cause_set(cause, "%s is not a timestamp choice (use false, "
	    "true or iso8601)", cfgval_quote(s, q, sizeof q));
}

char *
lineprefix_unquote(const char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
		return strndup(v + 1, n - 2);
	return strdup(v);
}

int
lineprefix_check(const char *p, char **cause)
{
	if (strpbrk(p, "\r\n") != NULL)
		return cause_set(cause, "a prefix cannot hold a line break");
	if (strlen(p) > LINEPREFIX_MAX)
		return cause_set(cause, "longer than %d bytes", LINEPREFIX_MAX);
	return 0;
}

/* "+01:00" for OFF seconds east of UTC. */
static void
lineprefix_offset(long off, char buf[16])
{
	unsigned long a = off < 0 ? 0UL - (unsigned long)off :
	    (unsigned long)off;

	snprintf(buf, 16, "%c%02u:%02u", off < 0 ? '-' : '+',
	    (unsigned)(a / 3600 % 100), (unsigned)(a / 60 % 60));
}

/* The timestamp of STAMPS at NOW, with a space after it, into BUF. */
static size_t
lineprefix_stamp(enum log_timestamps stamps, const struct timespec *now,
    char *buf, size_t len)
{
	char date[32], off[16];
	struct tm tm;
	int n;

	if (stamps == LOGTS_NONE || localtime_r(&now->tv_sec, &tm) == NULL)
		return 0;
	/* As procd's own log (log.c), so the two read alike side by side. */
	if (strftime(date, sizeof date, stamps == LOGTS_ISO8601 ?
	    "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tm) == 0)
		return 0;
	off[0] = '\0';
	if (stamps == LOGTS_ISO8601)
		lineprefix_offset(tm.tm_gmtoff, off);
	n = snprintf(buf, len, "%s.%03ld%s ", date, now->tv_nsec / 1000000,
	    off);
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

size_t
lineprefix_head(enum log_timestamps stamps, const struct timespec *now,
    const char *prefix, char *buf)
{
	size_t n = lineprefix_stamp(stamps, now, buf, LINEPREFIX_HEAD_SIZE);
	int k;

	if (prefix == NULL)
		return n;
	/* A prefix is at most LINEPREFIX_MAX (lineprefix_check): it fits. */
	k = snprintf(buf + n, LINEPREFIX_HEAD_SIZE - n, "%s", prefix);
	if (k < 0)
		return n;
	return (size_t)k < LINEPREFIX_HEAD_SIZE - n ? n + (size_t)k :
	    LINEPREFIX_HEAD_SIZE - 1;
}

void
lineprefix_apply(bool *mid_line, const char *p, size_t n, const char *head,
    size_t hlen, lineprefix_out_fn out, void *arg)
{
	const char *nl;
	size_t l;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		l = nl != NULL ? (size_t)(nl - p) + 1 : n;
		if (!*mid_line && hlen > 0)
			out(arg, head, hlen);
		out(arg, p, l);
		*mid_line = nl == NULL;
		p += l;
		n -= l;
	}
}
