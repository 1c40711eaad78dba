/*
 * cause.c -- format a failure's reason for a person (cause.h).
 */
#include <stdio.h>

#include "cause.h"

int
cause_vset(char **cause, const char *fmt, va_list ap)
{
	if (cause != NULL && vasprintf(cause, fmt, ap) == -1)
		*cause = NULL;
	return -1;
}

int
cause_set(char **cause, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cause_vset(cause, fmt, ap);
	va_end(ap);
	return -1;
}
