/*
 * test_health.c -- the keys of issue 15's "health that acts" and "a
 * native way to say it": health= and its numbers, shutdown_on=, read from
 * a real config file; the HTTP status line a check accepts; and what the
 * state machine does with PEV_UNHEALTHY and shutdown_on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "cfgdiff.h"
#include "cfghealth.h"
#include "config.h"
#include "health.h"
#include "httpstat.h"
#include "proc.h"
#include "render.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static void
cause_is(char *cause, const char *want)
{
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

/* ---- health= ---- */

static struct health_config
check_ok(const char *s)
{
	struct health_config h = { .interval = 7, .timeout = 3,
	    .retries = 2 };
	char *cause = NULL;

	assert_int_equal(cfghealth_check(s, &h, &cause), 0);
	assert_null(cause);
	/* The numbers are other keys': left alone. */
	assert_int_equal(h.interval, 7);
	assert_int_equal(h.timeout, 3);
	assert_int_equal(h.retries, 2);
	return h;
}

static void
test_check_tcp_and_exec_as_ready(void **state)
{
	struct health_config h;

	(void)state;
	h = check_ok("tcp:127.0.0.1:8080");
	assert_int_equal(h.check->kind, CHECK_TCP);
	assert_string_equal(h.check->host, "127.0.0.1");
	assert_string_equal(h.check->port, "8080");
	cfghealth_free(&h);
	h = check_ok(" TCP:[::1]:80 ");
	assert_int_equal(h.check->kind, CHECK_TCP);
	assert_string_equal(h.check->host, "::1");
	cfghealth_free(&h);
	h = check_ok("exec:curl -fs http://x/ | grep -q ok");
	assert_int_equal(h.check->kind, CHECK_EXEC);
	assert_string_equal(h.check->command, "curl -fs http://x/ | grep -q ok");
	cfghealth_free(&h);
	h = check_ok("none");
	assert_null(h.check);
}

static void
http_is(const char *url, const char *host, const char *port,
    const char *authority, const char *path)
{
	struct health_config h = check_ok(url);

	assert_int_equal(h.check->kind, CHECK_HTTP);
	assert_string_equal(h.check->host, host);
	assert_string_equal(h.check->port, port);
	assert_string_equal(h.check->authority, authority);
	assert_string_equal(h.check->path, path);
	cfghealth_free(&h);
	cfghealth_free(&h);	/* idempotent */
}

static void
test_check_http_urls(void **state)
{
	(void)state;
	http_is("http://127.0.0.1:8080/healthz", "127.0.0.1", "8080",
	    "127.0.0.1:8080", "/healthz");
	http_is("http://localhost", "localhost", "80", "localhost", "/");
	http_is("http://localhost/", "localhost", "80", "localhost", "/");
	http_is("HTTP://h:1/a/b?x=1&y", "h", "1", "h:1", "/a/b?x=1&y");
	http_is("http://h:0080?q", "h", "80", "h:0080", "/?q");
	http_is("http://[::1]:9000/ping", "::1", "9000", "[::1]:9000",
	    "/ping");
	http_is("http://[fe80::1]/", "fe80::1", "80", "[fe80::1]", "/");
}

static void
check_bad(const char *s, const char *want)
{
	static struct check_spec keep = { .kind = CHECK_TCP };
	struct health_config h = { .check = &keep };
	char *cause = NULL;

	assert_int_equal(cfghealth_check(s, &h, &cause), -1);
	assert_ptr_equal(h.check, &keep);	/* untouched */
	cause_is(cause, want);
}

