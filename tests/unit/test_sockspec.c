/*
 * test_sockspec.c -- socket URLs and the sockets= list (sockspec.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockspec.h"

/* TEXT parses as a URL to CANONICAL. */
static void
url_ok(const char *text, const char *canonical)
{
	struct sockspec s;
	char *cause = NULL;

	if (sockspec_url(text, &s, &cause) == -1)
		fail_msg("%s: %s", text, cause);
	assert_string_equal(s.url, canonical);
	assert_int_equal(s.mode, -1);
	assert_int_equal(s.backlog, -1);
	sockspec_free(&s);
}

/* TEXT is refused with a cause containing WHY. */
static void
url_bad(const char *text, const char *why)
{
	struct sockspec s;
	char *cause = NULL;

	if (sockspec_url(text, &s, &cause) == 0)
		fail_msg("%s: accepted as %s", text, s.url);
	assert_non_null(cause);
	if (strstr(cause, why) == NULL)
		fail_msg("%s: cause '%s' lacks '%s'", text, cause, why);
	free(cause);
}

static void
test_tcp_urls(void **state)
{
	struct sockspec s;
	char *cause = NULL;

	(void)state;
	url_ok("tcp://127.0.0.1:8000", "tcp://127.0.0.1:8000");
	/* supervisord compares hosts without case */
	url_ok("tcp://LocalHost:9000", "tcp://localhost:9000");
	url_ok("tcp://[::1]:8000", "tcp://[::1]:8000");
	url_ok("tcp://*:1", "tcp://*:1");
	assert_int_equal(sockspec_url("tcp://[::1]:65535", &s, &cause), 0);
	assert_int_equal(s.kind, SOCKSPEC_TCP);
	assert_string_equal(s.host, "::1");
	assert_string_equal(s.port, "65535");
	assert_null(s.path);
	sockspec_free(&s);
}

static void
test_tcp_urls_refused(void **state)
{
	(void)state;
	url_bad("tcp://localhost", "expected tcp://HOST:PORT");
	url_bad("tcp://:8000", "expected tcp://HOST:PORT");
	url_bad("tcp://host:0", "1 to 65535");
	url_bad("tcp://host:65536", "1 to 65535");
	url_bad("tcp://host:80a", "1 to 65535");
	url_bad("tcp://host:", "1 to 65535");
	url_bad("tcp://host:-1", "1 to 65535");
	url_bad("tcp://::1:8000", "in brackets");
	url_bad("tcp://[::1:8000", "']'");
	url_bad("tcp://a b:80", "bad host");
	url_bad("tcp://a/b:80", "bad host");
	url_bad("http://x:80", "expected tcp://HOST:PORT or unix:///PATH");
	url_bad("", "expected tcp://HOST:PORT or unix:///PATH");
	url_bad("tcp://x\n:80", "control character");
}

static void
test_unix_urls(void **state)
{
	struct sockspec s;
	char *cause = NULL;

	(void)state;
	url_ok("unix:///run/app.sock", "unix:///run/app.sock");
	/* normalized as supervisord's normalize_path (os.path.normpath) */
	url_ok("unix:////run//x/./app.sock", "unix:///run/x/app.sock");
	url_ok("unix:///run/x/../app.sock", "unix:///run/app.sock");
	url_ok("unix:///../../app.sock", "unix:///app.sock");
	assert_int_equal(sockspec_url("unix:///tmp/a b", &s, &cause), 0);
	assert_int_equal(s.kind, SOCKSPEC_UNIX);
	assert_string_equal(s.path, "/tmp/a b");
	assert_null(s.host);
	sockspec_free(&s);
}

static void
test_unix_urls_refused(void **state)
{
	char long_path[200];

	(void)state;
	url_bad("unix://run/app.sock", "must be absolute");
	url_bad("unix://", "must be absolute");
	url_bad("unix:///", "names no file");
	url_bad("unix:///x/..", "names no file");
	snprintf(long_path, sizeof long_path, "unix:///%0150d", 0);
	url_bad(long_path, "too long for a unix socket (151 bytes; at most "
	    "107)");
}

/* sockets= TEXT parses into N entries; returns them. */
static struct sockspec *
list_ok(const char *text, size_t want)
{
	struct sockspec *v = NULL;
	size_t n = 0;
	char *cause = NULL;

	if (sockspec_list(text, &v, &n, &cause) == -1)
		fail_msg("%s: %s", text, cause);
	assert_int_equal(n, want);
	return v;
}

