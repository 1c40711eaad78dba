/*
 * cfgstore.c -- the section store: which sections and keys procd knows, and
 * typed access to key values with FILE:LINE messages.
 *
 * Sections with the same header merge and a repeated key replaces the
 * earlier value (supervisord's strict=False), with a warning.  A key procd
 * does not implement is a warning; an unknown key is an error in [procd]
 * (procd's own section, where a typo must not pass) and a warning anywhere
 * else (real supervisord configs carry keys supervisord silently ignores).
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgstore.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* Keys of [procd], also valid in its alias [supervisord]. */
static const char *const cfgsect_global_keys[] = {
	"socket", "socket_mode", "socket_owner", "pidfile", "logfile",
	"logfile_maxbytes", "logfile_backups",
	"loglevel", "childlogdir", "umask", "directory", "nodaemon", "minfds",
	"user", "environment", "environment_file", "stdout_prefix",
	"stderr_prefix", "log_timestamps", NULL
};
static const char *const cfgsect_supervisord_notimpl[] = {
	"minprocs", "nocleanup",
	"identifier", "strip_ansi", "silent", NULL
};
static const char *const cfgsect_unix_http_keys[] = {
	"file", "chmod", "chown", "username", "password", NULL
};
static const char *const cfgsect_inet_http_keys[] = {
	"port", "username", "password", NULL
};
static const char *const cfgsect_ctl_keys[] = { "serverurl", NULL };
/* supervisorctl's own settings: nothing for procd to do, nothing to say. */
static const char *const cfgsect_ctl_quiet[] = {
	"username", "password", "prompt", "history_file", NULL
};
static const char *const cfgsect_include_keys[] = { "files", NULL };
static const char *const cfgsect_group_keys[] = {
	"programs", "priority", NULL
};
static const char *const cfgsect_program_keys[] = {
	"command", "process_name", "numprocs", "numprocs_start", "directory",
	"umask", "user", "environment", "priority", "autostart", "autorestart",
	"startsecs", "startretries", "exitcodes", "stopsignal", "stopwaitsecs",
	"stopasgroup", "killasgroup", "redirect_stderr", "stdout_logfile",
	"stdout_logfile_maxbytes", "stdout_logfile_backups", "stderr_logfile",
	"stderr_logfile_maxbytes", "stderr_logfile_backups",
	"backoff", "backoff_max", "restart_limit", "depends_on", "ready",
	"ready_timeout", "watchdog",
	"health", "health_interval", "health_timeout", "health_retries",
	"shutdown_on", "environment_file", "stdout_prefix", "stderr_prefix",
	"log_timestamps", "sockets", NULL
};
static const char *const cfgsect_program_notimpl[] = {
	"stdout_syslog", "stderr_syslog", "serverurl", NULL
};
/* Read by evconf.c, besides the program keys (in both sections). */
static const char *const cfgsect_events_keys[] = {
	"stdout_events_enabled", "stderr_events_enabled",
	"stdout_capture_maxbytes", "stderr_capture_maxbytes", NULL
};
static const char *const cfgsect_listener_keys[] = {
	"events", "buffer_size", "result_handler", NULL
};
/* Read by cfgsock.c, besides the program keys. */
static const char *const cfgsect_fcgi_keys[] = {
	"socket", "socket_owner", "socket_mode", "socket_backlog", NULL
};

