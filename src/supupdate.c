/*
 * supupdate.c -- a new configuration for the running table: update (only
 * what changed: add, remove, restart, retarget in place) and reload
 * (everything down, then the new table from scratch).
 *
 * Configs stay alive while any process refers to one of their programs;
 * a change that needs the process down first waits in the entry (next,
 * retiring) and is finished by sup_settle() once it is.
 */
#include <stdlib.h>
#include <string.h>

#include "cfgdiff.h"
#include "config.h"
#include "heldsock.h"
#include "log.h"
#include "logstream.h"
#include "supint.h"

/* Point a process at its new config; its logs move with it (the old
 * config is freed once nothing uses it). */
static void
sproc_retarget(struct sproc *sp, const struct program_config *pc)
{
	sp->p.cfg = pc;
	sup.g_stale = true;
	if (sp->out != NULL)
		logstream_set_config(sp->out, &pc->out);
	if (sp->err != NULL)
		logstream_set_config(sp->err, &pc->err);
}

/* A down process takes its new config: new pipes and logs too. */
static void
sproc_switch(struct sproc *sp)
{
	const struct program_config *pc = sp->next;

	sp->next = NULL;
	sup.g_stale = true;
	logstream_free(sp->out);
	logstream_free(sp->err);
	/* New sockets first: one both configs name stays open. */
	heldsock_hold(pc);
	heldsock_drop(sp->p.cfg);
	sp->p.cfg = pc;
	sp->out = sproc_open_log(&pc->out, sp->display, "stdout");
	sp->err = pc->redirect_stderr ? NULL :
	    sproc_open_log(&pc->err, sp->display, "stderr");
	log_info("updated: %s", sp->display);
	if (sp->start_after)
		sup_start_tree(sp, 0);
}

static bool
config_holds(const struct config *cf, const struct program_config *pc)
{
	return pc != NULL && pc >= cf->progs && pc < cf->progs + cf->nprogs;
}

static bool
sup_config_used(const struct config *cf)
{
	for (size_t i = 0; i < sup.n; i++)
		if (config_holds(cf, sup.v[i]->p.cfg) ||
		    config_holds(cf, sup.v[i]->next))
			return true;
	/* Removed, not yet freed: observers may still read its config --
	 * those of the round being delivered too. */
	for (size_t i = 0; i < sup.ndead; i++)
		if (config_holds(cf, sup.graveyard[i]->p.cfg))
			return true;
	for (size_t i = 0; i < sup.ndying; i++)
		if (config_holds(cf, sup.dying[i]->p.cfg))
			return true;
	return false;
}

/* Free the configs no process refers to any more (the newest stays). */
static void
sup_gc_configs(void)
{
	for (size_t k = 0; k + 1 < sup.nheld; k++) {
		if (sup_config_used(sup.held[k]))
			continue;
		config_free(sup.held[k]);
		memmove(&sup.held[k], &sup.held[k + 1],
		    (sup.nheld - k - 1) * sizeof *sup.held);
		sup.nheld--;
		k--;
	}
}

void
sup_configs_free(void)
{
	for (size_t i = 0; i < sup.nheld; i++)
		config_free(sup.held[i]);
	free(sup.held);
	sup.held = NULL;
	sup.nheld = 0;
}

/* Finish the updates that waited for a process to be down. */
void
sup_settle(void)
{
	for (size_t i = 0; i < sup.n; i++) {
		struct sproc *sp = sup.v[i];
		if (sproc_alive(sp) || (!sp->retiring && sp->next == NULL))
			continue;
		if (sp->retiring)
			sup_table_remove(i--);
		else
			sproc_switch(sp);
	}
	if (sup.nheld > 1)
		sup_gc_configs();
}

static void
sup_hold(struct config *cfg)
{
	struct config **v = reallocarray(sup.held, sup.nheld + 1, sizeof *v);

	if (v == NULL)
		fatal("reallocarray");
	sup.held = v;
	sup.held[sup.nheld++] = cfg;
}

size_t
sup_configs(const struct program_config ***out)
{
	size_t n = 0;

	if ((*out = calloc(sup.n ? sup.n : 1, sizeof **out)) == NULL)
		fatal("calloc");
	for (size_t i = 0; i < sup.n; i++)
		if (!sup.v[i]->retiring)
			(*out)[n++] = sup.v[i]->next ? sup.v[i]->next :
			    sup.v[i]->p.cfg;
	return n;
}

static void
sup_apply_entry(const struct cfgdiff_entry *e)
{
	struct sproc *sp = e->old ? sup_find_cfg(e->old) : NULL;

	if (e->kind != DIFF_ADDED && sp == NULL)
		return;		/* raced with another update: nothing to do */
	switch (e->kind) {
	case DIFF_ADDED:
		sp = sproc_new(e->new);
		sup_table_add(sp);
		log_info("added: %s", sp->display);
		break;		/* started once all are in: sup_update */
	case DIFF_REMOVED:
		sp->retiring = true;
		sup.g_stale = true;
		sup_step(sp, PEV_STOP);
		break;
	case DIFF_RESTART:
		sp->next = e->new;
		sup.g_stale = true;
		sp->start_after = sp->p.want == WANT_UP || e->new->autostart;
		if (sproc_alive(sp))
			sup_step(sp, PEV_STOP);
		break;
	case DIFF_LIVE:
		log_info("changed live: %s (%s)", sp->display, e->keys);
		/* FALLTHROUGH */
	case DIFF_SAME:
		sproc_retarget(sp, e->new);
		break;
	}
}

void
sup_update(struct config *cfg, const struct cfgdiff *d,
    bool (*pick)(const char *group, void *), void *arg)
{
	sup_hold(cfg);
	sup_enter();
	for (size_t i = 0; i < d->n; i++)
		if (pick == NULL || pick(cfgdiff_group(&d->v[i]), arg))
			sup_apply_entry(&d->v[i]);
	/* Only now: an added program may depend on one added after it. */
	for (size_t i = 0; i < d->n; i++) {
		const struct cfgdiff_entry *e = &d->v[i];
		struct sproc *sp;
		if (e->kind == DIFF_ADDED && e->new->autostart &&
		    (sp = sup_find_cfg(e->new)) != NULL)
			sup_start_tree(sp, 0);
	}
	sup.changed = true;	/* settle what is already down */
	sup_leave();
}

bool
sup_update_pending(void)
{
	for (size_t i = 0; i < sup.n; i++)
		if (sup.v[i]->retiring || sup.v[i]->next != NULL)
			return true;
	return sup.reload_cfg != NULL;
}

/* Everything is down (supdown.c): build the table afresh and start it. */
void
sup_reload_stopped(void)
{
	struct config *cfg = sup.reload_cfg;

	while (sup.n > 0)
		sup_table_remove(sup.n - 1);
	sup.shutting_down = false;
	sup.reload_cfg = NULL;
	for (size_t i = 0; i < cfg->nprogs; i++)
		sup_table_add(sproc_new(&cfg->progs[i]));
	sup_gc_configs();
	sup_autostart();
	log_info("reload: done");
}

void
sup_reload(struct config *cfg)
{
	sup_hold(cfg);
	sup.reload_cfg = cfg;
	sup_shutdown(NULL);
}

bool
sup_reloading(void)
{
	return sup.reload_cfg != NULL;
}
