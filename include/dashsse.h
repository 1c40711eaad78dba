/*
 * dashsse.h -- the dashboard's live stream: GET /dash/events, server-sent
 * events (text/event-stream) fed from procd's watch stream.
 *
 * One watch channel to procd serves every browser (dashhub.h: at most
 * DASHHUB_SUBS_MAX streams, the next is told 503).  A stream starts with
 * a snapshot of every row (so a browser that reconnects, after a gateway
 * restart say, is whole again), then carries only changes:
 *
 *	event: snapshot	data: {"token": CSRF token, "rows": [row...]}
 *	event: rows	data: [row...]	(rows that changed, dashrow.h)
 *	event: gone	data: [name...]	(processes procd no longer has)
 *
 * Nothing is sent, and nothing wakes, while nothing changes.
 */
#ifndef PROCD_DASHSSE_H
#define PROCD_DASHSSE_H

#include <stddef.h>

#include <microhttpd.h>

#include "buf.h"
#include "xrvalue.h"


/* Answer GET /dash/events on CONN, procd being over LINK. */
enum MHD_Result	dashsse_start(struct MHD_Connection *conn, int link);
/* The snapshot event for ROWS (status --json's array) and the CSRF
 * token TOKEN (NULL: none), appended to OUT. */
void		dashsse_snapshot(struct buf *out, const struct xr_value *rows,
		    const char *token);

#endif
