/*
 * reread.c -- the config file again, against what runs (reread.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cfgdiff.h"
#include "config.h"
#include "json.h"
#include "log.h"
#include "reread.h"
#include "sup.h"

static char *reread_path;

void
reread_init(const char *path)
{
	free(reread_path);
	if ((reread_path = strdup(path)) == NULL)
		fatal("strdup");
}

struct config *
reread_read(struct buf *err)
{
	struct diag_list diags = { 0 };
	struct config *cfg;

	cfg = config_load(reread_path, &diags);
	for (size_t i = 0; i < diags.n; i++) {
		const struct diag *d = &diags.v[i];
		const char *sev = d->severity == DIAG_ERROR ? "error" :
		    "warning";
		if (d->severity == DIAG_ERROR && err != NULL)
			buf_addf(err, "%s:%d: %s: %s\n", d->file, d->line, sev,
			    d->msg);
		log_warnx("%s:%d: %s: %s", d->file, d->line, sev, d->msg);
	}
	diag_free(&diags);
	return cfg;
}

int
reread_diff(const struct config *cfg, struct cfgdiff *d)
{
	const struct program_config **cur;
	size_t n = sup_configs(&cur);
	int r = cfgdiff_compute(cur, n, cfg, d);

	free(cur);
	return r;
}

/* How a group fares as a whole. */
struct group_sum {
	const char	*name;
	size_t		 added, removed, restart, live, same;
};

static struct group_sum *
group_sums(const struct cfgdiff *d, size_t *ngroups)
{
	struct group_sum *g = calloc(d->n + 1, sizeof *g);
	size_t n = 0, k;

	if (g == NULL)
		fatal("calloc");
	for (size_t i = 0; i < d->n; i++) {
		const char *name = cfgdiff_group(&d->v[i]);
		for (k = 0; k < n && strcmp(g[k].name, name) != 0; k++)
			;
		if (k == n)
			g[n++].name = name;
		switch (d->v[i].kind) {
		case DIFF_ADDED: g[k].added++; break;
		case DIFF_REMOVED: g[k].removed++; break;
		case DIFF_RESTART: g[k].restart++; break;
		case DIFF_LIVE: g[k].live++; break;
		case DIFF_SAME: g[k].same++; break;
		}
	}
	*ngroups = n;
	return g;
}

static bool
group_changed(const struct group_sum *g)
{
	return g->added + g->removed + g->restart + g->live > 0;
}

/* "(restart web:a [command]; live web:b [autorestart])" */
static void
describe_details(const struct cfgdiff *d, const char *group,
    struct buf *out)
{
	const char *sep = " (";

	for (size_t i = 0; i < d->n; i++) {
		const struct cfgdiff_entry *e = &d->v[i];
		const struct program_config *pc = e->new ? e->new : e->old;
		const char *what;
		if (strcmp(cfgdiff_group(e), group) != 0)
			continue;
		switch (e->kind) {
		case DIFF_ADDED: what = "add"; break;
		case DIFF_REMOVED: what = "remove"; break;
		case DIFF_RESTART: what = "restart"; break;
		case DIFF_LIVE: what = "live"; break;
		case DIFF_SAME: default: continue;
		}
		buf_addf(out, "%s%s %s", sep, what, pc->name);
		if (e->keys[0] != '\0')
			buf_addf(out, " [%s]", e->keys);
		sep = "; ";
	}
	if (strcmp(sep, "; ") == 0)
		buf_addstr(out, ")");
}

void
reread_describe(const struct cfgdiff *d, struct buf *out)
{
	size_t n, shown = 0;
	struct group_sum *g = group_sums(d, &n);

	for (size_t k = 0; k < n; k++) {
		if (!group_changed(&g[k]))
			continue;
		shown++;
		if (g[k].added > 0 && g[k].removed + g[k].restart +
		    g[k].live + g[k].same == 0)
			buf_addf(out, "%s: available\n", g[k].name);
		else if (g[k].removed > 0 && g[k].added + g[k].restart +
		    g[k].live + g[k].same == 0)
			buf_addf(out, "%s: disappeared\n", g[k].name);
		else {
			buf_addf(out, "%s: changed", g[k].name);
			describe_details(d, g[k].name, out);
			buf_addstr(out, "\n");
		}
	}
	if (shown == 0)
		buf_addstr(out, "No config updates to processes\n");
	free(g);
}

