/*
 * fuzz_ctlhttp.c -- what procctl reads from an http:// server, and the
 * -s URL it is given (ctlhttpparse.c).  The first byte picks:
 *
 *	0	the bytes as a response, read as procctl reads it: one byte at
 *		a time until ctlhttp_head_done, then ctlhttp_head_parse
 *	1	the bytes as a -s URL (ctlhttp_url_parse, ctlhttp_url_show)
 *	2	the bytes through ctlhttp_b64
 *
 * Besides "no crash, no sanitizer report" it checks the promises: a head
 * is parsed only once it ends with an empty line and is no longer than
 * CTLHTTP_HEAD_MAX; an accepted one has a status of 100-999 and strings
 * that fit; an accepted URL has a host of printable bytes only (it goes
 * into the Host header) and a port of 1-65535 in digits, and is shown
 * without anything before an @; base64 is 4 characters per 3 bytes or
 * part of them, all of its alphabet.
 */
#include <ctype.h>
#include <string.h>

#include "ctlhttp.h"
#include "fuzz.h"

static void
fuzz_head(const uint8_t *in, size_t len)
{
	struct ctlhttp_head h;
	const char *why;
	size_t n = 0;
	char *buf;

	/* As read_head: stop at the end of the head, or at the limit. */
	while (n < len && n < CTLHTTP_HEAD_MAX &&
	    !ctlhttp_head_done((const char *)in, n))
		n++;
	/* A copy of exactly N bytes: ASan sees any read past it. */
	FUZZ_CHECK((buf = malloc(n ? n : 1)) != NULL);
	memcpy(buf, in, n);
	if (ctlhttp_head_parse(buf, n, &h, &why) == 0) {
		FUZZ_CHECK(ctlhttp_head_done(buf, n));
		FUZZ_CHECK(n <= CTLHTTP_HEAD_MAX);
		FUZZ_CHECK(memcmp(buf, "HTTP/1.", 7) == 0);
		FUZZ_CHECK(h.status >= 100 && h.status <= 999);
		FUZZ_CHECK(strlen(h.reason) < sizeof h.reason);
		FUZZ_CHECK(strlen(h.type) < sizeof h.type);
	} else
		FUZZ_CHECK(why != NULL && *why != '\0');
	free(buf);
}

static void
fuzz_url(const uint8_t *in, size_t len)
{
	struct ctlhttp_url u;
	const char *why;
	char *s, shown[64];
	int https;

	FUZZ_CHECK((s = malloc(len + 1)) != NULL);
	memcpy(s, in, len);
	s[len] = '\0';
	if (ctlhttp_url_parse(s, &u, &why, &https) == 0) {
		long port = strtol(u.port, NULL, 10);
		FUZZ_CHECK(!https && u.host[0] != '\0');
		FUZZ_CHECK(port >= 1 && port <= 65535);
		for (const char *c = u.port; *c != '\0'; c++)
			FUZZ_CHECK(isdigit((unsigned char)*c));
		/* the host goes into the Host header: nothing to split it */
		for (const char *c = u.host; *c != '\0'; c++)
			FUZZ_CHECK(isgraph((unsigned char)*c) && *c != '/' &&
			    *c != '@');
		FUZZ_CHECK(u.has_cred || (u.user[0] == '\0' &&
		    u.pass[0] == '\0'));
		ctlhttp_url_show(s, shown, sizeof shown);
		FUZZ_CHECK(strchr(shown, '@') == NULL);
	} else
		FUZZ_CHECK(why != NULL && *why != '\0');
	free(s);
}

static void
fuzz_b64(const uint8_t *in, size_t len)
{
	size_t want = (len + 2) / 3 * 4;
	char *out;

	FUZZ_CHECK((out = malloc(want + 1)) != NULL);
	FUZZ_CHECK(ctlhttp_b64(in, len, out, want + 1) == 0);
	FUZZ_CHECK(strlen(out) == want);
	for (size_t i = 0; i < want; i++)
		FUZZ_CHECK(isalnum((unsigned char)out[i]) || out[i] == '+' ||
		    out[i] == '/' || (out[i] == '=' && i >= want - 2));
	if (len > 0)
		FUZZ_CHECK(ctlhttp_b64(in, len, out, want) == -1);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_head(data + 1, size - 1);
		break;
	case 1:
		fuzz_url(data + 1, size - 1);
		break;
	default:
		fuzz_b64(data + 1, size - 1);
		break;
	}
	return 0;
}
