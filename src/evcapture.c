/*
 * evcapture.c -- capture mode (evcapture.h).
 *
 * Bytes are passed on as soon as they cannot be the start of the token
 * looked for; only a tail that could be (at most the token's length less
 * one) is held until the next read decides.  While capturing, the newest
 * maxbytes are kept, as supervisord's bounded capture log keeps them.
 */
#include <string.h>

#include "evcapture.h"

void
evcapture_init(struct evcapture *c, uint64_t maxbytes)
{
	memset(c, 0, sizeof *c);
	c->maxbytes = maxbytes;
	buf_init(&c->cap);
}

void
evcapture_free(struct evcapture *c)
{
	buf_free(&c->cap);
}

/* Keep the newest maxbytes of what is captured. */
static void
evcapture_keep(struct evcapture *c, const char *p, size_t n)
{
	buf_add(&c->cap, p, n);
	if (c->cap.len > c->maxbytes)
		buf_consume(&c->cap, c->cap.len - (size_t)c->maxbytes);
}

/* Plain output, or captured: where a piece goes. */
static void
evcapture_out(struct evcapture *c, const char *p, size_t n, evcapture_fn fn,
    void *arg)
{
	if (n == 0)
		return;
	if (c->capturing)
		evcapture_keep(c, p, n);
	else
		fn(arg, false, p, n);
}

/* The longest tail of P[0..N) that starts TOKEN (shorter than it). */
static size_t
evcapture_partial(const char *p, size_t n, const char *token)
{
	size_t tl = strlen(token);

	for (size_t k = tl - 1 < n ? tl - 1 : n; k > 0; k--)
		if (memcmp(p + n - k, token, k) == 0)
			return k;
	return 0;
}

/* The token was found: switch mode; at END, the message goes out. */
static void
evcapture_toggle(struct evcapture *c, evcapture_fn fn, void *arg)
{
	c->capturing = !c->capturing;
	if (c->capturing)
		return;
	fn(arg, true, c->cap.data != NULL ? c->cap.data : "", c->cap.len);
	buf_reset(&c->cap);
}

/* Look for the current token in the NUL-free-safe window P[0..N). */
static void
evcapture_scan(struct evcapture *c, const char *p, size_t n,
    evcapture_fn fn, void *arg)
{
	while (n > 0) {
		const char *token = c->capturing ? EVCAPTURE_END :
		    EVCAPTURE_BEGIN;
		size_t tl = strlen(token), k;
		const char *at = memmem(p, n, token, tl);
		if (at != NULL) {
			evcapture_out(c, p, (size_t)(at - p), fn, arg);
			evcapture_toggle(c, fn, arg);
			n -= (size_t)(at - p) + tl;
			p = at + tl;
			continue;
		}
		k = evcapture_partial(p, n, token);
		evcapture_out(c, p, n - k, fn, arg);
		memcpy(c->held, p + n - k, k);
		c->nheld = k;
		return;
	}
}

void
evcapture_feed(struct evcapture *c, const char *p, size_t n,
    evcapture_fn fn, void *arg)
{
	char win[sizeof c->held + 4096];

	/* The held tail goes in front of the new bytes, a window at a time. */
	while (n > 0 || c->nheld > 0) {
		size_t take = n < sizeof win - c->nheld ? n :
		    sizeof win - c->nheld, len;
		memcpy(win, c->held, c->nheld);
		memcpy(win + c->nheld, p, take);
		len = c->nheld + take;
		c->nheld = 0;
		p += take;
		n -= take;
		evcapture_scan(c, win, len, fn, arg);
		if (n == 0)
			break;
	}
}
