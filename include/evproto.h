/*
 * evproto.h -- the listener side of supervisord's event protocol, as procd
 * reads it from a listener's stdout.  Pure: bytes in, verdicts out, no I/O,
 * bounded memory whatever the listener writes (a fuzz target drives it).
 *
 *   ACKNOWLEDGED  --"READY\n"-->  READY  --(procd sends an event)-->  BUSY
 *   BUSY  --"RESULT N\n" + N bytes-->  ACKNOWLEDGED (OK, or FAIL: anything
 *   but the two bytes "OK", as supervisord's default result handler)
 *
 * Anything else -- data while READY, a first line that is not READY, a
 * result line that is not "RESULT <digits>" -- is garbage: the listener
 * goes UNKNOWN and everything after is ignored until it is restarted.
 */
#ifndef PROCD_EVPROTO_H
#define PROCD_EVPROTO_H

#include <stdbool.h>
#include <stddef.h>

enum evproto_state {
	EVPROTO_ACKNOWLEDGED,	/* waiting for READY (also: just started) */
	EVPROTO_READY,		/* may be sent an event */
	EVPROTO_BUSY,		/* was sent one, waiting for its result */
	EVPROTO_UNKNOWN,	/* broke the protocol */
	EVPROTO_NSTATES
};

/* What a call to evproto_feed found. */
enum evproto_verdict {
	EVPROTO_MORE,		/* all of it taken, nothing decided yet */
	EVPROTO_GOT_READY,	/* now READY */
	EVPROTO_GOT_OK,		/* the event was accepted */
	EVPROTO_GOT_FAIL,	/* the event was rejected */
	EVPROTO_GARBAGE,	/* now UNKNOWN; see ->why */
};

/* The longest result line taken ("RESULT " and a length). */
#define EVPROTO_LINE_MAX 32
/* The longest result body: more is garbage (supervisord has no bound). */
#define EVPROTO_BODY_MAX (1UL << 20)
/* Enough for a garbage report quoting the bytes that broke it. */
#define EVPROTO_WHY_MAX 96

struct evproto {
	enum evproto_state state;
	char		 line[EVPROTO_LINE_MAX];	/* what came so far */
	size_t		 nline;
	bool		 in_body;	/* the result line is in */
	size_t		 want, got;	/* the body's length and progress */
	char		 body[2];	/* its first bytes: enough for "OK" */
	char		 why[EVPROTO_WHY_MAX];	/* GARBAGE: raw bytes */
	size_t		 nwhy;
};

void	evproto_init(struct evproto *);
/* procd sent an event to a READY listener: now BUSY. */
void	evproto_sent(struct evproto *);
/*
 * Take bytes from BUF (LEN of them) until something is decided; *USED is
 * how many were taken.  Call again with the rest while *USED < LEN.
 * A GARBAGE verdict leaves the offending bytes (not NUL-terminated, maybe
 * binary: escape before showing) in ->why, ->nwhy.
 */
enum evproto_verdict evproto_feed(struct evproto *, const char *buf,
	    size_t len, size_t *used);
const char *evproto_state_name(enum evproto_state);

#endif
