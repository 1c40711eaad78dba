/*
 * envlist.c -- environment= parsing, exactly as supervisord's
 * dict_of_key_value_pairs does it, and "K=V" vector helpers.
 *
 * supervisord splits the value with Python's shlex in non-POSIX mode:
 *   - words are runs of letters, digits and _ / . + - ( ) : (a word may also
 *     swallow quote characters that follow it);
 *   - '...' and "..." are single tokens that keep their quotes; backslash
 *     escapes nothing;
 *   - '#' skips to the end of the line (inside a word the word goes on on
 *     the next line, a quirk kept here);
 *   - every other character (',', ';', '=', '@', '$', a non-ASCII letter) is
 *     a token by itself.
 * The tokens are then read as KEY = VALUE triples, each followed by exactly
 * one separator token that is skipped unchecked (so "A=1;B=2" works and
 * "A=x@y" does not); quote characters are stripped from both ends of the
 * value only.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "cfgval.h"
#include "envlist.h"

struct envlist_tokens {
	char	**v;
	size_t	  n, cap;
};

static bool
envlist_wordchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("_/.+-():", c));
}

static bool
envlist_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Bytes in the character at P: a whole UTF-8 sequence counts as one. */
static size_t
envlist_charlen(const char *p)
{
	size_t	n = 1;

	if ((unsigned char)*p >= 0x80) {
		while (((unsigned char)p[n] & 0xc0) == 0x80)
			n++;
	}
	return n;
}

static int
envlist_add(struct envlist_tokens *t, const char *s, size_t n)
{
	char	**p;

	if (t->n == t->cap) {
		size_t ncap = t->cap == 0 ? 16 : t->cap * 2;

		if ((p = reallocarray(t->v, ncap, sizeof *p)) == NULL)
			return -1;
		t->v = p;
		t->cap = ncap;
	}
	if ((t->v[t->n] = strndup(s, n)) == NULL)
		return -1;
	t->n++;
	return 0;
}

/* Append S[0..N) to the malloc'd token *TOK. */
static int
envlist_grow(char **tok, const char *s, size_t n)
{
	size_t	 len = strlen(*tok);
	char	*p;

	if ((p = realloc(*tok, len + n + 1)) == NULL)
		return -1;
	memcpy(p + len, s, n);
	p[len + n] = '\0';
	*tok = p;
	return 0;
}

/* Past the next newline at or after P (or at the end). */
static const char *
envlist_skipline(const char *p)
{
	const char	*nl = strchr(p, '\n');

	return nl != NULL ? nl + 1 : p + strlen(p);
}

/* Read one word starting at *PP into the token list (shlex state 'a'). */
static int
envlist_word(struct envlist_tokens *t, const char **pp)
{
	const char	*p = *pp;
	size_t		 n;

	if (envlist_add(t, "", 0) == -1)
		return -1;
	while (*p != '\0' && !envlist_blank(*p)) {
		if (*p == '#') {
			p = envlist_skipline(p);
			continue;
		}
		if (!envlist_wordchar(*p) && *p != '"' && *p != '\'')
			break;
		n = envlist_charlen(p);
		if (envlist_grow(&t->v[t->n - 1], p, n) == -1)
			return -1;
		p += n;
	}
	*pp = p;
	return 0;
}

/* Split S into shlex (non-POSIX) tokens; -1 with *CAUSE on a lone quote. */
static int
envlist_split(const char *s, struct envlist_tokens *t, char **cause)
{
	const char	*p = s, *q;
	size_t		 n;

	while (*p != '\0') {
		if (envlist_blank(*p))
			p++;
		else if (*p == '#')
			p = envlist_skipline(p);
		else if (envlist_wordchar(*p)) {
			if (envlist_word(t, &p) == -1)
				return -1;
		} else if (*p == '"' || *p == '\'') {
			if ((q = strchr(p + 1, *p)) == NULL)
				return cause_set(cause, "unterminated %c quote "
				    "(opened at index %zu)", *p,
				    (size_t)(p - s));
			if (envlist_add(t, p, q + 1 - p) == -1)
				return -1;
			p = q + 1;
		} else {
			n = envlist_charlen(p);
			if (envlist_add(t, p, n) == -1)
				return -1;
			p += n;
		}
	}
	return 0;
}

