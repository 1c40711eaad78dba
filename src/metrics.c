/*
 * metrics.c -- the /metrics document (metrics.h), from procd's JSON
 * answers as jsonread.c reads them.  Every family is written whole, its
 * HELP and TYPE first, one sample per process, as the format requires
 * (a family's samples must not be split).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cfgval.h"
#include "log.h"
#include "metrics.h"
#include "promtext.h"
#include "xrvalue.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* What /metrics says of a process, each a family of its own. */
enum fact {
	F_UP,
	F_READY,
	F_WANTED,
	F_RESTARTS,
	F_UPTIME,
	F_START,
	F_EXIT_STATUS,
	F_EXIT_SIGNAL,
	F_LOST,
	NFACTS
};

static const struct {
	const char	*name, *type, *help;
} families[] = {
	[F_UP] = { "procd_process_up", "gauge",
	    "1 when the process has a live pid (STARTING, RUNNING, STOPPING)." },
	[F_READY] = { "procd_process_ready", "gauge",
	    "1 when the process is RUNNING, which in procd means ready." },
	[F_WANTED] = { "procd_process_wanted_up", "gauge",
	    "1 when procd is to keep the process up (autostart, start)." },
	[F_RESTARTS] = { "procd_process_restarts_total", "counter",
	    "Spawns of the process after its first." },
	[F_UPTIME] = { "procd_process_uptime_seconds", "gauge",
	    "Seconds since the process was spawned, while it runs." },
	[F_START] = { "procd_process_start_time_seconds", "gauge",
	    "When the process was last spawned, in seconds since the epoch." },
	[F_EXIT_STATUS] = { "procd_process_last_exit_status", "gauge",
	    "The exit status of the process's last exit, while it is down." },
	[F_EXIT_SIGNAL] = { "procd_process_last_exit_signal", "gauge",
	    "The signal that ended the process last, while it is down." },
	[F_LOST] = { "procd_process_log_lost_bytes_total", "counter",
	    "Bytes of the process's output its logs could not take." },
};
_Static_assert(sizeof families / sizeof families[0] == NFACTS,
    "a family for every fact");

/* supervisord's states, in its order. */
static const char *const states[] = {
	"STOPPED", "STARTING", "RUNNING", "BACKOFF", "STOPPING", "EXITED",
	"FATAL",
};

/* One process, read from its status row once. */
struct facts {
	const char	*state;
	size_t		 set;		/* its labels, in the labels buffer */
	bool		 has[NFACTS];	/* false: no sample (unknown) */
	int64_t		 v[NFACTS];
};

/* Member KEY of struct ROW, looked for from *AT on: procd writes its keys
 * in one order and they are read in that order, so each is found at
 * once (a thousand rows are read per scrape). */
static const struct xr_value *
metrics_member(const struct xr_value *row, const char *key, size_t *at)
{
	for (size_t k = 0; k < row->n; k++) {
		size_t i = (*at + k) % row->n;
		if (strcmp(row->keys[i], key) == 0) {
			*at = i + 1;
			return row->items[i];
		}
	}
	return NULL;
}

static const char *
metrics_str(const struct xr_value *row, const char *key, size_t *at)
{
	const struct xr_value *v = metrics_member(row, key, at);

	return v != NULL && v->type == XR_STRING ? v->s : "";
}

/* Fact F from the number KEY; a null or missing one is unknown. */
static void
metrics_num(struct facts *f, enum fact fact, const struct xr_value *row,
    const char *key, size_t *at)
{
	const struct xr_value *v = metrics_member(row, key, at);

	f->has[fact] = v != NULL && v->type == XR_INT;
	f->v[fact] = f->has[fact] ? v->i : 0;
}

/* ROW's facts, in the order procd writes its keys; its name and group
 * labels are added to LABELS. */
static void
metrics_facts(struct facts *f, const struct xr_value *row, struct buf *labels)
{
	struct promlabel l[2];
	const struct xr_value *sig;
	size_t at = 0;
	int signo;

	memset(f, 0, sizeof *f);
	f->set = labels->len;
	if (row->type != XR_STRUCT) {
		f->state = "";
		buf_add(labels, "", 1);
		return;
	}
	l[1] = (struct promlabel){ "group", metrics_str(row, "group", &at) };
	l[0] = (struct promlabel){ "name", metrics_str(row, "process", &at) };
	promtext_labels(labels, l, 2);
	buf_add(labels, "", 1);
	f->state = metrics_str(row, "state", &at);
	f->v[F_READY] = strcmp(f->state, "RUNNING") == 0;
	f->v[F_WANTED] = strcmp(metrics_str(row, "wanted", &at), "up") == 0;
	metrics_num(f, F_UP, row, "pid", &at);
	f->v[F_UP] = f->v[F_UP] > 0;
	metrics_num(f, F_UPTIME, row, "uptime", &at);
	metrics_num(f, F_EXIT_STATUS, row, "exitstatus", &at);
	sig = metrics_member(row, "signal", &at);
	if (sig != NULL && sig->type == XR_STRING &&
	    cfgval_signal(sig->s, &signo, NULL) == 0) {
		f->has[F_EXIT_SIGNAL] = true;
		f->v[F_EXIT_SIGNAL] = signo;
	}
	metrics_num(f, F_RESTARTS, row, "restarts", &at);
	metrics_num(f, F_START, row, "start", &at);
	/* 0 is "never started": no sample rather than 1970. */
	f->has[F_START] = f->has[F_START] && f->v[F_START] > 0;
	metrics_num(f, F_LOST, row, "log_lost_bytes", &at);
	f->has[F_READY] = f->has[F_WANTED] = f->has[F_UP] = true;
}

static void
metrics_states(struct buf *b, const struct facts *f, size_t n,
    const struct buf *labels)
{
	static const char name[] = "procd_process_state";
	struct buf set;

	buf_init(&set);
	promtext_family(b, name, "gauge", "The process's state: 1 for the "
	    "one it is in (supervisord's names), 0 for the others.");
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < nitems(states); k++) {
			buf_reset(&set);
			buf_addstr(&set, labels->data + f[i].set);
			buf_addstr(&set, ",state=\"");
			buf_addstr(&set, states[k]);
			buf_addstr(&set, "\"");
			promtext_sample(b, name, set.data,
			    strcmp(f[i].state, states[k]) == 0);
		}
	}
	buf_free(&set);
}

static void
metrics_processes(struct buf *b, const struct xr_value *rows)
{
	struct facts *f;
	struct buf labels;

	if ((f = calloc(rows->n + 1, sizeof *f)) == NULL)
		fatal("calloc");
	buf_init(&labels);
	for (size_t i = 0; i < rows->n; i++)
		metrics_facts(&f[i], rows->items[i], &labels);
	metrics_states(b, f, rows->n, &labels);
	for (size_t k = 0; k < NFACTS; k++) {
		promtext_family(b, families[k].name, families[k].type,
		    families[k].help);
		for (size_t i = 0; i < rows->n; i++)
			if (f[i].has[k])
				promtext_sample(b, families[k].name,
				    labels.data + f[i].set, f[i].v[k]);
	}
	buf_free(&labels);
	free(f);
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
	struct buf set;

	buf_init(&set);
	promtext_labels(&set, &v, 1);
	promtext_family(b, "procd_build_info", "gauge",
	    "Always 1; the labels say which procd this is.");
	promtext_sample(b, "procd_build_info", set.data, 1);
	buf_free(&set);
	for (size_t i = 0; i < nitems(own); i++) {
		promtext_family(b, own[i].name, own[i].type, own[i].help);
		promtext_sample(b, own[i].name, NULL,
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
