/*
 * test_config.c -- loading whole config files (config.h): the INI syntax
 * supervisord accepts, the model procd builds from it, and the exact
 * FILE:LINE diagnostics.  Each test writes its files into a fresh temporary
 * directory and runs from there, so messages name files as "x.ini".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <sys/utsname.h>

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cfgglobal.h"
#include "config.h"
#include "sockspec.h"
#include "log.h"
#include "tmptree.h"

struct fixture {
	char	 dir[PATH_MAX];		/* the temporary directory (real) */
	char	 oldcwd[PATH_MAX];
	struct diag_list dl;
	struct config *cf;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char tmpl[] = "/tmp/procd-test-config-XXXXXX";

	assert_non_null(f);
	assert_non_null(getcwd(f->oldcwd, sizeof f->oldcwd));
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, f->dir));
	assert_int_equal(chdir(f->dir), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	config_free(f->cf);
	diag_free(&f->dl);
	/* A failed test may have left these set for the next one. */
	cfgglobal_set_host_checks(false);
	cfgglobal_set_cmdline(NULL);
	assert_int_equal(chdir(f->oldcwd), 0);
	tmptree_remove(f->dir);
	free(f);
	return 0;
}

/* Write TEXT to NAME (relative to the test directory), creating dirs. */
static void
put(const char *name, const char *text)
{
	char *dir = strdup(name), *slash;
	FILE *fp;

	assert_non_null(dir);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	free(dir);
	assert_non_null(fp = fopen(name, "w"));
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
}

/* Load x.ini holding TEXT. */
static struct config *
load(struct fixture *f, const char *text)
{
	put("x.ini", text);
	f->cf = config_load("x.ini", &f->dl);
	return f->cf;
}

/* Everything diag_print would say. */
static char *
said(const struct diag_list *dl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	diag_print(dl, fp);
	fclose(fp);
	return buf;
}

/* Assert that the diagnostics include the whole line WANT. */
static void
says(const struct diag_list *dl, const char *want)
{
	char *all = said(dl), *line;

	if (asprintf(&line, "%s\n", want) == -1)
		fail();
	if (strstr(all, line) == NULL)
		fail_msg("expected:\n%s\ngot:\n%s", want, all);
	free(line);
	free(all);
}

/* Assert that the diagnostics are exactly WANT ("" for none). */
static void
says_only(const struct diag_list *dl, const char *want)
{
	char *all = said(dl);

	if (strcmp(all, want) != 0)
		fail_msg("expected:\n%s\ngot:\n%s", want, all);
	free(all);
}

/* The path NAME in the test directory. */
static char *
in_dir(const struct fixture *f, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", f->dir, name) == -1)
		fail();
	return p;
}

static void
assert_path(const struct fixture *f, const char *got, const char *name)
{
	char *want = in_dir(f, name);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(want);
}

static bool
exitcode(const struct program_config *p, int code)
{
	return p->exitcodes[code / 8] & (1U << (code % 8));
}

/* ===================== programs: defaults and keys ===================== */

static void
test_program_defaults(void **state)
{
	struct fixture *f = *state;
	const struct program_config *p;
	struct config *cf;
	char *auto_out;
	int i, n;

	cf = load(f, "[supervisord]\nchildlogdir=logs\n\n"
	    "[program:web]\ncommand=/bin/sleep 100\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_int_equal(cf->nprogs, 1);
	p = &cf->progs[0];
	assert_string_equal(p->name, "web");
	assert_string_equal(p->group, "web");
	assert_string_equal(p->program, "web");
	assert_int_equal(p->process_num, 0);
	assert_string_equal(p->command, "/bin/sleep 100");
	assert_string_equal(p->argv[0], "/bin/sleep");
	assert_string_equal(p->argv[1], "100");
	assert_null(p->argv[2]);
	assert_null(p->directory);
	assert_int_equal(p->umask, -1);
	assert_null(p->user);
	assert_non_null(p->env);
	assert_null(p->env[0]);
	assert_int_equal(p->priority, 999);
	assert_true(p->autostart);
	assert_int_equal(p->autorestart, AUTORESTART_UNEXPECTED);
	assert_int_equal(p->startsecs, 1);
	assert_int_equal(p->startretries, 3);
	for (i = 0, n = 0; i < 256; i++)
		n += exitcode(p, i);
	assert_int_equal(n, 1);
	assert_true(exitcode(p, 0));
	assert_int_equal(p->stopsignal, SIGTERM);
	assert_int_equal(p->stopwaitsecs, 10);
	assert_false(p->stopasgroup);
	assert_false(p->killasgroup);
	assert_false(p->redirect_stderr);
	assert_int_equal(p->out.kind, LOGDEST_FILE);
	assert_true(p->out.is_auto);
	auto_out = in_dir(f, "logs/web-stdout.log");
	assert_string_equal(p->out.path, auto_out);
	free(auto_out);
	assert_path(f, p->err.path, "logs/web-stderr.log");
	assert_int_equal(p->out.maxbytes, 50 * 1024 * 1024);
	assert_int_equal(p->out.backups, 10);
	assert_int_equal(p->err.maxbytes, 50 * 1024 * 1024);
	assert_int_equal(p->err.backups, 10);
	assert_string_equal(p->file, "x.ini");
	assert_int_equal(p->line, 4);
	assert_ptr_equal(config_find(cf, "web", "web"), p);
	assert_ptr_equal(config_find(cf, NULL, "web"), p);
	assert_null(config_find(cf, "other", "web"));
}

static void
test_program_keys(void **state)
{
	struct fixture *f = *state;
	const struct program_config *p;
	struct config *cf;

	cf = load(f, "[program:api]\n"
	    "command = /usr/bin/api --port 8080\n"
	    "directory = srv\n"
	    "umask = 027\n"
	    "user = www-data\n"
	    "environment = A=\"x y\",B=2\n"
	    "priority = -5\n"
	    "autostart = false\n"
	    "autorestart = true\n"
	    "startsecs = 0\n"
	    "startretries = 7\n"
	    "exitcodes = 0,2\n"
	    "stopsignal = QUIT\n"
	    "stopwaitsecs = 30\n"
	    "stopasgroup = true\n"
	    "redirect_stderr = true\n"
	    "stdout_logfile = /var/log/api.log\n"
	    "stdout_logfile_maxbytes = 10MB\n"
	    "stdout_logfile_backups = 0\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	p = &cf->progs[0];
	assert_path(f, p->directory, "srv");
	assert_int_equal(p->umask, 027);
	assert_string_equal(p->user, "www-data");
	assert_string_equal(p->env[0], "A=x y");
	assert_string_equal(p->env[1], "B=2");
	assert_null(p->env[2]);
	assert_int_equal(p->priority, -5);
	assert_false(p->autostart);
	assert_int_equal(p->autorestart, AUTORESTART_TRUE);
	assert_int_equal(p->startsecs, 0);
	assert_int_equal(p->startretries, 7);
	assert_true(exitcode(p, 0) && exitcode(p, 2) && !exitcode(p, 1));
	assert_int_equal(p->stopsignal, SIGQUIT);
	assert_int_equal(p->stopwaitsecs, 30);
	assert_true(p->stopasgroup);
	assert_true(p->killasgroup);	/* follows stopasgroup */
	assert_true(p->redirect_stderr);
	assert_int_equal(p->out.kind, LOGDEST_FILE);
	assert_false(p->out.is_auto);
	assert_string_equal(p->out.path, "/var/log/api.log");
	assert_int_equal(p->out.maxbytes, 10 * 1024 * 1024);
	assert_int_equal(p->out.backups, 0);
	/* redirected: stderr never gets a log of its own */
	assert_int_equal(p->err.kind, LOGDEST_NONE);
	assert_null(p->err.path);
}

static void
test_log_destinations(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[group:g]\nprograms=a,b\n"
	    "[program:a]\ncommand=a\nstdout_logfile=NONE\n"
	    "stderr_logfile=/dev/stdout\n"
	    "[program:b]\ncommand=b\nstdout_logfile=/dev/fd/1\n"
	    "stderr_logfile=/dev/fd/2\n"
	    "[program:c]\ncommand=c\nstdout_logfile=/dev/stderr\n"
	    "stderr_logfile=/proc/1/fd/1\n"
	    "[program:d]\ncommand=d\nstdout_logfile=logs/d.log\n"
	    "stdout_logfile_maxbytes=0\n"
	    "[program:e]\ncommand=e\nstdout_logfile=off\nstderr_logfile=auto\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_int_equal(cf->nprogs, 5);
	assert_int_equal(cf->progs[0].out.kind, LOGDEST_NONE);
	assert_int_equal(cf->progs[0].err.kind, LOGDEST_STDOUT);
	assert_int_equal(cf->progs[1].out.kind, LOGDEST_STDOUT);
	assert_int_equal(cf->progs[1].err.kind, LOGDEST_STDERR);
	assert_int_equal(cf->progs[2].out.kind, LOGDEST_STDERR);
	assert_int_equal(cf->progs[2].err.kind, LOGDEST_FILE);
	assert_string_equal(cf->progs[2].err.path, "/proc/1/fd/1");
	assert_int_equal(cf->progs[3].out.kind, LOGDEST_FILE);
	assert_path(f, cf->progs[3].out.path, "logs/d.log");
	assert_int_equal(cf->progs[3].out.maxbytes, 0);
	assert_int_equal(cf->progs[4].out.kind, LOGDEST_NONE);
	assert_true(cf->progs[4].err.is_auto);
}

/* ============ environment_file, line prefixes and timestamps ============ */

static void
test_envfile_and_prefix_keys(void **state)
{
	struct fixture *f = *state;
	const struct program_config *p;
	struct config *cf;

	cf = load(f, "[procd]\nenvironment_file=global.env\n"
	    "environment=G=1\n"
	    "stdout_prefix=\"[%(group_name)s:%(process_name)s] \"\n"
	    "log_timestamps=iso8601\n"
	    "[program:a]\ncommand=a\nprocess_name=a%(process_num)d\n"
	    "numprocs=2\nenvironment_file=%(here)s/env/a.env\n"
	    "environment=A=2\nstderr_prefix='%(program_name)s!'\n"
	    "[program:b]\ncommand=b\nstdout_prefix=\"\"\n"
	    "log_timestamps=true\n"
	    "[program:c]\ncommand=c\nlog_timestamps=no\n"
	    "stdout_prefix=%%(x)s\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_int_equal(cf->nprogs, 4);
	p = &cf->progs[1];
	assert_string_equal(p->name, "a1");
	assert_path(f, p->env_files[0], "global.env");
	assert_path(f, p->env_files[1], "env/a.env");
	assert_string_equal(p->env_own[0], "A=2");
	assert_null(p->env_own[1]);
	assert_string_equal(p->env[0], "G=1");
	assert_string_equal(p->out.prefix, "[a:a1] ");
	assert_string_equal(p->err.prefix, "a!");
	assert_int_equal(p->out.stamps, LOGTS_ISO8601);
	assert_int_equal(p->err.stamps, LOGTS_ISO8601);
	p = &cf->progs[2];		/* b: "" turns [procd]'s off */
	assert_null(p->out.prefix);
	assert_null(p->err.prefix);
	assert_null(p->env_files[1]);
	assert_null(p->env_own);
	assert_int_equal(p->out.stamps, LOGTS_LOCAL);
	p = &cf->progs[3];
	assert_string_equal(p->out.prefix, "%(x)s");
	assert_int_equal(p->out.stamps, LOGTS_NONE);
}

static void
test_prefix_errors(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[procd]\nstdout_prefix=%(nope)s\n"
	    "[program:a]\ncommand=a\n[program:b]\ncommand=b\n"
	    "[program:c]\ncommand=c\nstderr_prefix=\"a\n  b\"\n"
	    "log_timestamps=maybe\nenvironment_file=\n"));
	says_only(&f->dl, "x.ini:2: error: [procd] stdout_prefix: "
	    "%(nope)s: unknown name 'nope' (known: program_name, group_name, "
	    "process_name, host_node_name, numprocs, process_num, here, "
	    "ENV_<variable>)\n"
	    "x.ini:12: error: [program:c] environment_file: empty path\n"
	    "x.ini:11: error: [program:c] log_timestamps: \"maybe\" is not a "
	    "timestamp choice (use false, true or iso8601)\n"
	    "x.ini:9: error: [program:c] stderr_prefix: a prefix cannot hold "
	    "a line break\n");
}

static void
test_auto_log_names_carry_the_group(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[procd]\nchildlogdir=/var/log/x\n"
	    "[group:grp]\nprograms=w\n"
	    "[program:w]\ncommand=w\n");
	assert_non_null(cf);
	assert_string_equal(cf->progs[0].group, "grp");
	assert_string_equal(cf->progs[0].out.path,
	    "/var/log/x/grp_w-stdout.log");
	assert_string_equal(cf->progs[0].err.path,
	    "/var/log/x/grp_w-stderr.log");
}

