/*
 * test_json.c -- the JSON writer (json.h) every --json answer is built
 * with: string literals, and the commas and colons it places.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "json.h"

/* S appended to an empty buffer as a JSON string literal. */
static const char *
quoted(const char *s)
{
	static char out[256];
	struct buf b;

	buf_init(&b);
	json_quote(&b, s);
	assert_true(b.len < sizeof out);
	assert_int_equal(strlen(b.data), b.len);
	memcpy(out, b.data, b.len + 1);
	buf_free(&b);
	return out;
}

static void
test_json_string_plain_text_is_quoted(void **state)
{
	(void)state;
	assert_string_equal(quoted(""), "\"\"");
	assert_string_equal(quoted("web"), "\"web\"");
	assert_string_equal(quoted("pid 42, uptime 0:01:02"),
	    "\"pid 42, uptime 0:01:02\"");
	/* '/' needs no escape; UTF-8 passes through untouched */
	assert_string_equal(quoted("a/b"), "\"a/b\"");
	assert_string_equal(quoted("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	assert_string_equal(quoted("\xf0\x9f\x98\x80"),
	    "\"\xf0\x9f\x98\x80\"");
}

static void
test_json_string_escapes_quote_and_backslash(void **state)
{
	(void)state;
	assert_string_equal(quoted("say \"hi\""), "\"say \\\"hi\\\"\"");
	assert_string_equal(quoted("C:\\dir"), "\"C:\\\\dir\"");
	assert_string_equal(quoted("\\\""), "\"\\\\\\\"\"");
}

static void
test_json_string_escapes_control_characters(void **state)
{
	(void)state;
	assert_string_equal(quoted("a\nb"), "\"a\\nb\"");
	assert_string_equal(quoted("a\tb"), "\"a\\tb\"");
	assert_string_equal(quoted("\r"), "\"\\u000d\"");
	assert_string_equal(quoted("\x01"), "\"\\u0001\"");
	assert_string_equal(quoted("\x1b[0m"), "\"\\u001b[0m\"");
	assert_string_equal(quoted("\x1f"), "\"\\u001f\"");
	assert_string_equal(quoted("\b\f"), "\"\\u0008\\u000c\"");
	/* DEL, C1 and the bidi controls too: JSON shown on a terminal is
	 * as safe as the text status */
	assert_string_equal(quoted("\x7f"), "\"\\u007f\"");
	assert_string_equal(quoted("\xc2\x9b"), "\"\\u009b\"");
	assert_string_equal(quoted("\xe2\x80\xae"), "\"\\u202e\"");
	assert_string_equal(quoted("\xe2\x81\xa6"), "\"\\u2066\"");
}

/* Whatever the bytes, the literal is valid UTF-8: what is not well-formed
 * becomes U+FFFD, a byte at a time. */
static void
test_json_string_replaces_what_is_not_utf8(void **state)
{
	(void)state;
	assert_string_equal(quoted("\xff"), "\"\\ufffd\"");
	assert_string_equal(quoted("ok\xff!"), "\"ok\\ufffd!\"");
	assert_string_equal(quoted("\xc0\x80"), "\"\\ufffd\\ufffd\"");
	assert_string_equal(quoted("\xed\xa0\x80"),
	    "\"\\ufffd\\ufffd\\ufffd\"");
	assert_string_equal(quoted("\xf4\x90\x80\x80"),
	    "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	assert_string_equal(quoted("x\xe2\x80"), "\"x\\ufffd\\ufffd\"");
	assert_string_equal(quoted("x\xf0\x9f\x98"),
	    "\"x\\ufffd\\ufffd\\ufffd\"");
	assert_string_equal(quoted("\x80\"\xc3"), "\"\\ufffd\\\"\\ufffd\"");
}

static void
test_json_string_appends_after_existing_text(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_addstr(&b, "{\"name\":");
	json_quote(&b, "w\"eb");
	buf_addstr(&b, "}");
	assert_string_equal(b.data, "{\"name\":\"w\\\"eb\"}");
	buf_free(&b);
}

/* One writer into one buffer, started afresh by writer(). */
static struct buf out;
static struct json w;

static struct json *
writer(void)
{
	buf_free(&out);
	buf_init(&out);
	json_init(&w, &out);
	return &w;
}

static const char *
written(void)
{
	return out.data != NULL ? out.data : "";
}

static void
test_empty_object_and_array(void **state)
{
	struct json *j;

	(void)state;
	j = writer();
	json_object_begin(j);
	json_object_end(j);
	assert_string_equal(written(), "{}");
	j = writer();
	json_array_begin(j);
	json_array_end(j);
	assert_string_equal(written(), "[]");
}

static void
test_object_keys_are_separated_by_commas(void **state)
{
	struct json *j = writer();

	(void)state;
	json_object_begin(j);
	json_kstr(j, "name", "web");
	json_kint(j, "pid", -42);
	json_kuint(j, "lost", UINT64_MAX);
	json_kbool(j, "in_use", true);
	json_kbool(j, "autostart", false);
	json_knull(j, "signal");
	json_kstr(j, "status_text", NULL);
	json_object_end(j);
	assert_string_equal(written(), "{\"name\":\"web\",\"pid\":-42,"
	    "\"lost\":18446744073709551615,\"in_use\":true,"
	    "\"autostart\":false,\"signal\":null,\"status_text\":null}");
}

static void
test_array_items_and_nesting(void **state)
{
	struct json *j = writer();

	(void)state;
	json_array_begin(j);
	json_object_begin(j);
	json_key(j, "waiting_for");
	json_array_begin(j);
	json_str(j, "db");
	json_str(j, "cache");
	json_array_end(j);
	json_kint(j, "n", 2);
	json_object_end(j);
	json_object_begin(j);
	json_key(j, "waiting_for");
	json_array_begin(j);
	json_array_end(j);
	json_object_end(j);
	json_int(j, 3);
	json_null(j);
	json_array_end(j);
	assert_string_equal(written(), "[{\"waiting_for\":[\"db\",\"cache\"],"
	    "\"n\":2},{\"waiting_for\":[]},3,null]");
}

static void
test_keys_are_escaped_too(void **state)
{
	struct json *j = writer();

	(void)state;
	json_object_begin(j);
	json_kstr(j, "a\"b", "c\nd");
	json_object_end(j);
	assert_string_equal(written(), "{\"a\\\"b\":\"c\\nd\"}");
}

/* procctl --json status: one process a line, and only between items. */
static void
test_newline_goes_after_the_comma_between_items(void **state)
{
	struct json *j = writer();

	(void)state;
	json_array_begin(j);
	for (int i = 0; i < 3; i++) {
		json_newline(j);
		json_object_begin(j);
		json_kint(j, "i", i);
		json_kint(j, "k", i);
		json_object_end(j);
	}
	json_array_end(j);
	assert_string_equal(written(), "[{\"i\":0,\"k\":0},\n "
	    "{\"i\":1,\"k\":1},\n {\"i\":2,\"k\":2}]");
}

static void
test_writes_after_what_the_buffer_holds(void **state)
{
	struct json *j;

	(void)state;
	buf_free(&out);
	buf_init(&out);
	buf_addstr(&out, "x=");
	json_init(&w, &out);
	j = &w;
	json_object_begin(j);
	json_kint(j, "pid", 7);
	json_object_end(j);
	assert_string_equal(written(), "x={\"pid\":7}");
}

static int
teardown(void **state)
{
	(void)state;
	buf_free(&out);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_string_plain_text_is_quoted),
		cmocka_unit_test(test_json_string_escapes_quote_and_backslash),
		cmocka_unit_test(test_json_string_escapes_control_characters),
		cmocka_unit_test(test_json_string_replaces_what_is_not_utf8),
		cmocka_unit_test(test_json_string_appends_after_existing_text),
		cmocka_unit_test(test_empty_object_and_array),
		cmocka_unit_test(test_object_keys_are_separated_by_commas),
		cmocka_unit_test(test_array_items_and_nesting),
		cmocka_unit_test(test_keys_are_escaped_too),
		cmocka_unit_test(
		    test_newline_goes_after_the_comma_between_items),
		cmocka_unit_test(test_writes_after_what_the_buffer_holds),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, teardown);
}
