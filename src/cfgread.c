/*
 * cfgread.c -- INI lines, read as Python's RawConfigParser reads them for
 * supervisord (inline_comment_prefixes=(';', '#'), strict=False), with
 * inih doing the dispatch.
 *
 * Debian's inih has a 200-byte line buffer and gives its handler no line
 * numbers, so inih never sees a real line.  Our reader function sees every
 * physical line first: it counts lines, handles CRLF/CR endings and a BOM,
 * drops comments, joins continuation lines, and records each section header
 * and each complete key = value in a table.  For every table entry it then
 * hands inih a short stand-in line, "s=\1<index>" or "k=\1<index>", and the
 * handler takes the exact value and its line number from the table.  So a
 * 64 KiB line is read exactly and nothing a value contains can be cut or
 * reinterpreted by inih.
 *
 * The rules, line by line (as configparser applies them):
 *   - ';' or '#' starts a comment when it is the first non-blank character
 *     or when a blank comes right before it; otherwise it is data;
 *   - a non-blank line indented deeper than the key line it follows
 *     continues that key's value (joined with "\n", its own leading blanks
 *     stripped); blank lines inside such a value are kept, comment lines are
 *     skipped, and trailing blank lines are dropped;
 *   - "[...]" up to the last ']' is a section header (text after it is
 *     ignored, with a warning);
 *   - otherwise the first '=' or ':' splits key from value; both are
 *     stripped and the key is lower-cased.
 */

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "cfgread.h"

/* The marker that starts a stand-in value; it cannot occur in a real one
 * because inih never sees real lines. */
#define CFGREAD_MARK '\001'

struct cfgread_pending {
	bool		 open;		/* a key whose value may continue */
	int		 line;
	char		*key;
	char		*val;
	size_t		 len;
	size_t		 nblank;	/* blank lines not yet known to be inside */
};

struct cfgread {
	FILE		*fp;
	const char	*file;
	struct diag_list *diags;
	int		 lineno;	/* physical lines read */
	size_t		 bytes;		/* bytes read */
	bool		 eof;
	bool		 failed;	/* read error, allocation, callback */
	char		*buf;		/* one physical line */

	bool		 insection;	/* a header has been seen */
	int		 indent;	/* indentation of the last key/header */
	struct cfgread_pending pend;

	struct cfgread_entry *tab;	/* entries, in file order */
	size_t		 ntab, cap;
	size_t		 next;		/* first entry not yet given to inih */

	cfgread_cb	 cb;
	void		*arg;
};

/* Python's str.isspace() for ASCII, which is wider than C's isspace(). */
static bool
cfgread_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') ||
	    (c >= '\034' && c <= '\037');
}

static void
cfgread_oom(struct cfgread *r)
{
	if (!r->failed)
		diag_add(r->diags, DIAG_ERROR, r->file, r->lineno,
		    "out of memory");
	r->failed = true;
}

/* Add an entry to the table; takes NAME and VALUE. */
static void
cfgread_push(struct cfgread *r, enum cfgread_kind kind, int line, char *name,
    char *value)
{
	struct cfgread_entry	*t;
	size_t			 ncap;

	if (name == NULL || (kind == CFGREAD_KEY && value == NULL))
		goto fail;
	if (r->ntab == r->cap) {
		ncap = r->cap == 0 ? 64 : r->cap * 2;
		if ((t = reallocarray(r->tab, ncap, sizeof *t)) == NULL)
			goto fail;
		r->tab = t;
		r->cap = ncap;
	}
	r->tab[r->ntab++] = (struct cfgread_entry){ kind, line, name, value };
	return;
fail:
	free(name);
	free(value);
	cfgread_oom(r);
}

/* The pending key's value is complete: move it into the table. */
static void
cfgread_close(struct cfgread *r)
{
	struct cfgread_pending	*p = &r->pend;

	if (!p->open)
		return;
	cfgread_push(r, CFGREAD_KEY, p->line, p->key, p->val);
	memset(p, 0, sizeof *p);
}

