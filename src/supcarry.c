/*
 * supcarry.c -- the process table across a re-exec (supcarry.h).
 *
 * Only facts are carried: a program's state, wanted state, pid, counters,
 * deadline (CLOCK_MONOTONIC ms, the same clock on both sides of exec, so
 * a BACKOFF retry comes on time and uptimes go on), its readiness holds,
 * its place in the spawn queue and its log pipes.  Its config is the new image's, read from the same
 * file (reexec.c refuses when the file differs from what runs).  What
 * lives only while a process starts -- a tcp: or exec: readiness check
 * -- starts afresh; a health check's count starts afresh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "log.h"
#include "logstream.h"
#include "notifysrv.h"
#include "ready.h"
#include "rxstate.h"
#include "stdinfeed.h"
#include "supcarry.h"
#include "supint.h"

int
sup_carry_ready(char *why, size_t len)
{
	if (sup.shutting_down || sup.reload_cfg != NULL) {
		snprintf(why, len, "procd is shutting down or reloading");
		return -1;
	}
	if (sup_update_pending()) {
		snprintf(why, len, "an update is under way");
		return -1;
	}
	for (size_t i = 0; i < sup.n; i++) {
		struct sproc *sp = sup.v[i];
		const char *busy = NULL;

		/* vfork returns once the child has exec'd or failed: its
		 * word is on the pipe already, taken now rather than from
		 * the loop (it only records facts, steps nothing). */
		sproc_read_status(sp);
		if (sp->status_w.fd != -1)
			busy = "is being spawned";
		if (busy != NULL) {
			snprintf(why, len, "%s %s", sp->display, busy);
			return -1;
		}
	}
	return 0;
}

/* MS in all: a stuck target costs the rest of it, then the re-exec. */
int
sup_carry_flush(int ms, char *why, size_t len)
{
	int64_t deadline = clock_now() + ms;

	for (size_t i = 0; i < sup.n; i++) {
		struct sproc *sp = sup.v[i];
		struct logstream *ls[2] = { sp->out, sp->err };

		for (size_t k = 0; k < 2; k++) {
			int64_t left = deadline - clock_now();
			if (ls[k] == NULL || logstream_sync(ls[k],
			    left > 0 ? (int)left : 0))
				continue;
			snprintf(why, len, "the %s log of %s is not written "
			    "out (its target looks stuck)", k ? "stderr" :
			    "stdout", sp->display);
			return -1;
		}
	}
	return 0;
}

static int
sup_carry_stream(struct rxstream *s, const struct logstream *ls)
{
	const char *held;
	size_t n;

	if (ls == NULL)
		return 0;
	n = logstream_pipe_fds(ls, s->fds, RXSTREAM_MAX_PIPES);
	if (n > RXSTREAM_MAX_PIPES)
		return -1;
	s->nfds = n;
	held = logstream_held(ls, &s->held_len, &s->mid_line);
	if (s->held_len > 0) {
		if ((s->held = malloc(s->held_len)) == NULL)
			return -1;
		memcpy(s->held, held, s->held_len);
	}
	return 0;
}

static int64_t
sup_carry_flags(const struct sproc *sp)
{
	const struct process *p = &sp->p;

	return (p->exit_expected ? RXPROG_EXIT_EXPECTED : 0) |
	    (p->exec_failed ? RXPROG_EXEC_FAILED : 0) |
	    (p->waiting ? RXPROG_WAITING : 0) |
	    (p->ready_failed ? RXPROG_READY_FAILED : 0) |
	    (p->watchdog_fired ? RXPROG_WATCHDOG_FIRED : 0) |
	    (p->health_failed ? RXPROG_HEALTH_FAILED : 0) |
	    (p->dep_failed ? RXPROG_DEP_FAILED : 0) |
	    (sp->stop_held ? RXPROG_STOP_HELD : 0) |
	    (sp->cascaded ? RXPROG_CASCADED : 0) |
	    (sp->spawn_pending ? RXPROG_SPAWN_QUEUED : 0);
}