static void
test_command_problems(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[program:a]\nuser=root\n"
	    "[program:b]\ncommand=echo \"unterminated\n"));
	says_only(&f->dl,
	    "x.ini:1: error: [program:a]: no command= (every program needs "
	    "one)\n"
	    "x.ini:4: error: [program:b] command: unterminated \" quote "
	    "(opened at index 5)\n");
}

static void
test_empty_command_is_a_warning(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[program:a]\ncommand = \n");
	assert_non_null(cf);
	says_only(&f->dl, "x.ini:2: warning: [program:a] command: empty "
	    "command: the program will fail to spawn\n");
	assert_string_equal(cf->progs[0].command, "");
	assert_null(cf->progs[0].argv);
}

static void
test_typed_value_errors(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[program:web]\n"
	    "command=x\n"
	    "startsecs=abc\n"
	    "autostart=maybe\n"
	    "stopsignal=QUIT|INT\n"
	    "exitcodes=0,300\n"
	    "umask=099\n"
	    "stdout_logfile_maxbytes=5TB\n"
	    "autorestart=always\n"
	    "stopwaitsecs=-1\n"));
	says_only(&f->dl,
	    "x.ini:7: error: [program:web] umask: \"099\" is not an octal "
	    "number\n"
	    "x.ini:3: error: [program:web] startsecs: \"abc\" is not a "
	    "number\n"
	    "x.ini:10: error: [program:web] stopwaitsecs: \"-1\" is out of "
	    "range (0 to 2147483647)\n"
	    "x.ini:4: error: [program:web] autostart: \"maybe\" is not a "
	    "boolean (use true/false, yes/no, on/off or 1/0)\n"
	    "x.ini:9: error: [program:web] autorestart: \"always\" is not "
	    "true, false or unexpected\n"
	    "x.ini:6: error: [program:web] exitcodes: \"0,300\" is not a list "
	    "of exit codes (0 to 255, separated by commas)\n"
	    "x.ini:5: error: [program:web] stopsignal: \"QUIT|INT\" is not a "
	    "signal name (such as TERM, INT, QUIT, KILL, HUP, USR1)\n"
	    "x.ini:8: error: [program:web] stdout_logfile_maxbytes: \"5TB\" "
	    "is not a size (a number of bytes, optionally with KB, MB or "
	    "GB)\n");
}

static void
test_stopasgroup_needs_killasgroup(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[program:a]\ncommand=a\nstopasgroup=true\n"
	    "killasgroup=false\n"));
	says_only(&f->dl, "x.ini:4: error: [program:a] killasgroup: cannot "
	    "be false when stopasgroup is true\n");
}

static void
test_redirect_stderr_ignores_a_stderr_file(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[program:a]\ncommand=a\nredirect_stderr=true\n"
	    "stderr_logfile=/tmp/err.log\n");
	assert_non_null(cf);
	says_only(&f->dl, "x.ini:4: warning: [program:a] stderr_logfile: "
	    "ignored because redirect_stderr is true\n");
	assert_int_equal(cf->progs[0].err.kind, LOGDEST_NONE);
}

/* ===================== numprocs, groups ===================== */

static void
test_numprocs(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[program:w]\n"
	    "command=/bin/worker --id %(process_num)d\n"
	    "process_name=%(program_name)s_%(process_num)02d\n"
	    "numprocs=3\nnumprocs_start=8\n"
	    "environment=N=\"%(process_num)03d\"\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_int_equal(cf->nprogs, 3);
	assert_string_equal(cf->progs[0].name, "w_08");
	assert_string_equal(cf->progs[1].name, "w_09");
	assert_string_equal(cf->progs[2].name, "w_10");
	assert_string_equal(cf->progs[2].group, "w");
	assert_int_equal(cf->progs[2].process_num, 10);
	assert_string_equal(cf->progs[1].argv[2], "9");
	assert_string_equal(cf->progs[1].env[0], "N=009");
	/* the group differs from the process name: prefixed AUTO logs */
	assert_non_null(strstr(cf->progs[0].out.path, "/w_w_08-stdout.log"));
	assert_ptr_equal(config_find(cf, "w", "w_09"), &cf->progs[1]);
}

static void
test_numprocs_needs_process_num(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[program:w]\ncommand=w\nnumprocs=2\n"
	    "[program:v]\ncommand=v\nnumprocs=2\nprocess_name=v\n"));
	says_only(&f->dl,
	    "x.ini:1: error: [program:w] process_name: must contain "
	    "%(process_num) when numprocs > 1 (e.g. "
	    "process_name=%(program_name)s_%(process_num)02d)\n"
	    "x.ini:7: error: [program:v] process_name: must contain "
	    "%(process_num) when numprocs > 1 (e.g. "
	    "process_name=%(program_name)s_%(process_num)02d)\n");
}

static void
test_groups(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[group:site]\nprograms = web, api\npriority=10\n"
	    "[program:web]\ncommand=web\n"
	    "[program:api]\ncommand=api %(group_name)s\n"
	    "[program:solo]\ncommand=solo\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_int_equal(cf->nprogs, 3);
	assert_string_equal(cf->progs[0].group, "site");
	assert_string_equal(cf->progs[1].group, "site");
	assert_string_equal(cf->progs[1].argv[1], "site");
	assert_string_equal(cf->progs[2].group, "solo");
	assert_ptr_equal(config_find(cf, "site", "api"), &cf->progs[1]);
}

static void
test_group_problems(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[group:g]\nprograms=a,ghost\n"
	    "[program:a]\ncommand=a\n"
	    "[program:b]\ncommand=b\nprocess_name=a\n"
	    "[group:h]\nprograms=a,b\n"));
	says_only(&f->dl,
	    "x.ini:2: error: [group:g] programs: no [program:ghost] section\n"
	    "x.ini:5: error: [program:b]: process \"h:a\" is already "
	    "defined by [program:a] at x.ini:3\n");
}

static void
test_group_name_clash(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[group:web]\nprograms=a\n"
	    "[program:a]\ncommand=a\n[program:web]\ncommand=w\n"));
	says(&f->dl, "x.ini:5: error: [program:web] is in no group, so it is "
	    "a group of its own, but [group:web] also defines group \"web\"");
}

/* Two processes of one group with one name: each later one is an error
 * against the first, in the order of the file; a section said twice is
 * one section (its keys merged), found among a thousand others. */
static void
test_same_process_twice_in_a_group(void **state)
{
	struct fixture *f = *state;
	struct config *cf;
	struct buf b;

	assert_null(load(f, "[group:g]\nprograms=a,b,c\n"
	    "[program:a]\ncommand=a\nprocess_name=w\n"
	    "[program:b]\ncommand=b\nprocess_name=w\n"
	    "[program:c]\ncommand=c\nprocess_name=w\n"));
	says_only(&f->dl,
	    "x.ini:6: error: [program:b]: process \"g:w\" is already defined "
	    "by [program:a] at x.ini:3\n"
	    "x.ini:9: error: [program:c]: process \"g:w\" is already defined "
	    "by [program:a] at x.ini:3\n");
	diag_free(&f->dl);
	buf_init(&b);
	for (int i = 0; i < 1000; i++)
		buf_addf(&b, "[program:p%04d]\ncommand=x\n", i);
	buf_addstr(&b, "[program:p0500]\nautostart=false\n");
	assert_non_null(cf = load(f, b.data));
	assert_int_equal(cf->nprogs, 1000);
	assert_false(config_find(cf, "p0500", "p0500")->autostart);
	assert_true(config_find(cf, "p0501", "p0501")->autostart);
	buf_free(&b);
}

