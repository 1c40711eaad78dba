/*
 * envlist.h -- environment= values, read as supervisord reads them, and the
 * NULL-terminated "K=V" vectors they become.
 */
#ifndef PROCD_ENVLIST_H
#define PROCD_ENVLIST_H

/*
 * Parse S (KEY=VALUE pairs, see envlist.c for the exact rules) into a
 * malloc'd "K=V" vector; a key given twice keeps its first place and its
 * last value.  NULL with a malloc'd *CAUSE on a bad layout; NULL with *CAUSE
 * NULL when memory ran out.
 */
char	**envlist_parse(const char *s, char **cause);
/* A new vector: BASE with OVER laid on top (either may be NULL). */
char	**envlist_merge(char *const *base, char *const *over);
/* The value of KEY in ENV, or NULL. */
const char *envlist_get(char *const *env, const char *key);
void	  envlist_free(char **);

#endif
