/*
 * test_ring.c -- the tail buffer (ring.h): it keeps the newest CAP bytes of
 * a stream, in order, and costs nothing until the first byte arrives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ring.h"

/* Write the string S (without its NUL). */
static void
put(struct ring *r, const char *s)
{
	assert_int_equal(ring_write(r, s, strlen(s)), 0);
}

/* The newest LEN bytes of R as a string. */
static const char *
tail(const struct ring *r, size_t len)
{
	static char out[256];
	size_t n;

	assert_true(len < sizeof out);
	memset(out, '#', sizeof out);
	n = ring_tail(r, out, len);
	assert_true(n <= len);
	out[n] = '\0';
	return out;
}

static void
test_empty_ring_has_no_tail_and_no_storage(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 8);
	assert_null(r.data);		/* quiet programs cost nothing */
	assert_int_equal(ring_tail(&r, NULL, 0), 0);
	assert_string_equal(tail(&r, 100), "");
	/* an empty write allocates nothing either */
	assert_int_equal(ring_write(&r, "", 0), 0);
	assert_null(r.data);
	ring_free(&r);
}

static void
test_partly_filled_ring_gives_back_what_was_written(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 8);
	put(&r, "abc");
	assert_string_equal(tail(&r, 100), "abc");
	put(&r, "de");
	assert_string_equal(tail(&r, 100), "abcde");
	assert_int_equal(r.len, 5);
	ring_free(&r);
}

static void
test_exactly_full_ring_keeps_everything(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 8);
	put(&r, "abcdefgh");
	assert_string_equal(tail(&r, 100), "abcdefgh");
	assert_int_equal(r.len, 8);
	ring_free(&r);
}

static void
test_wrapping_drops_the_oldest_bytes(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 8);
	put(&r, "abcdef");
	put(&r, "ghij");		/* two bytes past the end */
	assert_string_equal(tail(&r, 100), "cdefghij");
	put(&r, "klmnopqrs");		/* wraps again, more than cap */
	assert_string_equal(tail(&r, 100), "lmnopqrs");
	put(&r, "t");
	assert_string_equal(tail(&r, 100), "mnopqrst");
	ring_free(&r);
}

static void
test_write_larger_than_capacity_keeps_the_newest_bytes(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 8);
	put(&r, "0123456789ABCDEF");
	assert_string_equal(tail(&r, 100), "89ABCDEF");

	/* also when the write position is in the middle */
	ring_clear(&r);
	put(&r, "xyz");
	put(&r, "0123456789");
	assert_string_equal(tail(&r, 100), "23456789");
	ring_free(&r);
}

static void
test_tail_of_fewer_bytes_than_held_is_the_newest(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 8);
	put(&r, "abcde");
	assert_string_equal(tail(&r, 2), "de");
	assert_string_equal(tail(&r, 0), "");
	put(&r, "fghij");		/* held: "cdefghij", wrapped at 'i' */
	assert_string_equal(tail(&r, 3), "hij");
	assert_string_equal(tail(&r, 5), "fghij");	/* across the seam */
	assert_string_equal(tail(&r, 8), "cdefghij");
	assert_string_equal(tail(&r, 9), "cdefghij");
	ring_free(&r);
}

static void
test_tail_does_not_consume(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 8);
	put(&r, "abc");
	assert_string_equal(tail(&r, 100), "abc");
	assert_string_equal(tail(&r, 100), "abc");
	ring_free(&r);
}

static void
test_clear_empties_it_and_it_fills_again(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 8);
	put(&r, "abcdefghij");
	ring_clear(&r);
	assert_int_equal(r.len, 0);
	assert_string_equal(tail(&r, 100), "");
	put(&r, "k");
	assert_string_equal(tail(&r, 100), "k");
	ring_free(&r);
}

static void
test_free_then_write_starts_afresh(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 4);
	put(&r, "abcdef");
	ring_free(&r);
	assert_null(r.data);
	assert_string_equal(tail(&r, 100), "");
	put(&r, "xy");
	assert_string_equal(tail(&r, 100), "xy");
	ring_free(&r);
}

static void
test_zero_capacity_holds_nothing(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 0);
	put(&r, "abc");
	assert_null(r.data);
	assert_int_equal(r.len, 0);
	assert_string_equal(tail(&r, 100), "");
	ring_clear(&r);
	ring_free(&r);
}

static void
test_capacity_of_one_holds_the_last_byte(void **state)
{
	struct ring r;

	(void)state;
	ring_init(&r, 1);
	put(&r, "a");
	assert_string_equal(tail(&r, 100), "a");
	put(&r, "bcd");
	assert_string_equal(tail(&r, 100), "d");
	put(&r, "e");
	assert_string_equal(tail(&r, 100), "e");
	ring_free(&r);
}

static void
test_many_writes_match_a_naive_model(void **state)
{
	enum { CAP = 37 };
	char stream[4096], want[CAP + 1], got[CAP + 1];
	size_t total = 0;
	uint32_t seed = 12345;	/* fixed: the same run every time */
	struct ring r;

	(void)state;
	ring_init(&r, CAP);
	while (total < sizeof stream - 100) {
		size_t n, held, k;

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % 90;		/* 0..89: some > CAP */
		for (size_t i = 0; i < n; i++)
			stream[total + i] = (char)('!' + (total + i) % 90);
		assert_int_equal(ring_write(&r, stream + total, n), 0);
		total += n;

		held = total < CAP ? total : CAP;
		k = (seed >> 8) % (CAP + 5);	/* ask for any amount */
		if (k > held)
			k = held;
		memcpy(want, stream + total - k, k);
		assert_int_equal(ring_tail(&r, got, k), k);
		assert_memory_equal(got, want, k);
		assert_int_equal(r.len, held);
	}
	ring_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_ring_has_no_tail_and_no_storage),
		cmocka_unit_test(
		    test_partly_filled_ring_gives_back_what_was_written),
		cmocka_unit_test(test_exactly_full_ring_keeps_everything),
		cmocka_unit_test(test_wrapping_drops_the_oldest_bytes),
		cmocka_unit_test(
		    test_write_larger_than_capacity_keeps_the_newest_bytes),
		cmocka_unit_test(
		    test_tail_of_fewer_bytes_than_held_is_the_newest),
		cmocka_unit_test(test_tail_does_not_consume),
		cmocka_unit_test(test_clear_empties_it_and_it_fills_again),
		cmocka_unit_test(test_free_then_write_starts_afresh),
		cmocka_unit_test(test_zero_capacity_holds_nothing),
		cmocka_unit_test(test_capacity_of_one_holds_the_last_byte),
		cmocka_unit_test(test_many_writes_match_a_naive_model),
	};

	return cmocka_run_group_tests_name("ring", tests, NULL, NULL);
}
