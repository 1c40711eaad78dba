/*
 * diag.c -- the list of messages a config load produces (config.h).
 *
 * Every problem is kept, in the order found, with the file and line it is
 * about; nothing is printed until the caller asks.  An allocation failure
 * while recording an error still counts the error, so a load can never
 * succeed by losing its diagnostics.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static const char *const diag_names[] = {
	[DIAG_WARNING] = "warning",
	[DIAG_ERROR] = "error",
};
_Static_assert(sizeof diag_names / sizeof diag_names[0] == DIAG_ERROR + 1,
    "a name for every diag severity");

void
diag_add(struct diag_list *dl, enum diag_severity sev, const char *file,
    int line, const char *fmt, ...)
{
	struct diag	*d, *v;
	va_list		 ap;
	size_t		 ncap;

	if (sev == DIAG_ERROR)
		dl->nerrors++;
	if (dl->n == dl->cap) {
		ncap = dl->cap == 0 ? 16 : dl->cap * 2;
		if ((v = reallocarray(dl->v, ncap, sizeof *v)) == NULL)
			return;
		dl->v = v;
		dl->cap = ncap;
	}
	d = &dl->v[dl->n];
	d->severity = sev;
	d->line = line;
	if ((d->file = strdup(file != NULL ? file : "")) == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&d->msg, fmt, ap) == -1) {
		va_end(ap);
		free(d->file);
		return;
	}
	va_end(ap);
	dl->n++;
}

void
diag_print(const struct diag_list *dl, FILE *fp)
{
	const struct diag	*d;
	size_t			 i;

	for (i = 0; i < dl->n; i++) {
		d = &dl->v[i];
		if (d->line > 0)
			fprintf(fp, "%s:%d: %s: %s\n", d->file, d->line,
			    diag_names[d->severity], d->msg);
		else
			fprintf(fp, "%s: %s: %s\n", d->file,
			    diag_names[d->severity], d->msg);
	}
}

void
diag_free(struct diag_list *dl)
{
	size_t	i;

	for (i = 0; i < dl->n; i++) {
		free(dl->v[i].file);
		free(dl->v[i].msg);
	}
	free(dl->v);
	memset(dl, 0, sizeof *dl);
}
