/*
 * envfile.c -- environment_file= contents into "K=V" vectors (envfile.h):
 * the line format, and reading the file without ever blocking on it.
 *
 * The file is read by procd (root, often) for a program that may run as
 * another user, so a message about it names the file, the line and what is
 * wrong, but never shows what the line holds: it may be a secret, or a
 * line of a file the program's user could not read.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "config.h"
#include "envfile.h"
#include "envlist.h"
#include "safepath.h"
#include "sys.h"

/* A growing vector of "K=V", in file order, duplicates and all. */
struct envfile_vec {
	char	**v;
	size_t	  n, cap;
};

static bool
envfile_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A character of a variable name; FIRST: the name's first. */
static bool
envfile_keychar(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (!first && c >= '0' && c <= '9');
}

static int
envfile_push(struct envfile_vec *ev, char *kv)
{
	char	**p;

	if (ev->n + 1 >= ev->cap) {
		size_t ncap = ev->cap == 0 ? 16 : ev->cap * 2;

		if ((p = reallocarray(ev->v, ncap, sizeof *p)) == NULL) {
			free(kv);
			return -1;
		}
		ev->v = p;
		ev->cap = ncap;
	}
	ev->v[ev->n++] = kv;
	ev->v[ev->n] = NULL;
	return 0;
}

/* Past "export" and the blanks after it, when P..END starts with them. */
static const char *
envfile_skip_export(const char *p, const char *end)
{
	if (end - p > 6 && memcmp(p, "export", 6) == 0 &&
	    envfile_blank(p[6])) {
		for (p += 6; p < end && envfile_blank(*p); p++)
			;
	}
	return p;
}

/* The value P..*END without one matching pair of quotes around it; NULL
 * when it opens a quote that does not close at its end. */
static const char *
envfile_unquote(const char *p, const char **end)
{
	if (p == *end || (*p != '"' && *p != '\''))
		return p;
	if (*end - p < 2 || (*end)[-1] != *p)
		return NULL;
	(*end)--;
	return p + 1;
}

/* What envfile_line says when memory ran out (no fault of the line). */
static const char envfile_nomem[] = "out of memory";

/*
 * One line P..END (no newline) into *KV ("K=V", malloc'd), or *KV NULL for
 * a blank or comment line.  Returns what is wrong with it (envfile_nomem
 * when memory ran out), or NULL.
 */
static const char *
envfile_line(const char *p, const char *end, char **kv)
{
	const char	*key;
	size_t		 klen;

	*kv = NULL;
	if (end > p && end[-1] == '\r')
		end--;
	while (p < end && envfile_blank(*p))
		p++;
	while (end > p && envfile_blank(end[-1]))
		end--;
	if (p == end || *p == '#')
		return NULL;
	if (memchr(p, '\0', (size_t)(end - p)) != NULL)
		return "a NUL byte (an environment cannot hold one)";
	key = p = envfile_skip_export(p, end);
	while (p < end && envfile_keychar(*p, p == key))
		p++;
	klen = (size_t)(p - key);
	while (p < end && envfile_blank(*p))
		p++;
	if (p == end || *p != '=')
		return memchr(key, '=', (size_t)(end - key)) == NULL ?
		    "no '=' (expected KEY=VALUE)" : "not a valid variable "
		    "name (a letter or '_', then letters, digits or '_')";
	if (klen == 0)
		return "no variable name before '='";
	for (p++; p < end && envfile_blank(*p); p++)
		;
	if ((p = envfile_unquote(p, &end)) == NULL)
		return "the value opens a quote that does not end the line";
	if (asprintf(kv, "%.*s=%.*s", (int)klen, key, (int)(end - p), p) ==
	    -1) {
		*kv = NULL;
		return envfile_nomem;
	}
	return NULL;
}

/* Every line of DATA into EV; -1 with *CAUSE (NULL: out of memory). */
static int
envfile_lines(struct envfile_vec *ev, const char *data, size_t len,
    const char *name, char **cause)
{
	const char	*p = data, *end = data + len, *nl, *why;
	char		*kv;
	int		 line = 1;

	/* A UTF-8 byte order mark, as some editors write, is no text. */
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	for (; p < end; p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((why = envfile_line(p, nl, &kv)) == envfile_nomem)
			return -1;
		if (why != NULL)
			return cause_set(cause, "%s:%d: %s", name, line, why);
		if (kv != NULL && envfile_push(ev, kv) == -1)
			return -1;
		if (nl == end)
			break;
	}
	return 0;
}

char **
envfile_parse(const char *data, size_t len, const char *name, char **cause)
{
	struct envfile_vec	 ev = { NULL, 0, 0 };
	char			**env = NULL;

	*cause = NULL;
	/* Merged onto nothing: a repeated key keeps its last value. */
	if (envfile_lines(&ev, data, len, name, cause) == 0)
		env = envlist_merge(NULL, ev.v);
	envlist_free(ev.v);
	return env;
}

/* Read all of FD (a regular file) into a malloc'd *DATA, *LEN bytes;
 * -1 when it cannot be read or holds more than ENVFILE_MAX. */
static int
envfile_slurp(int fd, const char *path, char **data, size_t *len,
    char **cause)
{
	size_t	 cap = 4096, n = 0;
	char	*buf = NULL, *p;
	ssize_t	 r;

	for (;;) {
		if (n == cap || buf == NULL) {
			cap = buf == NULL ? cap : cap * 2;
			if (cap > ENVFILE_MAX + 1)
				cap = ENVFILE_MAX + 1;
			if ((p = realloc(buf, cap)) == NULL)
				break;
			buf = p;
		}
		if ((r = sys_read(fd, buf + n, cap - n)) == -1) {
			cause_set(cause, "%s: %m", path);
			break;
		}
		if (r == 0) {
			*data = buf;
			*len = n;
			return 0;
		}
		if ((n += (size_t)r) > ENVFILE_MAX) {
			cause_set(cause, "%s: larger than %d KiB", path,
			    ENVFILE_MAX / 1024);
			break;
		}
	}
	free(buf);
	return -1;
}

char **
envfile_read(const char *path, char **cause)
{
	const char	*why;
	bool		 notreg;
	FILE		*fp;
	char		*data, **env = NULL;
	size_t		 len;
	int		 fd;

	*cause = NULL;
	/* Root reads it for a program whose user may write its directory:
	 * a link planted there is not followed (safepath.c).  O_NONBLOCK,
	 * then fstat: only a regular file is read, so a FIFO or a device
	 * cannot hold procd up. */
	if ((fd = safepath_open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY,
	    cause)) == -1)
		return NULL;
	if ((fp = config_fdopen(fd, &why, &notreg)) == NULL) {
		cause_set(cause, "%s: %s%s", path, why,
		    notreg ? ", not a regular file" : "");
		return NULL;
	}
	if (envfile_slurp(fileno(fp), path, &data, &len, cause) == 0) {
		env = envfile_parse(data, len, path, cause);
		free(data);
	}
	(void)fclose(fp);	/* read only: a failed close loses nothing */
	return env;
}
