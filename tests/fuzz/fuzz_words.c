/*
 * fuzz_words.c -- the pure value parsers, directly: shellwords_split
 * (command=), expand_string (%(x)s), envlist_parse (environment=) and the
 * typed values of cfgval.c.
 *
 * The first byte picks the parser, the rest is the value (up to a NUL, as a
 * C string ends).  Each parser's promises are checked, not only its
 * survival:
 *   - shellwords: words quoted back with '...' split into the same words;
 *   - expand: a value with every '%' doubled expands to itself; a value
 *     with no '%' is left as it is;
 *   - envlist: keys are unique, hold no '=', and envlist_get finds each
 *     value; merging a vector with itself changes nothing;
 *   - cfgval: results are within the bounds asked for, a signal number
 *     with a name parses back from that name, and cfgval_quote never
 *     writes past the buffer it is given.
 * Every failure must come with a cause (allocation never fails here).
 */
#include <limits.h>
#include <signal.h>
#include <string.h>

#include "cfgval.h"
#include "envlist.h"
#include "expand.h"
#include "fuzz.h"
#include "shellwords.h"

enum fuzz_words_kind {
	FUZZ_WORDS_SHELL,
	FUZZ_WORDS_EXPAND,
	FUZZ_WORDS_ENV,
	FUZZ_WORDS_VALUE,
	FUZZ_WORDS_NKINDS
};

static char *
fuzz_words_xmalloc(size_t n)
{
	char	*p;

	if ((p = malloc(n > 0 ? n : 1)) == NULL)
		abort();
	return p;
}

/* W quoted for shlex: 'w' with each ' written as '"'"'. */
static char *
fuzz_words_quote(const char *w, char *out)
{
	*out++ = '\'';
	for (; *w != '\0'; w++) {
		if (*w == '\'') {
			memcpy(out, "'\"'\"'", 5);
			out += 5;
		} else
			*out++ = *w;
	}
	*out++ = '\'';
	return out;
}

static void
fuzz_words_shell(const char *s)
{
	char	**v, **again, *cause, *line, *p;
	size_t	  n, len = 1, i;

	if ((v = shellwords_split(s, &cause)) == NULL) {
		FUZZ_CHECK(cause != NULL && *cause != '\0');
		free(cause);
		return;
	}
	for (n = 0; v[n] != NULL; n++)
		len += 5 * strlen(v[n]) + 3;
	p = line = fuzz_words_xmalloc(len);
	for (i = 0; i < n; i++) {
		p = fuzz_words_quote(v[i], p);
		*p++ = ' ';
	}
	*p = '\0';
	if ((again = shellwords_split(line, &cause)) == NULL)
		fuzz_fail(__FILE__, __LINE__, cause);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(again[i] != NULL && strcmp(again[i], v[i]) == 0);
	FUZZ_CHECK(again[n] == NULL);
	shellwords_free(again);
	shellwords_free(v);
	free(line);
}

static const char *
fuzz_words_env_cb(const char *name, void *arg)
{
	static const char *const env[][2] = {
		{ "HOME", "/home/fuzz" }, { "EMPTY", "" },
		{ "UTF", "h\xc3\xa9llo w\xc3\xb6rld" }, { "PCT", "100%" },
	};
	size_t	i;

	(void)arg;
	for (i = 0; i < sizeof env / sizeof env[0]; i++) {
		if (strcmp(env[i][0], name) == 0)
			return env[i][1];
	}
	return NULL;
}