/* Append a continuation line (after the blank lines it proves are inside). */
static void
cfgread_append(struct cfgread *r, const char *s, size_t n)
{
	struct cfgread_pending	*p = &r->pend;
	size_t			 add = p->nblank + 1 + n;
	char			*v;

	if ((v = realloc(p->val, p->len + add + 1)) == NULL) {
		cfgread_oom(r);
		return;
	}
	memset(v + p->len, '\n', p->nblank + 1);
	memcpy(v + p->len + p->nblank + 1, s, n);
	p->len += add;
	v[p->len] = '\0';
	p->val = v;
	p->nblank = 0;
}

/* Where an inline or whole-line comment starts in LINE, or LEN for none. */
static size_t
cfgread_comment(const char *line, size_t len)
{
	size_t	i;

	for (i = 0; i < len && cfgread_space(line[i]); i++)
		;
	if (i < len && (line[i] == ';' || line[i] == '#'))
		return 0;
	for (i = 1; i < len; i++) {
		if ((line[i] == ';' || line[i] == '#') &&
		    cfgread_space(line[i - 1]))
			return i;
	}
	return len;
}

/* A "[header]" line: record the section. */
static void
cfgread_header(struct cfgread *r, const char *s, size_t n)
{
	const char	*close = s + n - 1;

	while (*close != ']')
		close--;
	if ((size_t)(close + 1 - s) != n)
		diag_add(r->diags, DIAG_WARNING, r->file, r->lineno,
		    "text after the section header [%.*s] is ignored: %.*s",
		    (int)(close - s - 1), s + 1, (int)(n - (close + 1 - s)),
		    close + 1);
	cfgread_push(r, CFGREAD_SECTION, r->lineno,
	    strndup(s + 1, close - s - 1), NULL);
	r->insection = true;
}

/* A "key = value" line: it opens a pending value. */
static void
cfgread_key(struct cfgread *r, const char *s, size_t n)
{
	struct cfgread_pending	*p = &r->pend;
	size_t			 klen, vstart, i;

	for (klen = 0; klen < n && s[klen] != '=' && s[klen] != ':'; klen++)
		;
	if (klen == n) {
		diag_add(r->diags, DIAG_ERROR, r->file, r->lineno,
		    "expected [section], key = value, or a comment");
		return;
	}
	for (vstart = klen + 1; vstart < n && cfgread_space(s[vstart]);)
		vstart++;
	while (klen > 0 && cfgread_space(s[klen - 1]))
		klen--;
	if (klen == 0) {
		diag_add(r->diags, DIAG_ERROR, r->file, r->lineno,
		    "missing key name before '%c'", s[0]);
		return;
	}
	p->key = strndup(s, klen);
	p->val = strndup(s + vstart, n - vstart);
	if (p->key == NULL || p->val == NULL) {
		free(p->key);
		free(p->val);
		memset(p, 0, sizeof *p);
		cfgread_oom(r);
		return;
	}
	for (i = 0; i < klen; i++)
		p->key[i] = tolower((unsigned char)p->key[i]);
	p->open = true;
	p->line = r->lineno;
	p->len = n - vstart;
}

/* Apply one physical line (LEN bytes, no line ending) to the reader state. */
static void
cfgread_line(struct cfgread *r, const char *line, size_t len)
{
	size_t	end = cfgread_comment(line, len), start = 0, indent;

	while (start < end && cfgread_space(line[start]))
		start++;
	while (end > start && cfgread_space(line[end - 1]))
		end--;
	if (start == end) {
		/* Only a truly empty line, not a comment, can be inside. */
		if (r->pend.open && cfgread_comment(line, len) == len)
			r->pend.nblank++;
		return;
	}
	for (indent = 0; cfgread_space(line[indent]); indent++)
		;
	if (r->pend.open && (int)indent > r->indent) {
		cfgread_append(r, line + start, end - start);
		return;
	}
	cfgread_close(r);
	r->indent = indent;
	if (line[start] == '[' && end - start >= 3 &&
	    memchr(line + start + 2, ']', end - start - 2) != NULL)
		cfgread_header(r, line + start, end - start);
	else if (!r->insection)
		diag_add(r->diags, DIAG_ERROR, r->file, r->lineno,
		    "key = value line before any [section] header");
	else
		cfgread_key(r, line + start, end - start);
}

