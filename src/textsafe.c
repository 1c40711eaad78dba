/*
 * textsafe.c -- UTF-8 validation, terminal escaping and character-boundary
 * cuts for program-controlled text (textsafe.h).
 */
#include <string.h>

#include "buf.h"
#include "textsafe.h"

/* A continuation byte: 10xxxxxx. */
static bool
textsafe_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t
textsafe_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {	/* 0xc0, 0xc1: overlong */
		len = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;	/* a continuation byte, 0xc0/0xc1, 0xf5-0xff */
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if (!textsafe_cont(s[i]))
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

bool
textsafe_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	    cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

void
textsafe_escape(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), n;
	uint32_t cp;

	buf_add(b, "", 0);	/* a C string even when S is empty */
	while (left > 0) {
		if ((n = textsafe_utf8(p, left, &cp)) == 0) {
			buf_addf(b, "\\x%02x", *p);
			n = 1;
		} else if (textsafe_is_control(cp))
			buf_addf(b, cp < 0x80 ? "\\x%02x" : "\\u%04x",
			    (unsigned)cp);
		else
			buf_add(b, p, n);
		p += n;
		left -= n;
	}
}

size_t
textsafe_fit(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t used = 0, left = strlen(s), n;
	uint32_t cp;

	while (left > 0) {
		if ((n = textsafe_utf8(p + used, left, &cp)) == 0)
			n = 1;
		if (used + n > max)
			break;
		used += n;
		left -= n;
	}
	return used;
}
