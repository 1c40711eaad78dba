/*
 * fuzz_proto.c -- the control protocol's decoders (proto.c) on any bytes.
 *
 * The first PROTO_HDR_LEN bytes are a frame header, the rest a REQUEST
 * payload, as control.c reads them from a client.  Besides "no crash, no
 * sanitizer report" it checks what the decoders promise:
 *   - unpack accepts exactly the headers within the documented limits, and
 *     pack(unpack(x)) gives x back byte for byte;
 *   - a decoded argv encodes (proto_argv_size, proto_argv_encode) back to
 *     the very payload it came from, and decode sets *cause on failure.
 */
#include <string.h>

#include "fuzz.h"
#include "proto.h"

static void
fuzz_proto_hdr(const uint8_t *in)
{
	struct proto_hdr	 h;
	const char		*cause = NULL;
	uint8_t			 out[PROTO_HDR_LEN];
	int			 r;

	r = proto_hdr_unpack(in, &h, &cause);
	FUZZ_CHECK(r == 0 || r == -1);
	FUZZ_CHECK(r == 0 ? cause == NULL : cause != NULL && *cause != '\0');
	FUZZ_CHECK((r == 0) == (h.version == PROTO_VERSION &&
	    h.type >= PROTO_REQUEST && h.type <= PROTO_END &&
	    h.len <= PROTO_MAX_PAYLOAD));
	/* Every field is filled even when the header is refused. */
	proto_hdr_pack(&h, out);
	FUZZ_CHECK(memcmp(in, out, PROTO_HDR_LEN) == 0);
}

static void
fuzz_proto_argv(const char *buf, size_t len)
{
	char		*argv[PROTO_MAX_ARGS + 1], *enc;
	const char	*cause = NULL;
	long		 size;
	int		 argc, i;

	argc = proto_argv_decode(buf, len, argv, &cause);
	if (argc == -1) {
		FUZZ_CHECK(cause != NULL && *cause != '\0');
		return;
	}
	FUZZ_CHECK(argc >= 1 && argc <= PROTO_MAX_ARGS);
	FUZZ_CHECK(argv[argc] == NULL && argv[0][0] != '\0');
	for (i = 0; i < argc; i++)
		FUZZ_CHECK(argv[i] >= buf && argv[i] < buf + len);
	size = proto_argv_size(argc, argv);
	if (len > PROTO_MAX_PAYLOAD) {
		FUZZ_CHECK(size == -1);
		return;
	}
	FUZZ_CHECK(size >= 0 && (size_t)size == len);
	if ((enc = malloc(size)) == NULL)
		abort();
	proto_argv_encode(argc, argv, enc);
	FUZZ_CHECK(memcmp(enc, buf, len) == 0);
	free(enc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*payload;
	size_t	 len;

	if (size < PROTO_HDR_LEN)
		return 0;
	fuzz_proto_hdr(data);
	/* A copy of exactly the payload's size, so that any read past its
	 * end is a sanitizer report (malloc(0) may return NULL: ask for 1). */
	len = size - PROTO_HDR_LEN;
	if ((payload = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	memcpy(payload, data + PROTO_HDR_LEN, len);
	fuzz_proto_argv(payload, len);
	free(payload);
	return 0;
}
