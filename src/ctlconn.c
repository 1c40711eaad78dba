/*
 * ctlconn.c -- procctl's request/reply exchange (ctlconn.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctlconn.h"
#include "proto.h"
#include "sys.h"

int
ctlconn_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Write all LEN bytes of P (the socket blocks): 0 ok, -1 error. */
int
ctlconn_send(int fd, int argc, char *const argv[], uint8_t flags)
{
	long size = proto_argv_size(argc, argv);
	struct proto_hdr h = { .type = PROTO_REQUEST,
	    .version = PROTO_VERSION, .flags = flags, .id = 1 };
	uint8_t hdr[PROTO_HDR_LEN];
	char *payload;
	int r;

	if (size < 0) {
		errno = EMSGSIZE;
		return -1;
	}
	h.len = (uint32_t)size;
	proto_hdr_pack(&h, hdr);
	if ((payload = malloc((size_t)size)) == NULL)
		return -1;
	proto_argv_encode(argc, argv, payload);
	r = sys_write_all(fd, hdr, sizeof hdr) == (ssize_t)sizeof hdr &&
	    sys_write_all(fd, payload, (size_t)size) == size ? 0 : -1;
	free(payload);
	return r;
}

int
ctlconn_call(int fd, int argc, char *const argv[], uint8_t flags)
{
	/* If procd refused us and hung up, its reason may still be there
	 * to read: try before giving up. */
	return ctlconn_relay(fd, ctlconn_send(fd, argc, argv, flags) == 0);
}

int
ctlconn_relay(int fd, bool sent)
{
	static char payload[PROTO_MAX_PAYLOAD];
	uint8_t hdr[PROTO_HDR_LEN];
	struct proto_hdr h;
	const char *cause;

	for (;;) {
		if (sys_read_all(fd, hdr, sizeof hdr) == -1)
			break;
		if (proto_hdr_unpack(hdr, &h, &cause) == -1) {
			fprintf(stderr, "procctl: bad reply from procd: %s\n",
			    cause);
			return -1;
		}
		if (sys_read_all(fd, payload, h.len) == -1)
			break;
		switch (h.type) {
		case PROTO_OUT:
			fwrite(payload, 1, h.len, stdout);
			fflush(stdout);
			break;
		case PROTO_ERR:
			fwrite(payload, 1, h.len, stderr);
			break;
		case PROTO_END:
			return h.len >= 1 ? (uint8_t)payload[0] : 1;
		default:
			fprintf(stderr, "procctl: unexpected frame type %u\n",
			    h.type);
			return -1;
		}
	}
	if (sent)
		fprintf(stderr, "procctl: procd closed the connection before "
		    "answering\n");
	else
		fprintf(stderr, "procctl: sending the request failed: %s\n",
		    strerror(errno));
	return -1;
}