static void
test_check_rejects(void **state)
{
	static const char *const bad_urls[] = {
		"http://", "http:///x", "http://h:/", "http://h:0/",
		"http://h:65536/", "http://h:8x/", "http://u:p@h/",
		"http://[::1/", "http://[]/", "http://[::1]x/",
		"http://h/a b", "http://h/\x01", "http://h/#frag",
		"http://h:1:2/",
	};
	char want[256];

	(void)state;
	check_bad("https://h/", "\"https://h/\": https is not supported "
	    "(check the plain http port, or use exec: with curl)");
	check_bad("ping", "\"ping\" is not a health check (use none, "
	    "tcp:HOST:PORT, http://HOST:PORT/PATH or exec:COMMAND)");
	check_bad("", "\"\" is not a health check (use none, "
	    "tcp:HOST:PORT, http://HOST:PORT/PATH or exec:COMMAND)");
	check_bad("notify", "\"notify\" is not a health check (use none, "
	    "tcp:HOST:PORT, http://HOST:PORT/PATH or exec:COMMAND)");
	check_bad("tcp:8080", "\"tcp:8080\" is not tcp:HOST:PORT (e.g. "
	    "tcp:127.0.0.1:5432 or tcp:[::1]:80)");
	check_bad("exec: ", "\"exec: \" is not a health check (use none, "
	    "tcp:HOST:PORT, http://HOST:PORT/PATH or exec:COMMAND)");
	for (size_t i = 0; i < nitems(bad_urls); i++) {
		char q[128];
		snprintf(q, sizeof q, "\"%s\"", bad_urls[i]);
		snprintf(want, sizeof want, "%s is not "
		    "http://HOST[:PORT][/PATH] (e.g. "
		    "http://127.0.0.1:8080/healthz)", q);
		check_bad(bad_urls[i], want);
	}
}

/* ---- shutdown_on= ---- */

static void
test_shutdown_on_values(void **state)
{
	static const struct {
		const char	*s;
		enum shutdown_on v;
	} ok[] = {
		{ "never", SHUTDOWN_ON_NEVER }, { "fatal", SHUTDOWN_ON_FATAL },
		{ " Unexpected ", SHUTDOWN_ON_UNEXPECTED },
		{ "EXIT", SHUTDOWN_ON_EXIT },
	};
	enum shutdown_on v = SHUTDOWN_ON_EXIT;
	char *cause = NULL;

	(void)state;
	for (size_t i = 0; i < nitems(ok); i++) {
		assert_int_equal(cfghealth_shutdown_on(ok[i].s, &v, &cause),
		    0);
		assert_int_equal(v, ok[i].v);
	}
	assert_int_equal(cfghealth_shutdown_on("true", &v, &cause), -1);
	cause_is(cause, "\"true\" is not one of never, fatal, unexpected, "
	    "exit");
	assert_int_equal(cfghealth_shutdown_on("fatal,exit", &v, &cause), -1);
	free(cause);
	assert_int_equal(cfghealth_shutdown_on("unexpectedly-long-word", &v,
	    &cause), -1);
	free(cause);
	assert_int_equal(v, SHUTDOWN_ON_EXIT);
}

/* ---- the keys in a config file ---- */

static struct config *
load(const char *text, struct diag_list *dl)
{
	char path[] = "/tmp/procd-test-health-XXXXXX";
	int fd = mkstemp(path);
	struct config *cf;
	FILE *f;

	assert_true(fd != -1);
	assert_non_null(f = fdopen(fd, "w"));
	fprintf(f, "[procd]\nsocket = /tmp/procd-test-health.sock\n"
	    "logfile = /tmp/procd-test-health.log\n%s", text);
	assert_int_equal(fclose(f), 0);
	memset(dl, 0, sizeof *dl);
	cf = config_load(path, dl);
	unlink(path);
	return cf;
}

static void
test_config_defaults(void **state)
{
	struct diag_list dl;
	struct config *cf = load("[program:a]\ncommand = sleep 1\n", &dl);

	(void)state;
	assert_non_null(cf);
	assert_null(cf->progs[0].health.check);
	assert_int_equal(cf->progs[0].health.interval, 10);
	assert_int_equal(cf->progs[0].health.timeout, 5);
	assert_int_equal(cf->progs[0].health.retries, 3);
	assert_int_equal(cf->progs[0].shutdown_on, SHUTDOWN_ON_NEVER);
	assert_int_equal(dl.n, 0);
	config_free(cf);
	diag_free(&dl);
}

