/*
 * dashguard.c -- cross-site request forgery checks for the dashboard's
 * POSTs (dashguard.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "dashguard.h"

static char		dashguard_tok[DASHGUARD_TOKEN_LEN + 1];
static pthread_once_t	dashguard_once = PTHREAD_ONCE_INIT;

static void
dashguard_make(void)
{
	unsigned char r[DASHGUARD_TOKEN_LEN / 2];
	size_t got = 0;
	ssize_t n;

	while (got < sizeof r) {
		n = getrandom(r + got, sizeof r - got, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;		/* the token stays empty: no actions */
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof r; i++) {
		dashguard_tok[2 * i] = "0123456789abcdef"[r[i] >> 4];
		dashguard_tok[2 * i + 1] = "0123456789abcdef"[r[i] & 15];
	}
}

const char *
dashguard_token(void)
{
	(void)pthread_once(&dashguard_once, dashguard_make);
	return dashguard_tok[0] != '\0' ? dashguard_tok : NULL;
}

/* A == B, in a time that does not depend on where they differ. */
static bool
dashguard_same(const char *a, const char *b)
{
	size_t alen = strlen(a), blen = strlen(b);
	unsigned char diff = alen != blen;

	for (size_t i = 0; i < alen && i < blen; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

/* Is ORIGIN ("scheme://host[:port]") the origin of a page served as
 * HOST?  The scheme is not compared: the gateway serves plain HTTP, but
 * a TLS proxy in front of it may have been what the browser saw. */
static bool
dashguard_origin_ok(const char *origin, const char *host)
{
	const char *h = strstr(origin, "://");

	if (h == NULL || host == NULL || *host == '\0')
		return false;
	h += 3;
	return strcasecmp(h, host) == 0;
}

const char *
dashguard_check(const char *token, const char *want, const char *origin,
    const char *host, const char *sec_fetch_site)
{
	if (want == NULL || *want == '\0')
		return "no token to check against";
	if (token == NULL || !dashguard_same(token, want))
		return "missing or wrong X-Procd-Token";
	if (sec_fetch_site != NULL && strcmp(sec_fetch_site, "same-origin")
	    != 0)
		return "cross-site request (Sec-Fetch-Site)";
	if (origin != NULL && !dashguard_origin_ok(origin, host))
		return "cross-origin request (Origin)";
	return NULL;
}

const char *
dashguard_browser_check(const char *origin, const char *host,
    const char *sec_fetch_site, bool has_password)
{
	if (origin == NULL && sec_fetch_site == NULL)
		return NULL;
	if (sec_fetch_site != NULL && strcmp(sec_fetch_site, "same-origin")
	    != 0 && strcmp(sec_fetch_site, "none") != 0)
		return "cross-site request (Sec-Fetch-Site)";
	if (origin != NULL && !dashguard_origin_ok(origin, host))
		return "cross-origin request (Origin)";
	if (!has_password && !dashguard_host_ok(host))
		return "a browser's request to a name, on a server without a "
		    "password (DNS rebinding)";
	return NULL;
}

bool
dashguard_host_ok(const char *host)
{
	char a[64];
	const char *end;
	bool v6;
	size_t n;
	struct in6_addr x;

	if (host == NULL)
		return false;
	if ((v6 = *host == '[')) {		/* [IPv6]:port */
		if ((end = strchr(++host, ']')) == NULL ||
		    (end[1] != '\0' && end[1] != ':'))
			return false;
	} else if ((end = strchr(host, ':')) == NULL)
		end = host + strlen(host);
	if ((n = (size_t)(end - host)) == 0 || n >= sizeof a)
		return false;
	memcpy(a, host, n);
	a[n] = '\0';
	if (!v6 && strcasecmp(a, "localhost") == 0)
		return true;
	return inet_pton(v6 ? AF_INET6 : AF_INET, a, &x) == 1;
}
