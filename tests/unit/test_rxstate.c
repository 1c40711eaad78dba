/*
 * test_rxstate.c -- the state procd carries across a re-exec: the record
 * format (rxrec.h) and the state written and read back (rxstate.h),
 * including what a reader must refuse and what it must skip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "evproto.h"
#include "proc.h"
#include "rxrec.h"
#include "rxstate.h"

/* A state with two programs, a follower and every descriptor. */
static void
sample(struct rxstate *st)
{
	struct rxprog *p;
	struct rxfollow *f;

	rxstate_init(st);
	st->generation = 7;
	st->argc = 3;
	st->argv = calloc(4, sizeof *st->argv);
	st->argv[0] = strdup("procd");
	st->argv[1] = strdup("start");
	st->argv[2] = strdup("-c/etc/procd.ini");
	st->control_fd = 5;
	st->control_path = strdup("/run/procd.sock");
	st->pid_fd = 3;
	st->notify_fd = 9;
	st->http_fd = 11;
	st->gateway_pid = 4242;
	st->reply_fd = 12;
	st->reply_id = 99;
	p = rxstate_add_prog(st);
	p->name = strdup("web");
	p->state = PROC_RUNNING;
	p->want = WANT_UP;
	p->pid = 1234;
	p->start_mono = 123456789;
	p->start_wall = 1700000000;
	p->restarts = 3;
	p->flags = RXPROG_EXIT_EXPECTED | RXPROG_CASCADED;
	p->status_text = strdup("serving");
	p->out.fds[0] = 20;
	p->out.fds[1] = 21;
	p->out.nfds = 2;
	p->out.mid_line = true;
	p->out.held = strdup("half a li");
	p->out.held_len = 9;
	p->err.fds[0] = 22;
	p->err.nfds = 1;
	p = rxstate_add_prog(st);
	p->name = strdup("grp:flaky");
	p->state = PROC_BACKOFF;
	p->want = WANT_UP;
	p->deadline = 987654321;
	p->backoff = 2;
	p->spawnerr = strdup("Exited too quickly");
	st->ev_serial = 41;
	rxstate_add_pool(st)->name = strdup("rec");
	st->pools[0].serial = 17;
	{
		struct rxlistener *l = rxstate_add_listener(st);
		l->name = strdup("rec:rec_0");
		l->in_fd = 40;
		l->out_fd = 41;
		l->state = EVPROTO_READY;
		l->garbage = 2;
	}
	{
		struct rxheld *h = rxstate_add_held(st);
		h->group = strdup("app");
		h->url = strdup("tcp://127.0.0.1:8000");
		h->fd = 50;
	}
	f = rxstate_add_follow(st);
	f->fd = 30;
	f->id = 8;
	f->flags = 1;
	f->name = strdup("web");
	f->stream = 2;
	f->pending = strdup("abc");
	f->pending_len = 3;
}

static void
encode(const struct rxstate *st, struct buf *b)
{
	buf_init(b);
	rxstate_encode(st, b);
}