/*
 * Read one physical line into r->buf (universal newlines, as Python reads
 * text).  Returns its length, or -1 at the end of the file.  A line that is
 * too long or holds a NUL byte is reported and read as an empty comment.
 */
static ssize_t
cfgread_physical(struct cfgread *r)
{
	size_t	n = 0;
	bool	toolong = false, nul = false;
	int	c = EOF, d;

	while ((c = getc(r->fp)) != EOF && c != '\n') {
		if (++r->bytes > CFGREAD_FILE_MAX) {
			diag_add(r->diags, DIAG_ERROR, r->file, r->lineno + 1,
			    "file is longer than %d bytes (not read further)",
			    CFGREAD_FILE_MAX);
			return -1;
		}
		if (c == '\r') {
			if ((d = getc(r->fp)) != '\n' && d != EOF)
				ungetc(d, r->fp);
			break;
		}
		nul |= c == '\0';
		if (n < CFGREAD_LINE_MAX)
			r->buf[n++] = c;
		else
			toolong = true;
	}
	if (c == EOF && n == 0 && !toolong)
		return -1;
	r->bytes += c != EOF;	/* the newline */
	r->lineno++;
	if (toolong || nul) {
		diag_add(r->diags, DIAG_ERROR, r->file, r->lineno,
		    toolong ? "line is longer than %d bytes" :
		    "line contains a NUL byte", CFGREAD_LINE_MAX);
		return 0;
	}
	if (r->lineno == 1 && n >= 3 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0)
		memmove(r->buf, r->buf + 3, n -= 3);
	r->buf[n] = '\0';
	return n;
}

/* inih's fgets: produce the stand-in for the next table entry. */
static char *
cfgread_reader(char *str, int num, void *stream)
{
	struct cfgread	*r = stream;
	ssize_t		 n;

	while (r->next == r->ntab && !r->eof && !r->failed) {
		if ((n = cfgread_physical(r)) >= 0)
			cfgread_line(r, r->buf, n);
		else {
			r->eof = true;
			cfgread_close(r);
		}
	}
	if (r->next == r->ntab || r->failed)
		return NULL;
	snprintf(str, num, "%c=%c%zu\n",
	    r->tab[r->next].kind == CFGREAD_SECTION ? 's' : 'k',
	    CFGREAD_MARK, r->next);
	r->next++;
	return str;
}

/* inih's handler: find the real entry behind a stand-in and pass it on. */
static int
cfgread_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct cfgread	*r = user;
	unsigned long	 i;
	char		*end;

	(void)section;
	(void)name;
	if (value[0] != CFGREAD_MARK)
		return 0;
	errno = 0;
	i = strtoul(value + 1, &end, 10);
	if (errno != 0 || *end != '\0' || i >= r->ntab)
		return 0;
	if (r->cb(&r->tab[i], r->arg) != 0) {
		r->failed = true;
		return 0;
	}
	return 1;
}

int
cfgread_parse(FILE *fp, const char *file, struct diag_list *diags,
    cfgread_cb cb, void *arg)
{
	struct cfgread	 r = { .fp = fp, .file = file, .diags = diags,
			    .indent = 0, .cb = cb, .arg = arg };
	size_t		 i;
	int		 res;

	if ((r.buf = malloc(CFGREAD_LINE_MAX + 1)) == NULL) {
		diag_add(diags, DIAG_ERROR, file, 0, "out of memory");
		return -1;
	}
	res = ini_parse_stream(cfgread_reader, &r, cfgread_handler, &r);
	if (ferror(fp))
		diag_add(diags, DIAG_ERROR, file, r.lineno, "read error: %s",
		    strerror(errno));
	else if (res != 0 && !r.failed)
		diag_add(diags, DIAG_ERROR, file, r.lineno,
		    "internal error: inih rejected stand-in line %d", res);
	cfgread_close(&r);
	for (i = 0; i < r.ntab; i++) {
		free(r.tab[i].name);
		free(r.tab[i].value);
	}
	free(r.tab);
	free(r.buf);
	return res != 0 || r.failed || ferror(fp) ? -1 : 0;
}
