/*
 * test_metrics.c -- what the gateway tells watchers: the Prometheus text
 * writer (promtext.c: names, escaping), the /metrics document made from
 * procd's JSON (metrics.c), and /readyz's verdict and reasons (probes.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "jsonread.h"
#include "metrics.h"
#include "probes.h"
#include "promtext.h"
#include "xrvalue.h"

static void
test_metric_and_label_names_follow_the_rules(void **state)
{
	(void)state;
	assert_true(promtext_metric_name_ok("procd_process_up"));
	assert_true(promtext_metric_name_ok("ns:rule_total"));
	assert_true(promtext_metric_name_ok("_x9"));
	assert_false(promtext_metric_name_ok(""));
	assert_false(promtext_metric_name_ok("9lives"));
	assert_false(promtext_metric_name_ok("has-dash"));
	assert_false(promtext_metric_name_ok("has space"));
	assert_false(promtext_metric_name_ok("caf\xc3\xa9"));
	assert_false(promtext_metric_name_ok(NULL));
	assert_true(promtext_label_name_ok("name"));
	assert_true(promtext_label_name_ok("_group"));
	assert_false(promtext_label_name_ok("a:b"));	/* colons: metrics only */
	assert_false(promtext_label_name_ok("__name__"));
	assert_false(promtext_label_name_ok("1st"));
}

static void
test_label_values_escape_backslash_quote_and_newline(void **state)
{
	struct promlabel l[] = { { "name", "a\\b\"c\nd" }, { "group", "g" } };
	struct buf set, b;

	(void)state;
	buf_init(&set);
	buf_init(&b);
	assert_int_equal(promtext_labels(&set, l, 2), 0);
	assert_string_equal(set.data, "name=\"a\\\\b\\\"c\\nd\",group=\"g\"");
	assert_int_equal(promtext_sample(&b, "m", set.data, 42), 0);
	assert_string_equal(b.data, "m{name=\"a\\\\b\\\"c\\nd\",group=\"g\"} 42\n");
	buf_free(&set);
	buf_free(&b);
}

static void
test_label_values_are_always_utf8(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	/* Well-formed UTF-8 is kept; a stray byte becomes U+FFFD. */
	promtext_escape_value(&b, "caf\xc3\xa9 \xff!");
	assert_string_equal(b.data, "caf\xc3\xa9 \xef\xbf\xbd!");
	buf_free(&b);
}

static void
test_help_escapes_backslash_and_newline_not_quotes(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	assert_int_equal(promtext_family(&b, "m_total", "counter",
	    "a \"b\" \\ c\nd"), 0);
	assert_string_equal(b.data, "# HELP m_total a \"b\" \\\\ c\\nd\n"
	    "# TYPE m_total counter\n");
	buf_free(&b);
}

static void
test_bad_names_write_nothing(void **state)
{
	struct promlabel bad = { "__reserved", "x" };
	struct buf b;

	(void)state;
	buf_init(&b);
	assert_int_equal(promtext_family(&b, "bad-name", "gauge", "h"), -1);
	assert_int_equal(promtext_sample(&b, "bad name", NULL, 1), -1);
	assert_int_equal(promtext_labels(&b, &bad, 1), -1);
	assert_int_equal(b.len, 0);
	assert_int_equal(promtext_sample(&b, "ok", NULL, -7), 0);
	assert_int_equal(promtext_sample(&b, "ok", "", INT64_MIN), 0);
	assert_int_equal(promtext_sample(&b, "ok", NULL, 0), 0);
	assert_string_equal(b.data, "ok -7\nok -9223372036854775808\nok 0\n");
	buf_free(&b);
}

