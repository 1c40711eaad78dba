/*
 * ctlargs.c -- procctl's command line (ctlargs.h): options, the command
 * words, -s's URL.  Hand-parsed rather than with getopt_long so that the
 * same rules hold before and after the command, the messages are
 * supervisorctl's (Python getopt's), and it can be tested without a
 * process.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlargs.h"

enum opt_id { O_CONFIG, O_SERVER, O_USER, O_PASS, O_HISTORY, O_JSON,
    O_INTERACTIVE, O_HELP, O_VERSION };

struct opt {
	enum opt_id	 id;
	char		 s;		/* short name, or 0 */
	const char	*l;		/* long name, or NULL */
	bool		 arg;
	bool		 procctl_only;
};

/* Long names are matched by unique prefix, as Python's getopt does, so
 * "--history" is --history_file (supervisorctl's real spelling). */
static const struct opt opts[] = {
	{ O_CONFIG, 'c', "configuration", true, false },
	{ O_CONFIG, 0, "config", true, true },
	{ O_SERVER, 's', "serverurl", true, false },
	{ O_SERVER, 0, "socket", true, true },
	{ O_USER, 'u', "username", true, false },
	{ O_PASS, 'p', "password", true, false },
	{ O_HISTORY, 'r', "history_file", true, false },
	{ O_HISTORY, 0, "history-file", true, false },
	{ O_JSON, 0, "json", false, true },
	{ O_INTERACTIVE, 'i', "interactive", false, false },
	{ O_HELP, 'h', "help", false, false },
	{ O_HELP, '?', NULL, false, false },
	{ O_VERSION, 'v', "version", false, false },
};

/* *ERR = the formatted message (NULL if out of memory); returns -1. */
static int __attribute__((format(printf, 2, 3)))
errf(char **err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) == -1)
		*err = NULL;
	va_end(ap);
	return -1;
}

enum ctl_persona
ctlargs_persona(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	base = base != NULL ? base + 1 : argv0;
	return strcmp(base, "supervisorctl") == 0 ? CTL_SUPERVISORCTL :
	    CTL_PROCCTL;
}

static bool
opt_visible(const struct opt *o, enum ctl_persona p)
{
	return !o->procctl_only || p == CTL_PROCCTL;
}

static const struct opt *
opt_short(char c, enum ctl_persona p)
{
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (opts[i].s == c && c != 0 && opt_visible(&opts[i], p))
			return &opts[i];
	return NULL;
}

/* The long option NAME (LEN bytes) is exactly or uniquely a prefix of. */
static const struct opt *
opt_long(const char *name, size_t len, enum ctl_persona p, char **err)
{
	const struct opt *hit = NULL;
	int nhits = 0;

	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		const struct opt *o = &opts[i];
		if (o->l == NULL || !opt_visible(o, p) ||
		    strncmp(o->l, name, len) != 0)
			continue;
		if (o->l[len] == '\0')
			return o;
		/* --history_file and --history-file are one option */
		if (hit == NULL || hit->id != o->id)
			nhits++;
		hit = o;
	}
	if (nhits == 1)
		return hit;
	errf(err, nhits ? "option --%.*s not a unique prefix" :
	    "option --%.*s not recognized", (int)len, name);
	return NULL;
}

static int
opt_set(struct ctlargs *a, const struct opt *o, const char *val,
    const char *spelled, char **err)
{
	const char **slot = NULL;

	switch (o->id) {
	case O_CONFIG: slot = &a->config; break;
	case O_SERVER: slot = &a->server; break;
	case O_USER: slot = &a->username; break;
	case O_PASS: slot = &a->password; break;
	case O_HISTORY: slot = &a->history; break;
	case O_JSON: a->json = true; return 0;
	case O_INTERACTIVE: a->interactive = true; return 0;
	case O_HELP: a->help = true; return 0;
	case O_VERSION: a->version = true; return 0;
	}
	if (*slot != NULL) {
		return errf(err, "conflicting command line option '%s'",
		    spelled);
	}
	*slot = val;
	return 0;
}

/* One option word at ARGV[*I] ("-x", "-xVAL", "-abc", "--long[=V]");
 * consumes its argument.  0, or -1 with *ERR. */
