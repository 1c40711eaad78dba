/*
 * peek.c -- procctl or HTTP on the control socket (peek.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "peek.h"

enum peek_kind
peek_classify(const char *buf, size_t n)
{
	static const char *const methods[] = { "POST ", "GET ", "HEAD " };

	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		size_t m = strlen(methods[i]);
		if (memcmp(buf, methods[i], n < m ? n : m) == 0)
			return PEEK_HTTP;
	}
	return PEEK_PROTO;
}

enum peek_kind
peek_socket(int fd)
{
	char buf[8];
	ssize_t n;

	do
		n = recv(fd, buf, sizeof buf, MSG_PEEK | MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	if (n == 0)
		return PEEK_GONE;
	if (n == -1)
		return errno == EAGAIN ? PEEK_NOTHING : PEEK_GONE;
	return peek_classify(buf, (size_t)n);
}
