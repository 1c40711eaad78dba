/*
 * test_evproto.c -- the listener side of the event protocol (evproto.h):
 * READY, RESULT N + body, in any split across reads, and every way a
 * listener can break it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "evproto.h"

/* Feed S in pieces of STEP bytes; the verdicts in order, one letter
 * each: R ready, O ok, F fail, G garbage. */
static const char *
feed(struct evproto *e, const char *s, size_t step)
{
	static char out[64];
	size_t n = 0, len = strlen(s), off = 0, used;

	while (off < len) {
		size_t piece = len - off < step ? len - off : step;
		size_t at = 0;
		while (at < piece) {
			enum evproto_verdict v = evproto_feed(e, s + off + at,
			    piece - at, &used);
			assert_true(used >= 1 && used <= piece - at);
			at += used;
			if (v == EVPROTO_MORE)
				continue;
			assert_true(n + 1 < sizeof out);
			out[n++] = "-ROFG"[v];
			/* procd sends an event whenever it is READY */
			if (v == EVPROTO_GOT_READY)
				evproto_sent(e);
		}
		off += piece;
	}
	out[n] = '\0';
	return out;
}

static void
test_ready_then_ok_then_fail(void **state)
{
	(void)state;
	for (size_t step = 1; step <= 40; step++) {
		struct evproto e;
		evproto_init(&e);
		assert_string_equal(feed(&e, "READY\nRESULT 2\nOKREADY\n"
		    "RESULT 4\nFAILREADY\n", step), "RORFR");
		assert_int_equal(e.state, EVPROTO_BUSY);
	}
}

static void
test_result_body_other_than_ok_is_a_fail(void **state)
{
	struct evproto e;

	(void)state;
	evproto_init(&e);
	assert_string_equal(feed(&e, "READY\nRESULT 0\n", 64), "RF");
	assert_int_equal(e.state, EVPROTO_ACKNOWLEDGED);
	assert_string_equal(feed(&e, "READY\nRESULT 3\nOK!", 64), "RF");
	assert_string_equal(feed(&e, "READY\nRESULT 2\nok", 64), "RF");
	/* the body may hold anything, newlines included */
	assert_string_equal(feed(&e, "READY\nRESULT 5\n\n\nOK\n", 64), "RF");
	assert_string_equal(feed(&e, "READY\nRESULT 2\nOK", 64), "RO");
}

static void
test_states_have_supervisords_names(void **state)
{
	(void)state;
	assert_string_equal(evproto_state_name(EVPROTO_ACKNOWLEDGED),
	    "ACKNOWLEDGED");
	assert_string_equal(evproto_state_name(EVPROTO_READY), "READY");
	assert_string_equal(evproto_state_name(EVPROTO_BUSY), "BUSY");
	assert_string_equal(evproto_state_name(EVPROTO_UNKNOWN), "UNKNOWN");
	assert_string_equal(evproto_state_name(EVPROTO_NSTATES), "UNKNOWN");
}

/* The ways to break it, each ending UNKNOWN with the bytes kept. */
static void
test_garbage(void **state)
{
	static const struct {
		const char	*in;
		const char	*verdicts;
		const char	*why;
	} cases[] = {
		{ "READX\n", "G", "READX" },
		{ "ready\n", "G", "r" },
		{ "READY\nHELLO", "RG", "H" },		/* while BUSY */
		{ "READY\nRESULT x\n", "RG", "RESULT x" },
		{ "READY\nRESULT \n", "RG", "RESULT \n" },
		{ "READY\nRESULT -1\n", "RG", "RESULT -" },
		{ "READY\nRESULT 99999999999\n", "RG", "RESULT 99999999999\n" },
		{ "READY\nRESULT 1234567890123456789012345678\n", "RG",
		    "RESULT 1234567890123456789012345" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct evproto e;
		evproto_init(&e);
		assert_string_equal(feed(&e, cases[i].in, 64),
		    cases[i].verdicts);
		assert_int_equal(e.state, EVPROTO_UNKNOWN);
		assert_true(e.nwhy >= strlen(cases[i].why) ||
		    e.nwhy == sizeof e.why);
		assert_memory_equal(e.why, cases[i].why,
		    strlen(cases[i].why) < e.nwhy ? strlen(cases[i].why) :
		    e.nwhy);
	}
}

/* Spoken to while READY (no event sent): garbage, as supervisord. */
static void
test_data_while_ready_is_garbage(void **state)
{
	struct evproto e;
	size_t used;

	(void)state;
	evproto_init(&e);
	assert_int_equal(evproto_feed(&e, "READY\n", 6, &used),
	    EVPROTO_GOT_READY);
	assert_int_equal(evproto_feed(&e, "READY\n", 6, &used),
	    EVPROTO_GARBAGE);
	assert_int_equal(used, 1);
	/* then everything is ignored, whatever it says */
	assert_int_equal(evproto_feed(&e, "READY\n", 6, &used), EVPROTO_MORE);
	assert_int_equal(used, 6);
	assert_int_equal(e.state, EVPROTO_UNKNOWN);
}

/* A large body is counted, not stored. */
static void
test_large_body_is_skipped(void **state)
{
	static char body[200000];
	struct evproto e;
	size_t used, off = 0;
	enum evproto_verdict v = EVPROTO_MORE;

	(void)state;
	memset(body, 'x', sizeof body);
	evproto_init(&e);
	assert_string_equal(feed(&e, "READY\nRESULT 200000\n", 64), "R");
	while (off < sizeof body) {
		v = evproto_feed(&e, body + off, sizeof body - off < 4096 ?
		    sizeof body - off : 4096, &used);
		off += used;
	}
	assert_int_equal(v, EVPROTO_GOT_FAIL);
	assert_int_equal(e.state, EVPROTO_ACKNOWLEDGED);
}

/* The verdict stops the feed: what follows is the next call's. */
static void
test_feed_stops_at_each_verdict(void **state)
{
	struct evproto e;
	const char *s = "READY\nRESULT 2\nOKREADY\n";
	size_t used;

	(void)state;
	evproto_init(&e);
	assert_int_equal(evproto_feed(&e, s, strlen(s), &used),
	    EVPROTO_GOT_READY);
	assert_int_equal(used, 6);
	evproto_sent(&e);
	assert_int_equal(evproto_feed(&e, s + 6, strlen(s) - 6, &used),
	    EVPROTO_GOT_OK);
	assert_int_equal(used, 11);
	assert_int_equal(evproto_feed(&e, s + 17, strlen(s) - 17, &used),
	    EVPROTO_GOT_READY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready_then_ok_then_fail),
		cmocka_unit_test(test_result_body_other_than_ok_is_a_fail),
		cmocka_unit_test(test_states_have_supervisords_names),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_data_while_ready_is_garbage),
		cmocka_unit_test(test_large_body_is_skipped),
		cmocka_unit_test(test_feed_stops_at_each_verdict),
	};

	return cmocka_run_group_tests_name("evproto", tests, NULL, NULL);
}
