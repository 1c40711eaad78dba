/*
 * json.c -- the JSON writer (json.h): punctuation and string escaping.
 */
#include <inttypes.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "log.h"
#include "textsafe.h"

void
json_init(struct json *j, struct buf *b)
{
	*j = (struct json){ .b = b };
}

/* Before any value or key: the comma that separates it from the last. */
static void
json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->more[j->depth])
		buf_addstr(j->b, j->newline ? ",\n " : ",");
	j->more[j->depth] = true;
	j->newline = false;
}

static void
json_open(struct json *j, const char *bracket)
{
	json_sep(j);
	if (j->depth == JSON_DEPTH_MAX)
		fatalx("json: nested deeper than %d", JSON_DEPTH_MAX);
	buf_addstr(j->b, bracket);
	j->more[++j->depth] = false;
}

static void
json_close(struct json *j, const char *bracket)
{
	if (j->depth == 0)
		fatalx("json: %s with nothing open", bracket);
	j->depth--;
	buf_addstr(j->b, bracket);
}

void
json_object_begin(struct json *j)
{
	json_open(j, "{");
}

void
json_object_end(struct json *j)
{
	json_close(j, "}");
}

void
json_array_begin(struct json *j)
{
	json_open(j, "[");
}

void
json_array_end(struct json *j)
{
	json_close(j, "]");
}

void
json_newline(struct json *j)
{
	j->newline = j->more[j->depth];
}

void
json_str(struct json *j, const char *s)
{
	json_sep(j);
	if (s == NULL)
		buf_addstr(j->b, "null");
	else
		json_quote(j->b, s);
}

/* Decimal digits of V, without printf: status --json writes thousands. */
static void
json_digits(struct buf *b, uint64_t v, bool minus)
{
	char d[24], *p = d + sizeof d;

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (minus)
		*--p = '-';
	buf_add(b, p, (size_t)(d + sizeof d - p));
}

void
json_int(struct json *j, int64_t v)
{
	json_sep(j);
	/* -(v + 1) + 1: INT64_MIN has no positive counterpart. */
	json_digits(j->b, v < 0 ? (uint64_t)-(v + 1) + 1 : (uint64_t)v, v < 0);
}

void
json_uint(struct json *j, uint64_t v)
{
	json_sep(j);
	json_digits(j->b, v, false);
}

void
json_bool(struct json *j, bool v)
{
	json_sep(j);
	buf_addstr(j->b, v ? "true" : "false");
}

void
json_null(struct json *j)
{
	json_sep(j);
	buf_addstr(j->b, "null");
}

void
json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_quote(j->b, key);
	buf_addstr(j->b, ":");
	j->after_key = true;
}

void
json_kstr(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void
json_kint(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

void
json_kuint(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_uint(j, v);
}

void
json_kbool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void
json_knull(struct json *j, const char *key)
{
	json_key(j, key);
	json_null(j);
}

/* Append the character at P (LEFT bytes remain) to B as JSON: controls
 * and bidi code points as \uNNNN, anything that is not well-formed UTF-8
 * as \ufffd (a byte at a time).  Returns the bytes used. */
static size_t
json_char(struct buf *b, const unsigned char *p, size_t left)
{
	uint32_t cp;
	size_t n;

	switch (*p) {
	case '"':
		buf_addstr(b, "\\\"");
		return 1;
	case '\\':
		buf_addstr(b, "\\\\");
		return 1;
	case '\n':
		buf_addstr(b, "\\n");
		return 1;
	case '\t':
		buf_addstr(b, "\\t");
		return 1;
	}
	if ((n = textsafe_utf8(p, left, &cp)) == 0) {
		buf_addstr(b, "\\ufffd");
		return 1;
	}
	if (textsafe_is_control(cp))
		buf_addf(b, "\\u%04x", (unsigned)cp);
	else
		buf_add(b, p, n);
	return n;
}

void
json_quote(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), n;

	buf_reserve(b, left + 2);
	buf_add(b, "\"", 1);
	while (left > 0) {
		/* Printable ASCII with no escape goes out in runs. */
		for (n = 0; n < left && p[n] >= 0x20 && p[n] < 0x7f &&
		    p[n] != '"' && p[n] != '\\'; n++)
			;
		if (n == 0)
			n = json_char(b, p, left);
		else
			buf_add(b, p, n);
		p += n;
		left -= n;
	}
	buf_add(b, "\"", 1);
}
