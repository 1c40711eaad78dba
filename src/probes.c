/*
 * probes.c -- readiness for /readyz (probes.h).
 */
#include <string.h>

#include "buf.h"
#include "probes.h"
#include "textsafe.h"
#include "xrvalue.h"

/* Should ROW be up and ready for procd to count as ready? */
static bool
probes_counts(const struct xr_value *row)
{
	const struct xr_value *ok = xr_get(row, "exit_expected");

	if (strcmp(xr_get_str(row, "wanted"), "up") != 0)
		return false;
	/* A one-shot that exited as expected and stays EXITED is done. */
	return !(strcmp(xr_get_str(row, "state"), "EXITED") == 0 &&
	    ok != NULL && ok->type == XR_BOOL && ok->i);
}

/* ", waiting for a, b": what a held STARTING process waits on. */
static bool
probes_waiting(const struct xr_value *row, struct buf *why)
{
	const struct xr_value *w = xr_get(row, "waiting_for");

	if (w == NULL || w->type != XR_ARRAY || w->n == 0)
		return false;
	buf_addstr(why, ", waiting for ");
	for (size_t i = 0; i < w->n; i++) {
		if (i > 0)
			buf_addstr(why, ", ");
		if (w->items[i]->type == XR_STRING)
			textsafe_escape(why, w->items[i]->s);
	}
	return true;
}

/* One line: NAME: STATE, and why it is not ready. */
static void
probes_line(const struct xr_value *row, struct buf *why)
{
	const char *state = xr_get_str(row, "state");
	const char *desc = xr_get_str(row, "description");
	bool held;

	textsafe_escape(why, xr_get_str(row, "name"));
	buf_addf(why, ": %s", state);
	held = probes_waiting(row, why);
	if (!held && strcmp(state, "STARTING") == 0 &&
	    xr_get_int(row, "pid") > 0) {
		/* status says which check it waits on, when there is one. */
		buf_addstr(why, ", ");
		if (strncmp(desc, "not ready yet", 13) == 0)
			textsafe_escape(why, desc);
		else
			buf_addstr(why, "not ready yet");
	} else if (!held && *desc != '\0') {
		buf_addstr(why, " (");
		textsafe_escape(why, desc);
		buf_addstr(why, ")");
	}
	buf_addstr(why, "\n");
}

bool
probes_ready(const struct xr_value *rows, struct buf *why)
{
	bool ready = true;

	for (size_t i = 0; i < rows->n; i++) {
		const struct xr_value *row = rows->items[i];
		if (!probes_counts(row) ||
		    strcmp(xr_get_str(row, "state"), "RUNNING") == 0)
			continue;
		probes_line(row, why);
		ready = false;
	}
	return ready;
}
