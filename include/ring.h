/*
 * ring.h -- a fixed-size ring keeping the newest bytes of a stream, for
 * `procctl tail` on output that has no file to read back.
 */
#ifndef PROCD_RING_H
#define PROCD_RING_H

#include <stddef.h>

struct ring {
	char	*data;		/* NULL until the first byte arrives */
	size_t	 cap;
	size_t	 head;		/* next write position */
	size_t	 len;		/* bytes held, <= cap */
};

void	ring_init(struct ring *, size_t cap);
void	ring_free(struct ring *);
/* Append, overwriting the oldest bytes; -1 only if allocation fails. */
int	ring_write(struct ring *, const char *, size_t);
/* Copy the newest min(len, held) bytes into OUT in order; returns count. */
size_t	ring_tail(const struct ring *, char *out, size_t len);
void	ring_clear(struct ring *);

#endif
