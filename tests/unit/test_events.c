/*
 * test_events.c -- what supervisord's listeners read, byte for byte
 * (evpayload.h), the pools' queues (evpool.h) and events= (evtype.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "evcapture.h"
#include "evpayload.h"
#include "evpool.h"
#include "evtype.h"

static char *
state_payload(enum proc_state from, enum proc_state to)
{
	struct evpayload_state s = { "web_01", "web", from, to, 2, 4242,
	    false };
	struct buf b;

	buf_init(&b);
	evpayload_state(&b, &s);
	return b.data;
}

/* Each state's extra pairs, in supervisord's order. */
static void
test_state_payloads(void **state)
{
	static const struct {
		enum proc_state	 from, to;
		const char	*want;
	} cases[] = {
		{ PROC_STOPPED, PROC_STARTING, "processname:web_01 "
		    "groupname:web from_state:STOPPED tries:2" },
		{ PROC_STARTING, PROC_RUNNING, "processname:web_01 "
		    "groupname:web from_state:STARTING pid:4242" },
		{ PROC_STARTING, PROC_BACKOFF, "processname:web_01 "
		    "groupname:web from_state:STARTING tries:2" },
		{ PROC_RUNNING, PROC_STOPPING, "processname:web_01 "
		    "groupname:web from_state:RUNNING pid:4242" },
		{ PROC_RUNNING, PROC_EXITED, "processname:web_01 "
		    "groupname:web from_state:RUNNING expected:0 pid:4242" },
		{ PROC_STOPPING, PROC_STOPPED, "processname:web_01 "
		    "groupname:web from_state:STOPPING pid:4242" },
		{ PROC_BACKOFF, PROC_FATAL, "processname:web_01 "
		    "groupname:web from_state:BACKOFF" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = state_payload(cases[i].from, cases[i].to);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

static void
test_state_types(void **state)
{
	(void)state;
	assert_int_equal(evtype_of_state(PROC_EXITED),
	    EVT_PROCESS_STATE_EXITED);
	assert_int_equal(evtype_of_state(PROC_NSTATES),
	    EVT_PROCESS_STATE_UNKNOWN);
	assert_string_equal(evtype_name(EVT_PROCESS_STATE_FATAL),
	    "PROCESS_STATE_FATAL");
	assert_string_equal(evtype_name(EVT_TICK_3600), "TICK_3600");
}

static void
test_output_payloads(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	evpayload_output(&b, "web", "grp", 7, "stdout", "hi\n", 3);
	assert_string_equal(b.data,
	    "processname:web groupname:grp pid:7 channel:stdout\nhi\n");
	buf_reset(&b);
	/* PROCESS_COMMUNICATION: no channel */
	evpayload_output(&b, "web", "grp", 7, NULL, "x", 1);
	assert_string_equal(b.data, "processname:web groupname:grp pid:7\nx");
	buf_reset(&b);
	/* not UTF-8: Python's repr of the bytes, as supervisord */
	evpayload_output(&b, "web", "web", 1, "stderr", "a\xff'\n\t\\", 6);
	assert_string_equal(b.data,
	    "processname:web groupname:web pid:1 channel:stderr\n"
	    "Undecodable: b\"a\\xff'\\n\\t\\\\\"");
	buf_free(&b);
}

static void
test_undecodable_quotes_as_python(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	evpayload_undecodable(&b, "\x80'\"", 3);
	assert_string_equal(b.data, "Undecodable: b'\\x80\\'\"'");
	buf_reset(&b);
	evpayload_undecodable(&b, "\x80\r\x7f", 3);
	assert_string_equal(b.data, "Undecodable: b'\\x80\\r\\x7f'");
	buf_free(&b);
}

static void
test_other_payloads(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	evpayload_group(&b, "web");
	assert_string_equal(b.data, "groupname:web\n");
	buf_reset(&b);
	evpayload_tick(&b, 1700000005);
	assert_string_equal(b.data, "when:1700000005");
	buf_reset(&b);
	evpayload_remote(&b, "deploy", "v2\n");
	assert_string_equal(b.data, "type:deploy\nv2\n");
	buf_free(&b);
}

/* len: counts characters, as Python's len() of the payload string. */
static void
test_envelope(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	evpayload_envelope(&b, "supervisor", 12, "pool", 3,
	    EVT_PROCESS_GROUP_ADDED, "groupname:web\n", 14);
	assert_string_equal(b.data, "ver:3.0 server:supervisor serial:12 "
	    "pool:pool poolserial:3 eventname:PROCESS_GROUP_ADDED len:14\n"
	    "groupname:web\n");
	buf_reset(&b);
	evpayload_envelope(&b, "supervisor", 0, "p", 0,
	    EVT_SUPERVISOR_STATE_CHANGE_RUNNING, "", 0);
	assert_string_equal(b.data, "ver:3.0 server:supervisor serial:0 "
	    "pool:p poolserial:0 eventname:SUPERVISOR_STATE_CHANGE_RUNNING "
	    "len:0\n");
	buf_free(&b);
	assert_int_equal(evpayload_chars("h\xc3\xa9llo \xe2\x82\xac", 10), 7);
	assert_int_equal(evpayload_chars("\xff\xfe", 2), 2);
}

/* ---- pools ---- */

static struct evevent *
ev(const char *s)
{
	return evevent_new(EVT_TICK_5, s, strlen(s));
}

static void
test_pool_drops_the_oldest_when_full(void **state)
{
	struct evpool *pl = evpool_new("p", EVMASK_TICK, 2);
	struct evevent *a = ev("a"), *b = ev("b"), *c = ev("c");
	struct evitem it, dropped;

	(void)state;
	assert_false(evpool_push(pl, a, &dropped));
	assert_false(evpool_push(pl, b, &dropped));
	assert_true(evpool_push(pl, c, &dropped));
	assert_ptr_equal(dropped.ev, a);
	assert_int_equal(dropped.poolserial, 0);
	evevent_unref(dropped.ev);
	assert_true(evpool_pop(pl, &it));
	assert_ptr_equal(it.ev, b);
	assert_int_equal(it.poolserial, 1);
	evevent_unref(it.ev);
	assert_true(evpool_pop(pl, &it));
	assert_ptr_equal(it.ev, c);
	assert_int_equal(it.poolserial, 2);
	evevent_unref(it.ev);
	assert_false(evpool_pop(pl, &it));
	assert_int_equal(pl->dropped, 1);
	evevent_unref(a);
	evevent_unref(b);
	evevent_unref(c);
	evpool_free(pl);
}

/* A rejected event goes back in front with its serial. */
static void
test_pool_requeue_in_front(void **state)
{
	struct evpool *pl = evpool_new("p", EVMASK_TICK, 3);
	struct evevent *a = ev("a"), *b = ev("b");
	struct evitem it, dropped;

	(void)state;
	evpool_push(pl, a, &dropped);
	evpool_push(pl, b, &dropped);
	assert_true(evpool_pop(pl, &it));
	assert_ptr_equal(it.ev, a);
	assert_false(evpool_requeue(pl, it, &dropped));
	assert_true(evpool_pop(pl, &it));
	assert_ptr_equal(it.ev, a);
	assert_int_equal(it.poolserial, 0);
	evevent_unref(it.ev);
	evevent_unref(a);
	evevent_unref(b);
	evpool_free(pl);	/* b's reference goes with it */
}

/* Full and a rejected one comes back: the oldest queued is dropped, as
 * supervisord's pop(0) before insert(0). */
static void
test_pool_requeue_when_full(void **state)
{
	struct evpool *pl = evpool_new("p", EVMASK_TICK, 1);
	struct evevent *a = ev("a"), *b = ev("b");
	struct evitem it, dropped;

	(void)state;
	evpool_push(pl, a, &dropped);
	assert_true(evpool_pop(pl, &it));
	evpool_push(pl, b, &dropped);
	assert_true(evpool_requeue(pl, it, &dropped));
	assert_ptr_equal(dropped.ev, b);
	evevent_unref(dropped.ev);
	assert_true(evpool_pop(pl, &it));
	assert_ptr_equal(it.ev, a);
	evevent_unref(it.ev);
	evevent_unref(a);
	evevent_unref(b);
	evpool_free(pl);
}

/* The ring wraps and grows: many events through a small pool keep their
 * order. */
static void
test_pool_order_through_wraps(void **state)
{
	struct evpool *pl = evpool_new("p", EVMASK_TICK, 5);
	struct evitem it, dropped;
	uint64_t next = 0;

	(void)state;
	for (int round = 0; round < 50; round++) {
		for (int k = 0; k < 1 + round % 4; k++) {
			struct evevent *e = ev("x");
			assert_false(evpool_push(pl, e, &dropped));
			evevent_unref(e);
		}
		while (evpool_pop(pl, &it)) {
			assert_int_equal(it.poolserial, next++);
			evevent_unref(it.ev);
		}
	}
	evpool_resize(pl, 2);
	for (int k = 0; k < 4; k++) {
		struct evevent *e = ev("y");
		if (evpool_push(pl, e, &dropped))
			evevent_unref(dropped.ev);
		evevent_unref(e);
	}
	assert_int_equal(pl->n, 2);
	evpool_free(pl);
}

/* ---- capture mode ---- */

struct captured {
	struct buf	 log;		/* what went to the log */
	struct buf	 msgs;		/* messages, each as [..] */
};

static void
capture_out(void *arg, bool message, const char *p, size_t n)
{
	struct captured *c = arg;

	if (!message) {
		buf_add(&c->log, p, n);
		return;
	}
	buf_addstr(&c->msgs, "[");
	buf_add(&c->msgs, p, n);
	buf_addstr(&c->msgs, "]");
}

/* IN cut into reads of STEP bytes. */
static void
capture(const char *in, size_t step, uint64_t max, struct captured *c)
{
	struct evcapture cap;
	size_t len = strlen(in);

	buf_init(&c->log);
	buf_init(&c->msgs);
	buf_addstr(&c->log, "");
	buf_addstr(&c->msgs, "");
	evcapture_init(&cap, max);
	for (size_t off = 0; off < len; off += step)
		evcapture_feed(&cap, in + off, len - off < step ? len - off :
		    step, capture_out, c);
	evcapture_free(&cap);
}

static void
test_capture_splits_log_and_messages(void **state)
{
	const char *in = "a<!--XSUPERVISOR:BEGIN-->one<!--XSUPERVISOR:END-->"
	    "b<!--XSUPER<!--XSUPERVISOR:BEGIN-->two<!--XSUPERVISOR:END-->c"
	    "<!--XSUPERVISOR:END-->d";

	(void)state;
	for (size_t step = 1; step <= strlen(in); step++) {
		struct captured c;
		capture(in, step, 100, &c);
		assert_string_equal(c.log.data, "ab<!--XSUPERc"
		    "<!--XSUPERVISOR:END-->d");
		assert_string_equal(c.msgs.data, "[one][two]");
		buf_free(&c.log);
		buf_free(&c.msgs);
	}
}

/* The newest maxbytes of a message are kept, as supervisord's bounded
 * capture log keeps them; an unfinished one is held, never logged. */
static void
test_capture_keeps_the_newest(void **state)
{
	struct captured c;

	(void)state;
	capture("<!--XSUPERVISOR:BEGIN-->0123456789<!--XSUPERVISOR:END-->"
	    "<!--XSUPERVISOR:BEGIN-->unfinished", 3, 4, &c);
	assert_string_equal(c.msgs.data, "[6789]");
	assert_string_equal(c.log.data, "");
	buf_free(&c.log);
	buf_free(&c.msgs);
}

/* ---- events= ---- */

static void
test_events_list(void **state)
{
	char bad[64];
	evmask m;

	(void)state;
	assert_int_equal(evtype_parse_list("PROCESS_STATE_FATAL", &m, bad,
	    sizeof bad), 0);
	assert_int_equal(m, EVMASK(EVT_PROCESS_STATE_FATAL));
	assert_int_equal(evtype_parse_list("process_state, TICK ,", &m, bad,
	    sizeof bad), 0);
	assert_int_equal(m, EVMASK_TICK | EVMASK(EVT_PROCESS_STATE_STOPPED) |
	    EVMASK(EVT_PROCESS_STATE_EXITED) |
	    EVMASK(EVT_PROCESS_STATE_STARTING) |
	    EVMASK(EVT_PROCESS_STATE_STOPPING) |
	    EVMASK(EVT_PROCESS_STATE_BACKOFF) |
	    EVMASK(EVT_PROCESS_STATE_FATAL) |
	    EVMASK(EVT_PROCESS_STATE_RUNNING) |
	    EVMASK(EVT_PROCESS_STATE_UNKNOWN));
	assert_int_equal(evtype_parse_list("EVENT", &m, bad, sizeof bad), 0);
	assert_int_equal(m, (EVMASK(EVT_NTYPES - 1) << 1) - 1);
	assert_int_equal(evtype_parse_list("PROCESS_LOG,PROCESS_GROUP,"
	    "PROCESS_COMMUNICATION,SUPERVISOR_STATE_CHANGE,"
	    "REMOTE_COMMUNICATION", &m, bad, sizeof bad), 0);
	assert_int_equal(evtype_parse_list("TICK_5,NOPE", &m, bad,
	    sizeof bad), -1);
	assert_string_equal(bad, "NOPE");
	assert_int_equal(evtype_parse_list(" , ", &m, bad, sizeof bad), -1);
	assert_string_equal(bad, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_payloads),
		cmocka_unit_test(test_state_types),
		cmocka_unit_test(test_output_payloads),
		cmocka_unit_test(test_undecodable_quotes_as_python),
		cmocka_unit_test(test_other_payloads),
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_pool_drops_the_oldest_when_full),
		cmocka_unit_test(test_pool_requeue_in_front),
		cmocka_unit_test(test_pool_requeue_when_full),
		cmocka_unit_test(test_pool_order_through_wraps),
		cmocka_unit_test(test_events_list),
		cmocka_unit_test(test_capture_splits_log_and_messages),
		cmocka_unit_test(test_capture_keeps_the_newest),
	};

	return cmocka_run_group_tests_name("events", tests, NULL, NULL);
}
