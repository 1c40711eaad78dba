/*
 * httpctl.h -- procctl's protocol over HTTP, in the gateway: POST
 * /procd/ctl with one REQUEST frame (proto.h) as the body is sent to
 * procd on a control channel of its own, and procd's reply frames, up to
 * and including END, are the response body, unchanged (ctlhttp.h is
 * procctl's side).  Commands procd keeps local (reexec) are refused here.
 */
#ifndef PROCD_HTTPCTL_H
#define PROCD_HTTPCTL_H

#include <stdbool.h>
#include <stddef.h>

#include <microhttpd.h>

/* Is URL the route? */
bool		httpctl_match(const char *url);
/* 405: the route asked with another method than POST. */
enum MHD_Result	httpctl_not_post(struct MHD_Connection *conn);
/* Answer the POST whose body is the LEN bytes at BODY, over LINK. */
enum MHD_Result	httpctl_serve(struct MHD_Connection *conn, const char *body,
		    size_t len, int link);

#endif
