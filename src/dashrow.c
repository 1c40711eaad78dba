/*
 * dashrow.c -- one process as the dashboard shows it (dashrow.h).
 *
 * Everything that came from a config or a program goes through htmlesc
 * (HTML) or the JSON writer (JSON); the state, used in class names, is
 * taken only from the fixed table below.
 */
#include <stdio.h>
#include <string.h>

#include "dashrow.h"
#include "htmlesc.h"
#include "json.h"
#include "proc.h"
#include "render.h"

/* The states, each with the sign shown beside its name (so the state
 * reads without colour, too). */
static const struct {
	const char	*name;
	const char	*sign;
} dashrow_states[] = {
	{ "RUNNING", "\xe2\x97\x8f" },		/* ● */
	{ "STARTING", "\xe2\x97\x94" },		/* ◔ */
	{ "BACKOFF", "\xe2\x86\xbb" },		/* ↻ */
	{ "STOPPING", "\xe2\x97\x91" },		/* ◑ */
	{ "STOPPED", "\xe2\x96\xa0" },		/* ■ */
	{ "EXITED", "\xe2\x97\x8b" },		/* ○ */
	{ "FATAL", "\xe2\x9c\x95" },		/* ✕ */
};
_Static_assert(sizeof dashrow_states / sizeof dashrow_states[0] ==
    DASHROW_NSTATES, "one sign per state");
_Static_assert(DASHROW_NSTATES == PROC_NSTATES, "a state procd has and "
    "the dashboard does not know (dash.js has the list too)");

int
dashrow_state_index(const char *state)
{
	for (int i = 0; i < DASHROW_NSTATES; i++)
		if (strcmp(dashrow_states[i].name, state) == 0)
			return i;
	return -1;
}

const char *
dashrow_state_name(int i)
{
	return dashrow_states[i].name;
}

int
dashrow_nstates(void)
{
	return DASHROW_NSTATES;
}

/* What the health object says, as status does: "health ok", or
 * "health failing: RESULT". */
static void
dashrow_health(struct buf *b, const struct xr_value *h)
{
	const struct xr_value *ok = xr_get(h, "last_ok");

	if (ok == NULL || ok->type != XR_BOOL)
		return;
	buf_addstr(b, ok->i ? ", health ok" : ", health failing");
	if (!ok->i && *xr_get_str(h, "last_result") != '\0') {
		buf_addstr(b, ": ");
		buf_addstr(b, xr_get_str(h, "last_result"));
	}
}

/* The description without the uptime: procd's for any state but
 * RUNNING, where the uptime has a column of its own. */
static void
dashrow_desc(struct dashrow *r, const struct xr_value *obj)
{
	const struct xr_value *st = xr_get(obj, "status_text");
	const struct xr_value *h = xr_get(obj, "health");

	if (strcmp(r->state, "RUNNING") != 0) {
		buf_addstr(&r->desc, xr_get_str(obj, "description"));
		return;
	}
	buf_addf(&r->desc, "pid %lld", (long long)r->pid);
	if (st != NULL && st->type == XR_STRING && st->len > 0) {
		buf_addstr(&r->desc, ", ");
		buf_addstr(&r->desc, st->s);
	}
	if (h != NULL && h->type == XR_STRUCT)
		dashrow_health(&r->desc, h);
	if (*xr_get_str(obj, "listener_state") != '\0') {
		buf_addstr(&r->desc, ", listener ");
		buf_addstr(&r->desc, xr_get_str(obj, "listener_state"));
	}
}

int
dashrow_read(const struct xr_value *obj, struct dashrow *r)
{
	const struct xr_value *w = xr_get(obj, "waiting_for");
	int i;

	memset(r, 0, sizeof *r);
	buf_init(&r->desc);
	r->name = xr_get_str(obj, "name");
	if (*r->name == '\0' ||
	    (i = dashrow_state_index(xr_get_str(obj, "state"))) == -1)
		return -1;
	r->state = dashrow_states[i].name;
	r->group = xr_get_str(obj, "group");
	r->pid = xr_get_int(obj, "pid");
	r->uptime = xr_get_int(obj, "uptime");
	r->restarts = xr_get_int(obj, "restarts");
	r->waiting = w != NULL && w->type == XR_ARRAY && w->n > 0 ? w : NULL;
	dashrow_desc(r, obj);
	return 0;
}

void
dashrow_free(struct dashrow *r)
{
	buf_free(&r->desc);
}

void
dashrow_json(struct json *j, const struct dashrow *r)
{
	json_object_begin(j);
	json_kstr(j, "name", r->name);
	json_kstr(j, "group", r->group);
	json_kstr(j, "state", r->state);
	json_kint(j, "pid", r->pid);
	json_kint(j, "uptime", r->uptime);
	json_kint(j, "restarts", r->restarts);
	json_kstr(j, "desc", r->desc.data != NULL ? r->desc.data : "");
	json_key(j, "waiting");
	json_array_begin(j);
	for (size_t i = 0; r->waiting != NULL && i < r->waiting->n; i++)
		if (r->waiting->items[i]->type == XR_STRING)
			json_str(j, r->waiting->items[i]->s);
	json_array_end(j);
	json_object_end(j);
}