static void
test_config_keys(void **state)
{
	struct diag_list dl;
	struct config *cf = load("[program:a]\ncommand = sleep 1\n"
	    "health = http://127.0.0.1:%(process_num)d808/healthz\n"
	    "health_interval = 2\nhealth_timeout = 1\nhealth_retries = 5\n"
	    "shutdown_on = unexpected\n", &dl);
	const struct program_config *p;

	(void)state;
	assert_non_null(cf);
	assert_int_equal(dl.n, 0);
	p = &cf->progs[0];
	assert_int_equal(p->health.check->kind, CHECK_HTTP);
	assert_string_equal(p->health.check->port, "808");
	assert_string_equal(p->health.check->path, "/healthz");
	assert_int_equal(p->health.interval, 2);
	assert_int_equal(p->health.timeout, 1);
	assert_int_equal(p->health.retries, 5);
	assert_int_equal(p->shutdown_on, SHUTDOWN_ON_UNEXPECTED);
	config_free(cf);
	diag_free(&dl);
}

static void
diag_has(const struct diag_list *dl, enum diag_severity sev, int line,
    const char *msg)
{
	for (size_t i = 0; i < dl->n; i++)
		if (dl->v[i].severity == sev && dl->v[i].line == line &&
		    strcmp(dl->v[i].msg, msg) == 0)
			return;
	for (size_t i = 0; i < dl->n; i++)
		fprintf(stderr, "%d: %s\n", dl->v[i].line, dl->v[i].msg);
	fail_msg("no diagnostic at line %d: %s", line, msg);
}

static void
test_config_errors_with_lines(void **state)
{
	struct diag_list dl;
	struct config *cf = load("[program:a]\ncommand = sleep 1\n"
	    "health_interval = 0\n"				/* line 6 */
	    "health_retries = many\n"				/* 7 */
	    "health = https://x/\n"				/* 8 */
	    "shutdown_on = always\n"				/* 9 */
	    "[program:b]\ncommand = sleep 1\nhealth_timeout = 9\n", &dl);

	(void)state;
	assert_null(cf);
	diag_has(&dl, DIAG_ERROR, 6, "[program:a] health_interval: \"0\" is "
	    "out of range (1 to 86400)");
	diag_has(&dl, DIAG_ERROR, 7, "[program:a] health_retries: \"many\" "
	    "is not a number");
	diag_has(&dl, DIAG_ERROR, 8, "[program:a] health: \"https://x/\": "
	    "https is not supported (check the plain http port, or use "
	    "exec: with curl)");
	diag_has(&dl, DIAG_ERROR, 9, "[program:a] shutdown_on: \"always\" is "
	    "not one of never, fatal, unexpected, exit");
	diag_has(&dl, DIAG_WARNING, 12, "[program:b] health_timeout: does "
	    "nothing without health=");
	diag_free(&dl);
}

static void
test_update_applies_them_live(void **state)
{
	struct diag_list dl;
	struct config *a = load("[program:a]\ncommand = sleep 1\n", &dl);
	struct config *b;
	char keys[256];

	(void)state;
	diag_free(&dl);
	b = load("[program:a]\ncommand = sleep 1\nhealth = tcp:h:1\n"
	    "shutdown_on = fatal\n", &dl);
	diag_free(&dl);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(cfgdiff_program(&a->progs[0], &b->progs[0], keys,
	    sizeof keys), DIFF_LIVE);
	assert_string_equal(keys, "health, shutdown_on");
	config_free(a);
	config_free(b);
}

/* ---- the HTTP status line ---- */

static void
status_is(const char *s, int want)
{
	int code = -1;

	assert_int_equal(httpstat_parse(s, strlen(s), &code), 1);
	assert_int_equal(code, want);
}

