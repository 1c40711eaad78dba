/*
 * test_memory.c -- what procd keeps per program stays small: the sizes of
 * the structures there is one (or two) of per program, and a log file's
 * sink (a few hundred bytes and a descriptor) made only when the file is
 * first needed.  A size here grows only by a decision: raise the limit
 * in the same commit, and say why (bench: make bench BENCH_ARGS="--only
 * memory --build-ref DIR" compares with an older build).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ev.h>

#include "config.h"
#include "logstream.h"
#include "lsint.h"
#include "lwint.h"
#include "supint.h"
#include "tmptree.h"

static void
test_per_program_structures_stay_small(void **state)
{
	(void)state;
	/* Was 520: holes between small fields, and room for every string
	 * of ready= and health= (check_spec, only for those that have one). */
	assert_true(sizeof(struct program_config) <= 400);
	assert_true(sizeof(struct logdest_config) <= 48);
	/* Two per program: a stream to a file has no stdio part. */
	assert_true(sizeof(struct logstream) <= 136);
	/* 384, and the stdin pipe's feed since sendProcessStdin. */
	assert_true(sizeof(struct sproc) <= 392);
	/* Only for a file that is written (below). */
	assert_true(sizeof(struct lwsink) <= 200);
}

static void
test_a_log_file_sink_is_made_by_the_first_output(void **state)
{
	char dir[] = "/tmp/procd-test-memory.XXXXXX", path[64];
	struct logdest_config dc = { .kind = LOGDEST_FILE, .maxbytes = 0,
	    .backups = 0 };
	struct ev_loop *loop;
	struct logstream *ls;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/p.log", dir);
	dc.path = path;
	assert_non_null(loop = ev_loop_new(0));
	assert_non_null(ls = logstream_new(loop, &dc, "p", "stdout"));
	assert_int_equal(logstream_open(ls), 0);
	/* Quiet: no sink, no file, and nothing lost. */
	assert_null(ls->sink);
	assert_int_equal(stat(path, &st), -1);
	assert_string_equal(logstream_path(ls), path);
	logstream_put(ls, "hello\n", 6);
	assert_non_null(ls->sink);
	assert_true(lwsink_drain(ls->sink, 5000));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 6);
	assert_int_equal(logstream_lost(ls), 0);
	logstream_free(ls);
	ev_loop_destroy(loop);
	tmptree_remove(dir);
}

static void
test_the_first_tail_of_an_unwritten_log_reads_what_was_there(void **state)
{
	char dir[] = "/tmp/procd-test-memory.XXXXXX", path[64], out[64];
	struct logdest_config dc = { .kind = LOGDEST_FILE };
	struct ev_loop *loop;
	struct logstream *ls;
	FILE *f;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/p.log", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("from an earlier run\n", f);
	fclose(f);
	dc.path = path;
	assert_non_null(loop = ev_loop_new(0));
	assert_non_null(ls = logstream_new(loop, &dc, "p", "stdout"));
	assert_null(ls->sink);
	n = logstream_tail(ls, out, sizeof out - 1);
	out[n] = '\0';
	assert_string_equal(out, "from an earlier run\n");
	logstream_free(ls);
	ev_loop_destroy(loop);
	tmptree_remove(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_program_structures_stay_small),
		cmocka_unit_test(test_a_log_file_sink_is_made_by_the_first_output),
		cmocka_unit_test(test_the_first_tail_of_an_unwritten_log_reads_what_was_there),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
