/*
 * supdown.c -- shutdown: everything down in waves, dependents before what
 * they depend on, then by priority, highest first (supervisord's order).
 * Listeners go last, whatever their priority: they are to hear the
 * programs' STOPPING and STOPPED, as under supervisord, where their
 * default priority (-1) puts them there.  A reload is a shutdown followed
 * by a new table (supupdate.c).
 */
#include "config.h"
#include "evbus.h"
#include "supint.h"

bool
sup_shutting_down(void)
{
	return sup.shutting_down;
}

/* Alive, and nothing that depends on it is: free to go down.  A
 * listener also waits for the programs (ARG: is one alive?), for their
 * last changes to become events (the notes not yet delivered) and for
 * those to be sent and answered (evbus_holds). */
static const struct process *
sup_may_stop(size_t i, void *arg)
{
	struct sproc *sp = sup.v[i];
	const bool *programs_alive = arg;

	if (sp->p.cfg->listener && (*programs_alive || sup.nnotes > 0 ||
	    evbus_holds(&sp->p)))
		return NULL;
	return sproc_alive(sp) && sup_rdeps_down(sp) ? &sp->p : NULL;
}

static bool
sup_programs_alive(void)
{
	for (size_t i = 0; i < sup.n; i++)
		if (!sup.v[i]->p.cfg->listener && sproc_alive(sup.v[i]))
			return true;
	return false;
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
	bool programs_alive = sup_programs_alive();

	if (!proc_wave_top(sup.n, sup_may_stop, &programs_alive, &top)) {
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
		if (sup_may_stop(i, &programs_alive) != NULL &&
		    sp->p.cfg->priority == top &&
		    sp->p.state != PROC_STOPPING)
			sup_step(sp, PEV_STOP);
	}
}

void
sup_shutdown_poke(void)
{
	if (!sup.shutting_down || sup.depth > 0)
		return;
	sup_enter();
	sup.changed = true;
	sup_leave();
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