/* NAME for a URL path: every byte but [A-Za-z0-9._-] as %XX. */
static void
dashrow_urlpart(struct buf *b, const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("._-", *p) != NULL)
			buf_add(b, p, 1);
		else
			buf_addf(b, "%%%02X", *p);
	}
}

/* Readiness, as the Ready column says it. */
static const char *
dashrow_ready(const struct dashrow *r)
{
	if (strcmp(r->state, "RUNNING") == 0)
		return "\xe2\x9c\x93 ready";		/* ✓ */
	if (strcmp(r->state, "STARTING") == 0)
		return r->waiting != NULL ? "\xe2\x80\xa6 waiting" :
		    "\xe2\x80\xa6 not yet";		/* … */
	return "\xe2\x80\x93";				/* – */
}

static void
dashrow_html(struct buf *b, const struct dashrow *r)
{
	char up[64];
	int i = dashrow_state_index(r->state);

	buf_addstr(b, "<tr data-name=\"");
	htmlesc_str(b, r->name);
	buf_addstr(b, "\" data-group=\"");
	htmlesc_str(b, r->group);
	buf_addf(b, "\" data-state=\"%s\">\n<th scope=\"row\">", r->state);
	htmlesc_str(b, r->name);
	buf_addf(b, "</th>\n<td class=\"state\"><span class=\"st st-%s\">"
	    "<span aria-hidden=\"true\">%s</span> %s</span></td>\n",
	    r->state, dashrow_states[i].sign, r->state);
	up[0] = '\0';
	if (strcmp(r->state, "RUNNING") == 0)
		render_uptime(r->uptime, up, sizeof up);
	buf_addf(b, "<td class=\"up\" data-up=\"%lld\">%s</td>\n"
	    "<td class=\"rs\">%lld</td>\n<td class=\"rd\">%s</td>\n"
	    "<td class=\"wt\">", (long long)r->uptime, up,
	    (long long)r->restarts, dashrow_ready(r));
	for (size_t k = 0; r->waiting != NULL && k < r->waiting->n; k++) {
		if (r->waiting->items[k]->type != XR_STRING)
			continue;
		buf_addstr(b, k > 0 ? ", " : "");
		htmlesc_str(b, r->waiting->items[k]->s);
	}
	buf_addstr(b, "</td>\n<td class=\"desc\">");
	htmlesc(b, r->desc.data != NULL ? r->desc.data : "", r->desc.len);
	buf_addstr(b, "</td>\n<td class=\"acts\"><a class=\"log\" "
	    "href=\"/logtail/");
	dashrow_urlpart(b, r->name);
	buf_addstr(b, "\">log</a></td>\n</tr>\n");
}

/* The heading row of group GROUP. */
static void
dashrow_group_html(struct buf *b, const char *group)
{
	buf_addstr(b, "<tr class=\"grp\" data-group=\"");
	htmlesc_str(b, group);
	buf_addstr(b, "\">\n<th scope=\"rowgroup\" colspan=\"8\">"
	    "<span class=\"gname\">");
	htmlesc_str(b, group);
	buf_addstr(b, "</span></th>\n</tr>\n");
}

/* A process in a group of its own name is shown without a heading. */
static bool
dashrow_grouped(const struct dashrow *r)
{
	size_t n = strlen(r->group);

	return strncmp(r->name, r->group, n) == 0 && r->name[n] == ':';
}

void
dashrow_table(struct buf *b, const struct xr_value *rows)
{
	const char *last = NULL;
	struct dashrow r;

	for (size_t i = 0; rows != NULL && rows->type == XR_ARRAY &&
	    i < rows->n; i++) {
		if (dashrow_read(rows->items[i], &r) == 0) {
			if (dashrow_grouped(&r) && (last == NULL ||
			    strcmp(last, r.group) != 0))
				dashrow_group_html(b, r.group);
			last = dashrow_grouped(&r) ? r.group : NULL;
			dashrow_html(b, &r);
		}
		dashrow_free(&r);
	}
}

void
dashrow_array(struct json *j, const struct xr_value *rows)
{
	struct dashrow r;

	json_array_begin(j);
	for (size_t i = 0; rows != NULL && rows->type == XR_ARRAY &&
	    i < rows->n; i++) {
		if (dashrow_read(rows->items[i], &r) == 0)
			dashrow_json(j, &r);
		dashrow_free(&r);
	}
	json_array_end(j);
}

void
dashrow_counts(const struct xr_value *rows, unsigned counts[], size_t n)
{
	int k;

	for (size_t i = 0; rows != NULL && rows->type == XR_ARRAY &&
	    i < rows->n; i++) {
		k = dashrow_state_index(xr_get_str(rows->items[i], "state"));
		if (k >= 0 && (size_t)k < n &&
		    *xr_get_str(rows->items[i], "name") != '\0')
			counts[k]++;
	}
}
