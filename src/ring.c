/*
 * ring.c -- the newest bytes of a stream (ring.h).  The storage is only
 * allocated when the first byte arrives, so quiet programs cost nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "ring.h"

void
ring_init(struct ring *r, size_t cap)
{
	r->data = NULL;
	r->cap = cap;
	r->head = r->len = 0;
}

void
ring_free(struct ring *r)
{
	free(r->data);
	r->data = NULL;
	r->head = r->len = 0;
}

int
ring_write(struct ring *r, const char *p, size_t n)
{
	if (r->cap == 0 || n == 0)
		return 0;
	if (r->data == NULL && (r->data = malloc(r->cap)) == NULL)
		return -1;
	if (n > r->cap) {	/* only the last cap bytes can stay */
		p += n - r->cap;
		n = r->cap;
	}
	size_t first = r->cap - r->head;
	if (first > n)
		first = n;
	memcpy(r->data + r->head, p, first);
	memcpy(r->data, p + first, n - first);
	r->head = (r->head + n) % r->cap;
	r->len = r->len + n > r->cap ? r->cap : r->len + n;
	return 0;
}

size_t
ring_tail(const struct ring *r, char *out, size_t n)
{
	size_t start, first;

	if (n > r->len)
		n = r->len;
	if (n == 0)
		return 0;
	start = (r->head + r->cap - n) % r->cap;
	first = r->cap - start;
	if (first > n)
		first = n;
	memcpy(out, r->data + start, first);
	memcpy(out + first, r->data, n - first);
	return n;
}

void
ring_clear(struct ring *r)
{
	r->head = r->len = 0;
}