static void
test_status_line_complete(void **state)
{
	(void)state;
	status_is("HTTP/1.1 200 OK\r\n", 200);
	status_is("HTTP/1.0 204\r\n", 204);
	status_is("HTTP/1.1 500 Internal Server Error\r\n", 500);
	status_is("HTTP/1.1 301\n", 301);
	status_is("HTTP/2.0 299 whatever", 299);
	status_is("HTTP/1.1 999 ", 999);
}

static void
test_status_line_partial_then_decided(void **state)
{
	const char *s = "HTTP/1.1 200 OK\r\n";
	int code = 0;

	(void)state;
	for (size_t n = 0; n < HTTPSTAT_DECIDES; n++)
		assert_int_equal(httpstat_parse(s, n, &code), 0);
	for (size_t n = HTTPSTAT_DECIDES; n <= strlen(s); n++) {
		assert_int_equal(httpstat_parse(s, n, &code), 1);
		assert_int_equal(code, 200);
	}
}

static void
test_status_line_rejects(void **state)
{
	static const char *const bad[] = {
		"http/1.1 200 OK\r\n", "HTTP/1.1 20 OK\r\n",
		"HTTP/1.1 2000 OK\r\n", "HTTP/11 200 OK\r\n",
		"HTTP/1.1  200 OK\r\n", "HTTP/1.1 099 x\r\n",
		"HTTP/1.1 200\tOK\r\n", "SSH-2.0-OpenSSH_9.2\r\n",
		"<html>", "\x1b[31mHTTP/1.1 200", "HTTP/1.1 +20 OK",
	};
	int code = 42;

	(void)state;
	for (size_t i = 0; i < nitems(bad); i++)
		assert_int_equal(httpstat_parse(bad[i], strlen(bad[i]),
		    &code), -1);
	/* Refused as soon as a byte cannot fit. */
	assert_int_equal(httpstat_parse("X", 1, &code), -1);
	assert_int_equal(httpstat_parse("HTTP/x", 6, &code), -1);
	assert_int_equal(code, 42);
}

static void
test_request(void **state)
{
	char buf[256], tiny[32];
	int n;

	(void)state;
	n = httpstat_request(buf, sizeof buf, "[::1]:8080", "/healthz?a=1");
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(buf));
	assert_memory_equal(buf, "GET /healthz?a=1 HTTP/1.0\r\n"
	    "Host: [::1]:8080\r\n", 45);
	assert_non_null(strstr(buf, "\r\nConnection: close\r\n\r\n"));
	assert_int_equal(httpstat_request(tiny, sizeof tiny, "h", "/"), -1);
}

/* ---- the state machine ---- */

static struct program_config
program(void)
{
	struct program_config c;

	memset(&c, 0, sizeof c);
	c.name = c.group = c.program = "web";
	c.autorestart = AUTORESTART_UNEXPECTED;
	c.startsecs = 0;
	c.startretries = 1;
	c.exitcodes[0] = 1;
	c.stopsignal = SIGTERM;
	c.stopwaitsecs = 10;
	return c;
}

/* STOPPED -> RUNNING with pid PID at NOW (startsecs=0). */
static void
run(struct process *p, pid_t pid, int64_t now)
{
	assert_int_equal(proc_step(p, PEV_START, now), PACT_SPAWN);
	p->pid = pid;
	proc_step(p, PEV_SPAWNED, now);
	proc_step(p, PEV_DEADLINE, now);
	assert_int_equal(p->state, PROC_RUNNING);
}

