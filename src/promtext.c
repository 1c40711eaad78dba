/*
 * promtext.c -- Prometheus's text exposition format (promtext.h).
 */
#include <string.h>

#include "buf.h"
#include "promtext.h"
#include "textsafe.h"

static bool
promtext_first(char c, bool colon)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (colon && c == ':');
}

static bool
promtext_name_ok(const char *s, bool colon)
{
	if (s == NULL || !promtext_first(*s, colon))
		return false;
	for (s++; *s != '\0'; s++)
		if (!promtext_first(*s, colon) && !(*s >= '0' && *s <= '9'))
			return false;
	return true;
}

bool
promtext_metric_name_ok(const char *s)
{
	return promtext_name_ok(s, true);
}

bool
promtext_label_name_ok(const char *s)
{
	return promtext_name_ok(s, false) && strncmp(s, "__", 2) != 0;
}

/* Does byte C need more than copying: an escape, or a UTF-8 check? */
static bool
promtext_special(unsigned char c, bool quote)
{
	return c == '\\' || c == '\n' || (quote && c == '"') || c >= 0x80;
}

/* Append S with backslash, newline and (QUOTE) double quote escaped, and
 * every byte that is not well-formed UTF-8 as U+FFFD.  Runs of plain
 * bytes go in at once: /metrics escapes thousands of names. */
static void
promtext_escape(struct buf *b, const char *s, bool quote)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;
	uint32_t cp;

	while (n > 0) {
		for (k = 0; k < n && !promtext_special(p[k], quote); k++)
			continue;
		buf_add(b, p, k);
		p += k;
		n -= k;
		if (n == 0)
			break;
		if (*p == '\\' || *p == '\n' || *p == '"') {
			buf_addstr(b, *p == '\\' ? "\\\\" : *p == '\n' ?
			    "\\n" : "\\\"");
			k = 1;
		} else if ((k = textsafe_utf8(p, n, &cp)) > 0) {
			buf_add(b, p, k);
		} else {
			buf_addstr(b, "\xef\xbf\xbd");
			k = 1;
		}
		p += k;
		n -= k;
	}
}

void
promtext_escape_value(struct buf *b, const char *v)
{
	promtext_escape(b, v != NULL ? v : "", true);
}

int
promtext_family(struct buf *b, const char *name, const char *type,
    const char *help)
{
	if (!promtext_metric_name_ok(name))
		return -1;
	buf_addf(b, "# HELP %s ", name);
	promtext_escape(b, help, false);
	buf_addf(b, "\n# TYPE %s %s\n", name, type);
	return 0;
}

int
promtext_labels(struct buf *b, const struct promlabel *l, size_t nlabels)
{
	for (size_t i = 0; i < nlabels; i++)
		if (!promtext_label_name_ok(l[i].name))
			return -1;
	for (size_t i = 0; i < nlabels; i++) {
		if (i > 0)
			buf_addstr(b, ",");
		buf_addstr(b, l[i].name);
		buf_addstr(b, "=\"");
		promtext_escape_value(b, l[i].value);
		buf_addstr(b, "\"");
	}
	return 0;
}

/* V in decimal, into the end of OUT (at least 21 bytes): its start. */
static char *
promtext_int(int64_t v, char *out, size_t size)
{
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	char *p = out + size;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		*--p = '-';
	return p;
}

int
promtext_sample(struct buf *b, const char *name, const char *labels,
    int64_t value)
{
	char num[24], *digits;

	if (!promtext_metric_name_ok(name))
		return -1;
	buf_addstr(b, name);
	if (labels != NULL && *labels != '\0') {
		buf_addstr(b, "{");
		buf_addstr(b, labels);
		buf_addstr(b, "}");
	}
	digits = promtext_int(value, num, sizeof num);
	buf_addstr(b, " ");
	buf_add(b, digits, (size_t)(num + sizeof num - digits));
	buf_addstr(b, "\n");
	return 0;
}
