/*
 * expand.h -- supervisord's %(name)s expansion of config values.
 *
 * Pure: the caller passes the names it knows (here, program_name,
 * process_num, ...) and a function that looks up ENV_X variables.
 */
#ifndef PROCD_EXPAND_H
#define PROCD_EXPAND_H

#include <stddef.h>

/* One name usable as %(name)s: a string, or (STR == NULL) a number. */
struct expand_var {
	const char	*name;
	const char	*str;
	long		 num;
};

/* The value of environment variable NAME (without "ENV_"), or NULL. */
typedef const char *(*expand_env_cb)(const char *name, void *arg);

/*
 * Expand IN into a malloc'd *OUT: %(name)s and friends (printf flags, width
 * and precision, conversions s d i u o x X), %(ENV_X)s through ENV, and %%.
 * Returns -1 with a malloc'd *CAUSE for an unknown name, an unset variable,
 * a missing or unsupported conversion, or a lone '%'; *CAUSE is NULL when
 * memory ran out.
 */
int	expand_string(const char *in, const struct expand_var *vars,
	    size_t nvars, expand_env_cb env, void *arg, char **out,
	    char **cause);

#endif
