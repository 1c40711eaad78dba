/*
 * cfgcheck.c -- tcp:, http:// and exec: as ready= and health= spell them
 * (cfgcheck.h).  Only the form is checked: whether anything listens is
 * the check's job (probe.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cause.h"
#include "cfgcheck.h"
#include "cfgval.h"

void
cfgcheck_free(struct check_spec *c)
{
	if (c == NULL)
		return;
	free(c->host);
	free(c->port);
	free(c->authority);
	free(c->path);
	free(c->command);
	free(c);
}

bool
cfgcheck_is(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return strncasecmp(s, "tcp:", 4) == 0 ||
	    strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0 ||
	    (strncasecmp(s, "exec:", 5) == 0 &&
	    s[5 + strspn(s + 5, " \t")] != '\0');
}

/* A port as digits (getaddrinfo's numeric service takes nothing else). */
static int
cfgcheck_port(struct check_spec *c, long port)
{
	if (asprintf(&c->port, "%ld", port) == -1) {
		c->port = NULL;
		return -1;
	}
	return 0;
}

/* "HOST:PORT" or "[V6]:PORT": both parts non-empty, PORT 1..65535. */
static int
cfgcheck_hostport(const char *s, struct check_spec *c, char **cause)
{
	char		 q[CFGVAL_QUOTE_SIZE];
	const char	*colon, *host = s, *hend;
	long		 port;

	if (*s == '[') {
		host = s + 1;
		if ((hend = strchr(host, ']')) == NULL || hend[1] != ':')
			goto bad;
		colon = hend + 1;
	} else if ((colon = strrchr(s, ':')) == NULL)
		goto bad;
	else
		hend = colon;
	if (hend == host || cfgval_int(colon + 1, 1, 65535, &port, NULL) ==
	    -1)
		goto bad;
	if ((c->host = strndup(host, (size_t)(hend - host))) == NULL ||
	    cfgcheck_port(c, port) == -1)
		return cause_set(cause, "out of memory");
	return 0;
bad:
	return cause_set(cause, "%s is not tcp:HOST:PORT (e.g. "
	    "tcp:127.0.0.1:5432 or tcp:[::1]:80)", cfgval_quote(s - 4, q,
	    sizeof q));
}

/* The part of an http:// URL before the path: HOST, HOST:PORT, [V6] or
 * [V6]:PORT.  No user info: a password has no place in a check. */
static int
cfgcheck_authority(const char *a, size_t len, struct check_spec *c)
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
	c->host = strndup(host, (size_t)(hend - host));
	c->authority = strndup(a, len);
	(void)cfgcheck_port(c, port);
	return 0;
}

/* A request target that fits a request line: printable ASCII, no blank,
 * no fragment (a client never sends one). */
static bool
cfgcheck_path_ok(const char *p)
{
	for (; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    *p == '#')
			return false;
	return true;
}

static int
cfgcheck_http(const char *url, struct check_spec *c, char **cause)
{
	char q[CFGVAL_QUOTE_SIZE];
	const char *a = url + strlen("http://");
	size_t alen = strcspn(a, "/?#");
	const char *path = a + alen;

	if (!cfgcheck_path_ok(path) || cfgcheck_authority(a, alen, c) == -1)
		return cause_set(cause, "%s is not http://HOST[:PORT][/PATH] "
		    "(e.g. http://127.0.0.1:8080/healthz)",
		    cfgval_quote(url, q, sizeof q));
	if (*path == '/')
		c->path = strdup(path);
	else if (asprintf(&c->path, "/%s", path) == -1)	/* "?x" or none */
		c->path = NULL;
	if (c->host == NULL || c->port == NULL || c->authority == NULL ||
	    c->path == NULL)
		return cause_set(cause, "out of memory");
	return 0;
}

int
cfgcheck_parse(const char *s, struct check_spec **out, char **cause)
{
	struct check_spec *c;
	char q[CFGVAL_QUOTE_SIZE];
	size_t len;
	int r = 0;

	*out = NULL;
	while (isspace((unsigned char)*s))
		s++;
	if (strncasecmp(s, "https://", 8) == 0)
		return cause_set(cause, "%s: https is not supported (check the "
		    "plain http port, or use exec: with curl)",
		    cfgval_quote(s, q, sizeof q));
	if ((c = calloc(1, sizeof *c)) == NULL)
		return cause_set(cause, "out of memory");
	if (strncasecmp(s, "tcp:", 4) == 0) {
		c->kind = CHECK_TCP;
		r = cfgcheck_hostport(s + 4, c, cause);
	} else if (strncasecmp(s, "http://", 7) == 0) {
		/* Trailing blanks are the config's, not the URL's. */
		char *url;
		for (len = strlen(s); len > 0 &&
		    isspace((unsigned char)s[len - 1]); len--)
			;
		c->kind = CHECK_HTTP;
		if ((url = strndup(s, len)) == NULL)
			r = cause_set(cause, "out of memory");
		else
			r = cfgcheck_http(url, c, cause);
		free(url);
	} else if (strncasecmp(s, "exec:", 5) == 0 &&
	    s[5 + strspn(s + 5, " \t")] != '\0') {
		c->kind = CHECK_EXEC;
		if ((c->command = strdup(s + 5)) == NULL)
			r = cause_set(cause, "out of memory");
	} else
		r = cause_set(cause, "%s is not a check (use tcp:HOST:PORT, "
		    "http://HOST:PORT/PATH or exec:COMMAND)",
		    cfgval_quote(s, q, sizeof q));
	if (r == -1) {
		cfgcheck_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

void
cfgcheck_format(const struct check_spec *c, char *out, size_t len)
{
	bool v6 = c->host != NULL && strchr(c->host, ':') != NULL;

	switch (c->kind) {
	case CHECK_TCP:
		snprintf(out, len, "tcp:%s%s%s:%s", v6 ? "[" : "", c->host,
		    v6 ? "]" : "", c->port);
		break;
	case CHECK_HTTP:
		snprintf(out, len, "http://%s%s", c->authority, c->path);
		break;
	case CHECK_EXEC:
		snprintf(out, len, "exec:%s", c->command);
		break;
	}
}

const char *
cfgcheck_kind_name(enum check_kind k)
{
	switch (k) {
	case CHECK_TCP:
		return "tcp";
	case CHECK_HTTP:
		return "http";
	case CHECK_EXEC:
		break;
	}
	return "exec";
}
