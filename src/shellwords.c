/*
 * shellwords.c -- command= to argv, exactly as Python's shlex.split (POSIX
 * mode) splits it for supervisord.
 *
 * Blanks (space, tab, CR, LF) separate words; '...' is literal; inside "..."
 * a backslash escapes only '"' and '\' and is otherwise kept (so a
 * backslash-newline inside double quotes stays for bash -c to see); outside
 * quotes a backslash takes the next character literally, newline included.
 * There are no comments and no expansions: $X, `...`, ; and | are just
 * characters, because procd never runs a shell.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "cfgval.h"
#include "shellwords.h"

enum shellwords_state {
	SW_BLANK,		/* between words */
	SW_WORD,		/* in a word, outside quotes */
	SW_SQUOTE,		/* inside '...' */
	SW_DQUOTE,		/* inside "..." */
};

struct shellwords {
	char	*word;
	size_t	 len, cap;
	char   **v;
	size_t	 n, vcap;
};

static int
shellwords_putc(struct shellwords *sw, char c)
{
	char	*p;

	if (sw->len + 2 > sw->cap) {
		size_t ncap = sw->cap == 0 ? 64 : sw->cap * 2;

		if ((p = realloc(sw->word, ncap)) == NULL)
			return -1;
		sw->word = p;
		sw->cap = ncap;
	}
	sw->word[sw->len++] = c;
	sw->word[sw->len] = '\0';
	return 0;
}

/* End the current word (possibly empty, as after '') and add it to argv. */
static int
shellwords_emit(struct shellwords *sw)
{
	char	**p, *w;

	if (sw->n + 2 > sw->vcap) {
		size_t ncap = sw->vcap == 0 ? 8 : sw->vcap * 2;

		if ((p = reallocarray(sw->v, ncap, sizeof *p)) == NULL)
			return -1;
		sw->v = p;
		sw->vcap = ncap;
	}
	if ((w = strndup(sw->len ? sw->word : "", sw->len)) == NULL)
		return -1;
	sw->v[sw->n++] = w;
	sw->v[sw->n] = NULL;
	sw->len = 0;
	return 0;
}

static bool
shellwords_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * One step of the state machine at *PP (which may advance past an escaped
 * character).  Returns the new state, or -1 on allocation failure.
 */
static int
shellwords_step(struct shellwords *sw, enum shellwords_state st,
    const char **pp)
{
	const char	*p = *pp;

	switch (st) {
	case SW_BLANK:
		if (shellwords_blank(*p))
			return SW_BLANK;
		/* FALLTHROUGH */
	case SW_WORD:
		if (shellwords_blank(*p))
			return shellwords_emit(sw) == -1 ? -1 : SW_BLANK;
		if (*p == '\'')
			return SW_SQUOTE;
		if (*p == '"')
			return SW_DQUOTE;
		if (*p == '\\')
			*pp = ++p;	/* caller checked p[1] != '\0' */
		return shellwords_putc(sw, *p) == -1 ? -1 : SW_WORD;
	case SW_SQUOTE:
		if (*p == '\'')
			return SW_WORD;
		return shellwords_putc(sw, *p) == -1 ? -1 : SW_SQUOTE;
	case SW_DQUOTE:
		if (*p == '"')
			return SW_WORD;
		if (*p == '\\') {
			*pp = ++p;
			if (*p != '"' && *p != '\\' &&
			    shellwords_putc(sw, '\\') == -1)
				return -1;
		}
		return shellwords_putc(sw, *p) == -1 ? -1 : SW_DQUOTE;
	}
	return -1;
}

void
shellwords_free(char **v)
{
	char	**p;

	if (v == NULL)
		return;
	for (p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

char **
shellwords_split(const char *s, char **cause)
{
	struct shellwords	 sw = { 0 };
	const char		*p, *quote = NULL;
	int			 st = SW_BLANK;

	*cause = NULL;
	for (p = s; *p != '\0'; p++) {
		if (*p == '\\' && p[1] == '\0' && st != SW_SQUOTE) {
			cause_set(cause, "trailing backslash at index %zu "
			    "escapes nothing", (size_t)(p - s));
			goto fail;
		}
		if ((st == SW_BLANK || st == SW_WORD) &&
		    (*p == '\'' || *p == '"'))
			quote = p;
		if ((st = shellwords_step(&sw, st, &p)) == -1)
			goto fail;
	}
	if (st == SW_SQUOTE || st == SW_DQUOTE) {
		cause_set(cause, "unterminated %c quote (opened at index %zu)",
		    *quote, (size_t)(quote - s));
		goto fail;
	}
	if ((st == SW_WORD && shellwords_emit(&sw) == -1) ||
	    (sw.v == NULL && (sw.v = calloc(1, sizeof *sw.v)) == NULL))
		goto fail;
	free(sw.word);
	return sw.v;
fail:
	free(sw.word);
	shellwords_free(sw.v);
	errno = *cause != NULL ? EINVAL : ENOMEM;
	return NULL;
}
