/*
 * sockspec.c -- socket URLs and the sockets= list (sockspec.h): pure
 * parsing, no system calls, fuzzed with the config (tests/fuzz).
 *
 * The URL forms are supervisord's (its parse_fcgi_socket): tcp:// takes a
 * HOST without ':' or blanks and a decimal PORT; unix:// an absolute path
 * (a relative one is an error there too), normalized as os.path.normpath
 * does.  procd adds [IPv6] hosts.  Messages talk about the value only; the
 * loader puts "FILE:LINE: [section] key: " in front.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "cause.h"
#include "cfgval.h"
#include "sockspec.h"

#define TCP_PREFIX	"tcp://"
#define UNIX_PREFIX	"unix://"
/* sun_path holds the path and its NUL. */
#define UNIX_PATH_MAX	(sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

static bool
sockspec_has_ctrl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* "1" .. "65535", digits only. */
static bool
sockspec_port_ok(const char *p)
{
	long v = 0;

	if (*p == '\0' || strlen(p) > 5)
		return false;
	for (const char *c = p; *c != '\0'; c++) {
		if (!isdigit((unsigned char)*c))
			return false;
		v = v * 10 + (*c - '0');
	}
	return v >= 1 && v <= 65535;
}

/* HOST:PORT or [HOST]:PORT after tcp:// into SPEC. */
static int
sockspec_tcp(const char *text, struct sockspec *spec, char **cause)
{
	char q[CFGVAL_QUOTE_SIZE];
	const char *rest = text + strlen(TCP_PREFIX), *colon, *host = rest;
	size_t hlen;
	bool v6 = *rest == '[';

	if (v6) {
		const char *end = strchr(rest, ']');
		if (end == NULL || end[1] != ':')
			return cause_set(cause, "%s: an [IPv6] host needs its "
			    "']' and then :PORT", cfgval_quote(text, q,
			    sizeof q));
		host = rest + 1;
		hlen = (size_t)(end - host);
		colon = end + 1;
	} else {
		colon = strrchr(rest, ':');
		hlen = colon != NULL ? (size_t)(colon - rest) : 0;
	}
	if (colon == NULL || hlen == 0)
		return cause_set(cause, "%s: expected tcp://HOST:PORT",
		    cfgval_quote(text, q, sizeof q));
	if (!v6 && memchr(host, ':', hlen) != NULL)
		return cause_set(cause, "%s: an IPv6 host goes in "
		    "brackets (tcp://[::1]:8000)", cfgval_quote(text, q,
		    sizeof q));
	for (size_t i = 0; i < hlen; i++)
		if (isspace((unsigned char)host[i]) || host[i] == '[' ||
		    host[i] == ']' || host[i] == '/')
			return cause_set(cause, "%s: bad host",
			    cfgval_quote(text, q, sizeof q));
	if (!sockspec_port_ok(colon + 1))
		return cause_set(cause, "%s: the port must be a number "
		    "from 1 to 65535", cfgval_quote(text, q, sizeof q));
	spec->kind = SOCKSPEC_TCP;
	if ((spec->host = strndup(host, hlen)) == NULL ||
	    (spec->port = strdup(colon + 1)) == NULL)
		return cause_set(cause, "out of memory");
	/* supervisord compares hosts without case. */
	for (char *c = spec->host; *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);
	if (asprintf(&spec->url, v6 ? "tcp://[%s]:%s" : "tcp://%s:%s",
	    spec->host, spec->port) == -1) {
		spec->url = NULL;
		return cause_set(cause, "out of memory");
	}
	return 0;
}

/* Copy absolute PATH to OUT, normalized: no "//", "." or "..". */
static void
sockspec_normalize(const char *path, char *out)
{
	char *o = out;

	*o = '\0';
	while (*path != '\0') {
		size_t n;
		while (*path == '/')
			path++;
		n = strcspn(path, "/");
		if (n == 0)
			break;
		if (n == 1 && path[0] == '.') {
			/* nothing */
		} else if (n == 2 && path[0] == '.' && path[1] == '.') {
			while (o > out && *--o != '/')
				;
			*o = '\0';
		} else {
			*o++ = '/';
			memcpy(o, path, n);
			o += n;
			*o = '\0';
		}
		path += n;
	}
	if (o == out)
		strcpy(out, "/");
}

