/*
 * cfghttp.c -- the HTTP servers' settings (cfghttp.h).  Parsing only: the
 * socket is bound by gwsup.c, as root, before procd drops privileges.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfgget.h"
#include "cfghttp.h"
#include "cfgstore.h"
#include "config.h"
#include "log.h"

int
cfghttp_port(const char *s, char **host, int *port, const char **why)
{
	const char *colon = strrchr(s, ':'), *p = colon ? colon + 1 : s;
	char *end;
	long v;

	errno = 0;
	v = strtol(p, &end, 10);
	if (*p == '\0' || *end != '\0' || errno != 0 || v < 1 || v > 65535) {
		*why = "is not HOST:PORT with a port from 1 to 65535";
		return -1;
	}
	*host = strndup(s, colon ? (size_t)(colon - s) : 0);
	if (*host == NULL) {
		*why = "out of memory";
		return -1;
	}
	/* [::1]:9001 is an IPv6 host; its brackets are not part of it. */
	size_t n = strlen(*host);
	if (n >= 2 && (*host)[0] == '[' && (*host)[n - 1] == ']') {
		memmove(*host, *host + 1, n - 2);
		(*host)[n - 2] = '\0';
	}
	*port = (int)v;
	return 0;
}

/* username= and password= of S: both or neither (a warning, as a
 * supervisord config that worked before must load). */
static void
cfghttp_creds(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgexp *exp, char **user, char **pass)
{
	if (s == NULL)
		return;
	cfgget_str(st, s, "username", exp, user);
	cfgget_str(st, s, "password", exp, pass);
	if ((*user == NULL) != (*pass == NULL) || (*user != NULL &&
	    **user == '\0')) {
		cfgstore_diag(st, s, cfgstore_key(s, *user ? "username" :
		    "password"), DIAG_WARNING, "username= and password= go "
		    "together (both ignored: no authentication)");
		free(*user);
		free(*pass);
		*user = *pass = NULL;
	}
}

void
cfghttp_build(struct cfgstore *st, struct config *cf,
    const struct cfgexp *exp)
{
	const struct cfgsect *in = cfgstore_find(st, "inet_http_server");
	const struct cfgsect *un = cfgstore_find(st, "unix_http_server");
	struct http_config *h = &cf->http;
	const char *why;

	cfghttp_creds(st, un, exp, &h->unix_user, &h->unix_pass);
	if (in == NULL)
		return;
	if (cfgstore_key(in, "port") == NULL) {
		diag_add(st->diags, DIAG_ERROR, st->files[in->file].path,
		    in->line, "[inet_http_server] needs port=");
		return;
	}
	if (cfgget_str(st, in, "port", exp, &h->inet_port) == -1)
		return;
	if (cfghttp_port(h->inet_port, &h->inet_host, &h->inet_portnum,
	    &why) == -1) {
		cfgstore_diag(st, in, cfgstore_key(in, "port"), DIAG_ERROR,
		    "\"%s\" %s", h->inet_port, why);
		free(h->inet_port);
		h->inet_port = NULL;
		return;
	}
	cfghttp_creds(st, in, exp, &h->inet_user, &h->inet_pass);
}

void
cfghttp_free(struct http_config *h)
{
	free(h->inet_port);
	free(h->inet_host);
	free(h->inet_user);
	free(h->inet_pass);
	free(h->unix_user);
	free(h->unix_pass);
}