void
reread_describe_json(const struct cfgdiff *d, struct buf *out)
{
	static const char *const kinds[] = {
		[DIFF_SAME] = "same", [DIFF_LIVE] = "live",
		[DIFF_RESTART] = "restart", [DIFF_ADDED] = "added",
		[DIFF_REMOVED] = "removed",
	};
	struct json j;

	json_init(&j, out);
	json_array_begin(&j);
	for (size_t i = 0; i < d->n; i++) {
		const struct cfgdiff_entry *e = &d->v[i];
		const struct program_config *pc = e->new ? e->new : e->old;
		if (e->kind == DIFF_SAME)
			continue;
		json_object_begin(&j);
		json_kstr(&j, "group", pc->group);
		json_kstr(&j, "name", pc->name);
		json_kstr(&j, "change", kinds[e->kind]);
		json_kstr(&j, "keys", e->keys);
		json_object_end(&j);
	}
	json_array_end(&j);
	buf_addstr(out, "\n");
}

static bool
picked(const char *group, int ngroups, char **groups)
{
	if (ngroups == 0)
		return true;
	for (int i = 0; i < ngroups; i++)
		if (strcmp(groups[i], group) == 0)
			return true;
	return false;
}

bool
reread_update_lines(const struct cfgdiff *d, int ngroups, char **groups,
    struct buf *out)
{
	size_t n;
	struct group_sum *g = group_sums(d, &n);
	bool ok = true;

	for (int i = 0; i < ngroups; i++) {
		size_t k;
		for (k = 0; k < n && strcmp(g[k].name, groups[i]) != 0; k++)
			;
		if (k == n) {
			buf_addf(out, "ERROR: no such group: %s\n", groups[i]);
			ok = false;
		}
	}
	for (size_t k = 0; k < n; k++) {
		const struct group_sum *s = &g[k];
		if (!group_changed(s) || !picked(s->name, ngroups, groups))
			continue;
		if (s->removed > 0 && s->added + s->restart + s->live +
		    s->same == 0)
			buf_addf(out, "%s: stopped\n%s: removed process group\n",
			    s->name, s->name);
		else if (s->added > 0 && s->removed + s->restart + s->live +
		    s->same == 0)
			buf_addf(out, "%s: added process group\n", s->name);
		else if (s->restart + s->removed > 0)
			buf_addf(out, "%s: stopped\n%s: updated process group\n",
			    s->name, s->name);
		else
			buf_addf(out, "%s: updated process group (applied "
			    "live)\n", s->name);
	}
	free(g);
	return ok;
}

struct pick_arg {
	int	 n;
	char	**groups;
};

static bool
pick_cb(const char *group, void *arg)
{
	struct pick_arg *a = arg;

	return picked(group, a->n, a->groups);
}

void
reread_apply(struct config *cfg, const struct cfgdiff *d, int ngroups,
    char **groups)
{
	struct pick_arg a = { ngroups, groups };

	sup_update(cfg, d, pick_cb, &a);
}

void
reread_sighup(void)
{
	struct cfgdiff d;
	struct config *cfg;
	struct buf b;

	log_info("SIGHUP: rereading %s", reread_path);
	if ((cfg = reread_read(NULL)) == NULL) {
		log_warnx("SIGHUP: %s has errors; keeping the running "
		    "configuration", reread_path);
		return;
	}
	if (reread_diff(cfg, &d) == -1) {
		config_free(cfg);
		log_warnx("SIGHUP: out of memory");
		return;
	}
	buf_init(&b);
	reread_update_lines(&d, 0, NULL, &b);
	if (b.len > 0)
		log_info("SIGHUP: applying:\n%s", b.data);
	else
		log_info("SIGHUP: no changes");
	reread_apply(cfg, &d, 0, NULL);
	cfgdiff_free(&d);
	buf_free(&b);
}
