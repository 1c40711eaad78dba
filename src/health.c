/*
 * health.c -- periodic liveness checks of RUNNING processes (health.h).
 *
 * One record per process that has (or had) a check, holding its results
 * for status, and while it is RUNNING, either a timer for the next check
 * or the probe of the one running.  Checks never overlap: the next is due
 * health_interval seconds after the last one ended.  Records follow the
 * process table from health_settled(), which runs after the observers
 * heard of a batch, so a failing check acts (sup_unhealthy) from its own
 * loop callback, never from inside a sup_* call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "config.h"
#include "health.h"
#include "log.h"
#include "probe.h"
#include "proc.h"
#include "sup.h"

struct health {
	struct process		*p;
	pid_t			 pid;	/* the instance checked; 0: idle */
	ev_timer		 timer;	/* the next check */
	struct probe		*probe;	/* the check running */
	struct health_info	 info;
	struct health		*next;
};

static struct {
	struct ev_loop	*loop;
	struct health	*list;
} hl;

void
health_init(struct ev_loop *loop)
{
	hl.loop = loop;
}

static struct health *
health_find(const struct process *p)
{
	struct health *h;

	for (h = hl.list; h != NULL; h = h->next)
		if (h->p == p)
			return h;
	return NULL;
}

/* No check runs or waits: no timer, no probe. */
static void
health_idle(struct health *h)
{
	ev_timer_stop(hl.loop, &h->timer);
	probe_cancel(h->probe);
	h->probe = NULL;
	h->pid = 0;
}

static void
health_arm(struct health *h)
{
	ev_timer_stop(hl.loop, &h->timer);
	ev_timer_set(&h->timer, (double)h->p->cfg->health.interval, 0.);
	ev_timer_start(hl.loop, &h->timer);
}

static void	health_done(void *, enum probe_verdict, const char *);

static void
health_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct health *h = w->data;
	const struct program_config *cfg = h->p->cfg;
	struct probe_args a = { cfg->health.check, cfg->health.timeout,
	    "health_timeout", cfg, NULL };

	(void)revents;
	h->probe = probe_run(loop, &a, health_done, h);
}

static struct health *
health_new(struct process *p)
{
	struct health *h;

	if ((h = calloc(1, sizeof *h)) == NULL)
		fatal("calloc");
	h->p = p;
	ev_init(&h->timer, health_timer_cb);
	h->timer.data = h;
	h->next = hl.list;
	hl.list = h;
	return h;
}

/* Enough failures in a row: the process is stopped and restarted. */
static void
health_act(struct health *h, const char *why)
{
	char reason[PROC_SPAWNERR_LEN];

	snprintf(reason, sizeof reason, "health check failed %u time%s in a "
	    "row: %s", h->info.failures, h->info.failures == 1 ? "" : "s",
	    why);
	log_warnx("program %s: %s: restarting it", sup_name(h->p), reason);
	health_idle(h);
	sup_unhealthy(h->p, reason);
}

static void
health_done(void *arg, enum probe_verdict v, const char *why)
{
	struct health *h = arg;
	bool ok = v == PROBE_PASS;
	const struct health_config *hc = &h->p->cfg->health;

	h->probe = NULL;
	h->info.checks++;
	h->info.have_result = true;
	h->info.last_ok = ok;
	h->info.last_wall = time(NULL);
	snprintf(h->info.last, sizeof h->info.last, "%s", why);
	if (ok) {
		if (h->info.failures > 0)
			log_info("program %s: health check passed again: %s",
			    sup_name(h->p), why);
		h->info.failures = 0;
		health_arm(h);
		return;
	}
	h->info.failures++;
	log_warnx("program %s: health check failed (%u of %d in a row): %s",
	    sup_name(h->p), h->info.failures, hc->retries, why);
	if (h->info.failures >= (unsigned)hc->retries)
		health_act(h, why);
	else
		health_arm(h);
}

/* Remove H from the list and free it. */
static void
health_drop(struct health *h)
{
	struct health **hp;

	for (hp = &hl.list; *hp != NULL; hp = &(*hp)->next)
		if (*hp == h) {
			*hp = h->next;
			break;
		}
	health_idle(h);
	free(h);
}

/* Checks while RUNNING, from a fresh count for each new instance. */
static void
health_sync(struct process *p)
{
	struct health *h = health_find(p);
	bool up = p->state == PROC_RUNNING && p->pid > 0;

	if (p->cfg->health.check == NULL) {
		if (h != NULL)
			health_drop(h);	/* an update took it away */
		return;
	}
	if (h == NULL && !up)
		return;
	if (h == NULL)
		h = health_new(p);
	if (!up) {
		health_idle(h);
		return;
	}
	if (h->pid == p->pid)
		return;		/* checking this instance already */
	health_idle(h);
	h->pid = p->pid;
	h->info.checks = h->info.failures = 0;
	h->info.have_result = false;
	h->info.last[0] = '\0';
	health_arm(h);
}

void
health_settled(void)
{
	for (size_t i = 0; i < sup_count(); i++)
		health_sync(sup_at(i));
}

void
health_forget(struct process *p)
{
	struct health *h = health_find(p);

	if (h != NULL)
		health_drop(h);
}

void
health_free(void)
{
	while (hl.list != NULL)
		health_drop(hl.list);
}

const struct health_info *
health_info(const struct process *p)
{
	static const struct health_info unchecked;
	struct health *h;

	if (p->cfg->health.check == NULL)
		return NULL;
	h = health_find(p);
	return h != NULL ? &h->info : &unchecked;
}
