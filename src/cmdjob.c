/*
 * cmdjob.c -- start, stop and restart: commands that answer only once
 * their processes got where they were sent.
 *
 * A job per request is advanced on every state change of its processes;
 * stops go in waves by decreasing priority, and each process's line is
 * printed in argument order (all stop lines, then all start lines, as
 * supervisorctl's restart does).  start and stop --no-wait (XML-RPC's
 * wait=false) answer once each process is spawned, or sent its stop
 * signal, all at once as supervisord does then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "cmdint.h"
#include "config.h"
#include "control.h"
#include "log.h"
#include "proc.h"
#include "sup.h"
#include "textsafe.h"

enum job_kind {
	JOB_START,
	JOB_STOP,
	JOB_RESTART,
	JOB_ROLLING,	/* restart one at a time, each up before the next */
};

enum target_phase {
	PHASE_STOPPING,		/* waiting for the process to be gone */
	PHASE_WAIT_START,	/* to be started once every stop is done */
	PHASE_STARTING,		/* waiting for RUNNING */
	PHASE_DONE,
};

struct target {
	struct process	*p;
	enum target_phase phase;
	bool		 signalled;	/* stop sent (waves go by priority) */
	bool		 went_down;	/* seen down since: done, even if
					 * another client started it again */
	unsigned	 spawns;	/* p->spawns when the start was sent */
};

struct job {
	struct client	*c;
	enum job_kind	 kind;
	struct target	*t;
	size_t		 n;
	int		 code;
	bool		 nowait;	/* --no-wait: spawned or signalled */
	bool		 done;		/* answered: unlinked once no walk of
					 * the list is under way */
	struct job	*next;
};

static struct job *jobs;
static int jobs_walking;	/* walks of the list under way */

/* Free the jobs that are done, unless the list is being walked. */
static void
jobs_sweep(void)
{
	struct job **jp = &jobs, *j;

	if (jobs_walking > 0)
		return;
	while ((j = *jp) != NULL) {
		if (!j->done) {
			jp = &j->next;
			continue;
		}
		*jp = j->next;
		free(j->t);
		free(j);
	}
}

static void
job_free(struct job *j)
{
	j->done = true;
	j->c = NULL;
	jobs_sweep();
}

static void
target_begin_start(struct target *t)
{
	t->phase = PHASE_STARTING;
	t->spawns = t->p->spawns;
	sup_start(t->p);
}

/* Send T's stop, once. */
static void
target_send_stop(struct target *t)
{
	if (!t->signalled) {
		t->signalled = true;
		sup_stop(t->p);
	}
}

/* A stop sent is done once the process is down, or was since. */
static bool
target_down(const struct target *t)
{
	return t->went_down ||
	    !(t->p->pid > 0 || t->p->state == PROC_BACKOFF);
}

/* A target of the next stop wave, or NULL. */
static const struct process *
job_wave_cand(size_t i, void *arg)
{
	const struct target *t = &((struct job *)arg)->t[i];

	return t->phase == PHASE_STOPPING && !t->signalled ? t->p : NULL;
}

/* Send the stops of the next wave: highest priority first, and only once
 * everything of a higher priority is gone.  True if a wave was sent. */
static bool
job_stop_wave(struct job *j)
{
	int top = 0;

	/* The current wave is still going down: one of it is alive.  (Its
	 * lines may wait for an earlier target's, in argument order, and
	 * that one may be in a later wave: "alive", not "phase".) */
	for (size_t i = 0; i < j->n; i++) {
		const struct target *t = &j->t[i];
		if (t->phase == PHASE_STOPPING && t->signalled &&
		    !target_down(t))
			return false;
	}
	if (!proc_wave_top(j->n, job_wave_cand, j, &top))
		return false;
	for (size_t i = 0; i < j->n; i++) {
		struct target *t = &j->t[i];
		if (job_wave_cand(i, j) != NULL && t->p->cfg->priority == top)
			target_send_stop(t);
	}
	return true;
}

/* What a start came to, once it is no longer STARTING. */
static void
target_start_result(struct job *j, struct target *t)
{
	const char *name = sup_name(t->p);

	if (t->p->state == PROC_RUNNING) {
		client_outf(j->c, "%s: started\n", name);
	} else if (t->p->dep_failed) {
		struct buf why;
		buf_init(&why);
		textsafe_escape(&why, t->p->spawnerr);
		client_outf(j->c, "%s: ERROR (%s)\n", name, why.data);
		buf_free(&why);
		j->code = EXIT_DEAD;
	} else if (t->p->spawns == t->spawns || t->p->exec_failed) {
		client_outf(j->c, "%s: ERROR (spawn error)\n", name);
		j->code = EXIT_DEAD;
	} else {
		client_outf(j->c, "%s: ERROR (abnormal termination)\n", name);
		j->code = EXIT_DEAD;
	}
	t->phase = PHASE_DONE;
}

/* Stop lines, in argument order: stop at the first still going down. */
static void
job_pass_stops(struct job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		struct target *t = &j->t[i];
		if (t->phase != PHASE_STOPPING)
			continue;
		if (!t->signalled || !target_down(t))
			return;
		client_outf(j->c, "%s: stopped\n", sup_name(t->p));
		t->phase = j->kind == JOB_RESTART ? PHASE_WAIT_START :
		    PHASE_DONE;
	}
}