static void
list_bad(const char *text, const char *why)
{
	struct sockspec *v = NULL;
	size_t n = 0;
	char *cause = NULL;

	if (sockspec_list(text, &v, &n, &cause) == 0)
		fail_msg("%s: accepted (%zu)", text, n);
	assert_non_null(cause);
	if (strstr(cause, why) == NULL)
		fail_msg("%s: cause '%s' lacks '%s'", text, cause, why);
	free(cause);
}

static void
test_list_with_options(void **state)
{
	struct sockspec *v;

	(void)state;
	v = list_ok("tcp://127.0.0.1:8000 name=http backlog=1024,\n"
	    "  unix:///run/app.sock  mode=0660 owner=www-data:www-data ,", 2);
	assert_string_equal(v[0].url, "tcp://127.0.0.1:8000");
	assert_string_equal(v[0].name, "http");
	assert_int_equal(v[0].backlog, 1024);
	assert_int_equal(v[0].mode, -1);
	assert_null(v[0].owner);
	assert_string_equal(v[1].url, "unix:///run/app.sock");
	assert_null(v[1].name);
	assert_int_equal(v[1].mode, 0660);
	assert_string_equal(v[1].owner, "www-data:www-data");
	assert_int_equal(v[1].backlog, -1);
	sockspec_list_free(v, 2);
	v = list_ok("unix:///a", 1);
	sockspec_list_free(v, 1);
}

static void
test_list_refused(void **state)
{
	char many[64 * 24 + 64];
	size_t off = 0;

	(void)state;
	list_bad("", "empty entry");
	list_bad("tcp://a:1,,tcp://a:2", "empty entry");
	list_bad("tcp://a:1, tcp://a:1 name=x", "listed twice");
	list_bad("tcp://a:1 mode=0600", "only for a unix socket");
	list_bad("tcp://a:1 owner=root", "only for a unix socket");
	list_bad("unix:///a owner=", "owner= is empty");
	/* found by fuzz_sockets: the first owner was freed twice */
	list_bad("unix:///a owner=root owner=", "owner= is empty");
	list_bad("unix:///a mode=999", "octal");
	list_bad("tcp://a:1 backlog=0", "out of range");
	list_bad("tcp://a:1 backlog=65536", "out of range");
	list_bad("tcp://a:1 colour=blue", "unknown option");
	list_bad("tcp://a:1 unix:///b", "is not an option");
	list_bad("tcp://a:1 name=a:b", "no ':'");
	list_bad("tcp://a:1 name=", "printable");
	list_bad("tcp://a:1, ftp://b:2", "expected tcp://");
	for (int i = 0; i <= SOCKSPEC_MAX; i++)
		off += (size_t)snprintf(many + off, sizeof many - off,
		    "tcp://h:%d,", i + 1);
	list_bad(many, "more than 64 sockets");
}

static void
test_same_ignores_the_name(void **state)
{
	struct sockspec *a, *b, c;

	(void)state;
	a = list_ok("unix:///a mode=0600 name=x", 1);
	b = list_ok("unix:///a mode=0600 name=y", 1);
	assert_true(sockspec_same(a, b));
	sockspec_list_free(b, 1);
	b = list_ok("unix:///a mode=0640 name=x", 1);
	assert_false(sockspec_same(a, b));
	sockspec_list_free(b, 1);
	b = list_ok("unix:///a mode=0600 backlog=7", 1);
	assert_false(sockspec_same(a, b));
	assert_int_equal(sockspec_copy(&c, b), 0);
	assert_true(sockspec_same(&c, b));
	assert_int_equal(c.backlog, 7);
	assert_ptr_not_equal(c.url, b->url);
	sockspec_free(&c);
	sockspec_list_free(b, 1);
	sockspec_list_free(a, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_urls),
		cmocka_unit_test(test_tcp_urls_refused),
		cmocka_unit_test(test_unix_urls),
		cmocka_unit_test(test_unix_urls_refused),
		cmocka_unit_test(test_list_with_options),
		cmocka_unit_test(test_list_refused),
		cmocka_unit_test(test_same_ignores_the_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
