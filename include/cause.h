/*
 * cause.h -- the reason a person reads when something fails: functions
 * that may fail in a way a user must understand return -1 and fill a
 * "char **cause" (STYLE.md, "Errors").
 */
#ifndef PROCD_CAUSE_H
#define PROCD_CAUSE_H

#include <stdarg.h>

/* *CAUSE = the formatted message (NULL if out of memory); returns -1, so
 * that "return cause_set(cause, ...);" reads as a failure. */
int	cause_set(char **cause, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	cause_vset(char **cause, const char *fmt, va_list)
	    __attribute__((format(printf, 2, 0)));

#endif