static void
test_unhealthy_restarts_as_unexpected_exit(void **state)
{
	struct program_config c = program();
	struct process p;

	(void)state;
	proc_init(&p, &c);
	run(&p, 100, 1000);
	strcpy(p.spawnerr, "health check failed 3 times in a row: x");
	assert_int_equal(proc_step(&p, PEV_UNHEALTHY, 2000), PACT_STOP);
	assert_int_equal(p.state, PROC_STOPPING);
	p.wstatus = W_EXITCODE(0, SIGTERM);
	assert_int_equal(proc_step(&p, PEV_EXITED, 2100), PACT_SPAWN);
	assert_int_equal(p.state, PROC_EXITED);
	assert_false(p.exit_expected);
	p.pid = 101;
	proc_step(&p, PEV_SPAWNED, 2100);
	assert_int_equal(p.restarts, 1);
	assert_false(p.health_failed);
	/* Not RUNNING: ignored. */
	assert_int_equal(proc_step(&p, PEV_UNHEALTHY, 2200), 0);
	assert_int_equal(p.state, PROC_STARTING);
}

static void
test_unhealthy_with_autorestart_false_stays_exited(void **state)
{
	struct program_config c = program();
	struct process p;

	(void)state;
	c.autorestart = AUTORESTART_FALSE;
	proc_init(&p, &c);
	run(&p, 100, 1000);
	proc_step(&p, PEV_UNHEALTHY, 2000);
	p.wstatus = W_EXITCODE(0, SIGTERM);
	assert_int_equal(proc_step(&p, PEV_EXITED, 2100), 0);
	assert_int_equal(p.state, PROC_EXITED);
	assert_string_equal(p.spawnerr, "");	/* kept until a spawn */
}

static bool
shuts_down(enum shutdown_on on, enum proc_state s, bool expected)
{
	struct program_config c = program();
	struct process p;

	c.shutdown_on = on;
	proc_init(&p, &c);
	p.state = s;
	p.exit_expected = expected;
	return proc_shuts_down(&p);
}

static void
test_shutdown_on_ladder(void **state)
{
	(void)state;
	assert_false(shuts_down(SHUTDOWN_ON_NEVER, PROC_FATAL, false));
	assert_false(shuts_down(SHUTDOWN_ON_NEVER, PROC_EXITED, false));
	assert_true(shuts_down(SHUTDOWN_ON_FATAL, PROC_FATAL, false));
	assert_false(shuts_down(SHUTDOWN_ON_FATAL, PROC_EXITED, false));
	assert_true(shuts_down(SHUTDOWN_ON_UNEXPECTED, PROC_FATAL, false));
	assert_true(shuts_down(SHUTDOWN_ON_UNEXPECTED, PROC_EXITED, false));
	assert_false(shuts_down(SHUTDOWN_ON_UNEXPECTED, PROC_EXITED, true));
	assert_true(shuts_down(SHUTDOWN_ON_EXIT, PROC_EXITED, true));
	assert_true(shuts_down(SHUTDOWN_ON_EXIT, PROC_FATAL, false));
	for (int s = 0; s < PROC_NSTATES; s++)
		if (s != PROC_EXITED && s != PROC_FATAL)
			assert_false(shuts_down(SHUTDOWN_ON_EXIT,
			    (enum proc_state)s, false));
}

static void
test_shutdown_on_exit_is_not_restarted(void **state)
{
	struct program_config c = program();
	struct process p;

	(void)state;
	c.autorestart = AUTORESTART_TRUE;
	c.shutdown_on = SHUTDOWN_ON_UNEXPECTED;
	proc_init(&p, &c);
	run(&p, 100, 1000);
	p.wstatus = W_EXITCODE(0, 0);		/* expected: restarted */
	assert_int_equal(proc_step(&p, PEV_EXITED, 2000), PACT_SPAWN);
	p.pid = 101;
	proc_step(&p, PEV_SPAWNED, 2000);
	proc_step(&p, PEV_DEADLINE, 2000);
	p.wstatus = W_EXITCODE(3, 0);		/* unexpected: procd ends */
	assert_int_equal(proc_step(&p, PEV_EXITED, 3000), 0);
	assert_int_equal(p.state, PROC_EXITED);
	assert_true(proc_shuts_down(&p));
}