/* Rows as procd's status --json writes them (the keys that matter). */
static const char status_json[] =
    "[{\"name\":\"web\",\"group\":\"web\",\"process\":\"web\","
    "\"state\":\"RUNNING\",\"wanted\":\"up\",\"pid\":42,\"uptime\":62,"
    "\"exitstatus\":null,\"signal\":null,\"exit_expected\":null,"
    "\"restarts\":3,\"start\":1700000000,\"log_lost_bytes\":5,"
    "\"description\":\"pid 42, uptime 0:01:02\",\"waiting_for\":[]},\n"
    " {\"name\":\"w:w_0\",\"group\":\"w\",\"process\":\"w_0\","
    "\"state\":\"STARTING\",\"wanted\":\"up\",\"pid\":0,\"uptime\":0,"
    "\"exitstatus\":null,\"signal\":null,\"exit_expected\":null,"
    "\"restarts\":0,\"start\":0,\"log_lost_bytes\":0,"
    "\"description\":\"waiting for db\",\"waiting_for\":[\"db\",\"c\\\"q\"]},\n"
    " {\"name\":\"db\",\"group\":\"db\",\"process\":\"db\","
    "\"state\":\"STARTING\",\"wanted\":\"up\",\"pid\":43,\"uptime\":1,"
    "\"exitstatus\":null,\"signal\":\"SIGKILL\",\"exit_expected\":null,"
    "\"restarts\":1,\"start\":1700000001,\"log_lost_bytes\":0,"
    "\"description\":\"\",\"waiting_for\":[]},\n"
    " {\"name\":\"job\",\"group\":\"job\",\"process\":\"job\","
    "\"state\":\"EXITED\",\"wanted\":\"up\",\"pid\":0,\"uptime\":0,"
    "\"exitstatus\":0,\"signal\":null,\"exit_expected\":true,"
    "\"restarts\":0,\"start\":1700000002,\"log_lost_bytes\":0,"
    "\"description\":\"Dec 03 04:05 PM\",\"waiting_for\":[]},\n"
    " {\"name\":\"bad\",\"group\":\"bad\",\"process\":\"bad\","
    "\"state\":\"FATAL\",\"wanted\":\"up\",\"pid\":0,\"uptime\":0,"
    "\"exitstatus\":null,\"signal\":null,\"exit_expected\":null,"
    "\"restarts\":0,\"start\":0,\"log_lost_bytes\":0,"
    "\"description\":\"can't find command \\u001b[31m'x'\","
    "\"waiting_for\":[]},\n"
    " {\"name\":\"off\",\"group\":\"off\",\"process\":\"off\","
    "\"state\":\"STOPPED\",\"wanted\":\"down\",\"pid\":0,\"uptime\":0,"
    "\"exitstatus\":null,\"signal\":null,\"exit_expected\":null,"
    "\"restarts\":0,\"start\":0,\"log_lost_bytes\":0,"
    "\"description\":\"Not started\",\"waiting_for\":[]}]\n";

static const char self_json[] = "{\"pid\":7,\"version\":\"1.2\","
    "\"start\":1699999999,\"processes\":6,\"events_emitted\":10,"
    "\"events_delivered\":8,\"events_dropped\":2,\"clients_accepted\":5,"
    "\"clients_refused\":1}";

static struct xr_value *
parse(const char *s)
{
	struct xr_value *v = jsonread(s, strlen(s));

	assert_non_null(v);
	return v;
}