/* The absolute path after unix:// into SPEC. */
static int
sockspec_unix(const char *text, struct sockspec *spec, char **cause)
{
	const char *rest = text + strlen(UNIX_PREFIX);
	char q[CFGVAL_QUOTE_SIZE], *norm;

	if (rest[0] != '/')
		return cause_set(cause, "%s: the path must be absolute "
		    "(unix:///PATH; %%(here)s is the config file's directory)",
		    cfgval_quote(text, q, sizeof q));
	if ((norm = malloc(strlen(rest) + 2)) == NULL)
		return cause_set(cause, "out of memory");
	sockspec_normalize(rest, norm);
	if (strcmp(norm, "/") == 0) {
		free(norm);
		return cause_set(cause, "%s: names no file",
		    cfgval_quote(text, q, sizeof q));
	}
	if (strlen(norm) > UNIX_PATH_MAX) {
		size_t n = strlen(norm);
		free(norm);
		return cause_set(cause, "%s: the path is too long for "
		    "a unix socket (%zu bytes; at most %zu)", cfgval_quote(text,
		    q, sizeof q), n, UNIX_PATH_MAX);
	}
	spec->kind = SOCKSPEC_UNIX;
	spec->path = norm;
	if (asprintf(&spec->url, "unix://%s", norm) == -1) {
		spec->url = NULL;
		return cause_set(cause, "out of memory");
	}
	return 0;
}

int
sockspec_url(const char *text, struct sockspec *spec, char **cause)
{
	char q[CFGVAL_QUOTE_SIZE];
	int r;

	memset(spec, 0, sizeof *spec);
	spec->mode = spec->backlog = -1;
	if (sockspec_has_ctrl(text))
		r = cause_set(cause, "%s: control character in a socket "
		    "address", cfgval_quote(text, q, sizeof q));
	else if (strncmp(text, TCP_PREFIX, strlen(TCP_PREFIX)) == 0)
		r = sockspec_tcp(text, spec, cause);
	else if (strncmp(text, UNIX_PREFIX, strlen(UNIX_PREFIX)) == 0)
		r = sockspec_unix(text, spec, cause);
	else
		r = cause_set(cause, "%s: expected tcp://HOST:PORT or "
		    "unix:///PATH", cfgval_quote(text, q, sizeof q));
	if (r == -1)
		sockspec_free(spec);
	return r;
}

/* A LISTEN_FDNAMES entry: printable ASCII, no ':' (the separator). */
static bool
sockspec_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > SOCKSPEC_NAME_MAX)
		return false;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f || *s == ':')
			return false;
	return true;
}

/* One KEY=VALUE option after a URL in sockets=. */
static int
sockspec_option(struct sockspec *spec, const char *word, char **cause)
{
	char q[CFGVAL_QUOTE_SIZE];
	const char *eq = strchr(word, '='), *v;
	size_t klen;
	long n;

	if (eq == NULL)
		return cause_set(cause, "%s: %s is not an option (name=, "
		    "backlog=, mode=, owner=; entries are separated by ',')",
		    spec->url, cfgval_quote(word, q, sizeof q));
	klen = (size_t)(eq - word);
	v = eq + 1;
	if (klen == 4 && strncmp(word, "name", 4) == 0) {
		if (!sockspec_name_ok(v))
			return cause_set(cause, "%s: name=%s: 1 to %d printable "
			    "characters, no ':'", spec->url, cfgval_quote(v, q,
			    sizeof q), SOCKSPEC_NAME_MAX);
		free(spec->name);
		return (spec->name = strdup(v)) == NULL ?
		    cause_set(cause, "out of memory") : 0;
	}
	if (klen == 7 && strncmp(word, "backlog", 7) == 0) {
		if (cfgval_int(v, 1, SOCKSPEC_BACKLOG_MAX, &n, cause) == -1)
			return -1;
		spec->backlog = (int)n;
		return 0;
	}
	if ((klen == 4 && strncmp(word, "mode", 4) == 0) ||
	    (klen == 5 && strncmp(word, "owner", 5) == 0)) {
		if (spec->kind != SOCKSPEC_UNIX)
			return cause_set(cause, "%s: %.*s= is only for a unix "
			    "socket", spec->url, (int)klen, word);
		if (klen == 4)
			return cfgval_octal(v, 0777, &spec->mode, cause);
		if (*v == '\0')
			return cause_set(cause, "%s: owner= is empty",
			    spec->url);
		free(spec->owner);
		return (spec->owner = strdup(v)) == NULL ?
		    cause_set(cause, "out of memory") : 0;
	}
	return cause_set(cause, "%s: unknown option %s (name=, backlog=, "
	    "mode=, owner=)", spec->url, cfgval_quote(word, q, sizeof q));
}

