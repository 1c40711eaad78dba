/*
 * fuzz_http.c -- the status-line parser of http:// health checks
 * (httpstat.c) on any bytes, as a server may answer.
 *
 * Besides "no crash, no sanitizer report" it checks what the parser
 * promises: it reads the prefix it is given and nothing past it; a verdict
 * (1 or -1) never changes when more bytes come, so reading a check's
 * answer in pieces gives the same result as reading it whole; 0 is given
 * only to a prefix shorter than HTTPSTAT_DECIDES; an accepted line starts
 * with "HTTP/" and its code is 100-999, its three digits.  The bytes also
 * serve as a request path: the request fits its buffer or is refused.
 */
#include <string.h>

#include "fuzz.h"
#include "httpstat.h"

static void
fuzz_http_status(const uint8_t *in, size_t len)
{
	int code = 0, first = 0, r, verdict = 0;

	for (size_t n = 0; n <= len; n++) {
		/* A copy of exactly N bytes: ASan sees any read past it. */
		char *buf = malloc(n ? n : 1);
		FUZZ_CHECK(buf != NULL);
		memcpy(buf, in, n);
		r = httpstat_parse(buf, n, &code);
		free(buf);
		FUZZ_CHECK(r == 0 || r == 1 || r == -1);
		if (verdict != 0) {
			FUZZ_CHECK(r == verdict);
			FUZZ_CHECK(r != 1 || code == first);
			continue;
		}
		FUZZ_CHECK(r != 0 || n < HTTPSTAT_DECIDES);
		if (r == 1) {
			FUZZ_CHECK(memcmp(in, "HTTP/", 5) == 0);
			FUZZ_CHECK(code >= 100 && code <= 999);
			FUZZ_CHECK(code == (in[9] - '0') * 100 +
			    (in[10] - '0') * 10 + (in[11] - '0'));
			first = code;
		}
		verdict = r;
	}
}

static void
fuzz_http_request(const uint8_t *in, size_t len)
{
	char path[256], req[512];
	size_t n = len < sizeof path - 1 ? len : sizeof path - 1;
	int r;

	memcpy(path, in, n);
	path[n] = '\0';
	r = httpstat_request(req, sizeof req, "127.0.0.1:8080", path);
	FUZZ_CHECK(r == -1 || ((size_t)r < sizeof req &&
	    (size_t)r == strlen(req) && memcmp(req, "GET ", 4) == 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t len)
{
	fuzz_http_status(in, len);
	fuzz_http_request(in, len);
	return 0;
}
