/*
 * test_lineprefix.c -- the head before each line of a program's output
 * (lineprefix.h): one head per line however the line is cut into reads,
 * none in the middle of one, and the timestamp formats.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "lineprefix.h"

/* Pieces collected, with a '|' between them to show where they were cut. */
static void
collect(void *arg, const char *p, size_t n)
{
	struct buf *b = arg;

	if (b->len > 0)
		buf_add(b, "|", 1);
	buf_add(b, p, n);
}

/* The chunks of CHUNKS (NULL-terminated) through one stream's state. */
static char *
run(const char *head, const char *const *chunks, bool *mid)
{
	struct buf b;
	char *s;

	buf_init(&b);
	for (; *chunks != NULL; chunks++)
		lineprefix_apply(mid, *chunks, strlen(*chunks), head,
		    strlen(head), collect, &b);
	s = strndup(b.data != NULL ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

#define CHUNKS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void
expect(const char *head, const char *const *chunks, const char *want,
    bool want_mid)
{
	bool mid = false;
	char *got = run(head, chunks, &mid);

	assert_string_equal(got, want);
	assert_int_equal(mid, want_mid);
	free(got);
}

static void
test_whole_lines(void **state)
{
	(void)state;
	expect("> ", CHUNKS("a\n"), "> |a\n", false);
	expect("> ", CHUNKS("a\nb\n"), "> |a\n|> |b\n", false);
	expect("> ", CHUNKS("\n\n"), "> |\n|> |\n", false);
}

static void
test_split_lines_get_one_head(void **state)
{
	(void)state;
	/* printf 'ab'; sleep; printf 'c\n' */
	expect("> ", CHUNKS("ab", "c\n"), "> |ab|c\n", false);
	expect("> ", CHUNKS("a", "b", "", "c\nd"), "> |a|b|c\n|> |d", true);
	expect("> ", CHUNKS("a\nb", "c\n"), "> |a\n|> |b|c\n", false);
}

static void
test_no_head(void **state)
{
	(void)state;
	expect("", CHUNKS("a\nb", "c\n"), "a\n|b|c\n", false);
}

/* A stream under way keeps its state: no head until its line ends. */
static void
test_state_carries(void **state)
{
	bool mid = true;
	char *got = run("> ", CHUNKS("rest\nnext\n"), &mid);

	(void)state;
	assert_string_equal(got, "rest\n|> |next\n");
	assert_false(mid);
	free(got);
}

static void
test_stamps_parse(void **state)
{
	enum log_timestamps ts = LOGTS_LOCAL;
	char *cause = NULL;

	(void)state;
	assert_int_equal(lineprefix_parse_stamps("false", &ts, &cause), 0);
	assert_int_equal(ts, LOGTS_NONE);
	assert_int_equal(lineprefix_parse_stamps("true", &ts, &cause), 0);
	assert_int_equal(ts, LOGTS_LOCAL);
	assert_int_equal(lineprefix_parse_stamps("ISO8601", &ts, &cause), 0);
	assert_int_equal(ts, LOGTS_ISO8601);
	assert_int_equal(lineprefix_parse_stamps("rfc", &ts, &cause), -1);
	assert_string_equal(cause, "\"rfc\" is not a timestamp choice (use "
	    "false, true or iso8601)");
	free(cause);
}

static void
test_head_format(void **state)
{
	/* 2026-12-03 16:52:50.123 UTC; TZ is set below as POSIX rules,
	 * so no zoneinfo file is needed. */
	struct timespec t = { 1796316770, 123456789 };
	char buf[LINEPREFIX_HEAD_SIZE];
	size_t n;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	n = lineprefix_head(LOGTS_LOCAL, &t, "[web] ", buf);
	assert_string_equal(buf, "2026-12-03 16:52:50.123 [web] ");
	assert_int_equal(n, strlen(buf));
	lineprefix_head(LOGTS_ISO8601, &t, NULL, buf);
	assert_string_equal(buf, "2026-12-03T16:52:50.123+00:00 ");
	setenv("TZ", "EST5EDT", 1);
	tzset();
	lineprefix_head(LOGTS_ISO8601, &t, "x", buf);
	assert_string_equal(buf, "2026-12-03T11:52:50.123-05:00 x");
	setenv("TZ", "IST-5:30", 1);
	tzset();
	lineprefix_head(LOGTS_ISO8601, &t, "", buf);
	assert_string_equal(buf, "2026-12-03T22:22:50.123+05:30 ");
	n = lineprefix_head(LOGTS_NONE, &t, "only", buf);
	assert_string_equal(buf, "only");
	assert_int_equal(n, 4);
}

static void
test_unquote_and_check(void **state)
{
	char *s, *cause = NULL, big[LINEPREFIX_MAX + 2];

	(void)state;
	s = lineprefix_unquote("\"[%(process_name)s] \"");
	assert_string_equal(s, "[%(process_name)s] ");
	free(s);
	s = lineprefix_unquote("'a'");
	assert_string_equal(s, "a");
	free(s);
	s = lineprefix_unquote("\"a'");
	assert_string_equal(s, "\"a'");
	free(s);
	s = lineprefix_unquote("\"");
	assert_string_equal(s, "\"");
	free(s);
	assert_int_equal(lineprefix_check("[web] ", &cause), 0);
	assert_int_equal(lineprefix_check("a\nb", &cause), -1);
	assert_string_equal(cause, "a prefix cannot hold a line break");
	free(cause);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(lineprefix_check(big, &cause), -1);
	assert_string_equal(cause, "longer than 256 bytes");
	free(cause);
	big[sizeof big - 2] = '\0';
	assert_int_equal(lineprefix_check(big, &cause), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_lines),
		cmocka_unit_test(test_split_lines_get_one_head),
		cmocka_unit_test(test_no_head),
		cmocka_unit_test(test_state_carries),
		cmocka_unit_test(test_stamps_parse),
		cmocka_unit_test(test_head_format),
		cmocka_unit_test(test_unquote_and_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
