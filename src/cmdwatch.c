/*
 * cmdwatch.c -- procctl watch: every state change, as it happens, until
 * the client hangs up.  One line each, or one JSON object per line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "buf.h"
#include "cmd.h"
#include "cmdint.h"
#include "config.h"
#include "control.h"
#include "json.h"
#include "log.h"
#include "proc.h"
#include "sup.h"
#include "textsafe.h"

struct watcher {
	struct client	*c;
	struct watcher	*next;
};

static struct watcher *watchers;

void
cmd_watch(struct client *c, int argc, char **argv)
{
	struct watcher *w;

	(void)argv;
	if (argc != 1) {
		client_errf(c, "Error: usage: watch\n");
		client_end(c, EXIT_USAGE);
		return;
	}
	if ((w = calloc(1, sizeof *w)) == NULL)
		fatal("calloc");
	w->c = c;
	w->next = watchers;
	watchers = w;
	client_stream(c);
}

static void
watch_format(struct buf *b, const struct process *p, enum proc_state old,
    enum proc_state new, bool json)
{
	char stamp[32];
	time_t now = time(NULL);
	struct json j;
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	if (!json) {
		/* the name and the spawn error escaped, as status does */
		buf_addf(b, "%s ", stamp);
		textsafe_escape(b, sup_name(p));
		buf_addf(b, " %s -> %s", proc_state_name(old),
		    proc_state_name(new));
		if (p->pid > 0)
			buf_addf(b, " (pid %ld)", (long)p->pid);
		if (p->spawnerr[0] != '\0' && (new == PROC_BACKOFF ||
		    new == PROC_FATAL)) {
			buf_addstr(b, ": ");
			textsafe_escape(b, p->spawnerr);
		}
		buf_addstr(b, "\n");
		return;
	}
	json_init(&j, b);
	json_object_begin(&j);
	json_kint(&j, "time", now);
	json_kstr(&j, "name", sup_name(p));
	json_kstr(&j, "group", p->cfg->group);
	json_kstr(&j, "from", proc_state_name(old));
	json_kstr(&j, "to", proc_state_name(new));
	json_kint(&j, "pid", p->pid);
	json_kstr(&j, "spawnerr", p->spawnerr);
	json_object_end(&j);
	buf_addstr(b, "\n");
}

void
cmdwatch_observe(const struct process *p, enum proc_state old,
    enum proc_state new)
{
	struct buf text, json;

	if (watchers == NULL)
		return;
	buf_init(&text);
	buf_init(&json);
	for (struct watcher *w = watchers; w != NULL; w = w->next) {
		struct buf *b = client_json(w->c) ? &json : &text;
		if (b->len == 0)
			watch_format(b, p, old, new, b == &json);
		client_out(w->c, b->data, b->len);
	}
	buf_free(&text);
	buf_free(&json);
}

void
cmdwatch_client_gone(struct client *c)
{
	struct watcher **wp = &watchers;

	while (*wp != NULL) {
		if ((*wp)->c == c) {
			struct watcher *w = *wp;
			*wp = w->next;
			free(w);
		} else
			wp = &(*wp)->next;
	}
}