static int
opt_word(struct ctlargs *a, int argc, char **argv, int *i, char **err)
{
	const char *w = argv[*i], *eq, *val;
	const struct opt *o;
	char spelled[64];

	if (w[1] == '-') {
		eq = strchr(w + 2, '=');
		if ((o = opt_long(w + 2, eq ? (size_t)(eq - w - 2) :
		    strlen(w + 2), a->persona, err)) == NULL)
			return -1;
		snprintf(spelled, sizeof spelled, "--%s", o->l);
		if (!o->arg && eq != NULL)
			return errf(err, "option %s must not have an "
			    "argument", spelled);
		if (o->arg && eq == NULL && *i + 1 >= argc)
			return errf(err, "option %s requires argument",
			    spelled);
		val = !o->arg ? NULL : eq ? eq + 1 : argv[++*i];
		return opt_set(a, o, val, spelled, err);
	}
	for (const char *c = w + 1; *c != '\0'; c++) {
		snprintf(spelled, sizeof spelled, "-%c", *c);
		if ((o = opt_short(*c, a->persona)) == NULL)
			return errf(err, "option %s not recognized",
			    spelled);
		if (!o->arg) {
			if (opt_set(a, o, NULL, spelled, err) == -1)
				return -1;
			continue;
		}
		if (c[1] == '\0' && *i + 1 >= argc)
			return errf(err, "option %s requires argument",
			    spelled);
		val = c[1] != '\0' ? c + 1 : argv[++*i];
		return opt_set(a, o, val, spelled, err);
	}
	return 0;
}

/* After the command, procctl takes -c, -s, --json and their long names
 * (and -h: help on that command); anything else is the command's. */
static bool
opt_global_after(const char *w)
{
	static const char *const words[] = { "-c", "-s", "-h", "--json",
	    "--config", "--configuration", "--socket", "--serverurl",
	    "--help" };
	size_t n = strcspn(w, "=");

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strncmp(w, words[i], n) == 0 && words[i][n] == '\0')
			return true;
		if (w[1] != '-' && strlen(words[i]) == 2 &&
		    strncmp(w, words[i], 2) == 0 && w[1] != 'h')
			return true;	/* -cFILE, -sSOCK */
	}
	return false;
}

int
ctlargs_parse(struct ctlargs *a, enum ctl_persona p, int argc, char **argv,
    char **err)
{
	char **rest;
	int i, nrest = 0;
	bool after = false;

	memset(a, 0, sizeof *a);
	a->persona = p;
	*err = NULL;
	if ((rest = calloc((size_t)argc + 1, sizeof *rest)) == NULL)
		return errf(err, "out of memory");
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (!after && strcmp(w, "--") == 0) {
			after = true;
			/* before the command, "--" only ends the options */
			if (nrest == 0)
				continue;
		}
		if (!after && w[0] == '-' && w[1] != '\0' && (nrest == 0 ||
		    (p == CTL_PROCCTL && opt_global_after(w)))) {
			if (opt_word(a, argc, argv, &i, err) == -1)
				goto bad;
			continue;
		}
		/* supervisorctl's getopt stops at the first word */
		if (nrest == 0 && p == CTL_SUPERVISORCTL)
			after = true;
		rest[nrest++] = argv[i];
	}
	a->argv = ctlargs_words(nrest, rest, &a->argc);
	free(rest);
	if (a->argv == NULL)
		return errf(err, "out of memory");
	return 0;
bad:
	free(rest);
	if (*err == NULL)
		*err = strdup("out of memory");
	return -1;
}

void
ctlargs_free(struct ctlargs *a)
{
	ctlargs_words_free(a->argv);
	a->argv = NULL;
	a->argc = 0;
}

char **
ctlargs_split(const char *line, int *n)
{
	char **v;
	size_t len = strlen(line), k = 0;

	if ((v = calloc(len / 2 + 2, sizeof *v)) == NULL)
		return NULL;
	for (const char *s = line; *s != '\0';) {
		size_t wl;
		while (isspace((unsigned char)*s))
			s++;
		for (wl = 0; s[wl] != '\0' && !isspace((unsigned char)s[wl]);)
			wl++;
		if (wl == 0)
			break;
		if ((v[k++] = strndup(s, wl)) == NULL) {
			ctlargs_words_free(v);
			return NULL;
		}
		s += wl;
	}
	*n = (int)k;
	return v;
}

char **
ctlargs_words(int argc, char *const argv[], int *n)
{
	size_t len = 1;
	char *line, *p, **v;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if ((line = p = malloc(len)) == NULL)
		return NULL;
	*p = '\0';
	for (int i = 0; i < argc; i++)
		p += sprintf(p, "%s%s", i ? " " : "", argv[i]);
	v = ctlargs_split(line, n);
	free(line);
	return v;
}

void
ctlargs_words_free(char **v)
{
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

enum ctl_url
ctlargs_url(const char *server, bool strict, const char **path)
{
	*path = NULL;
	if (strncmp(server, "unix://", 7) == 0) {
		*path = server + 7;
		return **path != '\0' ? CTL_URL_UNIX : CTL_URL_BAD;
	}
	if (strncmp(server, "http://", 7) == 0 ||
	    strncmp(server, "https://", 8) == 0)
		return CTL_URL_HTTP;
	/* Python's urlparse wants a scheme; procctl also takes a path. */
	if (strict || *server == '\0')
		return CTL_URL_BAD;
	*path = server;
	return CTL_URL_UNIX;
}
