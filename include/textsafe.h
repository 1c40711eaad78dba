/*
 * textsafe.h -- text a program controls, made safe to show: the one UTF-8
 * validator (json.c's string quoting uses it too), the escaper for text
 * that reaches a terminal, and cutting text without splitting a character.
 *
 * A program's STATUS= text and spawn errors are bytes it chose.  On a
 * terminal, ESC, CSI (0x9b, U+009B) or a bidi override (U+202E) in them
 * would be obeyed, not shown; in JSON, a byte that is not UTF-8 makes the
 * whole answer unparseable.  So procd keeps such text as it came (bounded)
 * and escapes it where it is written out.
 */
#ifndef PROCD_TEXTSAFE_H
#define PROCD_TEXTSAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* How many of the N bytes at S (N > 0) make the one well-formed UTF-8
 * character there (RFC 3629: no overlong form, no surrogate, nothing past
 * U+10FFFF, not cut short), with its code point in *CP; 0 when they are
 * not one. */
size_t	textsafe_utf8(const unsigned char *s, size_t n, uint32_t *cp);
/* Whether code point CP acts on a terminal instead of showing: C0, DEL,
 * C1 (U+0080-U+009F), and the bidi controls (U+061C, U+200E/F,
 * U+202A-U+202E, U+2066-U+2069). */
bool	textsafe_is_control(uint32_t cp);
/* Append S to B as a terminal may show it: each control or bidi code
 * point as \xNN (below U+0080) or \uNNNN, each byte that is not part of
 * well-formed UTF-8 as \xNN; everything else (backslash included) as it
 * is.  The result is valid UTF-8 with no control or bidi code point. */
void	textsafe_escape(struct buf *b, const char *s);
/* The longest prefix of S, at most MAX bytes, that ends on a character
 * boundary (a byte that is not well-formed UTF-8 counts as one). */
size_t	textsafe_fit(const char *s, size_t max);

#endif