static void
test_state_round_trips(void **unused)
{
	struct rxstate in, out;
	struct buf b;
	const char *cause = NULL;

	(void)unused;
	sample(&in);
	encode(&in, &b);
	rxstate_init(&out);
	assert_int_equal(rxstate_decode(b.data, b.len, &out, &cause), 0);
	assert_int_equal(out.version, RXREC_VERSION);
	assert_int_equal(out.generation, 7);
	assert_int_equal(out.argc, 3);
	assert_string_equal(out.argv[2], "-c/etc/procd.ini");
	assert_null(out.argv[3]);
	assert_int_equal(out.control_fd, 5);
	assert_string_equal(out.control_path, "/run/procd.sock");
	assert_int_equal(out.pid_fd, 3);
	assert_int_equal(out.notify_fd, 9);
	assert_int_equal(out.http_fd, 11);
	assert_int_equal(out.gateway_pid, 4242);
	assert_int_equal(out.reply_fd, 12);
	assert_int_equal(out.reply_id, 99);
	assert_int_equal(out.nprogs, 2);
	assert_string_equal(out.progs[0].name, "web");
	assert_int_equal(out.progs[0].pid, 1234);
	assert_int_equal(out.progs[0].start_mono, 123456789);
	assert_int_equal(out.progs[0].restarts, 3);
	assert_int_equal(out.progs[0].flags,
	    RXPROG_EXIT_EXPECTED | RXPROG_CASCADED);
	assert_string_equal(out.progs[0].status_text, "serving");
	assert_null(out.progs[0].spawnerr);
	assert_int_equal(out.progs[0].out.nfds, 2);
	assert_int_equal(out.progs[0].out.fds[1], 21);
	assert_true(out.progs[0].out.mid_line);
	assert_int_equal(out.progs[0].out.held_len, 9);
	assert_memory_equal(out.progs[0].out.held, "half a li", 9);
	assert_int_equal(out.progs[0].err.nfds, 1);
	assert_int_equal(out.progs[1].state, PROC_BACKOFF);
	assert_int_equal(out.progs[1].deadline, 987654321);
	assert_string_equal(out.progs[1].spawnerr, "Exited too quickly");
	assert_int_equal(out.nfollows, 1);
	assert_int_equal(out.follows[0].fd, 30);
	assert_int_equal(out.follows[0].stream, 2);
	assert_memory_equal(out.follows[0].pending, "abc", 3);
	assert_int_equal(out.ev_serial, 41);
	assert_int_equal(out.npools, 1);
	assert_string_equal(out.pools[0].name, "rec");
	assert_int_equal(out.pools[0].serial, 17);
	assert_int_equal(out.nlisteners, 1);
	assert_string_equal(out.listeners[0].name, "rec:rec_0");
	assert_int_equal(out.listeners[0].in_fd, 40);
	assert_int_equal(out.listeners[0].out_fd, 41);
	assert_int_equal(out.listeners[0].garbage, 2);
	assert_int_equal(out.nheld, 1);
	assert_string_equal(out.held[0].group, "app");
	assert_string_equal(out.held[0].url, "tcp://127.0.0.1:8000");
	assert_int_equal(out.held[0].fd, 50);
	rxstate_free(&out);
	rxstate_free(&in);
	buf_free(&b);
}

/* Decode B (its first LEN bytes), expecting a refusal. */
static const char *
refused(const void *data, size_t len)
{
	struct rxstate st;
	const char *cause = NULL;

	rxstate_init(&st);
	assert_int_equal(rxstate_decode(data, len, &st, &cause), -1);
	assert_non_null(cause);
	assert_null(st.progs);		/* freed on the way out */
	return cause;
}

static void
test_every_truncation_is_refused(void **unused)
{
	struct rxstate in;
	struct buf b;

	(void)unused;
	sample(&in);
	encode(&in, &b);
	for (size_t n = 0; n < b.len; n++)
		refused(b.data, n);
	rxstate_free(&in);
	buf_free(&b);
}

static void
test_a_newer_version_is_refused_by_name(void **unused)
{
	struct rxstate in;
	struct buf b;

	(void)unused;
	sample(&in);
	encode(&in, &b);
	b.data[11] = RXREC_VERSION + 1;
	assert_non_null(strstr(refused(b.data, b.len), "newer procd"));
	memcpy(b.data, "PROCDRX?", 8);
	assert_non_null(strstr(refused(b.data, b.len), "magic"));
	rxstate_free(&in);
	buf_free(&b);
}

/* Records a later release may add: skipped unless critical. */
static void
test_unknown_records_are_skipped_unless_critical(void **unused)
{
	struct rxstate in, out;
	struct buf b;
	const char *cause = NULL;
	size_t at;

	(void)unused;
	sample(&in);
	buf_init(&b);
	rxstate_encode(&in, &b);
	/* A top-level record and one inside a group of its own. */
	rxrec_str(&b, 0x0777, "from the future");
	at = rxrec_open(&b, 0x0778);
	rxrec_u64(&b, 0x0001, 1);
	rxrec_close(&b, at);
	rxrec_finish(&b);
	rxstate_init(&out);
	assert_int_equal(rxstate_decode(b.data, b.len, &out, &cause), 0);
	assert_int_equal(out.nprogs, 2);
	rxstate_free(&out);
	rxrec_u64(&b, 0x0779 | RXREC_CRITICAL, 1);
	rxrec_finish(&b);
	assert_non_null(strstr(refused(b.data, b.len), "critical"));
	rxstate_free(&in);
	buf_free(&b);
}

