/*
 * fuzz_evproto.c -- the event protocol's listener side (evproto.c) on any
 * bytes, as a listener could write them to its stdout.
 *
 * The first byte chooses how the rest is cut into reads (1 to 256 bytes),
 * so a token split across reads is covered.  procd sends an event each
 * time the listener is READY, as it would.  Besides "no crash, no
 * sanitizer report" it checks what evproto.h promises:
 *   - each call takes at least one byte and never more than it was given;
 *   - a verdict leaves the state it names (READY, ACKNOWLEDGED after a
 *     result, UNKNOWN after garbage, for good), and the garbage report
 *     stays within its buffer;
 *   - the same bytes give the same verdicts however they are cut.
 */
#include <stdbool.h>
#include <string.h>

#include "evproto.h"
#include "fuzz.h"

#define FUZZ_MAX_VERDICTS 4096

/* Check one verdict against the state it leaves. */
static void
fuzz_evproto_check(const struct evproto *e, enum evproto_verdict v)
{
	FUZZ_CHECK(e->state < EVPROTO_NSTATES);
	FUZZ_CHECK(e->nline <= EVPROTO_LINE_MAX);
	FUZZ_CHECK(e->nwhy <= EVPROTO_WHY_MAX);
	switch (v) {
	case EVPROTO_GOT_READY:
		FUZZ_CHECK(e->state == EVPROTO_READY);
		break;
	case EVPROTO_GOT_OK:
	case EVPROTO_GOT_FAIL:
		FUZZ_CHECK(e->state == EVPROTO_ACKNOWLEDGED);
		break;
	case EVPROTO_GARBAGE:
		FUZZ_CHECK(e->state == EVPROTO_UNKNOWN && e->nwhy > 0);
		break;
	case EVPROTO_MORE:
		break;
	}
}

/* Feed IN in reads of STEP bytes; the verdicts into OUT. */
static size_t
fuzz_evproto_run(const uint8_t *in, size_t len, size_t step, uint8_t *out)
{
	struct evproto e;
	size_t n = 0, off = 0, used;
	bool unknown = false;

	evproto_init(&e);
	while (off < len) {
		size_t piece = len - off < step ? len - off : step;
		enum evproto_verdict v = evproto_feed(&e,
		    (const char *)in + off, piece, &used);
		FUZZ_CHECK(used >= 1 && used <= piece);
		FUZZ_CHECK(!unknown || (v == EVPROTO_MORE && used == piece));
		fuzz_evproto_check(&e, v);
		unknown = e.state == EVPROTO_UNKNOWN;
		off += used;
		if (v == EVPROTO_MORE)
			continue;
		if (n < FUZZ_MAX_VERDICTS)
			out[n++] = (uint8_t)v;
		if (v == EVPROTO_GOT_READY)
			evproto_sent(&e);
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t a[FUZZ_MAX_VERDICTS], b[FUZZ_MAX_VERDICTS];
	size_t na, nb, step;

	if (size < 1)
		return 0;
	step = (size_t)data[0] + 1;
	na = fuzz_evproto_run(data + 1, size - 1, step, a);
	nb = fuzz_evproto_run(data + 1, size - 1, 1, b);
	FUZZ_CHECK(na == nb && memcmp(a, b, na) == 0);
	return 0;
}
