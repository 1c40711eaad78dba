/*
 * metrics.c -- the /metrics document (metrics.h), from procd's JSON
 * answers as jsonread.c reads them.  Every family is written whole, its
 * HELP and TYPE first, one sample per process, as the format requires
 * (a family's samples must not be split).
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "buf.h"
#include "cfgval.h"
#include "metrics.h"
#include "promtext.h"
#include "xrvalue.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* A number member of a status row: false when it is missing or null. */
static bool
metrics_int(const struct xr_value *row, const char *key, int64_t *v)
{
	const struct xr_value *x = xr_get(row, key);

	if (x == NULL || x->type != XR_INT)
		return false;
	*v = x->i;
	return true;
}

static bool
metrics_up(const struct xr_value *row, int64_t *v)
{
	*v = xr_get_int(row, "pid") > 0;
	return true;
}

/* procd's RUNNING means ready: startsecs passed, or the ready= check. */
static bool
metrics_ready(const struct xr_value *row, int64_t *v)
{
	*v = strcmp(xr_get_str(row, "state"), "RUNNING") == 0;
	return true;
}

static bool
metrics_wanted(const struct xr_value *row, int64_t *v)
{
	*v = strcmp(xr_get_str(row, "wanted"), "up") == 0;
	return true;
}

static bool
metrics_restarts(const struct xr_value *row, int64_t *v)
{
	return metrics_int(row, "restarts", v);
}

static bool
metrics_uptime(const struct xr_value *row, int64_t *v)
{
	return metrics_int(row, "uptime", v);
}

/* 0 is "never started": no sample rather than 1970. */
static bool
metrics_start(const struct xr_value *row, int64_t *v)
{
	return metrics_int(row, "start", v) && *v > 0;
}

static bool
metrics_exit_status(const struct xr_value *row, int64_t *v)
{
	return metrics_int(row, "exitstatus", v);
}

static bool
metrics_exit_signal(const struct xr_value *row, int64_t *v)
{
	const struct xr_value *s = xr_get(row, "signal");
	int sig;

	if (s == NULL || s->type != XR_STRING ||
	    cfgval_signal(s->s, &sig, NULL) == -1)
		return false;
	*v = sig;
	return true;
}

static bool
metrics_lost(const struct xr_value *row, int64_t *v)
{
	return metrics_int(row, "log_lost_bytes", v);
}

static const struct {
	const char	*name, *type, *help;
	bool		(*value)(const struct xr_value *row, int64_t *v);
} per_process[] = {
	{ "procd_process_up", "gauge",
	    "1 when the process has a live pid (STARTING, RUNNING, STOPPING).",
	    metrics_up },
	{ "procd_process_ready", "gauge",
	    "1 when the process is RUNNING, which in procd means ready.",
	    metrics_ready },
	{ "procd_process_wanted_up", "gauge",
	    "1 when procd is to keep the process up (autostart, start).",
	    metrics_wanted },
	{ "procd_process_restarts_total", "counter",
	    "Spawns of the process after its first.", metrics_restarts },
	{ "procd_process_uptime_seconds", "gauge",
	    "Seconds since the process was spawned, while it runs.",
	    metrics_uptime },
	{ "procd_process_start_time_seconds", "gauge",
	    "When the process was last spawned, in seconds since the epoch.",
	    metrics_start },
	{ "procd_process_last_exit_status", "gauge",
	    "The exit status of the process's last exit, when it exited.",
	    metrics_exit_status },
	{ "procd_process_last_exit_signal", "gauge",
	    "The signal that ended the process last, when one did.",
	    metrics_exit_signal },
	{ "procd_process_log_lost_bytes_total", "counter",
	    "Bytes of the process's output its logs could not take.",
	    metrics_lost },
};

/* supervisord's states, in its order. */
static const char *const states[] = {
	"STOPPED", "STARTING", "RUNNING", "BACKOFF", "STOPPING", "EXITED",
	"FATAL",
};

/* The name and group labels of ROW, and room for one more. */
static void
metrics_labels(const struct xr_value *row, struct promlabel l[3])
{
	l[0] = (struct promlabel){ "name", xr_get_str(row, "process") };
	l[1] = (struct promlabel){ "group", xr_get_str(row, "group") };
}

static void
metrics_states(struct buf *b, const struct xr_value *rows)
{
	static const char name[] = "procd_process_state";
	struct promlabel l[3];

	promtext_family(b, name, "gauge", "The process's state: 1 for the "
	    "one it is in (supervisord's names), 0 for the others.");
	for (size_t i = 0; i < rows->n; i++) {
		const char *st = xr_get_str(rows->items[i], "state");
		metrics_labels(rows->items[i], l);
		for (size_t k = 0; k < nitems(states); k++) {
			l[2] = (struct promlabel){ "state", states[k] };
			promtext_sample(b, name, l, 3,
			    strcmp(st, states[k]) == 0);
		}
	}
}

static void
metrics_processes(struct buf *b, const struct xr_value *rows)
{
	struct promlabel l[3];
	int64_t v;

	metrics_states(b, rows);
	for (size_t f = 0; f < nitems(per_process); f++) {
		promtext_family(b, per_process[f].name, per_process[f].type,
		    per_process[f].help);
		for (size_t i = 0; i < rows->n; i++) {
			if (!per_process[f].value(rows->items[i], &v))
				continue;
			metrics_labels(rows->items[i], l);
			promtext_sample(b, per_process[f].name, l, 2, v);
		}
	}
}

static const struct {
	const char	*name, *type, *key, *help;
} own[] = {
	{ "procd_start_time_seconds", "gauge", "start",
	    "When procd started, in seconds since the epoch." },
	{ "procd_processes", "gauge", "processes",
	    "Processes in procd's table." },
	{ "procd_events_emitted_total", "counter", "events_emitted",
	    "Events queued for at least one event listener pool." },
	{ "procd_events_delivered_total", "counter", "events_delivered",
	    "Events a listener acknowledged (RESULT OK)." },
	{ "procd_events_dropped_total", "counter", "events_dropped",
	    "Events a full pool let go (buffer_size)." },
	{ "procd_control_connections_accepted_total", "counter",
	    "clients_accepted",
	    "Control socket clients given a slot (procctl, HTTP, the "
	    "gateway's channels)." },
	{ "procd_control_connections_refused_total", "counter",
	    "clients_refused",
	    "Control socket clients refused (permission, limits, no fds)." },
};

static void
metrics_own(struct buf *b, const struct xr_value *self)
{
	struct promlabel v = { "version", xr_get_str(self, "version") };

	promtext_family(b, "procd_build_info", "gauge",
	    "Always 1; the labels say which procd this is.");
	promtext_sample(b, "procd_build_info", &v, 1, 1);
	for (size_t i = 0; i < nitems(own); i++) {
		promtext_family(b, own[i].name, own[i].type, own[i].help);
		promtext_sample(b, own[i].name, NULL, 0,
		    xr_get_int(self, own[i].key));
	}
}

void
metrics_render(struct buf *b, const struct xr_value *rows,
    const struct xr_value *self)
{
	if (self != NULL)
		metrics_own(b, self);
	metrics_processes(b, rows);
}
