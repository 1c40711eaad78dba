/*
 * test_httpauth.c -- [inet_http_server]'s credentials: SHA-1 against the
 * FIPS 180 test vectors, the Authorization header decoded as RFC 7617
 * says, and the check supervisord's configs expect (plain or {SHA}hex).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "httpauth.h"
#include "sha1.h"

static const char *
hex(const void *data, size_t len)
{
	static char out[2 * SHA1_LEN + 1];
	uint8_t h[SHA1_LEN];

	sha1(data, len, h);
	for (int i = 0; i < SHA1_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
	return out;
}

static void
test_sha1_vectors(void **state)
{
	static char million[1000000];

	(void)state;
	assert_string_equal(hex("", 0),
	    "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	assert_string_equal(hex("abc", 3),
	    "a9993e364706816aba3e25717850c26c9cd0d89d");
	assert_string_equal(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmn"
	    "lmnomnopnopq", 56), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	memset(million, 'a', sizeof million);
	assert_string_equal(hex(million, sizeof million),
	    "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	/* Lengths around the padding boundary (55, 56, 63, 64 bytes). */
	assert_string_equal(hex(million, 55),
	    "c1c8bbdc22796e28c0e15163d20899b65621d65a");
	assert_string_equal(hex(million, 64),
	    "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}

static void
test_basic_header_decoded(void **state)
{
	char u[64], p[64];

	(void)state;
	/* "Aladdin:open sesame", RFC 7617's example. */
	assert_int_equal(httpauth_parse("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
	    u, p, sizeof u), 0);
	assert_string_equal(u, "Aladdin");
	assert_string_equal(p, "open sesame");
	/* The scheme is case-insensitive; a password may hold ':'. */
	assert_int_equal(httpauth_parse("basic dTpwOnE=", u, p, sizeof u), 0);
	assert_string_equal(u, "u");
	assert_string_equal(p, "p:q");
	assert_int_equal(httpauth_parse("Basic Og==", u, p, sizeof u), 0);
	assert_string_equal(u, "");
	assert_string_equal(p, "");
}

static void
test_bad_headers_refused(void **state)
{
	static const char *const bad[] = {
		"", "Basic", "Bearer dTpw", "Basic dTpw!", "Basic dXNlcg==",
		"Basic A", "Basic dQBwOnE=",	/* u\0p:q */
	};
	char u[8], p[8];

	(void)state;
	assert_int_equal(httpauth_parse(NULL, u, p, sizeof u), -1);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(httpauth_parse(bad[i], u, p, sizeof u), -1);
	/* "longuser:x": the user does not fit in 8 bytes. */
	assert_int_equal(httpauth_parse("Basic bG9uZ3VzZXI6eA==", u, p,
	    sizeof u), -1);
}

static void
test_credentials_checked(void **state)
{
	(void)state;
	assert_true(httpauth_check("u", "p", "u", "p"));
	assert_false(httpauth_check("u", "q", "u", "p"));
	assert_false(httpauth_check("v", "p", "u", "p"));
	assert_false(httpauth_check("u", "pp", "u", "p"));
	assert_false(httpauth_check("u", "", "u", "p"));
	/* {SHA}: SHA-1 of the password in hex, either case. */
	assert_true(httpauth_check("u", "thepassword", "u",
	    "{SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d"));
	assert_true(httpauth_check("u", "thepassword", "u",
	    "{SHA}82AB876D1387BFAFE46CC1C8A2EF074EAE50CB1D"));
	assert_false(httpauth_check("u", "thepasswore", "u",
	    "{SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d"));
	assert_false(httpauth_check("u", "{SHA}82ab876d1387bfafe46cc1c8a2ef07"
	    "4eae50cb1d", "u", "{SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d"));
	assert_false(httpauth_check("u", "thepassword", "u", "{SHA}82ab"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1_vectors),
		cmocka_unit_test(test_basic_header_decoded),
		cmocka_unit_test(test_bad_headers_refused),
		cmocka_unit_test(test_credentials_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
