/*
 * test_ctlhttp.c -- procctl over HTTP, the pure parts (ctlhttpparse.c):
 * -s URL forms (credentials, ports, IPv6, https), the URL as shown
 * without its password, base64 against RFC 4648's vectors and through
 * the gateway's own decoder, and the response head read strictly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ctlhttp.h"
#include "httpauth.h"

static int
url(const char *s, struct ctlhttp_url *u)
{
	const char *why = NULL;
	int https = -1, r = ctlhttp_url_parse(s, u, &why, &https);

	assert_int_not_equal(https, -1);
	if (r == -1)
		assert_non_null(why);
	return r;
}

static void
test_url_forms(void **state)
{
	struct ctlhttp_url u;

	(void)state;
	assert_int_equal(url("http://127.0.0.1:9001", &u), 0);
	assert_string_equal(u.host, "127.0.0.1");
	assert_string_equal(u.port, "9001");
	assert_int_equal(u.has_cred, 0);
	assert_int_equal(url("http://localhost/", &u), 0);
	assert_string_equal(u.host, "localhost");
	assert_string_equal(u.port, "80");
	/* a path is ignored, as supervisorctl ignores it */
	assert_int_equal(url("HTTP://web-1.example:80/RPC2", &u), 0);
	assert_string_equal(u.host, "web-1.example");
	assert_int_equal(url("http://[::1]:9001/", &u), 0);
	assert_string_equal(u.host, "::1");
	assert_string_equal(u.port, "9001");
	assert_int_equal(url("http://[fe80::1%eth0]", &u), 0);
	assert_string_equal(u.host, "fe80::1%eth0");
	assert_int_equal(url("http://[::ffff:127.0.0.1]", &u), 0);
	assert_int_equal(url("http://[fe80::1]", &u), 0);
	assert_string_equal(u.port, "80");
	assert_int_equal(url("http://admin:s3cret@127.0.0.1:9001", &u), 0);
	assert_int_equal(u.has_cred, 1);
	assert_string_equal(u.user, "admin");
	assert_string_equal(u.pass, "s3cret");
	assert_string_equal(u.host, "127.0.0.1");
	/* the last @ ends the credentials; a user alone has no password */
	assert_int_equal(url("http://a:p@ss@h", &u), 0);
	assert_string_equal(u.pass, "p@ss");
	assert_string_equal(u.host, "h");
	assert_int_equal(url("http://just@h:1", &u), 0);
	assert_string_equal(u.user, "just");
	assert_string_equal(u.pass, "");
}

static void
test_bad_urls(void **state)
{
	static const char *const bad[] = {
		"http://", "http:///x", "http://:9001", "http://h:",
		"http://h:0", "http://h:65536", "http://h:123456",
		"http://h:9x", "http://[::1", "http://[]:1", "http://[::1]x",
		"http://h h", "http://h%20", "ftp://h", "unix:///x", "/x",
		"http://u:p@", "http://u:p@:80", "http://[::1\r\nX: y]:80",
		"http://[::1 ]", "http://h\r\nX: y",
	};
	const char *why;
	struct ctlhttp_url u;
	char longhost[400];
	int https;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (url(bad[i], &u) != -1)
			fail_msg("accepted %s", bad[i]);
	}
	assert_int_equal(ctlhttp_url_parse("https://h:443", &u, &why, &https),
	    -1);
	assert_int_equal(https, 1);
	snprintf(longhost, sizeof longhost, "http://%0300d", 0);
	assert_int_equal(url(longhost, &u), -1);
}

static void
test_url_shown_without_credentials(void **state)
{
	char out[64];

	(void)state;
	ctlhttp_url_show("http://admin:s3cret@127.0.0.1:9001/RPC2", out,
	    sizeof out);
	assert_string_equal(out, "http://127.0.0.1:9001");
	ctlhttp_url_show("http://[::1]:9001", out, sizeof out);
	assert_string_equal(out, "http://[::1]:9001");
	ctlhttp_url_show("http://a@b@h/", out, sizeof out);
	assert_string_equal(out, "http://h");
	ctlhttp_url_show("http://h:1", out, 8);
	assert_string_equal(out, "http://");
}

