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

/* Append S with backslash, newline and (QUOTE) double quote escaped, and
 * every byte that is not well-formed UTF-8 as U+FFFD. */
static void
promtext_escape(struct buf *b, const char *s, bool quote)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;
	uint32_t cp;

	while (n > 0) {
		if (*p == '\\' || *p == '\n' || (quote && *p == '"')) {
			buf_addstr(b, *p == '\\' ? "\\\\" : *p == '\n' ?
			    "\\n" : "\\\"");
			k = 1;
		} else if (*p < 0x80) {
			buf_add(b, p, 1);
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
promtext_sample(struct buf *b, const char *name,
    const struct promlabel *labels, size_t nlabels, int64_t value)
{
	if (!promtext_metric_name_ok(name))
		return -1;
	for (size_t i = 0; i < nlabels; i++)
		if (!promtext_label_name_ok(labels[i].name))
			return -1;
	buf_addstr(b, name);
	for (size_t i = 0; i < nlabels; i++) {
		buf_addf(b, "%s%s=\"", i == 0 ? "{" : ",", labels[i].name);
		promtext_escape_value(b, labels[i].value);
		buf_addstr(b, "\"");
	}
	buf_addf(b, "%s %lld\n", nlabels > 0 ? "}" : "", (long long)value);
	return 0;
}
