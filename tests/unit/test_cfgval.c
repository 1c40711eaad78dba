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

/* supervisord's set: Python's second names and the real-time bounds; the
 * signal command takes exactly this set too (cmd.c). */
static void
test_signal_aliases_and_realtime(void **state)
{
	char *cause = NULL;
	int v;

	(void)state;
	assert_int_equal(cfgval_signal("CLD", &v, &cause), 0);
	assert_int_equal(v, SIGCHLD);
	assert_int_equal(cfgval_signal("sigcld", &v, &cause), 0);
	assert_int_equal(v, SIGCHLD);
	assert_int_equal(cfgval_signal("POLL", &v, &cause), 0);
	assert_int_equal(v, SIGIO);
	assert_int_equal(cfgval_signal("SIGRTMIN", &v, &cause), 0);
	assert_int_equal(v, SIGRTMIN);
	assert_int_equal(cfgval_signal("rtmax", &v, &cause), 0);
	assert_int_equal(v, SIGRTMAX);
	assert_int_equal(cfgval_signal("40", &v, &cause), 0);
	assert_int_equal(v, 40);
	assert_null(cause);
	/* Reserved by glibc below SIGRTMIN: no name, not real-time. */
	assert_int_equal(cfgval_signal("32", &v, &cause), -1);
	cause_is(cause, "\"32\" is not a valid signal number");
	assert_int_equal(cfgval_signal("RTMIN+1", &v, &cause), -1);
	free(cause);
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

/* ===================== ready= ===================== */

/* Parse S as ready=; it must succeed. */
static struct ready_config
ready_ok(const char *s)
{
	struct ready_config r;
	char *cause = NULL;

	memset(&r, 0x5a, sizeof r);
	if (cfgval_ready(s, &r, &cause) != 0)
		fail_msg("ready=%s refused: %s", s, cause ? cause : "?");
	assert_null(cause);
	return r;
}

/* Parse S as ready=; it must fail, leave the output alone, and say WANT
 * somewhere in its message (the exact wording is for people). */
static void
ready_bad(const char *s, const char *want)
{
	struct ready_config r, before;
	char *cause = NULL;

	memset(&r, 0x5a, sizeof r);
	before = r;
	assert_int_equal(cfgval_ready(s, &r, &cause), -1);
	assert_memory_equal(&r, &before, sizeof r);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("ready=%s: cause \"%s\" does not mention \"%s\"", s,
		    cause, want);
	free(cause);
}

static void
test_ready_startsecs_and_notify(void **state)
{
	const char *ss[] = { "startsecs", "STARTSECS", " startsecs\t" };
	const char *nt[] = { "notify", "Notify", " notify " };
	struct ready_config r;

	(void)state;
	for (size_t i = 0; i < sizeof ss / sizeof ss[0]; i++) {
		r = ready_ok(ss[i]);
		assert_int_equal(r.kind, READY_STARTSECS);
		assert_null(r.check);
		cfgval_ready_free(&r);
	}
	for (size_t i = 0; i < sizeof nt / sizeof nt[0]; i++) {
		r = ready_ok(nt[i]);
		assert_int_equal(r.kind, READY_NOTIFY);
		assert_null(r.check);
		cfgval_ready_free(&r);
	}
}

static void
test_ready_fd(void **state)
{
	struct ready_config r;

	(void)state;
	r = ready_ok("fd:3");
	assert_int_equal(r.kind, READY_FD);
	assert_int_equal(r.fd, 3);
	assert_null(r.check);
	cfgval_ready_free(&r);
	r = ready_ok("fd:1023");
	assert_int_equal(r.kind, READY_FD);
	assert_int_equal(r.fd, 1023);
	cfgval_ready_free(&r);
	r = ready_ok("  fd:7");
	assert_int_equal(r.fd, 7);
	cfgval_ready_free(&r);

	ready_bad("fd:2", "3");
	ready_bad("fd:0", "3");
	ready_bad("fd:-1", "3");
	ready_bad("fd:x", "fd:x");
	ready_bad("fd:", "fd:");
	ready_bad("fd:1024", "1023");
	ready_bad("fd:3.5", "fd:3.5");
}

static void
test_ready_tcp(void **state)
{
	struct ready_config r;

	(void)state;
	r = ready_ok("tcp:127.0.0.1:5432");
	assert_int_equal(r.kind, READY_CHECK);
	assert_int_equal(r.check->kind, CHECK_TCP);
	assert_string_equal(r.check->host, "127.0.0.1");
	assert_string_equal(r.check->port, "5432");
	assert_null(r.check->command);
	cfgval_ready_free(&r);
	assert_null(r.check);

	r = ready_ok("tcp:db.local:1");
	assert_string_equal(r.check->host, "db.local");
	assert_string_equal(r.check->port, "1");
	cfgval_ready_free(&r);

	r = ready_ok("tcp:localhost:65535");
	assert_string_equal(r.check->host, "localhost");
	assert_string_equal(r.check->port, "65535");
	cfgval_ready_free(&r);

	/* IPv6 in brackets; the brackets are not part of the host */
	r = ready_ok("tcp:[::1]:80");
	assert_int_equal(r.kind, READY_CHECK);
	assert_int_equal(r.check->kind, CHECK_TCP);
	assert_string_equal(r.check->host, "::1");
	assert_string_equal(r.check->port, "80");
	cfgval_ready_free(&r);
	r = ready_ok("tcp:[fe80::1%eth0]:8080");
	assert_string_equal(r.check->host, "fe80::1%eth0");
	assert_string_equal(r.check->port, "8080");
	cfgval_ready_free(&r);
}

static void
test_ready_tcp_rejects(void **state)
{
	(void)state;
	ready_bad("tcp:host", "tcp:host");
	ready_bad("tcp:host", "tcp:HOST:PORT");
	ready_bad("tcp:host:0", "tcp:host:0");
	ready_bad("tcp:host:70000", "tcp:host:70000");
	ready_bad("tcp:host:65536", "tcp:HOST:PORT");
	ready_bad("tcp:host:", "tcp:HOST:PORT");
	ready_bad("tcp:host:http", "tcp:HOST:PORT");
	ready_bad("tcp::80", "tcp:HOST:PORT");
	ready_bad("tcp:", "tcp:HOST:PORT");
	ready_bad("tcp:[]:80", "tcp:HOST:PORT");
	ready_bad("tcp:[::1]80", "tcp:HOST:PORT");
	ready_bad("tcp:[::1]", "tcp:HOST:PORT");
	ready_bad("tcp:[::1:80", "tcp:HOST:PORT");
}

/*
 * The port is kept as text and handed to getaddrinfo(AI_NUMERICSERV) when
 * the program starts: what the parser accepts must be usable there, so an
 * accepted port is plain digits (glibc refuses "8_080" and "80 ").
 */
static void
test_ready_tcp_port_is_plain_digits(void **state)
{
	const char *v[] = { "tcp:127.0.0.1:8_080", "tcp:127.0.0.1:80 " };
	char *cause, bad[256] = "";

	(void)state;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct ready_config r = { 0 };
		size_t n = strlen(bad);

		cause = NULL;
		if (cfgval_ready(v[i], &r, &cause) == -1) {
			free(cause);
			continue;
		}
		assert_non_null(r.check->port);
		if (r.check->port[strspn(r.check->port, "0123456789")] != '\0')
			snprintf(bad + n, sizeof bad - n, " [%s] -> port "
			    "\"%s\";", v[i], r.check->port);
		cfgval_ready_free(&r);
	}
	if (bad[0] != '\0')
		fail_msg("accepted with a port getaddrinfo(AI_NUMERICSERV) "
		    "may refuse:%s", bad);
}