static bool
job_stopping(const struct job *j)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->t[i].phase == PHASE_STOPPING)
			return true;
	return false;
}

/* A rolling restart stops at a failure: the rest are left alone. */
static void
job_halt(struct job *j, size_t from)
{
	for (size_t i = from; i < j->n; i++) {
		if (j->t[i].phase == PHASE_DONE)
			continue;
		client_outf(j->c, "%s: not restarted (rolling restart "
		    "halted)\n", sup_name(j->t[i].p));
		j->t[i].phase = PHASE_DONE;
	}
}

/* Start lines, in argument order, once nothing is left to stop. */
static void
job_pass_starts(struct job *j)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->t[i].phase == PHASE_WAIT_START)
			target_begin_start(&j->t[i]);
	for (size_t i = 0; i < j->n; i++) {
		struct target *t = &j->t[i];
		if (t->phase != PHASE_STARTING)
			continue;
		if (t->p->state == PROC_STARTING || sup_spawn_pending(t->p) ||
		    (t->p->state == PROC_STOPPING && t->p->want == WANT_UP))
			return;
		target_start_result(j, t);
	}
}

/*
 * restart --rolling: the first unfinished process is stopped, started and
 * waited for until RUNNING before the next is touched.  One that does not
 * come up halts the roll, so a bad release stops at its first victim.
 */
static void
job_pass_rolling(struct job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		struct target *t = &j->t[i];
		switch (t->phase) {
		case PHASE_STOPPING:
			target_send_stop(t);
			if (!target_down(t))
				return;
			client_outf(j->c, "%s: stopped\n", sup_name(t->p));
			/* FALLTHROUGH */
		case PHASE_WAIT_START:
			target_begin_start(t);
			/* FALLTHROUGH */
		case PHASE_STARTING:
			if (t->p->state == PROC_STARTING ||
			    sup_spawn_pending(t->p))
				return;
			target_start_result(j, t);
			if (t->p->state != PROC_RUNNING)
				job_halt(j, i + 1);
			/* FALLTHROUGH */
		case PHASE_DONE:
			break;
		}
	}
}

/* --no-wait: a stop is done once sent, a start once spawned (or failed
 * to be); lines in argument order. */
static void
job_pass_nowait(struct job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		struct target *t = &j->t[i];
		switch (t->phase) {
		case PHASE_STOPPING:
			target_send_stop(t);
			client_outf(j->c, "%s: %s\n", sup_name(t->p),
			    target_down(t) ? "stopped" : "stopping");
			t->phase = PHASE_DONE;
			break;
		case PHASE_WAIT_START:
			target_begin_start(t);
			/* FALLTHROUGH */
		case PHASE_STARTING:
			if (sup_spawn_pending(t->p) || (t->p->state ==
			    PROC_STOPPING && t->p->want == WANT_UP))
				return;
			if (t->p->state == PROC_STARTING) {
				client_outf(j->c, "%s: started\n",
				    sup_name(t->p));
				t->phase = PHASE_DONE;
			} else
				target_start_result(j, t);
			break;
		case PHASE_DONE:
			break;
		}
	}
}

static void
job_pass(struct job *j)
{
	if (j->nowait) {
		job_pass_nowait(j);
		return;
	}
	if (j->kind == JOB_ROLLING) {
		job_pass_rolling(j);
		return;
	}
	/* A stop may change nothing (a dependency's stop already took the
	 * process down), and then no change will come to call us again:
	 * go on while waves are sent. */
	do
		job_pass_stops(j);
	while (job_stop_wave(j));
	if (!job_stopping(j))
		job_pass_starts(j);
}

static bool
job_done(const struct job *j)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->t[i].phase != PHASE_DONE)
			return false;
	return true;
}

/*
 * Advance the job; finish the request when every target is done.  What it
 * asks of the table comes back only later, through cmdjob_observe() from
 * the loop (sup.h), so this never runs inside itself.
 */
static void
job_progress(struct job *j)
{
	if (j->done)
		return;
	job_pass(j);
	if (!job_done(j))
		return;
	client_end(j->c, j->code);
	job_free(j);
}

/* Set up a target: a stop of something not running is answered at once. */
static bool
target_init(struct job *j, struct target *t)
{
	struct process *p = t->p;

	switch (j->kind) {
	case JOB_START:
		if (proc_is_active(p->state) && p->state != PROC_STOPPING) {
			client_outf(j->c, "%s: ERROR (already started)\n",
			    sup_name(p));
			t->phase = PHASE_DONE;
			return false;
		}
		t->phase = PHASE_WAIT_START;
		return true;
	case JOB_STOP:
	case JOB_RESTART:
	case JOB_ROLLING:
		if (p->pid > 0 || p->state == PROC_BACKOFF) {
			t->phase = PHASE_STOPPING;
			return true;
		}
		client_outf(j->c, "%s: ERROR (not running)\n", sup_name(p));
		if (j->kind != JOB_STOP) {
			t->phase = PHASE_WAIT_START;
			return true;
		}
		t->phase = PHASE_DONE;
		return false;
	}
	return false;
}

