/*
 * cfgdiff.c -- per-process config differences (cfgdiff.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cfgdiff.h"
#include "config.h"
#include "sockspec.h"

static bool
str_eq(const char *a, const char *b)
{
	return (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
}

static bool
strv_eq(char *const *a, char *const *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	for (; *a != NULL && *b != NULL; a++, b++)
		if (strcmp(*a, *b) != 0)
			return false;
	return *a == NULL && *b == NULL;
}

/* Where output goes decides the pipes a process is spawned with. */
static bool
logdest_route_eq(const struct logdest_config *a,
    const struct logdest_config *b)
{
	return a->kind == b->kind && str_eq(a->path, b->path);
}

static bool
logdest_limits_eq(const struct logdest_config *a,
    const struct logdest_config *b)
{
	return a->maxbytes == b->maxbytes && a->backups == b->backups;
}

/* A tcp:, http:// or exec: check, or none on either side. */
static bool
check_eq(const struct check_spec *a, const struct check_spec *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->kind == b->kind && str_eq(a->host, b->host) &&
	    str_eq(a->port, b->port) && str_eq(a->authority, b->authority) &&
	    str_eq(a->path, b->path) && str_eq(a->command, b->command);
}

/* ready= decides the child's environment (notify) or descriptors (fd). */
static bool
ready_eq(const struct ready_config *a, const struct ready_config *b)
{
	return a->kind == b->kind && a->fd == b->fd &&
	    check_eq(a->check, b->check);
}

/* health= and its numbers: the next check uses the new ones. */
static bool
health_eq(const struct health_config *a, const struct health_config *b)
{
	return check_eq(a->check, b->check) &&
	    a->interval == b->interval && a->timeout == b->timeout &&
	    a->retries == b->retries;
}

/* The sockets a process is given (and what they are called). */
static bool
sockets_eq(const struct program_config *a, const struct program_config *b)
{
	if (a->fcgi != b->fcgi || a->nsockets != b->nsockets)
		return false;
	for (size_t i = 0; i < a->nsockets; i++)
		if (!sockspec_same(&a->sockets[i], &b->sockets[i]) ||
		    !str_eq(a->sockets[i].name, b->sockets[i].name))
			return false;
	return true;
}

static void
note(char *keys, size_t len, const char *key)
{
	size_t n = strlen(keys);

	if (n + strlen(key) + 3 >= len)
		return;
	if (n > 0)
		strcat(keys, ", ");
	strcat(keys, key);
}

/* Keys that change how the process runs: a restart is needed. */
static bool
cfgdiff_restart_keys(const struct program_config *a,
    const struct program_config *b, char *keys, size_t len)
{
	size_t before = strlen(keys);

	if (!str_eq(a->command, b->command) || !strv_eq(a->argv, b->argv))
		note(keys, len, "command");
	if (!strv_eq(a->env, b->env) || !strv_eq(a->env_own, b->env_own))
		note(keys, len, "environment");
	if (!str_eq(a->env_files[0], b->env_files[0]) ||
	    !str_eq(a->env_files[1], b->env_files[1]))
		note(keys, len, "environment_file");
	if (!str_eq(a->user, b->user))
		note(keys, len, "user");
	if (!str_eq(a->directory, b->directory))
		note(keys, len, "directory");
	if (a->umask != b->umask)
		note(keys, len, "umask");
	if (a->redirect_stderr != b->redirect_stderr)
		note(keys, len, "redirect_stderr");
	if (!logdest_route_eq(&a->out, &b->out))
		note(keys, len, "stdout_logfile");
	if (!b->redirect_stderr && !logdest_route_eq(&a->err, &b->err))
		note(keys, len, "stderr_logfile");
	if (!ready_eq(&a->ready, &b->ready))
		note(keys, len, "ready");
	if (a->watchdog != b->watchdog)
		note(keys, len, "watchdog");
	/* A listener's pipes and pool are made at its spawn. */
	if (a->listener != b->listener || a->listen_events !=
	    b->listen_events || a->buffer_size != b->buffer_size)
		note(keys, len, "events");
	if (!sockets_eq(a, b))
		note(keys, len, a->fcgi || b->fcgi ? "socket" : "sockets");
	return strlen(keys) > before;
}

static void
cfgdiff_live_keys(const struct program_config *a,
    const struct program_config *b, char *keys, size_t len)
{
	if (a->priority != b->priority)
		note(keys, len, "priority");
	if (a->autostart != b->autostart)
		note(keys, len, "autostart");
	if (a->autorestart != b->autorestart)
		note(keys, len, "autorestart");
	if (a->startsecs != b->startsecs)
		note(keys, len, "startsecs");
	if (a->startretries != b->startretries)
		note(keys, len, "startretries");
	if (a->backoff != b->backoff || a->backoff_max != b->backoff_max)
		note(keys, len, "backoff");
	if (a->restart_limit != b->restart_limit ||
	    a->restart_window != b->restart_window)
		note(keys, len, "restart_limit");
	if (memcmp(a->exitcodes, b->exitcodes, sizeof a->exitcodes) != 0)
		note(keys, len, "exitcodes");
	if (a->stopsignal != b->stopsignal)
		note(keys, len, "stopsignal");
	if (a->stopwaitsecs != b->stopwaitsecs)
		note(keys, len, "stopwaitsecs");
	if (a->stopasgroup != b->stopasgroup)
		note(keys, len, "stopasgroup");
	if (a->killasgroup != b->killasgroup)
		note(keys, len, "killasgroup");
	if (!logdest_limits_eq(&a->out, &b->out))
		note(keys, len, "stdout_logfile_maxbytes/backups");
	if (!logdest_limits_eq(&a->err, &b->err))
		note(keys, len, "stderr_logfile_maxbytes/backups");
	if (!str_eq(a->out.prefix, b->out.prefix))
		note(keys, len, "stdout_prefix");
	if (!str_eq(a->err.prefix, b->err.prefix))
		note(keys, len, "stderr_prefix");
	if (a->out.stamps != b->out.stamps)
		note(keys, len, "log_timestamps");
	if (!strv_eq(a->depends_on, b->depends_on))
		note(keys, len, "depends_on");
	if (a->ready_timeout != b->ready_timeout)
		note(keys, len, "ready_timeout");
	if (!health_eq(&a->health, &b->health))
		note(keys, len, "health");
	if (a->shutdown_on != b->shutdown_on)
		note(keys, len, "shutdown_on");
}

