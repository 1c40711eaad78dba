/*
 * render.c -- status text (supervisorctl's format) and JSON (render.h).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "buf.h"
#include "cfgval.h"
#include "cfgcheck.h"
#include "config.h"
#include "health.h"
#include "json.h"
#include "proc.h"
#include "render.h"
#include "textsafe.h"

#define NAME_MIN_WIDTH 30

void
render_uptime(int64_t secs, char *out, size_t len)
{
	int64_t days, h, m, s;

	if (secs < 0)
		secs = 0;
	days = secs / 86400;
	h = secs % 86400 / 3600;
	m = secs % 3600 / 60;
	s = secs % 60;
	if (days > 0)
		snprintf(out, len, "%lld day%s, %lld:%02lld:%02lld",
		    (long long)days, days == 1 ? "" : "s", (long long)h,
		    (long long)m, (long long)s);
	else
		snprintf(out, len, "%lld:%02lld:%02lld", (long long)h,
		    (long long)m, (long long)s);
}

static int64_t
render_uptime_secs(const struct process *p, int64_t now_mono)
{
	return p->state == PROC_RUNNING ? (now_mono - p->start_mono) / 1000 : 0;
}

/* "KILL" for a status that says killed by SIGKILL; "?" for no name. */
static const char *
render_termsig(int wstatus)
{
	const char *sig = cfgval_signame(WTERMSIG(wstatus));

	return sig != NULL ? sig : "?";
}

void
render_wstatus(int wstatus, char *out, size_t len)
{
	if (WIFSIGNALED(wstatus))
		snprintf(out, len, "terminated by SIG%s",
		    render_termsig(wstatus));
	else
		snprintf(out, len, "exit status %d", WEXITSTATUS(wstatus));
}

/* "exit status 1; not expected" / "terminated by SIGKILL; not expected" */
static void
render_exit(const struct process *p, char *out, size_t len)
{
	char what[64];

	render_wstatus(p->wstatus, what, sizeof what);
	snprintf(out, len, "%s; %s", what,
	    p->exit_expected ? "expected" : "not expected");
}

/* "waiting for a, b" (", and N more" past what the row names). */
static void
render_waiting(const struct render_row *r, char *out, size_t len)
{
	size_t n = 0, named = r->nwaiting < RENDER_WAITING_MAX ?
	    r->nwaiting : RENDER_WAITING_MAX;

	n += (size_t)snprintf(out, len, "waiting for");
	for (size_t i = 0; i < named && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, "%s %s", i ? "," : "",
		    r->waiting[i]);
	if (r->nwaiting > named && n < len)
		snprintf(out + n, len - n, " and %zu more",
		    r->nwaiting - named);
}

/* "not ready yet (tcp:127.0.0.1:5432)": what a STARTING process with a
 * readiness check (ready=) is waiting for; nothing for startsecs. */
static void
render_not_ready(const struct ready_config *rc, char *out, size_t len)
{
	char check[512];

	switch (rc->kind) {
	case READY_NOTIFY:
		snprintf(out, len, "not ready yet (notify)");
		break;
	case READY_FD:
		snprintf(out, len, "not ready yet (fd:%d)", rc->fd);
		break;
	case READY_CHECK:
		cfgcheck_format(rc->check, check, sizeof check);
		snprintf(out, len, "not ready yet (%s)", check);
		break;
	case READY_STARTSECS:
		break;
	}
}

/* Append TEXT to OUT (LEN bytes in all), cut to fit on a character
 * boundary: a program's text must not end in half a character. */
static void
render_fit(char *out, size_t len, const char *text)
{
	size_t n = strlen(out);

	if (n + 1 < len)
		snprintf(out + n, len - n, "%.*s",
		    (int)textsafe_fit(text, len - n - 1), text);
}

/* Append "<SEP><text>" when there is room; for STATUS= text. */
static void
render_append(char *out, size_t len, const char *sep, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	if (out[0] != '\0')
		render_fit(out, len, sep);
	render_fit(out, len, text);
}

/* A RUNNING process's last health check: "health ok", or "health
 * failing 1/3: HTTP status 500"; nothing before the first one ends. */
static void
render_health(const struct render_row *r, char *out, size_t len)
{
	const struct health_info *h = r->health;
	char s[256];

	if (h == NULL || !h->have_result)
		return;
	if (h->failures == 0)
		snprintf(s, sizeof s, "health ok");
	else
		snprintf(s, sizeof s, "health failing %u/%d: %s", h->failures,
		    r->p->cfg->health.retries, h->last);
	render_append(out, len, ", ", s);
}