static void
fuzz_words_expand(const char *s)
{
	static const struct expand_var vars[] = {
		{ "program_name", "web", 0 },
		{ "group_name", "gr\xc3\xbcppe", 0 },
		{ "here", "/etc/procd", 0 },
		{ "process_num", NULL, 7 },
		{ "numprocs", NULL, -12 },
		{ "big", NULL, LONG_MIN },
	};
	size_t	 nvars = sizeof vars / sizeof vars[0], i;
	char	*out, *cause, *esc, *p;

	if (expand_string(s, vars, nvars, fuzz_words_env_cb, NULL, &out,
	    &cause) == -1) {
		FUZZ_CHECK(out == NULL && cause != NULL && *cause != '\0');
		free(cause);
	} else {
		FUZZ_CHECK(out != NULL && cause == NULL);
		FUZZ_CHECK(strchr(s, '%') != NULL || strcmp(out, s) == 0);
		free(out);
	}
	p = esc = fuzz_words_xmalloc(2 * strlen(s) + 1);
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '%')
			*p++ = '%';
		*p++ = s[i];
	}
	*p = '\0';
	if (expand_string(esc, vars, nvars, NULL, NULL, &out, &cause) == -1)
		fuzz_fail(__FILE__, __LINE__, cause);
	FUZZ_CHECK(strcmp(out, s) == 0);
	free(out);
	free(esc);
}

static void
fuzz_words_env(const char *s)
{
	char	**env, **merged, *cause, *key;
	size_t	  n, i, j, klen;

	if ((env = envlist_parse(s, &cause)) == NULL) {
		FUZZ_CHECK(cause != NULL && *cause != '\0');
		free(cause);
		return;
	}
	for (n = 0; env[n] != NULL; n++) {
		klen = strcspn(env[n], "=");
		FUZZ_CHECK(klen > 0 && env[n][klen] == '=');
		for (j = 0; j < n; j++)
			FUZZ_CHECK(strncmp(env[j], env[n], klen + 1) != 0);
	}
	for (i = 0; i < n; i++) {
		if ((key = strndup(env[i], strcspn(env[i], "="))) == NULL)
			abort();
		FUZZ_CHECK(envlist_get(env, key) == env[i] + strlen(key) + 1);
		free(key);
	}
	if ((merged = envlist_merge(env, env)) == NULL)
		abort();
	for (i = 0; i < n; i++)
		FUZZ_CHECK(merged[i] != NULL && strcmp(merged[i], env[i]) == 0);
	FUZZ_CHECK(merged[n] == NULL);
	envlist_free(merged);
	envlist_free(env);
}

/*
 * Expect R to be a parser's result, with *CAUSEP set on failure; free it
 * and reset it for the next call.  (A pointer, because the parser's call
 * in the argument list may be evaluated after a plain CAUSE argument.)
 */
static bool
fuzz_words_ok(int r, char **causep)
{
	FUZZ_CHECK(r == 0 || r == -1);
	FUZZ_CHECK(r == 0 || (*causep != NULL && **causep != '\0'));
	free(*causep);
	*causep = NULL;
	return r == 0;
}

static void
fuzz_words_int(const char *s)
{
	static const long ranges[][2] = {
		{ LONG_MIN, LONG_MAX }, { 0, INT_MAX }, { -5, 5 }, { 1, 1 },
	};
	char	*cause = NULL;
	size_t	 i;
	long	 v;

	for (i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		if (fuzz_words_ok(cfgval_int(s, ranges[i][0], ranges[i][1], &v,
		    &cause), &cause))
			FUZZ_CHECK(v >= ranges[i][0] && v <= ranges[i][1]);
	}
}

static void
fuzz_words_signal(const char *s)
{
	const char	*name;
	char		*cause = NULL, buf[32];
	int		 sig, again;

	if (!fuzz_words_ok(cfgval_signal(s, &sig, &cause), &cause))
		return;
	FUZZ_CHECK(sig > 0 && sig < NSIG);
	if ((name = cfgval_signame(sig)) == NULL) {
		FUZZ_CHECK(sig >= SIGRTMIN && sig <= SIGRTMAX);
		return;
	}
	snprintf(buf, sizeof buf, "SIG%s", name);
	FUZZ_CHECK(fuzz_words_ok(cfgval_signal(buf + 3, &again, &cause),
	    &cause) && again == sig);
	FUZZ_CHECK(fuzz_words_ok(cfgval_signal(buf, &again, &cause),
	    &cause) && again == sig);
}