/* One entry of sockets= (its text, ',' excluded) into SPEC. */
static int
sockspec_entry(char *item, struct sockspec *spec, char **cause)
{
	const char *blanks = " \t\r\n";
	char *word, *save = NULL;

	if ((word = strtok_r(item, blanks, &save)) == NULL)
		return cause_set(cause, "an empty entry (two commas in a row?)");
	if (sockspec_url(word, spec, cause) == -1)
		return -1;
	while ((word = strtok_r(NULL, blanks, &save)) != NULL) {
		if (sockspec_option(spec, word, cause) == -1) {
			sockspec_free(spec);
			return -1;
		}
	}
	return 0;
}

/* The entry of V[0..N) that binds what SPEC does, or NULL. */
static const struct sockspec *
sockspec_dup(const struct sockspec *v, size_t n, const struct sockspec *spec)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].url, spec->url) == 0)
			return &v[i];
	return NULL;
}

int
sockspec_list(const char *text, struct sockspec **out, size_t *nout,
    char **cause)
{
	struct sockspec *v;
	char *copy, *item, *next;
	size_t n = 0;

	if ((v = calloc(SOCKSPEC_MAX, sizeof *v)) == NULL ||
	    (copy = strdup(text)) == NULL) {
		free(v);
		return cause_set(cause, "out of memory");
	}
	for (item = copy; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if (item[strspn(item, " \t\r\n")] == '\0' && next == NULL &&
		    n > 0)
			break;		/* a trailing comma */
		if (n == SOCKSPEC_MAX) {
			cause_set(cause, "more than %d sockets", SOCKSPEC_MAX);
			goto fail;
		}
		if (sockspec_entry(item, &v[n], cause) == -1)
			goto fail;
		if (sockspec_dup(v, n, &v[n]) != NULL) {
			cause_set(cause, "%s is listed twice", v[n].url);
			sockspec_free(&v[n]);
			goto fail;
		}
		n++;
	}
	free(copy);
	/* Room was made for SOCKSPEC_MAX: give back what is not used. */
	if ((*out = reallocarray(v, n, sizeof *v)) == NULL)
		*out = v;
	*nout = n;
	return 0;
fail:
	free(copy);
	sockspec_list_free(v, n);
	return -1;
}

static bool
sockspec_streq(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

bool
sockspec_same(const struct sockspec *a, const struct sockspec *b)
{
	return strcmp(a->url, b->url) == 0 && sockspec_streq(a->owner,
	    b->owner) && a->mode == b->mode && a->backlog == b->backlog;
}

/* strdup of S, NULL staying NULL; false when memory ran out. */
static bool
sockspec_strdup(char **out, const char *s)
{
	*out = s != NULL ? strdup(s) : NULL;
	return s == NULL || *out != NULL;
}

int
sockspec_copy(struct sockspec *b, const struct sockspec *a)
{
	*b = *a;
	b->url = b->host = b->port = b->path = b->name = b->owner = NULL;
	if (!sockspec_strdup(&b->url, a->url) ||
	    !sockspec_strdup(&b->host, a->host) ||
	    !sockspec_strdup(&b->port, a->port) ||
	    !sockspec_strdup(&b->path, a->path) ||
	    !sockspec_strdup(&b->name, a->name) ||
	    !sockspec_strdup(&b->owner, a->owner)) {
		sockspec_free(b);
		return -1;
	}
	return 0;
}

void
sockspec_free(struct sockspec *spec)
{
	free(spec->url);
	free(spec->host);
	free(spec->port);
	free(spec->path);
	free(spec->name);
	free(spec->owner);
	memset(spec, 0, sizeof *spec);
	spec->mode = spec->backlog = -1;
}

void
sockspec_list_free(struct sockspec *v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		sockspec_free(&v[i]);
	free(v);
}