enum cfgdiff_kind
cfgdiff_program(const struct program_config *a,
    const struct program_config *b, char *keys, size_t len)
{
	keys[0] = '\0';
	if (cfgdiff_restart_keys(a, b, keys, len)) {
		/* Still name the live keys, so the user sees everything. */
		cfgdiff_live_keys(a, b, keys, len);
		return DIFF_RESTART;
	}
	cfgdiff_live_keys(a, b, keys, len);
	return keys[0] != '\0' ? DIFF_LIVE : DIFF_SAME;
}

static struct cfgdiff_entry *
cfgdiff_add(struct cfgdiff *d, enum cfgdiff_kind kind,
    const struct program_config *old, const struct program_config *new)
{
	struct cfgdiff_entry *e = &d->v[d->n++];

	e->kind = kind;
	e->old = old;
	e->new = new;
	e->keys[0] = '\0';
	return e;
}

/* A process by its (group, name), and where it is in its list. */
struct cfgdiff_key {
	const struct program_config	*pc;
	size_t				 i;
};

static int
cfgdiff_key_cmp(const void *a, const void *b)
{
	const struct program_config *x = ((const struct cfgdiff_key *)a)->pc;
	const struct program_config *y = ((const struct cfgdiff_key *)b)->pc;
	int c = strcmp(x->group, y->group);

	return c != 0 ? c : strcmp(x->name, y->name);
}

/*
 * Pair old and new processes by (group, name): both lists sorted, then
 * walked together, so a reread, an update or a re-exec of thousands of
 * programs costs n log n, not n squared (each looked up in all the
 * others).  MATCH[j]: new process j's old one, or NULL; KEPT[i]: old
 * process i is still there.
 */
static int
cfgdiff_pair(const struct program_config *const *old, size_t nold,
    const struct config *new, const struct program_config **match,
    bool *kept)
{
	struct cfgdiff_key *ko, *kn;
	size_t i = 0, j = 0;

	ko = calloc(nold + 1, sizeof *ko);
	kn = calloc(new->nprogs + 1, sizeof *kn);
	if (ko == NULL || kn == NULL) {
		free(ko);
		free(kn);
		return -1;
	}
	for (size_t k = 0; k < nold; k++)
		ko[k] = (struct cfgdiff_key){ old[k], k };
	for (size_t k = 0; k < new->nprogs; k++)
		kn[k] = (struct cfgdiff_key){ &new->progs[k], k };
	qsort(ko, nold, sizeof *ko, cfgdiff_key_cmp);
	qsort(kn, new->nprogs, sizeof *kn, cfgdiff_key_cmp);
	while (i < nold && j < new->nprogs) {
		int c = cfgdiff_key_cmp(&ko[i], &kn[j]);
		if (c == 0) {
			match[kn[j].i] = ko[i].pc;
			kept[ko[i].i] = true;
		}
		i += c <= 0;
		j += c >= 0;
	}
	free(ko);
	free(kn);
	return 0;
}

int
cfgdiff_compute(const struct program_config *const *old, size_t nold,
    const struct config *new, struct cfgdiff *d)
{
	const struct program_config **match;
	bool *kept;

	d->n = 0;
	d->v = calloc(nold + new->nprogs + 1, sizeof *d->v);
	match = calloc(new->nprogs + 1, sizeof *match);
	kept = calloc(nold + 1, sizeof *kept);
	if (d->v == NULL || match == NULL || kept == NULL ||
	    cfgdiff_pair(old, nold, new, match, kept) == -1) {
		free(match);
		free(kept);
		cfgdiff_free(d);
		return -1;
	}
	/* In the new config's order, then the removed in the old one's. */
	for (size_t j = 0; j < new->nprogs; j++) {
		const struct program_config *b = &new->progs[j];
		struct cfgdiff_entry *e;

		if (match[j] == NULL) {
			cfgdiff_add(d, DIFF_ADDED, NULL, b);
			continue;
		}
		e = cfgdiff_add(d, DIFF_SAME, match[j], b);
		e->kind = cfgdiff_program(match[j], b, e->keys,
		    sizeof e->keys);
	}
	for (size_t i = 0; i < nold; i++)
		if (!kept[i])
			cfgdiff_add(d, DIFF_REMOVED, old[i], NULL);
	free(match);
	free(kept);
	return 0;
}

void
cfgdiff_free(struct cfgdiff *d)
{
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

const char *
cfgdiff_group(const struct cfgdiff_entry *e)
{
	return e->new != NULL ? e->new->group : e->old->group;
}
