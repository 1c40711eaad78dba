/*
 * test_shellwords.c -- command= splitting (shellwords.h).  Every expected
 * vector below is what Python's shlex.split() returns for the same input,
 * since that is what supervisord runs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "shellwords.h"

/* Split IN and compare with the NULL-terminated WANT. */
static void
splits_to(const char *in, const char *const *want)
{
	char **v, *cause = NULL;
	size_t i;

	v = shellwords_split(in, &cause);
	assert_non_null(v);
	assert_null(cause);
	for (i = 0; want[i] != NULL; i++) {
		assert_non_null(v[i]);
		assert_string_equal(v[i], want[i]);
	}
	assert_null(v[i]);
	shellwords_free(v);
}

/* Split IN expecting failure with message WANT. */
static void
fails_with(const char *in, const char *want)
{
	char *cause = NULL;

	assert_null(shellwords_split(in, &cause));
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

#define WORDS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NOWORDS ((const char *const[]){ NULL })

static void
test_blanks_separate(void **state)
{
	(void)state;
	splits_to("/bin/cat", WORDS("/bin/cat"));
	splits_to("  a   b\tc\n", WORDS("a", "b", "c"));
	splits_to("a\r\nb", WORDS("a", "b"));
	/* Form feed is not a shlex blank. */
	splits_to("x\fy", WORDS("x\fy"));
	splits_to("", NOWORDS);
	splits_to(" \t\n", NOWORDS);
}

static void
test_single_quotes_are_literal(void **state)
{
	(void)state;
	splits_to("a 'b \"c\" d'", WORDS("a", "b \"c\" d"));
	splits_to("nginx -g 'daemon off;'", WORDS("nginx", "-g",
	    "daemon off;"));
	splits_to("'a\\b'", WORDS("a\\b"));
	splits_to("a 'b'c\"d\"", WORDS("a", "bcd"));
}

static void
test_double_quotes_escape_only_quote_and_backslash(void **state)
{
	(void)state;
	splits_to("a \"b c\" d", WORDS("a", "b c", "d"));
	splits_to("a \"b\\\"c\"", WORDS("a", "b\"c"));
	splits_to("a \"b\\\\c\"", WORDS("a", "b\\c"));
	/* \$ and \` keep their backslash: shlex is not a shell. */
	splits_to("a \"b\\$c\"", WORDS("a", "b\\$c"));
	splits_to("\"\\`x\\`\"", WORDS("\\`x\\`"));
	/* Backslash-newline inside "..." stays for bash -c (cvat's 037). */
	splits_to("bash -c \"x \\\n y\"", WORDS("bash", "-c", "x \\\n y"));
	splits_to("bash -c \"for i in 1 2; do echo $i; done\"",
	    WORDS("bash", "-c", "for i in 1 2; do echo $i; done"));
}

static void
test_backslash_outside_quotes(void **state)
{
	(void)state;
	splits_to("a\\ b", WORDS("a b"));
	splits_to("a\\\nb", WORDS("a\nb"));
	splits_to("\\\\", WORDS("\\"));
	splits_to("\\\"", WORDS("\""));
	splits_to("\\'x", WORDS("'x"));
}

static void
test_empty_quoted_words_count(void **state)
{
	(void)state;
	splits_to("''", WORDS(""));
	splits_to("a \"\" b", WORDS("a", "", "b"));
	splits_to("a''b", WORDS("ab"));
}

static void
test_errors(void **state)
{
	(void)state;
	fails_with("a 'it\\'s'", "unterminated ' quote (opened at index 8)");
	fails_with("echo \"abc", "unterminated \" quote (opened at index 5)");
	fails_with("echo abc\\", "trailing backslash at index 8 escapes "
	    "nothing");
	fails_with("echo \"abc\\", "trailing backslash at index 9 escapes "
	    "nothing");
	/* Inside '...' a backslash is literal: the quote is what's missing. */
	fails_with("echo 'abc\\", "unterminated ' quote (opened at index 5)");
}

static void
test_long_command_is_exact(void **state)
{
	char *line, **v, *cause = NULL;
	size_t i, n = 4096;

	(void)state;
	line = malloc(n + 1);
	assert_non_null(line);
	memcpy(line, "/bin/echo ", 10);
	for (i = 10; i < n; i++)
		line[i] = 'a' + i % 26;
	line[n] = '\0';
	v = shellwords_split(line, &cause);
	assert_non_null(v);
	assert_string_equal(v[0], "/bin/echo");
	assert_int_equal(strlen(v[1]), n - 10);
	assert_memory_equal(v[1], line + 10, n - 10);
	assert_null(v[2]);
	shellwords_free(v);
	free(line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blanks_separate),
		cmocka_unit_test(test_single_quotes_are_literal),
		cmocka_unit_test(test_double_quotes_escape_only_quote_and_backslash),
		cmocka_unit_test(test_backslash_outside_quotes),
		cmocka_unit_test(test_empty_quoted_words_count),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_long_command_is_exact),
	};

	return cmocka_run_group_tests_name("shellwords", tests, NULL, NULL);
}
