/*
 * cmd.c -- the procctl commands, carried out on the process table.
 *
 * Output and exit codes follow supervisorctl 4.x (CONTRACT §4).  start,
 * stop and restart answer only once their processes got where they were
 * sent: a job per request is advanced by cmd_observe() on every state
 * change and prints each process's line in argument order.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cfgdiff.h"
#include "clock.h"
#include "cmd.h"
#include "config.h"
#include "control.h"
#include "log.h"
#include "logpipe.h"
#include "proc.h"
#include "reload.h"
#include "render.h"
#include "sup.h"

/* LSB exit codes, as supervisorctl uses them. */
enum {
	EXIT_OK = 0,
	EXIT_GENERIC = 1,
	EXIT_USAGE = 2,
	EXIT_NOT_RUNNING = 3,	/* status: some process is down */
	EXIT_UNKNOWN = 4,	/* status: no such process */
	EXIT_DEAD = 7,		/* spawn error, abnormal termination */
};

#define TAIL_DEFAULT	1600
#define TAIL_MAX	(1024 * 1024)

enum job_kind { JOB_START, JOB_STOP, JOB_RESTART };

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
	unsigned	 spawns;	/* p->spawns when the start was sent */
};

struct job {
	struct client	*c;
	enum job_kind	 kind;
	struct target	*t;
	size_t		 n;
	int		 code;
	bool		 busy;		/* inside job_progress() */
	bool		 again;		/* a change came in meanwhile */
	struct job	*next;
};

/* A client waiting for an update or a reload to be over. */
struct waiter {
	struct client	*c;
	struct buf	 text;		/* what to print then */
	int		 code;
	bool		 reload;	/* else: an update */
	struct waiter	*next;
};

static struct cmd_hooks hooks;
static struct job *jobs;
static struct waiter *waiters;

static void	waiters_progress(void);

void
cmd_init(const struct cmd_hooks *h)
{
	hooks = *h;
}

/* Split "group:name"; "group:*" and "group:" mean the whole group. */
static bool
spec_is_group(const char *spec, size_t *glen)
{
	const char *colon = strchr(spec, ':');

	if (colon == NULL || (colon[1] != '\0' && strcmp(colon + 1, "*") != 0))
		return false;
	*glen = (size_t)(colon - spec);
	return true;
}

/*
 * Append to OUT the processes SPEC names ("all", "g:*", "g:n", "n").
 * Returns how many matched.
 */
static size_t
resolve_one(const char *spec, struct process ***out, size_t *n)
{
	size_t glen, before = *n;
	struct process *p;

	for (size_t i = 0; i < sup_count(); i++) {
		p = sup_at(i);
		if (strcmp(spec, "all") == 0 || (spec_is_group(spec, &glen) &&
		    strncmp(p->cfg->group, spec, glen) == 0 &&
		    p->cfg->group[glen] == '\0')) {
			if ((*out = reallocarray(*out, *n + 1, sizeof **out))
			    == NULL)
				fatal("reallocarray");
			(*out)[(*n)++] = p;
		}
	}
	if (*n > before || strcmp(spec, "all") == 0)
		return *n - before;
	if ((p = sup_find(spec)) == NULL)
		return 0;
	if ((*out = reallocarray(*out, *n + 1, sizeof **out)) == NULL)
		fatal("reallocarray");
	(*out)[(*n)++] = p;
	return 1;
}

/* Resolve every name; unknown ones are reported with supervisorctl's
 * line.  Returns false if any was unknown. */
static bool
resolve(struct client *c, int argc, char **argv, struct process ***out,
    size_t *n)
{
	bool ok = true;

	*out = NULL;
	*n = 0;
	for (int i = 0; i < argc; i++) {
		if (resolve_one(argv[i], out, n) == 0 &&
		    strcmp(argv[i], "all") != 0) {
			client_outf(c, "%s: ERROR (no such process)\n",
			    argv[i]);
			ok = false;
		}
	}
	return ok;
}

static void
log_request(struct client *c, int argc, char **argv)
{
	struct buf b;

	buf_init(&b);
	for (int i = 0; i < argc; i++)
		buf_addf(&b, "%s%s", i ? " " : "", argv[i]);
	log_info("control: uid %ld pid %ld asked: %s", (long)client_uid(c),
	    (long)client_pid(c), b.data);
	buf_free(&b);
}

