/*
 * cfgval.c -- pure parsers for typed config values (booleans, integers,
 * sizes, octal modes, signals, exit codes, autorestart).
 *
 * The accepted spellings are supervisord's (supervisor/datatypes.py), which
 * leans on Python's int(): blanks around a number, a sign, and single
 * underscores between digits are all allowed.  Messages talk about the value
 * only; the loader puts "FILE:LINE: [section] key: " in front.
 */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cause.h"
#include "cfgcheck.h"
#include "cfgval.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* Linux signal names, indexed by number, as Python's signal module has them. */
static const char *const cfgval_signames[] = {
	[SIGHUP] = "HUP",	[SIGINT] = "INT",	[SIGQUIT] = "QUIT",
	[SIGILL] = "ILL",	[SIGTRAP] = "TRAP",	[SIGABRT] = "ABRT",
	[SIGBUS] = "BUS",	[SIGFPE] = "FPE",	[SIGKILL] = "KILL",
	[SIGUSR1] = "USR1",	[SIGSEGV] = "SEGV",	[SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE",	[SIGALRM] = "ALRM",	[SIGTERM] = "TERM",
	[SIGSTKFLT] = "STKFLT",	[SIGCHLD] = "CHLD",	[SIGCONT] = "CONT",
	[SIGSTOP] = "STOP",	[SIGTSTP] = "TSTP",	[SIGTTIN] = "TTIN",
	[SIGTTOU] = "TTOU",	[SIGURG] = "URG",	[SIGXCPU] = "XCPU",
	[SIGXFSZ] = "XFSZ",	[SIGVTALRM] = "VTALRM",	[SIGPROF] = "PROF",
	[SIGWINCH] = "WINCH",	[SIGIO] = "IO",		[SIGPWR] = "PWR",
	[SIGSYS] = "SYS",
};
_Static_assert(nitems(cfgval_signames) <= NSIG,
    "signal name table larger than the signal space");

/* Second names Python also knows; looked up only after the table above. */
static const struct {
	const char	*name;
	int		 sig;
} cfgval_sigaliases[] = {
	{ "IOT", SIGABRT },
	{ "CLD", SIGCHLD },
	{ "POLL", SIGIO },
};

const char *
cfgval_quote(const char *v, char *buf, size_t len)
{
	size_t	n = strlen(v);

	if (len < 8) {
		if (len > 0)
			buf[0] = '\0';
		return buf;
	}
	if (n + 3 <= len && n <= CFGVAL_QUOTE_MAX)
		snprintf(buf, len, "\"%s\"", v);
	else {
		n = len - 6;
		if (n > CFGVAL_QUOTE_MAX)
			n = CFGVAL_QUOTE_MAX;
		snprintf(buf, len, "\"%.*s...\"", (int)n, v);
	}
	return buf;
}

/*
 * Python's int(S, BASE) for a plain string: blanks around, an optional sign,
 * an optional 0o prefix in base 8, digits with single '_' between them.
 * Returns 0, -1 (not a number) or -2 (does not fit a long).
 */
static int
cfgval_pyint(const char *s, int base, long *out)
{
	unsigned long	 v = 0, lim;
	int		 neg = 0, d, ndig = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '+' || *s == '-')
		neg = (*s++ == '-');
	if (base == 8 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O') &&
	    s[2] != '\0') {
		s += 2;
		if (*s == '_')
			s++;
	}
	lim = neg ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;
	for (; *s != '\0'; s++) {
		if (*s == '_' && ndig > 0 && isdigit((unsigned char)s[1]))
			continue;
		if (!isdigit((unsigned char)*s) || (d = *s - '0') >= base)
			break;
		if (v > (lim - d) / base)
			return -2;
		v = v * base + d;
		ndig++;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (ndig == 0 || *s != '\0')
		return -1;
	*out = neg ? (long)(0 - v) : (long)v;
	return 0;
}

/* Lower-cased copy of S without surrounding blanks, into BUF (bounded). */
static const char *
cfgval_word(const char *s, char *buf, size_t len)
{
	size_t	n = 0;

	while (isspace((unsigned char)*s))
		s++;
	while (*s != '\0' && n + 1 < len)
		buf[n++] = tolower((unsigned char)*s++);
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		n--;
	buf[n] = '\0';
	return *s == '\0' ? buf : "";	/* too long: matches no word */
}

/* 1 for a true spelling, 0 for a false one, -1 for neither. */
static int
cfgval_truth(const char *s)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	char	 buf[16];
	size_t	 i;

	s = cfgval_word(s, buf, sizeof buf);
	for (i = 0; i < nitems(yes); i++) {
		if (strcmp(s, yes[i]) == 0)
			return 1;
		if (strcmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

int
cfgval_bool(const char *s, bool *out, char **cause)
{
	char	q[CFGVAL_QUOTE_SIZE];
	int	t;

	if ((t = cfgval_truth(s)) == -1)
		return cause_set(cause, "%s is not a boolean (use true/false, "
		    "yes/no, on/off or 1/0)", cfgval_quote(s, q, sizeof q));
	*out = t;
	return 0;
}

int
cfgval_int(const char *s, long min, long max, long *out, char **cause)
{
	char	q[CFGVAL_QUOTE_SIZE];
	long	v;
	int	r;

	if ((r = cfgval_pyint(s, 10, &v)) == -1)
		return cause_set(cause, "%s is not a number",
		    cfgval_quote(s, q, sizeof q));
	if (r == -2 || v < min || v > max)
		return cause_set(cause, "%s is out of range (%ld to %ld)",
		    cfgval_quote(s, q, sizeof q), min, max);
	*out = v;
	return 0;
}

int
cfgval_size(const char *s, uint64_t *out, char **cause)
{
	static const struct {
		const char	*suffix;
		uint64_t	 mult;
	} units[] = {
		{ "kb", 1ULL << 10 }, { "mb", 1ULL << 20 }, { "gb", 1ULL << 30 },
	};
	char	 q[CFGVAL_QUOTE_SIZE], *num;
	size_t	 n = strlen(s), i;
	uint64_t mult = 1;
	long	 v;
	int	 r;

	/* Like supervisord, the suffix is the last two characters as is. */
	for (i = 0; n >= 2 && i < nitems(units); i++) {
		if (strcasecmp(s + n - 2, units[i].suffix) == 0) {
			mult = units[i].mult;
			n -= 2;
			break;
		}
	}
	if ((num = strndup(s, n)) == NULL)
		return cause_set(cause, "out of memory");
	r = cfgval_pyint(num, 10, &v);
	free(num);
	if (r == -1)
		return cause_set(cause, "%s is not a size (a number of bytes, "
		    "optionally with KB, MB or GB)", cfgval_quote(s, q, sizeof q));
	if (r == 0 && v < 0)
		return cause_set(cause, "%s is negative",
		    cfgval_quote(s, q, sizeof q));
	if (r == -2 || (uint64_t)v > UINT64_MAX / mult)
		return cause_set(cause, "%s is too large",
		    cfgval_quote(s, q, sizeof q));
	*out = (uint64_t)v * mult;
	return 0;
}

int
cfgval_octal(const char *s, int max, int *out, char **cause)
{
	char	q[CFGVAL_QUOTE_SIZE];
	long	v;
	int	r;

	if ((r = cfgval_pyint(s, 8, &v)) == -1)
		return cause_set(cause, "%s is not an octal number",
		    cfgval_quote(s, q, sizeof q));
	if (r == -2 || v < 0 || v > max)
		return cause_set(cause, "%s is out of range (0 to 0%o)",
		    cfgval_quote(s, q, sizeof q), (unsigned)max);
	*out = (int)v;
	return 0;
}

const char *
cfgval_signame(int sig)
{
	if (sig <= 0 || (size_t)sig >= nitems(cfgval_signames))
		return NULL;
	return cfgval_signames[sig];
}

/* The number of signal NAME (upper case, without "SIG"), or -1. */
static int
cfgval_signum(const char *name)
{
	size_t	i;

	for (i = 1; i < nitems(cfgval_signames); i++) {
		if (cfgval_signames[i] != NULL &&
		    strcmp(cfgval_signames[i], name) == 0)
			return (int)i;
	}
	for (i = 0; i < nitems(cfgval_sigaliases); i++) {
		if (strcmp(cfgval_sigaliases[i].name, name) == 0)
			return cfgval_sigaliases[i].sig;
	}
	/* Python names these two too; glibc knows them only at run time. */
	if (strcmp(name, "RTMIN") == 0)
		return SIGRTMIN;
	if (strcmp(name, "RTMAX") == 0)
		return SIGRTMAX;
	return -1;
}

int
cfgval_signal(const char *s, int *out, char **cause)
{
	char	 q[CFGVAL_QUOTE_SIZE], buf[32], *p;
	long	 v;
	int	 sig;

	if (cfgval_pyint(s, 10, &v) == 0) {
		if (v <= 0 || v >= NSIG || (cfgval_signame(v) == NULL &&
		    (v < SIGRTMIN || v > SIGRTMAX)))
			return cause_set(cause, "%s is not a valid signal "
			    "number", cfgval_quote(s, q, sizeof q));
		*out = (int)v;
		return 0;
	}
	cfgval_word(s, buf, sizeof buf);
	for (p = buf; *p != '\0'; p++)
		*p = toupper((unsigned char)*p);
	p = strncmp(buf, "SIG", 3) == 0 ? buf + 3 : buf;
	if ((sig = cfgval_signum(p)) == -1)
		return cause_set(cause, "%s is not a signal name (such as "
		    "TERM, INT, QUIT, KILL, HUP, USR1)",
		    cfgval_quote(s, q, sizeof q));
	*out = sig;
	return 0;
}

int
cfgval_exitcodes(const char *s, uint8_t *bits, char **cause)
{
	char	 q[CFGVAL_QUOTE_SIZE], *copy, *p, *item;
	long	 v;
	int	 r = 0;

	memset(bits, 0, 256 / 8);
	/* supervisord: an empty value is an empty list, not an error. */
	if (*s == '\0')
		return 0;
	if ((copy = strdup(s)) == NULL)
		return cause_set(cause, "out of memory");
	for (p = copy; (item = strsep(&p, ",")) != NULL;) {
		if (cfgval_pyint(item, 10, &v) != 0 || v < 0 || v > 255) {
			r = cause_set(cause, "%s is not a list of exit codes "
			    "(0 to 255, separated by commas)",
			    cfgval_quote(s, q, sizeof q));
			break;
		}
		bits[v / 8] |= 1U << (v % 8);
	}
	free(copy);
	return r;
}

int
cfgval_autorestart(const char *s, enum autorestart *out, char **cause)
{
	char	q[CFGVAL_QUOTE_SIZE], buf[16];

	switch (cfgval_truth(s)) {
	case 1:
		*out = AUTORESTART_TRUE;
		return 0;
	case 0:
		*out = AUTORESTART_FALSE;
		return 0;
	}
	if (strcmp(cfgval_word(s, buf, sizeof buf), "unexpected") == 0) {
		*out = AUTORESTART_UNEXPECTED;
		return 0;
	}
	return cause_set(cause, "%s is not true, false or unexpected",
	    cfgval_quote(s, q, sizeof q));
}

int
cfgval_backoff(const char *s, void *out, char **cause)
{
	char	q[CFGVAL_QUOTE_SIZE], buf[16];
	const char *w = cfgval_word(s, buf, sizeof buf);

	if (strcmp(w, "linear") == 0)
		*(enum backoff_kind *)out = BACKOFF_LINEAR;
	else if (strcmp(w, "exponential") == 0)
		*(enum backoff_kind *)out = BACKOFF_EXPONENTIAL;
	else
		return cause_set(cause, "%s is not linear or exponential",
		    cfgval_quote(s, q, sizeof q));
	return 0;
}

int
cfgval_retries(const char *s, void *out, char **cause)
{
	char	buf[16];
	long	v;

	if (strcmp(cfgval_word(s, buf, sizeof buf), "infinite") == 0) {
		*(int *)out = CONFIG_RETRIES_INFINITE;
		return 0;
	}
	if (cfgval_int(s, 0, INT_MAX, &v, cause) == -1)
		return -1;
	*(int *)out = (int)v;
	return 0;
}

int
cfgval_rate(const char *s, void *out, char **cause)
{
	char	q[CFGVAL_QUOTE_SIZE], *end;
	int	*rate = out;
	long	n, secs;

	n = strtol(s, &end, 10);
	if (end != s && *end == '\0' && n == 0) {
		rate[0] = rate[1] = 0;
		return 0;
	}
	if (end == s || *end != '/' || n < 1 || n > 1000000)
		goto bad;
	secs = strtol(end + 1, &end, 10);
	if (*end != '\0' || secs < 1 || secs > 86400 * 365)
		goto bad;
	rate[0] = (int)n;
	rate[1] = (int)secs;
	return 0;
bad:
	return cause_set(cause, "%s is not N/SECONDS (e.g. 5/60) or 0",
	    cfgval_quote(s, q, sizeof q));
}

char **
cfgval_list(const char *list)
{
	const char	*p, *b, *e;
	char		**v;
	size_t		 n = 1;

	for (p = list; *p != '\0'; p++)
		n += *p == ',';
	if ((v = calloc(n + 1, sizeof *v)) == NULL || *list == '\0')
		return v;
	for (n = 0, p = list;; p = e + 1) {
		e = p + strcspn(p, ",");
		for (b = p; b < e && strchr(" \t\r\n", *b) != NULL; b++)
			;
		while (e > b && strchr(" \t\r\n", e[-1]) != NULL)
			e--;
		if ((v[n++] = strndup(b, e - b)) == NULL) {
			cfgval_list_free(v);
			return NULL;
		}
		e = b + strcspn(b, ",");
		if (*e == '\0')
			return v;
	}
}

void
cfgval_list_free(char **v)
{
	for (char **p = v; p != NULL && *p != NULL; p++)
		free(*p);
	free(v);
}

void
cfgval_ready_free(struct ready_config *r)
{
	cfgcheck_free(r->check);
	memset(r, 0, sizeof *r);
}

int
cfgval_ready(const char *s, void *out, char **cause)
{
	struct ready_config	 r = { READY_STARTSECS, 0, NULL };
	char			 q[CFGVAL_QUOTE_SIZE], buf[16];
	const char		*w = cfgval_word(s, buf, sizeof buf);
	long			 fd;

	while (isspace((unsigned char)*s))
		s++;
	if (strcmp(w, "startsecs") == 0)
		r.kind = READY_STARTSECS;
	else if (strcmp(w, "notify") == 0)
		r.kind = READY_NOTIFY;
	else if (strncasecmp(s, "fd:", 3) == 0) {
		if (cfgval_int(s + 3, 3, 1023, &fd, NULL) == -1)
			return cause_set(cause, "%s: the descriptor must be "
			    "a number from 3 to 1023", cfgval_quote(s, q,
			    sizeof q));
		r.kind = READY_FD;
		r.fd = (int)fd;
	} else if (cfgcheck_is(s)) {
		r.kind = READY_CHECK;
		if (cfgcheck_parse(s, &r.check, cause) == -1)
			return -1;
	} else
		return cause_set(cause, "%s is not a readiness check (use "
		    "startsecs, notify, fd:N, tcp:HOST:PORT, "
		    "http://HOST:PORT/PATH or exec:COMMAND)",
		    cfgval_quote(s, q, sizeof q));
	*(struct ready_config *)out = r;
	return 0;
}