void
envlist_free(char **env)
{
	char	**p;

	if (env == NULL)
		return;
	for (p = env; *p != NULL; p++)
		free(*p);
	free(env);
}

static size_t
envlist_len(char *const *env)
{
	size_t	n = 0;

	while (env != NULL && env[n] != NULL)
		n++;
	return n;
}

/* The slot of KEY (KEYLEN bytes) in ENV, or NULL. */
static char *const *
envlist_find(char *const *env, const char *key, size_t keylen)
{
	for (; env != NULL && *env != NULL; env++) {
		if (strncmp(*env, key, keylen) == 0 && (*env)[keylen] == '=')
			return env;
	}
	return NULL;
}

const char *
envlist_get(char *const *env, const char *key)
{
	char *const	*slot = envlist_find(env, key, strlen(key));

	return slot != NULL ? *slot + strlen(key) + 1 : NULL;
}

/* Set "K=V" in *ENV (which has room for one more), replacing an old K. */
static void
envlist_put(char **env, size_t *n, char *kv)
{
	size_t		 keylen = strcspn(kv, "=");
	char *const	*slot = envlist_find(env, kv, keylen);

	if (slot != NULL) {
		free(env[slot - env]);
		env[slot - env] = kv;
		return;
	}
	env[(*n)++] = kv;
	env[*n] = NULL;
}

char **
envlist_merge(char *const *base, char *const *over)
{
	size_t	  nb = envlist_len(base), no = envlist_len(over), n = 0, i;
	char	**env, *kv;

	if ((env = calloc(nb + no + 1, sizeof *env)) == NULL)
		return NULL;
	for (i = 0; i < nb + no; i++) {
		kv = strdup(i < nb ? base[i] : over[i - nb]);
		if (kv == NULL) {
			envlist_free(env);
			return NULL;
		}
		envlist_put(env, &n, kv);
	}
	return env;
}

/* "K=V" from key token K and value token V (quotes stripped from its ends). */
static char *
envlist_pair(const char *k, const char *v)
{
	size_t	 vlen = strlen(v);
	char	*kv;

	while (*v == '"' || *v == '\'')
		v++, vlen--;
	while (vlen > 0 && (v[vlen - 1] == '"' || v[vlen - 1] == '\''))
		vlen--;
	if (asprintf(&kv, "%s=%.*s", k, (int)vlen, v) == -1)
		return NULL;
	return kv;
}

/* Read the KEY = VALUE triples of T into a new vector. */
static char **
envlist_pairs(struct envlist_tokens *t, const char *s, char **cause)
{
	char	 q[CFGVAL_QUOTE_SIZE], **env, *kv;
	size_t	 i, n = 0;

	if ((env = calloc(t->n / 3 + 2, sizeof *env)) == NULL)
		return NULL;
	for (i = 0; i < t->n; i += 4) {
		if (i + 2 >= t->n || strcmp(t->v[i + 1], "=") != 0) {
			cause_set(cause, "unexpected end of key/value pairs "
			    "at '%s'%s%s%s in %s (write KEY=VALUE,KEY=VALUE and "
			    "quote values with spaces or other special "
			    "characters)", t->v[i], i > 0 ? " (after separator '"
			    : "", i > 0 ? t->v[i - 1] : "", i > 0 ? "')" : "",
			    cfgval_quote(s, q, sizeof q));
			goto fail;
		}
		if (strchr(t->v[i], '=') != NULL) {
			cause_set(cause, "key %s contains '='", t->v[i]);
			goto fail;
		}
		if ((kv = envlist_pair(t->v[i], t->v[i + 2])) == NULL)
			goto fail;
		envlist_put(env, &n, kv);
	}
	return env;
fail:
	envlist_free(env);
	return NULL;
}

char **
envlist_parse(const char *s, char **cause)
{
	struct envlist_tokens	 t = { 0 };
	char			**env = NULL;
	size_t			 i;

	*cause = NULL;
	if (envlist_split(s, &t, cause) == 0)
		env = envlist_pairs(&t, s, cause);
	for (i = 0; i < t.n; i++)
		free(t.v[i]);
	free(t.v);
	if (env == NULL)
		errno = *cause != NULL ? EINVAL : ENOMEM;
	return env;
}
