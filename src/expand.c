/*
 * expand.c -- %(name)s expansion, as supervisord does it with Python's
 * "value % dict" operator.
 *
 * A '%' is either "%%" or the start of "%(name)" followed by printf-style
 * flags, width, precision and one conversion character; anything else is an
 * error, as it is for supervisord (so "date +%Y" must be written "+%%Y").
 * Widths and precisions count characters, not bytes, as Python does.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "cfgval.h"
#include "expand.h"

/* Widths beyond this are surely mistakes; refuse rather than allocate. */
#define EXPAND_WIDTH_MAX 4096

struct expand_buf {
	char	*s;
	size_t	 len, cap;
};

/* One parsed "%(name)<flags><width>.<prec><conv>". */
struct expand_spec {
	const char	*name;		/* points into the input */
	size_t		 namelen;
	bool		 left, zero, plus, space, alt;
	long		 width, prec;	/* -1: not given */
	char		 conv;
};

static int
expand_put(struct expand_buf *b, const char *s, size_t n)
{
	char	*p;
	size_t	 ncap;

	if (b->len + n + 1 > b->cap) {
		ncap = b->cap == 0 ? 128 : b->cap;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((p = realloc(b->s, ncap)) == NULL)
			return -1;
		b->s = p;
		b->cap = ncap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

static int
expand_pad(struct expand_buf *b, char c, long n)
{
	for (; n > 0; n--) {
		if (expand_put(b, &c, 1) == -1)
			return -1;
	}
	return 0;
}

/* Characters (UTF-8 code points) in S[0..N). */
static long
expand_nchars(const char *s, size_t n)
{
	long	c = 0;
	size_t	i;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Bytes of S[0..N) that hold its first MAX characters. */
static size_t
expand_prefix(const char *s, size_t n, long max)
{
	size_t	i;
	long	c = 0;

	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && c++ == max)
			break;
	}
	return i;
}

/* A width or precision: digits, capped. Returns -1 for '*' or too big. */
static int
expand_number(const char **pp, long *out)
{
	const char	*p = *pp;
	long		 v = 0;

	if (*p == '*')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > EXPAND_WIDTH_MAX)
			return -1;
	}
	*pp = p;
	*out = v;
	return 0;
}

/*
 * Parse the spec after "%(" at P; on success *END is just past the
 * conversion character.  IN is the whole value, for error positions.
 */
static int
expand_parse(const char *in, const char *p, struct expand_spec *sp,
    const char **end, char **cause)
{
	const char	*q = p;
	int		 depth = 1;

	memset(sp, 0, sizeof *sp);
	sp->width = sp->prec = -1;
	/* Python counts nested parentheses in the key. */
	for (; *q != '\0' && (depth += (*q == '(') - (*q == ')')) > 0; q++)
		;
	if (*q == '\0')
		return cause_set(cause, "\"%%(\" at index %zu has no "
		    "closing ')'", (size_t)(p - 2 - in));
	sp->name = p;
	sp->namelen = q - p;
	for (q++; *q != '\0' && strchr("-+ #0", *q) != NULL; q++) {
		sp->left |= *q == '-';
		sp->plus |= *q == '+';
		sp->space |= *q == ' ';
		sp->alt |= *q == '#';
		sp->zero |= *q == '0';
	}
	if ((*q >= '1' && *q <= '9') || *q == '*') {
		if (expand_number(&q, &sp->width) == -1)
			goto badwidth;
	}
	if (*q == '.') {
		q++;
		if (expand_number(&q, &sp->prec) == -1)
			goto badwidth;
	}
	if (*q != '\0' && strchr("hlL", *q) != NULL)
		q++;
	if (*q == '\0')
		return cause_set(cause, "%%(%.*s) at index %zu has no "
		    "conversion character (write %%(%.*s)s)", (int)sp->namelen,
		    sp->name, (size_t)(p - 2 - in), (int)sp->namelen, sp->name);
	sp->conv = *q;
	*end = q + 1;
	if (strchr("sdiuoxX", sp->conv) != NULL)
		return 0;
	if (strchr("raceEfFgG%", sp->conv) != NULL)
		return cause_set(cause, "%%(%.*s)%c: the '%c' conversion is "
		    "not supported by procd (use s or d)", (int)sp->namelen,
		    sp->name, sp->conv, sp->conv);
	return cause_set(cause, "%%(%.*s) at index %zu is followed by '%c', "
	    "which is not a conversion character (write %%(%.*s)s)",
	    (int)sp->namelen, sp->name, (size_t)(p - 2 - in), sp->conv,
	    (int)sp->namelen, sp->name);
badwidth:
	return cause_set(cause, "%%(%.*s) at index %zu: width or precision "
	    "must be a number up to %d", (int)sp->namelen, sp->name,
	    (size_t)(p - 2 - in), EXPAND_WIDTH_MAX);
}

/* Append S[0..N) with the spec's width and precision (the s conversion). */
static int
expand_str(struct expand_buf *b, const struct expand_spec *sp, const char *s,
    size_t n)
{
	long	pad;

	if (sp->prec >= 0)
		n = expand_prefix(s, n, sp->prec);
	pad = sp->width - expand_nchars(s, n);
	if (!sp->left && expand_pad(b, ' ', pad) == -1)
		return -1;
	if (expand_put(b, s, n) == -1)
		return -1;
	return sp->left ? expand_pad(b, ' ', pad) : 0;
}

