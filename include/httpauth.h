/*
 * httpauth.h -- HTTP basic authentication for [inet_http_server] and
 * [unix_http_server] username=/password=: the Authorization header
 * decoded, the credentials compared in constant time.  Pure functions,
 * so they are unit-tested and fuzzable.
 */
#ifndef PROCD_HTTPAUTH_H
#define PROCD_HTTPAUTH_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Decode an Authorization header value "Basic BASE64(user:pass)" into
 * USER and PASS (each NUL-terminated, at most SIZE - 1 bytes).  -1 when it
 * is not that form, the base64 is bad, there is no ':' or a part is too
 * long.
 */
int	httpauth_parse(const char *header, char *user, char *pass,
	    size_t size);
/*
 * Do USER and PASS match the configured WANT_USER and WANT_PASS?  A
 * WANT_PASS of the form "{SHA}" + 40 hex digits is compared with SHA-1 of
 * PASS, as supervisord does.  The comparison takes the same time wherever
 * the first difference is.
 */
bool	httpauth_check(const char *user, const char *pass,
	    const char *want_user, const char *want_pass);

#endif