/* cfgval_quote into buffers of exactly LEN bytes, so ASan sees overruns. */
static void
fuzz_words_quotes(const char *s)
{
	static const size_t lens[] = { 1, 2, 7, 8, 9, 12, 40,
	    CFGVAL_QUOTE_MAX + 3, CFGVAL_QUOTE_MAX + 8, 200 };
	char	*buf;
	size_t	 i;

	for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		buf = fuzz_words_xmalloc(lens[i]);
		FUZZ_CHECK(cfgval_quote(s, buf, lens[i]) == buf);
		FUZZ_CHECK(strlen(buf) < lens[i]);
		FUZZ_CHECK(lens[i] < 8 || buf[0] == '"');
		free(buf);
	}
}

/* ready=: what parses is one of the modes, with its fields set as the
 * mode says; a list always ends and holds no NULL before its end. */
static void
fuzz_words_ready_list(const char *s)
{
	struct ready_config	 r;
	char			*cause = NULL, **v;

	if (fuzz_words_ok(cfgval_ready(s, &r, &cause), &cause)) {
		switch (r.kind) {
		case READY_FD:
			FUZZ_CHECK(r.fd >= 3 && r.fd <= 1023);
			break;
		case READY_CHECK:
			FUZZ_CHECK(r.check != NULL);
			if (r.check->kind == CHECK_EXEC) {
				FUZZ_CHECK(r.check->command != NULL &&
				    *r.check->command != '\0');
				break;
			}
			FUZZ_CHECK(r.check->host != NULL &&
			    *r.check->host != '\0' && r.check->port != NULL &&
			    atol(r.check->port) >= 1 &&
			    atol(r.check->port) <= 65535);
			FUZZ_CHECK(r.check->kind == CHECK_TCP ||
			    (r.check->path != NULL && r.check->path[0] == '/'));
			break;
		case READY_STARTSECS:
		case READY_NOTIFY:
			FUZZ_CHECK(r.check == NULL);
			break;
		}
		cfgval_ready_free(&r);
	}
	if ((v = cfgval_list(s)) != NULL) {
		for (char **p = v; *p != NULL; p++)
			FUZZ_CHECK(strchr(*p, ',') == NULL);
		cfgval_list_free(v);
	}
}

static void
fuzz_words_value(const char *s)
{
	enum autorestart ar;
	uint8_t		 bits[256 / 8];
	uint64_t	 size;
	char		*cause = NULL;
	bool		 b;
	int		 o;

	fuzz_words_ok(cfgval_bool(s, &b, &cause), &cause);
	fuzz_words_ok(cfgval_size(s, &size, &cause), &cause);
	if (fuzz_words_ok(cfgval_octal(s, 0777, &o, &cause), &cause))
		FUZZ_CHECK(o >= 0 && o <= 0777);
	if (fuzz_words_ok(cfgval_octal(s, 07777, &o, &cause), &cause))
		FUZZ_CHECK(o >= 0 && o <= 07777);
	fuzz_words_ok(cfgval_exitcodes(s, bits, &cause), &cause);
	if (fuzz_words_ok(cfgval_autorestart(s, &ar, &cause), &cause))
		FUZZ_CHECK(ar == AUTORESTART_FALSE ||
		    ar == AUTORESTART_UNEXPECTED || ar == AUTORESTART_TRUE);
	fuzz_words_int(s);
	fuzz_words_signal(s);
	fuzz_words_quotes(s);
	fuzz_words_ready_list(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	if (size < 1)
		return 0;
	/* An exact-size copy: a read past the NUL is a sanitizer report. */
	s = fuzz_words_xmalloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % FUZZ_WORDS_NKINDS) {
	case FUZZ_WORDS_SHELL:
		fuzz_words_shell(s);
		break;
	case FUZZ_WORDS_EXPAND:
		fuzz_words_expand(s);
		break;
	case FUZZ_WORDS_ENV:
		fuzz_words_env(s);
		break;
	case FUZZ_WORDS_VALUE:
		fuzz_words_value(s);
		break;
	}
	free(s);
	return 0;
}
