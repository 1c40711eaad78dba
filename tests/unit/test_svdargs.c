/*
 * test_svdargs.c -- supervisord's command line (svdargs.h): every option
 * supervisord takes is accepted, read as Python's getopt reads it, checked
 * with supervisord's messages (those of Debian's supervisor 4.2.5, run by
 * hand with the same arguments), and the ones procd ignores warn.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "svdargs.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))
#define PARSE(a, ...) parse(a, (char *[]){ "supervisord", __VA_ARGS__, \
	NULL })

static int
parse(struct svdargs *a, char **argv)
{
	char *cause = NULL;
	int argc = 0, r;

	while (argv[argc] != NULL)
		argc++;
	r = svdargs_parse(argc, argv, a, &cause);
	assert_null(cause);
	return r;
}

/* svdargs_parse with ARGV fails with exactly WANT. */
static void
refused(char **argv, const char *want)
{
	struct svdargs a;
	char *cause = NULL;
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	assert_int_equal(svdargs_parse(argc, argv, &a, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
	svdargs_free(&a);
}
#define REFUSED(want, ...) refused((char *[]){ "supervisord", __VA_ARGS__, \
	NULL }, want)

static void
test_docker_cmd(void **state)
{
	struct svdargs a;

	(void)state;
	assert_int_equal(PARSE(&a, "-n", "-c", "/etc/supervisord.conf"), 0);
	assert_int_equal(a.action, SVDARGS_RUN);
	assert_true(a.nodaemon);
	assert_string_equal(a.config, "/etc/supervisord.conf");
	assert_int_equal(a.nwarn, 0);
	assert_null(a.cl.logfile);
	assert_int_equal(a.cl.loglevel, -1);
	assert_int_equal(a.cl.minfds, -1);
	assert_int_equal(a.cl.umask, -1);
	svdargs_free(&a);
}

static void
test_no_options_daemonizes(void **state)
{
	struct svdargs a;
	char *argv[] = { "supervisord", NULL };

	(void)state;
	assert_int_equal(parse(&a, argv), 0);
	assert_false(a.nodaemon);
	assert_null(a.config);
	svdargs_free(&a);
}

static void
test_bundled_and_attached(void **state)
{
	struct svdargs a;

	(void)state;
	assert_int_equal(PARSE(&a, "-nc/x.conf"), 0);
	assert_true(a.nodaemon);
	assert_string_equal(a.config, "/x.conf");
	svdargs_free(&a);
	assert_int_equal(PARSE(&a, "-nca"), 0);
	assert_string_equal(a.config, "a");
	svdargs_free(&a);
}

static void
test_long_forms_and_prefixes(void **state)
{
	struct svdargs a;

	(void)state;
	assert_int_equal(PARSE(&a, "--nodaemon", "--configuration=/a.conf",
	    "--loglevel", "debug", "--minfds=4096", "--umask", "027",
	    "--logfile", "/tmp/l.log", "--pidfile=/tmp/p.pid",
	    "--childlogdir=/tmp", "--directory", "/", "--user", "root"), 0);
	assert_true(a.nodaemon);
	assert_string_equal(a.config, "/a.conf");
	assert_int_equal(a.cl.loglevel, LOG_LEVEL_DEBUG);
	assert_int_equal(a.cl.minfds, 4096);
	assert_int_equal(a.cl.umask, 027);
	assert_string_equal(a.cl.logfile, "/tmp/l.log");
	assert_string_equal(a.cl.pidfile, "/tmp/p.pid");
	assert_string_equal(a.cl.childlogdir, "/tmp");
	assert_string_equal(a.cl.directory, "/");
	assert_string_equal(a.cl.user, "root");
	svdargs_free(&a);
	/* Python's getopt takes a unique prefix of a long option. */
	assert_int_equal(PARSE(&a, "--nod", "--conf", "x", "--logl=warn"), 0);
	assert_true(a.nodaemon);
	assert_string_equal(a.config, "x");
	assert_int_equal(a.cl.loglevel, LOG_LEVEL_WARN);
	svdargs_free(&a);
}

static void
test_short_forms(void **state)
{
	struct svdargs a;

	(void)state;
	assert_int_equal(PARSE(&a, "-c", "c.ini", "-u", "0", "-m", "077",
	    "-d", "/tmp", "-l", "syslog", "-e", "error", "-j", "/tmp/x.pid",
	    "-q", "/", "-a", "100"), 0);
	assert_string_equal(a.cl.user, "0");
	assert_int_equal(a.cl.umask, 077);
	assert_string_equal(a.cl.directory, "/tmp");
	assert_string_equal(a.cl.logfile, "syslog");
	assert_int_equal(a.cl.loglevel, LOG_LEVEL_ERROR);
	assert_string_equal(a.cl.pidfile, "/tmp/x.pid");
	assert_string_equal(a.cl.childlogdir, "/");
	assert_int_equal(a.cl.minfds, 100);
	assert_int_equal(a.nwarn, 0);
	svdargs_free(&a);
}

static void
test_relative_paths_against_cwd(void **state)
{
	struct svdargs a;
	char cwd[4096], want[4200];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(PARSE(&a, "-l", "sup.log", "-j", "./sup.pid"), 0);
	snprintf(want, sizeof want, "%s/sup.log", strcmp(cwd, "/") ? cwd : "");
	assert_string_equal(a.cl.logfile, want);
	snprintf(want, sizeof want, "%s/sup.pid", strcmp(cwd, "/") ? cwd : "");
	assert_string_equal(a.cl.pidfile, want);
	svdargs_free(&a);
}

