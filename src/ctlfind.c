/*
 * ctlfind.c -- where procctl finds procd (ctlfind.h): -s, $PROCD_SOCKET,
 * the config's socket, the default path.  The config is loaded whole when
 * it can be (so procctl and procd agree on every expansion); when it has
 * errors, its errors become warnings and a scan for the socket's own lines
 * answers instead, so a typo in a [program:] section never keeps the
 * operator from the daemon that still runs the old config.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cfgpath.h"
#include "config.h"
#include "ctlargs.h"
#include "ctlfind.h"

enum scan_key {
	SCAN_SERVERURL, SCAN_SOCKET, SCAN_FILE,	/* a unix socket, in order */
	SCAN_HTTPURL, SCAN_USER, SCAN_PASS,	/* [supervisorctl] over HTTP */
	SCAN_NKEYS
};

/* Which of the server's keys SECTION.KEY is, or SCAN_NKEYS. */
static enum scan_key
scan_which(const char *section, const char *key)
{
	if (strcmp(section, "supervisorctl") == 0 &&
	    strcmp(key, "serverurl") == 0)
		return SCAN_SERVERURL;
	if (strcmp(section, "supervisorctl") == 0 &&
	    strcmp(key, "username") == 0)
		return SCAN_USER;
	if (strcmp(section, "supervisorctl") == 0 &&
	    strcmp(key, "password") == 0)
		return SCAN_PASS;
	if ((strcmp(section, "procd") == 0 ||
	    strcmp(section, "supervisord") == 0) && strcmp(key, "socket") == 0)
		return SCAN_SOCKET;
	if (strcmp(section, "unix_http_server") == 0 &&
	    strcmp(key, "file") == 0)
		return SCAN_FILE;
	return SCAN_NKEYS;
}

/* VALUE with %(here)s and %(ENV_X)s expanded (the only expansions the
 * socket's keys can use); malloc'd. */
static char *
scan_expand(const char *value, const char *here)
{
	struct buf b;
	const char *p = value, *end, *env;
	char *name;

	buf_init(&b);
	while (*p != '\0') {
		if (p[0] != '%' || p[1] != '(' ||
		    (end = strstr(p, ")s")) == NULL) {
			buf_add(&b, p++, 1);
			continue;
		}
		name = strndup(p + 2, (size_t)(end - p - 2));
		if (name != NULL && strcmp(name, "here") == 0)
			buf_addstr(&b, here);
		else if (name != NULL && strncmp(name, "ENV_", 4) == 0 &&
		    (env = getenv(name + 4)) != NULL)
			buf_addstr(&b, env);
		else
			buf_add(&b, p, (size_t)(end + 2 - p));
		free(name);
		p = end + 2;
	}
	buf_add(&b, "", 1);
	return b.data;
}

/* Trim white space at both ends of S, in place. */
static char *
scan_trim(char *s)
{
	char *e = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Every key of the server in F, expanded, into FOUND (malloc'd, NULL
 * when absent; the last of each wins) and the line of each in LINES. */
static void
scan_keys(FILE *f, const char *here, char *found[SCAN_NKEYS],
    int lines[SCAN_NKEYS])
{
	char *l = NULL, *s, *v, section[128] = "";
	size_t cap = 0;
	enum scan_key k;
	int n = 0;

	while (getline(&l, &cap, f) != -1) {
		n++;
		if (isspace((unsigned char)l[0]))
			continue;	/* a continuation line, or blank */
		s = scan_trim(l);
		if (*s == '[') {
			snprintf(section, sizeof section, "%.*s",
			    (int)strcspn(s + 1, "]"), s + 1);
			continue;
		}
		if ((v = strpbrk(s, "=:")) == NULL || *s == ';' || *s == '#')
			continue;
		*v++ = '\0';
		/* an inline comment needs white space before it */
		for (char *c = v; *c != '\0'; c++)
			if ((*c == ';' || *c == '#') && c > v &&
			    isspace((unsigned char)c[-1]))
				*c = '\0';
		if ((k = scan_which(section, scan_trim(s))) == SCAN_NKEYS)
			continue;
		v = scan_trim(v);
		/* other URLs (AUTO, https://) are warned of by the config's
		 * loader and ignored here */
		if (k == SCAN_SERVERURL && strncmp(v, "unix://", 7) != 0) {
			if (strncmp(v, "http://", 7) != 0)
				continue;
			k = SCAN_HTTPURL;
		}
		free(found[k]);
		found[k] = scan_expand(k == SCAN_SERVERURL ? v + 7 : v, here);
		lines[k] = n;
	}
	free(l);
}

char *
ctlfind_scan(FILE *f, const char *here, int *line)
{
	char *found[SCAN_NKEYS] = { NULL }, *sock = NULL;
	int lines[SCAN_NKEYS] = { 0 };

	scan_keys(f, here, found, lines);
	for (enum scan_key k = 0; k < SCAN_NKEYS; k++) {
		if (k <= SCAN_FILE && sock == NULL && found[k] != NULL &&
		    *found[k] != '\0') {
			sock = cfgpath_resolve(here, found[k]);
			*line = lines[k];
		}
		free(found[k]);
	}
	return sock;
}

char *
ctlfind_http(FILE *f, const char *here, char **user, char **pass)
{
	char *found[SCAN_NKEYS] = { NULL };
	int lines[SCAN_NKEYS] = { 0 };
	bool unix_named = false;

	scan_keys(f, here, found, lines);
	for (enum scan_key k = 0; k <= SCAN_FILE; k++) {
		unix_named |= found[k] != NULL && *found[k] != '\0';
		free(found[k]);
	}
	if (unix_named || found[SCAN_HTTPURL] == NULL) {
		free(found[SCAN_HTTPURL]);
		free(found[SCAN_USER]);
		free(found[SCAN_PASS]);
		*user = *pass = NULL;
		return NULL;
	}
	*user = found[SCAN_USER];
	*pass = found[SCAN_PASS];
	return found[SCAN_HTTPURL];
}

/* PATH's errors, as warnings: procctl goes on. */
static void
warn_diags(const struct diag_list *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].severity != DIAG_ERROR)
			continue;
		if (d->v[i].line > 0)
			fprintf(stderr, "procctl: warning: %s:%d: %s\n",
			    d->v[i].file, d->v[i].line, d->v[i].msg);
		else
			fprintf(stderr, "procctl: warning: %s: %s\n",
			    d->v[i].file, d->v[i].msg);
	}
}

