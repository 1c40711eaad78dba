/*
 * onfail.c -- shutdown_on= (onfail.h).
 *
 * Acts on delivered notes only (sup.h's observers): the state machine has
 * already declined to restart the program (proc_shuts_down), and a
 * shutdown started here runs as any other, in priority waves, with logs
 * drained before procd exits.
 */
#include <stdio.h>

#include "config.h"
#include "log.h"
#include "onfail.h"
#include "render.h"
#include "sup.h"

static onfail_shutdown_fn onfail_shutdown;

void
onfail_init(onfail_shutdown_fn fn)
{
	onfail_shutdown = fn;
}

static const char *const onfail_names[] = {
	[SHUTDOWN_ON_NEVER] = "never",
	[SHUTDOWN_ON_FATAL] = "fatal",
	[SHUTDOWN_ON_UNEXPECTED] = "unexpected",
	[SHUTDOWN_ON_EXIT] = "exit",
};
_Static_assert(sizeof onfail_names / sizeof onfail_names[0] ==
    SHUTDOWN_ON_EXIT + 1, "onfail_names");

/* What happened, as the log says it: "went FATAL", "exited (exit
 * status 1; not expected)". */
static void
onfail_what(const struct process *p, enum proc_state new, char *out,
    size_t len)
{
	char st[64];

	if (new == PROC_FATAL) {
		snprintf(out, len, "entered FATAL state");
		return;
	}
	render_wstatus(p->wstatus, st, sizeof st);
	snprintf(out, len, "exited (%s; %s)", st, p->exit_expected ?
	    "expected" : "not expected");
}

void
onfail_observe(struct process *p, enum proc_state old, enum proc_state new)
{
	struct process then = *p;
	char what[128];
	int status;

	(void)old;
	if (onfail_shutdown == NULL || sup_shutting_down() ||
	    (new != PROC_EXITED && new != PROC_FATAL))
		return;
	then.state = new;	/* P may have moved on since */
	if (!proc_shuts_down(&then))
		return;
	status = new == PROC_EXITED && p->exit_expected ? 0 :
	    ONFAIL_EXIT_STATUS;
	onfail_what(p, new, what, sizeof what);
	log_warnx("program %s %s, and its shutdown_on is %s: shutting down, "
	    "procd will exit with status %d", sup_name(p), what,
	    onfail_names[p->cfg->shutdown_on], status);
	onfail_shutdown(status);
}
