/*
 * test_envfile.c -- environment_file= contents (envfile.h): the line
 * format, its errors (FILE:LINE, never the line), and the refusal of
 * files that are not regular or too large.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "envfile.h"
#include "envlist.h"

#define KV(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NOKV ((const char *const[]){ NULL })

static void
vec_is(char **v, const char *const *want)
{
	size_t i;

	assert_non_null(v);
	for (i = 0; want[i] != NULL; i++) {
		assert_non_null(v[i]);
		assert_string_equal(v[i], want[i]);
	}
	assert_null(v[i]);
}

/* IN (LEN bytes, or its strlen when LEN is 0) parses to WANT. */
static void
parses_n(const char *in, size_t len, const char *const *want)
{
	char **v, *cause = NULL;

	v = envfile_parse(in, len, "f.env", &cause);
	assert_null(cause);
	vec_is(v, want);
	envlist_free(v);
}

static void
parses_to(const char *in, const char *const *want)
{
	parses_n(in, strlen(in), want);
}

static void
fails_with(const char *in, size_t len, const char *want)
{
	char *cause = NULL;

	assert_null(envfile_parse(in, len != 0 ? len : strlen(in), "f.env",
	    &cause));
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

static void
test_lines(void **state)
{
	(void)state;
	parses_to("", NOKV);
	parses_to("\n\n   \n\t\n", NOKV);
	parses_to("A=1", KV("A=1"));
	parses_to("A=1\nB=2\n", KV("A=1", "B=2"));
	parses_to("# c\n  # indented comment\nA=1\n", KV("A=1"));
	parses_to("A=hello world\n", KV("A=hello world"));
	parses_to("_x9=1\n", KV("_x9=1"));
	parses_to("A=\n", KV("A="));
	parses_to("A=b=c\n", KV("A=b=c"));
	parses_to("A=x # y\n", KV("A=x # y"));
	parses_to("A=$HOME ${X} `id`\n", KV("A=$HOME ${X} `id`"));
}

static void
test_blanks_and_crlf(void **state)
{
	(void)state;
	parses_to("  A = 1  \n", KV("A=1"));
	parses_to("\tA\t=\t1\t\n", KV("A=1"));
	parses_to("A=1\r\nB=2\r\n", KV("A=1", "B=2"));
	parses_to("\xef\xbb\xbf" "A=1\n", KV("A=1"));
}

static void
test_quotes(void **state)
{
	(void)state;
	parses_to("A=\"x y\"\n", KV("A=x y"));
	parses_to("A='x y'\n", KV("A=x y"));
	parses_to("A=\"  padded  \"  \n", KV("A=  padded  "));
	parses_to("A=\"\"\n", KV("A="));
	parses_to("A=''\n", KV("A="));
	/* One pair only, nothing inside special. */
	parses_to("A=\"say \"hi\"\"\n", KV("A=say \"hi\""));
	parses_to("A='a\\nb'\n", KV("A=a\\nb"));
	parses_to("A=\"it's\"\n", KV("A=it's"));
	/* A quote that does not open the value is just a character. */
	parses_to("A=it's\n", KV("A=it's"));
	parses_to("A=x\"\n", KV("A=x\""));
}

static void
test_export_and_repeats(void **state)
{
	(void)state;
	parses_to("export A=1\n", KV("A=1"));
	parses_to("export\tA=1\n", KV("A=1"));
	parses_to("export=1\n", KV("export=1"));
	parses_to("exportA=1\n", KV("exportA=1"));
	parses_to("A=1\nB=2\nA=3\n", KV("A=3", "B=2"));
}

static void
test_errors(void **state)
{
	(void)state;
	fails_with("A=1\nnoequals\n", 0, "f.env:2: no '=' (expected KEY=VALUE)");
	fails_with("export A\n", 0, "f.env:1: no '=' (expected KEY=VALUE)");
	fails_with("1A=x\n", 0, "f.env:1: not a valid variable name (a "
	    "letter or '_', then letters, digits or '_')");
	fails_with("  = x\n", 0, "f.env:1: no variable name before '='");
	fails_with("A-B=x\n", 0, "f.env:1: not a valid variable name (a "
	    "letter or '_', then letters, digits or '_')");
	fails_with("A B=x\n", 0, "f.env:1: not a valid variable name (a "
	    "letter or '_', then letters, digits or '_')");
	fails_with("\n\nA=\"x\n", 0, "f.env:3: the value opens a quote that "
	    "does not end the line");
	fails_with("A='x\"\n", 0, "f.env:1: the value opens a quote that "
	    "does not end the line");
	fails_with("A=\"\n", 0, "f.env:1: the value opens a quote that "
	    "does not end the line");
	fails_with("A=\"x\" # c\n", 0, "f.env:1: the value opens a quote "
	    "that does not end the line");
}

/* The fails_with above pass 0 for strlen; a NUL needs a length. */
static void
test_nul_byte(void **state)
{
	static const char in[] = "A=1\nB=x\0y\n";

	(void)state;
	fails_with(in, sizeof in - 1, "f.env:2: a NUL byte (an environment "
	    "cannot hold one)");
	/* Only LEN bytes are read: no NUL terminator needed. */
	parses_n("A=1B=2", 3, KV("A=1"));
}

/* A temp dir for the file tests, removed by the caller. */
static char *
tmpdir(void)
{
	char *d = strdup("/tmp/test_envfile.XXXXXX");

	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

static char *
path_in(const char *dir, const char *name)
{
	char *p;

	assert_int_not_equal(asprintf(&p, "%s/%s", dir, name), -1);
	return p;
}

static void
read_fails(const char *path, const char *tail)
{
	char *cause = NULL, *want;

	assert_null(envfile_read(path, &cause));
	assert_non_null(cause);
	assert_int_not_equal(asprintf(&want, "%s: %s", path, tail), -1);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
}

static void
test_read_file(void **state)
{
	char *d = tmpdir(), *f = path_in(d, "ok.env"), *cause = NULL, **v;
	FILE *fp = fopen(f, "w");

	(void)state;
	assert_non_null(fp);
	fputs("A=1\nexport B='two'\n", fp);
	assert_int_equal(fclose(fp), 0);
	v = envfile_read(f, &cause);
	assert_null(cause);
	vec_is(v, KV("A=1", "B=two"));
	envlist_free(v);
	unlink(f);
	read_fails(f, "No such file or directory");
	free(f);
	rmdir(d);
	free(d);
}

static void
test_read_refuses(void **state)
{
	char *d = tmpdir(), *fifo = path_in(d, "fifo"), *big = path_in(d,
	    "big"), *cause = NULL, **v;
	int fd;

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	read_fails(fifo, "a FIFO, not a regular file");
	read_fails(d, "a directory, not a regular file");
	read_fails("/dev/null", "a character device, not a regular file");
	/* Exactly the limit is read; one byte more is refused. */
	fd = open(big, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_int_not_equal(fd, -1);
	assert_int_equal(ftruncate(fd, ENVFILE_MAX), 0);
	assert_int_equal(pwrite(fd, "A=1\n", 4, 0), 4);
	assert_int_equal(pwrite(fd, "\n", 1, ENVFILE_MAX - 1), 1);
	/* NULs in between: the size is what is tested, so a failure on
	 * line 2 (not "larger than") shows the whole file was read. */
	assert_null(envfile_read(big, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, ":2: a NUL byte"));
	free(cause);
	assert_int_equal(ftruncate(fd, ENVFILE_MAX + 1), 0);
	read_fails(big, "larger than 1024 KiB");
	assert_int_equal(ftruncate(fd, 4), 0);
	v = envfile_read(big, &cause);
	vec_is(v, KV("A=1"));
	envlist_free(v);
	close(fd);
	unlink(big);
	unlink(fifo);
	rmdir(d);
	free(big);
	free(fifo);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_blanks_and_crlf),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_export_and_repeats),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_read_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