/* The socket of the config at PATH, even when it has errors; NULL when
 * it names none. */
static char *
socket_of_config(const char *path, bool *refused)
{
	struct diag_list diags = { 0 };
	struct config *cfg;
	char *abs, *here, *sock = NULL;
	const char *why = NULL;
	bool notreg = false;
	int line = 0;
	FILE *f;

	*refused = false;
	if ((cfg = config_load(path, &diags)) != NULL) {
		sock = strdup(cfg->ctl_socket ? cfg->ctl_socket : cfg->socket);
		config_free(cfg);
		diag_free(&diags);
		return sock;
	}
	warn_diags(&diags);
	diag_free(&diags);
	abs = cfgpath_abs(path);
	here = abs != NULL ? cfgpath_dirname(abs) : NULL;
	/* Only a regular file: a FIFO would hang procctl (config_open). */
	if (here != NULL && (f = config_open(path, &why, &notreg)) != NULL) {
		sock = ctlfind_scan(f, here, &line);
		fclose(f);
	}
	if (notreg) {
		*refused = true;
		free(here);
		free(abs);
		return NULL;
	}
	if (sock != NULL)
		fprintf(stderr, "procctl: warning: %s has errors; using the "
		    "socket it names at line %d: %s\n", path, line, sock);
	else
		fprintf(stderr, "procctl: warning: %s has errors and names "
		    "no socket; trying the default\n", path);
	free(here);
	free(abs);
	return sock;
}

/* The config at PATH's [supervisorctl] serverurl=http://…, when it names
 * no unix socket (one on the host is used first: it needs no password),
 * with its username= and password= in *USER and *PASS. */
static char *
http_of_config(const char *path, char **user, char **pass)
{
	char *abs = cfgpath_abs(path), *here, *url = NULL;
	const char *why = NULL;
	bool notreg = false;
	FILE *f;

	here = abs != NULL ? cfgpath_dirname(abs) : NULL;
	if (here != NULL && (f = config_open(path, &why, &notreg)) != NULL) {
		url = ctlfind_http(f, here, user, pass);
		fclose(f);
	}
	free(here);
	free(abs);
	return url;
}

char *
ctlfind_socket(const struct ctlargs *a, char **cause, int *usage,
    char **user, char **pass)
{
	const char *env = getenv("PROCD_SOCKET"), *path;
	char *found = NULL, *sock = NULL;
	bool refused;

	*cause = NULL;
	*usage = 0;
	*user = *pass = NULL;
	if (a->server != NULL) {
		switch (ctlargs_url(a->server, a->persona == CTL_SUPERVISORCTL,
		    &path)) {
		case CTL_URL_UNIX:
			return strdup(path);
		case CTL_URL_HTTP:
			return strdup(a->server);
		case CTL_URL_BAD:
			*usage = 1;
			if (asprintf(cause, "invalid value for -s '%s': value "
			    "'%s' is not a URL", a->server, a->server) == -1)
				*cause = NULL;
			return NULL;
		}
	}
	if (env != NULL && *env != '\0')
		return strdup(env);
	if ((path = a->config) == NULL)
		path = found = config_find_default();
	if (path != NULL && access(path, R_OK) == -1) {
		*usage = 1;
		/* supervisorctl's words for the two cases */
		if (asprintf(cause, "could not %s config file %s",
		    errno == ENOENT ? "find" : "read", path) == -1)
			*cause = NULL;
		free(found);
		return NULL;
	}
	if (path != NULL && (sock = http_of_config(path, user, pass)) != NULL) {
		free(found);
		return sock;
	}
	if (path != NULL && (sock = socket_of_config(path, &refused)) == NULL &&
	    refused) {
		*usage = 1;	/* its error was printed with the others */
		free(found);
		return NULL;
	}
	free(found);
	return sock != NULL ? sock : config_default_socket();
}
