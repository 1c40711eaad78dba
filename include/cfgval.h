/*
 * cfgval.h -- pure parsers for typed config values, as supervisord reads them.
 *
 * Each takes the (already %(x)s-expanded) text of one value and returns 0 with
 * the result, or -1 with *CAUSE set to a malloc'd sentence about the value
 * alone (e.g. "\"abc\" is not a number"); the caller prefixes the section and
 * key.  *CAUSE is NULL only when even that allocation failed.  Nothing here
 * knows about files, sections or the environment.
 */
#ifndef PROCD_CFGVAL_H
#define PROCD_CFGVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* true/false, yes/no, on/off, 1/0 (any case, surrounding blanks allowed). */
int		 cfgval_bool(const char *, bool *, char **cause);
/* A decimal integer in [MIN, MAX]. */
int		 cfgval_int(const char *, long min, long max, long *,
		    char **cause);
/* 1024, 10KB, 50MB, 1GB (any case; KB = 1024). */
int		 cfgval_size(const char *, uint64_t *, char **cause);
/* An octal number in [0, MAX] (a mode or a umask: "022", "0o22"). */
int		 cfgval_octal(const char *, int max, int *, char **cause);
/* A signal as supervisord's signal_number() takes it: a name with or
 * without SIG in any case (TERM, SIGTERM, term; Python's second names CLD,
 * IOT, POLL; RTMIN, RTMAX), or the number of a named or real-time signal.
 * stopsignal= and procctl signal both parse with this. */
int		 cfgval_signal(const char *, int *, char **cause);
/* "TERM" for SIGTERM; NULL for a number without a name. */
const char	*cfgval_signame(int);
/* "0,2": a bitset of exit statuses 0..255 (BITS has 256 / 8 bytes). */
int		 cfgval_exitcodes(const char *, uint8_t *bits, char **cause);
/* true/false (any boolean spelling) or unexpected. */
/* "linear" or "exponential". */
int		 cfgval_backoff(const char *, void *out, char **cause);
/* A count of retries (0..INT_MAX) or "infinite" (CONFIG_RETRIES_INFINITE). */
int		 cfgval_retries(const char *, void *out, char **cause);
/* "N/SECONDS" into out[0] = N, out[1] = SECONDS; "0" turns it off. */
int		 cfgval_rate(const char *, void *out, char **cause);
/* ready=: startsecs, notify, fd:N, tcp:HOST:PORT, exec:COMMAND into a
 * struct ready_config (strings allocated; cfgval_ready_free them). */
int		 cfgval_ready(const char *, void *out, char **cause);
void		 cfgval_ready_free(struct ready_config *);
/* "a, b,c" into a NULL-terminated vector of stripped items ("" is none);
 * NULL when memory ran out. */
char		**cfgval_list(const char *);
void		 cfgval_list_free(char **);
int		 cfgval_autorestart(const char *, enum autorestart *,
		    char **cause);

/*
 * For messages about values (also used by expand, shellwords, envlist and
 * the loader): CFGVAL_QUOTE writes V quoted into BUF, shortened with "..."
 * when long, so a 4 KiB command never floods a diagnostic.  (cause_set,
 * cause.h, makes the message: "return cause_set(cause, ...)".)
 */
#define CFGVAL_QUOTE_MAX 72			/* characters of V shown */
#define CFGVAL_QUOTE_SIZE (CFGVAL_QUOTE_MAX + 8)	/* a BUF that fits */
const char	*cfgval_quote(const char *v, char *buf, size_t len);

#endif
