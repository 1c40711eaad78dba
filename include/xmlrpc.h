/*
 * xmlrpc.h -- XML-RPC requests in, responses out, in the gateway only.
 *
 * xmlrpc_parse.c decodes a <methodCall> (with expat) into a method name
 * and an XR_ARRAY of parameters; it refuses anything it does not expect:
 * a DOCTYPE or entity declaration, an unknown element, an element where it
 * does not belong, nesting deeper than XMLRPC_DEPTH_MAX, a number that
 * does not fit.  xmlrpc_write.c writes a <methodResponse> with a value or a
 * fault; strings are escaped for XML and anything that is not valid UTF-8,
 * or not allowed in XML 1.0, becomes U+FFFD.
 */
#ifndef PROCD_XMLRPC_H
#define PROCD_XMLRPC_H

#include <stddef.h>

#include "xrvalue.h"

struct buf;

/* Elements nested deeper than this are refused (struct in array in ...). */
#define XMLRPC_DEPTH_MAX	64

struct xmlrpc_call {
	char		*method;
	struct xr_value	*params;	/* XR_ARRAY */
};

/* Decode LEN bytes at DOC.  0, or -1 with a short reason in *WHY (static
 * text or a buffer of WHYLEN bytes). */
int	xmlrpc_parse(const char *doc, size_t len, struct xmlrpc_call *,
	    char *why, size_t whylen);
void	xmlrpc_call_free(struct xmlrpc_call *);

/* Append to B the response carrying V. */
void	xmlrpc_write_response(struct buf *b, const struct xr_value *v);
/* Append to B a fault response. */
void	xmlrpc_write_fault(struct buf *b, int code, const char *text);
/* A struct's member KEY: V as XML-RPC writes it, for XR_RAW values. */
void	xmlrpc_member_int(struct buf *b, const char *key, int64_t v);
void	xmlrpc_member_str(struct buf *b, const char *key, const char *s);
/* Append V alone (<value>...</value>), for tests and multicall. */
void	xmlrpc_write_value(struct buf *b, const struct xr_value *v);

#endif
