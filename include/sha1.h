/*
 * sha1.h -- SHA-1 (FIPS 180-4), only for supervisord's password={SHA}hex
 * form of [inet_http_server]/[unix_http_server] passwords.  Not for
 * anything new: SHA-1 is what those configs already hold.
 */
#ifndef PROCD_SHA1_H
#define PROCD_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_LEN	20

void	sha1(const void *data, size_t len, uint8_t out[SHA1_LEN]);

#endif
