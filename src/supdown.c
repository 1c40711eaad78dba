/*
 * supdown.c -- shutdown: everything down in waves, dependents before what
 * they depend on, then by priority, highest first (supervisord's order).
 * A reload is a shutdown followed by a new table (supupdate.c).
 */
#include "config.h"
#include "supint.h"

bool
sup_shutting_down(void)
{
	return sup.shutting_down;
}

/* Alive, and nothing that depends on it is: free to go down. */
static const struct process *
sup_may_stop(size_t i, void *arg)
{
	struct sproc *sp = sup.v[i];

	(void)arg;
	return sproc_alive(sp) && sup_rdeps_down(sp) ? &sp->p : NULL;
}

static bool
sup_any_alive(void)
{
	for (size_t i = 0; i < sup.n; i++)
		if (sproc_alive(sup.v[i]))
			return true;
	return false;
}

/* Stop the highest priority of what is free to stop; when nothing is
 * left alive, we are done. */
void
sup_shutdown_next(void)
{
	int top = 0;

	if (!proc_wave_top(sup.n, sup_may_stop, NULL, &top)) {
		if (sup_any_alive())
			return;	/* the dependents are still going down */
		if (sup.reload_cfg != NULL)
			sup_reload_stopped();
		else
			sup.down_done = true;	/* told after delivery */
		return;
	}
	/* A wave: every process of the top priority at once. */
	for (size_t i = 0; i < sup.n; i++) {
		struct sproc *sp = sup.v[i];
		if (sup_may_stop(i, NULL) != NULL &&
		    sp->p.cfg->priority == top &&
		    sp->p.state != PROC_STOPPING)
			sup_step(sp, PEV_STOP);
	}
}

void
sup_shutdown(void (*done)(void))
{
	if (sup.shutting_down)
		return;
	sup.shutting_down = true;
	sup.shutdown_done = done;
	/* Nothing may come back up while the rest goes down. */
	sup_enter();
	for (size_t i = 0; i < sup.n; i++) {
		sup.v[i]->stop_held = false;
		sup_step(sup.v[i], sup.v[i]->p.waiting ? PEV_STOP :
		    PEV_STOP_HELD);
	}
	sup.changed = true;
	sup_leave();
}