static void
test_supervisord_levels(void **state)
{
	const char *names[] = { "critical", "error", "warn", "info", "debug",
	    "trace", "blather", "INFO" };
	struct svdargs a;

	(void)state;
	for (size_t i = 0; i < nitems(names); i++) {
		assert_int_equal(PARSE(&a, "-e", (char *)names[i]), 0);
		assert_int_not_equal(a.cl.loglevel, -1);
		svdargs_free(&a);
	}
}

static void
test_ignored_options_warn(void **state)
{
	struct svdargs a;

	(void)state;
	assert_int_equal(PARSE(&a, "-i", "web1", "-k", "-t", "-s", "-y",
	    "10MB", "-z", "3", "--minprocs", "300", "--profile_options",
	    "cumulative"), 0);
	assert_int_equal(a.action, SVDARGS_RUN);
	assert_int_equal(a.nwarn, 8);
	assert_non_null(strstr(a.warn[0], "-i is accepted and ignored"));
	assert_non_null(strstr(a.warn[1], "-k is accepted and ignored"));
	assert_non_null(strstr(a.warn[2], "-t is accepted and ignored"));
	assert_non_null(strstr(a.warn[6], "--minprocs is accepted"));
	svdargs_free(&a);
	assert_int_equal(PARSE(&a, "--identifier=x", "--nocleanup",
	    "--strip_ansi"), 0);
	assert_int_equal(a.nwarn, 3);
	assert_non_null(strstr(a.warn[0], "--identifier is accepted"));
	svdargs_free(&a);
}

static void
test_help_and_version(void **state)
{
	struct svdargs a;

	(void)state;
	assert_int_equal(PARSE(&a, "-h"), 0);
	assert_int_equal(a.action, SVDARGS_HELP);
	svdargs_free(&a);
	assert_int_equal(PARSE(&a, "-?"), 0);
	assert_int_equal(a.action, SVDARGS_HELP);
	svdargs_free(&a);
	assert_int_equal(PARSE(&a, "--help"), 0);
	assert_int_equal(a.action, SVDARGS_HELP);
	svdargs_free(&a);
	assert_int_equal(PARSE(&a, "-c", "x", "-v"), 0);
	assert_int_equal(a.action, SVDARGS_VERSION);
	svdargs_free(&a);
	assert_int_equal(PARSE(&a, "--vers"), 0);
	assert_int_equal(a.action, SVDARGS_VERSION);
	svdargs_free(&a);
	/* The options before it are still checked, as supervisord does. */
	REFUSED("invalid value for -a 'x': invalid literal for int() with "
	    "base 10: 'x'", "-a", "x", "-h");
}

static void
test_supervisords_messages(void **state)
{
	(void)state;
	REFUSED("option -x not recognized", "-x");
	REFUSED("option --bogus not recognized", "--bogus");
	REFUSED("option --nodaemon must not have an argument", "--nod=1");
	REFUSED("option --c not a unique prefix", "--c");
	REFUSED("option -c requires argument", "-c");
	REFUSED("option --configuration requires argument", "--config");
	REFUSED("positional arguments are not supported: ['foo', 'bar']",
	    "-n", "foo", "bar");
	/* Options end at the first word that is not one. */
	REFUSED("positional arguments are not supported: ['start', '-n']",
	    "start", "-n");
	REFUSED("conflicting command line option '-n'", "-n", "-n");
	REFUSED("conflicting command line option '--configuration'", "-c",
	    "a", "--configuration", "b");
	REFUSED("invalid value for -l '/nonexistent/x.log': The directory "
	    "named as part of the path /nonexistent/x.log does not exist",
	    "-l", "/nonexistent/x.log");
	REFUSED("invalid value for -j '/nonexistent/x.pid': The directory "
	    "named as part of the path /nonexistent/x.pid does not exist",
	    "-j", "/nonexistent/x.pid");
	REFUSED("invalid value for -q '/nonexistent': /nonexistent is not an "
	    "existing directory", "-q", "/nonexistent");
	REFUSED("invalid value for -d '/etc/passwd': /etc/passwd is not an "
	    "existing directory", "-d", "/etc/passwd");
	REFUSED("invalid value for -e 'bogus': bad logging level name "
	    "'bogus'", "-e", "bogus");
	REFUSED("invalid value for -m '9x': 9x can not be converted to an "
	    "octal type", "-m", "9x");
	REFUSED("invalid value for -a 'x': invalid literal for int() with "
	    "base 10: 'x'", "-a", "x");
	REFUSED("invalid value for -y 'lots': invalid literal for int() with "
	    "base 10: 'lots'", "-y", "lots");
	REFUSED("Invalid user name no-such-user-here", "-u",
	    "no-such-user-here");
	REFUSED("Invalid user id 4000000", "-u", "4000000");
}

static void
test_double_dash_ends_options(void **state)
{
	struct svdargs a;

	(void)state;
	assert_int_equal(PARSE(&a, "-n", "--"), 0);
	assert_true(a.nodaemon);
	svdargs_free(&a);
	REFUSED("positional arguments are not supported: ['-c']", "--", "-c");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_cmd),
		cmocka_unit_test(test_no_options_daemonizes),
		cmocka_unit_test(test_bundled_and_attached),
		cmocka_unit_test(test_long_forms_and_prefixes),
		cmocka_unit_test(test_short_forms),
		cmocka_unit_test(test_relative_paths_against_cwd),
		cmocka_unit_test(test_supervisord_levels),
		cmocka_unit_test(test_ignored_options_warn),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_supervisords_messages),
		cmocka_unit_test(test_double_dash_ends_options),
	};

	return cmocka_run_group_tests_name("svdargs", tests, NULL, NULL);
}
