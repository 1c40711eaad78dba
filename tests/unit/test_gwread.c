/*
 * test_gwread.c -- the small readers of the HTTP path: which protocol a
 * control-socket client speaks from its first bytes (peek.c), and the
 * gateway's reading of procd's --json answers (jsonread.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "jsonread.h"
#include "peek.h"

static enum peek_kind
classify(const char *s, size_t n)
{
	return peek_classify(s, n);
}

static void
test_http_methods_and_their_prefixes_go_to_the_gateway(void **state)
{
	(void)state;
	assert_int_equal(classify("POST /RPC2 HTTP/1.1", 8), PEEK_HTTP);
	assert_int_equal(classify("GET / HTTP/1.0", 8), PEEK_HTTP);
	assert_int_equal(classify("HEAD / HTTP/1.0", 8), PEEK_HTTP);
	/* Only part of the method has arrived: never waited for. */
	assert_int_equal(classify("P", 1), PEEK_HTTP);
	assert_int_equal(classify("GE", 2), PEEK_HTTP);
}

static void
test_procctl_frames_and_anything_else_stay(void **state)
{
	/* A procctl frame: a big-endian length <= 64 KiB, first byte 0. */
	static const char frame[] = { 0, 0, 0, 5, 0, 1, 1, 0 };

	(void)state;
	assert_int_equal(classify(frame, sizeof frame), PEEK_PROTO);
	assert_int_equal(classify(frame, 1), PEEK_PROTO);
	assert_int_equal(classify("PUT / HTTP/1.1", 8), PEEK_PROTO);
	assert_int_equal(classify("POSTX", 5), PEEK_PROTO);
	assert_int_equal(classify("GETS", 4), PEEK_PROTO);
	assert_int_equal(classify("x", 1), PEEK_PROTO);
}

static void
test_status_json_as_procd_writes_it(void **state)
{
	const char *doc = "[{\"name\":\"g:web\",\"pid\":42,\"uptime\":-3,"
	    "\"exitstatus\":null,\"ok\":true,\"x\":1.5e1,"
	    "\"description\":\"a\\\"b\\\\c\\u00e9\\ud83d\\ude00\\n\","
	    "\"waiting_for\":[]}\n]\n";
	struct xr_value *v = jsonread(doc, strlen(doc));
	const struct xr_value *row;

	(void)state;
	assert_non_null(v);
	assert_int_equal(v->type, XR_ARRAY);
	assert_int_equal(v->n, 1);
	row = v->items[0];
	assert_string_equal(xr_get_str(row, "name"), "g:web");
	assert_int_equal(xr_get_int(row, "pid"), 42);
	assert_int_equal(xr_get_int(row, "uptime"), -3);
	assert_int_equal(xr_get(row, "exitstatus")->type, XR_NIL);
	assert_int_equal(xr_get(row, "ok")->type, XR_BOOL);
	assert_true(xr_get(row, "x")->d == 15.0);
	assert_string_equal(xr_get_str(row, "description"),
	    "a\"b\\c\xc3\xa9\xf0\x9f\x98\x80\n");
	assert_int_equal(xr_get(row, "waiting_for")->n, 0);
	xr_free(v);
}

static void
test_malformed_json_refused(void **state)
{
	static const char *const bad[] = {
		"", "[", "{\"a\"}", "[1,]", "\"a\nb\"", "01", "\"\\x\"", "nul",
		"{\"a\":1,}", "-", "1.", "[] x", "{1:2}", "\"open", "\"\\ud800\"",
		"\"\\udc00\"", "[99999999999999999999]",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_null(jsonread(bad[i], strlen(bad[i])));
}

static void
test_json_nesting_is_capped(void **state)
{
	char deep[2 * JSONREAD_DEPTH_MAX + 4];
	size_t n = 0;
	struct xr_value *v;

	(void)state;
	for (int i = 0; i < JSONREAD_DEPTH_MAX; i++)
		deep[n++] = '[';
	for (int i = 0; i < JSONREAD_DEPTH_MAX; i++)
		deep[n++] = ']';
	assert_non_null(v = jsonread(deep, n));
	xr_free(v);
	memmove(deep + 1, deep, n);
	deep[0] = '[';
	deep[++n] = ']';
	assert_null(jsonread(deep, n + 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_http_methods_and_their_prefixes_go_to_the_gateway),
		cmocka_unit_test(test_procctl_frames_and_anything_else_stay),
		cmocka_unit_test(test_status_json_as_procd_writes_it),
		cmocka_unit_test(test_malformed_json_refused),
		cmocka_unit_test(test_json_nesting_is_capped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
