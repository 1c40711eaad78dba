/*
 * test_dashrow.c -- the dashboard's rows (dashrow.h) and its CSRF check
 * (dashguard.h): what a browser is sent for a process, and which POSTs
 * may act.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "dashguard.h"
#include "dashrow.h"
#include "json.h"
#include "jsonread.h"

static struct xr_value *
rows_of(const char *json)
{
	struct xr_value *v = jsonread(json, strlen(json));

	assert_non_null(v);
	return v;
}

static const char running[] = "[{\"name\":\"web\",\"group\":\"web\","
    "\"state\":\"RUNNING\",\"pid\":42,\"uptime\":3723,\"restarts\":2,"
    "\"description\":\"pid 42, uptime 1:02:03, serving\","
    "\"status_text\":\"serving\",\"health\":{\"last_ok\":false,"
    "\"last_result\":\"HTTP 500\"},\"waiting_for\":[]}]";

static void
test_running_row_as_json_has_the_uptime_apart(void **state)
{
	struct xr_value *rows = rows_of(running);
	struct buf b;
	struct json j;

	(void)state;
	buf_init(&b);
	json_init(&j, &b);
	dashrow_array(&j, rows);
	assert_string_equal(b.data, "[{\"name\":\"web\",\"group\":\"web\","
	    "\"state\":\"RUNNING\",\"pid\":42,\"uptime\":3723,"
	    "\"restarts\":2,\"desc\":\"pid 42, serving, health failing: "
	    "HTTP 500\",\"waiting\":[]}]");
	buf_free(&b);
	xr_free(rows);
}

static void
test_row_as_html_shows_state_in_words_and_uptime(void **state)
{
	struct xr_value *rows = rows_of(running);
	unsigned counts[8] = { 0 };
	struct buf b;

	(void)state;
	buf_init(&b);
	dashrow_table(&b, rows);
	dashrow_counts(rows, counts, 8);
	assert_non_null(strstr(b.data, "<tr data-name=\"web\" "
	    "data-group=\"web\" data-state=\"RUNNING\">"));
	assert_non_null(strstr(b.data, "<span class=\"st st-RUNNING\">"
	    "<span aria-hidden=\"true\">\xe2\x97\x8f</span> RUNNING</span>"));
	assert_non_null(strstr(b.data, ">1:02:03</td>"));
	assert_non_null(strstr(b.data, "<td class=\"rs\">2</td>"));
	assert_non_null(strstr(b.data, "href=\"/logtail/web\""));
	assert_int_equal(counts[dashrow_state_index("RUNNING")], 1);
	buf_free(&b);
	xr_free(rows);
}

static void
test_names_and_descriptions_are_escaped(void **state)
{
	struct xr_value *rows = rows_of("[{\"name\":\"g<i>:a&b\","
	    "\"group\":\"g<i>\",\"state\":\"FATAL\",\"description\":"
	    "\"can't find command '<script>'\",\"waiting_for\":[\"\\\"x\"]}]");
	struct buf b;

	(void)state;
	buf_init(&b);
	dashrow_table(&b, rows);
	assert_null(strstr(b.data, "<i>"));
	assert_null(strstr(b.data, "<script>"));
	assert_non_null(strstr(b.data, "data-name=\"g&lt;i&gt;:a&amp;b\""));
	assert_non_null(strstr(b.data, "can&#39;t find command "
	    "&#39;&lt;script&gt;&#39;"));
	/* the log link's path is percent-encoded */
	assert_non_null(strstr(b.data,
	    "href=\"/logtail/g%3Ci%3E%3Aa%26b\""));
	/* the group has a heading row */
	assert_non_null(strstr(b.data, "<tr class=\"grp\" "
	    "data-group=\"g&lt;i&gt;\">"));
	buf_free(&b);
	xr_free(rows);
}

static void
test_group_heading_once_and_not_for_a_program_of_its_own(void **state)
{
	struct xr_value *rows = rows_of("[{\"name\":\"db\",\"group\":\"db\","
	    "\"state\":\"STARTING\",\"waiting_for\":[\"cache\"]},"
	    "{\"name\":\"w:a\",\"group\":\"w\",\"state\":\"STOPPED\"},"
	    "{\"name\":\"w:b\",\"group\":\"w\",\"state\":\"STOPPED\"}]");
	struct buf b;
	const char *p;
	int n = 0;

	(void)state;
	buf_init(&b);
	dashrow_table(&b, rows);
	for (p = b.data; (p = strstr(p, "class=\"grp\"")) != NULL; p++)
		n++;
	assert_int_equal(n, 1);
	assert_null(strstr(b.data, "data-group=\"db\">\n<th scope=\"rowgroup"));
	assert_non_null(strstr(b.data, "<td class=\"wt\">cache</td>"));
	assert_non_null(strstr(b.data, "waiting</td>"));
	buf_free(&b);
	xr_free(rows);
}

static void
test_unknown_state_or_no_name_is_left_out(void **state)
{
	struct xr_value *rows = rows_of("[{\"name\":\"x\",\"state\":"
	    "\"RUNNING\\\" onclick=\\\"\"},{\"state\":\"RUNNING\"},"
	    "{\"name\":\"ok\",\"group\":\"ok\",\"state\":\"EXITED\"}]");
	struct buf b;
	struct json j;

	(void)state;
	buf_init(&b);
	json_init(&j, &b);
	dashrow_array(&j, rows);
	assert_null(strstr(b.data, "onclick"));
	assert_non_null(strstr(b.data, "\"name\":\"ok\""));
	assert_null(strstr(b.data, "\"name\":\"x\""));
	buf_free(&b);
	xr_free(rows);
}