static void
test_bad_names(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[program:a b]\ncommand=a\n"
	    "[program:ok]\ncommand=a\nprocess_name=x/%(program_name)s\n"
	    "[program:]\ncommand=a\n"));
	says_only(&f->dl,
	    "x.ini:6: error: section [program:] needs a name after the ':'\n"
	    "x.ini:1: error: [program:a b]: program name \"a b\" is not "
	    "valid: it contains a space\n"
	    "x.ini:5: error: [program:ok] process_name: process name \"x/ok\" "
	    "is not valid: it contains '/'\n");
}

/* ===================== expansion ===================== */

static void
test_expansion(void **state)
{
	struct fixture *f = *state;
	struct config *cf;
	char *want;

	setenv("PROCD_TEST_N", "2", 1);
	setenv("PROCD_TEST_BOOL", "false", 1);
	cf = load(f, "[supervisord]\nenvironment=GLOBAL=\"g 1\",SHARED=1\n"
	    "[program:p]\n"
	    "command=%(here)s/bin/run %(ENV_PROCD_TEST_N)s %(ENV_GLOBAL)s\n"
	    "numprocs=%(ENV_PROCD_TEST_N)s\n"
	    "process_name=%(program_name)s-%(process_num)d-of-%(numprocs)d\n"
	    "autostart=%(ENV_PROCD_TEST_BOOL)s\n"
	    "environment=SHARED=2,HOST=%(host_node_name)s\n"
	    "directory=%(here)s\n");
	unsetenv("PROCD_TEST_N");
	unsetenv("PROCD_TEST_BOOL");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_int_equal(cf->nprogs, 2);
	assert_string_equal(cf->progs[1].name, "p-1-of-2");
	assert_false(cf->progs[0].autostart);
	if (asprintf(&want, "%s/bin/run", f->dir) == -1)
		fail();
	assert_string_equal(cf->progs[0].argv[0], want);
	free(want);
	assert_string_equal(cf->progs[0].argv[1], "2");
	/* [supervisord] environment= feeds ENV_ in program sections */
	assert_string_equal(cf->progs[0].argv[2], "g");
	assert_string_equal(cf->progs[0].argv[3], "1");
	/* the program's environment lies over the global one */
	assert_string_equal(cf->progs[0].env[0], "GLOBAL=g 1");
	assert_string_equal(cf->progs[0].env[1], "SHARED=2");
	assert_int_equal(strncmp(cf->progs[0].env[2], "HOST=", 5), 0);
	assert_null(cf->progs[0].env[3]);
	assert_string_equal(cf->env[0], "GLOBAL=g 1");
	assert_string_equal(cf->progs[0].directory, f->dir);
}

static void
test_expansion_errors(void **state)
{
	struct fixture *f = *state;

	unsetenv("PROCD_TEST_UNSET");
	assert_null(load(f, "[supervisord]\nlogfile=%(ENV_PROCD_TEST_UNSET)s\n"
	    "[program:k]\n"
	    "command=%(ENV_HOME)/bin/zookeeper-server-start.sh\n"
	    "[program:m]\ncommand=date +%Y\n"));
	says_only(&f->dl,
	    "x.ini:2: error: [supervisord] logfile: %(ENV_PROCD_TEST_UNSET)s: "
	    "environment variable PROCD_TEST_UNSET is not set\n"
	    "x.ini:4: error: [program:k] command: %(ENV_HOME) at index 0 is "
	    "followed by '/', which is not a conversion character (write "
	    "%(ENV_HOME)s)\n"
	    "x.ini:6: error: [program:m] command: '%' at index 6 is not "
	    "followed by (name) or %: write %% for a literal %\n");
}

static void
test_bad_childlogdir_is_one_error(void **state)
{
	struct fixture *f = *state;

	unsetenv("PROCD_TEST_UNSET");
	assert_null(load(f, "[supervisord]\n"
	    "childlogdir = %(ENV_PROCD_TEST_UNSET)s\n"
	    "[program:x]\ncommand = /bin/true\n"));
	says_only(&f->dl, "x.ini:2: error: [supervisord] childlogdir: "
	    "%(ENV_PROCD_TEST_UNSET)s: environment variable PROCD_TEST_UNSET is "
	    "not set\n");
}

static void
test_percent_escape_and_unknown_keys_not_expanded(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[program:c]\ncommand=celery -n worker.%%h\n"
	    "loglevel=%(bogus\n");
	assert_non_null(cf);
	says_only(&f->dl, "x.ini:3: warning: unknown key 'loglevel' in "
	    "[program:c]\n");
	assert_string_equal(cf->progs[0].argv[2], "worker.%h");
}

/* ===================== INI syntax ===================== */

static void
test_comments_and_delimiters(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "; a comment\n"
	    "# another\n"
	    "   ; an indented comment\n"
	    "[unix_http_server]  ; header comment\n"
	    "file=/tmp/supervisor.sock;\n"
	    "[program:n]\t# tab, then comment\n"
	    "Command : /usr/sbin/nginx -g \"daemon off; error_log x;\"  ; c\n"
	    "USER=root\t\t     ;\n"
	    "directory = /srv/a#b\n"
	    "stdout_logfile = /x.log #comment\n"
	    "environment = A=1;B=2\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	/* ';' with no blank before it is data (Netflix's 034). */
	assert_string_equal(cf->socket, "/tmp/supervisor.sock;");
	assert_string_equal(cf->progs[0].command,
	    "/usr/sbin/nginx -g \"daemon off; error_log x;\"");
	assert_string_equal(cf->progs[0].argv[2], "daemon off; error_log x;");
	assert_string_equal(cf->progs[0].user, "root");
	assert_string_equal(cf->progs[0].directory, "/srv/a#b");
	assert_string_equal(cf->progs[0].out.path, "/x.log");
	assert_string_equal(cf->progs[0].env[1], "B=2");
}

static void
test_crlf_and_no_final_newline(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[program:a]\r\ncommand=/bin/a  \r\n"
	    "[program:b]\rcommand=/bin/b x\r\n\r\nautostart=false");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_string_equal(cf->progs[0].command, "/bin/a");
	assert_string_equal(cf->progs[1].command, "/bin/b x");
	assert_int_equal(cf->progs[1].line, 3);
	assert_false(cf->progs[1].autostart);
}

static void
test_continuation_lines(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	/* cvat's 037: flags on indented lines, a backslash that stays, a
	 * blank line and a comment line inside the value. */
	cf = load(f, "[program:u]\n"
	    "command=bash -c \"python3 -m uvicorn \\\n"
	    "    --host 0.0.0.0\n"
	    "\n"
	    "    ; a comment inside\n"
	    "    --port 8080\"\n"
	    "\n"
	    "autostart=false\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_string_equal(cf->progs[0].command, "bash -c \"python3 -m "
	    "uvicorn \\\n--host 0.0.0.0\n\n--port 8080\"");
	assert_string_equal(cf->progs[0].argv[2], "python3 -m uvicorn \\\n"
	    "--host 0.0.0.0\n\n--port 8080");
	assert_null(cf->progs[0].argv[3]);
	assert_false(cf->progs[0].autostart);
}

static void
test_continuation_after_empty_first_line(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[program:u]\ncommand=\n  /bin/true\n  -x\n");
	assert_non_null(cf);
	assert_string_equal(cf->progs[0].command, "\n/bin/true\n-x");
	assert_string_equal(cf->progs[0].argv[0], "/bin/true");
	assert_string_equal(cf->progs[0].argv[1], "-x");
}

static void
test_long_lines_are_exact(void **state)
{
	struct fixture *f = *state;
	struct config *cf;
	char *text, *cmd;
	size_t n = 4096, i;

	cmd = malloc(n + 1);
	assert_non_null(cmd);
	memcpy(cmd, "/bin/echo ", 10);
	for (i = 10; i < n; i++)
		cmd[i] = 'a' + i % 26;
	cmd[n] = '\0';
	if (asprintf(&text, "[program:long]\ncommand=%s\n", cmd) == -1)
		fail();
	cf = load(f, text);
	assert_non_null(cf);
	assert_string_equal(cf->progs[0].command, cmd);
	assert_int_equal(strlen(cf->progs[0].argv[1]), n - 10);
	free(text);
	free(cmd);
}

static void
test_no_injection_past_200_bytes(void **state)
{
	struct fixture *f = *state;
	struct config *cf;
	char cmd[191], *text;

	/* A 200-byte line buffer would cut here and read "user=root". */
	memset(cmd, 'c', sizeof cmd - 1);
	memcpy(cmd, "/bin/", 5);
	cmd[sizeof cmd - 1] = '\0';
	if (asprintf(&text, "[program:x]\ncommand=%suser=root\n", cmd) == -1)
		fail();
	cf = load(f, text);
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_int_equal(strlen(cf->progs[0].command), 190 + 9);
	assert_string_equal(cf->progs[0].command + 190, "user=root");
	assert_null(cf->progs[0].user);
	free(text);
}

static void
test_line_limit(void **state)
{
	struct fixture *f = *state;
	char *text, *val;
	size_t max = 64 * 1024;

	/* Exactly 64 KiB (key and all) is fine ... */
	val = malloc(max + 2);
	assert_non_null(val);
	memset(val, 'v', max + 1);
	val[max - strlen("command=/")] = '\0';
	if (asprintf(&text, "[program:a]\ncommand=/%s\n", val) == -1)
		fail();
	assert_non_null(load(f, text));
	assert_int_equal(strlen(f->cf->progs[0].command), max - 8);
	free(text);
	config_free(f->cf);
	f->cf = NULL;
	/* ... one byte more is an error, never a truncation. */
	memset(val, 'v', max + 1);
	val[max + 1 - strlen("command=/")] = '\0';
	if (asprintf(&text, "[program:a]\ncommand=/%s\n[program:b]\n"
	    "command=b\nautostart=x\n", val) == -1)
		fail();
	assert_null(load(f, text));
	says_only(&f->dl,
	    "x.ini:2: error: line is longer than 65536 bytes\n"
	    "x.ini:1: error: [program:a]: no command= (every program needs "
	    "one)\n"
	    "x.ini:5: error: [program:b] autostart: \"x\" is not a boolean "
	    "(use true/false, yes/no, on/off or 1/0)\n");
	free(text);
	free(val);
}