static void
cmd_status(struct client *c, int argc, char **argv)
{
	struct process **ps;
	struct render_row *rows;
	struct buf b;
	size_t n;
	int code = EXIT_OK;

	if (argc == 1) {
		char *all[] = { "all" };
		resolve(c, 1, all, &ps, &n);
	} else if (!resolve(c, argc - 1, argv + 1, &ps, &n))
		code = EXIT_UNKNOWN;
	if ((rows = calloc(n ? n : 1, sizeof *rows)) == NULL)
		fatal("calloc");
	for (size_t i = 0; i < n; i++) {
		rows[i] = (struct render_row){ ps[i], sup_name(ps[i]),
		    sup_lost_bytes(ps[i]) };
		if (!proc_is_active(ps[i]->state) && code == EXIT_OK)
			code = EXIT_NOT_RUNNING;
	}
	buf_init(&b);
	if (client_json(c))
		render_status_json(&b, rows, n, clock_now(), time(NULL));
	else
		render_status_text(&b, rows, n, clock_now(), time(NULL));
	client_out(c, b.data ? b.data : "", b.len);
	buf_free(&b);
	free(rows);
	free(ps);
	client_end(c, code);
}

/* ---- jobs: start, stop, restart ---- */

static void
job_free(struct job *j)
{
	struct job **jp;

	for (jp = &jobs; *jp != NULL; jp = &(*jp)->next) {
		if (*jp == j) {
			*jp = j->next;
			break;
		}
	}
	free(j->t);
	free(j);
}

static void
target_begin_start(struct target *t)
{
	t->phase = PHASE_STARTING;
	t->spawns = t->p->spawns;
	sup_start(t->p);
}

/* Send the stops of the next wave: highest priority first, and only once
 * everything of a higher priority is gone. */
static void
job_stop_wave(struct job *j)
{
	int top = 0;
	bool any = false;

	for (size_t i = 0; i < j->n; i++) {
		struct target *t = &j->t[i];
		if (t->phase != PHASE_STOPPING)
			continue;
		if (t->signalled)
			return;	/* the current wave is still going down */
		if (!any || t->p->cfg->priority > top)
			top = t->p->cfg->priority;
		any = true;
	}
	for (size_t i = 0; any && i < j->n; i++) {
		struct target *t = &j->t[i];
		if (t->phase == PHASE_STOPPING && !t->signalled &&
		    t->p->cfg->priority == top) {
			t->signalled = true;
			sup_stop(t->p);
		}
	}
}

/* What a start came to, once it is no longer STARTING. */
static void
target_start_result(struct job *j, struct target *t)
{
	const char *name = sup_name(t->p);

	if (t->p->state == PROC_RUNNING) {
		client_outf(j->c, "%s: started\n", name);
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
		if (!t->signalled || t->p->pid > 0)
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
		if (t->p->state == PROC_STARTING ||
		    (t->p->state == PROC_STOPPING && t->p->want == WANT_UP))
			return;
		target_start_result(j, t);
	}
}

