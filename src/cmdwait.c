/*
 * cmdwait.c -- procctl wait: answer once every named process is RUNNING
 * (ready: procd's RUNNING means the readiness check passed), at once when
 * one is FATAL, removed or procd shuts down, or when the timeout passes
 * first.  Nothing polls: each request is re-checked when one of its
 * processes changes state (cmd_observe, after each batch) and has its
 * own ev_timer for the deadline.
 *
 * Exit codes: 0 all RUNNING; 1 one is FATAL or removed, or procd shuts
 * down; 2 bad arguments; 3 the timeout passed; 4 an unknown name.
 */
#include <ev.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "cmd.h"
#include "cmdint.h"
#include "config.h"
#include "control.h"
#include "health.h"
#include "log.h"
#include "proc.h"
#include "render.h"
#include "sup.h"

#define WAIT_TIMEOUT_DEFAULT	60.0

struct waitreq {
	struct client	*c;		/* NULL: answered or gone (swept) */
	struct process	**ps;
	size_t		 n;
	double		 timeout;	/* seconds; 0: none */
	ev_timer	 timer;
	struct waitreq	*next;
};

static struct waitreq *reqs;
static struct ev_loop *wait_loop;
static int walking;		/* a walk of REQS is on: only mark */

void
cmdwait_init(struct ev_loop *loop)
{
	wait_loop = loop;
}

/* Free the requests that are over, unless a walk is on. */
static void
wait_sweep(void)
{
	struct waitreq **rp = &reqs, *r;

	if (walking)
		return;
	while ((r = *rp) != NULL) {
		if (r->c != NULL) {
			rp = &r->next;
			continue;
		}
		*rp = r->next;
		if (wait_loop != NULL)
			ev_timer_stop(wait_loop, &r->timer);
		free(r->ps);
		free(r);
	}
}

/* Answer R with CODE; what was said is already queued. */
static void
wait_end(struct waitreq *r, int code)
{
	client_end(r->c, code);
	r->c = NULL;
}

/* A line for the person waiting: on stderr with --json, which keeps
 * stdout for JSON. */
static void __attribute__((format(printf, 2, 3)))
wait_say(struct waitreq *r, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n == -1)
		fatal("vasprintf");
	if (client_json(r->c))
		client_errf(r->c, "%s", s);
	else
		client_out(r->c, s, (size_t)n);
	free(s);
}

/* "STATE: description" or "STATE", as status shows P. */
static void
wait_describe(const struct process *p, char *out, size_t len)
{
	struct render_row row = { p, sup_name(p), sup_lost_bytes(p), { NULL },
	    0, sup_status_text(p), health_info(p), NULL };
	char desc[256];

	row.nwaiting = sup_waiting_for(p, row.waiting, RENDER_WAITING_MAX);
	render_description(&row, clock_now(), time(NULL), desc, sizeof desc);
	snprintf(out, len, "%s%s%s", proc_state_name(p->state),
	    desc[0] != '\0' ? ": " : "", desc);
}

/* Answer R if it is over; true if it was. */
static bool
wait_check(struct waitreq *r)
{
	char d[300];
	size_t up = 0;

	for (size_t i = 0; i < r->n; i++) {
		if (r->ps[i]->state == PROC_FATAL) {
			wait_describe(r->ps[i], d, sizeof d);
			wait_say(r, "%s: %s\n", sup_name(r->ps[i]), d);
			wait_end(r, EXIT_GENERIC);
			return true;
		}
		up += r->ps[i]->state == PROC_RUNNING;
	}
	if (up == r->n) {
		wait_end(r, EXIT_OK);
		return true;
	}
	if (sup_shutting_down() && !sup_reloading()) {
		wait_say(r, "ERROR: procd is shutting down\n");
		wait_end(r, EXIT_GENERIC);
		return true;
	}
	return false;
}

