/*
 * test_buf.c -- the growable byte buffer (buf.h) that replies and rendered
 * text are built in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"

static void
test_new_buffer_is_empty_and_unallocated(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	buf_free(&b);
	assert_null(b.data);
}

static void
test_add_appends_bytes_and_keeps_a_nul_after_them(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_add(&b, "ab\0cd", 5);	/* binary: NULs are data */
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "ab\0cd", 5);
	assert_int_equal(b.data[5], '\0');
	assert_true(b.cap > b.len);
	buf_add(&b, "", 0);
	assert_int_equal(b.len, 5);
	buf_free(&b);
}

static void
test_addstr_appends_a_string(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_addstr(&b, "web");
	buf_addstr(&b, ": ");
	buf_addstr(&b, "started");
	assert_string_equal(b.data, "web: started");
	assert_int_equal(b.len, 12);
	buf_free(&b);
}

static void
test_addf_appends_formatted_text(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_addf(&b, "%s: %s", "web", "ERROR");
	buf_addf(&b, " (%d)", 7);
	buf_addf(&b, "%s", "");
	assert_string_equal(b.data, "web: ERROR (7)");
	assert_int_equal(b.len, strlen("web: ERROR (7)"));
	buf_free(&b);
}

static void
test_addf_grows_for_long_output(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_addstr(&b, "<");
	buf_addf(&b, "%5000s>", "x");
	assert_int_equal(b.len, 1 + 5000 + 1);
	assert_int_equal(b.data[0], '<');
	assert_int_equal(b.data[4999], ' ');
	assert_int_equal(b.data[5000], 'x');
	assert_int_equal(b.data[5001], '>');
	assert_int_equal(b.data[5002], '\0');
	buf_free(&b);
}

static void
test_many_appends_grow_the_buffer_and_keep_every_byte(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	for (int i = 0; i < 10000; i++)
		buf_add(&b, "0123456789", 10);
	assert_int_equal(b.len, 100000);
	assert_true(b.cap >= b.len + 1);
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] != (char)('0' + i % 10))
			fail_msg("byte %zu is '%c'", i, b.data[i]);
	assert_int_equal(b.data[b.len], '\0');
	buf_free(&b);
}

static void
test_reserve_makes_room_without_changing_contents(void **state)
{
	struct buf b;
	size_t cap;

	(void)state;
	buf_init(&b);
	buf_addstr(&b, "abc");
	buf_reserve(&b, 1000);
	assert_true(b.cap >= 3 + 1000 + 1);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "abc", 3);
	/* a reservation that fits is a no-op */
	cap = b.cap;
	buf_reserve(&b, 10);
	assert_int_equal(b.cap, cap);
	buf_free(&b);
}

static void
test_consume_drops_bytes_from_the_front(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_addstr(&b, "hello world");
	buf_consume(&b, 6);		/* a short write took "hello " */
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "world", 5);
	buf_consume(&b, 0);
	assert_int_equal(b.len, 5);
	buf_addstr(&b, "!");
	assert_string_equal(b.data, "world!");
	buf_free(&b);
}

static void
test_consume_of_everything_or_more_empties_it(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_addstr(&b, "abc");
	buf_consume(&b, 3);
	assert_int_equal(b.len, 0);
	buf_addstr(&b, "def");
	buf_consume(&b, 100);
	assert_int_equal(b.len, 0);
	buf_addstr(&b, "g");
	assert_string_equal(b.data, "g");
	buf_free(&b);
}

static void
test_consume_of_an_empty_buffer_is_harmless(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_consume(&b, 0);
	buf_consume(&b, 5);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
test_reset_empties_but_keeps_the_storage(void **state)
{
	struct buf b;
	size_t cap;

	(void)state;
	buf_init(&b);
	buf_addstr(&b, "some reply text");
	cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, cap);
	assert_non_null(b.data);
	buf_addstr(&b, "next");
	assert_string_equal(b.data, "next");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_buffer_is_empty_and_unallocated),
		cmocka_unit_test(
		    test_add_appends_bytes_and_keeps_a_nul_after_them),
		cmocka_unit_test(test_addstr_appends_a_string),
		cmocka_unit_test(test_addf_appends_formatted_text),
		cmocka_unit_test(test_addf_grows_for_long_output),
		cmocka_unit_test(
		    test_many_appends_grow_the_buffer_and_keep_every_byte),
		cmocka_unit_test(
		    test_reserve_makes_room_without_changing_contents),
		cmocka_unit_test(test_consume_drops_bytes_from_the_front),
		cmocka_unit_test(test_consume_of_everything_or_more_empties_it),
		cmocka_unit_test(test_consume_of_an_empty_buffer_is_harmless),
		cmocka_unit_test(test_reset_empties_but_keeps_the_storage),
	};

	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