static void
job_pass(struct job *j)
{
	job_pass_stops(j);
	job_stop_wave(j);
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
 * Advance the job; finish the request when every target is done.  Acting
 * on a process changes states, which calls back in here: such a nested
 * call only asks for another pass, so the job is never freed under us.
 */
static void
job_progress(struct job *j)
{
	if (j->busy) {
		j->again = true;
		return;
	}
	j->busy = true;
	do {
		j->again = false;
		job_pass(j);
	} while (j->again);
	j->busy = false;
	if (!job_done(j))
		return;
	client_end(j->c, j->code);
	job_free(j);
}

void
cmd_observe(struct process *p, enum proc_state old)
{
	struct job *j, *next;

	(void)old;
	for (j = jobs; j != NULL; j = next) {
		next = j->next;
		for (size_t i = 0; i < j->n; i++) {
			if (j->t[i].p == p) {
				job_progress(j);
				break;
			}
		}
	}
}

void
cmd_settled(void)
{
	if (waiters != NULL)
		waiters_progress();
}

static void
waiter_free(struct waiter *w)
{
	struct waiter **wp;

	for (wp = &waiters; *wp != NULL; wp = &(*wp)->next) {
		if (*wp == w) {
			*wp = w->next;
			break;
		}
	}
	buf_free(&w->text);
	free(w);
}

/* Answer the update waiters whose update is over. */
static void
waiters_progress(void)
{
	struct waiter *w, *next;

	for (w = waiters; w != NULL; w = next) {
		next = w->next;
		if (w->reload || sup_update_pending())
			continue;
		client_out(w->c, w->text.data ? w->text.data : "", w->text.len);
		client_end(w->c, w->code);
		waiter_free(w);
	}
}

static void
waiter_add(struct client *c, struct buf *text, int code, bool reload)
{
	struct waiter *w = calloc(1, sizeof *w);

	if (w == NULL)
		fatal("calloc");
	w->c = c;
	w->text = *text;
	w->code = code;
	w->reload = reload;
	w->next = waiters;
	waiters = w;
}

void
cmd_forget(struct process *p)
{
	struct job *j, *next;

	for (j = jobs; j != NULL; j = next) {
		next = j->next;
		for (size_t i = 0; i < j->n; i++) {
			if (j->t[i].p != p || j->t[i].phase == PHASE_DONE)
				continue;
			client_outf(j->c, "%s: ERROR (removed from the "
			    "configuration)\n", sup_name(p));
			j->t[i].phase = PHASE_DONE;
			j->code = EXIT_GENERIC;
			job_progress(j);
			break;
		}
	}
}

void
cmd_client_gone(struct client *c)
{
	struct job *j, *next;
	struct waiter *w, *wnext;

	for (j = jobs; j != NULL; j = next) {
		next = j->next;
		if (j->c == c)
			job_free(j);
	}
	for (w = waiters; w != NULL; w = wnext) {
		wnext = w->next;
		if (w->c == c)
			waiter_free(w);
	}
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
		if (p->pid > 0 || p->state == PROC_BACKOFF) {
			t->phase = PHASE_STOPPING;
			return true;
		}
		client_outf(j->c, "%s: ERROR (not running)\n", sup_name(p));
		if (j->kind == JOB_RESTART) {
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
		    ps[i]->state != PROC_STOPPING) : (kind == JOB_RESTART ||
		    up))
			ps[k++] = ps[i];
	}
	qsort(ps, k, sizeof *ps, job_prio_cmp);
	return k;
}

static void
cmd_job(struct client *c, int argc, char **argv, enum job_kind kind)
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
	log_request(c, argc, argv);
	for (int i = 1; i < argc; i++)
		all = all || strcmp(argv[i], "all") == 0;
	if ((j = calloc(1, sizeof *j)) == NULL)
		fatal("calloc");
	j->c = c;
	j->kind = kind;
	if (!resolve(c, argc - 1, argv + 1, &ps, &n))
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

static void
cmd_start(struct client *c, int argc, char **argv)
{
	cmd_job(c, argc, argv, JOB_START);
}

static void
cmd_stop(struct client *c, int argc, char **argv)
{
	cmd_job(c, argc, argv, JOB_STOP);
}

static void
cmd_restart(struct client *c, int argc, char **argv)
{
	cmd_job(c, argc, argv, JOB_RESTART);
}

/* ---- signal, pid, tail, clear, avail, version, shutdown ---- */

static int
signal_parse(const char *s)
{
	char *end;
	long v;

	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 1; i < NSIG; i++) {
		const char *name = sigabbrev_np(i);
		if (name != NULL && strcasecmp(s, name) == 0)
			return i;
	}
	v = strtol(s, &end, 10);
	return (*s != '\0' && *end == '\0' && v > 0 && v < NSIG) ? (int)v : -1;
}

static void
cmd_signal(struct client *c, int argc, char **argv)
{
	struct process **ps;
	size_t n;
	int signo, code = EXIT_OK;

	if (argc < 3) {
		client_errf(c, "Error: signal requires a signal name and a "
		    "process name\n");
		client_end(c, EXIT_USAGE);
		return;
	}
	if ((signo = signal_parse(argv[1])) == -1) {
		client_outf(c, "ERROR: bad signal name '%s'\n", argv[1]);
		client_end(c, EXIT_GENERIC);
		return;
	}
	log_request(c, argc, argv);
	if (!resolve(c, argc - 2, argv + 2, &ps, &n))
		code = EXIT_GENERIC;
	for (size_t i = 0; i < n; i++) {
		if (sup_signal(ps[i], signo) == 0) {
			client_outf(c, "%s: signalled\n", sup_name(ps[i]));
			continue;
		}
		client_outf(c, "%s: ERROR (not running)\n", sup_name(ps[i]));
		code = EXIT_DEAD;
	}
	free(ps);
	client_end(c, code);
}

