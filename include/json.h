/*
 * json.h -- the one JSON writer: every --json answer procd gives is built
 * with it, into a struct buf (buf.h).
 *
 * The writer places the commas and colons; the caller says what comes
 * next (an object, a key with its value, an array item) and closes what it
 * opened.  Only writing: procd never reads JSON.  Strings are escaped as
 * RFC 8259 requires (quote, backslash, control characters), and the
 * output is always valid UTF-8 whatever bytes a string holds: C0, DEL, C1
 * and the bidi controls (textsafe.h) are written as \uNNNN, each byte
 * that is not well-formed UTF-8 as \ufffd; other UTF-8 passes through.
 */
#ifndef PROCD_JSON_H
#define PROCD_JSON_H

#include <stdbool.h>
#include <stdint.h>

struct buf;

/* How deep objects and arrays may nest; deeper is a bug in the caller. */
#define JSON_DEPTH_MAX	8

struct json {
	struct buf	*b;
	unsigned	 depth;
	bool		 more[JSON_DEPTH_MAX + 1]; /* a value is in at depth */
	bool		 after_key;	/* the next value follows a key */
	bool		 newline;	/* the next comma is followed by "\n " */
};

/* Start writing into B (appended to what it holds). */
void	json_init(struct json *, struct buf *b);
void	json_object_begin(struct json *);
void	json_object_end(struct json *);
void	json_array_begin(struct json *);
void	json_array_end(struct json *);
/* The next item's comma is followed by a newline and a space, so a long
 * array reads one item a line; before the first item it does nothing. */
void	json_newline(struct json *);

/* Values: an array item, or the value of the key just written. */
void	json_str(struct json *, const char *);	/* NULL: null */
void	json_int(struct json *, int64_t);
void	json_uint(struct json *, uint64_t);
void	json_bool(struct json *, bool);
void	json_null(struct json *);

/* A key inside an object; its value comes next. */
void	json_key(struct json *, const char *);
/* A key and its value at once. */
void	json_kstr(struct json *, const char *key, const char *);
void	json_kint(struct json *, const char *key, int64_t);
void	json_kuint(struct json *, const char *key, uint64_t);
void	json_kbool(struct json *, const char *key, bool);
void	json_knull(struct json *, const char *key);

/* Append S to B as a JSON string literal, quotes included. */
void	json_quote(struct buf *b, const char *s);

#endif