static void
test_metrics_document_from_procds_answers(void **state)
{
	struct xr_value *rows = parse(status_json), *self = parse(self_json);
	struct buf b;

	(void)state;
	buf_init(&b);
	metrics_render(&b, rows, self);
	assert_non_null(strstr(b.data, "procd_build_info{version=\"1.2\"} 1\n"));
	assert_non_null(strstr(b.data, "# TYPE procd_events_dropped_total "
	    "counter\nprocd_events_dropped_total 2\n"));
	assert_non_null(strstr(b.data, "procd_start_time_seconds 1699999999\n"));
	assert_non_null(strstr(b.data, "procd_processes 6\n"));
	assert_non_null(strstr(b.data,
	    "procd_process_state{name=\"web\",group=\"web\",state=\"RUNNING\"} 1\n"));
	assert_non_null(strstr(b.data,
	    "procd_process_state{name=\"web\",group=\"web\",state=\"FATAL\"} 0\n"));
	assert_non_null(strstr(b.data,
	    "procd_process_restarts_total{name=\"web\",group=\"web\"} 3\n"));
	assert_non_null(strstr(b.data,
	    "procd_process_log_lost_bytes_total{name=\"web\",group=\"web\"} 5\n"));
	assert_non_null(strstr(b.data,
	    "procd_process_ready{name=\"w_0\",group=\"w\"} 0\n"));
	assert_non_null(strstr(b.data,
	    "procd_process_wanted_up{name=\"off\",group=\"off\"} 0\n"));
	assert_non_null(strstr(b.data,
	    "procd_process_last_exit_signal{name=\"db\",group=\"db\"} 9\n"));
	assert_non_null(strstr(b.data,
	    "procd_process_last_exit_status{name=\"job\",group=\"job\"} 0\n"));
	/* Never started: no start time rather than 1970. */
	assert_null(strstr(b.data,
	    "procd_process_start_time_seconds{name=\"bad\""));
	/* A family's samples are together: its TYPE line comes once. */
	assert_non_null(strstr(b.data, "# TYPE procd_process_up gauge\n"));
	assert_null(strstr(strstr(b.data, "# TYPE procd_process_up gauge\n") + 1,
	    "# TYPE procd_process_up gauge\n"));
	xr_free(rows);
	xr_free(self);
	buf_free(&b);
}

static void
test_readyz_lists_what_should_run_and_is_not_ready(void **state)
{
	struct xr_value *rows = parse(status_json);
	struct buf why;

	(void)state;
	buf_init(&why);
	assert_false(probes_ready(rows, &why));
	/* web is RUNNING; job is a one-shot that is done; off is not
	 * wanted: none of them is listed.  The escape a spawn error held
	 * is shown, not obeyed. */
	assert_string_equal(why.data,
	    "w:w_0: STARTING, waiting for db, c\"q\n"
	    "db: STARTING, not ready yet\n"
	    "bad: FATAL (can't find command \\x1b[31m'x')\n");
	xr_free(rows);
	buf_free(&why);
}

static void
test_readyz_with_everything_up_is_ready(void **state)
{
	struct xr_value *rows = parse("[{\"name\":\"a\",\"state\":\"RUNNING\","
	    "\"wanted\":\"up\"},{\"name\":\"b\",\"state\":\"STOPPED\","
	    "\"wanted\":\"down\"},{\"name\":\"c\",\"state\":\"EXITED\","
	    "\"wanted\":\"up\",\"exit_expected\":false,\"description\":"
	    "\"exit status 1; not expected\"}]");
	struct buf why;

	(void)state;
	buf_init(&why);
	/* c crashed (not expected) and is not restarted: not ready. */
	assert_false(probes_ready(rows, &why));
	assert_string_equal(why.data, "c: EXITED (exit status 1; not expected)\n");
	xr_free(rows->items[2]);
	rows->n = 2;
	buf_reset(&why);
	assert_true(probes_ready(rows, &why));
	assert_int_equal(why.len, 0);
	xr_free(rows);
	buf_free(&why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metric_and_label_names_follow_the_rules),
		cmocka_unit_test(
		    test_label_values_escape_backslash_quote_and_newline),
		cmocka_unit_test(test_label_values_are_always_utf8),
		cmocka_unit_test(
		    test_help_escapes_backslash_and_newline_not_quotes),
		cmocka_unit_test(test_bad_names_write_nothing),
		cmocka_unit_test(test_metrics_document_from_procds_answers),
		cmocka_unit_test(
		    test_readyz_lists_what_should_run_and_is_not_ready),
		cmocka_unit_test(test_readyz_with_everything_up_is_ready),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
