/*
 * test_textsafe.c -- the UTF-8 validator, the terminal escaper and the
 * character-boundary cut (textsafe.h), edge by edge.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "textsafe.h"

/* S escaped for a terminal, in a static buffer. */
static const char *
escaped(const char *s)
{
	static char out[512];
	struct buf b;

	buf_init(&b);
	textsafe_escape(&b, s);
	assert_non_null(b.data);
	assert_true(b.len < sizeof out);
	assert_int_equal(strlen(b.data), b.len);
	memcpy(out, b.data, b.len + 1);
	buf_free(&b);
	return out;
}

/* The length textsafe_utf8 gives the N bytes at S. */
static size_t
utf8_len(const char *s, size_t n, uint32_t *cp)
{
	return textsafe_utf8((const unsigned char *)s, n, cp);
}

static void
test_utf8_accepts_each_length_at_its_bounds(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(utf8_len("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_len("\x7f", 1, &cp), 1);
	assert_int_equal(utf8_len("\xc2\x80", 2, &cp), 2);
	assert_int_equal(cp, 0x80);
	assert_int_equal(utf8_len("\xdf\xbf", 2, &cp), 2);
	assert_int_equal(cp, 0x7ff);
	assert_int_equal(utf8_len("\xe0\xa0\x80", 3, &cp), 3);
	assert_int_equal(cp, 0x800);
	assert_int_equal(utf8_len("\xed\x9f\xbf", 3, &cp), 3);
	assert_int_equal(cp, 0xd7ff);
	assert_int_equal(utf8_len("\xee\x80\x80", 3, &cp), 3);
	assert_int_equal(cp, 0xe000);
	assert_int_equal(utf8_len("\xef\xbf\xbf", 3, &cp), 3);
	assert_int_equal(utf8_len("\xf0\x90\x80\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x10000);
	assert_int_equal(utf8_len("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(utf8_len("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
}

static void
test_utf8_refuses_overlongs_surrogates_and_past_10ffff(void **state)
{
	static const char *const bad[] = {
		"\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf",
		"\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",		/* overlong */
		"\xed\xa0\x80", "\xed\xbf\xbf",			/* surrogates */
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xf7\xbf\xbf\xbf",
		"\xf8\x88\x80\x80\x80", "\xfc\x84\x80\x80\x80\x80",
		"\xfe", "\xff",					/* past U+10FFFF */
		"\x80", "\xbf", "\xc3\x28", "\xe2\x28\xa1", "\xf0\x9f\x28\x80",
	};
	uint32_t cp;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(utf8_len(bad[i], strlen(bad[i]), &cp), 0);
}

static void
test_utf8_refuses_a_character_cut_short(void **state)
{
	uint32_t cp;

	(void)state;
	/* the bytes are right but fewer than the lead byte announces */
	assert_int_equal(utf8_len("\xc3\xa9", 1, &cp), 0);
	assert_int_equal(utf8_len("\xe2\x80\xae", 2, &cp), 0);
	assert_int_equal(utf8_len("\xf0\x9f\x98\x80", 3, &cp), 0);
	assert_int_equal(utf8_len("\xf0\x9f\x98\x80", 1, &cp), 0);
}

static void
test_every_c0_and_del_is_shown_as_hex(void **state)
{
	char in[2] = { 0 }, want[8];

	(void)state;
	for (int c = 1; c < 0x20; c++) {
		in[0] = (char)c;
		snprintf(want, sizeof want, "\\x%02x", c);
		assert_string_equal(escaped(in), want);
	}
	assert_string_equal(escaped("\x7f"), "\\x7f");
	assert_string_equal(escaped("a\x1b[2Jb"), "a\\x1b[2Jb");
	assert_string_equal(escaped("one\ntwo\tthree\r"),
	    "one\\x0atwo\\x09three\\x0d");
}

static void
test_every_c1_is_shown_as_its_code_point(void **state)
{
	char in[3] = { 0 }, want[8];

	(void)state;
	for (unsigned c = 0x80; c <= 0x9f; c++) {
		in[0] = (char)(0xc0 | c >> 6);
		in[1] = (char)(0x80 | (c & 0x3f));
		snprintf(want, sizeof want, "\\u%04x", c);
		assert_string_equal(escaped(in), want);
	}
	/* U+00A0 is the first that is not a control */
	assert_string_equal(escaped("\xc2\xa0"), "\xc2\xa0");
	/* a bare 0x9b (CSI on 8-bit terminals) is not UTF-8: a byte */
	assert_string_equal(escaped("\x9b" "2J"), "\\x9b2J");
}

static void
test_every_bidi_control_is_escaped(void **state)
{
	static const struct { const char *in, *out; } bidi[] = {
		{ "\xd8\x9c", "\\u061c" },
		{ "\xe2\x80\x8e", "\\u200e" }, { "\xe2\x80\x8f", "\\u200f" },
		{ "\xe2\x80\xaa", "\\u202a" }, { "\xe2\x80\xab", "\\u202b" },
		{ "\xe2\x80\xac", "\\u202c" }, { "\xe2\x80\xad", "\\u202d" },
		{ "\xe2\x80\xae", "\\u202e" },
		{ "\xe2\x81\xa6", "\\u2066" }, { "\xe2\x81\xa7", "\\u2067" },
		{ "\xe2\x81\xa8", "\\u2068" }, { "\xe2\x81\xa9", "\\u2069" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++)
		assert_string_equal(escaped(bidi[i].in), bidi[i].out);
	/* neighbours are ordinary text */
	assert_string_equal(escaped("\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5"),
	    "\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5");
}

static void
test_bytes_that_are_not_utf8_are_shown_as_hex(void **state)
{
	(void)state;
	assert_string_equal(escaped("\xff"), "\\xff");
	assert_string_equal(escaped("\xc0\x80"), "\\xc0\\x80");
	assert_string_equal(escaped("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	assert_string_equal(escaped("\xf4\x90\x80\x80"),
	    "\\xf4\\x90\\x80\\x80");
	/* cut short at the end of the text */
	assert_string_equal(escaped("ok\xe2\x80"), "ok\\xe2\\x80");
	assert_string_equal(escaped("ok\xf0\x9f\x98"), "ok\\xf0\\x9f\\x98");
	/* a broken sequence costs only its own bytes */
	assert_string_equal(escaped("\xe2(x"), "\\xe2(x");
}

static void
test_printable_text_and_emoji_are_kept(void **state)
{
	(void)state;
	assert_string_equal(escaped(""), "");
	assert_string_equal(escaped("pid 42, uptime 0:01:02"),
	    "pid 42, uptime 0:01:02");
	assert_string_equal(escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* a backslash is text: the escapes are for showing, not parsing */
	assert_string_equal(escaped("C:\\dir"), "C:\\dir");
}

static void
test_control_classes(void **state)
{
	(void)state;
	assert_true(textsafe_is_control(0));
	assert_true(textsafe_is_control(0x1f));
	assert_false(textsafe_is_control(' '));
	assert_false(textsafe_is_control('~'));
	assert_true(textsafe_is_control(0x7f));
	assert_true(textsafe_is_control(0x9f));
	assert_false(textsafe_is_control(0xa0));
	assert_false(textsafe_is_control(0x202f));
	assert_false(textsafe_is_control(0x1f600));
}

static void
test_fit_never_splits_a_character(void **state)
{
	/* "é" 2 bytes, "€" 3, an emoji 4 */
	const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";

	(void)state;
	assert_int_equal(textsafe_fit(s, 0), 0);
	assert_int_equal(textsafe_fit(s, 1), 1);
	assert_int_equal(textsafe_fit(s, 2), 1);
	assert_int_equal(textsafe_fit(s, 3), 3);
	assert_int_equal(textsafe_fit(s, 5), 3);
	assert_int_equal(textsafe_fit(s, 6), 6);
	assert_int_equal(textsafe_fit(s, 9), 6);
	assert_int_equal(textsafe_fit(s, 10), 10);
	assert_int_equal(textsafe_fit(s, 100), 10);
	/* bytes that are not UTF-8 are cut one at a time */
	assert_int_equal(textsafe_fit("\xff\xfe\xfd", 2), 2);
	assert_int_equal(textsafe_fit("x\xe2\x82", 2), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_accepts_each_length_at_its_bounds),
		cmocka_unit_test(
		    test_utf8_refuses_overlongs_surrogates_and_past_10ffff),
		cmocka_unit_test(test_utf8_refuses_a_character_cut_short),
		cmocka_unit_test(test_every_c0_and_del_is_shown_as_hex),
		cmocka_unit_test(test_every_c1_is_shown_as_its_code_point),
		cmocka_unit_test(test_every_bidi_control_is_escaped),
		cmocka_unit_test(test_bytes_that_are_not_utf8_are_shown_as_hex),
		cmocka_unit_test(test_printable_text_and_emoji_are_kept),
		cmocka_unit_test(test_control_classes),
		cmocka_unit_test(test_fit_never_splits_a_character),
	};

	return cmocka_run_group_tests_name("textsafe", tests, NULL, NULL);
}