static int
job_prio_cmp(const void *a, const void *b)
{
	const struct process *x = *(struct process *const *)a;
	const struct process *y = *(struct process *const *)b;

	return (x->cfg->priority > y->cfg->priority) -
	    (x->cfg->priority < y->cfg->priority);
}

/* "all" acts only on what needs it, in priority order, like
 * supervisorctl's startAll/stopAll. */
static size_t
job_filter_all(enum job_kind kind, struct process **ps, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		bool up = ps[i]->pid > 0 || ps[i]->state == PROC_BACKOFF;
		if (kind == JOB_START ? !(proc_is_active(ps[i]->state) &&
		    ps[i]->state != PROC_STOPPING) : (kind != JOB_STOP ||
		    up))
			ps[k++] = ps[i];
	}
	qsort(ps, k, sizeof *ps, job_prio_cmp);
	return k;
}

static void
cmd_job(struct client *c, int argc, char **argv, enum job_kind kind,
    bool nowait)
{
	struct process **ps;
	struct job *j;
	size_t n;
	bool all = false;

	if (argc < 2) {
		client_errf(c, "Error: %s requires a process name\n", argv[0]);
		client_end(c, EXIT_USAGE);
		return;
	}
	cmd_log_request(c, argc, argv);
	for (int i = 1; i < argc; i++)
		all = all || strcmp(argv[i], "all") == 0;
	if ((j = calloc(1, sizeof *j)) == NULL)
		fatal("calloc");
	j->c = c;
	j->kind = kind;
	j->nowait = nowait;
	if (!cmd_resolve(c, argc - 1, argv + 1, &ps, &n))
		j->code = EXIT_GENERIC;
	if (all)
		n = job_filter_all(kind, ps, n);
	if ((j->t = calloc(n ? n : 1, sizeof *j->t)) == NULL)
		fatal("calloc");
	for (size_t i = 0; i < n; i++) {
		j->t[j->n].p = ps[i];
		if (target_init(j, &j->t[j->n]))
			j->n++;
	}
	free(ps);
	j->next = jobs;
	jobs = j;
	job_progress(j);
}

/* ARGV[1] is OPT: drop it (keeping the command's name first). */
static bool
cmd_option(int *argc, char ***argv, const char *opt)
{
	if (*argc < 2 || strcmp((*argv)[1], opt) != 0)
		return false;
	(*argv)[1] = (*argv)[0];
	(*argc)--;
	(*argv)++;
	return true;
}

void
cmd_start(struct client *c, int argc, char **argv)
{
	bool nowait = cmd_option(&argc, &argv, "--no-wait");

	cmd_job(c, argc, argv, JOB_START, nowait);
}

void
cmd_stop(struct client *c, int argc, char **argv)
{
	bool nowait = cmd_option(&argc, &argv, "--no-wait");

	cmd_job(c, argc, argv, JOB_STOP, nowait);
}

void
cmd_restart(struct client *c, int argc, char **argv)
{
	bool rolling = cmd_option(&argc, &argv, "--rolling");

	cmd_job(c, argc, argv, rolling ? JOB_ROLLING : JOB_RESTART, false);
}

static bool
job_has(const struct job *j, const struct process *p, bool pending_only)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->t[i].p == p &&
		    (!pending_only || j->t[i].phase != PHASE_DONE))
			return true;
	return false;
}

/* P went down (a note from the loop: it may be up again by now). */
static void
job_note_down(struct job *j, const struct process *p)
{
	for (size_t i = 0; i < j->n; i++) {
		struct target *t = &j->t[i];
		if (t->p == p && t->phase == PHASE_STOPPING && t->signalled)
			t->went_down = true;
	}
}

void
cmdjob_observe(struct process *p, enum proc_state new)
{
	jobs_walking++;
	for (struct job *j = jobs; j != NULL; j = j->next) {
		if (j->done || !job_has(j, p, false))
			continue;
		if (!proc_is_active(new))
			job_note_down(j, p);
		job_progress(j);
	}
	jobs_walking--;
	jobs_sweep();
}

void
cmdjob_forget(struct process *p)
{
	jobs_walking++;
	for (struct job *j = jobs; j != NULL; j = j->next) {
		if (j->done || !job_has(j, p, true))
			continue;
		for (size_t i = 0; i < j->n; i++) {
			if (j->t[i].p != p || j->t[i].phase == PHASE_DONE)
				continue;
			client_outf(j->c, "%s: ERROR (removed from the "
			    "configuration)\n", sup_name(p));
			j->t[i].phase = PHASE_DONE;
		}
		j->code = EXIT_GENERIC;
		job_progress(j);
	}
	jobs_walking--;
	jobs_sweep();
}

void
cmdjob_client_gone(struct client *c)
{
	jobs_walking++;
	for (struct job *j = jobs; j != NULL; j = j->next)
		if (!j->done && j->c == c)
			job_free(j);
	jobs_walking--;
	jobs_sweep();
}