static void
cmd_pid(struct client *c, int argc, char **argv)
{
	struct process **ps;
	size_t n;
	int code = EXIT_OK;

	if (argc == 1) {
		client_outf(c, "%ld\n", (long)getpid());
		client_end(c, EXIT_OK);
		return;
	}
	for (int i = 1; i < argc; i++) {
		ps = NULL;
		n = 0;
		if (resolve_one(argv[i], &ps, &n) == 0 &&
		    strcmp(argv[i], "all") != 0) {
			client_outf(c, "No such process %s\n", argv[i]);
			code = EXIT_GENERIC;
		}
		for (size_t k = 0; k < n; k++)
			client_outf(c, "%ld\n", (long)ps[k]->pid);
		free(ps);
	}
	client_end(c, code);
}

static bool
parse_count(const char *s, long *out)
{
	char *end;

	*out = strtol(s + 1, &end, 10);
	return s[0] == '-' && s[1] != '\0' && *end == '\0' && *out >= 0;
}

static void
cmd_tail(struct client *c, int argc, char **argv)
{
	struct logstream *ls;
	struct process *p;
	long bytes = TAIL_DEFAULT;
	int i = 1, fd = 1;
	char *data;
	size_t got;

	if (i < argc && argv[i][0] == '-' && !parse_count(argv[i], &bytes)) {
		client_errf(c, "Error: bad argument %s (tail -f is not "
		    "supported yet)\n", argv[i]);
		client_end(c, EXIT_USAGE);
		return;
	}
	if (i < argc && argv[i][0] == '-')
		i++;
	if (i >= argc || argc - i > 2 || (argc - i == 2 &&
	    strcmp(argv[i + 1], "stdout") != 0 &&
	    strcmp(argv[i + 1], "stderr") != 0)) {
		client_errf(c, "Error: usage: tail [-N] NAME [stdout|stderr]\n");
		client_end(c, EXIT_USAGE);
		return;
	}
	if ((p = sup_find(argv[i])) == NULL) {
		client_outf(c, "%s: ERROR (no such process name)\n", argv[i]);
		client_end(c, EXIT_GENERIC);
		return;
	}
	if (argc - i == 2 && strcmp(argv[i + 1], "stderr") == 0)
		fd = 2;
	if ((ls = sup_log(p, fd)) == NULL) {
		client_outf(c, "%s: ERROR (no log file)\n", argv[i]);
		client_end(c, EXIT_GENERIC);
		return;
	}
	if (bytes > TAIL_MAX)
		bytes = TAIL_MAX;
	if ((data = malloc((size_t)bytes + 1)) == NULL)
		fatal("malloc");
	got = logstream_tail(ls, data, (size_t)bytes);
	client_out(c, data, got);
	free(data);
	client_end(c, EXIT_OK);
}

static void
cmd_clear(struct client *c, int argc, char **argv)
{
	struct process **ps;
	size_t n;
	int code = EXIT_OK;

	if (argc < 2) {
		client_errf(c, "Error: clear requires a process name\n");
		client_end(c, EXIT_USAGE);
		return;
	}
	log_request(c, argc, argv);
	if (!resolve(c, argc - 1, argv + 1, &ps, &n))
		code = EXIT_GENERIC;
	for (size_t i = 0; i < n; i++) {
		struct logstream *o = sup_log(ps[i], 1), *e = sup_log(ps[i], 2);
		if ((o && logstream_clear(o) == -1) ||
		    (e && e != o && logstream_clear(e) == -1)) {
			client_outf(c, "%s: ERROR (failed)\n", sup_name(ps[i]));
			code = EXIT_GENERIC;
		} else
			client_outf(c, "%s: cleared\n", sup_name(ps[i]));
	}
	free(ps);
	client_end(c, code);
}

/* Read the config file again; NULL (after answering) when it has errors. */
static struct config *
cmd_read_config(struct client *c)
{
	struct config *cfg;
	struct buf err;

	buf_init(&err);
	if ((cfg = reload_read(&err)) == NULL) {
		client_errf(c, "%sERROR: the configuration has errors; "
		    "nothing changed\n", err.data ? err.data : "");
		client_end(c, EXIT_GENERIC);
	}
	buf_free(&err);
	return cfg;
}

