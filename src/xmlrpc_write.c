/*
 * xmlrpc_write.c -- <methodResponse> documents (xmlrpc.h).
 *
 * Strings come from programs (their output, their spawn errors), so they
 * are made valid XML here whatever they hold: the markup characters are
 * escaped, and a byte that is not well-formed UTF-8 or a code point XML
 * 1.0 does not allow (most C0 controls, U+FFFE/U+FFFF) becomes U+FFFD --
 * the client's parser would reject the whole answer otherwise.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "textsafe.h"
#include "xmlrpc.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD in UTF-8 */

static bool
xml_char_ok(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	return cp != 0xfffe && cp != 0xffff;
}

/* Append the N bytes at S as XML character data. */
static void
xml_escape(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		size_t run = i;
		/* Plain ASCII goes out in runs. */
		while (run < n && p[run] >= 0x20 && p[run] < 0x80 &&
		    p[run] != '&' && p[run] != '<' && p[run] != '>')
			run++;
		buf_add(b, s + i, run - i);
		if ((i = run) == n)
			break;
		if (p[i] == '&' || p[i] == '<' || p[i] == '>') {
			buf_addstr(b, p[i] == '&' ? "&amp;" : p[i] == '<' ?
			    "&lt;" : "&gt;");
			i++;
			continue;
		}
		k = textsafe_utf8(p + i, n - i, &cp);
		if (k == 0 || !xml_char_ok(cp)) {
			buf_addstr(b, REPLACEMENT);
			i += k ? k : 1;
			continue;
		}
		/* \r would be read back as \n by the client's parser. */
		if (cp == '\r')
			buf_addstr(b, "&#13;");
		else
			buf_add(b, s + i, k);
		i += k;
	}
}

/* <TAG>V</TAG>, without printf: getAllProcessInfo writes thousands. */
static void
xml_int(struct buf *b, const char *tag, int64_t v)
{
	char d[48], *p = d + sizeof d;
	uint64_t u = v < 0 ? (uint64_t)-(v + 1) + 1 : (uint64_t)v;
	size_t tl = strlen(tag);

	p -= tl + 3;
	memcpy(p, "</", 2);
	memcpy(p + 2, tag, tl);
	p[tl + 2] = '>';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	*--p = '>';
	p -= tl;
	memcpy(p, tag, tl);
	*--p = '<';
	buf_add(b, p, (size_t)(d + sizeof d - p));
}

static void
xml_write(struct buf *b, const struct xr_value *v)
{
	buf_addstr(b, "<value>");
	switch (v->type) {
	case XR_NIL:
		buf_addstr(b, "<nil/>");
		break;
	case XR_INT:
		/* <int> is 32-bit; beyond it, the common <i8> extension. */
		xml_int(b, v->i >= INT32_MIN && v->i <= INT32_MAX ? "int" :
		    "i8", v->i);
		break;
	case XR_BOOL:
		buf_addstr(b, v->i ? "<boolean>1</boolean>" :
		    "<boolean>0</boolean>");
		break;
	case XR_DOUBLE:
		buf_addf(b, "<double>%.17g</double>", v->d);
		break;
	case XR_STRING:
		buf_addstr(b, "<string>");
		xml_escape(b, v->s, v->len);
		buf_addstr(b, "</string>");
		break;
	case XR_ARRAY:
		buf_addstr(b, "<array><data>\n");
		for (size_t i = 0; i < v->n; i++)
			xml_write(b, v->items[i]);
		buf_addstr(b, "</data></array>");
		break;
	case XR_RAW:
		buf_add(b, v->s, v->len);
		break;
	case XR_STRUCT:
		buf_addstr(b, "<struct>\n");
		for (size_t i = 0; i < v->n; i++) {
			buf_addstr(b, "<member><name>");
			xml_escape(b, v->keys[i], strlen(v->keys[i]));
			buf_addstr(b, "</name>");
			xml_write(b, v->items[i]);
			buf_addstr(b, "</member>\n");
		}
		buf_addstr(b, "</struct>");
		break;
	}
	buf_addstr(b, "</value>\n");
}

void
xmlrpc_member_int(struct buf *b, const char *key, int64_t v)
{
	buf_addstr(b, "<member><name>");
	xml_escape(b, key, strlen(key));
	buf_addstr(b, "</name><value>");
	xml_int(b, v >= INT32_MIN && v <= INT32_MAX ? "int" : "i8", v);
	buf_addstr(b, "</value>\n</member>\n");
}

void
xmlrpc_member_str(struct buf *b, const char *key, const char *s)
{
	buf_addstr(b, "<member><name>");
	xml_escape(b, key, strlen(key));
	buf_addstr(b, "</name><value><string>");
	xml_escape(b, s, strlen(s));
	buf_addstr(b, "</string></value>\n</member>\n");
}

void
xmlrpc_write_value(struct buf *b, const struct xr_value *v)
{
	xml_write(b, v);
}

void
xmlrpc_write_response(struct buf *b, const struct xr_value *v)
{
	if (v->type == XR_RAW)	/* a big answer: grown once, not doubled */
		buf_reserve(b, v->len + 256);
	buf_addstr(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<methodResponse>\n<params>\n<param>\n");
	xml_write(b, v);
	buf_addstr(b, "</param>\n</params>\n</methodResponse>\n");
}

void
xmlrpc_write_fault(struct buf *b, int code, const char *text)
{
	struct xr_value *f = xr_struct();

	xr_set(f, "faultCode", xr_int(code));
	xr_set(f, "faultString", xr_str(text));
	buf_addstr(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<methodResponse>\n<fault>\n");
	xml_write(b, f);
	buf_addstr(b, "</fault>\n</methodResponse>\n");
	xr_free(f);
}