static void
test_ready_exec(void **state)
{
	struct ready_config r;

	(void)state;
	r = ready_ok("exec:pg_isready -h 127.0.0.1 -q");
	assert_int_equal(r.kind, READY_CHECK);
	assert_int_equal(r.check->kind, CHECK_EXEC);
	assert_string_equal(r.check->command, "pg_isready -h 127.0.0.1 -q");
	assert_null(r.check->host);
	assert_null(r.check->port);
	cfgval_ready_free(&r);
	assert_null(r.check);
	/* the rest is the command, colons and all */
	r = ready_ok("exec:curl -fs http://localhost:8080/health");
	assert_string_equal(r.check->command,
	    "curl -fs http://localhost:8080/health");
	cfgval_ready_free(&r);

	ready_bad("exec:", "exec:");
}

static void
test_ready_rejects_other_words(void **state)
{
	(void)state;
	ready_bad("bogus", "bogus");
	ready_bad("bogus", "startsecs");	/* says what is allowed */
	ready_bad("", "\"\"");
	ready_bad("notify:1", "notify:1");
	ready_bad("startsecs=5", "startsecs=5");
	ready_bad("fd", "\"fd\"");
	ready_bad("tcp", "\"tcp\"");
	ready_bad("exec", "\"exec\"");
	ready_bad("https://x", "https");
}

