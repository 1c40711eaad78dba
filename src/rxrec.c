/*
 * rxrec.c -- the tagged record format of re-exec state (rxrec.h): the
 * writer appends to a buf, the reader walks bytes it does not trust.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rxrec.h"

static void
rxrec_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
rxrec_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

void
rxrec_begin(struct buf *b)
{
	uint8_t h[RXREC_HDR_LEN] = { 0 };

	memcpy(h, RXREC_MAGIC, RXREC_MAGIC_LEN);
	rxrec_put32(h + 8, RXREC_VERSION);
	buf_add(b, h, sizeof h);
}

/* A record's tag and length, its value to follow. */
static void
rxrec_head(struct buf *b, uint16_t tag, uint32_t len)
{
	uint8_t h[6];

	h[0] = (uint8_t)(tag >> 8);
	h[1] = (uint8_t)tag;
	rxrec_put32(h + 2, len);
	buf_add(b, h, sizeof h);
}

void
rxrec_u64(struct buf *b, uint16_t tag, uint64_t v)
{
	uint8_t p[8];

	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
	rxrec_head(b, tag, sizeof p);
	buf_add(b, p, sizeof p);
}

void
rxrec_i64(struct buf *b, uint16_t tag, int64_t v)
{
	rxrec_u64(b, tag, (uint64_t)v);
}

void
rxrec_bytes(struct buf *b, uint16_t tag, const void *p, size_t n)
{
	rxrec_head(b, tag, (uint32_t)n);
	if (n > 0)
		buf_add(b, p, n);
}

void
rxrec_str(struct buf *b, uint16_t tag, const char *s)
{
	rxrec_bytes(b, tag, s, strlen(s));
}

size_t
rxrec_open(struct buf *b, uint16_t tag)
{
	size_t at = b->len;

	rxrec_head(b, tag, 0);
	return at;
}

void
rxrec_close(struct buf *b, size_t at)
{
	rxrec_put32((uint8_t *)b->data + at + 2, (uint32_t)(b->len - at - 6));
}

void
rxrec_finish(struct buf *b)
{
	rxrec_put32((uint8_t *)b->data + 12,
	    (uint32_t)(b->len - RXREC_HDR_LEN));
}

int
rxrec_read(const void *data, size_t len, struct rxcur *c, uint32_t *version,
    const char **cause)
{
	const uint8_t *p = data;
	uint32_t body;

	if (len < RXREC_HDR_LEN || memcmp(p, RXREC_MAGIC, RXREC_MAGIC_LEN)) {
		*cause = "not a procd state (bad magic)";
		return -1;
	}
	*version = rxrec_get32(p + 8);
	if (*version == 0 || *version > RXREC_VERSION) {
		*cause = "state written by a newer procd (format version "
		    "above the one this procd reads)";
		return -1;
	}
	body = rxrec_get32(p + 12);
	if (body != len - RXREC_HDR_LEN) {
		*cause = "state truncated or with trailing bytes";
		return -1;
	}
	*c = (struct rxcur){ p + RXREC_HDR_LEN, body, 0, 0 };
	return 0;
}

int
rxrec_next(struct rxcur *c, uint16_t *tag, struct rxcur *value,
    const char **cause)
{
	uint32_t n;

	if (c->off == c->len)
		return 0;
	if (c->len - c->off < 6) {
		*cause = "a record's header runs past its end";
		return -1;
	}
	*tag = (uint16_t)(c->p[c->off] << 8 | c->p[c->off + 1]);
	n = rxrec_get32(c->p + c->off + 2);
	c->off += 6;
	if (n > c->len - c->off) {
		*cause = "a record runs past its end";
		return -1;
	}
	*value = (struct rxcur){ c->p + c->off, n, 0, c->depth };
	c->off += n;
	return 1;
}

int
rxrec_get_u64(const struct rxcur *v, uint64_t *out)
{
	uint64_t x = 0;

	if (v->len != 8)
		return -1;
	for (int i = 0; i < 8; i++)
		x = x << 8 | v->p[i];
	*out = x;
	return 0;
}

int
rxrec_get_i64(const struct rxcur *v, int64_t *out)
{
	uint64_t x;

	if (rxrec_get_u64(v, &x) == -1)
		return -1;
	*out = (int64_t)x;
	return 0;
}

char *
rxrec_get_str(const struct rxcur *v)
{
	char *s;

	if (memchr(v->p, '\0', v->len) != NULL || (s = malloc(v->len + 1)) ==
	    NULL)
		return NULL;
	memcpy(s, v->p, v->len);
	s[v->len] = '\0';
	return s;
}

int
rxrec_get_group(const struct rxcur *v, struct rxcur *inner)
{
	if (v->depth + 1 > RXREC_MAX_DEPTH)
		return -1;
	*inner = (struct rxcur){ v->p, v->len, 0, v->depth + 1 };
	return 0;
}
