/*
 * evproto.c -- the listener side of the event protocol (evproto.h).
 *
 * supervisord decides nothing until it has 6 bytes in ACKNOWLEDGED or a
 * whole line in BUSY; procd decides as soon as a byte cannot lead to a
 * valid token, which gives the same verdicts without holding more than a
 * line.  procd is stricter on one point: the result line must be exactly
 * "RESULT " and decimal digits (supervisord only skips 7 bytes and lets
 * Python's int() parse the rest).
 */
#include <string.h>

#include "evproto.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static const char EVPROTO_READY_TOKEN[] = "READY\n";
static const char EVPROTO_RESULT_TOKEN[] = "RESULT ";
#define EVPROTO_READY_LEN (sizeof EVPROTO_READY_TOKEN - 1)
#define EVPROTO_RESULT_LEN (sizeof EVPROTO_RESULT_TOKEN - 1)

static const char *const evproto_names[] = {
	[EVPROTO_ACKNOWLEDGED] = "ACKNOWLEDGED",
	[EVPROTO_READY] = "READY",
	[EVPROTO_BUSY] = "BUSY",
	[EVPROTO_UNKNOWN] = "UNKNOWN",
};
_Static_assert(nitems(evproto_names) == EVPROTO_NSTATES,
    "a name for every state");

const char *
evproto_state_name(enum evproto_state s)
{
	return (unsigned)s < EVPROTO_NSTATES ? evproto_names[s] : "UNKNOWN";
}

void
evproto_init(struct evproto *e)
{
	memset(e, 0, sizeof *e);
	e->state = EVPROTO_ACKNOWLEDGED;
}

void
evproto_sent(struct evproto *e)
{
	e->state = EVPROTO_BUSY;
	e->nline = 0;
	e->in_body = false;
	e->want = e->got = 0;
}

/* Broken: keep what was pending and the byte(s) that broke it. */
static enum evproto_verdict
evproto_garbage(struct evproto *e, const char *extra, size_t n)
{
	size_t k = e->nline < sizeof e->why ? e->nline : sizeof e->why;

	memcpy(e->why, e->line, k);
	if (n > sizeof e->why - k)
		n = sizeof e->why - k;
	memcpy(e->why + k, extra, n);
	e->nwhy = k + n;
	e->nline = 0;
	e->state = EVPROTO_UNKNOWN;
	return EVPROTO_GARBAGE;
}

/* ACKNOWLEDGED: one byte of READY\n. */
static enum evproto_verdict
evproto_ack(struct evproto *e, char c)
{
	if (c != EVPROTO_READY_TOKEN[e->nline])
		return evproto_garbage(e, &c, 1);
	e->line[e->nline++] = c;
	if (e->nline < EVPROTO_READY_LEN)
		return EVPROTO_MORE;
	e->nline = 0;
	e->state = EVPROTO_READY;
	return EVPROTO_GOT_READY;
}

/* The result line is complete (without its newline): take its length. */
static enum evproto_verdict
evproto_result_line(struct evproto *e)
{
	size_t n = 0;

	if (e->nline <= EVPROTO_RESULT_LEN)
		return evproto_garbage(e, "\n", 1);
	for (size_t i = EVPROTO_RESULT_LEN; i < e->nline; i++) {
		if (e->line[i] < '0' || e->line[i] > '9')
			return evproto_garbage(e, "\n", 1);
		n = n * 10 + (size_t)(e->line[i] - '0');
		if (n > EVPROTO_BODY_MAX)
			return evproto_garbage(e, "\n", 1);
	}
	e->in_body = true;
	e->want = n;
	e->got = 0;
	return EVPROTO_MORE;
}

/* BUSY, before the body: one byte of "RESULT <digits>\n". */
static enum evproto_verdict
evproto_busy_line(struct evproto *e, char c)
{
	if (c == '\n')
		return evproto_result_line(e);
	if ((e->nline < EVPROTO_RESULT_LEN &&
	    c != EVPROTO_RESULT_TOKEN[e->nline]) ||
	    e->nline == sizeof e->line)
		return evproto_garbage(e, &c, 1);
	e->line[e->nline++] = c;
	return EVPROTO_MORE;
}

/* The body is complete: OK or not. */
static enum evproto_verdict
evproto_verdict(struct evproto *e)
{
	bool ok = e->want == 2 && memcmp(e->body, "OK", 2) == 0;

	e->state = EVPROTO_ACKNOWLEDGED;
	e->nline = 0;
	e->in_body = false;
	return ok ? EVPROTO_GOT_OK : EVPROTO_GOT_FAIL;
}

/* BUSY, in the body: take what it still needs of BUF. */
static enum evproto_verdict
evproto_body(struct evproto *e, const char *buf, size_t len, size_t *used)
{
	size_t take = e->want - e->got;

	if (take > len)
		take = len;
	for (size_t i = 0; i < take && e->got + i < sizeof e->body; i++)
		e->body[e->got + i] = buf[i];
	e->got += take;
	*used = take;
	return e->got == e->want ? evproto_verdict(e) : EVPROTO_MORE;
}

/* One byte outside the body. */
static enum evproto_verdict
evproto_byte(struct evproto *e, char c)
{
	switch (e->state) {
	case EVPROTO_ACKNOWLEDGED:
		return evproto_ack(e, c);
	case EVPROTO_READY:
		return evproto_garbage(e, &c, 1);	/* spoke unasked */
	case EVPROTO_BUSY:
		return evproto_busy_line(e, c);
	case EVPROTO_UNKNOWN:
	case EVPROTO_NSTATES:
		break;
	}
	return EVPROTO_MORE;
}

enum evproto_verdict
evproto_feed(struct evproto *e, const char *buf, size_t len, size_t *used)
{
	enum evproto_verdict v;
	size_t i = 0, n;

	if (e->state == EVPROTO_UNKNOWN) {
		*used = len;	/* ignored until a restart */
		return EVPROTO_MORE;
	}
	while (i < len) {
		if (e->state == EVPROTO_BUSY && e->in_body) {
			v = evproto_body(e, buf + i, len - i, &n);
			i += n;
		} else
			v = evproto_byte(e, buf[i++]);
		/* A RESULT 0 body is complete before any byte of it. */
		if (v == EVPROTO_MORE && e->state == EVPROTO_BUSY &&
		    e->in_body && e->want == 0)
			v = evproto_verdict(e);
		if (v != EVPROTO_MORE) {
			*used = i;
			return v;
		}
	}
	*used = len;
	return EVPROTO_MORE;
}
