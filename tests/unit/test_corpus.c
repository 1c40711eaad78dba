/*
 * test_corpus.c -- every real-world supervisord config of the shared corpus
 * (PROCD_CORPUS, default ../shared/corpus/supervisord) through config_load,
 * one cmocka test per file.
 *
 * As the corpus's validate.py did for supervisord 4.2.5, each file is copied
 * alone into an empty directory (so its [include] globs find nothing) and
 * every %(ENV_X)s it names gets a stub value chosen from the key it is used
 * under.  Then:
 *   - a top-level file must load with no error (warnings are fine) and,
 *     unless it has sections procd ignores (event listeners, FastCGI),
 *     yield as many processes as supervisord built (INDEX.tsv);
 *   - a file in invalid/ must fail, except those supervisord rejects only
 *     for a missing Python plugin: procd ignores those sections with a
 *     warning, so they must load with at least one warning.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "tmptree.h"

/* invalid/ files that fail in supervisord only for a missing plugin. */
static const char *const plugin_only[] = { "010-", "052-", "091-" };

struct corpus_file {
	char	*path;		/* in the corpus */
	char	*rel;		/* "invalid/NNN-....conf" or "NNN-....conf" */
	bool	 invalid;
	bool	 plugin_only;
	long	 nprocs;	/* supervisord's count; -1 when not comparable */
};

struct stub {
	char	*name;
	char	*value;
	char	*saved;		/* the value before the test, or NULL */
};

/* ---------------- environment stubs, as validate.py chooses them ------- */

static bool
listed(const char *const *list, const char *s)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, s) == 0)
			return true;
	}
	return false;
}

/* The dummy value for variable VAR used under KEY (validate.py's rules). */
static const char *
dummy_for(const char *var, const char *key)
{
	static const char *const bools[] = { "autostart", "autorestart",
	    "nodaemon", "redirect_stderr", "stopasgroup", "killasgroup",
	    "strip_ansi", "nocleanup", "silent", "stdout_events_enabled",
	    "stderr_events_enabled", "stdout_syslog", "stderr_syslog", NULL };
	static const char *const ints[] = { "numprocs", "numprocs_start",
	    "priority", "startsecs", "startretries", "stopwaitsecs", "minfds",
	    "minprocs", "logfile_backups", "stdout_logfile_backups",
	    "stderr_logfile_backups", "buffer_size", NULL };
	size_t n = strlen(key);

	if (strcmp(key, "loglevel") == 0)
		return "info";
	if (listed(bools, key))
		return "true";
	if (listed(ints, key))
		return "1";
	if (n >= 8 && strcmp(key + n - 8, "maxbytes") == 0)
		return "0";
	if (strcmp(key, "umask") == 0)
		return "022";
	if (strcmp(key, "stopsignal") == 0)
		return "TERM";
	if (strcmp(key, "user") == 0 || strcasestr(var, "USER") != NULL)
		return "root";
	if (strcasestr(var, "PORT") != NULL)
		return "9001";
	if (strcasestr(var, "HOST") != NULL || strcasestr(var, "ADDR") != NULL)
		return "127.0.0.1";
	if (strcasestr(var, "PASS") != NULL)
		return "secret";
	return "stub";
}

static int
rank(const char *v)
{
	static const char *const high[] = { "true", "1", "0", "TERM", "022",
	    NULL };

	return strcmp(v, "info") == 0 ? 5 : listed(high, v) ? 4 : 0;
}

/* Add or re-rank the stub for VAR. */
static void
stub_add(struct stub **v, size_t *n, const char *var, const char *val)
{
	size_t i;

	if (strcmp(var, "PATH") == 0 || strcmp(var, "HOME") == 0 ||
	    strcmp(var, "LANG") == 0)
		return;
	for (i = 0; i < *n; i++) {
		if (strcmp((*v)[i].name, var) == 0) {
			if (rank(val) > rank((*v)[i].value)) {
				free((*v)[i].value);
				(*v)[i].value = strdup(val);
			}
			return;
		}
	}
	*v = realloc(*v, (*n + 1) * sizeof **v);
	assert_non_null(*v);
	(*v)[*n] = (struct stub){ strdup(var), strdup(val), NULL };
	(*n)++;
}