static int
sup_carry_one(struct rxprog *r, const struct sproc *sp)
{
	const struct process *p = &sp->p;

	if ((r->name = strdup(sp->display)) == NULL ||
	    (p->spawnerr[0] != '\0' &&
	    (r->spawnerr = strdup(p->spawnerr)) == NULL) ||
	    (sp->status_text != NULL &&
	    (r->status_text = strdup(sp->status_text)) == NULL))
		return -1;
	r->state = p->state;
	r->want = p->want;
	r->pid = p->pid;
	r->deadline = p->deadline;
	r->backoff = p->backoff;
	r->flaps = p->flaps;
	r->window_start = p->window_start;
	r->window_restarts = p->window_restarts;
	r->restarts = p->restarts;
	r->spawns = p->spawns;
	r->start_mono = p->start_mono;
	r->start_wall = p->start_wall;
	r->stop_wall = p->stop_wall;
	r->wstatus = p->wstatus;
	r->flags = sup_carry_flags(sp);
	r->ready_fd = sp->probe != NULL ? ready_probe_fd(sp->probe) : -1;
	r->stdin_fd = stdinfeed_fd(sp->in);
	return sup_carry_stream(&r->out, sp->out) == -1 ||
	    sup_carry_stream(&r->err, sp->err) == -1 ? -1 : 0;
}

int
sup_carry_save(struct rxstate *st)
{
	for (size_t i = 0; i < sup.n; i++) {
		struct rxprog *r = rxstate_add_prog(st);
		if (r == NULL || sup_carry_one(r, sup.v[i]) == -1)
			return -1;
	}
	return 0;
}

/* ---- in the new image ---- */

static void
sup_carry_set(struct sproc *sp, const struct rxprog *r)
{
	struct process *p = &sp->p;

	p->state = (enum proc_state)r->state;
	p->want = (enum proc_want)r->want;
	p->pid = (pid_t)r->pid;
	p->deadline = r->deadline;
	p->backoff = (unsigned)r->backoff;
	p->flaps = (unsigned)r->flaps;
	p->window_start = r->window_start;
	p->window_restarts = (unsigned)r->window_restarts;
	p->restarts = (unsigned)r->restarts;
	p->spawns = (unsigned)r->spawns;
	p->start_mono = r->start_mono;
	p->start_wall = (time_t)r->start_wall;
	p->stop_wall = (time_t)r->stop_wall;
	p->wstatus = (int)r->wstatus;
	p->exit_expected = r->flags & RXPROG_EXIT_EXPECTED;
	p->exec_failed = r->flags & RXPROG_EXEC_FAILED;
	p->waiting = r->flags & RXPROG_WAITING;
	p->ready_failed = r->flags & RXPROG_READY_FAILED;
	p->watchdog_fired = r->flags & RXPROG_WATCHDOG_FIRED;
	p->health_failed = r->flags & RXPROG_HEALTH_FAILED;
	p->dep_failed = r->flags & RXPROG_DEP_FAILED;
	sp->stop_held = r->flags & RXPROG_STOP_HELD;
	sp->cascaded = r->flags & RXPROG_CASCADED;
	snprintf(p->spawnerr, sizeof p->spawnerr, "%s",
	    r->spawnerr != NULL ? r->spawnerr : "");
	if (r->status_text != NULL && (sp->status_text =
	    strdup(r->status_text)) == NULL)
		fatal("strdup");
}

/* A stream's pipes to its log again (a stream the config has no more,
 * say /dev/null now: its pipes are closed, the program sees EPIPE). */
static void
sup_carry_pipes(struct logstream *ls, const struct rxstream *s)
{
	for (size_t k = 0; k < s->nfds; k++) {
		if (ls == NULL || logstream_attach(ls, s->fds[k]) == -1)
			close(s->fds[k]);
	}
	if (ls != NULL)
		logstream_resume(ls, s->held, s->held_len, s->mid_line);
}

/* A readiness check was under way: a tcp: or exec: one starts again,
 * an fd:N one reads on from the pipe carried (READY_FD). */