static void
test_syntax_errors(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "orphan=1\n[program:a]\ncommand=a\n"
	    "this line has no delimiter\n= no key\n[]\n"));
	says_only(&f->dl,
	    "x.ini:1: error: key = value line before any [section] header\n"
	    "x.ini:4: error: expected [section], key = value, or a comment\n"
	    "x.ini:5: error: missing key name before '='\n"
	    "x.ini:6: error: expected [section], key = value, or a comment\n");
}

static void
test_header_trailing_text(void **state)
{
	struct fixture *f = *state;

	assert_non_null(load(f, "[program:a] junk\ncommand=a\n"));
	says_only(&f->dl, "x.ini:1: warning: text after the section header "
	    "[program:a] is ignored:  junk\n");
}

static void
test_duplicates(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[program:a]\ncommand=a\ndirectory=/one\n"
	    "directory=/two\n[program:b]\ncommand=b\n"
	    "[program:a]\npriority=5\n");
	assert_non_null(cf);
	says_only(&f->dl, "x.ini:4: warning: duplicate key 'directory' in "
	    "[program:a] (first set at x.ini:3; the last one wins)\n");
	assert_int_equal(cf->nprogs, 2);
	assert_string_equal(cf->progs[0].directory, "/two");
	assert_int_equal(cf->progs[0].priority, 5);	/* sections merge */
}

/* ===================== keys procd knows or not ===================== */

static void
test_unknown_keys(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[procd]\nsockett=/x\n"
	    "[supervisord]\nnodaemonn=true\nhttp_port=9001\n"
	    "[program:a]\ncomand=a\ncommand=a\n"));
	says_only(&f->dl,
	    "x.ini:2: error: unknown key 'sockett' in [procd] (did you mean "
	    "'socket'?)\n"
	    "x.ini:4: warning: unknown key 'nodaemonn' in [supervisord] (did "
	    "you mean 'nodaemon'?)\n"
	    "x.ini:5: warning: unknown key 'http_port' in [supervisord]\n"
	    "x.ini:7: warning: unknown key 'comand' in [program:a] (did you "
	    "mean 'command'?)\n");
}

static void
test_unimplemented_keys_warn(void **state)
{
	struct fixture *f = *state;

	assert_non_null(load(f, "[supervisord]\nminprocs=200\n"
	    "logfile_maxbytes=0\n"
	    "[unix_http_server]\nfile=/tmp/s.sock\nusername=u\npassword=p\n"
	    "[supervisorctl]\nserverurl=unix:///tmp/s.sock\nprompt=x\n"
	    "[program:a]\ncommand=a\nstdout_events_enabled=true\n"
	    "stderr_capture_maxbytes=1MB\n"));
	says_only(&f->dl,
	    "x.ini:2: warning: [supervisord] key 'minprocs' is not "
	    "implemented by procd (ignored)\n");
	/* procd's own log rotates now: logfile_maxbytes is read */
	assert_int_equal(f->cf->logfile_maxbytes, 0);
	assert_int_equal(f->cf->logfile_backups, 10);
}

static void
test_unsupported_sections(void **state)
{
	struct fixture *f = *state;

	assert_non_null(load(f, "[inet_http_server]\nport=9001\n"
	    "[eventlistener:x]\ncommand=x\nevents=PROCESS_STATE\n"
	    "result_handler=supervisor_stdout:event_handler\n"
	    "[fcgi-program:f]\ncommand=f\nsocket=tcp://localhost:9000\n"
	    "[rpcinterface:supervisor]\n"
	    "supervisor.rpcinterface_factory = "
	    "supervisor.rpcinterface:make_main_rpcinterface\n"
	    "[rpcinterface:custom]\n"
	    "supervisor.rpcinterface_factory = my:make_custom\n"
	    "[programs:x]\ncommand=x\n[DEFAULT]\na=1\n"));
	says_only(&f->dl,
	    "x.ini:14: warning: unknown section [programs:x] (ignored; did "
	    "you mean [program:NAME]?)\n"
	    "x.ini:16: warning: [DEFAULT] is not supported by procd (ignored: "
	    "its keys are not inherited by other sections)\n"
	    "x.ini:13: warning: [rpcinterface:custom] "
	    "supervisor.rpcinterface_factory: \"my:make_custom\" is a "
	    "supervisord plugin, which procd cannot load (ignored)\n"
	    "x.ini:6: warning: [eventlistener:x] result_handler: "
	    "supervisor_stdout:event_handler is Python code procd cannot "
	    "run: the default is used (OK accepts the event, anything else "
	    "puts it back in the pool)\n");
	/* [fcgi-program:f] runs now, with its socket as stdin. */
	assert_int_equal(f->cf->nprogs, 2);
	assert_true(f->cf->progs[0].listener);
	assert_true(f->cf->progs[1].fcgi);
	assert_int_equal(f->cf->progs[1].nsockets, 1);
	assert_string_equal(f->cf->progs[1].sockets[0].url,
	    "tcp://localhost:9000");
}

/* ===================== held sockets ===================== */

static void
test_fcgi_program_pool(void **state)
{
	struct fixture *f = *state;
	const struct program_config *p;
	char *want;

	assert_non_null(load(f, "[fcgi-program:web]\n"
	    "command=/bin/true\n"
	    "socket=unix://%(here)s/run/../%(program_name)s.sock\n"
	    "socket_owner=root:root\n"
	    "socket_mode=0660\n"
	    "socket_backlog=10\n"
	    "numprocs=2\n"
	    "process_name=%(program_name)s_%(process_num)d\n"));
	says_only(&f->dl, "");
	assert_int_equal(f->cf->nprogs, 2);
	assert_non_null(want = in_dir(f, "web.sock"));
	for (size_t i = 0; i < 2; i++) {
		p = &f->cf->progs[i];
		assert_string_equal(p->group, "web");
		assert_true(p->fcgi);
		assert_int_equal(p->nsockets, 1);
		assert_int_equal(p->sockets[0].kind, SOCKSPEC_UNIX);
		assert_string_equal(p->sockets[0].path, want);
		assert_int_equal(p->sockets[0].mode, 0660);
		assert_int_equal(p->sockets[0].backlog, 10);
		assert_string_equal(p->sockets[0].owner, "root:root");
	}
	free(want);
}

static void
test_fcgi_program_errors(void **state)
{
	struct fixture *f = *state;

	cfgglobal_set_host_checks(true);	/* owners are looked up */
	assert_null(load(f, "[fcgi-program:a]\ncommand=/bin/true\n"
	    "[fcgi-program:b]\ncommand=/bin/true\nsocket=unix://rel.sock\n"
	    "[fcgi-program:c]\ncommand=/bin/true\nsocket=tcp://h:1\n"
	    "socket_mode=0600\n"
	    "[fcgi-program:d]\ncommand=/bin/true\nsocket=unix:///d.sock\n"
	    "socket_backlog=0\n"
	    "[fcgi-program:e]\ncommand=/bin/true\nsocket=unix:///e.sock\n"
	    "socket_owner=no-such-user-here\n"
	    "[fcgi-program:g]\ncommand=/bin/true\n"
	    "socket=tcp://h:%(process_num)d\nnumprocs=2\n"
	    "process_name=g%(process_num)d\nnumprocs_start=1\n"
	    "[fcgi-program:h]\ncommand=/bin/true\nsocket=tcp://h:2\n"
	    "sockets=tcp://h:3\n"));
	says_only(&f->dl,
	    "x.ini:1: error: [fcgi-program:a]: no socket= (an fcgi-program "
	    "needs one, e.g. socket=unix:///run/a.sock)\n"
	    "x.ini:5: error: [fcgi-program:b] socket: \"unix://rel.sock\": the "
	    "path must be absolute (unix:///PATH; %(here)s is the config "
	    "file's directory)\n"
	    "x.ini:9: error: [fcgi-program:c] socket_mode: only for a unix "
	    "socket (socket= is tcp://h:1)\n"
	    "x.ini:13: error: [fcgi-program:d] socket_backlog: \"0\" is out "
	    "of range (1 to 65535)\n"
	    "x.ini:17: error: [fcgi-program:e] socket_owner: no such user "
	    "'no-such-user-here'\n"
	    "x.ini:20: error: [fcgi-program:g] socket: the processes of a "
	    "pool share one socket, so it cannot depend on %(process_num)d "
	    "(tcp://h:1, tcp://h:2)\n"
	    "x.ini:27: error: [fcgi-program:h] sockets: not in an "
	    "[fcgi-program:] (its socket is socket=, given as stdin)\n");
}

static void
test_fcgi_program_in_a_group(void **state)
{
	struct fixture *f = *state;

	assert_non_null(load(f, "[group:site]\nprograms=web,cron\n"
	    "[fcgi-program:web]\ncommand=/bin/true\nsocket=tcp://h:8000\n"
	    "[program:cron]\ncommand=/bin/true\n"));
	says_only(&f->dl, "");
	assert_int_equal(f->cf->nprogs, 2);
	assert_string_equal(f->cf->progs[0].group, "site");
	assert_string_equal(f->cf->progs[0].name, "web");
	assert_true(f->cf->progs[0].fcgi);
	assert_string_equal(f->cf->progs[1].group, "site");
	assert_false(f->cf->progs[1].fcgi);
	assert_int_equal(f->cf->progs[1].nsockets, 0);
	config_free(f->cf);
	diag_free(&f->dl);
	memset(&f->dl, 0, sizeof f->dl);
	assert_null(load(f, "[group:site]\nprograms=web\n"
	    "[fcgi-program:web]\ncommand=/bin/true\nsocket=tcp://h:8000\n"
	    "[program:web]\ncommand=/bin/true\n"));
	says(&f->dl, "x.ini:2: error: [group:site] programs: web is "
	    "ambiguous: there are both [program:web] and [fcgi-program:web]");
}

