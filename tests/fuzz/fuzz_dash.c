/*
 * fuzz_dash.c -- what the dashboard makes of what it is given: procd's
 * status rows (names, groups and descriptions from a config and from
 * programs) rendered as HTML and as the stream's JSON (dashrow.c), the
 * HTML escaper (htmlesc.c), and the CSRF check of a POST's headers
 * (dashguard.c).
 *
 * The input is split at NUL bytes: the first part is a status --json
 * answer, the next five the check's token, wanted token, Origin, Host
 * and Sec-Fetch-Site.  Besides "no crash, no sanitizer report":
 *   - escaped text has no character that could open or close markup or
 *     a quoted attribute, and is valid UTF-8;
 *   - the stream's JSON for the rows parses again;
 *   - the check passes only with the very token it was given.
 */
#include <string.h>

#include "buf.h"
#include "dashguard.h"
#include "dashrow.h"
#include "fuzz.h"
#include "htmlesc.h"
#include "json.h"
#include "jsonread.h"
#include "textsafe.h"

static void
fuzz_escaped(const uint8_t *data, size_t size)
{
	struct buf b;
	uint32_t cp;
	size_t i = 0, n;

	buf_init(&b);
	htmlesc(&b, (const char *)data, size);
	FUZZ_CHECK(b.len == 0 || (memchr(b.data, '<', b.len) == NULL &&
	    memchr(b.data, '>', b.len) == NULL &&
	    memchr(b.data, '"', b.len) == NULL &&
	    memchr(b.data, '\'', b.len) == NULL &&
	    memchr(b.data, '\0', b.len) == NULL));
	while (i < b.len) {
		n = textsafe_utf8((const unsigned char *)b.data + i, b.len - i,
		    &cp);
		FUZZ_CHECK(n > 0);
		i += n;
	}
	buf_free(&b);
}

static void
fuzz_rows(const char *json, size_t len)
{
	struct xr_value *rows = jsonread(json, len), *again;
	unsigned counts[16] = { 0 };
	struct buf html, out;
	struct json j;

	if (rows == NULL)
		return;
	buf_init(&html);
	buf_init(&out);
	dashrow_table(&html, rows);
	dashrow_counts(rows, counts, sizeof counts / sizeof counts[0]);
	json_init(&j, &out);
	dashrow_array(&j, rows);
	again = jsonread(out.data, out.len);
	FUZZ_CHECK(again != NULL && again->type == XR_ARRAY);
	xr_free(again);
	buf_free(&html);
	buf_free(&out);
	xr_free(rows);
}

/* The I-th NUL-separated part of DATA, or NULL. */
static const char *
fuzz_part(const char *data, size_t size, int i)
{
	const char *p = data, *end = data + size, *nul;

	while (i-- > 0) {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL)
			return NULL;
		p = nul + 1;
	}
	return memchr(p, '\0', (size_t)(end - p)) != NULL ? p : NULL;
}

static void
fuzz_guard(const char *data, size_t size)
{
	const char *tok = fuzz_part(data, size, 1);
	const char *want = fuzz_part(data, size, 2);
	const char *why = dashguard_check(tok, want, fuzz_part(data, size, 3),
	    fuzz_part(data, size, 4), fuzz_part(data, size, 5));

	if (why == NULL)
		FUZZ_CHECK(tok != NULL && want != NULL && *want != '\0' &&
		    strcmp(tok, want) == 0);
	(void)dashguard_host_ok(fuzz_part(data, size, 4));
	/* XML-RPC's and /procd/ctl's check: a request that is no
	 * browser's (neither header) always passes. */
	why = dashguard_browser_check(fuzz_part(data, size, 3),
	    fuzz_part(data, size, 4), fuzz_part(data, size, 5),
	    size % 2 == 0);
	if (fuzz_part(data, size, 3) == NULL &&
	    fuzz_part(data, size, 5) == NULL)
		FUZZ_CHECK(why == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	char *copy;

	fuzz_escaped(data, size);
	fuzz_rows((const char *)data, nul ? (size_t)(nul - data) : size);
	/* A terminated copy, so that every part can be a C string. */
	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	fuzz_guard(copy, size + 1);
	free(copy);
	return 0;
}