static void
test_base64(void **state)
{
	/* RFC 4648 section 10 */
	static const char *const vec[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" },
		{ "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	char out[64], hdr[80], user[64], pass[64];

	(void)state;
	for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
		assert_int_equal(ctlhttp_b64(vec[i][0], strlen(vec[i][0]), out,
		    sizeof out), 0);
		assert_string_equal(out, vec[i][1]);
	}
	/* exactly the room needed, and one byte less */
	assert_int_equal(ctlhttp_b64("foo", 3, out, 5), 0);
	assert_int_equal(ctlhttp_b64("foo", 3, out, 4), -1);
	assert_int_equal(ctlhttp_b64("", 0, out, 0), -1);
	/* what the gateway decodes is what procctl encoded */
	assert_int_equal(ctlhttp_b64("admin:s3:cr\xc3\xa9t", 14, out,
	    sizeof out), 0);
	snprintf(hdr, sizeof hdr, "Basic %s", out);
	assert_int_equal(httpauth_parse(hdr, user, pass, sizeof user), 0);
	assert_string_equal(user, "admin");
	assert_string_equal(pass, "s3:cr\xc3\xa9t");
}

static int
head(const char *s, struct ctlhttp_head *h)
{
	const char *why = NULL;
	int r = ctlhttp_head_parse(s, strlen(s), h, &why);

	if (r == -1)
		assert_non_null(why);
	return r;
}

static void
test_heads(void **state)
{
	struct ctlhttp_head h;

	(void)state;
	assert_int_equal(head("HTTP/1.0 200 OK\r\nContent-Type: "
	    "application/x-procd-frames\r\nCache-Control: no-store\r\n\r\n",
	    &h), 0);
	assert_int_equal(h.status, 200);
	assert_string_equal(h.reason, "OK");
	assert_string_equal(h.type, CTLHTTP_TYPE);
	/* bare LFs, case, white space around a value, no reason */
	assert_int_equal(head("HTTP/1.1 401\ncontent-TYPE:\t text/plain \n\n",
	    &h), 0);
	assert_int_equal(h.status, 401);
	assert_string_equal(h.reason, "");
	assert_string_equal(h.type, "text/plain");
	assert_int_equal(head("HTTP/1.0 404 Not Found\r\n\r\n", &h), 0);
	assert_string_equal(h.type, "");
	assert_int_equal(head("HTTP/1.0 200 OK\r\nX-Empty:\r\n\r\n", &h), 0);
}

static void
test_bad_heads(void **state)
{
	static const char *const bad[] = {
		"", "\r\n\r\n", "HTTP/1.0 200 OK\r\n",
		"HTTP/2 200 OK\r\n\r\n", "HTTP/1.0 20 OK\r\n\r\n",
		"HTTP/1.0 2000 OK\r\n\r\n", "HTTP/1.0 099 OK\r\n\r\n",
		"HTTP/1.0  200 OK\r\n\r\n", "HTTP/1.x 200 OK\r\n\r\n",
		"http/1.0 200 OK\r\n\r\n", "ICY 200 OK\r\n\r\n",
		"HTTP/1.0 200 OK\r\nNoColon\r\n\r\n",
		"HTTP/1.0 200 OK\r\n: empty name\r\n\r\n",
		"HTTP/1.0 200 OK\r\nBad Name: x\r\n\r\n",
		"HTTP/1.0 200 OK\r\n folded: x\r\n\r\n",
		"HTTP/1.0 200 OK\r\nX: a\rb\r\n\r\n",
		"HTTP/1.0 200 OK\r\nX: a\x01\r\n\r\n",
		"HTTP/1.0 200 OK\r\n\r\nbody\r\n\r\n",
	};
	struct ctlhttp_head h;
	char big[CTLHTTP_HEAD_MAX + 64];
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (head(bad[i], &h) != -1)
			fail_msg("accepted head %zu", i);
	/* a NUL anywhere */
	assert_int_equal(ctlhttp_head_parse("HTTP/1.0 200 OK\r\nX: \0\r\n\r\n",
	    24, &h, &why), -1);
	/* too long, and a Content-Type that does not fit */
	memset(big, 'a', sizeof big);
	memcpy(big, "HTTP/1.0 200 OK\r\nX: ", 20);
	memcpy(big + sizeof big - 4, "\r\n\r\n", 4);
	assert_int_equal(ctlhttp_head_parse(big, sizeof big, &h, &why), -1);
	snprintf(big, sizeof big, "HTTP/1.0 200 OK\r\nContent-Type: %0200d"
	    "\r\n\r\n", 0);
	assert_int_equal(head(big, &h), -1);
	/* a long reason is cut, not refused */
	snprintf(big, sizeof big, "HTTP/1.0 500 %0300d\r\n\r\n", 0);
	assert_int_equal(head(big, &h), 0);
	assert_int_equal(strlen(h.reason), sizeof h.reason - 1);
}

static void
test_head_end(void **state)
{
	(void)state;
	assert_true(ctlhttp_head_done("HTTP/1.0 200 OK\r\n\r\n", 19));
	assert_true(ctlhttp_head_done("x\n\n", 3));
	assert_true(ctlhttp_head_done("x\n\r\n", 4));
	assert_false(ctlhttp_head_done("x\r\n", 3));
	assert_false(ctlhttp_head_done("\n", 1));
	assert_false(ctlhttp_head_done("\r\n", 2));
	assert_false(ctlhttp_head_done("", 0));
	assert_false(ctlhttp_head_done("x\r\n\r", 4));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_forms),
		cmocka_unit_test(test_bad_urls),
		cmocka_unit_test(test_url_shown_without_credentials),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_heads),
		cmocka_unit_test(test_bad_heads),
		cmocka_unit_test(test_head_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