/* ", listener READY": where an event listener is in the protocol. */
static void
render_listener(const struct render_row *r, char *out, size_t len)
{
	char what[64];

	if (r->listener == NULL)
		return;
	snprintf(what, sizeof what, "listener %s", r->listener);
	render_append(out, len, ", ", what);
}

void
render_description(const struct render_row *r, int64_t now_mono,
    time_t now_wall, char *out, size_t len)
{
	const struct process *p = r->p;
	char up[64];
	struct tm tm;
	size_t n;

	(void)now_wall;
	out[0] = '\0';
	switch (p->state) {
	case PROC_RUNNING:
		render_uptime(render_uptime_secs(p, now_mono), up, sizeof up);
		snprintf(out, len, "pid %ld, uptime %s", (long)p->pid, up);
		render_append(out, len, ", ", r->status_text);
		render_health(r, out, len);
		render_listener(r, out, len);
		break;
	case PROC_BACKOFF:
	case PROC_FATAL:
		if (p->spawnerr[0] != '\0')
			render_fit(out, len, p->spawnerr);
		else
			snprintf(out, len, "unknown error (try \"tail %s\")",
			    r->name);
		if (p->state == PROC_BACKOFF && p->deadline > now_mono) {
			n = strlen(out);
			snprintf(out + n, len - n, "; retrying in %lld s",
			    (long long)((p->deadline - now_mono + 999) / 1000));
		}
		break;
	case PROC_STOPPED:
		if (p->start_wall == 0) {
			snprintf(out, len, "Not started");
			break;
		}
		localtime_r(&p->stop_wall, &tm);
		strftime(out, len, "%b %d %I:%M %p", &tm);
		break;
	case PROC_EXITED:
		if (p->spawnerr[0] != '\0') {
			/* procd's reason (watchdog) before the status */
			render_fit(out, len, p->spawnerr);
			render_fit(out, len, "; ");
		}
		n = strlen(out);
		render_exit(p, out + n, len - n);
		break;
	case PROC_STARTING:
		if (p->waiting)
			render_waiting(r, out, len);
		else if (r->status_text != NULL && *r->status_text != '\0')
			render_append(out, len, "", r->status_text);
		else
			render_not_ready(&p->cfg->ready, out, len);
		break;
	case PROC_STOPPING:
	case PROC_NSTATES:
		break;
	}
}

static const char *
render_state_color(enum proc_state s)
{
	switch (s) {
	case PROC_RUNNING:
		return "\033[32m";
	case PROC_STARTING:
	case PROC_BACKOFF:
	case PROC_STOPPING:
		return "\033[33m";
	case PROC_EXITED:
	case PROC_FATAL:
		return "\033[31m";
	case PROC_STOPPED:
	case PROC_NSTATES:
		break;
	}
	return "";
}

/* The width of the name column: the longest name as shown, at least
 * NAME_MIN_WIDTH. */
static size_t
render_name_width(const struct render_row *rows, size_t n)
{
	size_t width = NAME_MIN_WIDTH;
	struct buf name;

	buf_init(&name);
	for (size_t i = 0; i < n; i++) {
		buf_reset(&name);
		textsafe_escape(&name, rows[i].name);
		if (name.len > width)
			width = name.len;
	}
	buf_free(&name);
	return width;
}

void
render_status_text(struct buf *b, const struct render_row *rows, size_t n,
    int64_t now_mono, time_t now_wall, bool color)
{
	size_t width = render_name_width(rows, n);
	char desc[256];

	for (size_t i = 0; i < n; i++) {
		const char *state = proc_state_name(rows[i].p->state);
		const char *on = color ?
		    render_state_color(rows[i].p->state) : "";
		size_t start = b->len;

		render_description(&rows[i], now_mono, now_wall, desc,
		    sizeof desc);
		/* Names come from the config, descriptions partly from the
		 * program (STATUS=, spawn errors): neither reaches the
		 * terminal unescaped.  Pad the name as shown; the colour's
		 * escapes must not count as width. */
		textsafe_escape(b, rows[i].name);
		buf_addf(b, "%*s%s%s%s%*s", (int)(width + 3 - (b->len - start)),
		    "", on, state, *on ? "\033[0m" : "",
		    10 - (int)strlen(state), "");
		textsafe_escape(b, desc);
		buf_addstr(b, "\n");
	}
}