/* Append V formatted by a d i u o x X conversion, as Python does. */
static int
expand_num(struct expand_buf *b, const struct expand_spec *sp, long v)
{
	char		 digits[64], prefix[8];
	uintmax_t	 mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
	long		 nd, pad;

	switch (sp->conv) {
	case 'o':
		nd = snprintf(digits, sizeof digits, "%jo", mag);
		break;
	case 'x':
		nd = snprintf(digits, sizeof digits, "%jx", mag);
		break;
	case 'X':
		nd = snprintf(digits, sizeof digits, "%jX", mag);
		break;
	default:
		nd = snprintf(digits, sizeof digits, "%ju", mag);
		break;
	}
	snprintf(prefix, sizeof prefix, "%s%s",
	    v < 0 ? "-" : sp->plus ? "+" : sp->space ? " " : "",
	    !sp->alt ? "" : sp->conv == 'o' ? "0o" :
	    sp->conv == 'x' ? "0x" : sp->conv == 'X' ? "0X" : "");
	pad = sp->width - (long)strlen(prefix) - (sp->prec > nd ? sp->prec : nd);
	if (!sp->left && !sp->zero && expand_pad(b, ' ', pad) == -1)
		return -1;
	if (expand_put(b, prefix, strlen(prefix)) == -1)
		return -1;
	if (!sp->left && sp->zero && expand_pad(b, '0', pad) == -1)
		return -1;
	if (expand_pad(b, '0', sp->prec - nd) == -1 ||
	    expand_put(b, digits, nd) == -1)
		return -1;
	return sp->left ? expand_pad(b, ' ', pad) : 0;
}

/* Say which names exist, for an "unknown name" message. */
static int
expand_unknown(const struct expand_spec *sp, const struct expand_var *vars,
    size_t nvars, char **cause)
{
	struct expand_buf	 b = { 0 };
	size_t			 i;
	int			 r;

	for (i = 0; i < nvars; i++) {
		if (expand_put(&b, vars[i].name, strlen(vars[i].name)) == -1 ||
		    expand_put(&b, ", ", 2) == -1) {
			free(b.s);
			return cause_set(cause, "out of memory");
		}
	}
	r = cause_set(cause, "%%(%.*s)%c: unknown name '%.*s' (known: "
	    "%sENV_<variable>)", (int)sp->namelen, sp->name, sp->conv,
	    (int)sp->namelen, sp->name, b.s != NULL ? b.s : "");
	free(b.s);
	return r;
}

/* Look up the spec's name and append its formatted value. */
static int
expand_one(struct expand_buf *b, const struct expand_spec *sp,
    const struct expand_var *vars, size_t nvars, expand_env_cb env,
    void *arg, char **cause)
{
	const struct expand_var	*var = NULL;
	const char		*val;
	char			*name, num[32];
	size_t			 i;

	for (i = 0; i < nvars && var == NULL; i++) {
		if (strlen(vars[i].name) == sp->namelen &&
		    memcmp(vars[i].name, sp->name, sp->namelen) == 0)
			var = &vars[i];
	}
	if (var != NULL && var->str == NULL) {
		if (sp->conv != 's')
			return expand_num(b, sp, var->num);
		snprintf(num, sizeof num, "%ld", var->num);
		return expand_str(b, sp, num, strlen(num));
	}
	if (var != NULL)
		val = var->str;
	else if (sp->namelen > 4 && strncmp(sp->name, "ENV_", 4) == 0) {
		if ((name = strndup(sp->name + 4, sp->namelen - 4)) == NULL)
			return cause_set(cause, "out of memory");
		val = env != NULL ? env(name, arg) : NULL;
		free(name);
		if (val == NULL)
			return cause_set(cause, "%%(%.*s)%c: environment "
			    "variable %.*s is not set", (int)sp->namelen,
			    sp->name, sp->conv, (int)sp->namelen - 4,
			    sp->name + 4);
	} else
		return expand_unknown(sp, vars, nvars, cause);
	if (sp->conv != 's')
		return cause_set(cause, "%%(%.*s)%c: '%c' needs a number, "
		    "but %.*s is a string (use %%(%.*s)s)", (int)sp->namelen,
		    sp->name, sp->conv, sp->conv, (int)sp->namelen, sp->name,
		    (int)sp->namelen, sp->name);
	return expand_str(b, sp, val, strlen(val));
}

int
expand_string(const char *in, const struct expand_var *vars, size_t nvars,
    expand_env_cb env, void *arg, char **out, char **cause)
{
	struct expand_buf	 b = { 0 };
	struct expand_spec	 sp;
	const char		*p, *pct;

	*out = *cause = NULL;
	for (p = in; (pct = strchr(p, '%')) != NULL; p = pct) {
		if (expand_put(&b, p, pct - p) == -1)
			goto nomem;
		if (pct[1] == '%') {
			if (expand_put(&b, "%", 1) == -1)
				goto nomem;
			pct += 2;
			continue;
		}
		if (pct[1] != '(') {
			cause_set(cause, "'%%' at index %zu is not followed by "
			    "(name) or %%: write %%%% for a literal %%",
			    (size_t)(pct - in));
			goto fail;
		}
		if (expand_parse(in, pct + 2, &sp, &pct, cause) == -1 ||
		    expand_one(&b, &sp, vars, nvars, env, arg, cause) == -1)
			goto fail;
	}
	if (expand_put(&b, p, strlen(p)) == -1)
		goto nomem;
	/* Kept for as long as the config: no slack (128 bytes or more). */
	if ((*out = realloc(b.s, b.len + 1)) == NULL)
		*out = b.s;
	return 0;
nomem:
	*cause = NULL;
fail:
	free(b.s);
	if (*cause == NULL)
		errno = ENOMEM;
	return -1;
}
