/*
 * cfghealth.c -- health=, health_interval, health_timeout, health_retries
 * and shutdown_on= of a [program:] section (cfghealth.h).
 *
 * tcp: and exec: are read by the same parser as ready= (cfgval_ready), so
 * the two keys take the same spellings; http:// is health's own.  Only
 * the form is checked here: whether anything listens is the check's job.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cause.h"
#include "cfghealth.h"
#include "cfgval.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

void
cfghealth_free(struct health_config *h)
{
	free(h->host);
	free(h->port);
	free(h->authority);
	free(h->path);
	free(h->command);
	h->host = h->port = h->authority = h->path = h->command = NULL;
	h->kind = HEALTH_NONE;
}

/* tcp:HOST:PORT and exec:COMMAND, exactly as ready= reads them. */
static int
cfghealth_as_ready(const char *s, struct health_config *h, char **cause)
{
	struct ready_config r;

	if (cfgval_ready(s, &r, cause) == -1)
		return -1;
	h->kind = r.kind == READY_TCP ? HEALTH_TCP : HEALTH_EXEC;
	h->host = r.host;
	h->port = r.port;
	h->command = r.command;
	return 0;
}

/* The part of an http:// URL before the path: HOST, HOST:PORT, [V6] or
 * [V6]:PORT.  No user info: a password has no place in a check. */
static int
cfghealth_authority(const char *a, size_t len, struct health_config *h)
{
	const char *host = a, *hend, *colon = NULL;
	long port = 80;
	char num[8];

	if (len == 0 || memchr(a, '@', len) != NULL)
		return -1;
	if (*a == '[') {
		host = a + 1;
		if ((hend = memchr(a, ']', len)) == NULL || hend == host)
			return -1;
		if (hend + 1 < a + len && (colon = hend + 1, *colon != ':'))
			return -1;
	} else {
		colon = memchr(a, ':', len);
		hend = colon != NULL ? colon : a + len;
		if (hend == host)
			return -1;
	}
	if (colon != NULL) {
		size_t n = (size_t)(a + len - colon - 1);
		if (n == 0 || n >= sizeof num)
			return -1;
		memcpy(num, colon + 1, n);
		num[n] = '\0';
		if (cfgval_int(num, 1, 65535, &port, NULL) == -1)
			return -1;
	}
	h->host = strndup(host, (size_t)(hend - host));
	h->authority = strndup(a, len);
	if (asprintf(&h->port, "%ld", port) == -1)
		h->port = NULL;
	return 0;
}

/* A request target that fits a request line: printable ASCII, no blank,
 * no fragment (a client never sends one). */
static bool
cfghealth_path_ok(const char *p)
{
	for (; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    *p == '#')
			return false;
	return true;
}

static int
cfghealth_http(const char *url, struct health_config *h, char **cause)
{
	char q[CFGVAL_QUOTE_SIZE];
	const char *a = url + strlen("http://");
	size_t alen = strcspn(a, "/?#");
	const char *path = a + alen;

	if (!cfghealth_path_ok(path) ||
	    cfghealth_authority(a, alen, h) == -1) {
		cfghealth_free(h);
		return cause_set(cause, "%s is not http://HOST[:PORT][/PATH] "
		    "(e.g. http://127.0.0.1:8080/healthz)",
		    cfgval_quote(url, q, sizeof q));
	}
	if (*path == '/')
		h->path = strdup(path);
	else if (asprintf(&h->path, "/%s", path) == -1)	/* "?x" or none */
		h->path = NULL;
	h->kind = HEALTH_HTTP;
	if (h->host == NULL || h->port == NULL || h->authority == NULL ||
	    h->path == NULL) {
		cfghealth_free(h);
		return cause_set(cause, "out of memory");
	}
	return 0;
}

