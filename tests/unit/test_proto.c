/*
 * test_proto.c -- the control protocol's framing (proto.h): the 12-byte
 * big-endian header and the NUL-separated argv payload of a REQUEST.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "proto.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A header that should be accepted: pack it, then overwrite bytes. */
static void
good_header(uint8_t out[PROTO_HDR_LEN])
{
	struct proto_hdr h = {
		.len = 11, .type = PROTO_REQUEST, .version = PROTO_VERSION,
		.flags = 0, .id = 1,
	};

	proto_hdr_pack(&h, out);
}

/* Unpack IN, expecting a rejection; return the cause given. */
static const char *
rejected(const uint8_t in[PROTO_HDR_LEN])
{
	struct proto_hdr h;
	const char *cause = NULL;

	assert_int_equal(proto_hdr_unpack(in, &h, &cause), -1);
	assert_non_null(cause);
	assert_true(strlen(cause) > 0);
	return cause;
}

/* ===================== header ===================== */

static void
test_header_round_trips(void **state)
{
	struct proto_hdr in = {
		.len = 12345, .type = PROTO_REQUEST, .version = PROTO_VERSION,
		.flags = PROTO_F_JSON, .id = 0xdeadbeef,
	}, out;
	uint8_t wire[PROTO_HDR_LEN];
	const char *cause = NULL;

	(void)state;
	proto_hdr_pack(&in, wire);
	assert_int_equal(proto_hdr_unpack(wire, &out, &cause), 0);
	assert_null(cause);
	assert_int_equal(out.len, 12345);
	assert_int_equal(out.type, PROTO_REQUEST);
	assert_int_equal(out.version, PROTO_VERSION);
	assert_int_equal(out.flags, PROTO_F_JSON);
	assert_int_equal(out.id, 0xdeadbeef);
}

static void
test_every_frame_type_round_trips(void **state)
{
	const uint16_t types[] = { PROTO_REQUEST, PROTO_OUT, PROTO_ERR,
	    PROTO_END };
	uint8_t wire[PROTO_HDR_LEN];
	const char *cause = NULL;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(types); i++) {
		struct proto_hdr in = { .len = 1, .type = types[i],
		    .version = PROTO_VERSION, .id = (uint32_t)i }, out;

		proto_hdr_pack(&in, wire);
		assert_int_equal(proto_hdr_unpack(wire, &out, &cause), 0);
		assert_int_equal(out.type, types[i]);
		assert_int_equal(out.id, i);
	}
}

static void
test_header_is_big_endian_byte_by_byte(void **state)
{
	struct proto_hdr h = {
		.len = 0x0000fedc, .type = 0x0304, .version = 0x05,
		.flags = 0x06, .id = 0xa1b2c3d4,
	};
	const uint8_t want[PROTO_HDR_LEN] = {
		0x00, 0x00, 0xfe, 0xdc,		/* length */
		0x03, 0x04,			/* type */
		0x05,				/* version */
		0x06,				/* flags */
		0xa1, 0xb2, 0xc3, 0xd4,		/* request id */
	};
	uint8_t wire[PROTO_HDR_LEN];

	(void)state;
	assert_int_equal(PROTO_HDR_LEN, 12);
	memset(wire, 0xee, sizeof wire);
	proto_hdr_pack(&h, wire);
	assert_memory_equal(wire, want, sizeof want);
}

static void
test_header_unpacks_hand_written_bytes(void **state)
{
	const uint8_t wire[PROTO_HDR_LEN] = {
		0x00, 0x01, 0x00, 0x00,		/* 65536 = the maximum */
		0x00, PROTO_END,
		PROTO_VERSION,
		0x00,
		0x01, 0x02, 0x03, 0x04,
	};
	struct proto_hdr h;
	const char *cause = NULL;

	(void)state;
	assert_int_equal(proto_hdr_unpack(wire, &h, &cause), 0);
	assert_int_equal(h.len, PROTO_MAX_PAYLOAD);
	assert_int_equal(h.type, PROTO_END);
	assert_int_equal(h.id, 0x01020304);
}

static void
test_other_versions_are_rejected(void **state)
{
	uint8_t wire[PROTO_HDR_LEN];

	(void)state;
	good_header(wire);
	wire[6] = PROTO_VERSION + 1;
	assert_non_null(strstr(rejected(wire), "version"));
	wire[6] = 0;
	assert_non_null(strstr(rejected(wire), "version"));
	wire[6] = 0xff;
	assert_non_null(strstr(rejected(wire), "version"));
}

