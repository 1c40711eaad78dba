/*
 * proto.h -- the control protocol's framing, shared by procd and procctl.
 *
 * Pure encode/decode: no I/O here, so both binaries and the fuzzer share it.
 *
 * Every frame is a 12-byte header followed by LEN payload bytes:
 *
 *	offset	size	field
 *	0	4	payload length, big-endian, <= PROTO_MAX_PAYLOAD
 *	4	2	type (enum proto_type), big-endian
 *	6	1	protocol version (PROTO_VERSION)
 *	7	1	flags (PROTO_F_*)
 *	8	4	request id, big-endian, echoed in every reply frame
 *
 * A client sends one REQUEST whose payload is argv as NUL-terminated strings
 * ("status\0web\0").  procd answers with any number of OUT (for stdout) and
 * ERR (for stderr) frames and one END whose 1-byte payload is the exit code
 * procctl should return.  A frame with another version, an unknown type or
 * an oversized length is answered with ERR + END(2) when possible, and the
 * connection is closed.
 */
#ifndef PROCD_PROTO_H
#define PROCD_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_VERSION		1
#define PROTO_HDR_LEN		12
#define PROTO_MAX_PAYLOAD	(64 * 1024)
#define PROTO_MAX_ARGS		1024

enum proto_type {
	PROTO_REQUEST = 1,
	PROTO_OUT = 2,
	PROTO_ERR = 3,
	PROTO_END = 4,
};

#define PROTO_F_JSON	0x01	/* REQUEST: answer in JSON */
#define PROTO_F_COLOR	0x02	/* REQUEST: the answer goes to a colour tty */

struct proto_hdr {
	uint32_t	len;
	uint16_t	type;
	uint8_t		version;
	uint8_t		flags;
	uint32_t	id;
};

void	proto_hdr_pack(const struct proto_hdr *, uint8_t out[PROTO_HDR_LEN]);
/* Unpack and validate; -1 with *cause set (a static string) when bad. */
int	proto_hdr_unpack(const uint8_t in[PROTO_HDR_LEN], struct proto_hdr *,
	    const char **cause);

/*
 * Split a REQUEST payload into argv.  Pointers point into BUF, which must
 * stay alive; ARGV has room for PROTO_MAX_ARGS + 1 entries and is
 * NULL-terminated.  Returns argc, or -1 with *cause when the payload is not
 * a non-empty list of NUL-terminated strings.
 */
int	proto_argv_decode(const char *buf, size_t len,
	    char *argv[PROTO_MAX_ARGS + 1], const char **cause);
/* Bytes needed to encode argv; -1 if over PROTO_MAX_PAYLOAD. */
long	proto_argv_size(int argc, char *const argv[]);
/* Encode into OUT (size from proto_argv_size). */
void	proto_argv_encode(int argc, char *const argv[], char *out);

#endif
