/*
 * sup.c -- the process table: its entries, their names, logs and lookup.
 *
 * The table is split by concern (see supint.h); this part only holds the
 * entries.  Everything that moves a process goes through sup_step()
 * (supstep.c), and through it proc_step(), the one writer of a process's
 * state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "heldsock.h"
#include "log.h"
#include "logstream.h"
#include "notifysrv.h"
#include "ready.h"
#include "stdinfeed.h"
#include "supint.h"

struct sup_state sup;

struct sproc *
sproc_of(struct process *p)
{
	return (struct sproc *)p->sup;
}

const char *
sup_name(const struct process *p)
{
	return ((const struct sproc *)p->sup)->display;
}

static int
sproc_cmp(const void *a, const void *b)
{
	const struct sproc *x = *(struct sproc *const *)a;
	const struct sproc *y = *(struct sproc *const *)b;

	return strcmp(x->display, y->display);
}

struct logstream *
sproc_open_log(const struct logdest_config *dc, const char *name,
    const char *stream)
{
	struct logstream *ls;

	if (dc->kind == LOGDEST_NONE)
		return NULL;
	if ((ls = logstream_new(sup.loop, dc, name, stream)) == NULL)
		fatal("logstream_new");
	(void)logstream_open(ls);	/* failure is logged, retried later */
	return ls;
}

struct sproc *
sproc_new(const struct program_config *pc)
{
	struct sproc *sp = calloc(1, sizeof *sp);
	int r;

	if (sp == NULL)
		fatal("calloc");
	proc_init(&sp->p, pc);
	sp->p.sup = sp;
	if (strcmp(pc->group, pc->name) == 0)
		r = asprintf(&sp->display, "%s", pc->name);
	else
		r = asprintf(&sp->display, "%s:%s", pc->group, pc->name);
	if (r == -1)
		fatal("asprintf");
	sp->status_w.fd = -1;
	heldsock_hold(pc);	/* its sockets live as long as it does */
	sp->out = sproc_open_log(&pc->out, sp->display, "stdout");
	if (!pc->redirect_stderr)
		sp->err = sproc_open_log(&pc->err, sp->display, "stderr");
	return sp;
}

void
sproc_free(struct sproc *sp)
{
	sup_unqueue(sp);
	sproc_close_status(sp);
	stdinfeed_free(sp->in);
	ready_probe_free(sp->probe);
	free(sp->status_text);
	logstream_free(sp->out);
	logstream_free(sp->err);
	heldsock_drop(sp->p.cfg);
	free(sp->display);
	free(sp);
}

bool
sproc_alive(const struct sproc *sp)
{
	return sp->p.pid > 0 || sp->p.state == PROC_BACKOFF;
}

int
sup_init(struct ev_loop *loop, const struct config *cfg)
{
	sup.loop = loop;
	sup.cfg = cfg;
	sup_spawn_init();
	sup_notes_init();
	sup.n = cfg->nprogs;
	if ((sup.v = calloc(sup.n ? sup.n : 1, sizeof *sup.v)) == NULL)
		fatal("calloc");
	for (size_t i = 0; i < sup.n; i++)
		sup.v[i] = sproc_new(&cfg->progs[i]);
	qsort(sup.v, sup.n, sizeof *sup.v, sproc_cmp);
	sup.g_stale = true;
	return 0;
}

void
sup_free(void)
{
	if (sup.loop != NULL)
		ev_timer_stop(sup.loop, &sup.spawn_w);
	sup_notes_free();
	for (size_t i = 0; i < sup.n; i++)
		sproc_free(sup.v[i]);
	free(sup.v);
	sup_configs_free();
	depgraph_free(&sup.g);
	notifysrv_close();
	memset(&sup, 0, sizeof sup);
}

void
sup_set_event_observer(sup_event_fn fn)
{
	sup.events = fn;
}

