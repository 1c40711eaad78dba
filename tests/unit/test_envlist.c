/*
 * test_envlist.c -- environment= values (envlist.h).  Each expectation is
 * what supervisord's dict_of_key_value_pairs gives for the same text
 * (checked against Python's shlex), quirks included.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "envlist.h"

#define KV(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NOKV ((const char *const[]){ NULL })

static void
vec_is(char **v, const char *const *want)
{
	size_t i;

	assert_non_null(v);
	for (i = 0; want[i] != NULL; i++) {
		assert_non_null(v[i]);
		assert_string_equal(v[i], want[i]);
	}
	assert_null(v[i]);
}

static void
parses_to(const char *in, const char *const *want)
{
	char **v, *cause = NULL;

	v = envlist_parse(in, &cause);
	assert_null(cause);
	vec_is(v, want);
	envlist_free(v);
}

static void
fails_with(const char *in, const char *want)
{
	char *cause = NULL;

	assert_null(envlist_parse(in, &cause));
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

static void
test_pairs(void **state)
{
	(void)state;
	parses_to("", NOKV);
	parses_to("A=1,B=2", KV("A=1", "B=2"));
	parses_to("A = 1 , B = 2", KV("A=1", "B=2"));
	parses_to("PATH=/usr/bin:/bin", KV("PATH=/usr/bin:/bin"));
	parses_to("A=1,\nB=2", KV("A=1", "B=2"));
	parses_to("A=1,", KV("A=1"));
	parses_to("SENTRY_EVENT_RETENTION_DAYS=null",
	    KV("SENTRY_EVENT_RETENTION_DAYS=null"));
}

static void
test_quotes(void **state)
{
	(void)state;
	parses_to("A=\"x y\",B='c,d'", KV("A=x y", "B=c,d"));
	parses_to("PYTHONPATH='/home/ubuntu/security_monkey/'",
	    KV("PYTHONPATH=/home/ubuntu/security_monkey/"));
	parses_to("KAFKA_LISTENERS=\"PLAINTEXT://0.0.0.0:29092,INTERNAL://x\"",
	    KV("KAFKA_LISTENERS=PLAINTEXT://0.0.0.0:29092,INTERNAL://x"));
	/* Every quote character comes off both ends, whichever kind. */
	parses_to("A='\"x\"'", KV("A=x"));
	parses_to("A=''", KV("A="));
	/* Backslash escapes nothing. */
	parses_to("K=\"a\\\"b\"", KV("K=a\\"));
}

static void
test_supervisord_quirks(void **state)
{
	(void)state;
	/* The separator is skipped unchecked. */
	parses_to("A=1;B=2", KV("A=1", "B=2"));
	/* lensesio (072): the '$' is the value, the rest dropped silently. */
	parses_to("JMX_PORT=$BROKER_JMX_PORT", KV("JMX_PORT=$"));
	parses_to("A=\"x\"y", KV("A=x"));
	/* A key given twice keeps its first place and its last value. */
	parses_to("A=1,B=2,A=3", KV("A=3", "B=2"));
	/* A non-ASCII character is one token, as in Python. */
	parses_to("A=\xc3\xa9,B=1", KV("A=\xc3\xa9", "B=1"));
}

static void
test_errors(void **state)
{
	(void)state;
	fails_with("A=1 B=2", "unexpected end of key/value pairs at '=' "
	    "(after separator 'B') in \"A=1 B=2\" (write KEY=VALUE,KEY=VALUE and quote values with "
	    "spaces or other special characters)");
	fails_with("A=x@y", "unexpected end of key/value pairs at 'y' "
	    "(after separator '@') in \"A=x@y\" (write KEY=VALUE,KEY=VALUE and quote values with spaces "
	    "or other special characters)");
	fails_with("A", "unexpected end of key/value pairs at 'A' in \"A\" "
	    "(write KEY=VALUE,KEY=VALUE and quote values with spaces or other "
	    "special characters)");
	fails_with("A=\"unterminated", "unterminated \" quote (opened at "
	    "index 2)");
	/* '#' comments to the end of the line, even inside a word. */
	fails_with("A=x#y\nB=2", "unexpected end of key/value pairs at '2' "
	    "(after separator '=') in \"A=x#y\nB=2\" (write KEY=VALUE,KEY=VALUE and quote values "
	    "with spaces or other special characters)");
	fails_with("\"A=B\"=1", "key \"A=B\" contains '='");
}

static void
test_merge_and_get(void **state)
{
	char *base[] = { "A=1", "B=2", NULL };
	char *over[] = { "B=3", "C=4", NULL };
	char **m;

	(void)state;
	m = envlist_merge(base, over);
	vec_is(m, KV("A=1", "B=3", "C=4"));
	assert_string_equal(envlist_get(m, "B"), "3");
	assert_null(envlist_get(m, "D"));
	assert_null(envlist_get(NULL, "A"));
	envlist_free(m);
	m = envlist_merge(NULL, NULL);
	vec_is(m, NOKV);
	envlist_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_supervisord_quirks),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_merge_and_get),
	};

	return cmocka_run_group_tests_name("envlist", tests, NULL, NULL);
}