/* The exit status and signal of a process that exited, else nulls. */
static void
render_json_exit(struct json *j, const struct process *p)
{
	bool exited = p->spawns > 0 && p->pid == 0 && !p->exec_failed;
	char sig[16];

	if (exited && WIFEXITED(p->wstatus)) {
		json_kint(j, "exitstatus", WEXITSTATUS(p->wstatus));
		json_knull(j, "signal");
	} else if (exited && WIFSIGNALED(p->wstatus)) {
		snprintf(sig, sizeof sig, "SIG%s", render_termsig(p->wstatus));
		json_knull(j, "exitstatus");
		json_kstr(j, "signal", sig);
	} else {
		json_knull(j, "exitstatus");
		json_knull(j, "signal");
	}
	/* exitcodes= on the last exit: an EXITED one-shot that ended as
	 * expected is done, not down (the gateway's /readyz). */
	if (exited)
		json_kbool(j, "exit_expected", p->exit_expected);
	else
		json_knull(j, "exit_expected");
}

/* health=, as written: "http://127.0.0.1:8080/healthz". */
static void
render_health_check(const struct health_config *hc, char *out, size_t len)
{
	if (hc->check == NULL)
		snprintf(out, len, "none");
	else
		cfgcheck_format(hc->check, out, len);
}

/* "health": null, or the check and its last result. */
static void
render_json_health(struct json *j, const struct render_row *r)
{
	const struct health_info *h = r->health;
	const struct health_config *hc = &r->p->cfg->health;
	char check[512];

	if (h == NULL) {
		json_knull(j, "health");
		return;
	}
	render_health_check(hc, check, sizeof check);
	json_key(j, "health");
	json_object_begin(j);
	json_kstr(j, "check", check);
	json_kint(j, "interval", hc->interval);
	json_kint(j, "timeout", hc->timeout);
	json_kint(j, "retries", hc->retries);
	json_kuint(j, "checks", h->checks);
	json_kuint(j, "failures", h->failures);
	if (h->have_result) {
		json_kbool(j, "last_ok", h->last_ok);
		json_kstr(j, "last_result", h->last);
		json_kint(j, "last_time", h->last_wall);
	} else {
		json_knull(j, "last_ok");
		json_knull(j, "last_result");
		json_knull(j, "last_time");
	}
	json_object_end(j);
}

static void
render_json_row(struct json *j, const struct render_row *r, int64_t now_mono,
    time_t now_wall)
{
	const struct process *p = r->p;
	char desc[256];

	render_description(r, now_mono, now_wall, desc, sizeof desc);
	json_object_begin(j);
	json_kstr(j, "name", r->name);
	json_kstr(j, "group", p->cfg->group);
	json_kstr(j, "process", p->cfg->name);
	json_kstr(j, "state", proc_state_name(p->state));
	json_kstr(j, "wanted", p->want == WANT_UP ? "up" : "down");
	json_kint(j, "pid", p->pid);
	json_kint(j, "uptime", render_uptime_secs(p, now_mono));
	render_json_exit(j, p);
	json_kuint(j, "restarts", p->restarts);
	json_kint(j, "start", p->start_wall);
	json_kint(j, "stop", p->stop_wall);
	if (p->state == PROC_BACKOFF && p->deadline > 0)
		json_kint(j, "next_start", now_wall +
		    (p->deadline - now_mono + 999) / 1000);
	else
		json_knull(j, "next_start");
	json_kuint(j, "log_lost_bytes", r->lost);
	json_kstr(j, "spawnerr", p->spawnerr);
	json_kstr(j, "description", desc);
	render_json_health(j, r);
	json_kstr(j, "listener_state", r->listener);
	json_key(j, "waiting_for");
	json_array_begin(j);
	for (size_t i = 0; i < r->nwaiting && i < RENDER_WAITING_MAX; i++)
		json_str(j, r->waiting[i]);
	json_array_end(j);
	json_kstr(j, "status_text", r->status_text);
	json_object_end(j);
}

void
render_status_json(struct buf *b, const struct render_row *rows, size_t n,
    int64_t now_mono, time_t now_wall)
{
	struct json j;

	json_init(&j, b);
	json_array_begin(&j);
	for (size_t i = 0; i < n; i++) {
		json_newline(&j);
		render_json_row(&j, &rows[i], now_mono, now_wall);
	}
	json_array_end(&j);
	buf_addstr(b, "\n");
}