static void
test_unknown_types_are_rejected(void **state)
{
	uint8_t wire[PROTO_HDR_LEN];

	(void)state;
	good_header(wire);
	wire[4] = 0;
	wire[5] = 0;
	assert_non_null(strstr(rejected(wire), "type"));
	wire[5] = PROTO_END + 1;
	assert_non_null(strstr(rejected(wire), "type"));
	/* the high byte counts: 0x0101 is not REQUEST */
	wire[4] = 0x01;
	wire[5] = PROTO_REQUEST;
	assert_non_null(strstr(rejected(wire), "type"));
}

static void
test_oversized_frames_are_rejected_before_allocating(void **state)
{
	uint8_t wire[PROTO_HDR_LEN];
	struct proto_hdr h = { .type = PROTO_OUT, .version = PROTO_VERSION };

	(void)state;
	h.len = PROTO_MAX_PAYLOAD + 1;
	proto_hdr_pack(&h, wire);
	assert_non_null(strstr(rejected(wire), "large"));
	h.len = 0xffffffff;
	proto_hdr_pack(&h, wire);
	assert_non_null(strstr(rejected(wire), "large"));
}

static void
test_empty_payload_header_is_fine(void **state)
{
	struct proto_hdr h = { .len = 0, .type = PROTO_OUT,
	    .version = PROTO_VERSION }, out;
	uint8_t wire[PROTO_HDR_LEN];
	const char *cause = NULL;

	(void)state;
	proto_hdr_pack(&h, wire);
	assert_int_equal(proto_hdr_unpack(wire, &out, &cause), 0);
	assert_int_equal(out.len, 0);
}

/* ===================== argv payload ===================== */

static void
test_argv_round_trips(void **state)
{
	char *argv[] = { "signal", "HUP", "grp:*", "web" };
	int argc = (int)ARRAY_LEN(argv);
	char *got[PROTO_MAX_ARGS + 1];
	const char *cause = NULL;
	long size;
	char *wire;

	(void)state;
	size = proto_argv_size(argc, argv);
	assert_int_equal(size, 7 + 4 + 6 + 4);
	wire = malloc((size_t)size);	/* exact: ASan sees any overrun */
	assert_non_null(wire);
	proto_argv_encode(argc, argv, wire);
	assert_memory_equal(wire, "signal\0HUP\0grp:*\0web\0", (size_t)size);

	assert_int_equal(proto_argv_decode(wire, (size_t)size, got, &cause),
	    argc);
	for (int i = 0; i < argc; i++)
		assert_string_equal(got[i], argv[i]);
	assert_null(got[argc]);
	/* the pointers point into the payload: nothing was copied */
	assert_ptr_equal(got[0], wire);
	free(wire);
}

static void
test_argv_of_one_word_round_trips(void **state)
{
	char *argv[] = { "status" };
	char wire[7];
	char *got[PROTO_MAX_ARGS + 1];
	const char *cause = NULL;

	(void)state;
	assert_int_equal(proto_argv_size(1, argv), 7);
	proto_argv_encode(1, argv, wire);
	assert_int_equal(proto_argv_decode(wire, sizeof wire, got, &cause), 1);
	assert_string_equal(got[0], "status");
	assert_null(got[1]);
}

static void
test_empty_arguments_after_the_command_survive(void **state)
{
	/* only the command must be non-empty: `procctl tail web ""` */
	/* sizeof counts the literal's final NUL too */
	const char wire[] = "tail\0\0web";
	char *got[PROTO_MAX_ARGS + 1];
	const char *cause = NULL;

	(void)state;
	assert_int_equal(proto_argv_decode(wire, sizeof wire, got, &cause), 3);
	assert_string_equal(got[0], "tail");
	assert_string_equal(got[1], "");
	assert_string_equal(got[2], "web");
	assert_null(got[3]);
}

static void
test_decode_rejects_an_empty_payload(void **state)
{
	char *got[PROTO_MAX_ARGS + 1];
	const char *cause = NULL;

	(void)state;
	assert_int_equal(proto_argv_decode("", 0, got, &cause), -1);
	assert_non_null(cause);
}

static void
test_decode_rejects_a_missing_final_nul(void **state)
{
	char wire[] = { 's', 't', 'a', 't', 'u', 's' };
	char *got[PROTO_MAX_ARGS + 1];
	const char *cause = NULL;

	(void)state;
	assert_int_equal(proto_argv_decode(wire, sizeof wire, got, &cause),
	    -1);
	assert_non_null(cause);

	cause = NULL;
	assert_int_equal(proto_argv_decode("stop\0web", 8, got, &cause), -1);
	assert_non_null(cause);
}

