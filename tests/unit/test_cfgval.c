/*
 * test_cfgval.c -- typed config values (cfgval.h), spelled as supervisord
 * accepts them, and the exact messages for the ones it refuses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cfgval.h"

/* Assert that CAUSE (from a failed parse) says exactly WANT; free it. */
static void
cause_is(char *cause, const char *want)
{
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

static void
test_bool_spellings(void **state)
{
	const char *yes[] = { "true", "TRUE", "Yes", "on", "1", " true ",
	    "\ttrue\n" };
	const char *no[] = { "false", "False", "NO", "off", "0", " 0" };
	char *cause = NULL;
	bool b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		b = false;
		assert_int_equal(cfgval_bool(yes[i], &b, &cause), 0);
		assert_true(b);
	}
	for (i = 0; i < sizeof no / sizeof no[0]; i++) {
		b = true;
		assert_int_equal(cfgval_bool(no[i], &b, &cause), 0);
		assert_false(b);
	}
	assert_null(cause);
}

static void
test_bool_rejects(void **state)
{
	char *cause = NULL;
	bool b = true;

	(void)state;
	assert_int_equal(cfgval_bool("maybe", &b, &cause), -1);
	assert_true(b);		/* untouched on failure */
	cause_is(cause, "\"maybe\" is not a boolean (use true/false, yes/no, "
	    "on/off or 1/0)");
	assert_int_equal(cfgval_bool("", &b, &cause), -1);
	free(cause);
	assert_int_equal(cfgval_bool("truee", &b, &cause), -1);
	free(cause);
	assert_int_equal(cfgval_bool("a-very-long-word-that-is-no-boolean",
	    &b, &cause), -1);
	free(cause);
}

