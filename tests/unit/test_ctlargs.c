/*
 * test_ctlargs.c -- procctl's command line (ctlargs.h), its command table
 * (ctlcmds.h) and the socket scan of a broken config (ctlfind.h).  The
 * expected messages are Python getopt's and supervisorctl 4.2's, which
 * procctl answers as when invoked as supervisorctl.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctlargs.h"
#include "ctlcmds.h"
#include "ctlfind.h"

/* Parse the NULL-terminated ARGV as PERSONA; 0 or -1, message in *ERR. */
static int
parse(struct ctlargs *a, enum ctl_persona p, char **err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	va_start(ap, err);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	return ctlargs_parse(a, p, argc, argv, err);
}

static void
words_are(const struct ctlargs *a, const char *const *want)
{
	int i;

	for (i = 0; want[i] != NULL; i++) {
		assert_true(i < a->argc);
		assert_string_equal(a->argv[i], want[i]);
	}
	assert_int_equal(a->argc, i);
	assert_null(a->argv[i]);
}

static void
fails_with(enum ctl_persona p, const char *want, char *w1, char *w2)
{
	struct ctlargs a;
	char *err;

	assert_int_equal(parse(&a, p, &err, w1, w2, NULL), -1);
	assert_non_null(err);
	assert_string_equal(err, want);
	free(err);
}

static void
test_persona_from_argv0(void **state)
{
	(void)state;
	assert_int_equal(ctlargs_persona("supervisorctl"), CTL_SUPERVISORCTL);
	assert_int_equal(ctlargs_persona("/usr/bin/supervisorctl"),
	    CTL_SUPERVISORCTL);
	assert_int_equal(ctlargs_persona("procctl"), CTL_PROCCTL);
	assert_int_equal(ctlargs_persona("/x/supervisorctl.py"), CTL_PROCCTL);
}

static void
test_option_spellings(void **state)
{
	struct ctlargs a;
	char *err;

	(void)state;
	assert_int_equal(parse(&a, CTL_SUPERVISORCTL, &err, "-cF", "-s",
	    "unix:///x", "-u", "bob", "--password=pw", "--hist=h", "-i",
	    "status", NULL), 0);
	assert_string_equal(a.config, "F");
	assert_string_equal(a.server, "unix:///x");
	assert_string_equal(a.username, "bob");
	assert_string_equal(a.password, "pw");
	assert_string_equal(a.history, "h");
	assert_true(a.interactive);
	words_are(&a, (const char *[]){ "status", NULL });
	ctlargs_free(&a);
	/* flags cluster; "--" ends the options */
	assert_int_equal(parse(&a, CTL_PROCCTL, &err, "-ih", "--", "-x",
	    NULL), 0);
	assert_true(a.interactive && a.help);
	words_are(&a, (const char *[]){ "-x", NULL });
	ctlargs_free(&a);
	assert_int_equal(parse(&a, CTL_PROCCTL, &err, "--history-file", "h",
	    "-v", NULL), 0);
	assert_string_equal(a.history, "h");
	assert_true(a.version);
	ctlargs_free(&a);
}

static void
test_getopt_messages(void **state)
{
	(void)state;
	fails_with(CTL_SUPERVISORCTL, "option -x not recognized", "-x", NULL);
	fails_with(CTL_SUPERVISORCTL, "option --bogus not recognized",
	    "--bogus", NULL);
	fails_with(CTL_SUPERVISORCTL, "option -c requires argument", "-c",
	    NULL);
	fails_with(CTL_SUPERVISORCTL, "option --configuration requires "
	    "argument", "--configuration", NULL);
	fails_with(CTL_SUPERVISORCTL, "option --interactive must not have "
	    "an argument", "--interactive=1", NULL);
	fails_with(CTL_SUPERVISORCTL, "conflicting command line option '-c'",
	    "-ca", "-cb");
	/* procctl's own long options are not supervisorctl's */
	fails_with(CTL_SUPERVISORCTL, "option --json not recognized", "--json",
	    NULL);
	fails_with(CTL_PROCCTL, "option --h not a unique prefix", "--h", NULL);
}