static void
sup_carry_probe(struct sproc *sp, int ready_fd)
{
	char cause[PROC_SPAWNERR_LEN];
	int child_fd = -1;

	if (sp->p.state != PROC_STARTING || sp->p.pid <= 0 ||
	    ready_probe_new(sup.loop, &sp->p, sup_ready, &sp->probe,
	    &child_fd, cause, sizeof cause) == -1) {
		if (sp->p.state == PROC_STARTING && sp->p.pid > 0)
			log_warnx("program %s: its readiness check is not "
			    "resumed: %s", sp->display, cause);
		if (ready_fd != -1)
			close(ready_fd);
		return;
	}
	if (child_fd != -1)
		close(child_fd);
	if (sp->probe == NULL) {
		if (ready_fd != -1)
			close(ready_fd);
		return;
	}
	if (ready_fd != -1)
		ready_probe_carried(sp->probe, ready_fd);
	ready_probe_start(sp->probe);
}

/* The program's stdin pipe: sendProcessStdin (supervisorctl fg) goes on
 * writing to the pipe it has read from since it started. */
static void
sup_carry_stdin(struct sproc *sp, int fd)
{
	if (fd == -1)
		return;
	if (sp->p.pid <= 0 || sp->in != NULL) {
		close(fd);
		return;
	}
	sp->in = stdinfeed_new(sup.loop, fd);
}

static int
sup_carry_cmp(const void *key, const void *elt)
{
	return strcmp(key, (*(struct sproc *const *)elt)->display);
}

/* The index of NAME (a display name) in the table, sorted by it, or
 * sup.n: a bisection, for thousands of programs. */
static size_t
sup_carry_index(const char *name)
{
	struct sproc **sp = bsearch(name, sup.v, sup.n, sizeof *sup.v,
	    sup_carry_cmp);

	return sp != NULL ? (size_t)(sp - sup.v) : sup.n;
}

/* Not carried: removed from what ran (procctl remove), so gone here.
 * Marks in SEEN (one per table entry) come from the caller. */
static void
sup_carry_drop_missing(const bool *seen)
{
	size_t keep = 0;

	for (size_t i = 0; i < sup.n; i++) {
		if (seen[i])
			sup.v[keep++] = sup.v[i];
		else
			sproc_free(sup.v[i]);
	}
	sup.n = keep;
	sup.g_stale = true;
}

int
sup_carry_restore(const struct rxstate *st, char *why, size_t len)
{
	bool *seen;
	int ret = 0;

	if (st->notify_fd != -1 &&
	    notifysrv_adopt(sup.loop, sup_notified, st->notify_fd) == -1) {
		log_warn("reexec: the notify socket");
		close(st->notify_fd);
	}
	if ((seen = calloc(sup.n + 1, sizeof *seen)) == NULL)
		fatal("calloc");
	for (size_t j = 0; j < st->nprogs; j++)
		seen[sup_carry_index(st->progs[j].name)] = true;
	sup_carry_drop_missing(seen);
	free(seen);
	for (size_t j = 0; j < st->nprogs; j++) {
		const struct rxprog *r = &st->progs[j];
		size_t i = sup_carry_index(r->name);
		struct sproc *sp = i < sup.n ? sup.v[i] : NULL;

		/* The old image checked the file says what runs: this is a
		 * file changed since, and the program is not ours now. */
		if (sp == NULL) {
			snprintf(why, len, "program %s (pid %lld) is carried "
			    "but not in the config; it is left alone",
			    r->name, (long long)r->pid);
			sup_carry_pipes(NULL, &r->out);
			sup_carry_pipes(NULL, &r->err);
			if (r->ready_fd != -1)
				close(r->ready_fd);
			if (r->stdin_fd != -1)
				close(r->stdin_fd);
			ret = -1;
			continue;
		}
		sup_carry_set(sp, r);
		sup_carry_pipes(sp->out, &r->out);
		sup_carry_pipes(sp->err, &r->err);
		sup_carry_probe(sp, r->ready_fd);
		sup_carry_stdin(sp, r->stdin_fd);
		if (r->flags & RXPROG_SPAWN_QUEUED)
			sup_queue_spawn(sp);
	}
	/* An empty batch: the heartbeat armed for the earliest deadline,
	 * held starts released, the observers told "settled". */
	sup_enter();
	sup_leave();
	return ret;
}