static void
test_decode_rejects_an_empty_command(void **state)
{
	char *got[PROTO_MAX_ARGS + 1];
	const char *cause = NULL;

	(void)state;
	assert_int_equal(proto_argv_decode("\0web", 5, got, &cause), -1);
	assert_non_null(cause);
	cause = NULL;
	assert_int_equal(proto_argv_decode("", 1, got, &cause), -1);
	assert_non_null(cause);
}

/* A payload of N one-letter args, "a\0a\0...". */
static char *
n_args(int n, size_t *len)
{
	char *p;

	*len = (size_t)n * 2;
	if ((p = malloc(*len)) == NULL)
		fail();
	for (int i = 0; i < n; i++) {
		p[2 * i] = 'a';
		p[2 * i + 1] = '\0';
	}
	return p;
}

static void
test_decode_takes_exactly_max_args(void **state)
{
	char *got[PROTO_MAX_ARGS + 1];
	const char *cause = NULL;
	size_t len;
	char *wire = n_args(PROTO_MAX_ARGS, &len);

	(void)state;
	assert_int_equal(proto_argv_decode(wire, len, got, &cause),
	    PROTO_MAX_ARGS);
	assert_string_equal(got[PROTO_MAX_ARGS - 1], "a");
	assert_null(got[PROTO_MAX_ARGS]);
	free(wire);
}

static void
test_decode_rejects_more_than_max_args(void **state)
{
	char *got[PROTO_MAX_ARGS + 1];
	const char *cause = NULL;
	size_t len;
	char *wire = n_args(PROTO_MAX_ARGS + 1, &len);

	(void)state;
	assert_int_equal(proto_argv_decode(wire, len, got, &cause), -1);
	assert_non_null(cause);
	free(wire);
}

static void
test_size_refuses_more_than_max_args(void **state)
{
	static char *argv[PROTO_MAX_ARGS + 1];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(argv); i++)
		argv[i] = "a";
	assert_int_equal(proto_argv_size(PROTO_MAX_ARGS, argv),
	    2 * PROTO_MAX_ARGS);
	assert_int_equal(proto_argv_size(PROTO_MAX_ARGS + 1, argv), -1);
}

static void
test_size_refuses_more_than_max_payload(void **state)
{
	char *big = malloc(PROTO_MAX_PAYLOAD);
	char *argv[2];

	(void)state;
	assert_non_null(big);
	/* "x...x\0" of exactly PROTO_MAX_PAYLOAD bytes fits */
	memset(big, 'x', PROTO_MAX_PAYLOAD - 1);
	big[PROTO_MAX_PAYLOAD - 1] = '\0';
	argv[0] = big;
	assert_int_equal(proto_argv_size(1, argv), PROTO_MAX_PAYLOAD);
	/* one more byte, here as a second argument, does not */
	argv[1] = "";
	assert_int_equal(proto_argv_size(2, argv), -1);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_round_trips),
		cmocka_unit_test(test_every_frame_type_round_trips),
		cmocka_unit_test(test_header_is_big_endian_byte_by_byte),
		cmocka_unit_test(test_header_unpacks_hand_written_bytes),
		cmocka_unit_test(test_other_versions_are_rejected),
		cmocka_unit_test(test_unknown_types_are_rejected),
		cmocka_unit_test(
		    test_oversized_frames_are_rejected_before_allocating),
		cmocka_unit_test(test_empty_payload_header_is_fine),
		cmocka_unit_test(test_argv_round_trips),
		cmocka_unit_test(test_argv_of_one_word_round_trips),
		cmocka_unit_test(
		    test_empty_arguments_after_the_command_survive),
		cmocka_unit_test(test_decode_rejects_an_empty_payload),
		cmocka_unit_test(test_decode_rejects_a_missing_final_nul),
		cmocka_unit_test(test_decode_rejects_an_empty_command),
		cmocka_unit_test(test_decode_takes_exactly_max_args),
		cmocka_unit_test(test_decode_rejects_more_than_max_args),
		cmocka_unit_test(test_size_refuses_more_than_max_args),
		cmocka_unit_test(test_size_refuses_more_than_max_payload),
	};

	return cmocka_run_group_tests_name("proto", tests, NULL, NULL);
}
