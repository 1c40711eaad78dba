/*
 * rpclogrule.h -- supervisord's readFile and tailFile rules (options.py),
 * for readLog, readProcess*Log and tailProcess*Log (rpclog.c): which
 * offsets and lengths are refused, and which bytes of a log of a given
 * size a tail answers with.  No I/O: the gateway asks procd for the
 * bytes.
 */
#ifndef PROCD_RPCLOGRULE_H
#define PROCD_RPCLOGRULE_H

#include <stdbool.h>
#include <stdint.h>

/* readFile: 0, or the fault (BAD_ARGUMENTS) OFFSET and LENGTH get: a
 * negative OFFSET (the last bytes) takes no LENGTH; a positive one no
 * negative LENGTH. */
int	rpclog_read_rule(int64_t offset, int64_t length);
/* tailFile for a log of SZ bytes: the answer is N bytes from FROM (both
 * >= 0), and *OVERFLOW says the log went past OFFSET + LENGTH. */
void	rpclog_tail_rule(int64_t sz, int64_t offset, int64_t length,
	    int64_t *from, int64_t *n, bool *overflow);

#endif
