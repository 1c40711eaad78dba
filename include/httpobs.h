/*
 * httpobs.h -- the gateway's endpoints for those who watch procd from
 * outside: GET (or HEAD) /metrics (metrics.h), /healthz (procd answers
 * over the gateway's control channel: 200 "ok", else 503) and /readyz
 * (probes.h: 200, or 503 with a line per process that is not ready).
 * Served on both HTTP faces, behind the same basic auth as XML-RPC
 * (httpd.c checks it before routing here).
 */
#ifndef PROCD_HTTPOBS_H
#define PROCD_HTTPOBS_H

#include <stdbool.h>

#include <microhttpd.h>

struct rpc_ctx;

/* Seconds procd has to answer a scrape or a probe: a hung procd then
 * costs the prober a 503, not a thread of the gateway held for long. */
#define HTTPOBS_ASK_SECS	10

/* Is URL one of these endpoints? */
bool		 httpobs_match(const char *url);
/* Answer METHOD on URL (httpobs_match), asking procd over CTX's channel. */
enum MHD_Result	 httpobs_serve(struct MHD_Connection *, const char *url,
		    const char *method, struct rpc_ctx *ctx);

#endif
