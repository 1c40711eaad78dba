/*
 * evconf.c -- [eventlistener:NAME] sections and the event keys of
 * [program:] (evconf.h).
 *
 * A listener section is a program section (cfgprog.c builds its processes,
 * numprocs and all) whose group is the pool NAME, plus three keys:
 * events= (required: type and base names, as supervisord), buffer_size=
 * (at least 1) and result_handler= (a Python callable in supervisord:
 * procd cannot call one, so it warns and keeps the default OK/FAIL
 * semantics).  A listener's stdout carries the protocol, so it is never a
 * log and never redirected into by stderr.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfgget.h"
#include "cfgprog.h"
#include "evconf.h"
#include "evtype.h"

/* supervisord's own handler, named in full: that one procd does have. */
#define EVCONF_DEFAULT_HANDLER "supervisor.dispatchers:default_handler"

static const char *
evconf_path(const struct cfgstore *st, const struct cfgsect *s)
{
	return st->files[s->file].path;
}

/* events=: required, every name known. */
static int
evconf_events(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgexp *exp, evmask *mask)
{
	const struct cfgkey	*k = cfgstore_key(s, "events");
	char			*v = NULL, bad[64];
	int			 r;

	if (k == NULL) {
		diag_add(st->diags, DIAG_ERROR, evconf_path(st, s), s->line,
		    "[%s]: no events= (a listener must subscribe to some, "
		    "e.g. events=PROCESS_STATE)", s->name);
		return -1;
	}
	if (cfgget_str(st, s, "events", exp, &v) == -1)
		return -1;
	r = evtype_parse_list(v, mask, bad, sizeof bad);
	free(v);
	if (r == 0)
		return 0;
	if (bad[0] == '\0')
		cfgstore_diag(st, s, k, DIAG_ERROR, "empty (name some event "
		    "types, e.g. PROCESS_STATE)");
	else
		cfgstore_diag(st, s, k, DIAG_ERROR, "unknown event type %s",
		    bad);
	return -1;
}

/* result_handler=: only supervisord's default can be honoured. */
static void
evconf_handler(struct cfgstore *st, const struct cfgsect *s)
{
	const struct cfgkey *k = cfgstore_key(s, "result_handler");

	if (k == NULL || strcmp(k->value, EVCONF_DEFAULT_HANDLER) == 0)
		return;
	cfgstore_diag(st, s, k, DIAG_WARNING, "%s is Python code procd "
	    "cannot run: the default is used (OK accepts the event, anything "
	    "else puts it back in the pool)", k->value);
}

/* redirect_stderr would mix stderr into the protocol: refused, as
 * supervisord refuses it. */
static int
evconf_redirect(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgexp *exp)
{
	bool redirect = false;

	if (cfgget_bool(st, s, "redirect_stderr", exp, &redirect) == -1)
		return -1;
	if (!redirect)
		return 0;
	cfgstore_diag(st, s, cfgstore_key(s, "redirect_stderr"), DIAG_ERROR,
	    "cannot be true for a listener: its stdout is the event protocol");
	return -1;
}

/* stdout_logfile= names a log a listener never writes: say so. */
static void
evconf_stdout(struct cfgstore *st, const struct cfgsect *s)
{
	const struct cfgkey *k = cfgstore_key(s, "stdout_logfile");

	if (k == NULL || strcasecmp(k->value, "NONE") == 0 ||
	    strcasecmp(k->value, "AUTO") == 0)
		return;
	cfgstore_diag(st, s, k, DIAG_WARNING, "ignored: a listener's stdout "
	    "is the event protocol, not a log");
}

/* Make P, just built by cfgprog.c, a listener of the pool. */
static void
evconf_mark(struct program_config *p, evmask mask, long bufsize,
    bool prio_set)
{
	p->listener = true;
	p->listen_events = mask;
	p->buffer_size = (int)bufsize;
	if (!prio_set)
		p->priority = -1;	/* started first, stopped last */
	free(p->out.path);
	p->out.path = NULL;
	p->out.kind = LOGDEST_NONE;
	p->out.is_auto = false;
}

void
evconf_listener(struct cfgstore *st, struct config *cf,
    const struct cfgsect *s, const char *host)
{
	struct cfgexp	 exp = { NULL, 0, cf->env };
	long		 bufsize = EVCONF_BUFFER_DEFAULT;
	evmask		 mask = 0;
	size_t		 from = cf->nprogs;
	int		 bad = 0;

	if (cfgstore_key(s, "command") == NULL) {
		diag_add(st->diags, DIAG_ERROR, evconf_path(st, s), s->line,
		    "[%s]: no command= (every listener needs one)", s->name);
		return;
	}
	bad |= evconf_events(st, s, &exp, &mask);
	bad |= cfgget_int(st, s, "buffer_size", &exp, 1, INT_MAX, &bufsize);
	bad |= evconf_redirect(st, s, &exp);
	evconf_handler(st, s);
	evconf_stdout(st, s);
	if (bad != 0)
		return;
	cfgprog_add(st, cf, s, s->arg, host);
	evconf_program(st, cf, s, from);	/* its stderr's */
	for (size_t i = from; i < cf->nprogs; i++)
		evconf_mark(&cf->progs[i], mask, bufsize,
		    cfgstore_key(s, "priority") != NULL);
}

void
evconf_program(struct cfgstore *st, struct config *cf,
    const struct cfgsect *s, size_t from)
{
	struct cfgexp	exp = { NULL, 0, cf->env };
	bool		out = false, err = false;
	uint64_t	outcap = 0, errcap = 0;

	if (cfgget_bool(st, s, "stdout_events_enabled", &exp, &out) == -1 ||
	    cfgget_bool(st, s, "stderr_events_enabled", &exp, &err) == -1 ||
	    cfgget_size(st, s, "stdout_capture_maxbytes", &exp, &outcap) ==
	    -1 ||
	    cfgget_size(st, s, "stderr_capture_maxbytes", &exp, &errcap) == -1)
		return;
	for (size_t i = from; i < cf->nprogs; i++) {
		cf->progs[i].stdout_events = out;
		cf->progs[i].stderr_events = err;
		cf->progs[i].stdout_capture = outcap;
		cf->progs[i].stderr_capture = errcap;
	}
}