static void
wait_timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct waitreq *r = (struct waitreq *)((char *)w -
	    offsetof(struct waitreq, timer));
	char d[300];

	(void)loop;
	(void)revents;
	if (r->c == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		if (r->ps[i]->state == PROC_RUNNING)
			continue;
		wait_describe(r->ps[i], d, sizeof d);
		wait_say(r, "%s: not RUNNING after %g s (%s)\n",
		    sup_name(r->ps[i]), r->timeout, d);
	}
	wait_end(r, EXIT_NOT_RUNNING);
	wait_sweep();
}

/* "--timeout S" / "--timeout=S" out of ARGV; the rest stays in order.
 * -1 (answered) on a bad value. */
static int
wait_options(struct client *c, int *argc, char **argv, double *timeout)
{
	int i, k = 1;
	char *end;
	const char *v;

	for (i = 1; i < *argc; i++) {
		if (strncmp(argv[i], "--timeout", 9) != 0 ||
		    (argv[i][9] != '\0' && argv[i][9] != '=')) {
			argv[k++] = argv[i];
			continue;
		}
		v = argv[i][9] == '=' ? argv[i] + 10 :
		    i + 1 < *argc ? argv[++i] : "";
		*timeout = strtod(v, &end);
		if (*v == '\0' || *end != '\0' || !(*timeout >= 0) ||
		    *timeout > 1e9) {
			client_errf(c, "Error: wait: bad --timeout '%s' (want "
			    "seconds, 0 for no limit)\n", v);
			client_end(c, EXIT_USAGE);
			return -1;
		}
	}
	*argc = k;
	return 0;
}

void
cmd_wait(struct client *c, int argc, char **argv)
{
	struct waitreq *r;
	double timeout = WAIT_TIMEOUT_DEFAULT;

	if (wait_options(c, &argc, argv, &timeout) == -1)
		return;
	if ((r = calloc(1, sizeof *r)) == NULL)
		fatal("calloc");
	r->c = c;
	r->timeout = timeout;
	if (argc > 1 && !cmd_resolve(c, argc - 1, argv + 1, &r->ps, &r->n)) {
		wait_end(r, EXIT_UNKNOWN);
		free(r->ps);
		free(r);
		return;
	}
	if (argc == 1) {
		/* no name: what procd starts by itself */
		for (size_t i = 0; i < sup_count(); i++) {
			if (!sup_at(i)->cfg->autostart)
				continue;
			if ((r->ps = reallocarray(r->ps, r->n + 1,
			    sizeof *r->ps)) == NULL)
				fatal("reallocarray");
			r->ps[r->n++] = sup_at(i);
		}
	}
	r->next = reqs;
	reqs = r;
	if (wait_check(r)) {
		wait_sweep();
		return;
	}
	if (timeout > 0 && wait_loop != NULL) {
		ev_timer_init(&r->timer, wait_timeout_cb, timeout, 0.);
		ev_timer_start(wait_loop, &r->timer);
	}
}

void
cmdwait_observe(struct process *p)
{
	walking++;
	for (struct waitreq *r = reqs; r != NULL; r = r->next) {
		if (r->c == NULL)
			continue;
		for (size_t i = 0; i < r->n; i++) {
			if (r->ps[i] == p) {
				wait_check(r);
				break;
			}
		}
	}
	walking--;
	wait_sweep();
}

void
cmdwait_forget(struct process *p)
{
	walking++;
	for (struct waitreq *r = reqs; r != NULL; r = r->next) {
		for (size_t i = 0; r->c != NULL && i < r->n; i++) {
			if (r->ps[i] != p)
				continue;
			wait_say(r, "%s: removed from procd while waiting\n",
			    sup_name(p));
			wait_end(r, EXIT_GENERIC);
		}
	}
	walking--;
	wait_sweep();
}

void
cmdwait_client_gone(struct client *c)
{
	for (struct waitreq *r = reqs; r != NULL; r = r->next)
		if (r->c == c)
			r->c = NULL;
	wait_sweep();
}