static void
test_sockets_key(void **state)
{
	struct fixture *f = *state;
	const struct program_config *p;

	assert_non_null(load(f, "[program:api]\ncommand=/bin/true\n"
	    "sockets = tcp://127.0.0.1:8000 name=http,\n"
	    "    unix://%(here)s/api.sock mode=0666\n"
	    "ready = fd:5\n"));
	says_only(&f->dl, "");
	p = &f->cf->progs[0];
	assert_false(p->fcgi);
	assert_int_equal(p->nsockets, 2);
	assert_string_equal(p->sockets[0].url, "tcp://127.0.0.1:8000");
	assert_string_equal(p->sockets[0].name, "http");
	assert_int_equal(p->sockets[1].mode, 0666);
	config_free(f->cf);
	diag_free(&f->dl);
	memset(&f->dl, 0, sizeof f->dl);
	cfgglobal_set_host_checks(true);	/* owners are looked up */
	assert_null(load(f, "[program:api]\ncommand=/bin/true\n"
	    "sockets = tcp://127.0.0.1:8000, tcp://127.0.0.1:8001\n"
	    "ready = fd:4\n"
	    "[program:b]\ncommand=/bin/true\nsockets=tcp://x:1 mode=0600\n"
	    "[program:c]\ncommand=/bin/true\n"
	    "sockets=unix:///c.sock owner=nobody-at-all\n"));
	says_only(&f->dl,
	    "x.ini:3: error: [program:api] sockets: 2 sockets take "
	    "descriptors 3 to 4, so ready=fd:4 must be above them\n"
	    "x.ini:7: error: [program:b] sockets: tcp://x:1: mode= is only "
	    "for a unix socket\n"
	    "x.ini:10: error: [program:c] sockets: no such user "
	    "'nobody-at-all'\n");
}

static void
test_sockets_missing_directory_warned_once(void **state)
{
	struct fixture *f = *state;

	cfgglobal_set_host_checks(true);
	assert_non_null(load(f, "[fcgi-program:w]\ncommand=/bin/true\n"
	    "socket=unix:///no/such/dir/w.sock\nnumprocs=2\n"
	    "process_name=w%(process_num)d\n"
	    "[program:p]\ncommand=/bin/true\n"
	    "sockets=unix:///no/such/p.sock, tcp://127.0.0.1:1\n"));
	says_only(&f->dl, "x.ini:3: warning: [fcgi-program:w] socket: "
	    "/no/such/dir is not an existing directory "
	    "(unix:///no/such/dir/w.sock cannot be bound until it is)\n"
	    "x.ini:8: warning: [program:p] sockets: /no/such is not an "
	    "existing directory (unix:///no/such/p.sock cannot be bound "
	    "until it is)\n");
	assert_int_equal(f->cf->nprogs, 3);
}

static void
test_sockets_one_url_two_groups(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[fcgi-program:a]\ncommand=/bin/true\n"
	    "socket=tcp://127.0.0.1:8000\n"
	    "[program:b]\ncommand=/bin/true\n"
	    "sockets=unix:///b.sock, tcp://127.0.0.1:8000\n"));
	says_only(&f->dl, "x.ini:4: error: [program:b] in group b: socket "
	    "tcp://127.0.0.1:8000 is also group a's ([fcgi-program:a] at "
	    "x.ini:1); a socket is held once per group\n");
}

/* ===================== global settings ===================== */

static void
test_global_settings(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[supervisord]\n"
	    "logfile=log/procd.log\npidfile=run/procd.pid\nloglevel=debug\n"
	    "umask=002\ndirectory=/srv\nnodaemon=true\nminfds=4096\n"
	    "user=nobody\nsocket_owner=nobody:nogroup\n"
	    "[unix_http_server]\nfile=run/ctl.sock\nchmod=0770\n"
	    "chown=nobody:nogroup\n"
	    "[supervisorctl]\nserverurl=unix://run/ctl.sock\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_path(f, cf->path, "x.ini");
	assert_string_equal(cf->here, f->dir);
	assert_path(f, cf->socket, "run/ctl.sock");
	assert_int_equal(cf->socket_mode, 0770);
	assert_string_equal(cf->socket_owner, "nobody:nogroup");
	assert_path(f, cf->pidfile, "run/procd.pid");
	assert_path(f, cf->logfile, "log/procd.log");
	assert_path(f, cf->childlogdir, "log");
	assert_int_equal(cf->loglevel, LOG_LEVEL_DEBUG);
	assert_int_equal(cf->umask, 002);
	assert_string_equal(cf->directory, "/srv");
	assert_true(cf->nodaemon);
	assert_int_equal(cf->minfds, 4096);
	assert_string_equal(cf->user, "nobody");
	assert_path(f, cf->ctl_socket, "run/ctl.sock");
}

static void
test_procd_wins_over_supervisord(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[procd]\nsocket=/run/p.sock\nloglevel=warn\n"
	    "[supervisord]\nloglevel=debug\nsocket_mode=0666\n"
	    "[unix_http_server]\nfile=/tmp/s.sock\nchmod=0700\n");
	assert_non_null(cf);
	assert_string_equal(cf->socket, "/run/p.sock");
	assert_int_equal(cf->loglevel, LOG_LEVEL_WARN);
	assert_int_equal(cf->socket_mode, 0666);
}

static void
test_global_defaults(void **state)
{
	struct fixture *f = *state;
	struct config *cf;
	char *sock;

	cf = load(f, "[program:a]\ncommand=a\n");
	assert_non_null(cf);
	sock = config_default_socket();
	assert_string_equal(cf->socket, sock);
	assert_int_equal(cf->socket_mode, 0600);
	assert_null(cf->socket_owner);
	assert_int_equal(cf->loglevel, LOG_LEVEL_INFO);
	assert_int_equal(cf->umask, 022);
	assert_null(cf->directory);
	assert_false(cf->nodaemon);
	assert_int_equal(cf->minfds, 1024);
	assert_null(cf->user);
	assert_null(cf->env);
	assert_null(cf->ctl_socket);
	if (geteuid() == 0) {
		assert_string_equal(sock, "/run/procd.sock");
		assert_string_equal(cf->pidfile, "/run/procd.pid");
		assert_string_equal(cf->logfile, "/var/log/procd/procd.log");
		assert_string_equal(cf->childlogdir, "/var/log/procd");
	} else {
		assert_non_null(strstr(cf->pidfile, "/procd.pid"));
		assert_non_null(strstr(cf->logfile, "/procd.log"));
	}
	free(sock);
}

static void
test_childlogdir_when_logfile_is_not_a_file(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[supervisord]\nlogfile=/dev/stdout\n"
	    "socket=/run/x/procd.sock\n");
	assert_non_null(cf);
	assert_string_equal(cf->logfile, "/dev/stdout");
	assert_string_equal(cf->childlogdir, geteuid() == 0 ?
	    "/var/log/procd" : "/run/x");
	config_free(cf);
	diag_free(&f->dl);
	cf = f->cf = load(f, "[supervisord]\nlogfile=SYSLOG\n");
	assert_non_null(cf);
	assert_string_equal(cf->logfile, "syslog");
}

static void
test_global_errors(void **state)
{
	struct fixture *f = *state;
	char *text, longname[120];

	memset(longname, 's', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	if (asprintf(&text, "[procd]\nsocket=/tmp/%s\nloglevel=loud\n"
	    "socket_owner=:grp\nsocket_mode=99\n", longname) == -1)
		fail();
	assert_null(load(f, text));
	says_only(&f->dl,
	    "x.ini:2: error: [procd] socket: /tmp/sssssssssssssssssssssssssss"
	    "ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss"
	    "ssssssssssssssssssssssssssss is 124 bytes long; a unix socket "
	    "path must be under 108\n"
	    "x.ini:5: error: [procd] socket_mode: \"99\" is not an octal "
	    "number\n"
	    "x.ini:4: error: [procd] socket_owner: \":grp\" is not user or "
	    "user:group\n"
	    "x.ini:3: error: [procd] loglevel: \"loud\" is not a log level "
	    "(error, warn, info or debug)\n");
	free(text);
}

static void
test_environment_global(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[supervisord]\nenvironment=A=1 B=2\n"));
	says_only(&f->dl, "x.ini:2: error: [supervisord] environment: "
	    "unexpected end of key/value pairs at '=' (after separator 'B') in "
	    "\"A=1 B=2\" (write KEY=VALUE,KEY=VALUE and quote values with "
	    "spaces or other special characters)\n");
}

/* ===================== [include] ===================== */

static void
test_include(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	put("conf.d/b.conf", "[program:b]\ncommand=%(here)s/b\n"
	    "stdout_logfile=b.log\n[include]\nfiles=more/*.ini\n");
	put("conf.d/a.conf", "[program:a]\ncommand=a\n");
	put("conf.d/more/c.ini", "[program:c]\ncommand=c\n");
	put("conf.d/skip.txt", "[program:zz]\ncommand=zz\n");
	cf = load(f, "[supervisord]\nnodaemon=true\n"
	    "[include]\nfiles = conf.d/*.conf nothing/*.conf\n");
	assert_non_null(cf);
	says_only(&f->dl, "x.ini:4: warning: [include] files: no file matches "
	    "\"nothing/*.conf\"\n");
	assert_int_equal(cf->nprogs, 3);
	assert_string_equal(cf->progs[0].name, "a");
	assert_string_equal(cf->progs[1].name, "b");
	assert_string_equal(cf->progs[2].name, "c");
	assert_string_equal(cf->progs[1].file, "conf.d/b.conf");
	assert_string_equal(cf->progs[2].file, "conf.d/more/c.ini");
	/* here, and relative paths, follow the file that says them */
	assert_path(f, cf->progs[1].argv[0], "conf.d/b");
	assert_path(f, cf->progs[1].out.path, "conf.d/b.log");
}

static void
test_include_cycle_and_missing_files(void **state)
{
	struct fixture *f = *state;

	put("a.conf", "[include]\nfiles=x.ini\n");
	put("b.conf", "[include]\n;files=celeryd.conf\n");
	put("c.conf", "[include]\nfiles=*.conf\n");
	assert_null(load(f, "[include]\nfiles=a.conf b.conf c.conf\n"));
	says_only(&f->dl,
	    "a.conf:2: error: [include] files: x.ini: include cycle (the file "
	    "is already being read)\n"
	    "b.conf:1: error: [include] has no files= (list the files to "
	    "include, or remove the section)\n"
	    "c.conf:2: warning: [include] files: a.conf: already included "
	    "(skipped)\n"
	    "c.conf:2: warning: [include] files: b.conf: already included "
	    "(skipped)\n"
	    "c.conf:2: warning: [include] files: c.conf: matches the including "
	    "file itself (skipped)\n");
}

static void
test_include_in_main_without_files(void **state)
{
	struct fixture *f = *state;

	/* celery's 030: the files= line was commented out. */
	assert_null(load(f, "[supervisord]\n[include]\n;files=celeryd.conf\n"));
	says_only(&f->dl, "x.ini:2: error: [include] has no files= (list the "
	    "files to include, or remove the section)\n");
}

static void
test_missing_main_file(void **state)
{
	struct fixture *f = *state;

	assert_null(config_load("nope.ini", &f->dl));
	says_only(&f->dl, "nope.ini: error: cannot read: No such file or "
	    "directory\n");
	diag_free(&f->dl);
	assert_int_equal(mkdir("adir", 0755), 0);
	assert_null(config_load("adir", &f->dl));
	says_only(&f->dl, "adir: error: cannot read: not a regular file (a "
	    "directory)\n");
}

static void
test_include_only_regular_files(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mkdir("conf.d", 0755), 0);
	assert_int_equal(mkdir("conf.d/sub.conf", 0755), 0);
	assert_non_null(load(f, "[include]\nfiles=/dev/null conf.d/*.conf\n"));
	says_only(&f->dl,
	    "x.ini:2: warning: [include] files: /dev/null: not a regular file "
	    "(a character device; skipped)\n"
	    "x.ini:2: warning: [include] files: conf.d/sub.conf: not a regular "
	    "file (a directory; skipped)\n");
}

