/*
 * proto.c -- pack and unpack control-protocol frames (format in proto.h).
 * No I/O and no allocation: the fuzzer drives these directly.
 */
#include <string.h>

#include "proto.h"

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

void
proto_hdr_pack(const struct proto_hdr *h, uint8_t out[PROTO_HDR_LEN])
{
	put32(out, h->len);
	out[4] = (uint8_t)(h->type >> 8);
	out[5] = (uint8_t)h->type;
	out[6] = h->version;
	out[7] = h->flags;
	put32(out + 8, h->id);
}

int
proto_hdr_unpack(const uint8_t in[PROTO_HDR_LEN], struct proto_hdr *h,
    const char **cause)
{
	h->len = get32(in);
	h->type = (uint16_t)(in[4] << 8 | in[5]);
	h->version = in[6];
	h->flags = in[7];
	h->id = get32(in + 8);
	if (h->version != PROTO_VERSION) {
		*cause = "protocol version mismatch";
		return -1;
	}
	if (h->type < PROTO_REQUEST || h->type > PROTO_END) {
		*cause = "unknown frame type";
		return -1;
	}
	if (h->len > PROTO_MAX_PAYLOAD) {
		*cause = "frame too large";
		return -1;
	}
	return 0;
}

int
proto_argv_decode(const char *buf, size_t len,
    char *argv[PROTO_MAX_ARGS + 1], const char **cause)
{
	size_t start = 0;
	int argc = 0;

	if (len == 0 || buf[len - 1] != '\0') {
		*cause = "request is not a list of NUL-terminated strings";
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\0')
			continue;
		if (argc == PROTO_MAX_ARGS) {
			*cause = "too many arguments";
			return -1;
		}
		argv[argc++] = (char *)buf + start;
		start = i + 1;
	}
	if (argv[0][0] == '\0') {
		*cause = "empty command";
		return -1;
	}
	argv[argc] = NULL;
	return argc;
}

long
proto_argv_size(int argc, char *const argv[])
{
	size_t n = 0;

	if (argc > PROTO_MAX_ARGS)
		return -1;
	for (int i = 0; i < argc; i++) {
		n += strlen(argv[i]) + 1;
		if (n > PROTO_MAX_PAYLOAD)
			return -1;
	}
	return (long)n;
}

void
proto_argv_encode(int argc, char *const argv[], char *out)
{
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		memcpy(out, argv[i], n);
		out += n;
	}
}