static void
test_int_like_python(void **state)
{
	char *cause = NULL;
	long v;

	(void)state;
	assert_int_equal(cfgval_int("42", 0, 100, &v, &cause), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cfgval_int(" 7\n", 0, 100, &v, &cause), 0);
	assert_int_equal(v, 7);
	assert_int_equal(cfgval_int("+3", 0, 100, &v, &cause), 0);
	assert_int_equal(v, 3);
	assert_int_equal(cfgval_int("-5", -10, 100, &v, &cause), 0);
	assert_int_equal(v, -5);
	assert_int_equal(cfgval_int("1_000", 0, 2000, &v, &cause), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(cfgval_int("007", 0, 100, &v, &cause), 0);
	assert_int_equal(v, 7);
	assert_null(cause);
}

static void
test_int_rejects(void **state)
{
	char *cause = NULL;
	long v = 99;

	(void)state;
	assert_int_equal(cfgval_int("abc", 0, 100, &v, &cause), -1);
	cause_is(cause, "\"abc\" is not a number");
	assert_int_equal(v, 99);
	assert_int_equal(cfgval_int("-1", 0, 100, &v, &cause), -1);
	cause_is(cause, "\"-1\" is out of range (0 to 100)");
	assert_int_equal(cfgval_int("99999999999999999999999", 0, LONG_MAX,
	    &v, &cause), -1);
	cause_is(cause, "\"99999999999999999999999\" is out of range "
	    "(0 to 9223372036854775807)");
	assert_int_equal(cfgval_int("", 0, 1, &v, &cause), -1);
	cause_is(cause, "\"\" is not a number");
	assert_int_equal(cfgval_int("1.5", 0, 9, &v, &cause), -1);
	free(cause);
	assert_int_equal(cfgval_int("1__0", 0, 99, &v, &cause), -1);
	free(cause);
	assert_int_equal(cfgval_int("_1", 0, 99, &v, &cause), -1);
	free(cause);
	assert_int_equal(cfgval_int("1 2", 0, 99, &v, &cause), -1);
	free(cause);
}

static void
test_size_units(void **state)
{
	char *cause = NULL;
	uint64_t v;

	(void)state;
	assert_int_equal(cfgval_size("1024", &v, &cause), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(cfgval_size("10KB", &v, &cause), 0);
	assert_int_equal(v, 10240);
	assert_int_equal(cfgval_size("50MB", &v, &cause), 0);
	assert_int_equal(v, 50 * 1024 * 1024);
	assert_int_equal(cfgval_size("1GB", &v, &cause), 0);
	assert_int_equal(v, 1024ULL * 1024 * 1024);
	assert_int_equal(cfgval_size("2mb", &v, &cause), 0);
	assert_int_equal(v, 2 * 1024 * 1024);
	assert_int_equal(cfgval_size("0", &v, &cause), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cfgval_size("10 KB", &v, &cause), 0);
	assert_int_equal(v, 10240);
	assert_null(cause);
}

static void
test_size_rejects(void **state)
{
	char *cause = NULL;
	uint64_t v;

	(void)state;
	assert_int_equal(cfgval_size("10TB", &v, &cause), -1);
	cause_is(cause, "\"10TB\" is not a size (a number of bytes, "
	    "optionally with KB, MB or GB)");
	assert_int_equal(cfgval_size("MB", &v, &cause), -1);
	free(cause);
	assert_int_equal(cfgval_size("1.5MB", &v, &cause), -1);
	free(cause);
	assert_int_equal(cfgval_size("-1", &v, &cause), -1);
	cause_is(cause, "\"-1\" is negative");
	assert_int_equal(cfgval_size("99999999999999GB", &v, &cause), -1);
	cause_is(cause, "\"99999999999999GB\" is too large");
}

static void
test_octal(void **state)
{
	char *cause = NULL;
	int v;

	(void)state;
	assert_int_equal(cfgval_octal("022", 0777, &v, &cause), 0);
	assert_int_equal(v, 022);
	assert_int_equal(cfgval_octal("0o27", 0777, &v, &cause), 0);
	assert_int_equal(v, 027);
	assert_int_equal(cfgval_octal("700", 07777, &v, &cause), 0);
	assert_int_equal(v, 0700);
	assert_int_equal(cfgval_octal("0", 0777, &v, &cause), 0);
	assert_int_equal(v, 0);
	assert_null(cause);
	assert_int_equal(cfgval_octal("089", 0777, &v, &cause), -1);
	cause_is(cause, "\"089\" is not an octal number");
	assert_int_equal(cfgval_octal("1000", 0777, &v, &cause), -1);
	cause_is(cause, "\"1000\" is out of range (0 to 0777)");
	assert_int_equal(cfgval_octal("-1", 0777, &v, &cause), -1);
	free(cause);
}

static void
test_signal_names_and_numbers(void **state)
{
	char *cause = NULL;
	int v;

	(void)state;
	assert_int_equal(cfgval_signal("TERM", &v, &cause), 0);
	assert_int_equal(v, SIGTERM);
	assert_int_equal(cfgval_signal("SIGTERM", &v, &cause), 0);
	assert_int_equal(v, SIGTERM);
	assert_int_equal(cfgval_signal("term", &v, &cause), 0);
	assert_int_equal(v, SIGTERM);
	assert_int_equal(cfgval_signal(" sigQuit ", &v, &cause), 0);
	assert_int_equal(v, SIGQUIT);
	assert_int_equal(cfgval_signal("9", &v, &cause), 0);
	assert_int_equal(v, SIGKILL);
	assert_int_equal(cfgval_signal("IOT", &v, &cause), 0);
	assert_int_equal(v, SIGABRT);
	assert_int_equal(cfgval_signal("USR2", &v, &cause), 0);
	assert_int_equal(v, SIGUSR2);
	assert_null(cause);
	assert_string_equal(cfgval_signame(SIGHUP), "HUP");
	assert_string_equal(cfgval_signame(SIGWINCH), "WINCH");
	assert_null(cfgval_signame(0));
	assert_null(cfgval_signame(200));
}

static void
test_signal_rejects(void **state)
{
	char *cause = NULL;
	int v;

	(void)state;
	assert_int_equal(cfgval_signal("QUIT|INT", &v, &cause), -1);
	cause_is(cause, "\"QUIT|INT\" is not a signal name (such as TERM, "
	    "INT, QUIT, KILL, HUP, USR1)");
	assert_int_equal(cfgval_signal("0", &v, &cause), -1);
	cause_is(cause, "\"0\" is not a valid signal number");
	assert_int_equal(cfgval_signal("999", &v, &cause), -1);
	free(cause);
	assert_int_equal(cfgval_signal("", &v, &cause), -1);
	free(cause);
	assert_int_equal(cfgval_signal("SIG", &v, &cause), -1);
	free(cause);
}

static bool
bit(const uint8_t *bits, int n)
{
	return bits[n / 8] & (1U << (n % 8));
}

static void
test_exitcodes(void **state)
{
	uint8_t bits[256 / 8];
	char *cause = NULL;
	int i, n;

	(void)state;
	assert_int_equal(cfgval_exitcodes("0,2", bits, &cause), 0);
	for (i = 0, n = 0; i < 256; i++)
		n += bit(bits, i);
	assert_int_equal(n, 2);
	assert_true(bit(bits, 0) && bit(bits, 2));
	assert_int_equal(cfgval_exitcodes(" 1 , 255", bits, &cause), 0);
	assert_true(bit(bits, 1) && bit(bits, 255) && !bit(bits, 0));
	/* supervisord: an empty list expects nothing. */
	assert_int_equal(cfgval_exitcodes("", bits, &cause), 0);
	for (i = 0; i < 256; i++)
		assert_false(bit(bits, i));
	assert_null(cause);
	assert_int_equal(cfgval_exitcodes("0,256", bits, &cause), -1);
	cause_is(cause, "\"0,256\" is not a list of exit codes (0 to 255, "
	    "separated by commas)");
	assert_int_equal(cfgval_exitcodes("0,,1", bits, &cause), -1);
	free(cause);
	assert_int_equal(cfgval_exitcodes("x", bits, &cause), -1);
	free(cause);
}

static void
test_autorestart(void **state)
{
	enum autorestart a;
	char *cause = NULL;

	(void)state;
	assert_int_equal(cfgval_autorestart("true", &a, &cause), 0);
	assert_int_equal(a, AUTORESTART_TRUE);
	assert_int_equal(cfgval_autorestart("OFF", &a, &cause), 0);
	assert_int_equal(a, AUTORESTART_FALSE);
	assert_int_equal(cfgval_autorestart("Unexpected", &a, &cause), 0);
	assert_int_equal(a, AUTORESTART_UNEXPECTED);
	assert_null(cause);
	assert_int_equal(cfgval_autorestart("always", &a, &cause), -1);
	cause_is(cause, "\"always\" is not true, false or unexpected");
}

static void
test_quote_shortens(void **state)
{
	char buf[CFGVAL_QUOTE_SIZE], big[4096];

	(void)state;
	assert_string_equal(cfgval_quote("abc", buf, sizeof buf), "\"abc\"");
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cfgval_quote(big, buf, sizeof buf);
	assert_true(strlen(buf) < sizeof buf);
	assert_int_equal(strlen(buf), CFGVAL_QUOTE_MAX + 5);
	assert_memory_equal(buf + strlen(buf) - 4, "...\"", 4);
}


/* procd's restart-policy values. */
static void
test_restart_policy_values(void **state)
{
	enum backoff_kind b;
	int n, rate[2];
	char *cause = NULL;

	(void)state;
	assert_int_equal(cfgval_backoff("Exponential", &b, &cause), 0);
	assert_int_equal(b, BACKOFF_EXPONENTIAL);
	assert_int_equal(cfgval_backoff("linear", &b, &cause), 0);
	assert_int_equal(b, BACKOFF_LINEAR);
	assert_int_equal(cfgval_backoff("fast", &b, &cause), -1);
	assert_string_equal(cause, "\"fast\" is not linear or exponential");
	free(cause);
	assert_int_equal(cfgval_retries("infinite", &n, &cause), 0);
	assert_int_equal(n, CONFIG_RETRIES_INFINITE);
	assert_int_equal(cfgval_retries("12", &n, &cause), 0);
	assert_int_equal(n, 12);
	assert_int_equal(cfgval_retries("-1", &n, &cause), -1);
	free(cause);
	assert_int_equal(cfgval_rate("5/60", rate, &cause), 0);
	assert_int_equal(rate[0], 5);
	assert_int_equal(rate[1], 60);
	assert_int_equal(cfgval_rate("0", rate, &cause), 0);
	assert_int_equal(rate[0], 0);
	assert_int_equal(cfgval_rate("5", rate, &cause), -1);
	assert_string_equal(cause, "\"5\" is not N/SECONDS (e.g. 5/60) or 0");
	free(cause);
	cause = NULL;
	assert_int_equal(cfgval_rate("5/0", rate, &cause), -1);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restart_policy_values),
		cmocka_unit_test(test_bool_spellings),
		cmocka_unit_test(test_bool_rejects),
		cmocka_unit_test(test_int_like_python),
		cmocka_unit_test(test_int_rejects),
		cmocka_unit_test(test_size_units),
		cmocka_unit_test(test_size_rejects),
		cmocka_unit_test(test_octal),
		cmocka_unit_test(test_signal_names_and_numbers),
		cmocka_unit_test(test_signal_rejects),
		cmocka_unit_test(test_exitcodes),
		cmocka_unit_test(test_autorestart),
		cmocka_unit_test(test_quote_shortens),
	};

	return cmocka_run_group_tests_name("cfgval", tests, NULL, NULL);
}