/* A regular file past the size limit (sparse: no disk spent). */
static void
test_endless_file(void **state)
{
	struct fixture *f = *state;

	put("big.ini", "");
	assert_int_equal(truncate("big.ini", 16777216 + 4096), 0);
	assert_null(config_load("big.ini", &f->dl));
	says_only(&f->dl, "big.ini:1: error: file is longer than 16777216 "
	    "bytes (not read further)\n");
}

/* A main config that is not a regular file is refused at once: a FIFO
 * must not block (the alarm turns a hang into a failure), a device must
 * not be read for ever. */
static void
test_main_file_must_be_regular(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mkfifo("fifo.ini", 0600), 0);
	alarm(5);
	assert_null(config_load("fifo.ini", &f->dl));
	alarm(0);
	says_only(&f->dl, "fifo.ini: error: cannot read: not a regular file "
	    "(a FIFO)\n");
	diag_free(&f->dl);
	alarm(5);
	assert_null(config_load("/dev/zero", &f->dl));
	alarm(0);
	says_only(&f->dl, "/dev/zero: error: cannot read: not a regular file "
	    "(a character device)\n");
	diag_free(&f->dl);
	assert_int_equal(mkdir("dir.ini", 0755), 0);
	assert_null(config_load("dir.ini", &f->dl));
	says_only(&f->dl, "dir.ini: error: cannot read: not a regular file "
	    "(a directory)\n");
}

/* An included FIFO is skipped with a warning, without blocking. */
static void
test_include_of_a_fifo_does_not_block(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mkfifo("p.conf", 0600), 0);
	alarm(5);
	assert_non_null(load(f, "[include]\nfiles=p.conf\n"));
	alarm(0);
	says_only(&f->dl, "x.ini:2: warning: [include] files: p.conf: not a "
	    "regular file (a FIFO; skipped)\n");
}

/* ===================== the rest of config.h ===================== */

static void
test_find_default(void **state)
{
	struct fixture *f = *state;
	char *p;

	(void)f;
	put("mine.ini", "[procd]\n");
	setenv("PROCD_CONFIG", "mine.ini", 1);
	p = config_find_default();
	assert_string_equal(p, "mine.ini");
	free(p);
	setenv("PROCD_CONFIG", "missing.ini", 1);
	put("procd.ini", "[procd]\n");
	p = config_find_default();
	assert_string_equal(p, "./procd.ini");
	free(p);
	unsetenv("PROCD_CONFIG");
}

static void
test_diag_print_format(void **state)
{
	struct fixture *f = *state;

	diag_add(&f->dl, DIAG_ERROR, "a.ini", 12, "bad %s", "thing");
	diag_add(&f->dl, DIAG_WARNING, "a.ini", 0, "whole file");
	says_only(&f->dl, "a.ini:12: error: bad thing\n"
	    "a.ini: warning: whole file\n");
	assert_int_equal(f->dl.nerrors, 1);
	assert_int_equal(f->dl.n, 2);
}

/* ===================== depends_on, ready, ready_timeout, watchdog ========= */

/* Assert that some diagnostic line starts with WANT. */
static void
says_prefix(const struct diag_list *dl, const char *want)
{
	char *all = said(dl), *at;

	for (at = all; (at = strstr(at, want)) != NULL; at++)
		if (at == all || at[-1] == '\n')
			break;
	if (at == NULL)
		fail_msg("expected a line starting:\n%s\ngot:\n%s", want, all);
	free(all);
}

static void
test_readiness_defaults(void **state)
{
	struct fixture *f = *state;
	const struct program_config *p;
	struct config *cf;

	cf = load(f, "[program:web]\ncommand=web\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	p = &cf->progs[0];
	assert_int_equal(p->ready.kind, READY_STARTSECS);
	assert_null(p->ready.check);
	assert_int_equal(p->ready_timeout, 90);
	assert_int_equal(p->ready_timeout, CONFIG_READY_TIMEOUT_DEFAULT);
	assert_int_equal(p->watchdog, 0);
	assert_null(p->depends_on);
	assert_null(p->depends_file);
}

static void
test_readiness_keys(void **state)
{
	struct fixture *f = *state;
	const struct program_config *p;
	struct config *cf;

	setenv("PROCD_TEST_RT", "5", 1);
	cf = load(f, "[group:cache]\nprograms=c1\n"		/* 1-2 */
	    "[program:c1]\ncommand=c1\n"			/* 3-4 */
	    "ready=exec:redis-cli -p 6379 ping | grep -q PONG\n"	/* 5 */
	    "[program:db]\ncommand=db\n"			/* 6-7 */
	    "ready = tcp:127.0.0.1:5432\n"			/* 8 */
	    "ready_timeout = 30\n"				/* 9 */
	    "[program:web]\ncommand=web\n"			/* 10-11 */
	    "depends_on = db, cache:* ,cache:c1\n"		/* 12 */
	    "ready=notify\n"					/* 13 */
	    "watchdog=10\n"					/* 14 */
	    "ready_timeout=0\n"					/* 15 */
	    "[program:f]\ncommand=f\nready=fd:3\n"		/* 16-18 */
	    "depends_on=web\n"					/* 19 */
	    "[program:v6]\ncommand=v6\nready=tcp:[::1]:80\n"	/* 20-22 */
	    "ready_timeout=%(ENV_PROCD_TEST_RT)s\n");		/* 23 */
	unsetenv("PROCD_TEST_RT");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_int_equal(cf->nprogs, 5);

	p = config_find(cf, "cache", "c1");
	assert_non_null(p);
	assert_int_equal(p->ready.kind, READY_CHECK);
	assert_int_equal(p->ready.check->kind, CHECK_EXEC);
	assert_string_equal(p->ready.check->command,
	    "redis-cli -p 6379 ping | grep -q PONG");
	assert_null(p->depends_on);

	p = config_find(cf, "db", "db");
	assert_non_null(p);
	assert_int_equal(p->ready.kind, READY_CHECK);
	assert_int_equal(p->ready.check->kind, CHECK_TCP);
	assert_string_equal(p->ready.check->host, "127.0.0.1");
	assert_string_equal(p->ready.check->port, "5432");
	assert_int_equal(p->ready_timeout, 30);
	assert_int_equal(p->watchdog, 0);

	p = config_find(cf, "web", "web");
	assert_non_null(p);
	assert_non_null(p->depends_on);
	assert_string_equal(p->depends_on[0], "db");
	assert_string_equal(p->depends_on[1], "cache:*");
	assert_string_equal(p->depends_on[2], "cache:c1");
	assert_null(p->depends_on[3]);
	assert_string_equal(p->depends_file, "x.ini");
	assert_int_equal(p->depends_line, 12);
	assert_int_equal(p->ready.kind, READY_NOTIFY);
	assert_int_equal(p->watchdog, 10);
	assert_int_equal(p->ready_timeout, 0);

	p = config_find(cf, "f", "f");
	assert_non_null(p);
	assert_int_equal(p->ready.kind, READY_FD);
	assert_int_equal(p->ready.fd, 3);
	assert_string_equal(p->depends_on[0], "web");
	assert_null(p->depends_on[1]);
	assert_int_equal(p->depends_line, 19);

	p = config_find(cf, "v6", "v6");
	assert_non_null(p);
	assert_int_equal(p->ready.kind, READY_CHECK);
	assert_int_equal(p->ready.check->kind, CHECK_TCP);
	assert_string_equal(p->ready.check->host, "::1");
	assert_string_equal(p->ready.check->port, "80");
	assert_int_equal(p->ready_timeout, 5);
}

/* depends_on= with nothing in it is no dependency at all. */
static void
test_depends_on_empty_is_none(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[program:a]\ncommand=a\ndepends_on =\n"
	    "[program:b]\ncommand=b\ndepends_on = \t \n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_null(cf->progs[0].depends_on);
	assert_null(cf->progs[0].depends_file);
	assert_null(cf->progs[1].depends_on);
}

static void
test_readiness_value_errors(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[program:a]\n"		/* 1 */
	    "command=a\n"				/* 2 */
	    "ready=bogus\n"				/* 3 */
	    "ready_timeout=-1\n"			/* 4 */
	    "watchdog=x\n"				/* 5 */
	    "[program:b]\ncommand=b\n"			/* 6-7 */
	    "ready=fd:2\n"				/* 8 */
	    "watchdog=-5\n"				/* 9 */
	    "[program:c]\ncommand=c\n"			/* 10-11 */
	    "ready=tcp:localhost\n"			/* 12 */
	    "[program:d]\ncommand=d\n"			/* 13-14 */
	    "ready=exec:\n"				/* 15 */
	    "depends_on=ok, not a name\n"));		/* 16 */
	says_prefix(&f->dl, "x.ini:3: error: [program:a] ready: \"bogus\"");
	says_prefix(&f->dl, "x.ini:4: error: [program:a] ready_timeout: "
	    "\"-1\" is out of range");
	says_prefix(&f->dl, "x.ini:5: error: [program:a] watchdog: \"x\" is "
	    "not a number");
	says_prefix(&f->dl, "x.ini:8: error: [program:b] ready: ");
	says_prefix(&f->dl, "x.ini:9: error: [program:b] watchdog: \"-5\" is "
	    "out of range");
	says_prefix(&f->dl, "x.ini:12: error: [program:c] ready: ");
	says_prefix(&f->dl, "x.ini:15: error: [program:d] ready: ");
	says_prefix(&f->dl, "x.ini:16: error: [program:d] depends_on: "
	    "\"not a name\"");
	/* each is one line about one value; no cross-program check ran */
	assert_int_equal(f->dl.nerrors, 8);
	assert_int_equal(f->dl.n, 8);
}

