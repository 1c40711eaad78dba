/*
 * dashguard.h -- what stands between a web page the operator happens to
 * visit and the dashboard's actions (cross-site request forgery).  Basic
 * auth does not: a browser sends remembered credentials with any page's
 * request.  So every POST must carry the token the dashboard's own page
 * holds (another site cannot read it), and, where the browser says where
 * a request comes from (Origin, Sec-Fetch-Site), come from the same
 * origin.  Pure, so it is unit-tested and fuzzed.
 */
#ifndef PROCD_DASHGUARD_H
#define PROCD_DASHGUARD_H

#include <stdbool.h>
#include <stddef.h>

/* Hex digits in a token. */
#define DASHGUARD_TOKEN_LEN	32

/* This process's token: DASHGUARD_TOKEN_LEN hex digits from getrandom,
 * made once; NULL if the kernel gave no random bytes. */
const char	*dashguard_token(void);

/* May a POST with header values TOKEN (X-Procd-Token), ORIGIN, HOST and
 * SEC_FETCH_SITE (each NULL when absent) act, given the token WANT?  NULL
 * if so, else why not (for the 403's text). */
const char	*dashguard_check(const char *token, const char *want,
		    const char *origin, const char *host,
		    const char *sec_fetch_site);

/*
 * May a POST that acts without the dashboard's token (XML-RPC, procctl
 * over HTTP) go on?  Their clients (supervisorctl, procctl, scripts)
 * send neither Origin nor Sec-Fetch-Site, and pass; a browser sends them,
 * and is let through only from the server's own origin -- and, without a
 * password, only to an address (DNS rebinding, below).  A page the
 * operator visits cannot then POST stop or shutdown to a server on
 * localhost (supervisord can be driven so).  NULL if so, else why not.
 */
const char	*dashguard_browser_check(const char *origin, const char *host,
		    const char *sec_fetch_site, bool has_password);

/* Is HOST (a Host header: "127.0.0.1:9001", "[::1]", "localhost") an
 * address rather than a name?  A server without a password answers
 * only those: a name can be made to point at it by another web site
 * (DNS rebinding), which would then be same-origin with the dashboard
 * and could read its token.  NULL: no. */
bool		 dashguard_host_ok(const char *host);

#endif
