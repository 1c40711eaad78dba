/*
 * htmlesc.h -- text into HTML, for the dashboard: names and descriptions
 * come from a config file and from programs (spawn errors), so none of it
 * may ever be read by a browser as markup.
 */
#ifndef PROCD_HTMLESC_H
#define PROCD_HTMLESC_H

#include <stddef.h>

struct buf;

/* Append the LEN bytes at S to B as HTML text, safe both between tags and
 * inside a quoted attribute value: & < > " ' become entities; C0 controls
 * other than tab and newline (NUL included), DEL, C1 controls, the bidi
 * controls (which could make one name read as another) and each byte
 * that is not part of well-formed UTF-8 become U+FFFD.  Everything else
 * passes as it is, so the result is valid UTF-8. */
void	htmlesc(struct buf *b, const char *s, size_t len);
/* The same for a NUL-terminated S (NULL: nothing). */
void	htmlesc_str(struct buf *b, const char *s);

#endif