static void
test_depends_on_cycle(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[program:a]\ncommand=a\n"
	    "depends_on=b\n"				/* 3 */
	    "[program:b]\ncommand=b\n"
	    "depends_on = a\n"));			/* 6 */
	says_only(&f->dl, "x.ini:3: error: [program:a] depends_on: "
	    "dependency cycle: a -> b -> a\n");
}

static void
test_depends_on_itself(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[program:ok]\ncommand=ok\n"
	    "[program:a]\ncommand=a\n"
	    "depends_on=ok,a\n"));			/* 5 */
	says_only(&f->dl, "x.ini:5: error: [program:a] depends_on: "
	    "dependency cycle: a -> a\n");
}

/* A program on its way into a cycle is not part of the message. */
static void
test_depends_on_cycle_after_a_lead_in(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[program:lead]\ncommand=l\n"
	    "depends_on=a\n"				/* 3 */
	    "[program:a]\ncommand=a\n"
	    "depends_on=b\n"				/* 6 */
	    "[program:b]\ncommand=b\n"
	    "depends_on=c\n"				/* 9 */
	    "[program:c]\ncommand=c\n"
	    "depends_on=a\n"));				/* 12 */
	says_only(&f->dl, "x.ini:6: error: [program:a] depends_on: "
	    "dependency cycle: a -> b -> c -> a\n");
}

/* In a group, the processes are named group:name. */
static void
test_depends_on_cycle_in_a_group(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[group:g]\nprograms=x,y\n"
	    "[program:x]\ncommand=x\n"
	    "depends_on=g:y\n"				/* 5 */
	    "[program:y]\ncommand=y\n"
	    "depends_on=x\n"));				/* 8 */
	says_only(&f->dl, "x.ini:5: error: [program:x] depends_on: "
	    "dependency cycle: g:x -> g:y -> g:x\n");
}

static void
test_depends_on_unknown_names(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[program:a]\ncommand=a\n"
	    "depends_on = b, nope\n"			/* 3 */
	    "[program:b]\ncommand=b\n"
	    "depends_on=g:*\n"				/* 6 */
	    "[program:c]\ncommand=c\n"
	    "depends_on=b:c\n"));			/* 9 */
	says_only(&f->dl,
	    "x.ini:3: error: [program:a] depends_on: \"nope\" names no "
	    "program, group or process\n"
	    "x.ini:6: error: [program:b] depends_on: \"g:*\" names no "
	    "program, group or process\n"
	    "x.ini:9: error: [program:c] depends_on: \"b:c\" names no "
	    "program, group or process\n");
}

/* numprocs copies share the line: one message, not one per copy. */
static void
test_depends_on_unknown_once_per_program(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[program:w]\ncommand=w\n"
	    "process_name=w_%(process_num)d\nnumprocs=3\n"
	    "depends_on=ghost\n"));			/* 5 */
	says_only(&f->dl, "x.ini:5: error: [program:w] depends_on: \"ghost\" "
	    "names no program, group or process\n");
}

/* The place is the file that says depends_on=, included or not. */
static void
test_depends_on_in_an_included_file(void **state)
{
	struct fixture *f = *state;

	put("conf.d/a.conf", "[program:a]\ncommand=a\n\ndepends_on=ghost\n");
	assert_null(load(f, "[include]\nfiles=conf.d/*.conf\n"));
	says_only(&f->dl, "conf.d/a.conf:4: error: [program:a] depends_on: "
	    "\"ghost\" names no program, group or process\n");
}

/*
 * spec: "NAME: every process of [program:NAME]; if there is no such
 * program, every member of the group NAME".  Program g (in group h) and a
 * group g of other programs: web's depends_on=g is program g, no cycle.
 */
static void
test_depends_on_name_is_the_program_first(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[group:h]\nprograms=g\n"
	    "[group:g]\nprograms=web,api\n"
	    "[program:g]\ncommand=g\n"
	    "[program:web]\ncommand=web\ndepends_on=g\n"
	    "[program:api]\ncommand=api\n");
	says_only(&f->dl, "");
	assert_non_null(cf);
}

/* Each numprocs copy owns its strings (config_free frees each once). */
/* A thousand programs of one file: their names and file are not copied
 * three and a thousand times (memory per program). */
static void
test_names_and_files_are_shared_not_copied(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cf = load(f, "[program:a]\ncommand=a\n"
	    "[program:b]\ncommand=b\nprocess_name=b_%(process_num)d\n"
	    "numprocs=2\n"
	    "[group:g]\nprograms=c\n"
	    "[program:c]\ncommand=c\n");
	assert_non_null(cf);
	assert_int_equal(cf->nprogs, 4);
	assert_ptr_equal(cf->progs[0].name, cf->progs[0].program);
	assert_ptr_equal(cf->progs[0].group, cf->progs[0].program);
	assert_string_equal(cf->progs[1].name, "b_0");
	assert_ptr_equal(cf->progs[1].group, cf->progs[1].program);
	for (size_t i = 0; i < cf->nprogs; i++) {
		const struct program_config *p = &cf->progs[i];

		if (strcmp(p->program, "c") == 0) {
			assert_string_equal(p->group, "g");
			assert_ptr_equal(p->name, p->program);
		}
		assert_ptr_equal(p->file, cf->progs[0].file);
	}
	assert_int_equal(cf->nfiles, 1);
}

static void
test_numprocs_copies_own_their_readiness(void **state)
{
	struct fixture *f = *state;
	const struct program_config *p;
	struct config *cf;

	cf = load(f, "[program:db]\ncommand=db\n"
	    "[program:w]\ncommand=w\nprocess_name=w_%(process_num)d\n"
	    "numprocs=3\n"
	    "ready=exec:check --id %(process_num)d\n"
	    "depends_on=db\n"
	    "watchdog=7\n"
	    "[program:t]\ncommand=t\nprocess_name=t_%(process_num)d\n"
	    "numprocs=2\nnumprocs_start=1\n"
	    "ready=tcp:[::1]:80%(process_num)d\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_int_equal(cf->nprogs, 6);
	for (int i = 0; i < 3; i++) {
		char want[32];

		p = &cf->progs[1 + i];
		snprintf(want, sizeof want, "check --id %d", i);
		assert_int_equal(p->ready.kind, READY_CHECK);
	assert_int_equal(p->ready.check->kind, CHECK_EXEC);
		assert_string_equal(p->ready.check->command, want);
		assert_int_equal(p->watchdog, 7);
		assert_string_equal(p->depends_on[0], "db");
		assert_null(p->depends_on[1]);
		assert_string_equal(p->depends_file, "x.ini");
		assert_int_equal(p->depends_line, 8);
		for (int j = 0; j < i; j++) {
			const struct program_config *q = &cf->progs[1 + j];
			assert_ptr_not_equal(p->ready.check->command,
			    q->ready.check->command);
			assert_ptr_not_equal(p->depends_on, q->depends_on);
			assert_ptr_not_equal(p->depends_on[0],
			    q->depends_on[0]);
			/* File names are the config's, shared. */
			assert_ptr_equal(p->depends_file, q->depends_file);
			assert_ptr_equal(p->file, q->file);
		}
	}
	assert_string_equal(cf->progs[4].name, "t_1");
	assert_string_equal(cf->progs[4].ready.check->host, "::1");
	assert_string_equal(cf->progs[4].ready.check->port, "801");
	assert_string_equal(cf->progs[5].ready.check->port, "802");
	assert_ptr_not_equal(cf->progs[4].ready.check->host, cf->progs[5].ready.check->host);
	assert_ptr_not_equal(cf->progs[4].ready.check->port, cf->progs[5].ready.check->port);
}

/* A numprocs program that depends on itself: each copy on every copy. */
static void
test_numprocs_depending_on_itself(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, "[program:w]\ncommand=w\n"
	    "process_name=w_%(process_num)d\nnumprocs=2\n"
	    "depends_on=w\n"));				/* 5 */
	says_only(&f->dl, "x.ini:5: error: [program:w] depends_on: "
	    "dependency cycle: w:w_0 -> w:w_0\n");
}

/* Issue 14 §2: what supervisord 4.2 does, checked by running it. */