/* ---- status ---- */

static void
test_status_text_shows_the_last_check(void **state)
{
	struct program_config c = program();
	struct health_info h = { .checks = 4, .failures = 0,
	    .have_result = true, .last_ok = true };
	struct render_row r;
	struct process p;
	char out[256];

	(void)state;
	static char t[] = "true";
	static struct check_spec ex = { .kind = CHECK_EXEC, .command = t };

	c.health.check = &ex;
	c.health.retries = 3;
	proc_init(&p, &c);
	run(&p, 4242, 1000);
	r = (struct render_row){ .p = &p, .name = "web", .health = &h };
	render_description(&r, 1000 + 5000, 0, out, sizeof out);
	assert_string_equal(out, "pid 4242, uptime 0:00:05, health ok");
	h.failures = 1;
	h.last_ok = false;
	strcpy(h.last, "HTTP status 500");
	render_description(&r, 1000 + 5000, 0, out, sizeof out);
	assert_string_equal(out, "pid 4242, uptime 0:00:05, health failing "
	    "1/3: HTTP status 500");
	h.have_result = false;	/* before the first check: nothing */
	render_description(&r, 1000 + 5000, 0, out, sizeof out);
	assert_string_equal(out, "pid 4242, uptime 0:00:05");
}

static void
test_status_json_health(void **state)
{
	struct program_config c = program();
	struct health_info h = { .checks = 2, .failures = 1,
	    .have_result = true, .last_ok = false, .last_wall = 1700000000 };
	struct render_row r;
	struct process p;
	struct buf b;

	(void)state;
	static char host[] = "::1", port[] = "8080", auth[] = "[::1]:8080",
	    path[] = "/healthz";
	static struct check_spec hc = { .kind = CHECK_HTTP, .host = host,
	    .port = port, .authority = auth, .path = path };

	c.health = (struct health_config){ .check = &hc, .interval = 10,
	    .timeout = 5, .retries = 3 };
	strcpy(h.last, "HTTP status 503");
	proc_init(&p, &c);
	run(&p, 4242, 1000);
	r = (struct render_row){ .p = &p, .name = "web", .health = &h };
	buf_init(&b);
	render_status_json(&b, &r, 1, 2000, 1700000001);
	buf_add(&b, "", 1);
	assert_non_null(strstr(b.data, "\"health\":{\"check\":"
	    "\"http://[::1]:8080/healthz\",\"interval\":10,\"timeout\":5,"
	    "\"retries\":3,\"checks\":2,\"failures\":1,\"last_ok\":false,"
	    "\"last_result\":\"HTTP status 503\",\"last_time\":1700000000}"));
	buf_free(&b);
	r.health = NULL;
	buf_init(&b);
	render_status_json(&b, &r, 1, 2000, 1700000001);
	buf_add(&b, "", 1);
	assert_non_null(strstr(b.data, "\"health\":null"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_tcp_and_exec_as_ready),
		cmocka_unit_test(test_check_http_urls),
		cmocka_unit_test(test_check_rejects),
		cmocka_unit_test(test_shutdown_on_values),
		cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(test_config_keys),
		cmocka_unit_test(test_config_errors_with_lines),
		cmocka_unit_test(test_update_applies_them_live),
		cmocka_unit_test(test_status_line_complete),
		cmocka_unit_test(test_status_line_partial_then_decided),
		cmocka_unit_test(test_status_line_rejects),
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_unhealthy_restarts_as_unexpected_exit),
		cmocka_unit_test(
		    test_unhealthy_with_autorestart_false_stays_exited),
		cmocka_unit_test(test_shutdown_on_ladder),
		cmocka_unit_test(test_shutdown_on_exit_is_not_restarted),
		cmocka_unit_test(test_status_text_shows_the_last_check),
		cmocka_unit_test(test_status_json_health),
	};

	return cmocka_run_group_tests_name("health", tests, NULL, NULL);
}