/* How each kind of section is treated.  USED == NULL: keys not checked. */
static const struct cfgsect_rule {
	const char		*name;		/* before ':' for named ones */
	bool			 named;		/* "[name:ARG]" */
	const char *const	*used;
	const char *const	*notimpl;	/* warned about, ignored */
	const char *const	*quiet;		/* accepted, ignored */
	enum diag_severity	 unknown;	/* for a key in none of those */
	const char		*ignored;	/* the whole section, and why */
} cfgsect_rules[] = {
	[CFGSECT_PROCD] = { "procd", false, cfgsect_global_keys, NULL, NULL,
	    DIAG_ERROR, NULL },
	[CFGSECT_SUPERVISORD] = { "supervisord", false, cfgsect_global_keys,
	    cfgsect_supervisord_notimpl, NULL, DIAG_WARNING, NULL },
	[CFGSECT_UNIX_HTTP] = { "unix_http_server", false,
	    cfgsect_unix_http_keys, NULL, NULL,
	    DIAG_WARNING, NULL },
	[CFGSECT_SUPERVISORCTL] = { "supervisorctl", false, cfgsect_ctl_keys,
	    NULL, cfgsect_ctl_quiet, DIAG_WARNING, NULL },
	[CFGSECT_INCLUDE] = { "include", false, cfgsect_include_keys, NULL,
	    NULL, DIAG_WARNING, NULL },
	[CFGSECT_PROGRAM] = { "program", true, cfgsect_program_keys,
	    cfgsect_program_notimpl, NULL, DIAG_WARNING, NULL },
	[CFGSECT_GROUP] = { "group", true, cfgsect_group_keys, NULL, NULL,
	    DIAG_WARNING, NULL },
	[CFGSECT_RPCINTERFACE] = { "rpcinterface", true, NULL, NULL, NULL,
	    DIAG_WARNING, NULL },
	[CFGSECT_INET_HTTP] = { "inet_http_server", false,
	    cfgsect_inet_http_keys, NULL, NULL, DIAG_WARNING, NULL },
	[CFGSECT_EVENTLISTENER] = { "eventlistener", true,
	    cfgsect_program_keys, cfgsect_program_notimpl, NULL, DIAG_WARNING,
	    NULL },
	[CFGSECT_FCGI] = { "fcgi-program", true, cfgsect_program_keys,
	    cfgsect_program_notimpl, NULL, DIAG_WARNING, NULL },
	[CFGSECT_CTLPLUGIN] = { "ctlplugin", true, NULL, NULL, NULL,
	    DIAG_WARNING, "procctl has no plugins" },
	[CFGSECT_DEFAULT] = { "DEFAULT", false, NULL, NULL, NULL,
	    DIAG_WARNING, "its keys are not inherited by other sections" },
	[CFGSECT_UNKNOWN] = { NULL, false, NULL, NULL, NULL, DIAG_WARNING,
	    NULL },
};
_Static_assert(nitems(cfgsect_rules) == CFGSECT_UNKNOWN + 1,
    "a rule for every section type");

/* Keys used besides a rule's own: the event keys (evconf.c), the
 * listener's and the fcgi socket's. */
static const char *const *const cfgsect_more[CFGSECT_UNKNOWN + 1][2] = {
	[CFGSECT_PROGRAM] = { cfgsect_events_keys, NULL },
	[CFGSECT_FCGI] = { cfgsect_events_keys, cfgsect_fcgi_keys },
	[CFGSECT_EVENTLISTENER] = { cfgsect_events_keys,
	    cfgsect_listener_keys },
};

static bool
cfgsect_listed(const char *const *list, const char *key)
{
	for (; list != NULL && *list != NULL; list++) {
		if (strcmp(*list, key) == 0)
			return true;
	}
	return false;
}

/* Edit distance between A and B, or a large number when clearly far. */
static size_t
cfgsect_distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, prev, cur, row[64];

	if (lb >= nitems(row) || (la > lb ? la - lb : lb - la) > 2)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (cur + 1 < row[j])
				row[j] = cur + 1;
			prev = cur;
		}
	}
	return row[lb];
}

/* The closest of LIST to WORD within distance 2 that beats *BEST, if any. */
static void
cfgsect_closest(const char *const *list, const char *word, const char **best,
    size_t *bestd)
{
	size_t	d;

	for (; list != NULL && *list != NULL; list++) {
		if ((d = cfgsect_distance(word, *list)) <= 2 && d < *bestd) {
			*best = *list;
			*bestd = d;
		}
	}
}

/* " (did you mean 'x'?)" for a key unknown in R, or "". */
static void
cfgsect_hint(const struct cfgsect_rule *r, const char *key, char *buf,
    size_t len)
{
	const char	*best = NULL;
	size_t		 bestd = SIZE_MAX;

	cfgsect_closest(r->used, key, &best, &bestd);
	for (size_t i = 0; i < nitems(cfgsect_more[0]); i++)
		cfgsect_closest(cfgsect_more[r - cfgsect_rules][i], key,
		    &best, &bestd);
	cfgsect_closest(r->notimpl, key, &best, &bestd);
	cfgsect_closest(r->quiet, key, &best, &bestd);
	if (best != NULL)
		snprintf(buf, len, " (did you mean '%s'?)", best);
	else
		buf[0] = '\0';
}

/* The type of section NAME and where its argument starts, if named. */
static enum cfgsect_type
cfgsect_classify(const char *name, const char **arg)
{
	size_t	i, n;

	*arg = NULL;
	for (i = 0; i < CFGSECT_UNKNOWN; i++) {
		n = strlen(cfgsect_rules[i].name);
		if (strncmp(name, cfgsect_rules[i].name, n) != 0)
			continue;
		if (!cfgsect_rules[i].named && name[n] == '\0')
			return i;
		if (cfgsect_rules[i].named && name[n] == ':') {
			*arg = name + n + 1;
			return i;
		}
	}
	return CFGSECT_UNKNOWN;
}

