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
/* The NLABELS pairs L as they go between a sample's braces:
 * a="x",b="y".  Made once per label set, used for each of its samples.
 * 0, or -1 (nothing written) for a label name that breaks the rules. */
int	promtext_labels(struct buf *, const struct promlabel *l,
	    size_t nlabels);
/* One sample: NAME{LABELS} VALUE, with LABELS as promtext_labels wrote
 * them (NULL or "": none).  0, or -1 (nothing written) for a metric name
 * that breaks the rules. */
int	promtext_sample(struct buf *, const char *name, const char *labels,
	    int64_t value);

#endif