static void
test_env_in_program_sees_its_own_environment(void **state)
{
	struct fixture *f = *state;
	struct config *cf;
	char *want;

	/* supervisord 4.2.0 (its #1170): the keys read after environment=
	 * see the program's own values; environment= itself sees the
	 * global ones; priority, user, umask... are read before it. */
	cf = load(f, "[supervisord]\nenvironment=FOO=global,PRIO=7\n"
	    "[program:e]\n"
	    "environment=FOO=own,BAR=%(ENV_FOO)s,PRIO=9\n"
	    "command=/bin/echo %(ENV_FOO)s %(ENV_BAR)s\n"
	    "process_name=e_%(ENV_FOO)s\n"
	    "stdout_logfile=%(here)s/e-%(ENV_FOO)s.log\n"
	    "stdout_logfile_backups=%(ENV_PRIO)s\n"
	    "directory=%(here)s/%(ENV_FOO)s\n"
	    "priority=%(ENV_PRIO)s\n"
	    "[program:other]\ncommand=/bin/echo %(ENV_FOO)s\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_string_equal(cf->progs[0].argv[1], "own");
	assert_string_equal(cf->progs[0].argv[2], "global");
	assert_string_equal(cf->progs[0].name, "e_own");
	assert_path(f, cf->progs[0].out.path, "e-own.log");
	assert_int_equal(cf->progs[0].out.backups, 9);
	assert_path(f, cf->progs[0].directory, "own");
	assert_int_equal(cf->progs[0].priority, 7);
	/* another program sees only the global environment */
	assert_string_equal(cf->progs[1].argv[1], "global");
	if (asprintf(&want, "BAR=global") == -1)
		fail();
	assert_string_equal(cf->progs[0].env[2], want);
	free(want);
}

static void
test_include_host_node_name(void **state)
{
	struct fixture *f = *state;
	struct config *cf;
	struct utsname un;
	char name[600];

	assert_int_equal(uname(&un), 0);
	snprintf(name, sizeof name, "conf.d/%s.conf", un.nodename);
	put(name, "[program:h]\ncommand=h\n");
	cf = load(f, "[include]\nfiles=conf.d/%(host_node_name)s.conf\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_int_equal(cf->nprogs, 1);
	assert_string_equal(cf->progs[0].name, "h");
	config_free(f->cf);
	diag_free(&f->dl);
	/* as in supervisord, [supervisord] itself does not have it */
	assert_null(f->cf = load(f, "[supervisord]\n"
	    "logfile=%(host_node_name)s.log\n"));
}

static void
test_chown_numbers_and_user_only(void **state)
{
	struct fixture *f = *state;
	struct config *cf;

	cfgglobal_set_host_checks(true);
	cf = load(f, "[unix_http_server]\nfile=s.sock\nchown=65534\n");
	assert_non_null(cf);
	says_only(&f->dl, "");
	assert_string_equal(cf->socket_owner, "65534");
	config_free(f->cf);
	cf = load(f, "[unix_http_server]\nfile=s.sock\nchown=nobody:65534\n");
	assert_non_null(cf);
	config_free(f->cf);
	cf = load(f, "[unix_http_server]\nfile=s.sock\nchown=0:0\n");
	assert_non_null(cf);
	config_free(f->cf);
	f->cf = NULL;
	assert_null(load(f, "[unix_http_server]\nfile=s.sock\n"
	    "chown=no-such-user-here\n"));
	assert_null(load(f, "[unix_http_server]\nfile=s.sock\n"
	    "chown=nobody:no-such-group-here\n"));
	assert_null(load(f, "[procd]\nsocket_owner=4000000\n"));
	cfgglobal_set_host_checks(false);
	says_only(&f->dl,
	    "x.ini:3: error: [unix_http_server] chown: \"no-such-user-here\": "
	    "no such user 'no-such-user-here'\n"
	    "x.ini:3: error: [unix_http_server] chown: "
	    "\"nobody:no-such-group-here\": no such group "
	    "'no-such-group-here'\n"
	    "x.ini:2: error: [procd] socket_owner: \"4000000\": no such user "
	    "'4000000'\n");
}

/* says(), with the test directory for the %s in FMT (a literal). */
#define says_in(f, fmt) do {						\
	char *want_;							\
	if (asprintf(&want_, fmt, (f)->dir) == -1)			\
		fail();							\
	says(&(f)->dl, want_);						\
	free(want_);							\
} while (0)

static void
test_check_finds_what_start_refuses(void **state)
{
	struct fixture *f = *state;
	const char *text = "[procd]\nsocket=s.sock\n"
	    "logfile=no/such/dir/procd.log\n"		/* 3 */
	    "pidfile=afile/procd.pid\n"			/* 4 */
	    "directory=afile\n"				/* 5 */
	    "user=no-such-user-here\n"			/* 6 */
	    "[program:p]\ncommand=p\ndirectory=nodir\n";	/* 9 */

	put("afile", "not a directory\n");
	/* procctl reads the file only to find the socket: no host checks */
	assert_non_null(load(f, text));
	config_free(f->cf);
	f->cf = NULL;
	cfgglobal_set_host_checks(true);
	assert_null(load(f, text));
	cfgglobal_set_host_checks(false);
	says_in(f, "x.ini:4: error: [procd] pidfile: %s/afile is not a "
	    "directory");
	says_in(f, "x.ini:3: error: [procd] logfile: directory %s/no/such/dir "
	    "does not exist (procd creates only the last one, and only in a "
	    "directory)");
	says_in(f, "x.ini:5: error: [procd] directory: %s/afile is not an "
	    "existing directory");
	says(&f->dl, "x.ini:6: error: [procd] user: no such user "
	    "'no-such-user-here'");
	says_in(f, "x.ini:9: warning: [program:p] directory: %s/nodir is not "
	    "an existing directory (the program will fail to spawn)");
}

static void
test_check_accepts_one_missing_level(void **state)
{
	struct fixture *f = *state;

	cfgglobal_set_host_checks(true);
	/* procd makes the last directory itself, as it starts */
	assert_non_null(load(f, "[procd]\nsocket=s.sock\n"
	    "logfile=logs/procd.log\npidfile=run/procd.pid\n"
	    "directory=/\nuser=nobody\n"));
	cfgglobal_set_host_checks(false);
	says_only(&f->dl, "");
}

static void
test_command_line_wins(void **state)
{
	struct fixture *f = *state;
	struct cfgglobal_cmdline cl = { .loglevel = LOG_LEVEL_ERROR,
	    .umask = 077, .minfds = 77, .logfile = "/l/procd.log",
	    .pidfile = "/p/procd.pid", .childlogdir = "/c", .directory = "/d",
	    .user = "nobody" };
	struct config *cf;

	cfgglobal_set_cmdline(&cl);
	cf = load(f, "[supervisord]\nlogfile=x.log\npidfile=x.pid\n"
	    "loglevel=debug\numask=002\nminfds=4096\nchildlogdir=/tmp\n"
	    "directory=/tmp\nuser=root\n[program:a]\ncommand=a\n");
	cfgglobal_set_cmdline(NULL);
	assert_non_null(cf);
	assert_string_equal(cf->logfile, "/l/procd.log");
	assert_string_equal(cf->pidfile, "/p/procd.pid");
	assert_string_equal(cf->childlogdir, "/c");
	assert_string_equal(cf->directory, "/d");
	assert_string_equal(cf->user, "nobody");
	assert_int_equal(cf->loglevel, LOG_LEVEL_ERROR);
	assert_int_equal(cf->umask, 077);
	assert_int_equal(cf->minfds, 77);
	/* AUTO logs go to the command line's childlogdir */
	assert_string_equal(cf->progs[0].out.path, "/c/a-stdout.log");
	config_free(f->cf);
	/* and -l alone moves the default childlogdir with it */
	cl = (struct cfgglobal_cmdline){ .loglevel = -1, .umask = -1,
	    .minfds = -1, .logfile = "/l/procd.log" };
	cfgglobal_set_cmdline(&cl);
	cf = load(f, "[program:a]\ncommand=a\n");
	cfgglobal_set_cmdline(NULL);
	assert_non_null(cf);
	assert_string_equal(cf->progs[0].out.path, "/l/a-stdout.log");
	config_free(f->cf);
	/* unset again: the config's own */
	cf = load(f, "[supervisord]\nloglevel=debug\n");
	assert_non_null(cf);
	assert_int_equal(cf->loglevel, LOG_LEVEL_DEBUG);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_program_defaults),
		T(test_program_keys),
		T(test_log_destinations),
		T(test_envfile_and_prefix_keys),
		T(test_prefix_errors),
		T(test_auto_log_names_carry_the_group),
		T(test_command_problems),
		T(test_empty_command_is_a_warning),
		T(test_typed_value_errors),
		T(test_stopasgroup_needs_killasgroup),
		T(test_redirect_stderr_ignores_a_stderr_file),
		T(test_numprocs),
		T(test_numprocs_needs_process_num),
		T(test_groups),
		T(test_group_problems),
		T(test_group_name_clash),
		T(test_same_process_twice_in_a_group),
		T(test_bad_names),
		T(test_expansion),
		T(test_expansion_errors),
		T(test_bad_childlogdir_is_one_error),
		T(test_percent_escape_and_unknown_keys_not_expanded),
		T(test_comments_and_delimiters),
		T(test_crlf_and_no_final_newline),
		T(test_continuation_lines),
		T(test_continuation_after_empty_first_line),
		T(test_long_lines_are_exact),
		T(test_no_injection_past_200_bytes),
		T(test_line_limit),
		T(test_syntax_errors),
		T(test_header_trailing_text),
		T(test_duplicates),
		T(test_unknown_keys),
		T(test_unimplemented_keys_warn),
		T(test_unsupported_sections),
		T(test_fcgi_program_pool),
		T(test_fcgi_program_errors),
		T(test_fcgi_program_in_a_group),
		T(test_sockets_key),
		T(test_sockets_missing_directory_warned_once),
		T(test_sockets_one_url_two_groups),
		T(test_global_settings),
		T(test_procd_wins_over_supervisord),
		T(test_global_defaults),
		T(test_childlogdir_when_logfile_is_not_a_file),
		T(test_global_errors),
		T(test_environment_global),
		T(test_include),
		T(test_include_cycle_and_missing_files),
		T(test_include_in_main_without_files),
		T(test_missing_main_file),
		T(test_include_only_regular_files),
		T(test_endless_file),
		T(test_main_file_must_be_regular),
		T(test_include_of_a_fifo_does_not_block),
		T(test_find_default),
		T(test_diag_print_format),
		T(test_readiness_defaults),
		T(test_readiness_keys),
		T(test_depends_on_empty_is_none),
		T(test_readiness_value_errors),
		T(test_depends_on_cycle),
		T(test_depends_on_itself),
		T(test_depends_on_cycle_after_a_lead_in),
		T(test_depends_on_cycle_in_a_group),
		T(test_depends_on_unknown_names),
		T(test_depends_on_unknown_once_per_program),
		T(test_depends_on_in_an_included_file),
		T(test_depends_on_name_is_the_program_first),
		T(test_names_and_files_are_shared_not_copied),
		T(test_numprocs_copies_own_their_readiness),
		T(test_numprocs_depending_on_itself),
		T(test_env_in_program_sees_its_own_environment),
		T(test_include_host_node_name),
		T(test_chown_numbers_and_user_only),
		T(test_check_finds_what_start_refuses),
		T(test_check_accepts_one_missing_level),
		T(test_command_line_wins),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
