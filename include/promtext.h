/*
 * promtext.h -- Prometheus's text exposition format, version 0.0.4: the
 * writer /metrics is made with (metrics.c).  Pure: it appends to a buf.
 *
 * A family is its "# HELP" and "# TYPE" lines, then its samples.  Label
 * values are escaped as the format says (backslash, double quote and
 * newline as \\, \" and \n) and are always valid UTF-8 (a byte that is
 * not well-formed UTF-8 becomes U+FFFD); HELP text escapes backslash and
 * newline.  Metric and label names are the caller's constants: one that
 * breaks the naming rules is a bug, and is refused (nothing written, -1)
 * rather than written into a document no scraper could read.
 */
#ifndef PROCD_PROMTEXT_H
#define PROCD_PROMTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define PROMTEXT_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

struct promlabel {
	const char	*name;
	const char	*value;
};

/* [a-zA-Z_:][a-zA-Z0-9_:]* */
bool	promtext_metric_name_ok(const char *);
/* [a-zA-Z_][a-zA-Z0-9_]*, and not "__..." (reserved to Prometheus). */
bool	promtext_label_name_ok(const char *);
/* Append V as a label value's text, without the quotes. */
void	promtext_escape_value(struct buf *, const char *v);

/* "# HELP NAME HELP" and "# TYPE NAME TYPE" (counter, gauge, ...).
 * 0, or -1 (nothing written) for a name that breaks the rules. */
int	promtext_family(struct buf *, const char *name, const char *type,
	    const char *help);
/* One sample: NAME{L1="v1",...} VALUE.  0, or -1 (nothing written) for
 * a metric or label name that breaks the rules. */
int	promtext_sample(struct buf *, const char *name,
	    const struct promlabel *labels, size_t nlabels, int64_t value);

#endif