void
sup_set_observer(sup_change_fn fn, sup_gone_fn gone, sup_settled_fn settled)
{
	sup.observer = fn;
	sup.gone = gone;
	sup.settled = settled;
}

size_t
sup_count(void)
{
	return sup.n;
}

struct process *
sup_at(size_t i)
{
	return i < sup.n ? &sup.v[i]->p : NULL;
}

struct process *
sup_find(const char *spec)
{
	const char *colon = strchr(spec, ':');

	for (size_t i = 0; i < sup.n; i++) {
		const struct program_config *pc = sup.v[i]->p.cfg;
		if (strcmp(sup.v[i]->display, spec) == 0)
			return &sup.v[i]->p;
		/* "web:web" names a process alone in its group too. */
		if (colon != NULL &&
		    strncmp(pc->group, spec, (size_t)(colon - spec)) == 0 &&
		    pc->group[colon - spec] == '\0' &&
		    strcmp(pc->name, colon + 1) == 0)
			return &sup.v[i]->p;
	}
	return NULL;
}

struct sproc *
sup_find_pid(pid_t pid)
{
	for (size_t i = 0; i < sup.n; i++)
		if (sup.v[i]->p.pid == pid)
			return sup.v[i];
	return NULL;
}

struct sproc *
sup_find_cfg(const struct program_config *pc)
{
	for (size_t i = 0; i < sup.n; i++)
		if (sup.v[i]->p.cfg == pc)
			return sup.v[i];
	return NULL;
}

void
sup_table_add(struct sproc *sp)
{
	struct sproc **v = reallocarray(sup.v, sup.n + 1, sizeof *v);

	if (v == NULL)
		fatal("reallocarray");
	sup.v = v;
	sup.v[sup.n++] = sp;
	qsort(sup.v, sup.n, sizeof *sup.v, sproc_cmp);
	sup.g_stale = true;
}

void
sup_table_remove(size_t i)
{
	struct sproc *sp = sup.v[i];

	memmove(&sup.v[i], &sup.v[i + 1], (sup.n - i - 1) * sizeof *sup.v);
	sup.n--;
	sup.g_stale = true;
	log_info("removed: %s", sp->display);
	sup_note_gone(sp);
}

struct logstream *
sup_log(struct process *p, int fd)
{
	struct sproc *sp = sproc_of(p);

	if (fd == 2 && !p->cfg->redirect_stderr)
		return sp->err;
	return sp->out;
}

int
sup_stdin(struct process *p, const char *data, size_t len)
{
	struct sproc *sp = sproc_of(p);

	/* supervisord's "not running": no pid, or being stopped. */
	if (p->pid <= 0 || p->state == PROC_STOPPING) {
		errno = ESRCH;
		return -1;
	}
	if (sp->in == NULL) {	/* a listener: its stdin is the protocol */
		errno = EPIPE;
		return -1;
	}
	return stdinfeed_write(sp->in, data, len);
}

uint64_t
sup_lost_bytes(const struct process *p)
{
	const struct sproc *sp = p->sup;

	return (sp->out ? logstream_lost(sp->out) : 0) +
	    (sp->err ? logstream_lost(sp->err) : 0);
}

const char *
sup_log_path(const struct process *p, bool err)
{
	const struct sproc *sp = p->sup;
	const struct logstream *ls = err ? sp->err : sp->out;

	return ls != NULL ? logstream_path(ls) : "";
}

const char *
sup_status_text(const struct process *p)
{
	return ((const struct sproc *)p->sup)->status_text;
}

bool
sup_spawn_pending(const struct process *p)
{
	return ((const struct sproc *)p->sup)->spawn_pending;
}

void
sup_reopen_logs(void)
{
	for (size_t i = 0; i < sup.n; i++) {
		if (sup.v[i]->out != NULL)
			logstream_open(sup.v[i]->out);
		if (sup.v[i]->err != NULL)
			logstream_open(sup.v[i]->err);
	}
}