static void
test_a_descriptor_named_twice_is_refused(void **unused)
{
	struct rxstate in;
	struct buf b;

	(void)unused;
	sample(&in);
	in.progs[1].out.fds[0] = in.progs[0].out.fds[0];
	in.progs[1].out.nfds = 1;
	encode(&in, &b);
	assert_non_null(strstr(refused(b.data, b.len), "twice"));
	rxstate_free(&in);
	buf_free(&b);
}

/* A listener is carried only between events. */
static void
test_a_busy_listener_is_refused(void **unused)
{
	struct rxstate in;
	struct buf b;

	(void)unused;
	sample(&in);
	in.listeners[0].state = EVPROTO_BUSY;
	encode(&in, &b);
	assert_non_null(strstr(refused(b.data, b.len), "middle of an event"));
	rxstate_free(&in);
	buf_free(&b);
}

static void
test_a_pid_in_a_state_without_one_is_refused(void **unused)
{
	struct rxstate in;
	struct buf b;

	(void)unused;
	sample(&in);
	in.progs[1].pid = 77;	/* BACKOFF has no process */
	encode(&in, &b);
	assert_non_null(strstr(refused(b.data, b.len), "pid"));
	rxstate_free(&in);
	buf_free(&b);
}

static void
test_out_of_range_fields_are_refused(void **unused)
{
	struct rxstate in;
	struct buf b;

	(void)unused;
	sample(&in);
	in.progs[0].state = PROC_NSTATES;
	encode(&in, &b);
	assert_non_null(strstr(refused(b.data, b.len), "range"));
	buf_free(&b);
	in.progs[0].state = PROC_RUNNING;
	in.progs[0].out.fds[0] = -1;	/* written as a huge number */
	encode(&in, &b);
	assert_non_null(strstr(refused(b.data, b.len), "range"));
	rxstate_free(&in);
	buf_free(&b);
}

static void
test_the_essentials_must_be_there(void **unused)
{
	struct rxstate in;
	struct buf b;

	(void)unused;
	rxstate_init(&in);
	encode(&in, &b);	/* no argv, no control socket */
	assert_non_null(strstr(refused(b.data, b.len), "lacks"));
	buf_free(&b);
}

static void
test_deep_nesting_is_bounded(void **unused)
{
	struct buf b;
	size_t at[RXREC_MAX_DEPTH + 2];

	(void)unused;
	buf_init(&b);
	rxrec_begin(&b);
	at[0] = rxrec_open(&b, 0x0009 | RXREC_CRITICAL);
	for (size_t i = 1; i < RXREC_MAX_DEPTH + 2; i++)
		at[i] = rxrec_open(&b, 0x0022 | RXREC_CRITICAL);
	for (size_t i = RXREC_MAX_DEPTH + 2; i-- > 0;)
		rxrec_close(&b, at[i]);
	rxrec_finish(&b);
	refused(b.data, b.len);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_round_trips),
		cmocka_unit_test(test_every_truncation_is_refused),
		cmocka_unit_test(test_a_newer_version_is_refused_by_name),
		cmocka_unit_test(
		    test_unknown_records_are_skipped_unless_critical),
		cmocka_unit_test(test_a_descriptor_named_twice_is_refused),
		cmocka_unit_test(test_a_pid_in_a_state_without_one_is_refused),
		cmocka_unit_test(test_a_busy_listener_is_refused),
		cmocka_unit_test(test_out_of_range_fields_are_refused),
		cmocka_unit_test(test_the_essentials_must_be_there),
		cmocka_unit_test(test_deep_nesting_is_bounded),
	};

	return cmocka_run_group_tests_name("rxstate", tests, NULL, NULL);
}