static void
cmd_reread(struct client *c, int argc, char **argv)
{
	struct config *cfg;
	struct cfgdiff d;
	struct buf out;

	log_request(c, argc, argv);
	if ((cfg = cmd_read_config(c)) == NULL)
		return;
	if (reload_diff(cfg, &d) == -1)
		fatal("reload_diff");
	buf_init(&out);
	reload_describe(&d, &out);
	client_out(c, out.data, out.len);
	client_end(c, EXIT_OK);
	buf_free(&out);
	cfgdiff_free(&d);
	config_free(cfg);
}

static void
cmd_update(struct client *c, int argc, char **argv)
{
	struct config *cfg;
	struct cfgdiff d;
	struct buf out;
	int code = EXIT_OK;
	bool all = argc == 2 && strcmp(argv[1], "all") == 0;

	log_request(c, argc, argv);
	if ((cfg = cmd_read_config(c)) == NULL)
		return;
	if (reload_diff(cfg, &d) == -1)
		fatal("reload_diff");
	buf_init(&out);
	if (!reload_update_lines(&d, all ? 0 : argc - 1, argv + 1, &out))
		code = EXIT_GENERIC;
	reload_apply(cfg, &d, all ? 0 : argc - 1, argv + 1);
	cfgdiff_free(&d);
	waiter_add(c, &out, code, false);
	cmd_settled();
}

static void
cmd_reload_done(void)
{
	struct waiter *w, *next;

	for (w = waiters; w != NULL; w = next) {
		next = w->next;
		if (!w->reload)
			continue;
		client_out(w->c, w->text.data, w->text.len);
		client_end(w->c, w->code);
		waiter_free(w);
	}
	log_info("reload: done");
}

static void
cmd_reload(struct client *c, int argc, char **argv)
{
	struct config *cfg;
	struct buf out;

	log_request(c, argc, argv);
	if ((cfg = cmd_read_config(c)) == NULL)
		return;
	buf_init(&out);
	buf_addstr(&out, "Restarted procd\n");
	waiter_add(c, &out, EXIT_OK, true);
	sup_reload(cfg, cmd_reload_done);
}

/* What the config file offers, and whether it is in use. */
static void
cmd_avail(struct client *c, int argc, char **argv)
{
	struct config *cfg;

	(void)argc;
	(void)argv;
	if ((cfg = cmd_read_config(c)) == NULL)
		return;
	for (size_t i = 0; i < cfg->nprogs; i++) {
		const struct program_config *pc = &cfg->progs[i];
		char name[512];
		if (strcmp(pc->group, pc->name) == 0)
			snprintf(name, sizeof name, "%s", pc->name);
		else
			snprintf(name, sizeof name, "%s:%s", pc->group,
			    pc->name);
		client_outf(c, "%-32s %-9s %-9s %d:%d\n", name,
		    sup_find(name) != NULL ? "in use" : "avail",
		    pc->autostart ? "auto" : "manual", pc->priority,
		    pc->priority);
	}
	config_free(cfg);
	client_end(c, EXIT_OK);
}

static void
cmd_version(struct client *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	client_outf(c, "%s\n", PROCD_VERSION);
	client_end(c, EXIT_OK);
}

static void
cmd_shutdown(struct client *c, int argc, char **argv)
{
	log_request(c, argc, argv);
	client_outf(c, "Shut down\n");
	client_end(c, EXIT_OK);
	hooks.shutdown();
}

static const struct {
	const char	*name;
	void		(*fn)(struct client *, int, char **);
} commands[] = {
	{ "status", cmd_status },
	{ "start", cmd_start },
	{ "stop", cmd_stop },
	{ "restart", cmd_restart },
	{ "signal", cmd_signal },
	{ "pid", cmd_pid },
	{ "tail", cmd_tail },
	{ "clear", cmd_clear },
	{ "avail", cmd_avail },
	{ "reread", cmd_reread },
	{ "update", cmd_update },
	{ "reload", cmd_reload },
	{ "version", cmd_version },
	{ "shutdown", cmd_shutdown },
};

void
cmd_dispatch(struct client *c, int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[0], commands[i].name) == 0) {
			if (sup_shutting_down() &&
			    commands[i].fn != cmd_status &&
			    commands[i].fn != cmd_pid) {
				client_outf(c, "ERROR: procd is %s\n",
				    sup_reloading() ? "reloading" :
				    "shutting down");
				client_end(c, EXIT_GENERIC);
				return;
			}
			commands[i].fn(c, argc, argv);
			return;
		}
	}
	client_outf(c, "*** Unknown syntax: %s\n", argv[0]);
	client_end(c, EXIT_USAGE);
}