/* http:// as health= reads it: ready= takes the same checks. */
static void
test_ready_http(void **state)
{
	struct ready_config r;

	(void)state;
	r = ready_ok("http://127.0.0.1:8080/healthz?full=1");
	assert_int_equal(r.kind, READY_CHECK);
	assert_int_equal(r.check->kind, CHECK_HTTP);
	assert_string_equal(r.check->host, "127.0.0.1");
	assert_string_equal(r.check->port, "8080");
	assert_string_equal(r.check->authority, "127.0.0.1:8080");
	assert_string_equal(r.check->path, "/healthz?full=1");
	cfgval_ready_free(&r);
	r = ready_ok("http://[::1]");
	assert_string_equal(r.check->host, "::1");
	assert_string_equal(r.check->port, "80");
	assert_string_equal(r.check->path, "/");
	cfgval_ready_free(&r);
	ready_bad("http://", "http://HOST[:PORT][/PATH]");
	ready_bad("http://u:p@h/", "http://HOST[:PORT][/PATH]");
}

static void
test_ready_free_is_idempotent(void **state)
{
	struct ready_config r = { 0 };

	(void)state;
	cfgval_ready_free(&r);			/* all NULL: fine */
	r = ready_ok("tcp:[::1]:80");
	cfgval_ready_free(&r);
	assert_int_equal(r.kind, READY_STARTSECS);
	cfgval_ready_free(&r);			/* zeroed: fine again */
}

/* ===================== lists ===================== */

/* Split S; the items must be exactly WANT (NULL-terminated). */
static void
list_is(const char *s, const char *const *want)
{
	char **v = cfgval_list(s);
	size_t i;

	assert_non_null(v);
	for (i = 0; want[i] != NULL; i++) {
		if (v[i] == NULL)
			fail_msg("\"%s\": %zu items, want more", s, i);
		assert_string_equal(v[i], want[i]);
	}
	assert_null(v[i]);
	cfgval_list_free(v);
}

#define L(...) ((const char *const[]){ __VA_ARGS__ })

static void
test_list_splits_and_strips(void **state)
{
	(void)state;
	list_is("a", L("a", NULL));
	list_is("a,b,c", L("a", "b", "c", NULL));
	list_is(" a , b,c\t", L("a", "b", "c", NULL));
	list_is("\tdb,\n cache:* ,web:web \r\n", L("db", "cache:*",
	    "web:web", NULL));
	list_is("  spaced name  ", L("spaced name", NULL));
	list_is("", L(NULL));
}

/* Empty items stay, as "", so the caller can refuse them. */
static void
test_list_keeps_empty_items(void **state)
{
	(void)state;
	list_is("a,,b", L("a", "", "b", NULL));
	list_is("a,", L("a", "", NULL));
	list_is(",a", L("", "a", NULL));
	list_is(" , ", L("", "", NULL));
}

static void
test_list_free_of_null(void **state)
{
	(void)state;
	cfgval_list_free(NULL);
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
		cmocka_unit_test(test_signal_aliases_and_realtime),
		cmocka_unit_test(test_signal_rejects),
		cmocka_unit_test(test_exitcodes),
		cmocka_unit_test(test_autorestart),
		cmocka_unit_test(test_quote_shortens),
		cmocka_unit_test(test_ready_startsecs_and_notify),
		cmocka_unit_test(test_ready_fd),
		cmocka_unit_test(test_ready_tcp),
		cmocka_unit_test(test_ready_tcp_rejects),
		cmocka_unit_test(test_ready_tcp_port_is_plain_digits),
		cmocka_unit_test(test_ready_exec),
		cmocka_unit_test(test_ready_rejects_other_words),
		cmocka_unit_test(test_ready_http),
		cmocka_unit_test(test_ready_free_is_idempotent),
		cmocka_unit_test(test_list_splits_and_strips),
		cmocka_unit_test(test_list_keeps_empty_items),
		cmocka_unit_test(test_list_free_of_null),
	};

	return cmocka_run_group_tests_name("cfgval", tests, NULL, NULL);
}