/* Warn about a section procd ignores or does not know. */
static void
cfgsect_new_diag(struct cfgstore *st, const struct cfgsect *s)
{
	const struct cfgsect_rule	*r = &cfgsect_rules[s->type], *best;
	const char			*path = st->files[s->file].path;
	char				 kind[64];
	size_t				 bestd = 3, d, i;

	if (r->ignored != NULL) {
		diag_add(st->diags, DIAG_WARNING, path, s->line,
		    "[%s] is not supported by procd (ignored: %s)", s->name,
		    r->ignored);
		return;
	}
	if (s->type != CFGSECT_UNKNOWN)
		return;
	snprintf(kind, sizeof kind, "%.*s", (int)strcspn(s->name, ":"),
	    s->name);
	for (best = NULL, i = 0; i < CFGSECT_UNKNOWN; i++) {
		if ((d = cfgsect_distance(kind, cfgsect_rules[i].name)) < bestd) {
			best = &cfgsect_rules[i];
			bestd = d;
		}
	}
	if (best == NULL)
		diag_add(st->diags, DIAG_WARNING, path, s->line,
		    "unknown section [%s] (ignored)", s->name);
	else
		diag_add(st->diags, DIAG_WARNING, path, s->line, "unknown "
		    "section [%s] (ignored; did you mean [%s%s]?)", s->name,
		    best->name, best->named ? ":NAME" : "");
}

long
cfgstore_file(struct cfgstore *st, const char *path, const char *dir)
{
	struct cfgfile	*v, *f;

	if ((v = reallocarray(st->files, st->nfiles + 1, sizeof *v)) == NULL)
		return -1;
	st->files = v;
	f = &v[st->nfiles];
	f->path = strdup(path);
	f->dir = strdup(dir);
	if (f->path == NULL || f->dir == NULL) {
		free(f->path);
		free(f->dir);
		return -1;
	}
	return st->nfiles++;
}

/*
 * Sections by name: a config of thousands of programs looked every new
 * section up in all those before it, most of the time of a load (at
 * every start, reread and re-exec).  Open addressing, at most half full.
 */