static void
test_options_after_the_command(void **state)
{
	struct ctlargs a;
	char *err;

	(void)state;
	assert_int_equal(parse(&a, CTL_PROCCTL, &err, "status", "--json", "-s",
	    "S", "web", NULL), 0);
	assert_true(a.json);
	assert_string_equal(a.server, "S");
	words_are(&a, (const char *[]){ "status", "web", NULL });
	ctlargs_free(&a);
	/* the command's own options stay */
	assert_int_equal(parse(&a, CTL_PROCCTL, &err, "tail", "-f", "-100",
	    "web", "-cF", NULL), 0);
	assert_string_equal(a.config, "F");
	words_are(&a, (const char *[]){ "tail", "-f", "-100", "web", NULL });
	ctlargs_free(&a);
	assert_int_equal(parse(&a, CTL_PROCCTL, &err, "wait", "--timeout",
	    "5", "-h", NULL), 0);
	assert_true(a.help);
	words_are(&a, (const char *[]){ "wait", "--timeout", "5", NULL });
	ctlargs_free(&a);
	/* supervisorctl's getopt stops at the command */
	assert_int_equal(parse(&a, CTL_SUPERVISORCTL, &err, "status", "-s",
	    "x", NULL), 0);
	assert_null(a.server);
	words_are(&a, (const char *[]){ "status", "-s", "x", NULL });
	ctlargs_free(&a);
}

static void
test_words_rejoined_and_split(void **state)
{
	struct ctlargs a;
	char *err;

	(void)state;
	assert_int_equal(parse(&a, CTL_PROCCTL, &err, "signal USR1", "web",
	    NULL), 0);
	words_are(&a, (const char *[]){ "signal", "USR1", "web", NULL });
	ctlargs_free(&a);
	/* str.split(): quotes mean nothing, runs of blanks are one */
	assert_int_equal(parse(&a, CTL_SUPERVISORCTL, &err, " start\t'a b' ",
	    "", "c", NULL), 0);
	words_are(&a, (const char *[]){ "start", "'a", "b'", "c", NULL });
	ctlargs_free(&a);
	assert_int_equal(parse(&a, CTL_PROCCTL, &err, NULL), 0);
	assert_int_equal(a.argc, 0);
	ctlargs_free(&a);
}

static void
test_server_urls(void **state)
{
	const char *path;

	(void)state;
	assert_int_equal(ctlargs_url("unix:///run/x.sock", true, &path),
	    CTL_URL_UNIX);
	assert_string_equal(path, "/run/x.sock");
	assert_int_equal(ctlargs_url("/run/x.sock", false, &path),
	    CTL_URL_UNIX);
	assert_string_equal(path, "/run/x.sock");
	assert_int_equal(ctlargs_url("/run/x.sock", true, &path), CTL_URL_BAD);
	assert_int_equal(ctlargs_url("http://127.0.0.1:9001", false, &path),
	    CTL_URL_HTTP);
	assert_int_equal(ctlargs_url("unix://", false, &path), CTL_URL_BAD);
}

static int
check(const char *const *argv, char **msg)
{
	const struct ctlcmd *c = ctlcmds_find(argv[0]);
	struct buf b;
	int argc = 0, code;

	while (argv[argc] != NULL)
		argc++;
	assert_non_null(c);
	buf_init(&b);
	code = ctlcmds_check(c, argc, (char **)argv, &b);
	*msg = b.data != NULL ? strndup(b.data, strcspn(b.data, "\n")) :
	    strdup("");
	buf_free(&b);
	return code;
}

/* supervisorctl 4.2's line and exit code for each wrong count. */
static void
test_argument_counts(void **state)
{
	static const struct {
		const char *argv[4];
		int code;
		const char *msg;
	} cases[] = {
		{ { "start" }, 2, "Error: start requires a process name" },
		{ { "stop" }, 1, "Error: stop requires a process name" },
		{ { "restart" }, 1, "Error: restart requires a process name" },
		{ { "clear" }, 1, "Error: clear requires a process name" },
		{ { "signal", "HUP" }, 1, "Error: signal requires a signal "
		    "name and a process name" },
		{ { "tail" }, 1, "Error: too few arguments" },
		{ { "avail", "x" }, 1, "Error: avail accepts no arguments" },
		{ { "version", "x" }, 1, "Error: version accepts no arguments" },
		{ { "start", "web" }, -1, "" },
		{ { "status" }, -1, "" },
		{ { "add" }, -1, "" },
		{ { "wait", "--timeout", "3" }, -1, "" },
	};
	char *msg;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(check(cases[i].argv, &msg), cases[i].code);
		assert_string_equal(msg, cases[i].msg);
		free(msg);
	}
	assert_null(ctlcmds_find("foo"));
	assert_non_null(ctlcmds_find("EOF"));
}