/* Scan TEXT for %(ENV_X)s, remembering the key each one is used under. */
static struct stub *
stubs_for(const char *text, size_t *n)
{
	struct stub *v = NULL;
	const char *line, *p, *end;
	char key[128] = "", var[256];
	size_t len;

	*n = 0;
	for (line = text; *line != '\0'; line = end + (*end == '\n')) {
		end = line + strcspn(line, "\n");
		len = strspn(line, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR"
		    "STUVWXYZ0123456789_.-");
		p = line + len;
		while (*p == ' ' || *p == '\t')
			p++;
		if (len > 0 && len < sizeof key && (*p == '=' || *p == ':')) {
			memcpy(key, line, len);
			key[len] = '\0';
			for (char *k = key; *k != '\0'; k++)
				*k = tolower((unsigned char)*k);
		}
		for (p = line; (p = strstr(p, "%(ENV_")) != NULL && p < end;) {
			p += 6;
			len = strcspn(p, ")\n");
			if (p[len] == ')' && len > 0 && len < sizeof var) {
				memcpy(var, p, len);
				var[len] = '\0';
				stub_add(&v, n, var, dummy_for(var, key));
			}
		}
	}
	return v;
}

static void
stubs_set(struct stub *v, size_t n)
{
	const char *old;
	size_t i;

	for (i = 0; i < n; i++) {
		old = getenv(v[i].name);
		v[i].saved = old != NULL ? strdup(old) : NULL;
		setenv(v[i].name, v[i].value, 1);
	}
}

static void
stubs_restore(struct stub *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].saved != NULL)
			setenv(v[i].name, v[i].saved, 1);
		else
			unsetenv(v[i].name);
		free(v[i].name);
		free(v[i].value);
		free(v[i].saved);
	}
	free(v);
}

/* ---------------- one file ---------------- */

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	buf = malloc(n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = n;
	return buf;
}

/* Load a copy of CF's file, alone in a fresh directory. */
static struct config *
load_alone(const struct corpus_file *cf, struct diag_list *dl)
{
	char tmpl[] = "/tmp/procd-corpus-XXXXXX", *copy, *text;
	const char *base = strrchr(cf->path, '/');
	struct config *c;
	struct stub *stubs;
	size_t len, nstubs;
	FILE *fp;

	text = slurp(cf->path, &len);
	assert_non_null(mkdtemp(tmpl));
	if (asprintf(&copy, "%s/%s", tmpl, base != NULL ? base + 1 :
	    cf->path) == -1)
		fail();
	assert_non_null(fp = fopen(copy, "wb"));
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	stubs = stubs_for(text, &nstubs);
	stubs_set(stubs, nstubs);
	c = config_load(copy, dl);
	stubs_restore(stubs, nstubs);
	tmptree_remove(tmpl);
	free(copy);
	free(text);
	return c;
}

static size_t
warnings(const struct diag_list *dl)
{
	return dl->n - dl->nerrors;
}

static void
test_one(void **state)
{
	const struct corpus_file *cf = *state;
	struct diag_list dl = { 0 };
	struct config *c;

	c = load_alone(cf, &dl);
	if (!cf->invalid) {
		if (c == NULL || dl.nerrors > 0) {
			diag_print(&dl, stderr);
			fail_msg("%s: supervisord loads it; procd must too",
			    cf->rel);
		}
		if (cf->nprocs >= 0 && (long)c->nprogs != cf->nprocs)
			fail_msg("%s: %zu processes, supervisord built %ld",
			    cf->rel, c->nprogs, cf->nprocs);
	} else if (cf->plugin_only) {
		if (c == NULL || warnings(&dl) == 0) {
			diag_print(&dl, stderr);
			fail_msg("%s: only a plugin is missing; procd must load "
			    "it with a warning", cf->rel);
		}
	} else if (c != NULL || dl.nerrors == 0)
		fail_msg("%s: supervisord rejects it; procd must too", cf->rel);
	config_free(c);
	diag_free(&dl);
}

/* ---------------- the corpus and its index ---------------- */

