/*
 * fuzz_sockets.c -- socket URLs and the sockets= list (sockspec.c), which
 * come from config files.
 *
 * The first byte picks the parser (even: one URL, as [fcgi-program:]
 * socket=; odd: a sockets= list), the rest is the value (up to a NUL).
 * Promises checked besides survival:
 *   - a parsed URL is canonical: it parses again to itself;
 *   - a TCP port is 1-65535 digits; a unix path is absolute, normalized
 *     (no "//", "/./", "/../", no trailing '/') and fits sun_path;
 *   - a list holds 1 to SOCKSPEC_MAX entries, no URL twice, names
 *     without ':', mode= and owner= only on unix sockets, and every
 *     entry survives a copy unchanged (sockspec_same);
 *   - every failure comes with a cause.
 */
#include <string.h>
#include <sys/un.h>

#include "fuzz.h"
#include "sockspec.h"

/* URL parses again, to itself. */
static void
fuzz_sockets_canonical(const struct sockspec *s)
{
	struct sockspec again;
	char *cause = NULL;

	FUZZ_CHECK(sockspec_url(s->url, &again, &cause) == 0);
	FUZZ_CHECK(strcmp(again.url, s->url) == 0);
	FUZZ_CHECK(again.kind == s->kind);
	sockspec_free(&again);
}

static void
fuzz_sockets_check(const struct sockspec *s)
{
	long port;

	fuzz_sockets_canonical(s);
	if (s->kind == SOCKSPEC_TCP) {
		FUZZ_CHECK(s->host != NULL && *s->host != '\0');
		FUZZ_CHECK(strspn(s->port, "0123456789") == strlen(s->port));
		port = strtol(s->port, NULL, 10);
		FUZZ_CHECK(port >= 1 && port <= 65535);
		FUZZ_CHECK(s->path == NULL && s->mode == -1 &&
		    s->owner == NULL);
		return;
	}
	FUZZ_CHECK(s->kind == SOCKSPEC_UNIX && s->path[0] == '/');
	FUZZ_CHECK(strlen(s->path) < sizeof(((struct sockaddr_un *)0)->
	    sun_path));
	FUZZ_CHECK(strstr(s->path, "//") == NULL);
	FUZZ_CHECK(strstr(s->path, "/./") == NULL);
	FUZZ_CHECK(strstr(s->path, "/../") == NULL);
	FUZZ_CHECK(s->path[strlen(s->path) - 1] != '/');
	FUZZ_CHECK(s->mode >= -1 && s->mode <= 0777);
}

static void
fuzz_sockets_url(const char *text)
{
	struct sockspec s;
	char *cause = NULL;

	if (sockspec_url(text, &s, &cause) == -1) {
		FUZZ_CHECK(cause != NULL && *cause != '\0');
		free(cause);
		return;
	}
	fuzz_sockets_check(&s);
	sockspec_free(&s);
}

static void
fuzz_sockets_list(const char *text)
{
	struct sockspec *v, c;
	char *cause = NULL;
	size_t n;

	if (sockspec_list(text, &v, &n, &cause) == -1) {
		FUZZ_CHECK(cause != NULL && *cause != '\0');
		free(cause);
		return;
	}
	FUZZ_CHECK(n >= 1 && n <= SOCKSPEC_MAX);
	for (size_t i = 0; i < n; i++) {
		fuzz_sockets_check(&v[i]);
		FUZZ_CHECK(v[i].name == NULL || (strchr(v[i].name, ':') ==
		    NULL && *v[i].name != '\0'));
		FUZZ_CHECK(v[i].backlog == -1 || (v[i].backlog >= 1 &&
		    v[i].backlog <= SOCKSPEC_BACKLOG_MAX));
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(v[i].url, v[j].url) != 0);
		FUZZ_CHECK(sockspec_copy(&c, &v[i]) == 0);
		FUZZ_CHECK(sockspec_same(&c, &v[i]));
		sockspec_free(&c);
	}
	sockspec_list_free(v, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size == 0)
		return 0;
	if ((text = malloc(size)) == NULL)
		abort();
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (data[0] % 2 == 0)
		fuzz_sockets_url(text);
	else
		fuzz_sockets_list(text);
	free(text);
	return 0;
}
