/*
 * cfgsock.c -- the socket keys of a program's section: [fcgi-program:]
 * socket=, socket_owner=, socket_mode=, socket_backlog= (supervisord's),
 * and [program:] sockets= (procd's: socket activation).  The values are
 * parsed by sockspec.c; heldsock.c binds them.
 *
 * As in supervisord, socket_owner and socket_mode are for unix sockets
 * only, socket_backlog is 1-65535, and an owner must exist.  A pool's
 * processes share one socket, so [fcgi-program:] socket= may not depend
 * on %(process_num)d (cfgsock_pool checks that once they are built), and
 * a socket is held once per group, so one URL in two groups is an error
 * (cfgsock_conflicts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "cause.h"
#include "cfgget.h"
#include "cfgglobal.h"
#include "cfgsock.h"
#include "cfguser.h"
#include "config.h"
#include "sockspec.h"

/* An owner= that names no user or group is an error now, not at bind
 * (when procd checks the host: procctl reads a config only to find the
 * control socket). */
static int
cfgsock_owner_ok(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgkey *k, const char *owner)
{
	char *cause = NULL;
	uid_t uid;
	gid_t gid;

	if (owner == NULL || !cfgglobal_host_checks() ||
	    cfguser_owner(owner, &uid, &gid, &cause) == 0)
		return 0;
	cfgstore_diag(st, s, k, DIAG_ERROR, "%s", cause != NULL ? cause :
	    "out of memory");
	free(cause);
	return -1;
}

/* A unix socket whose directory does not exist can never be bound: say
 * so (supervisord finds out only at the spawn, so it is no error). */
static void
cfgsock_dir(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgkey *k, const struct sockspec *spec)
{
	struct stat sb;
	char *dir;

	if (spec->kind != SOCKSPEC_UNIX || !cfgglobal_host_checks() ||
	    (dir = strdup(spec->path)) == NULL)
		return;
	*strrchr(dir, '/') = '\0';
	if (stat(*dir != '\0' ? dir : "/", &sb) == -1 || !S_ISDIR(sb.st_mode))
		cfgstore_diag(st, s, k, DIAG_WARNING, "%s is not an existing "
		    "directory (%s cannot be bound until it is)",
		    *dir != '\0' ? dir : "/", spec->url);
	free(dir);
}

/* Report CAUSE (freed) against key K of S; -1. */
static int
cfgsock_bad(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgkey *k, char *cause)
{
	cfgstore_diag(st, s, k, DIAG_ERROR, "%s", cause != NULL ? cause :
	    "out of memory");
	free(cause);
	return -1;
}

/* socket_owner=, socket_mode=, socket_backlog= onto SPEC. */
static int
cfgsock_fcgi_opts(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgexp *exp, struct sockspec *spec)
{
	const struct cfgkey *ko = cfgstore_key(s, "socket_owner"),
	    *km = cfgstore_key(s, "socket_mode");
	long backlog = -1;

	if (cfgget_int(st, s, "socket_backlog", exp, 1, SOCKSPEC_BACKLOG_MAX,
	    &backlog) == -1 || cfgget_octal(st, s, "socket_mode", exp, 0777,
	    &spec->mode) == -1 || cfgget_str(st, s, "socket_owner", exp,
	    &spec->owner) == -1)
		return -1;
	spec->backlog = (int)backlog;
	if (spec->kind == SOCKSPEC_TCP && (ko != NULL || km != NULL)) {
		cfgstore_diag(st, s, ko != NULL ? ko : km, DIAG_ERROR, "only "
		    "for a unix socket (socket= is %s)", spec->url);
		return -1;
	}
	return cfgsock_owner_ok(st, s, ko, spec->owner);
}

/* [fcgi-program:] socket= and its options: P's one socket, its stdin. */
static int
cfgsock_fcgi(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgexp *exp, struct program_config *p, bool first)
{
	const struct cfgkey *k = cfgstore_key(s, "socket");
	char *text = NULL, *cause = NULL;
	struct sockspec *spec;

	if (cfgstore_key(s, "sockets") != NULL)
		return cfgsock_bad(st, s, cfgstore_key(s, "sockets"),
		    strdup("not in an [fcgi-program:] (its socket is socket=, "
		    "given as stdin)"));
	if (k == NULL) {
		diag_add(st->diags, DIAG_ERROR, st->files[s->file].path,
		    s->line, "[%s]: no socket= (an fcgi-program needs one, "
		    "e.g. socket=unix:///run/%s.sock)", s->name, s->arg);
		return -1;
	}
	if (cfgget_str(st, s, "socket", exp, &text) == -1)
		return -1;
	if ((spec = calloc(1, sizeof *spec)) == NULL) {
		free(text);
		return cfgsock_bad(st, s, k, NULL);
	}
	if (sockspec_url(text, spec, &cause) == -1) {
		free(text);
		free(spec);
		return cfgsock_bad(st, s, k, cause);
	}
	free(text);
	p->sockets = spec;
	p->nsockets = 1;
	p->fcgi = true;
	if (first)
		cfgsock_dir(st, s, k, spec);
	return cfgsock_fcgi_opts(st, s, exp, spec);
}