static void
test_guard_wants_the_token_and_same_origin(void **state)
{
	const char *t = "0123456789abcdef0123456789abcdef";

	(void)state;
	assert_null(dashguard_check(t, t, NULL, NULL, NULL));
	assert_null(dashguard_check(t, t, "http://h:9001", "h:9001",
	    "same-origin"));
	assert_null(dashguard_check(t, t, "https://H:9001", "h:9001", NULL));
	assert_non_null(dashguard_check(NULL, t, NULL, NULL, NULL));
	assert_non_null(dashguard_check("", t, NULL, NULL, NULL));
	assert_non_null(dashguard_check("0123456789abcdef0123456789abcdee",
	    t, NULL, NULL, NULL));
	assert_non_null(dashguard_check(t, t, "http://evil", "h:9001", NULL));
	assert_non_null(dashguard_check(t, t, "null", "h:9001", NULL));
	assert_non_null(dashguard_check(t, t, "http://h:9001", NULL, NULL));
	assert_non_null(dashguard_check(t, t, NULL, "h", "cross-site"));
	assert_non_null(dashguard_check(t, t, NULL, "h", "same-site"));
	/* no token to compare with: nothing may act */
	assert_non_null(dashguard_check("", "", NULL, NULL, NULL));
	assert_non_null(dashguard_check("x", NULL, NULL, NULL, NULL));
}

/* XML-RPC and procctl over HTTP: clients that are not browsers pass;
 * a browser only from the same origin, and by address without a
 * password. */
static void
test_browser_posts_only_from_the_same_origin(void **state)
{
	(void)state;
	assert_null(dashguard_browser_check(NULL, "h:9001", NULL, false));
	assert_null(dashguard_browser_check(NULL, NULL, NULL, true));
	assert_null(dashguard_browser_check("http://h:9001", "h:9001",
	    "same-origin", true));
	assert_null(dashguard_browser_check("http://127.0.0.1:9001",
	    "127.0.0.1:9001", NULL, false));
	assert_null(dashguard_browser_check(NULL, "127.0.0.1:9001", "none",
	    false));
	assert_non_null(dashguard_browser_check("http://evil", "h:9001",
	    NULL, true));
	assert_non_null(dashguard_browser_check("null", "127.0.0.1:9001",
	    NULL, false));
	assert_non_null(dashguard_browser_check(NULL, "h:9001", "cross-site",
	    true));
	assert_non_null(dashguard_browser_check(NULL, "h:9001", "same-site",
	    true));
	/* rebinding: same-origin by name, no password */
	assert_non_null(dashguard_browser_check("http://evil.example:9001",
	    "evil.example:9001", "same-origin", false));
}

static void
test_without_password_only_addresses_are_served(void **state)
{
	(void)state;
	assert_true(dashguard_host_ok("127.0.0.1"));
	assert_true(dashguard_host_ok("127.0.0.1:9001"));
	assert_true(dashguard_host_ok("10.1.2.3:80"));
	assert_true(dashguard_host_ok("[::1]:9001"));
	assert_true(dashguard_host_ok("[fe80::1]"));
	assert_true(dashguard_host_ok("localhost"));
	assert_true(dashguard_host_ok("LocalHost:9001"));
	assert_false(dashguard_host_ok(NULL));
	assert_false(dashguard_host_ok(""));
	assert_false(dashguard_host_ok("evil.example:9001"));
	assert_false(dashguard_host_ok("127.0.0.1.evil.example"));
	assert_false(dashguard_host_ok("localhost.evil.example"));
	assert_false(dashguard_host_ok("[::1"));
	assert_false(dashguard_host_ok("[::1]x"));
	assert_false(dashguard_host_ok("[localhost]"));
	assert_false(dashguard_host_ok(":9001"));
	assert_false(dashguard_host_ok("1.2.3"));
}

static void
test_token_is_32_hex_digits_and_stays(void **state)
{
	const char *a = dashguard_token(), *b = dashguard_token();

	(void)state;
	assert_non_null(a);
	assert_int_equal(strlen(a), DASHGUARD_TOKEN_LEN);
	assert_int_equal(strspn(a, "0123456789abcdef"), DASHGUARD_TOKEN_LEN);
	assert_string_equal(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_running_row_as_json_has_the_uptime_apart),
		cmocka_unit_test(
		    test_row_as_html_shows_state_in_words_and_uptime),
		cmocka_unit_test(test_names_and_descriptions_are_escaped),
		cmocka_unit_test(
		    test_group_heading_once_and_not_for_a_program_of_its_own),
		cmocka_unit_test(test_unknown_state_or_no_name_is_left_out),
		cmocka_unit_test(test_guard_wants_the_token_and_same_origin),
		cmocka_unit_test(test_browser_posts_only_from_the_same_origin),
		cmocka_unit_test(
		    test_without_password_only_addresses_are_served),
		cmocka_unit_test(test_token_is_32_hex_digits_and_stays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
