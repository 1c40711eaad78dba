/*
 * fuzz_text.c -- program-controlled text on its way out: json_quote and
 * textsafe_escape over any bytes, and textsafe_fit.
 *
 * The input, up to its first NUL, is the text.  Checked, with a UTF-8
 * checker written here from the Unicode standard's table of well-formed
 * byte sequences (Table 3-7), not textsafe_utf8, so that the two must
 * agree:
 *   - json_quote gives one JSON string literal: valid UTF-8, no raw byte
 *     below 0x20, no DEL, no C1 or bidi control, every backslash starting
 *     a known escape;
 *   - textsafe_escape gives valid UTF-8 with no C0, DEL, C1 or bidi
 *     control at all;
 *   - textsafe_fit never exceeds its bound, and its cut is a character
 *     boundary: the escaped prefix is a prefix of the escaped whole.
 */
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "json.h"
#include "textsafe.h"

/* The length of the well-formed sequence at P (N bytes left), 0 if none;
 * its code point in *CP.  Table 3-7, row by row. */
static size_t
fuzz_text_wellformed(const unsigned char *p, size_t n, uint32_t *cp)
{
	static const struct {
		unsigned char lo[4], hi[4];
		size_t len;
	} rows[] = {
		{ { 0x00 }, { 0x7f }, 1 },
		{ { 0xc2, 0x80 }, { 0xdf, 0xbf }, 2 },
		{ { 0xe0, 0xa0, 0x80 }, { 0xe0, 0xbf, 0xbf }, 3 },
		{ { 0xe1, 0x80, 0x80 }, { 0xec, 0xbf, 0xbf }, 3 },
		{ { 0xed, 0x80, 0x80 }, { 0xed, 0x9f, 0xbf }, 3 },
		{ { 0xee, 0x80, 0x80 }, { 0xef, 0xbf, 0xbf }, 3 },
		{ { 0xf0, 0x90, 0x80, 0x80 }, { 0xf0, 0xbf, 0xbf, 0xbf }, 4 },
		{ { 0xf1, 0x80, 0x80, 0x80 }, { 0xf3, 0xbf, 0xbf, 0xbf }, 4 },
		{ { 0xf4, 0x80, 0x80, 0x80 }, { 0xf4, 0x8f, 0xbf, 0xbf }, 4 },
	};

	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		size_t i, len = rows[r].len;
		if (n < len)
			continue;
		for (i = 0; i < len; i++)
			if (p[i] < rows[r].lo[i] || p[i] > rows[r].hi[i])
				break;
		if (i < len)
			continue;
		*cp = len == 1 ? p[0] : (uint32_t)(p[0] & (0xff >> (len + 1)));
		for (i = 1; i < len; i++)
			*cp = *cp << 6 | (p[i] & 0x3f);
		return len;
	}
	return 0;
}

static bool
fuzz_text_is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x61c ||
	    c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069);
}

/* S[0..LEN) is valid UTF-8 with no control or bidi code point. */
static void
fuzz_text_check_inert(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	for (size_t i = 0; i < len; i += n) {
		n = fuzz_text_wellformed(p + i, len - i, &cp);
		FUZZ_CHECK(n > 0);
		FUZZ_CHECK(!fuzz_text_is_control(cp));
	}
}

static void
fuzz_text_json(const char *s)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	json_quote(&b, s);
	FUZZ_CHECK(b.len >= 2 && b.data[0] == '"' && b.data[b.len - 1] == '"');
	FUZZ_CHECK(strlen(b.data) == b.len);
	fuzz_text_check_inert(b.data, b.len);
	for (i = 1; i + 1 < b.len; i++) {
		FUZZ_CHECK(b.data[i] != '"');
		if (b.data[i] != '\\')
			continue;
		i++;
		FUZZ_CHECK(i + 1 < b.len);
		if (b.data[i] == 'u') {
			FUZZ_CHECK(i + 5 < b.len);
			for (int k = 1; k <= 4; k++)
				FUZZ_CHECK(strchr("0123456789abcdef",
				    b.data[i + k]) != NULL);
			i += 4;
		} else
			FUZZ_CHECK(strchr("\"\\nt", b.data[i]) != NULL);
	}
	buf_free(&b);
}

static void
fuzz_text_escape(const char *s)
{
	struct buf whole, part;
	size_t len = strlen(s);
	static const size_t maxes[] = { 0, 1, 2, 3, 5, 8, 13, 64 };

	buf_init(&whole);
	textsafe_escape(&whole, s);
	FUZZ_CHECK(whole.data != NULL && strlen(whole.data) == whole.len);
	fuzz_text_check_inert(whole.data, whole.len);
	FUZZ_CHECK(whole.len >= len);
	for (size_t m = 0; m < sizeof maxes / sizeof maxes[0]; m++) {
		size_t fit = textsafe_fit(s, maxes[m]);
		char *cut = strndup(s, fit);
		if (cut == NULL)
			abort();
		FUZZ_CHECK(fit <= maxes[m] && fit <= len);
		FUZZ_CHECK(fit == len || fit + 4 > maxes[m]);
		buf_init(&part);
		textsafe_escape(&part, cut);
		FUZZ_CHECK(part.len <= whole.len &&
		    memcmp(part.data, whole.data, part.len) == 0);
		buf_free(&part);
		free(cut);
	}
	buf_free(&whole);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	/* An exact-size copy: a read past the NUL is a sanitizer report. */
	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_text_json(s);
	fuzz_text_escape(s);
	free(s);
	return 0;
}