static void
test_help(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	ctlcmds_help(NULL, &b);
	buf_add(&b, "", 1);
	assert_non_null(strstr(b.data, "\ndefault commands (type help "
	    "<topic>):\n=====================================\n"));
	assert_non_null(strstr(b.data, "wait"));
	assert_null(strstr(b.data, "fg"));
	buf_reset(&b);
	ctlcmds_help("nosuch", &b);
	buf_add(&b, "", 1);
	assert_string_equal(b.data, "*** No help on nosuch\n");
	buf_reset(&b);
	ctlcmds_help("start", &b);
	buf_add(&b, "", 1);
	assert_true(strncmp(b.data, "start <name>\t", 13) == 0);
	buf_free(&b);
}

static char *
scan(const char *text, int *line)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	char *s;

	assert_non_null(f);
	s = ctlfind_scan(f, "/etc/app", line);
	fclose(f);
	return s;
}

static void
test_scan_of_a_broken_config(void **state)
{
	int line = 0;
	char *s;

	(void)state;
	s = scan("[unix_http_server]\nfile = run/s.sock ; comment\n"
	    "[program:x]\nstartsecs = soon\n[[[ broken\n", &line);
	assert_string_equal(s, "/etc/app/run/s.sock");
	assert_int_equal(line, 2);
	free(s);
	/* [supervisorctl] serverurl wins over [procd] socket */
	s = scan("[procd]\nsocket=%(here)s/p.sock\n[supervisorctl]\n"
	    "serverurl = unix:///tmp/c.sock\n", &line);
	assert_string_equal(s, "/tmp/c.sock");
	assert_int_equal(line, 4);
	free(s);
	s = scan("[supervisord]\nsocket=%(here)s/p.sock\n[supervisorctl]\n"
	    "serverurl = http://localhost:9001\n", &line);
	assert_string_equal(s, "/etc/app/p.sock");
	free(s);
	assert_null(scan("[program:x]\nfile = /tmp/no\n", &line));
}

static char *
scan_http(const char *text, char **user, char **pass)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	char *s;

	assert_non_null(f);
	s = ctlfind_http(f, "/etc/app", user, pass);
	fclose(f);
	return s;
}

static void
test_scan_of_an_http_serverurl(void **state)
{
	char *u, *p, *s;

	(void)state;
	setenv("CTL_TEST_PASS", "s3cret", 1);
	s = scan_http("[supervisorctl]\nserverurl = http://127.0.0.1:9001 ; x"
	    "\nusername = admin\npassword = %(ENV_CTL_TEST_PASS)s\n"
	    "[program:x]\ncommand = sleep 1\n", &u, &p);
	assert_string_equal(s, "http://127.0.0.1:9001");
	assert_string_equal(u, "admin");
	assert_string_equal(p, "s3cret");
	free(s);
	free(u);
	free(p);
	/* no credentials in the config: none */
	s = scan_http("[supervisorctl]\nserverurl=http://h\n", &u, &p);
	assert_string_equal(s, "http://h");
	assert_null(u);
	assert_null(p);
	free(s);
	/* https:// and AUTO are not used (the loader warns of them) */
	assert_null(scan_http("[supervisorctl]\nserverurl=https://h\n", &u,
	    &p));
	assert_null(scan_http("[supervisorctl]\nserverurl=AUTO\n", &u, &p));
	/* a unix socket named anywhere is used first */
	assert_null(scan_http("[unix_http_server]\nfile = /tmp/s.sock\n"
	    "[supervisorctl]\nserverurl = http://h:1\nusername = u\n", &u,
	    &p));
	assert_null(u);
	assert_null(p);
	assert_null(scan_http("[procd]\nsocket = /run/p.sock\n"
	    "[supervisorctl]\nserverurl = http://h:1\n", &u, &p));
	assert_null(scan_http("[supervisorctl]\nserverurl = unix:///s\n", &u,
	    &p));
	/* username= elsewhere is not [supervisorctl]'s */
	s = scan_http("[inet_http_server]\nusername = x\n[supervisorctl]\n"
	    "serverurl = http://h\n", &u, &p);
	assert_string_equal(s, "http://h");
	assert_null(u);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_persona_from_argv0),
		cmocka_unit_test(test_option_spellings),
		cmocka_unit_test(test_getopt_messages),
		cmocka_unit_test(test_options_after_the_command),
		cmocka_unit_test(test_words_rejoined_and_split),
		cmocka_unit_test(test_server_urls),
		cmocka_unit_test(test_argument_counts),
		cmocka_unit_test(test_scan_of_an_http_serverurl),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_scan_of_a_broken_config),
	};

	return cmocka_run_group_tests_name("ctlargs", tests, NULL, NULL);
}
