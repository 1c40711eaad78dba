/*
 * fuzz_envfile.c -- environment_file= contents: envfile_parse over any
 * bytes (the whole input is the file; it need not end in a NUL or a
 * newline, and may hold NULs).
 *
 * Checked besides the sanitizers:
 *   - a vector comes back exactly when there is no cause (memory never
 *     runs out here), and a cause is "f.env:LINE: ..." with LINE within
 *     the file;
 *   - every entry is NAME=VALUE with a valid, unique NAME, and no VALUE
 *     holds a newline;
 *   - written back as NAME='VALUE' lines, the vector parses to itself.
 */
#include <string.h>

#include "envfile.h"
#include "envlist.h"
#include "fuzz.h"

/* NAME: a letter or '_', then letters, digits, '_'; its length. */
static size_t
fuzz_envfile_name(const char *kv)
{
	size_t n = 0;

	for (; kv[n] != '\0' && kv[n] != '='; n++) {
		char c = kv[n];
		FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || (n > 0 && c >= '0' && c <= '9'));
	}
	FUZZ_CHECK(n > 0 && kv[n] == '=');
	return n;
}

static void
fuzz_envfile_entries(char **env)
{
	for (size_t i = 0; env[i] != NULL; i++) {
		size_t n = fuzz_envfile_name(env[i]);
		FUZZ_CHECK(strchr(env[i], '\n') == NULL);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strncmp(env[i], env[j], n + 1) != 0);
	}
}

/* The vector as a file of NAME='VALUE' lines, parsed again. */
static void
fuzz_envfile_roundtrip(char **env)
{
	char *text = NULL, *cause = NULL, **again;
	size_t len = 0, i;
	FILE *fp = open_memstream(&text, &len);

	FUZZ_CHECK(fp != NULL);
	for (i = 0; env[i] != NULL; i++) {
		size_t n = strcspn(env[i], "=");
		fprintf(fp, "%.*s='%s'\n", (int)n, env[i], env[i] + n + 1);
	}
	FUZZ_CHECK(fclose(fp) == 0);
	again = envfile_parse(text, len, "again", &cause);
	FUZZ_CHECK(again != NULL && cause == NULL);
	for (i = 0; env[i] != NULL; i++)
		FUZZ_CHECK(again[i] != NULL && strcmp(env[i], again[i]) == 0);
	FUZZ_CHECK(again[i] == NULL);
	envlist_free(again);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size > 0 ? size : 1), *cause = NULL, **env, *end;
	size_t lines = 1;
	long line;

	FUZZ_CHECK(copy != NULL);
	/* An exact-size copy: a read past the end is a sanitizer report. */
	memcpy(copy, data, size);
	for (size_t i = 0; i < size; i++)
		lines += copy[i] == '\n';
	env = envfile_parse(copy, size, "f.env", &cause);
	FUZZ_CHECK((env == NULL) == (cause != NULL));
	if (env != NULL) {
		fuzz_envfile_entries(env);
		fuzz_envfile_roundtrip(env);
		envlist_free(env);
	} else {
		FUZZ_CHECK(strncmp(cause, "f.env:", 6) == 0);
		line = strtol(cause + 6, &end, 10);
		FUZZ_CHECK(line >= 1 && (size_t)line <= lines &&
		    strncmp(end, ": ", 2) == 0);
		free(cause);
	}
	free(copy);
	return 0;
}
