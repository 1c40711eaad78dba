/*
 * htmlesc.c -- text into HTML (htmlesc.h).  The UTF-8 check is
 * textsafe's, the one validator.
 */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "htmlesc.h"
#include "textsafe.h"

#define HTMLESC_BAD	"\xef\xbf\xbd"	/* U+FFFD in UTF-8 */

/* The entity for C, or NULL when C is written as it is. */
static const char *
htmlesc_entity(unsigned char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

void
htmlesc(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		const char *ent = htmlesc_entity(p[i]);
		if (ent != NULL) {
			buf_addstr(b, ent);
			i++;
			continue;
		}
		/* A byte that is not UTF-8 counts as one bad character. */
		if ((n = textsafe_utf8(p + i, len - i, &cp)) == 0)
			n = 1, cp = 0xfffd;
		if (cp == 0xfffd || (textsafe_is_control(cp) && cp != '\t' &&
		    cp != '\n'))
			buf_addstr(b, HTMLESC_BAD);
		else
			buf_add(b, p + i, n);
		i += n;
	}
}

void
htmlesc_str(struct buf *b, const char *s)
{
	if (s != NULL)
		htmlesc(b, s, strlen(s));
}
