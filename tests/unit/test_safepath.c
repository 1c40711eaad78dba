/*
 * test_safepath.c -- a log's directory opened following only trusted
 * symlinks (safepath.h): links in directories that only root can write
 * are followed, links in directories others can write are refused, in
 * sticky directories only root's own links are followed; the same for a
 * file's own last component (safepath_open).  The cases that
 * need another owner run only as root (they chown to uid 65534).
 *
 * Each test runs in its own mkdtemp directory, removed afterwards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safepath.h"
#include "tmptree.h"

#define OTHER	((uid_t)65534)

static char top[PATH_MAX];

static int
setup(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	snprintf(top, sizeof top, "%s/procd-safepath-XXXXXX",
	    base != NULL && *base != '\0' ? base : "/tmp");
	if (mkdtemp(top) == NULL || chmod(top, 0755) == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return tmptree_remove(top);
}

/* TOP/NAME, in a buffer of its own (the next call reuses it). */
static const char *
at(const char *name)
{
	static char buf[PATH_MAX + 64];

	snprintf(buf, sizeof buf, "%s/%s", top, name);
	return buf;
}

static void
mkdir_mode(const char *name, mode_t mode)
{
	assert_int_equal(mkdir(at(name), 0700), 0);
	assert_int_equal(chmod(at(name), mode), 0);
}

static void
link_to(const char *target, const char *name)
{
	char t[PATH_MAX + 64];

	snprintf(t, sizeof t, "%s", target);	/* at() is one buffer */
	assert_int_equal(symlink(t, at(name)), 0);
}

/* Opens, and is the directory REAL (same inode). */
static void
opens_as(const char *name, const char *real)
{
	struct stat a, b;
	char *cause = NULL;
	int fd = safepath_open_dir(at(name), &cause);

	if (fd == -1)
		fail_msg("%s refused: %s", name, cause ? cause : "?");
	assert_int_equal(fstat(fd, &a), 0);
	assert_int_equal(stat(at(real), &b), 0);
	assert_true(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	close(fd);
	free(cause);
}

static void
refused(const char *name, int err)
{
	char *cause = NULL;
	int fd = safepath_open_dir(at(name), &cause);

	assert_int_equal(fd, -1);
	assert_int_equal(errno, err);
	assert_non_null(cause);
	free(cause);
}

static void
test_plain_directories(void **state)
{
	(void)state;
	mkdir_mode("a", 0755);
	mkdir_mode("a/b", 0755);
	opens_as("a/b", "a/b");
	opens_as("a//b/", "a/b");
	refused("a/missing", ENOENT);
	assert_int_equal(close(open(at("a/file"), O_CREAT | O_WRONLY, 0600)),
	    0);
	refused("a/file", ENOTDIR);
}

static void
test_links_in_a_trusted_directory_are_followed(void **state)
{
	(void)state;
	mkdir_mode("real", 0755);
	mkdir_mode("real/sub", 0755);
	link_to("real", "abs-less");	/* relative to TOP */
	link_to(at("real"), "abs");
	mkdir_mode("d", 0755);
	link_to("../real/sub", "d/up");
	opens_as("abs-less/sub", "real/sub");
	opens_as("abs/sub", "real/sub");
	opens_as("d/up", "real/sub");
	link_to("loop", "loop");
	refused("loop", ELOOP);
}

static void
test_links_in_a_writable_directory_are_refused(void **state)
{
	(void)state;
	mkdir_mode("real", 0755);
	mkdir_mode("open", 0777);
	link_to(at("real"), "open/sub");
	refused("open/sub", EPERM);
	/* A plain directory in it is still fine: only links are judged. */
	mkdir_mode("open/dir", 0755);
	opens_as("open/dir", "open/dir");
	mkdir_mode("grp", 0775);
	link_to(at("real"), "grp/sub");
	refused("grp/sub", EPERM);
}

static void
test_sticky_directory_follows_only_our_links(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	mkdir_mode("real", 0755);
	mkdir_mode("tmp", 01777);
	link_to(at("real"), "tmp/ours");
	link_to(at("real"), "tmp/theirs");
	assert_int_equal(lchown(at("tmp/theirs"), OTHER, (gid_t)-1), 0);
	opens_as("tmp/ours", "real");
	refused("tmp/theirs", EPERM);
}

static void
test_a_users_directory_is_theirs(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	/* The attack: /var/log/app owned by the program's user, who swaps
	 * app/sub for a link to a root directory. */
	mkdir_mode("secret", 0700);
	mkdir_mode("app", 0755);
	link_to(at("secret"), "app/sub");
	assert_int_equal(chown(at("app"), OTHER, (gid_t)-1), 0);
	refused("app/sub", EPERM);
}

static void
file_opens(const char *name, const char *want)
{
	char buf[64] = "", *cause = NULL;
	int fd = safepath_open(at(name), O_RDONLY, &cause);

	if (fd == -1)
		fail_msg("%s refused: %s", name, cause ? cause : "?");
	assert_true(read(fd, buf, sizeof buf - 1) >= 0);
	assert_string_equal(buf, want);
	close(fd);
	free(cause);
}

static void
file_refused(const char *name, int err)
{
	char *cause = NULL;

	assert_int_equal(safepath_open(at(name), O_RDONLY, &cause), -1);
	assert_int_equal(errno, err);
	assert_non_null(cause);
	free(cause);
}

static void
put(const char *name, const char *text)
{
	int fd = open(at(name), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd != -1);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void
test_files_and_their_links(void **state)
{
	(void)state;
	mkdir_mode("etc", 0755);
	put("etc/app.env", "A=1\n");
	link_to("app.env", "etc/link.env");		/* trusted directory */
	link_to(at("etc/link.env"), "etc/chain.env");	/* a link to a link */
	file_opens("etc/app.env", "A=1\n");
	file_opens("etc/link.env", "A=1\n");
	file_opens("etc/chain.env", "A=1\n");
	mkdir_mode("open", 0777);
	link_to(at("etc/app.env"), "open/app.env");
	file_refused("open/app.env", EPERM);
	file_refused("etc/missing.env", ENOENT);
	link_to("self.env", "etc/self.env");
	file_refused("etc/self.env", ELOOP);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_directories,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_links_in_a_trusted_directory_are_followed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_links_in_a_writable_directory_are_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_sticky_directory_follows_only_our_links, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_a_users_directory_is_theirs,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_and_their_links,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
