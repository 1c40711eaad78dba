/*
 * cfgget.h -- typed values from the section store (cfgstore.h): a key's
 * text, %(x)s-expanded, then parsed by cfgval.h, with FILE:LINE errors.
 */
#ifndef PROCD_CFGGET_H
#define PROCD_CFGGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfgstore.h"
#include "config.h"
#include "expand.h"

/* What a value is expanded with besides %(here)s and the environment. */
struct cfgexp {
	const struct expand_var *vars;
	size_t		 nvars;
	char *const	*env;		/* [supervisord] environment=, first */
};

/* Expand the raw value of K (a key of S, or one built by the caller). */
int		 cfgget_expand(struct cfgstore *, const struct cfgsect *,
		    const struct cfgkey *, const struct cfgexp *, char **out);

/*
 * Typed getters.  Each leaves *OUT alone when the key is unset and returns
 * 0; sets *OUT (a string one without freeing what was there) and returns 0
 * on success; returns -1 after adding an error when the value does not
 * expand or does not parse.
 */
int		 cfgget_str(struct cfgstore *, const struct cfgsect *,
		    const char *key, const struct cfgexp *, char **out);
int		 cfgget_path(struct cfgstore *, const struct cfgsect *,
		    const char *key, const struct cfgexp *, char **out);
int		 cfgget_bool(struct cfgstore *, const struct cfgsect *,
		    const char *key, const struct cfgexp *, bool *out);
int		 cfgget_int(struct cfgstore *, const struct cfgsect *,
		    const char *key, const struct cfgexp *, long min, long max,
		    long *out);
int		 cfgget_size(struct cfgstore *, const struct cfgsect *,
		    const char *key, const struct cfgexp *, uint64_t *out);
int		 cfgget_octal(struct cfgstore *, const struct cfgsect *,
		    const char *key, const struct cfgexp *, int max, int *out);
int		 cfgget_signal(struct cfgstore *, const struct cfgsect *,
		    const char *key, const struct cfgexp *, int *out);
int		 cfgget_exitcodes(struct cfgstore *, const struct cfgsect *,
		    const char *key, const struct cfgexp *, uint8_t *out);
/* Any other typed value: PARSE(value, OUT, &cause) as cfgval_* does. */
int		 cfgget_typed(struct cfgstore *, const struct cfgsect *,
		    const char *key, const struct cfgexp *,
		    int (*parse)(const char *, void *, char **), void *out);
/* stdout_prefix=/stderr_prefix= K: one pair of quotes stripped, then
 * expanded, then checked (lineprefix.h); *OUT may be "". */
int		 cfgget_prefix(struct cfgstore *, const struct cfgsect *,
		    const struct cfgkey *k, const struct cfgexp *,
		    char **out);
int		 cfgget_autorestart(struct cfgstore *, const struct cfgsect *,
		    const char *key, const struct cfgexp *,
		    enum autorestart *out);

#endif
