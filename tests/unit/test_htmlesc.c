/*
 * test_htmlesc.c -- the dashboard's HTML escaper (htmlesc.h): nothing a
 * config or a program wrote can become markup, and what comes out is
 * valid UTF-8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "htmlesc.h"

/* The LEN bytes at S escaped, in a static buffer. */
static const char *
esc(const char *s, size_t len)
{
	static char out[512];
	struct buf b;

	buf_init(&b);
	htmlesc(&b, s, len);
	if (b.len == 0) {
		buf_free(&b);
		return "";
	}
	assert_true(b.len < sizeof out);
	memcpy(out, b.data, b.len + 1);
	buf_free(&b);
	return out;
}

#define ESC(s)	esc(s, sizeof(s) - 1)

static void
test_markup_characters_become_entities(void **state)
{
	(void)state;
	assert_string_equal(ESC("<script>alert(1)</script>"),
	    "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_string_equal(ESC("a&b"), "a&amp;b");
	assert_string_equal(ESC("\" onmouseover='x'"),
	    "&quot; onmouseover=&#39;x&#39;");
	assert_string_equal(ESC("&amp;"), "&amp;amp;");
}

static void
test_plain_text_and_utf8_pass_unchanged(void **state)
{
	(void)state;
	assert_string_equal(ESC("web:worker_0 pid 42, uptime 0:00:01"),
	    "web:worker_0 pid 42, uptime 0:00:01");
	assert_string_equal(ESC("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"),
	    "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
	assert_string_equal(ESC("tab\there\nline"), "tab\there\nline");
	assert_string_equal(ESC(""), "");
}

static void
test_controls_and_bad_bytes_become_replacement_characters(void **state)
{
	(void)state;
	/* NUL, ESC, DEL, a C1 control (U+009B, CSI) */
	assert_string_equal(esc("a\0b", 3), "a\xef\xbf\xbd" "b");
	assert_string_equal(ESC("\x1b[31m"), "\xef\xbf\xbd[31m");
	assert_string_equal(ESC("\x7f"), "\xef\xbf\xbd");
	assert_string_equal(ESC("\xc2\x9b"), "\xef\xbf\xbd");
	/* a right-to-left override would make "gpj.exe" read "exe.jpg" */
	assert_string_equal(ESC("a\xe2\x80\xae" "b"), "a\xef\xbf\xbd" "b");
	/* a lone continuation byte, a cut sequence, an overlong '<' */
	assert_string_equal(ESC("\x80x"), "\xef\xbf\xbdx");
	assert_string_equal(ESC("\xe2\x9c"), "\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(ESC("\xc0\xbc"), "\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_null_string_writes_nothing(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	htmlesc_str(&b, NULL);
	assert_int_equal(b.len, 0);
	htmlesc_str(&b, "<x>");
	assert_string_equal(b.data, "&lt;x&gt;");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markup_characters_become_entities),
		cmocka_unit_test(test_plain_text_and_utf8_pass_unchanged),
		cmocka_unit_test(
		    test_controls_and_bad_bytes_become_replacement_characters),
		cmocka_unit_test(test_null_string_writes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