/* [program:] sockets=: P's sockets, passed from fd 3. */
static int
cfgsock_list(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgexp *exp, struct program_config *p, bool first)
{
	const struct cfgkey *k = cfgstore_key(s, "sockets");
	char *text = NULL, *cause = NULL;
	int bad = 0;

	if (k == NULL)
		return 0;
	if (cfgget_str(st, s, "sockets", exp, &text) == -1)
		return -1;
	if (sockspec_list(text, &p->sockets, &p->nsockets, &cause) == -1) {
		free(text);
		return cfgsock_bad(st, s, k, cause);
	}
	free(text);
	for (size_t i = 0; i < p->nsockets; i++) {
		bad |= cfgsock_owner_ok(st, s, k, p->sockets[i].owner);
		if (first)
			cfgsock_dir(st, s, k, &p->sockets[i]);
	}
	/* ready=fd:N must not land on a socket's descriptor. */
	if (p->ready.kind == READY_FD && p->ready.fd < 3 + (int)p->nsockets) {
		cfgstore_diag(st, s, k, DIAG_ERROR, "%zu socket%s take%s "
		    "descriptors 3 to %zu, so ready=fd:%d must be above them",
		    p->nsockets, p->nsockets == 1 ? "" : "s", p->nsockets == 1 ?
		    "s" : "", 2 + p->nsockets, p->ready.fd);
		bad = -1;
	}
	return bad;
}

int
cfgsock_settings(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgexp *exp, struct program_config *p, bool first)
{
	if (s->type == CFGSECT_FCGI)
		return cfgsock_fcgi(st, s, exp, p, first);
	return cfgsock_list(st, s, exp, p, first);
}

int
cfgsock_pool(struct cfgstore *st, const struct config *cf,
    const struct cfgsect *s, size_t from)
{
	for (size_t i = from + 1; i < cf->nprogs; i++) {
		if (cf->progs[i].nsockets == 0 || cf->progs[from].nsockets == 0)
			return 0;	/* an error was reported */
		if (strcmp(cf->progs[i].sockets[0].url,
		    cf->progs[from].sockets[0].url) == 0)
			continue;
		cfgstore_diag(st, s, cfgstore_key(s, "socket"), DIAG_ERROR,
		    "the processes of a pool share one socket, so it cannot "
		    "depend on %%(process_num)d (%s, %s)",
		    cf->progs[from].sockets[0].url,
		    cf->progs[i].sockets[0].url);
		return -1;
	}
	return 0;
}

void
cfgsock_free(struct program_config *p)
{
	sockspec_list_free(p->sockets, p->nsockets);
	p->sockets = NULL;
	p->nsockets = 0;
}

static const char *
cfgsock_kind(const struct program_config *p)
{
	return p->fcgi ? "fcgi-program" : "program";
}

/* The first process before P (in CF) of another group with a socket at
 * URL, or NULL. */
static const struct program_config *
cfgsock_holder(const struct config *cf, const struct program_config *p,
    const char *url)
{
	/* By index: cf->progs is NULL when there are none. */
	for (size_t j = 0; &cf->progs[j] != p; j++) {
		const struct program_config *q = &cf->progs[j];
		if (strcmp(q->group, p->group) == 0)
			continue;
		for (size_t k = 0; k < q->nsockets; k++)
			if (strcmp(q->sockets[k].url, url) == 0)
				return q;
	}
	return NULL;
}

void
cfgsock_conflicts(struct cfgstore *st, const struct config *cf)
{
	const struct program_config *p, *q;

	for (size_t j = 0; j < cf->nprogs; j++) {
		p = &cf->progs[j];
		for (size_t i = 0; i < p->nsockets; i++) {
			if ((q = cfgsock_holder(cf, p, p->sockets[i].url)) ==
			    NULL)
				continue;
			diag_add(st->diags, DIAG_ERROR, p->file, p->line,
			    "[%s:%s] in group %s: socket %s is also group "
			    "%s's ([%s:%s] at %s:%d); a socket is held once "
			    "per group", cfgsock_kind(p), p->program, p->group,
			    p->sockets[i].url, q->group, cfgsock_kind(q),
			    q->program, q->file, q->line);
			return;	/* one is enough to say it */
		}
	}
}