int
cfghealth_check(const char *s, void *out, char **cause)
{
	struct health_config *h = out, n = { .kind = HEALTH_NONE };
	char q[CFGVAL_QUOTE_SIZE];
	size_t len;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 4 && strncasecmp(s, "none", 4) == 0)
		;
	else if (strncasecmp(s, "tcp:", 4) == 0 ||
	    strncasecmp(s, "exec:", 5) == 0) {
		if (cfghealth_as_ready(s, &n, cause) == -1)
			return -1;
	} else if (strncasecmp(s, "http://", 7) == 0) {
		if (cfghealth_http(s, &n, cause) == -1)
			return -1;
	} else if (strncasecmp(s, "https://", 8) == 0)
		return cause_set(cause, "%s: https is not supported (check the "
		    "plain http port, or use exec: with curl)",
		    cfgval_quote(s, q, sizeof q));
	else
		return cause_set(cause, "%s is not a health check (use none, "
		    "tcp:HOST:PORT, http://HOST:PORT/PATH or exec:COMMAND)",
		    cfgval_quote(s, q, sizeof q));
	n.interval = h->interval;
	n.timeout = h->timeout;
	n.retries = h->retries;
	*h = n;
	return 0;
}

int
cfghealth_shutdown_on(const char *s, void *out, char **cause)
{
	static const char *const names[] = {
		[SHUTDOWN_ON_NEVER] = "never",
		[SHUTDOWN_ON_FATAL] = "fatal",
		[SHUTDOWN_ON_UNEXPECTED] = "unexpected",
		[SHUTDOWN_ON_EXIT] = "exit",
	};
	_Static_assert(nitems(names) == SHUTDOWN_ON_EXIT + 1, "names");
	char q[CFGVAL_QUOTE_SIZE], w[16];
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n < sizeof w) {
		memcpy(w, s, n);
		w[n] = '\0';
		for (size_t i = 0; i < nitems(names); i++)
			if (strcasecmp(w, names[i]) == 0) {
				*(enum shutdown_on *)out = (enum shutdown_on)i;
				return 0;
			}
	}
	return cause_set(cause, "%s is not one of never, fatal, unexpected, "
	    "exit", cfgval_quote(s, q, sizeof q));
}

/* health_interval, health_timeout, health_retries, with their ranges. */
static int
cfghealth_numbers(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgexp *exp, struct health_config *h)
{
	long interval = CONFIG_HEALTH_INTERVAL_DEFAULT,
	    timeout = CONFIG_HEALTH_TIMEOUT_DEFAULT,
	    retries = CONFIG_HEALTH_RETRIES_DEFAULT;
	int bad = 0;

	bad |= cfgget_int(st, s, "health_interval", exp, 1, 86400, &interval);
	bad |= cfgget_int(st, s, "health_timeout", exp, 1, 3600, &timeout);
	bad |= cfgget_int(st, s, "health_retries", exp, 1, 1000, &retries);
	h->interval = (int)interval;
	h->timeout = (int)timeout;
	h->retries = (int)retries;
	return bad;
}

/* health_* without health= does nothing: say so, once per section. */
static void
cfghealth_unused(struct cfgstore *st, const struct cfgsect *s)
{
	static const char *const keys[] = {
		"health_interval", "health_timeout", "health_retries",
	};
	const struct cfgkey *k;

	for (size_t i = 0; i < nitems(keys); i++)
		if ((k = cfgstore_key(s, keys[i])) != NULL)
			cfgstore_diag(st, s, k, DIAG_WARNING, "does nothing "
			    "without health=");
}

int
cfghealth_settings(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgexp *exp, struct program_config *p, bool first)
{
	int bad = 0;

	p->shutdown_on = SHUTDOWN_ON_NEVER;
	bad |= cfghealth_numbers(st, s, exp, &p->health);
	bad |= cfgget_typed(st, s, "health", exp, cfghealth_check,
	    &p->health);
	bad |= cfgget_typed(st, s, "shutdown_on", exp, cfghealth_shutdown_on,
	    &p->shutdown_on);
	if (bad == 0 && first && p->health.kind == HEALTH_NONE)
		cfghealth_unused(st, s);
	return bad;
}
