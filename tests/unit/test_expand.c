/*
 * test_expand.c -- %(name)s expansion (expand.h).  Expected outputs are
 * what Python's "value % dict" gives for the same format, since that is
 * what supervisord does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "expand.h"

static const struct expand_var vars[] = {
	{ "here", "/etc/procd", 0 },
	{ "program_name", "web", 0 },
	{ "group_name", "front", 0 },
	{ "host_node_name", "box", 0 },
	{ "process_num", NULL, 7 },
	{ "neg", NULL, -7 },
	{ "utf", "h\xc3\xa9llo", 0 },
};

/* A fake environment: HOME=/root, EMPTY=, nothing else. */
static const char *
fake_env(const char *name, void *arg)
{
	(void)arg;
	if (strcmp(name, "HOME") == 0)
		return "/root";
	if (strcmp(name, "EMPTY") == 0)
		return "";
	return NULL;
}

static void
expands_to(const char *in, const char *want)
{
	char *out = NULL, *cause = NULL;

	assert_int_equal(expand_string(in, vars, sizeof vars / sizeof vars[0],
	    fake_env, NULL, &out, &cause), 0);
	assert_null(cause);
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void
fails_with(const char *in, const char *want)
{
	char *out = NULL, *cause = NULL;

	assert_int_equal(expand_string(in, vars, sizeof vars / sizeof vars[0],
	    fake_env, NULL, &out, &cause), -1);
	assert_null(out);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

static void
test_plain_text_is_unchanged(void **state)
{
	(void)state;
	expands_to("", "");
	expands_to("/usr/bin/php artisan queue:work", "/usr/bin/php artisan "
	    "queue:work");
	/* Not shell expansion: $X and ${X} pass through. */
	expands_to("$PYTHONPATH ${X} `id`", "$PYTHONPATH ${X} `id`");
}

static void
test_names(void **state)
{
	(void)state;
	expands_to("%(here)s/x.log", "/etc/procd/x.log");
	expands_to("%(program_name)s_%(process_num)02d",
	    "web_07");
	expands_to("%(group_name)s:%(host_node_name)s", "front:box");
	expands_to("%(ENV_HOME)s/bin", "/root/bin");
	expands_to("[%(ENV_EMPTY)s]", "[]");
	expands_to("events_%(process_num)03d.db", "events_007.db");
}

static void
test_percent_escape(void **state)
{
	(void)state;
	expands_to("100%%", "100%");
	expands_to("worker.%%h", "worker.%h");
	expands_to("%%(here)s", "%(here)s");
	expands_to("date +%%Y-%%m", "date +%Y-%m");
}

static void
test_printf_flags_like_python(void **state)
{
	(void)state;
	expands_to("%(process_num)05.3d", "00007");
	expands_to("%(neg)05d", "-0007");
	expands_to("%(neg)#06x", "-0x007");
	expands_to("%(process_num)-05d|", "7    |");
	expands_to("%(process_num) d", " 7");
	expands_to("%(process_num)+d", "+7");
	expands_to("%(process_num)#X", "0X7");
	expands_to("%(process_num)#.3o", "0o007");
	expands_to("%(process_num)i%(process_num)u", "77");
	expands_to("%(process_num)s", "7");
	expands_to("%(process_num)08s", "       7");
	expands_to("%(process_num)hd%(process_num)ld", "77");
	/* Widths and precisions count characters, not bytes. */
	expands_to("%(utf)8s", "   h\xc3\xa9llo");
	expands_to("%(utf).2s", "h\xc3\xa9");
	expands_to("%(utf)-8s|", "h\xc3\xa9llo   |");
}

static void
test_errors(void **state)
{
	(void)state;
	/* corpus invalid/063: %(ENV_X) without the s. */
	fails_with("%(ENV_HOME)/bin/zookeeper", "%(ENV_HOME) at index 0 is "
	    "followed by '/', which is not a conversion character (write "
	    "%(ENV_HOME)s)");
	fails_with("x %(here)", "%(here) at index 2 has no conversion "
	    "character (write %(here)s)");
	fails_with("%(ENV_NOPE)s", "%(ENV_NOPE)s: environment variable NOPE "
	    "is not set");
	fails_with("%(nope)s", "%(nope)s: unknown name 'nope' (known: here, "
	    "program_name, group_name, host_node_name, process_num, neg, utf, "
	    "ENV_<variable>)");
	fails_with("date +%Y", "'%' at index 6 is not followed by (name) or "
	    "%: write %% for a literal %");
	fails_with("50%", "'%' at index 2 is not followed by (name) or %: "
	    "write %% for a literal %");
	fails_with("%(here", "\"%(\" at index 0 has no closing ')'");
	fails_with("%(a(b)s", "\"%(\" at index 0 has no closing ')'");
	fails_with("%(program_name)d", "%(program_name)d: 'd' needs a number, "
	    "but program_name is a string (use %(program_name)s)");
	fails_with("%(here)r", "%(here)r: the 'r' conversion is not "
	    "supported by procd (use s or d)");
	fails_with("%(process_num)*d", "%(process_num) at index 0: width or "
	    "precision must be a number up to 4096");
	fails_with("%(process_num)99999d", "%(process_num) at index 0: width "
	    "or precision must be a number up to 4096");
}

static void
test_no_environment_callback(void **state)
{
	char *out = NULL, *cause = NULL;

	(void)state;
	assert_int_equal(expand_string("%(ENV_HOME)s", NULL, 0, NULL, NULL,
	    &out, &cause), -1);
	assert_string_equal(cause, "%(ENV_HOME)s: environment variable HOME "
	    "is not set");
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_is_unchanged),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_percent_escape),
		cmocka_unit_test(test_printf_flags_like_python),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_no_environment_callback),
	};

	return cmocka_run_group_tests_name("expand", tests, NULL, NULL);
}
