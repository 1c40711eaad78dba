/*
 * test_logfile.c -- log files on disk (logfile.h): size-based rotation
 * NAME.log -> NAME.log.1 -> ... -> NAME.log.N, the oldest dropped, and
 * the refusals that keep a writable directory from redirecting procd.
 *
 * Each test runs in its own mkdtemp directory, removed afterwards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>

#include "logfile.h"
#include "tmptree.h"

struct tmp {
	char	dir[PATH_MAX];
	char	log[PATH_MAX + 16];	/* DIR/web.log */
};

static int
tmp_setup(void **state)
{
	const char *base = getenv("TMPDIR");
	struct tmp *t = calloc(1, sizeof *t);

	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof t->dir, "%s/procd-logfile-XXXXXX",
	    base != NULL && *base != '\0' ? base : "/tmp");
	if (mkdtemp(t->dir) == NULL) {
		free(t);
		return -1;
	}
	snprintf(t->log, sizeof t->log, "%s/web.log", t->dir);
	*state = t;
	return 0;
}

static int
tmp_teardown(void **state)
{
	struct tmp *t = *state;
	int rc = tmptree_remove(t->dir);

	free(t);
	return rc;
}

/* DIR/web.log, or DIR/web.log.N for N > 0. */
static const char *
file(const struct tmp *t, int n)
{
	static char path[PATH_MAX + 32];

	if (n == 0)
		snprintf(path, sizeof path, "%s", t->log);
	else
		snprintf(path, sizeof path, "%s.%d", t->log, n);
	return path;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The contents of PATH, or NULL when it does not exist. */
static const char *
read_file(const char *path)
{
	static char text[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL) {
		assert_int_equal(errno, ENOENT);
		return NULL;
	}
	n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	return text;
}

/* Rotate as a stream does: with the log open (when there is one). */
static int
rot(const struct tmp *t, int backups)
{
	int fd = open(t->log, O_RDONLY | O_CLOEXEC), r;

	r = logfile_rotate(fd, t->log, backups, LOGFILE_NOBODY, NULL);
	if (fd != -1)
		close(fd);
	return r;
}

static void
test_rotation_shifts_every_backup_and_drops_the_oldest(void **state)
{
	struct tmp *t = *state;

	write_file(file(t, 0), "current\n");
	write_file(file(t, 1), "one\n");
	write_file(file(t, 2), "two\n");
	write_file(file(t, 3), "three\n");

	assert_int_equal(rot(t, 3), 0);

	assert_null(read_file(file(t, 0)));	/* the caller reopens it */
	assert_string_equal(read_file(file(t, 1)), "current\n");
	assert_string_equal(read_file(file(t, 2)), "one\n");
	assert_string_equal(read_file(file(t, 3)), "two\n");
	assert_null(read_file(file(t, 4)));	/* "three" is gone */
}

static void
test_rotating_again_and_again_keeps_the_newest_backups(void **state)
{
	struct tmp *t = *state;
	char text[32];

	for (int gen = 1; gen <= 5; gen++) {
		snprintf(text, sizeof text, "gen %d\n", gen);
		write_file(file(t, 0), text);
		assert_int_equal(rot(t, 3), 0);
	}
	assert_string_equal(read_file(file(t, 1)), "gen 5\n");
	assert_string_equal(read_file(file(t, 2)), "gen 4\n");
	assert_string_equal(read_file(file(t, 3)), "gen 3\n");
	assert_null(read_file(file(t, 4)));
}

static void
test_first_rotation_has_no_backups_yet(void **state)
{
	struct tmp *t = *state;

	write_file(file(t, 0), "current\n");
	assert_int_equal(rot(t, 3), 0);
	assert_null(read_file(file(t, 0)));
	assert_string_equal(read_file(file(t, 1)), "current\n");
	assert_null(read_file(file(t, 2)));
	assert_null(read_file(file(t, 3)));
}

static void
test_missing_intermediate_backups_are_fine(void **state)
{
	struct tmp *t = *state;

	/* someone deleted web.log.1 and web.log.3 by hand */
	write_file(file(t, 0), "current\n");
	write_file(file(t, 2), "two\n");

	assert_int_equal(rot(t, 3), 0);

	assert_null(read_file(file(t, 0)));
	assert_string_equal(read_file(file(t, 1)), "current\n");
	assert_null(read_file(file(t, 2)));
	assert_string_equal(read_file(file(t, 3)), "two\n");
}

static void
test_a_missing_log_itself_is_fine(void **state)
{
	struct tmp *t = *state;

	/* the log file vanished (a vanished log must not cost procd) */
	write_file(file(t, 1), "one\n");
	assert_int_equal(rot(t, 3), 0);
	assert_null(read_file(file(t, 1)));
	assert_string_equal(read_file(file(t, 2)), "one\n");
}

static void
test_one_backup_replaces_the_previous_one(void **state)
{
	struct tmp *t = *state;

	write_file(file(t, 0), "current\n");
	write_file(file(t, 1), "old\n");
	assert_int_equal(rot(t, 1), 0);
	assert_null(read_file(file(t, 0)));
	assert_string_equal(read_file(file(t, 1)), "current\n");
	assert_null(read_file(file(t, 2)));
}

static void
test_zero_backups_renames_nothing(void **state)
{
	struct tmp *t = *state;

	write_file(file(t, 0), "current\n");
	write_file(file(t, 1), "one\n");
	assert_int_equal(rot(t, 0), 0);
	/* the caller truncates web.log itself */
	assert_string_equal(read_file(file(t, 0)), "current\n");
	assert_string_equal(read_file(file(t, 1)), "one\n");
	assert_null(read_file(file(t, 2)));
}

static void
test_a_failed_rename_is_reported(void **state)
{
	struct tmp *t = *state;
	char inside[PATH_MAX + 64];

	/* web.log.1 is a non-empty directory: a file cannot replace it */
	write_file(file(t, 0), "current\n");
	assert_int_equal(mkdir(file(t, 1), 0700), 0);
	snprintf(inside, sizeof inside, "%s/x", file(t, 1));
	write_file(inside, "x");

	assert_int_equal(rot(t, 1), -1);
	assert_string_equal(read_file(file(t, 0)), "current\n");
}

static void
test_a_symlinked_backup_is_not_renamed(void **state)
{
	struct tmp *t = *state;
	char target[PATH_MAX + 16];

	snprintf(target, sizeof target, "%s/victim", t->dir);
	write_file(target, "secret\n");
	write_file(file(t, 0), "current\n");
	assert_int_equal(symlink(target, file(t, 1)), 0);
	assert_int_equal(rot(t, 3), -1);
	assert_string_equal(read_file(file(t, 0)), "current\n");
	assert_string_equal(read_file(target), "secret\n");
}

static void
test_a_replaced_log_is_not_rotated(void **state)
{
	struct tmp *t = *state;
	char other[PATH_MAX + 16];
	int fd;

	write_file(file(t, 0), "mine\n");
	fd = open(t->log, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	snprintf(other, sizeof other, "%s/other", t->dir);
	write_file(other, "planted\n");
	assert_int_equal(rename(other, t->log), 0);
	assert_int_equal(logfile_rotate(fd, t->log, 2, LOGFILE_NOBODY, NULL),
	    -1);
	close(fd);
	assert_string_equal(read_file(file(t, 0)), "planted\n");
	assert_null(read_file(file(t, 1)));
}

static void
test_open_refuses_a_symlink_and_a_hard_link(void **state)
{
	struct tmp *t = *state;
	char target[PATH_MAX + 16], *cause = NULL;

	snprintf(target, sizeof target, "%s/victim", t->dir);
	write_file(target, "secret\n");
	assert_int_equal(symlink(target, t->log), 0);
	assert_int_equal(logfile_open(t->log, LOGFILE_APPEND, LOGFILE_NOBODY,
	    &cause), -1);
	assert_non_null(strstr(cause, "symlink"));
	free(cause);
	cause = NULL;
	assert_int_equal(unlink(t->log), 0);
	assert_int_equal(link(target, t->log), 0);
	assert_int_equal(logfile_open(t->log, LOGFILE_READ, LOGFILE_NOBODY,
	    &cause), -1);
	assert_non_null(strstr(cause, "links"));
	free(cause);
}

static void
test_open_creates_and_appends(void **state)
{
	struct tmp *t = *state;
	int fd;

	fd = logfile_open(t->log, LOGFILE_APPEND, LOGFILE_NOBODY, NULL);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "a\n", 2), 2);
	close(fd);
	assert_int_equal(logfile_open(t->log, LOGFILE_CREATE, LOGFILE_NOBODY,
	    NULL), -1);
	assert_int_equal(errno, EEXIST);
	assert_string_equal(read_file(t->log), "a\n");
}

static void
test_auto_names_are_random(void **state)
{
	char *a = logfile_auto_name("/var/log/web-stdout.log");
	char *b = logfile_auto_name("/var/log/web-stdout.log");

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_string_not_equal(a, b);
	assert_int_equal(strncmp(a, "/var/log/web-stdout---procd-", 28), 0);
	assert_string_equal(a + strlen(a) - 4, ".log");
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_rotation_shifts_every_backup_and_drops_the_oldest,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rotating_again_and_again_keeps_the_newest_backups,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_first_rotation_has_no_backups_yet,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_missing_intermediate_backups_are_fine,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_missing_log_itself_is_fine,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_one_backup_replaces_the_previous_one,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_zero_backups_renames_nothing,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_failed_rename_is_reported,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_symlinked_backup_is_not_renamed,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_replaced_log_is_not_rotated,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_open_refuses_a_symlink_and_a_hard_link,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_open_creates_and_appends,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test(test_auto_names_are_random),
	};

	return cmocka_run_group_tests_name("logfile", tests, NULL, NULL);
}
