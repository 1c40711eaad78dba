/*
 * httptail.h -- supervisord's streaming log URLs in the gateway:
 * GET /logtail/NAME[/stdout|stderr] and GET /mainlogtail, which
 * supervisorctl's `tail -f` and `maintail -f` read.  Each is a `tail -f`
 * (or `maintail -f`) request on a control channel of its own, relayed
 * until the client or procd hangs up.
 */
#ifndef PROCD_HTTPTAIL_H
#define PROCD_HTTPTAIL_H

#include <stdbool.h>

#include <microhttpd.h>

/* Is URL one of ours? */
bool		httptail_match(const char *url);
/* Answer the GET of URL on CONN, opening a channel over LINK. */
enum MHD_Result	httptail_start(struct MHD_Connection *conn, const char *url,
		    int link);

#endif
