/*
 * cmdconf.c -- reread, update, reload, avail: the config file again.
 *
 * update and reload answer once they are over (removed and restarted
 * processes down, the new ones started), so a script can rely on them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cfgdiff.h"
#include "cmd.h"
#include "cmdint.h"
#include "config.h"
#include "control.h"
#include "json.h"
#include "log.h"
#include "proc.h"
#include "reread.h"
#include "sup.h"

/* A client waiting for an update or a reload to be over. */
struct waiter {
	struct client	*c;
	struct buf	 text;		/* what to print then */
	int		 code;
	bool		 reload;	/* else: an update */
	struct waiter	*next;
};

static struct waiter *waiters;

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

/* Answer the waiters whose update or reload is over. */
static void
waiters_progress(void)
{
	struct waiter *w, *next;

	for (w = waiters; w != NULL; w = next) {
		next = w->next;
		if (w->reload ? sup_reloading() : sup_update_pending())
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
cmdconf_settled(void)
{
	if (waiters != NULL)
		waiters_progress();
}

void
cmdconf_client_gone(struct client *c)
{
	struct waiter *w, *next;

	for (w = waiters; w != NULL; w = next) {
		next = w->next;
		if (w->c == c)
			waiter_free(w);
	}
}

/* Read the config file again; NULL (after answering) when it has errors. */
static struct config *
cmd_read_config(struct client *c)
{
	struct config *cfg;
	struct buf err;

	buf_init(&err);
	if ((cfg = reread_read(&err)) == NULL) {
		client_errf(c, "%sERROR: the configuration has errors; "
		    "nothing changed\n", err.data ? err.data : "");
		client_end(c, EXIT_GENERIC);
	}
	buf_free(&err);
	return cfg;
}

/* Read the config again and compare it with what runs; NULL (after
 * answering) on errors or when memory ran out, as reread_sighup recovers:
 * a client's request never takes procd down. */
static struct config *
cmd_read_diff(struct client *c, struct cfgdiff *d)
{
	struct config *cfg;

	if ((cfg = cmd_read_config(c)) == NULL)
		return NULL;
	if (reread_diff(cfg, d) == -1) {
		config_free(cfg);
		log_warnx("reread: out of memory comparing configurations");
		client_errf(c, "ERROR: out of memory comparing the "
		    "configuration; nothing changed\n");
		client_end(c, EXIT_GENERIC);
		return NULL;
	}
	return cfg;
}

void
cmd_reread(struct client *c, int argc, char **argv)
{
	struct config *cfg;
	struct cfgdiff d;
	struct buf out;

	cmd_log_request(c, argc, argv);
	if ((cfg = cmd_read_diff(c, &d)) == NULL)
		return;
	buf_init(&out);
	if (client_json(c))
		reread_describe_json(&d, &out);
	else
		reread_describe(&d, &out);
	client_out(c, out.data, out.len);
	client_end(c, EXIT_OK);
	buf_free(&out);
	cfgdiff_free(&d);
	config_free(cfg);
}

void
cmd_update(struct client *c, int argc, char **argv)
{
	struct config *cfg;
	struct cfgdiff d;
	struct buf out;
	int code = EXIT_OK;
	bool all = argc == 2 && strcmp(argv[1], "all") == 0;

	cmd_log_request(c, argc, argv);
	if ((cfg = cmd_read_diff(c, &d)) == NULL)
		return;
	buf_init(&out);
	if (!reread_update_lines(&d, all ? 0 : argc - 1, argv + 1, &out))
		code = EXIT_GENERIC;
	reread_apply(cfg, &d, all ? 0 : argc - 1, argv + 1);
	cfgdiff_free(&d);
	waiter_add(c, &out, code, false);
	cmdconf_settled();
}

void
cmd_reload(struct client *c, int argc, char **argv)
{
	struct config *cfg;
	struct buf out;

	cmd_log_request(c, argc, argv);
	if ((cfg = cmd_read_config(c)) == NULL)
		return;
	buf_init(&out);
	buf_addstr(&out, "Restarted procd\n");
	waiter_add(c, &out, EXIT_OK, true);
	sup_reload(cfg);
}

/* What the config file offers, and whether it is in use. */
void
cmd_avail(struct client *c, int argc, char **argv)
{
	struct config *cfg;
	struct json j;
	struct buf b;

	(void)argc;
	(void)argv;
	if ((cfg = cmd_read_config(c)) == NULL)
		return;
	buf_init(&b);
	json_init(&j, &b);
	if (client_json(c))
		json_array_begin(&j);
	for (size_t i = 0; i < cfg->nprogs; i++) {
		const struct program_config *pc = &cfg->progs[i];
		char name[512];
		bool used;
		if (strcmp(pc->group, pc->name) == 0)
			snprintf(name, sizeof name, "%s", pc->name);
		else
			snprintf(name, sizeof name, "%s:%s", pc->group,
			    pc->name);
		used = sup_find(name) != NULL;
		if (!client_json(c)) {
			buf_addf(&b, "%-32s %-9s %-9s %d:%d\n", name,
			    used ? "in use" : "avail",
			    pc->autostart ? "auto" : "manual", pc->priority,
			    pc->priority);
			continue;
		}
		json_object_begin(&j);
		json_kstr(&j, "name", name);
		json_kstr(&j, "group", pc->group);
		json_kbool(&j, "in_use", used);
		json_kbool(&j, "autostart", pc->autostart);
		json_kint(&j, "priority", pc->priority);
		json_object_end(&j);
	}
	if (client_json(c)) {
		json_array_end(&j);
		buf_addstr(&b, "\n");
	}
	client_out(c, b.data ? b.data : "", b.len);
	buf_free(&b);
	config_free(cfg);
	client_end(c, EXIT_OK);
}

/* A group named in the request: add's and remove's pick. */
struct picked {
	char	**names;
	size_t	 n;
};

static bool
picked_has(const char *group, void *arg)
{
	const struct picked *pk = arg;

	for (size_t i = 0; i < pk->n; i++)
		if (strcmp(pk->names[i], group) == 0)
			return true;
	return false;
}

/* The processes of GROUP that run now; how many, and how many are up
 * (not STOPPED, EXITED or FATAL: supervisord's "unstopped"). */
static size_t
group_procs(const char *group, struct process ***out, size_t *nup)
{
	size_t n = 0;

	*nup = 0;
	for (size_t i = 0; i < sup_count(); i++) {
		struct process *p = sup_at(i);
		if (strcmp(p->cfg->group, group) != 0)
			continue;
		if (out != NULL) {
			if ((*out = reallocarray(*out, n + 1, sizeof **out)) ==
			    NULL)
				fatal("reallocarray");
			(*out)[n] = p;
		}
		n++;
		if (p->state != PROC_STOPPED && p->state != PROC_EXITED &&
		    p->state != PROC_FATAL)
			(*nup)++;
	}
	return n;
}

/*
 * add GROUP...: activate groups the config file has and procd does not
 * run yet (supervisorctl's add; here the file is read afresh, where
 * supervisord uses its last reread).  Only those groups are touched.
 */
void
cmd_add(struct client *c, int argc, char **argv)
{
	struct picked pk = { NULL, 0 };
	struct config *cfg;
	struct cfgdiff d;
	struct buf out;
	size_t nup;
	int code = EXIT_OK;

	cmd_log_request(c, argc, argv);
	if ((cfg = cmd_read_diff(c, &d)) == NULL)
		return;
	if ((pk.names = calloc((size_t)argc, sizeof *pk.names)) == NULL)
		fatal("calloc");
	buf_init(&out);
	for (int i = 1; i < argc; i++) {
		bool added = false;
		if (group_procs(argv[i], NULL, &nup) > 0) {
			buf_addstr(&out, "ERROR: process group already "
			    "active\n");
			continue;
		}
		for (size_t k = 0; k < d.n && !added; k++)
			added = d.v[k].kind == DIFF_ADDED &&
			    strcmp(cfgdiff_group(&d.v[k]), argv[i]) == 0;
		if (!added) {
			buf_addf(&out, "ERROR: no such process/group: %s\n",
			    argv[i]);
			code = EXIT_GENERIC;
			continue;
		}
		if (!picked_has(argv[i], &pk))
			pk.names[pk.n++] = argv[i];
		buf_addf(&out, "%s: added process group\n", argv[i]);
	}
	if (pk.n > 0)
		sup_update(cfg, &d, picked_has, &pk);
	else
		config_free(cfg);
	cfgdiff_free(&d);
	free(pk.names);
	waiter_add(c, &out, code, false);
	cmdconf_settled();
}

/* Append a removal of P's config to D. */
static void
diff_add_removal(struct cfgdiff *d, const struct process *p)
{
	struct cfgdiff_entry *v = reallocarray(d->v, d->n + 1, sizeof *v);

	if (v == NULL)
		fatal("reallocarray");
	d->v = v;
	memset(&v[d->n], 0, sizeof v[d->n]);
	v[d->n].kind = DIFF_REMOVED;
	v[d->n].old = p->cfg;
	d->n++;
}

/*
 * remove GROUP...: take stopped groups out of what procd runs, whether
 * or not the file still has them (supervisorctl's remove; `update` or
 * `add` brings one back).  A group with a process up is refused.
 */
void
cmd_remove(struct client *c, int argc, char **argv)
{
	struct cfgdiff d = { NULL, 0 };
	struct process **ps;
	struct config *empty;
	struct buf out;
	size_t n, nup;
	int code = EXIT_OK;

	cmd_log_request(c, argc, argv);
	buf_init(&out);
	for (int i = 1; i < argc; i++) {
		ps = NULL;
		if ((n = group_procs(argv[i], &ps, &nup)) == 0)
			buf_addf(&out, "ERROR: no such process/group: %s\n",
			    argv[i]);
		else if (nup > 0)
			buf_addf(&out, "ERROR: process/group still running: "
			    "%s\n", argv[i]);
		else {
			for (size_t k = 0; k < n; k++)
				diff_add_removal(&d, ps[k]);
			buf_addf(&out, "%s: removed process group\n", argv[i]);
		}
		if (n == 0 || nup > 0)
			code = EXIT_GENERIC;
		free(ps);
	}
	/* sup_update holds a config for what it adds: nothing here. */
	if (d.n > 0) {
		if ((empty = calloc(1, sizeof *empty)) == NULL)
			fatal("calloc");
		sup_update(empty, &d, NULL, NULL);
	}
	free(d.v);
	waiter_add(c, &out, code, false);
	cmdconf_settled();
}
