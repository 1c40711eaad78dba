/*
 * jsonread.c -- JSON text to the gateway's value tree (jsonread.h).
 * A recursive-descent reader over a bounded buffer.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonread.h"

struct jr {
	const char	*s, *end;
	int		 depth;
};

static struct xr_value *jr_value(struct jr *);

static void
jr_blank(struct jr *r)
{
	while (r->s < r->end && strchr(" \t\r\n", *r->s) != NULL &&
	    *r->s != '\0')
		r->s++;
}

static bool
jr_lit(struct jr *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->s) < n || memcmp(r->s, word, n) != 0)
		return false;
	r->s += n;
	return true;
}

static int
jr_hex4(const char *s, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
		    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		*out = *out * 16 + (unsigned)d;
	}
	return 0;
}

static void
jr_utf8(struct buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12), n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18), n = 4;
	}
	for (size_t i = 1; i < n; i++)
		u[i] = (char)(0x80 | ((cp >> (6 * (n - 1 - i))) & 0x3f));
	buf_add(b, u, n);
}

/* A \u escape (after the 'u'), with a surrogate pair's second half. */
static int
jr_unicode(struct jr *r, struct buf *b)
{
	unsigned cp, lo;

	if (r->end - r->s < 4 || jr_hex4(r->s, &cp) == -1)
		return -1;
	r->s += 4;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return -1;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (r->end - r->s < 6 || r->s[0] != '\\' || r->s[1] != 'u' ||
		    jr_hex4(r->s + 2, &lo) == -1 || lo < 0xdc00 || lo > 0xdfff)
			return -1;
		r->s += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	jr_utf8(b, cp);
	return 0;
}

static int
jr_escape(struct jr *r, struct buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;

	if (r->s == r->end)
		return -1;
	if (*r->s == 'u') {
		r->s++;
		return jr_unicode(r, b);
	}
	if (*r->s == '\0' || (k = strchr(from, *r->s)) == NULL)
		return -1;
	buf_add(b, &to[k - from], 1);
	r->s++;
	return 0;
}

/* A string, after its opening quote, into B. */
static int
jr_string(struct jr *r, struct buf *b)
{
	while (r->s < r->end) {
		const char *run = r->s;
		/* Plain characters are copied in runs, not one by one. */
		while (r->s < r->end && *r->s != '"' && *r->s != '\\' &&
		    (unsigned char)*r->s >= 0x20)
			r->s++;
		if (r->s > run)
			buf_add(b, run, (size_t)(r->s - run));
		if (r->s == r->end)
			break;
		unsigned char c = (unsigned char)*r->s++;
		if (c == '"')
			return 0;
		if (c < 0x20)
			return -1;
		if (jr_escape(r, b) == -1)
			return -1;
	}
	return -1;
}

static struct xr_value *
jr_strval(struct jr *r)
{
	struct xr_value *v = NULL;
	struct buf b;

	buf_init(&b);
	r->s++;
	if (jr_string(r, &b) == 0)
		v = xr_strn(b.data ? b.data : "", b.len);
	buf_free(&b);
	return v;
}

static size_t
jr_digits(struct jr *r)
{
	const char *s = r->s;

	while (r->s < r->end && *r->s >= '0' && *r->s <= '9')
		r->s++;
	return (size_t)(r->s - s);
}

static struct xr_value *
jr_number(struct jr *r)
{
	const char *start = r->s;
	bool frac = false;
	char tmp[64];
	size_t n;

	if (r->s < r->end && *r->s == '-')
		r->s++;
	if ((n = jr_digits(r)) == 0 || (n > 1 && r->s[-(long)n] == '0'))
		return NULL;
	if (r->s < r->end && *r->s == '.') {
		r->s++;
		frac = true;
		if (jr_digits(r) == 0)
			return NULL;
	}
	if (r->s < r->end && (*r->s == 'e' || *r->s == 'E')) {
		r->s++;
		frac = true;
		if (r->s < r->end && (*r->s == '+' || *r->s == '-'))
			r->s++;
		if (jr_digits(r) == 0)
			return NULL;
	}
	if ((n = (size_t)(r->s - start)) >= sizeof tmp)
		return NULL;
	memcpy(tmp, start, n);
	tmp[n] = '\0';
	errno = 0;
	if (frac)
		return xr_double(strtod(tmp, NULL));
	long long v = strtoll(tmp, NULL, 10);
	return errno == 0 ? xr_int(v) : NULL;
}

/* The items of an array or the members of an object, after the '['/'{'. */
static struct xr_value *
jr_container(struct jr *r, bool object)
{
	struct xr_value *c = object ? xr_struct() : xr_array(), *v;
	struct buf key;

	buf_init(&key);
	r->s++;
	jr_blank(r);
	if (r->s < r->end && *r->s == (object ? '}' : ']')) {
		r->s++;
		return c;
	}
	for (;;) {
		jr_blank(r);
		if (object) {
			buf_reset(&key);
			if (r->s == r->end || *r->s != '"' ||
			    (r->s++, jr_string(r, &key)) == -1)
				break;
			jr_blank(r);
			if (r->s == r->end || *r->s++ != ':')
				break;
		}
		if ((v = jr_value(r)) == NULL)
			break;
		if (object)
			xr_set(c, key.data ? key.data : "", v);
		else
			xr_push(c, v);
		jr_blank(r);
		if (r->s < r->end && *r->s == ',') {
			r->s++;
			continue;
		}
		if (r->s < r->end && *r->s == (object ? '}' : ']')) {
			r->s++;
			buf_free(&key);
			return c;
		}
		break;
	}
	buf_free(&key);
	xr_free(c);
	return NULL;
}

static struct xr_value *
jr_value(struct jr *r)
{
	struct xr_value *v;

	jr_blank(r);
	if (r->s == r->end)
		return NULL;
	switch (*r->s) {
	case '{':
	case '[':
		if (r->depth == JSONREAD_DEPTH_MAX)
			return NULL;
		r->depth++;
		v = jr_container(r, *r->s == '{');
		r->depth--;
		return v;
	case '"':
		return jr_strval(r);
	case 't':
		return jr_lit(r, "true") ? xr_bool(true) : NULL;
	case 'f':
		return jr_lit(r, "false") ? xr_bool(false) : NULL;
	case 'n':
		return jr_lit(r, "null") ? xr_nil() : NULL;
	default:
		return jr_number(r);
	}
}

struct xr_value *
jsonread(const char *s, size_t len)
{
	struct jr r = { s, s + len, 0 };
	struct xr_value *v = jr_value(&r);

	jr_blank(&r);
	if (v != NULL && r.s != r.end) {
		xr_free(v);
		return NULL;
	}
	return v;
}