/* supervisord's process count for REL from INDEX.tsv, or -1. */
static long
index_nprocs(const char *index, const char *rel)
{
	const char *line, *end, *tab, *p;
	size_t n = strlen(rel);
	long count = -1;

	for (line = index; *line != '\0'; line = end + (*end == '\n')) {
		end = line + strcspn(line, "\n");
		if (strncmp(line, rel, n) != 0 || line[n] != '\t')
			continue;
		/* tags are the 6th column: skip files with ignored sections
		 * (fcgi-program pools are processes like any other now) */
		for (tab = line, n = 0; n < 5 && tab != NULL; n++)
			tab = memchr(tab + 1, '\t', end - tab - 1);
		if (tab == NULL || (p = memmem(tab, end - tab, "eventlistener",
		    13)) != NULL)
			return -1;
		for (p = line; (p = memmem(p, end - p, "group(s), ", 10)) !=
		    NULL; p += 10)
			count = strtol(p + 10, NULL, 10);
		return count;
	}
	return -1;
}

static void
add_files(const char *dir, const char *sub, const char *index,
    struct corpus_file **v, size_t *n)
{
	glob_t g;
	char *pattern;
	const char *base;
	size_t i, j;

	if (asprintf(&pattern, "%s/%s*.conf", dir, sub) == -1)
		return;
	if (glob(pattern, 0, NULL, &g) == 0) {
		*v = realloc(*v, (*n + g.gl_pathc) * sizeof **v);
		for (i = 0; i < g.gl_pathc; i++) {
			struct corpus_file *cf = &(*v)[(*n)++];

			base = strrchr(g.gl_pathv[i], '/') + 1;
			cf->path = strdup(g.gl_pathv[i]);
			if (asprintf(&cf->rel, "%s%s", sub, base) == -1)
				cf->rel = NULL;
			cf->invalid = *sub != '\0';
			cf->plugin_only = false;
			for (j = 0; j < sizeof plugin_only /
			    sizeof plugin_only[0]; j++)
				cf->plugin_only |= strncmp(base, plugin_only[j],
				    strlen(plugin_only[j])) == 0;
			cf->nprocs = index != NULL ? index_nprocs(index,
			    cf->rel) : -1;
		}
	}
	globfree(&g);
	free(pattern);
}

static void
test_corpus_absent(void **state)
{
	(void)state;
	skip();
}

static const char *corpus_dir;

/* Asked for by name (PROCD_CORPUS) and not there: that is a failure. */
static void
test_corpus_missing(void **state)
{
	(void)state;
	fail_msg("corpus %s (PROCD_CORPUS) not found", corpus_dir);
}

int
main(void)
{
	const char *dir = getenv("PROCD_CORPUS");
	struct corpus_file *files = NULL;
	struct CMUnitTest *tests;
	struct stat sb;
	char *indexpath, *index = NULL;
	size_t n = 0, i, len;
	int r;

	bool required = dir != NULL && *dir != '\0';

	if (!required)
		dir = "../shared/corpus/supervisord";
	if (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		const struct CMUnitTest missing[] = {
			cmocka_unit_test(test_corpus_missing),
		};
		const struct CMUnitTest skipped[] = {
			cmocka_unit_test(test_corpus_absent),
		};

		if (required) {
			corpus_dir = dir;
			return cmocka_run_group_tests_name("corpus", missing,
			    NULL, NULL);
		}
		print_message("corpus %s not found (set PROCD_CORPUS): "
		    "skipped\n", dir);
		return cmocka_run_group_tests_name("corpus", skipped, NULL,
		    NULL);
	}
	if (asprintf(&indexpath, "%s/INDEX.tsv", dir) != -1 &&
	    access(indexpath, R_OK) == 0)
		index = slurp(indexpath, &len);
	add_files(dir, "", index, &files, &n);
	add_files(dir, "invalid/", index, &files, &n);
	tests = calloc(n, sizeof *tests);
	for (i = 0; i < n; i++) {
		tests[i].name = files[i].rel;
		tests[i].test_func = test_one;
		tests[i].initial_state = &files[i];
	}
	r = _cmocka_run_group_tests("corpus", tests, n, NULL, NULL);
	for (i = 0; i < n; i++) {
		free(files[i].path);
		free(files[i].rel);
	}
	free(files);
	free(tests);
	free(index);
	free(indexpath);
	return r;
}
