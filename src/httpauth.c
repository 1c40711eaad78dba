/*
 * httpauth.c -- basic-auth parsing and constant-time checking (httpauth.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "httpauth.h"
#include "sha1.h"

static int
b64_digit(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decode base64 S (padding optional) into OUT (SIZE bytes, NUL added).
 * The length, or -1. */
static long
b64_decode(const char *s, char *out, size_t size)
{
	uint32_t acc = 0;
	size_t n = 0, len = strlen(s);
	int bits = 0;

	while (len > 0 && s[len - 1] == '=')
		len--;
	for (size_t i = 0; i < len; i++) {
		int d = b64_digit((unsigned char)s[i]);
		if (d < 0)
			return -1;
		acc = acc << 6 | (uint32_t)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n + 1 >= size)
				return -1;
			out[n++] = (char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (bits >= 6)	/* a single leftover digit is no byte at all */
		return -1;
	out[n] = '\0';
	return (long)n;
}

int
httpauth_parse(const char *header, char *user, char *pass, size_t size)
{
	char dec[1024];
	long n;
	char *colon;

	if (header == NULL || strncasecmp(header, "Basic ", 6) != 0)
		return -1;
	header += 6;
	header += strspn(header, " ");
	if ((n = b64_decode(header, dec, sizeof dec)) == -1 ||
	    memchr(dec, '\0', (size_t)n) != NULL ||
	    (colon = strchr(dec, ':')) == NULL)
		return -1;
	*colon = '\0';
	if (strlen(dec) >= size || strlen(colon + 1) >= size)
		return -1;
	strcpy(user, dec);
	strcpy(pass, colon + 1);
	return 0;
}

/* Compare A and B in time that depends only on their lengths. */
static bool
ct_equal(const void *a, size_t alen, const void *b, size_t blen)
{
	const unsigned char *x = a, *y = b;
	unsigned char diff = alen != blen;
	size_t n = alen < blen ? alen : blen;

	for (size_t i = 0; i < n; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

bool
httpauth_check(const char *user, const char *pass, const char *want_user,
    const char *want_pass)
{
	bool ok_user = ct_equal(user, strlen(user), want_user,
	    strlen(want_user));
	bool ok_pass;
	uint8_t h[SHA1_LEN];
	char hex[2 * SHA1_LEN + 1];

	if (strncmp(want_pass, "{SHA}", 5) == 0) {
		sha1(pass, strlen(pass), h);
		for (size_t i = 0; i < SHA1_LEN; i++)
			snprintf(hex + 2 * i, 3, "%02x", h[i]);
		/* The config may write the digest in capitals. */
		char want[2 * SHA1_LEN + 1] = "";
		size_t wl = strlen(want_pass + 5);
		for (size_t i = 0; i < wl && i < 2 * SHA1_LEN; i++) {
			char c = want_pass[5 + i];
			want[i] = c >= 'A' && c <= 'F' ? (char)(c - 'A' + 'a') :
			    c;
			want[i + 1] = '\0';
		}
		ok_pass = ct_equal(hex, 2 * SHA1_LEN, want, wl);
	} else
		ok_pass = ct_equal(pass, strlen(pass), want_pass,
		    strlen(want_pass));
	return ok_user & ok_pass;
}
