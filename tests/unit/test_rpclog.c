/*
 * test_rpclog.c -- supervisord's readFile and tailFile rules
 * (rpclogrule.c), against what supervisord 4.2.5 answered for a log of
 * 21 bytes (t_xmlrpc_io.sh compares the whole methods with it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "rpc.h"
#include "rpclogrule.h"

static void
test_read_rule_refuses_what_readfile_refuses(void **state)
{
	(void)state;
	assert_int_equal(rpclog_read_rule(0, 0), 0);
	assert_int_equal(rpclog_read_rule(5, 10), 0);
	assert_int_equal(rpclog_read_rule(-5, 0), 0);
	assert_int_equal(rpclog_read_rule(-5, 5), FAULT_BAD_ARGUMENTS);
	assert_int_equal(rpclog_read_rule(0, -1), FAULT_BAD_ARGUMENTS);
	assert_int_equal(rpclog_read_rule(INT64_MIN, INT64_MIN),
	    FAULT_BAD_ARGUMENTS);
}

/* tailFile(21-byte log, OFFSET, LENGTH) as supervisord answered it:
 * the bytes from FROM, N of them, and the overflow flag. */
static void
tail(int64_t off, int64_t len, int64_t from, int64_t n, bool overflow)
{
	int64_t f, k;
	bool o;

	rpclog_tail_rule(21, off, len, &f, &k, &o);
	if (k > 21 - f)		/* what a read of the file returns */
		k = 21 - f;
	if (k < 0)
		k = 0;
	assert_int_equal(o, overflow);
	if (n > 0)
		assert_int_equal(f, from);
	assert_int_equal(k, n);
}

static void
test_tail_rule_is_supervisords(void **state)
{
	(void)state;
	tail(0, 5, 16, 5, true);	/* "ghij\n" */
	tail(0, 21, 0, 21, false);
	tail(0, 100, 0, 21, false);
	tail(10, 5, 16, 5, true);
	tail(10, 11, 10, 11, false);
	tail(21, 5, 0, 0, false);	/* nothing new */
	tail(25, 5, 0, 0, false);
	tail(0, 0, 0, 0, true);
	tail(-5, 10, 11, 10, true);
	tail(3, -2, 0, 0, true);
	tail(20, 1, 20, 1, false);
	tail(20, 0, 0, 0, true);
	tail(16, 5, 16, 5, false);
	tail(1, 1, 20, 1, true);
}

static void
test_tail_rule_survives_extreme_integers(void **state)
{
	int64_t f, k;
	bool o;

	(void)state;
	rpclog_tail_rule(21, INT64_MAX, INT64_MAX, &f, &k, &o);
	assert_true(f >= 0 && k >= 0);
	rpclog_tail_rule(21, INT64_MIN, INT64_MIN, &f, &k, &o);
	assert_true(f >= 0 && k >= 0 && o);
	rpclog_tail_rule(0, INT64_MAX, 1, &f, &k, &o);
	assert_true(f >= 0 && k == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_rule_refuses_what_readfile_refuses),
		cmocka_unit_test(test_tail_rule_is_supervisords),
		cmocka_unit_test(test_tail_rule_survives_extreme_integers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