static size_t
cfgstore_hash(const char *name)
{
	size_t h = 14695981039346656037ULL;	/* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

static void
cfgstore_index(struct cfgstore *st, size_t i)
{
	size_t mask = st->byname_cap - 1;
	size_t slot = cfgstore_hash(st->sects[i].name) & mask;

	while (st->byname[slot] != 0)
		slot = (slot + 1) & mask;
	st->byname[slot] = i + 1;
}

/* Room for one more section in the index: 0, or -1 (no memory). */
static int
cfgstore_index_grow(struct cfgstore *st)
{
	size_t cap = st->byname_cap ? st->byname_cap : 64, *v;

	if ((st->nsects + 1) * 2 <= st->byname_cap)
		return 0;
	while ((st->nsects + 1) * 2 > cap)
		cap *= 2;
	if ((v = calloc(cap, sizeof *v)) == NULL)
		return -1;
	free(st->byname);
	st->byname = v;
	st->byname_cap = cap;
	for (size_t i = 0; i < st->nsects; i++)
		cfgstore_index(st, i);
	return 0;
}

const struct cfgsect *
cfgstore_find(const struct cfgstore *st, const char *name)
{
	size_t mask = st->byname_cap - 1, slot, i;

	if (st->byname_cap == 0)
		return NULL;
	slot = cfgstore_hash(name) & mask;
	while ((i = st->byname[slot]) != 0) {
		if (strcmp(st->sects[i - 1].name, name) == 0)
			return &st->sects[i - 1];
		slot = (slot + 1) & mask;
	}
	return NULL;
}

long
cfgstore_section(struct cfgstore *st, const char *name, size_t file,
    int line)
{
	const struct cfgsect	*old = cfgstore_find(st, name);
	struct cfgsect		*v, *s;
	const char		*arg;
	size_t			 n;

	if (old != NULL)
		return old - st->sects;
	if (cfgstore_index_grow(st) == -1)
		return -1;
	if (st->nsects == st->sectcap) {
		size_t cap = st->sectcap ? st->sectcap * 2 : 16;
		if ((v = reallocarray(st->sects, cap, sizeof *v)) == NULL)
			return -1;
		st->sects = v;
		st->sectcap = cap;
	}
	v = st->sects;
	s = memset(&v[st->nsects], 0, sizeof *s);
	s->type = cfgsect_classify(name, &arg);
	s->file = file;
	s->line = line;
	if (arg == NULL)
		arg = "";
	while (*arg == ' ' || *arg == '\t')
		arg++;
	for (n = strlen(arg); n > 0 && (arg[n - 1] == ' ' ||
	    arg[n - 1] == '\t'); n--)
		;
	if ((s->name = strdup(name)) == NULL ||
	    (s->arg = strndup(arg, n)) == NULL) {
		free(s->name);
		return -1;
	}
	cfgstore_index(st, st->nsects++);
	if (cfgsect_rules[s->type].named && *s->arg == '\0')
		diag_add(st->diags, DIAG_ERROR, st->files[file].path, line,
		    "section [%s] needs a name after the ':'", name);
	cfgsect_new_diag(st, s);
	return st->nsects - 1;
}

/* Say what procd thinks of KEY in S before it is stored. */
static void
cfgsect_check_key(struct cfgstore *st, const struct cfgsect *s,
    const char *key, size_t file, int line)
{
	const struct cfgsect_rule	*r = &cfgsect_rules[s->type];
	char				 hint[96];

	if (r->used == NULL || cfgsect_listed(r->used, key) ||
	    cfgsect_listed(cfgsect_more[s->type][0], key) ||
	    cfgsect_listed(cfgsect_more[s->type][1], key) ||
	    cfgsect_listed(r->quiet, key))
		return;
	if (cfgsect_listed(r->notimpl, key)) {
		diag_add(st->diags, DIAG_WARNING, st->files[file].path, line,
		    "[%s] key '%s' is not implemented by procd (ignored)",
		    s->name, key);
		return;
	}
	cfgsect_hint(r, key, hint, sizeof hint);
	diag_add(st->diags, r->unknown, st->files[file].path, line,
	    "unknown key '%s' in [%s]%s", key, s->name, hint);
}

int
cfgstore_set(struct cfgstore *st, size_t sect, const char *key,
    const char *value, size_t file, int line)
{
	struct cfgsect	*s = &st->sects[sect];
	struct cfgkey	*k = (struct cfgkey *)cfgstore_key(s, key), *v;
	char		*nv;

	cfgsect_check_key(st, s, key, file, line);
	if ((nv = strdup(value)) == NULL)
		return -1;
	if (k != NULL) {
		diag_add(st->diags, DIAG_WARNING, st->files[file].path, line,
		    "duplicate key '%s' in [%s] (first set at %s:%d; the last "
		    "one wins)", key, s->name, st->files[k->file].path, k->line);
		free(k->value);
	} else {
		if (s->nkeys == s->cap) {
			v = reallocarray(s->keys, s->cap ? s->cap * 2 : 16,
			    sizeof *v);
			if (v == NULL)
				goto fail;
			s->keys = v;
			s->cap = s->cap ? s->cap * 2 : 16;
		}
		k = &s->keys[s->nkeys];
		if ((k->name = strdup(key)) == NULL)
			goto fail;
		s->nkeys++;
	}
	k->value = nv;
	k->file = file;
	k->line = line;
	return 0;
fail:
	free(nv);
	return -1;
}

void
cfgstore_free(struct cfgstore *st)
{
	size_t	i, j;

	for (i = 0; i < st->nsects; i++) {
		for (j = 0; j < st->sects[i].nkeys; j++) {
			free(st->sects[i].keys[j].name);
			free(st->sects[i].keys[j].value);
		}
		free(st->sects[i].keys);
		free(st->sects[i].name);
		free(st->sects[i].arg);
	}
	for (i = 0; i < st->nfiles; i++) {
		free(st->files[i].path);
		free(st->files[i].dir);
	}
	free(st->sects);
	free(st->files);
	free(st->byname);
	st->sects = NULL;
	st->files = NULL;
	st->byname = NULL;
	st->nsects = st->nfiles = st->sectcap = st->byname_cap = 0;
}

const struct cfgkey *
cfgstore_key(const struct cfgsect *s, const char *name)
{
	size_t	i;

	for (i = 0; s != NULL && i < s->nkeys; i++) {
		if (strcmp(s->keys[i].name, name) == 0)
			return &s->keys[i];
	}
	return NULL;
}

void
cfgstore_diag(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgkey *k, enum diag_severity sev, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	diag_add(st->diags, sev, st->files[k->file].path, k->line,
	    "[%s] %s: %s", s->name, k->name, msg != NULL ? msg :
	    "out of memory");
	free(msg);
}
