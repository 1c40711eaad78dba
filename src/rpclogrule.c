/*
 * rpclogrule.c -- supervisord's rules for reading a log at an offset
 * (rpclogrule.h): pure arithmetic, unit-tested and fuzzed.
 */
#include "rpc.h"
#include "rpclogrule.h"

static int64_t
rpclog_bound(int64_t v)
{
	const int64_t lim = INT64_C(1) << 60;

	return v > lim ? lim : v < -lim ? -lim : v;
}

int
rpclog_read_rule(int64_t offset, int64_t length)
{
	/* A negative offset is the last bytes: no length with it. */
	if (offset < 0 && length != 0)
		return FAULT_BAD_ARGUMENTS;
	if (offset >= 0 && length < 0)
		return FAULT_BAD_ARGUMENTS;
	return 0;
}

void
rpclog_tail_rule(int64_t sz, int64_t offset, int64_t length, int64_t *from,
    int64_t *n, bool *overflow)
{
	/* An i8 from a client may be anything: bound it first, so that
	 * the sums below cannot overflow (a log is never near 2^62). */
	offset = rpclog_bound(offset);
	length = rpclog_bound(length);
	sz = rpclog_bound(sz);
	*overflow = false;
	if (sz > offset + length) {	/* the log went past the window */
		*overflow = true;
		offset = sz - 1;
	}
	if (offset + length > sz) {
		if (offset > sz - 1)
			length = 0;
		offset = sz - length;
	}
	*from = offset < 0 ? 0 : offset;
	*n = length < 0 ? 0 : length;
}
